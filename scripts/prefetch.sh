#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# prefetch.sh [TARGET...]: make ahead of time what make check needs later
# and what depends on nothing but the network and this repository: the
# pristine tree of each target (the ones named, else $TARGETS, else every
# target, in the order the checks reach them) and then the lab QEMU. tests/run.sh runs it in the
# background at the lowest CPU priority, so that it takes only the core
# the checks leave idle (checkpatch and make send are single-threaded
# perl, a tree's unpack is one xz, the smoke boots run one QEMU at a time)
# and yields to the kernel builds and guest boots.
#
# Nothing is made twice and nothing is raced: scripts/tree.sh and
# lab/qemu/build.sh hold a lock of their own while they work
# ($BUILD/locks), so the check that needs a tree or QEMU this is still
# making waits for it, then finds it up to date. A failure here is not
# reported: the check that needs the thing makes it again and reports
# the error with its log (the prefetch's own logs are in
# $BUILD/logs/prefetch, so they never overwrite one a check names).
# Prints one line per step and how long it took.

. "$(dirname "$0")/lib.sh"

targets=("$@")
[ ${#targets[@]} -gt 0 ] || read -ra targets <<<"${TARGETS:-}"
if [ ${#targets[@]} -eq 0 ]; then
	mapfile -t targets < <(known_targets | tr ' ' '\n' | sort -V)
fi

export LAB_LOGS=$BUILD/logs/prefetch
mkdir -p "$LAB_LOGS"
step() {
	local t0=$SECONDS rc=0
	"$@" >/dev/null 2>&1 || rc=$?
	echo "prefetch: $* -> exit $rc in $((SECONDS - t0)) s"
}
for t in "${targets[@]}"; do
	step "$TOP/scripts/tree.sh" "$t"
done
step "$TOP/lab/qemu/build.sh"
