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
# fuzz QEMU SEED OPS LOG: sets out (what fuzz.py printed) and r (its exit
# status: 0 ok, 1 finding, 2 could not run, 4 time bound; 124 timeout).
fuzz() {
	r=0
	out=$(timeout --kill-after=10 720 python3 "$fuzz" --qemu "$1" --seed "$2" \
		--ops "$3" --seconds 600 --log "$4" 2>&1) || r=$?
}
why() { # the line that says why, with the exit status and the log
	echo "exit $r: $(grep -m1 'FINDING\|bound\|QEMU did not\|cannot go on\|no QEMU' <<<"$out" || tail -n1 <<<"$out") (log: $1)"
}

log=$BUILD/logs/fuzz-check-qemu.log
fuzz "$qemu" 1 "$ops" "$log"
if [ "$r" = 0 ]; then
	tap_ok "fuzz: $ops operations on the lab QEMU, no crash or hang ($(sed -n 's|.*operations in \([0-9.]*\) s (\([0-9]*\) ops/s.*|\1 s, \2 ops/s|p' <<<"$out" | head -n1))"
else
	tap_fail "fuzz: $ops operations on the lab QEMU" "$(why "$log")"
fi

# The sanitizer builds are make fuzz's; they count only when they were
# built from the series the lab QEMU (30-qemu) was just built from.
asan=$BUILD/qemu/asan/bin/qemu-system-arm
old=$BUILD/qemu/asan-old/bin/qemu-system-arm
cur=$(cat "$BUILD/qemu/series.id" 2>/dev/null || echo none)
if [ ! -x "$asan" ] || [ ! -x "$old" ]; then
	tap_skip "fuzz: the sanitizer builds (old model caught, current clean)" "not built; make fuzz builds them"
elif [ "$(cat "$BUILD/qemu/asan/series.id" 2>/dev/null)" != "$cur" ] ||
     [ "$(cat "$BUILD/qemu/asan-old/series.id" 2>/dev/null)" != "$cur" ]; then
	tap_skip "fuzz: the sanitizer builds (old model caught, current clean)" \
		"built from another lab/qemu/patches than the lab QEMU; make fuzz rebuilds them"
else
	log=$BUILD/logs/fuzz-check-old-qemu.log
	fuzz "$old" 1 200000 "$log"
	if [ "$r" = 1 ] && grep -Eq 'AddressSanitizer|runtime error:' "$log" && grep -q imx_sdma "$log"; then
		tap_ok "fuzz: the old channel 0 range check is caught ($(grep -m1 -o 'in operations [0-9.]*' <<<"$out"): $(grep -m1 -oE 'AddressSanitizer: [a-z-]+|runtime error: .{0,60}' "$log"))"
	else
		tap_fail "fuzz: the old channel 0 range check is caught" "no sanitizer report in imx_sdma: $(why "$log")"
	fi
	log=$BUILD/logs/fuzz-check-asan-qemu.log
	fuzz "$asan" 2 "$ops" "$log"
	if [ "$r" = 0 ]; then
		tap_ok "fuzz: $ops operations under ASan/UBSan, 0 reports"
	else
		tap_fail "fuzz: $ops operations under ASan/UBSan" "$(why "$log")"
	fi
fi
