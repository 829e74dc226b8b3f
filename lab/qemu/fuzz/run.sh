#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# lab/qemu/fuzz/run.sh: the fuzz benchmark of the lab's models (make fuzz).
#
#  1. builds the lab QEMU with AddressSanitizer and UBSan twice
#     (lab/qemu/build.sh QEMU_FLAVOUR=asan and asan-old): the models as
#     they are, and with the channel 0 range check as it was before it was
#     fixed (lab/qemu/fuzz/old-channel0-range.patch);
#  2. fuzzes the old model (seed FUZZ_SEED, up to FUZZ_OLD_OPS operations):
#     the fuzzer must find the overflow (a sanitizer report or a crash);
#  3. fuzzes the current models for FUZZ_OPS operations (default
#     1,000,000): no sanitizer report, no crash, no hang.
#
# Prints what each run measured (operations, seconds, ops/s) and ends with
# a one-line verdict. Everything is seeded: FUZZ_SEED=N reruns the same.

. "$(dirname "$0")/../../../scripts/lib.sh"
start_log fuzz
seed=${FUZZ_SEED:-1}
ops=${FUZZ_OPS:-1000000}
old_ops=${FUZZ_OLD_OPS:-200000}
fuzz=$TOP/lab/qemu/fuzz/fuzz.py

for f in asan asan-old; do
	QEMU_FLAVOUR=$f "$TOP/lab/qemu/build.sh" >>"$LOG" 2>&1 ||
		die "the $f build of the lab QEMU failed (log: $LOG)"
done

# fuzz QEMU SEED OPS SECONDS LOG: runs fuzz.py, echoes its exit code
# (0 ok, 1 finding, 2 cannot run, 4 time bound hit).
fuzz() {
	local r=0
	timeout --kill-after=10 $(($4 + 120)) python3 "$fuzz" --qemu "$1" --seed "$2" \
		--ops "$3" --seconds "$4" --log "$5" >>"$LOG" 2>&1 || r=$?
	grep -a '^fuzz:' "$LOG" | tail -n 2 >&2
	echo "$r"
}

rc=0
say "fuzz: the old model (channel 0 range check before its fix), seed $seed, up to $old_ops operations"
r=$(fuzz "$BUILD/qemu/asan-old/bin/qemu-system-arm" "$seed" "$old_ops" 1200 "$BUILD/logs/fuzz-old-qemu.log")
case $r in
0)	say "fuzz: NOT OK: no finding on the old model in $old_ops operations"; rc=1 ;;
1)	if grep -Eq 'AddressSanitizer|runtime error:' "$BUILD/logs/fuzz-old-qemu.log" &&
	   grep -q 'imx_sdma' "$BUILD/logs/fuzz-old-qemu.log"; then
		say "fuzz: ok: the old model's overflow was found: $(grep -m1 -E 'ERROR: AddressSanitizer|runtime error:' "$BUILD/logs/fuzz-old-qemu.log" | cut -c1-160)"
	else
		say "fuzz: NOT OK: the old model failed, but not with a sanitizer report in imx_sdma ($BUILD/logs/fuzz-old-qemu.log)"
		rc=1
	fi ;;
*)	say "fuzz: NOT OK: the old model's run did not complete (exit $r; $LOG)"; rc=1 ;;
esac

say "fuzz: the current models, seed $seed, $ops operations"
r=$(fuzz "$BUILD/qemu/asan/bin/qemu-system-arm" "$seed" "$ops" 3600 "$BUILD/logs/fuzz-qemu.log")
case $r in
0)	say "fuzz: ok: no finding on the current models in $ops operations" ;;
1)	say "fuzz: NOT OK: a finding on the current models ($BUILD/logs/fuzz-qemu.log)"; rc=1 ;;
*)	say "fuzz: NOT OK: the run did not complete (exit $r; $LOG)"; rc=1 ;;
esac
exit $rc
