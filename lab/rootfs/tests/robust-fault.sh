#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# robust-fault [-p]: pcm-robust fault (lab/tools/pcm-robust/README.md).
# Fails the 1st, 2nd, ... injectable allocation of the capture START on a
# fresh stream, of the START that restarts it after a forced XRUN, and of
# the PREPARE after an XRUN (with -p: the playback ones too), through
# /proc/thread-self/fail-nth: each fault must come back as an error (or
# the call must work) and the stream must run continuously again. The
# guest's dmesg and kmemleak dump are judged by lab/verdict.sh; the
# injections' own "FAULT_INJECTION: forcing a failure" dumps are expected
# (a stack dump, nothing verdict.sh counts).

d=/sys/kernel/debug
. /lab/lib.sh
pcm-robust -D "$(lab_pcm)" fault "$@"
rc=$?
for a in failslab fail_page_alloc; do
	[ -d "$d/$a" ] || { echo "# $a: no $d/$a"; continue; }
	printf '# %s:' "$a"
	for f in ignore-gfp-wait min-order verbose; do
		[ -f "$d/$a/$f" ] && printf ' %s=%s' "$f" "$(cat "$d/$a/$f")"
	done
	echo
done
echo "# FAULT_INJECTION lines in dmesg: $(dmesg | grep -c 'FAULT_INJECTION: forcing a failure')"
# An injected fault may hit kmemleak's own bookkeeping (its object
# allocations are GFP_NOWAIT too): it falls back to its pool, but if it
# gave up instead, the leak check after the test would be void.
if dmesg | grep -qE 'kmemleak: (Cannot allocate|Kernel memory leak detector disabled)'; then
	echo "# kmemleak disabled itself during the faults: the leak check is void"
	exit 1
fi
exit $rc
