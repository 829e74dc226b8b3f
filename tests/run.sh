#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/run.sh [CHECK...]: run every executable tests/checks/*.sh (or the
# ones named), each printing TAP lines, and total them:
#   ok - ...                  passed
#   not ok - ...              failed
#   ok - ... # SKIP reason    skipped
# A check that exits non-zero without reporting a failure counts as one
# failure. The combined TAP stream is kept in $BUILD/logs/check.tap.
# Prints the time of each check, the guest boots the checks ran and
# reused (their "# boots: N run, M reused" lines), the results of whole
# checks computed and reused ("# results: N computed, M reused", from
# tests/lib.sh reuse_or_run), and how busy the host's
# CPUs were meanwhile ("# NAME: host CPU busy B of T CPU-s (P%)", from
# /proc/stat: every process, the background prefetch too; T is the wall
# time times the CPUs; B near T means the check's time is CPU work, far
# below it waiting or a single thread). A run of every check
# makes the trees and the lab QEMU ahead, in the background at the lowest
# priority (scripts/prefetch.sh; LAB_PREFETCH=0 does not).
# Ends with 'N passed, N failed, N skipped'.

set -uo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$HOME/.cache/imx6-lab}
mkdir -p "$BUILD/logs"
tap=$BUILD/logs/check.tap
: >"$tap"

if [ $# -gt 0 ]; then
	checks=("$@")
else
	checks=()
	for c in "$TOP"/tests/checks/*.sh; do
		[ -x "$c" ] && checks+=("$c")
	done
fi

# A run of every check first starts scripts/prefetch.sh in the background
# at the lowest CPU priority: the trees and the lab QEMU are then made on
# the core the single-threaded checks leave idle (LAB_PREFETCH=0: not).
# A process group of its own (set -m), to be killed whole, but not a
# session of its own: the kernel's autogroup scheduling gives every
# session an equal share whatever its nice value.
prefetch_pid=
if [ $# -eq 0 ] && [ "${LAB_PREFETCH:-1}" = 1 ]; then
	set -m
	nice -n 19 ionice -c 3 "$TOP/scripts/prefetch.sh" >"$BUILD/logs/prefetch.log" 2>&1 </dev/null &
	prefetch_pid=$!
	set +m
	trap '[ -z "$prefetch_pid" ] || kill -- -"$prefetch_pid" 2>/dev/null' EXIT
fi

# cpu_ticks: busy and total clock ticks of every CPU since boot (bash's
# 64-bit arithmetic: mawk prints sums past 2^31 in floating point). Steal
# time is another guest's work: neither busy nor idle here.
cpu_ticks() {
	local u n s i w q sq rest
	read -r _ u n s i w q sq rest </proc/stat
	echo $((u + n + s + q + sq)) $((u + n + s + q + sq + i + w))
}
# cpu_line NAME B0 T0: how busy the CPUs were since the ticks B0 T0, in
# CPU-seconds (wall time times the CPUs).
cpu_line() {
	local b t hz
	read -r b t < <(cpu_ticks)
	hz=$(getconf CLK_TCK)
	b=$((b - $2)) t=$((t - $3))
	echo "# $1: host CPU busy $(((b + hz / 2) / hz)) of $(((t + hz / 2) / hz)) CPU-s ($((t ? (100 * b + t / 2) / t : 0))%)"
}
pass=0 fail=0 skip=0 boots_run=0 boots_reused=0 res_new=0 res_reused=0
t_all=$(date +%s)
read -r b_all tt_all < <(cpu_ticks)
for c in "${checks[@]}"; do
	name=$(basename "$c" .sh)
	echo "# --- $name"
	echo "# --- $name" >>"$tap"
	t0=$(date +%s)
	read -r b0 tt0 < <(cpu_ticks)
	out=$(mktemp)
	"$c" 2>&1 | tee "$out" | tee -a "$tap"
	rc=${PIPESTATUS[0]}
	p=$(grep -cE '^ok ' "$out" | head -1)
	s=$(grep -ciE '^ok .*# *skip' "$out" | head -1)
	f=$(grep -cE '^not ok ' "$out" | head -1)
	p=$((p - s))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $name exited $rc without reporting a result" | tee -a "$tap"
		f=1
	fi
	pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
	# Guest boots: checks print "# boots: N run, M reused".
	read -r br bu < <(sed -n 's/^# boots: \([0-9]*\) run, \([0-9]*\) reused.*/\1 \2/p' "$out" |
		awk '{ r += $1; u += $2 } END { print r + 0, u + 0 }')
	boots_run=$((boots_run + br)) boots_reused=$((boots_reused + bu))
	# Whole checks reused (tests/lib.sh reuse_or_run): "# results: N
	# computed, M reused".
	read -r rn ru < <(sed -n 's/^# results: \([0-9]*\) computed, \([0-9]*\) reused.*/\1 \2/p' "$out" |
		awk '{ n += $1; u += $2 } END { print n + 0, u + 0 }')
	res_new=$((res_new + rn)) res_reused=$((res_reused + ru))
	echo "# $name: $p passed, $f failed, $s skipped in $(($(date +%s) - t0)) s"
	cpu_line "$name" "$b0" "$tt0"
	rm -f "$out"
done
if [ -n "$prefetch_pid" ]; then
	wait "$prefetch_pid"
	prefetch_pid=
	sed 's/^/# /' "$BUILD/logs/prefetch.log"
fi
echo "# all checks took $(($(date +%s) - t_all)) s; TAP in $tap"
cpu_line "all checks" "$b_all" "$tt_all"
echo "# guest boots: $boots_run run, $boots_reused reused (same inputs under -icount; LAB_FRESH=1 runs them all)"
[ $((res_new + res_reused)) = 0 ] ||
	echo "# results of reusable checks: $res_new computed, $res_reused reused (same inputs; LAB_FRESH=1 computes them all)"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
