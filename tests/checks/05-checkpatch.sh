#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/checkpatch-run.sh on its own fixtures (a clean patch passes, a
# deliberately bad one fails with its errors listed), then on every
# target's series: checkpatch --strict must find nothing.

. "$(dirname "$0")/../lib.sh"
set -u
S=$TOP/scripts

# Every series is checked with the newest tree's checkpatch.pl (today
# mainline's): upstream's current rules apply to every series we send.
nt=$(newest_target)
if ! out=$("$S/tree.sh" "$nt" 2>&1); then
	tap_fail "$nt tree for checkpatch.pl" "$(echo "$out" | tail -n1)"
	exit 0
fi
k=$BUILD/trees/$nt/unpatched
fx=$TOP/tests/fixtures/checkpatch

tap_expect "checkpatch-run passes a clean patch" \
	"$S/checkpatch-run.sh" -k "$k" "$fx" "$fx/0001-good.patch"
tap_expect_fail "checkpatch-run fails a bad patch and lists its errors" \
	'0002-bad\.patch +4 +1 +0 +0' "$S/checkpatch-run.sh" -k "$k" "$fx"

for t in ${TARGETS:-$(default_targets)}; do
	if [ -z "$("$S/series-list.sh" "$TOP/patches/$t" 2>/dev/null)" ]; then
		tap_skip "checkpatch --strict on patches/$t" "no series for $t yet"
		continue
	fi
	tap_expect "checkpatch --strict ($nt's) on patches/$t: 0 errors, 0 warnings, 0 checks" \
		"$S/checkpatch-run.sh" -k "$k" "$TOP/patches/$t"
done

# Series that are not a target's own: a vendor tree's (TGT_TREE_SERIES,
# patches/5.4-nxp).
for d in "$TOP"/patches/*/; do
	d=${d%/}
	[ ! -f "${TARGETS_DIR:-$TOP/targets}/$(basename "$d").conf" ] || continue
	[ -n "$("$S/series-list.sh" "$d" 2>/dev/null)" ] || continue
	tap_expect "checkpatch --strict ($nt's) on ${d#"$TOP"/}: 0 errors, 0 warnings, 0 checks" \
		"$S/checkpatch-run.sh" -k "$k" "$d"
done

# Only the human submitter certifies the DCO (coding-assistants.rst):
# no committed patch may carry a Signed-off-by; make send adds theirs.
sob=$(grep -l '^Signed-off-by:' "$TOP"/patches/*/[0-9][0-9][0-9][0-9]-*.patch 2>/dev/null || true)
if [ -z "$sob" ]; then
	tap_ok "no committed patch carries a Signed-off-by (make send adds the submitter's)"
else
	tap_fail "no committed patch carries a Signed-off-by" "$(echo "$sob" | head -n1 | sed "s|$TOP/||") and $(($(echo "$sob" | wc -l) - 1)) more"
fi

