#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/compare-results.sh REV [FILE]: compare the lab matrix of
# docs/results/README.md as committed at REV with FILE (default: the
# working tree's docs/results/README.md), row by row.
#
# A row is (target, variant, row). For each row in both tables it
# compares the guest verdict, whether the SDMA model counted settle
# hazards (none / some), and the dmesg verdict; the counts themselves
# (cycles, hazards, SSI events) are printed when they differ but are not
# a verdict change. Rows in one table only are listed. Ends with one line:
# "N rows compared, N verdict changes, N count changes, N only in REV,
# N only in FILE"; exits 1 when a verdict changed, 2 when either side
# has no matrix. A hazards count that is not a number (- : no trace) is
# compared as itself, not as "no hazards". When REV is older than
# 4006ae8, a dmesg verdict of bad in REV and leak in FILE, with the rest
# of the verdict the same, is listed as "renamed" and counted apart, not
# as a verdict change: since 4006ae8 lab/verdict.sh says leak where
# kmemleak's report was the only finding, which before said bad.
#
#   make compare-results REV=ae117ac

. "$(dirname "$0")/lib.sh"

rev=${1:-}
new=${2:-$TOP/docs/results/README.md}
[ -n "$rev" ] || die "usage: scripts/compare-results.sh REV [FILE]"
git -C "$TOP" rev-parse -q --verify "$rev^{commit}" >/dev/null ||
	die "REV=$rev: not a commit of this repository"
[ -f "$new" ] || die "$new: no such file (make report writes it)"

# Before 4006ae8 (or without it in this clone's history) bad -> leak
# may be that renaming.
legacy=0
git -C "$TOP" merge-base --is-ancestor 4006ae8 "$rev" 2>/dev/null || legacy=1

old=$(mktemp)
trap 'rm -f "$old"' EXIT
git -C "$TOP" show "$rev:docs/results/README.md" >"$old" 2>/dev/null ||
	die "$rev has no docs/results/README.md"

# The lines of the "## Matrix" section: | target | variant | row | expected | guest | cycles |
# hazards | ssi | dmesg | reason |, first column a target name.
awk -F' *\\| *' -v oldf="$old" -v newf="$new" -v legacy="$legacy" '
function load(f, t,    line, a, k, insec) {
	insec = 0
	while ((getline line < f) > 0) {
		if (line ~ /^## /)
			insec = (line ~ /^## Matrix/)
		if (!insec || line !~ /^\|/ || line ~ /^\| *target *\|/ || line ~ /^\|-/)
			continue
		split(line, a, / *\| */)
		k = a[2] SUBSEP a[3] SUBSEP a[4]
		t[k] = a[6] "|" (a[8] ~ /^[0-9]+$/ ? (a[8] + 0 > 0 ? "hazards" : "no hazards") : "hazards " a[8]) "|" a[10]
		c[f, k] = a[7] "; hazards " a[8] "; ssi " a[9]
		order[f, ++n[f]] = k
	}
	close(f)
}
function show(k) { split(k, p, SUBSEP); return p[1] " " p[2] " " p[3] }
BEGIN {
	load(oldf, o); load(newf, w)
	if (!n[oldf] || !n[newf]) {
		printf "error: no lab matrix (a \"## Matrix\" table) in %s\n", (!n[oldf] ? "the old README.md" : newf) > "/dev/stderr"
		exit 2
	}
	for (i = 1; i <= n[oldf]; i++) {
		k = order[oldf, i]
		if (!(k in w)) { print "only in old: " show(k); oo++; continue }
		cmp++
		ov = o[k]
		if (legacy && ov ~ /\|bad$/ && w[k] ~ /\|leak$/ &&
		    substr(ov, 1, length(ov) - 3) == substr(w[k], 1, length(w[k]) - 4)) {
			print "renamed " show(k) ": dmesg bad -> leak (kmemleak alone)"; rn++
			ov = w[k]
		}
		if (ov != w[k]) {
			print "VERDICT " show(k) ": " o[k] " -> " w[k]; vc++
		} else if (c[oldf, k] != c[newf, k]) {
			print "counts  " show(k) ": " c[oldf, k] " -> " c[newf, k]; cc++
		}
	}
	for (i = 1; i <= n[newf]; i++)
		if (!(order[newf, i] in o)) { print "only in new: " show(order[newf, i]); on++ }
	printf "%d rows compared, %d verdict changes, %d count changes, %d only in old, %d only in new",
		cmp, vc, cc, oo, on
	if (rn)
		printf ", %d dmesg bad -> leak", rn
	printf "\n"
	exit (vc > 0)
}' </dev/null
