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
# settle time), leak (the test passed and a kmemleak report alone failed
# the run: the leak check's positive control), any (reported, not
# judged). patched (default fix) and the layer variants of TGT_VARIANTS:
# fix (passes, no hazard, dmesg clean), pass (passes; hazards reported),
# recovers (every XRUN recovers, no hazard, dmesg clean; data breaks
# reported), fail, hazard, leak, any. A layer variant runs only the rows
# that name it. '#' starts a comment.
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
# Errors go to stderr and fail the script (pipefail); the lines come out
# sorted by row, then variant.
awk -v conf="$conf" -v rowlist="$rows" '
	function err(msg) { printf "error: %s: %s\n", conf, msg >"/dev/stderr"; bad = 1 }
	BEGIN { n = split(rowlist, r, "\n"); for (i = 1; i <= n; i++) inm[r[i]] = 1
		oku = "pass fail hazard leak any"; okv = "fix pass recovers fail hazard leak any" }
	/^#variant / { layer[$2] = 1; next }
	{ sub(/#.*/, "") }
	NF == 0 { next }
	{	row = $1
		if (!(row in inm)) { err("row " row " is not in the matrix conf"); next }
		if (row in seen) { err("row " row " twice"); next }
		seen[row] = 1
		for (i = 2; i <= NF; i++) {
			if ($i !~ /^[a-z0-9-]+=[a-z]+$/) { err("row " row ": want variant=expectation, got " $i); continue }
			split($i, kv, "=")
			if (kv[1] != "unpatched" && kv[1] != "patched" && !(kv[1] in layer)) {
				err("row " row ": " kv[1] " is not unpatched, patched or a TGT_VARIANTS layer"); continue }
			allowed = kv[1] == "unpatched" ? oku : okv
			if (index(" " allowed " ", " " kv[2] " ") == 0) {
				err("row " row ": " kv[1] "=" kv[2] ", want one of: " allowed); continue }
			out[row "\t" kv[1]] = kv[2]
		}
		if (!((row "\tunpatched") in out)) err("row " row " has no unpatched= expectation")
		if (!((row "\tpatched") in out)) out[row "\tpatched"] = "fix"
	}
	END {
		for (i = 1; i <= n; i++) if (!(r[i] in seen)) err("no expectation for row " r[i])
		if (bad) exit 1
		for (k in out) printf "%s\t%s\n", k, out[k]
	}' <<<"$exp" | sort -s -t$'\t' -k1,1 -k2,2
