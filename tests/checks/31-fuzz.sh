#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# A short fuzz of the lab QEMU's models (lab/qemu/fuzz/fuzz.py, seeded):
# FUZZ_CHECK_OPS (default 50,000) random MMIO, I2C, channel 0 and channel
# operations, DMA requests and clock steps on the lab build must end
# without a crash or a hang. When make fuzz has built the sanitizer
# flavours, their short runs too: the old model's overflow must be found
# (regression), the current models must give no sanitizer report. The
# full benchmark (1,000,000 operations under ASan/UBSan) is make fuzz.

. "$(dirname "$0")/../lib.sh"
set -u

ops=${FUZZ_CHECK_OPS:-50000}
fuzz=$TOP/lab/qemu/fuzz/fuzz.py
qemu=$BUILD/qemu/bin/qemu-system-arm
if [ ! -x "$qemu" ]; then
	tap_skip "fuzz: the lab QEMU" "not built (make qemu)"
	exit 0
fi
out=$(python3 "$fuzz" --qemu "$qemu" --seed 1 --ops "$ops" --seconds 600 \
	--log "$BUILD/logs/fuzz-check-qemu.log" 2>&1)
if [ $? -eq 0 ]; then
	tap_ok "fuzz: $ops operations on the lab QEMU, no crash or hang ($(sed -n 's/.*operations in \([^)]*)\).*/\1/p' <<<"$out" | head -n1))"
else
	tap_fail "fuzz: $ops operations on the lab QEMU" "$(grep -m1 'FINDING\|bound\|no QEMU' <<<"$out")"
fi

asan=$BUILD/qemu/asan/bin/qemu-system-arm
old=$BUILD/qemu/asan-old/bin/qemu-system-arm
if [ -x "$asan" ] && [ -x "$old" ]; then
	out=$(python3 "$fuzz" --qemu "$old" --seed 1 --ops 200000 --seconds 600 \
		--log "$BUILD/logs/fuzz-check-old-qemu.log" 2>&1)
	if [ $? -eq 1 ]; then
		tap_ok "fuzz: the old channel 0 range check is caught ($(grep -m1 -o 'after operation [0-9]*' <<<"$out"))"
	else
		tap_fail "fuzz: the old channel 0 range check is caught" "no finding in 200000 operations"
	fi
	out=$(python3 "$fuzz" --qemu "$asan" --seed 2 --ops "$ops" --seconds 600 \
		--log "$BUILD/logs/fuzz-check-asan-qemu.log" 2>&1)
	if [ $? -eq 0 ]; then
		tap_ok "fuzz: $ops operations under ASan/UBSan, 0 reports"
	else
		tap_fail "fuzz: $ops operations under ASan/UBSan" "$(grep -m1 'FINDING\|bound' <<<"$out")"
	fi
else
	tap_skip "fuzz: the sanitizer builds (old model caught, current clean)" "not built; make fuzz builds them"
fi
