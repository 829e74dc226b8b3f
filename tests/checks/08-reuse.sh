#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot reuse (lab/run-guest.sh, LAB_REUSE=1): a boot is reused only when
# every input is the same, and judged again when it is. Hermetic: a stub
# QEMU that counts its runs and prints a guest test's output, fake kernel
# files in a scratch BUILD; nothing of the real lab is touched.

. "$(dirname "$0")/../lib.sh"
set -u

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
B=$tmp/build
k=$B/out/6.12/patched
mkdir -p "$k" "$B/rootfs" "$B/qemu/bin"
echo zimage >"$k/zImage"
echo dtb >"$k/imx6q-sabrelite.dtb"
echo 6.12-stub >"$k/kernelrelease"
echo initrd >"$B/rootfs/initrd-6.12-patched.cpio.gz"

# The stub writes the console of a passing "cards" run to the second
# -serial file and counts its runs; STUB_FAIL=1 makes the test fail.
cat >"$B/qemu/bin/qemu-system-arm" <<'EOF'
#!/bin/sh
n=0 serial=
for a in "$@"; do
	case "$a" in file:*) serial=${a#file:} ;; esac
done
echo run >>"$STUB_COUNT"
if [ "${STUB_FAIL:-0}" = 1 ]; then r="not ok 1 - stub"; rc=1; else r="ok 1 - stub"; rc=0; fi
printf 'LAB-BEGIN cards\n%s\nLAB-END cards rc=%s\nLAB-DMESG-BEGIN\nLAB-DMESG-END\n' "$r" "$rc" >"$serial"
EOF
chmod +x "$B/qemu/bin/qemu-system-arm"

export STUB_COUNT=$tmp/count
: >"$STUB_COUNT"
# run [ENV...]: one run-guest.sh boot; prints "new|reused verdict" and the
# number of stub runs so far.
run() {
	local res
	res=$(env BUILD="$B" LAB_REUSE=1 "$@" "$TOP/lab/run-guest.sh" 6.12 patched cards "-x" 2>/dev/null |
		grep '^RESULT')
	echo "$(sed -n 's/.* boot=\([a-z]*\).*/\1/p' <<<"$res") $(sed -n 's/.* verdict=\([a-z]*\) .*/\1/p' <<<"$res") $(wc -l <"$STUB_COUNT")"
}
check() { # check DESC GOT WANT
	if [ "$2" = "$3" ]; then tap_ok "$1"; else tap_fail "$1" "got '$2', want '$3'"; fi
}

check "boot reuse: a first boot runs" "$(run)" "new pass 1"
check "boot reuse: the same inputs reuse the kept boot, judged again" "$(run)" "reused pass 1"
echo initrd2 >"$B/rootfs/initrd-6.12-patched.cpio.gz"
check "boot reuse: another initrd boots again" "$(run)" "new pass 2"
echo zimage2 >"$k/zImage"
check "boot reuse: another kernel boots again" "$(run)" "new pass 3"
check "boot reuse: another command line boots again" "$(run LAB_APPEND=x=1)" "new pass 4"
check "boot reuse: LAB_FRESH=1 boots again" "$(run LAB_FRESH=1)" "new pass 5"
check "boot reuse: the host clock (LAB_ICOUNT=off) never reuses" "$(run LAB_ICOUNT=off)" "new pass 6"
check "boot reuse: without LAB_REUSE=1 nothing is reused" "$(run LAB_REUSE=0)" "new pass 7"
check "boot reuse: after a boot that was not kept, the next boots" "$(run)" "new pass 8"
echo >>"$B/qemu/bin/qemu-system-arm"
check "boot reuse: another QEMU binary boots again" "$(run)" "new pass 9"
check "boot reuse: a failing run is kept and reused as a failure" \
	"$(run LAB_APPEND=y=1 STUB_FAIL=1; run LAB_APPEND=y=1)" "new fail 10
reused fail 10"

# cached_boot (tests/lib.sh), for the checks' own boots on stock QEMU.
q=$B/qemu/bin/qemu-system-arm
log=$tmp/boot.log
echo a >"$tmp/kernel"
cb() { # cb [ARGS...]: "rc runs-so-far" after one cached_boot
	local rc=0
	cached_boot "$log" 30 "$q" -serial null -serial "file:$log" "$@" -kernel "$tmp/kernel" || rc=$?
	echo "$rc $(wc -l <"$STUB_COUNT")"
}
n0=$(wc -l <"$STUB_COUNT")
check "cached_boot: a first boot runs" "$(cb -icount shift=0)" "0 $((n0 + 1))"
check "cached_boot: the same boot is reused" "$(cb -icount shift=0)" "0 $((n0 + 1))"
echo b >"$tmp/kernel"
check "cached_boot: a file of the boot changed, it boots again" "$(cb -icount shift=0)" "0 $((n0 + 2))"
check "cached_boot: other arguments boot again" "$(cb -icount shift=1)" "0 $((n0 + 3))"
check "cached_boot: on the host clock it always boots" "$(cb; cb)" "0 $((n0 + 4))
0 $((n0 + 5))"

# reuse_or_run (tests/lib.sh), for whole checks (50-send): the kept TAP
# is printed again only under the same key, and only a run that passed
# everything, exited 0 and whose inputs did not change meanwhile is kept.
export RUNS=$tmp/check-runs
: >"$RUNS"
cat >"$tmp/check.sh" <<'EOF2'
echo run >>"$RUNS"
echo "ok - a"
[ "${CHECK_FAIL:-0}" = 1 ] && echo "not ok - b # stub failure"
[ -z "${CHECK_CHANGE:-}" ] || echo changed >"$CHECK_CHANGE"
exit "${CHECK_EXIT:-0}"
EOF2
# rr KEY [ENV...]: "TAP-lines computed+reused runs-so-far exit-status"
# after one reuse_or_run whose inputs are KEY and the file $tmp/input.
echo one >"$tmp/input"
rr() {
	local key=$1 out rc=0
	shift
	out=$(env "$@" KEY="$key" INPUT="$tmp/input" bash -c '. "$1/tests/lib.sh"
		inputs() { echo "$KEY"; cat "$INPUT"; }
		reuse_or_run stub inputs bash "$2"' _ "$TOP" "$tmp/check.sh") || rc=$?
	echo "$(grep -cE '^(not )?ok ' <<<"$out") $(sed -n 's/^# results: \([0-9]*\) computed, \([0-9]*\) reused.*/\1+\2/p' <<<"$out") $(wc -l <"$RUNS") $rc"
}
export BUILD=$B
check "check reuse: a first run computes" "$(rr k1)" "1 1+0 1 0"
check "check reuse: the same key reuses the kept TAP" "$(rr k1)" "1 0+1 1 0"
check "check reuse: another key computes" "$(rr k2)" "1 1+0 2 0"
check "check reuse: LAB_FRESH=1 computes" "$(rr k2 LAB_FRESH=1)" "1 1+0 3 0"
check "check reuse: a run with a failure is not kept" "$(rr k3 CHECK_FAIL=1; rr k3)" "2 2+0 4 0
1 1+0 5 0"
check "check reuse: a failing run (LAB_FRESH=1) under the kept key drops it" \
	"$(rr k3 LAB_FRESH=1 CHECK_FAIL=1; rr k3)" "2 2+0 6 0
1 1+0 7 0"
check "check reuse: a run that exits non-zero returns its status and is not kept" \
	"$(rr k4 CHECK_EXIT=3; rr k4)" "1 1+0 8 3
1 1+0 9 0"
check "check reuse: a run whose inputs changed meanwhile is not kept" \
	"$(rr k5 CHECK_CHANGE="$tmp/input"; echo one >"$tmp/input"; rr k5)" "1 1+0 10 0
1 1+0 11 0"
