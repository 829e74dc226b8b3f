#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# lab/qemu/qtest.sh: run the qtests of the lab's models (built by
# lab/qemu/build.sh into $BUILD/qemu/qtest) against the lab QEMU. Each
# qtest prints TAP (GLib's --tap); lines are passed through, subtest
# lines indented, so tests/run.sh counts one result per qtest case.

. "$(dirname "$0")/../../scripts/lib.sh"
start_log qtest

qdir=${QTEST_DIR:-$BUILD/qemu/qtest}
qemu=${QTEST_QEMU_BINARY:-$BUILD/qemu/bin/qemu-system-arm}
[ -x "$qemu" ] || die "no lab QEMU at $qemu; run 'make qemu'"
shopt -s nullglob
tests=("$qdir"/*-test)
[ ${#tests[@]} -gt 0 ] || die "no qtests in $qdir; run 'make qemu'"
rc=0
for t in "${tests[@]}"; do
	name=$(basename "$t")
	out=$(QTEST_QEMU_BINARY=$qemu timeout --kill-after=10 300 "$t" --tap -k 2>&1)
	r=$?
	printf '%s\n' "$out" >>"$LOG"
	# GLib numbers the cases per program; prefix them with the program.
	printf '%s\n' "$out" | sed -nE "s/^(not )?ok ([0-9]+) (- )?(.*)$/\1ok - $name: \4/p"
	if [ $r -ne 0 ] && ! printf '%s\n' "$out" | grep -q '^not ok'; then
		echo "not ok - $name exited $r (log: $LOG)"
	fi
	[ $r -eq 0 ] || rc=1
done
exit $rc
