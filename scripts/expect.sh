#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# expect.sh TARGET: the lab matrix expectations of one target, read from
# TGT_EXPECT in targets/TARGET.conf (TARGETS_DIR overrides the directory),
# one "row<TAB>variant<TAB>expectation" line per row and variant.
#
# TGT_EXPECT holds one line per row of tests/lab-matrix.conf:
#
#   row  unpatched=WANT  [patched=WANT]  [LAYER=WANT ...]
#
# unpatched: pass, fail (the bug shows: the test ran to its end and
# failed), hazard (the SDMA model saw the channel reprogrammed inside its
# settle time), any (reported, not judged). patched (default fix) and the
# layer variants of TGT_VARIANTS: fix (passes, no hazard, dmesg clean),
# pass (passes; hazards reported), recovers (every XRUN recovers, no
# hazard, dmesg clean; data breaks reported), fail, hazard, any. A layer
# variant runs only the rows that name it. '#' starts a comment.
#
# Every row of the matrix conf (LAB_MATRIX) must have an unpatched
# expectation, and every row named must be in the matrix: a target is one
# file, and a row it does not judge is an error, not a silent pass.

set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
t=${1:?usage: expect.sh TARGET}
conf=${TARGETS_DIR:-$TOP/targets}/$t.conf
matrix=${LAB_MATRIX:-$TOP/tests/lab-matrix.conf}
[ -f "$conf" ] || { echo "error: no $conf" >&2; exit 1; }
# shellcheck disable=SC1090
exp=$(TGT_EXPECT=; TGT_VARIANTS=; . "$conf"
	for v in ${TGT_VARIANTS:-}; do echo "#variant ${v%%:*}"; done
	printf '%s\n' "$TGT_EXPECT")
[ -n "$(sed 's/#.*//' <<<"$exp" | tr -d ' \t\n')" ] ||
	{ echo "error: $conf has no TGT_EXPECT" >&2; exit 1; }
rows=$(awk '/^[ \t]*(#|$)/ { next } { print $1 }' "$matrix")
awk -v conf="$conf" -v rowlist="$rows" '
	BEGIN { n = split(rowlist, r, "\n"); for (i = 1; i <= n; i++) inm[r[i]] = 1
		ok["unpatched"] = "pass fail hazard any"
		okv = "fix pass recovers fail hazard any" }
	/^#variant / { layer[$2] = 1; next }
	{ sub(/#.*/, "") }
	NF == 0 { next }
	{	row = $1
		if (!(row in inm)) { printf "error: %s: row %s is not in the matrix conf\n", conf, row; bad = 1; next }
		if (row in seen) { printf "error: %s: row %s twice\n", conf, row; bad = 1; next }
		seen[row] = 1; got = ""
		for (i = 2; i <= NF; i++) {
			if ($i !~ /^[a-z0-9-]+=[a-z]+$/) { printf "error: %s: row %s: want variant=expectation, got %s\n", conf, row, $i; bad = 1; continue }
			split($i, kv, "=")
			if (kv[1] != "unpatched" && kv[1] != "patched" && !(kv[1] in layer)) {
				printf "error: %s: row %s: %s is not unpatched, patched or a TGT_VARIANTS layer\n", conf, row, kv[1]; bad = 1; continue }
			allowed = kv[1] == "unpatched" ? ok["unpatched"] : okv
			if (index(" " allowed " ", " " kv[2] " ") == 0) {
				printf "error: %s: row %s: %s=%s, want one of: %s\n", conf, row, kv[1], kv[2], allowed; bad = 1; continue }
			out[row, kv[1]] = kv[2]; got = got " " kv[1]
		}
		if (!((row, "unpatched") in out)) { printf "error: %s: row %s has no unpatched= expectation\n", conf, row; bad = 1 }
		if (!((row, "patched") in out)) out[row, "patched"] = "fix"
		order[++m] = row
	}
	END {
		for (i = 1; i <= n; i++) if (!(r[i] in seen)) { printf "error: %s: no expectation for row %s\n", conf, r[i]; bad = 1 }
		if (bad) exit 1
		for (i = 1; i <= m; i++) for (k in out) {
			split(k, p, SUBSEP); if (p[1] == order[i]) printf "%s\t%s\t%s\n", p[1], p[2], out[k] }
	}' <<<"$exp" | sort -s -t$'\t' -k1,1 -k2,2 >"${TMPDIR:-/tmp}/expect.$$" || true
if grep -q '^error: ' "${TMPDIR:-/tmp}/expect.$$"; then
	grep '^error: ' "${TMPDIR:-/tmp}/expect.$$" >&2
	rm -f "${TMPDIR:-/tmp}/expect.$$"
	exit 1
fi
cat "${TMPDIR:-/tmp}/expect.$$"
rm -f "${TMPDIR:-/tmp}/expect.$$"
