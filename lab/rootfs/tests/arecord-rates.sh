#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# arecord-rates [-d SECONDS] [RATE...]: the arecord test (arecord.sh) at
# every rate given (default 8000 44100 48000 96000), in one boot. Each
# rate is a KTAP subtest (indented) and one line of the plan here.

. /lab/lib.sh
secs=10
while getopts d: o; do
	case $o in
	d) secs=$OPTARG ;;
	*) echo "usage: arecord-rates.sh [-d SECONDS] [RATE...]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || set -- 8000 44100 48000 96000
ktap_plan $#
for r in "$@"; do
	sh /lab/tests/arecord.sh -r "$r" -d "$secs" >/tmp/rate.out 2>&1
	rc=$?
	sed 's/^/    /' /tmp/rate.out
	if [ $rc -eq 0 ]; then
		ktap_ok "arecord-$r"
	else
		ktap_fail "arecord-$r" "$(grep -m1 '^not ok' /tmp/rate.out)"
	fi
done
ktap_done
