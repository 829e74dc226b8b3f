#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/checkpatch-run.sh on its own fixtures (a clean patch passes, a
# deliberately bad one fails with its errors listed), then on every
# target's series: checkpatch --strict must find nothing.

. "$(dirname "$0")/../lib.sh"
set -u
S=$TOP/scripts

if ! out=$("$S/tree.sh" 6.12 2>&1); then
	tap_fail "6.12 tree for checkpatch.pl" "$(echo "$out" | tail -n1)"
	exit 0
fi
k=$BUILD/trees/6.12/unpatched
fx=$TOP/tests/fixtures/checkpatch

tap_expect "checkpatch-run passes a clean patch" \
	"$S/checkpatch-run.sh" -k "$k" "$fx" "$fx/0001-good.patch"
tap_expect_fail "checkpatch-run fails a bad patch and lists its errors" \
	'0002-bad\.patch +4 +1 +0 +0' "$S/checkpatch-run.sh" -k "$k" "$fx"

for t in 5.4 5.10 6.12; do
	if [ -z "$("$S/series-list.sh" "$TOP/patches/$t" 2>/dev/null)" ]; then
		tap_skip "checkpatch --strict on patches/$t" "no series for $t yet"
		continue
	fi
	kt=$BUILD/trees/$t/unpatched
	if [ ! -d "$kt" ] && ! "$S/tree.sh" "$t" >/dev/null 2>&1; then
		tap_skip "checkpatch --strict on patches/$t" "no $t tree (set KERNEL_SRC_${t//./_})"
		continue
	fi
	tap_expect "checkpatch --strict on patches/$t: 0 errors, 0 warnings, 0 checks" \
		"$S/checkpatch-run.sh" "$t"
done
