#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# checkpatch-run.sh [-k KERNEL_TREE] SERIES_DIR|TARGET [PATCH...]
#
# Run the kernel tree's scripts/checkpatch.pl --strict on every patch of a
# series (cover letter excluded), print a table of errors, warnings and
# checks per patch, and exit non-zero if any patch has one.
# The checkpatch.pl is the newest tree's the lab has (the newest
# TGT_KVERSION among the targets/ that come from a package, today
# mainline), whatever tree the series targets: upstream's rules of today
# apply to every series we send. -k KERNEL_TREE uses another tree's.
# Committed patches carry no Signed-off-by (only the human submitter
# certifies the DCO; make send adds theirs), so each is checked as make
# send emits it: with "Signed-off-by: Submitter <submitter@example.org>"
# added after its trailers when it has none.
# Each patch is checked twice: from inside the tree's git work tree and
# from outside any git tree (--root), where checkpatch checks commit
# references differently (GIT_COMMIT_ID); the table shows the larger
# counts.
#
# The lab's trees have no upstream history, so checkpatch.pl cannot look
# up the commits a patch cites (UNKNOWN_COMMIT_ID). In such a tree that
# one check is replaced by scripts/commit-refs.pl, which checks every
# Fixes:/commit reference against patches/upstream-commits.txt; the
# "refs" column counts its findings.

. "$(dirname "$0")/lib.sh"

ktree=
while getopts k: opt; do
	case $opt in
	k) ktree=$OPTARG ;;
	*) die "usage: checkpatch-run.sh [-k KERNEL_TREE] SERIES_DIR|TARGET [PATCH...]" ;;
	esac
done
shift $((OPTIND - 1))
arg=${1:-}
[ -n "$arg" ] || die "usage: checkpatch-run.sh [-k KERNEL_TREE] SERIES_DIR|TARGET [PATCH...]"
shift

if [ -d "$arg" ]; then
	sdir=$(cd "$arg" && pwd)
	# The log is named after the directory; one under $BUILD after its
	# path there (send/TARGET/outgoing: send-TARGET-outgoing, one per
	# target, as 50-send checks them at once).
	case "$sdir" in
	"$BUILD"/*) tname=${sdir#"$BUILD"/} tname=${tname//\//-} ;;
	*) tname=$(basename "$sdir") ;;
	esac
else
	load_target "$arg"
	sdir=$TGT_SERIES_DIR
	tname=$arg
fi
if [ -z "$ktree" ]; then
	nt=$(newest_target)
	[ -n "$nt" ] || die "no target comes from a package; pass -k KERNEL_TREE"
	ktree=$TREES/$nt/unpatched
	[ -d "$ktree" ] || "$TOP/scripts/tree.sh" "$nt" >/dev/null ||
		die "no $nt tree for checkpatch.pl; run 'make tree TARGET=$nt' or pass -k"
fi
cp=$ktree/scripts/checkpatch.pl
[ -x "$cp" ] || [ -f "$cp" ] || die "$cp not found"
start_log "checkpatch-$tname"

if [ $# -gt 0 ]; then
	patches=()
	for p in "$@"; do
		[ -f "$p" ] || die "$p does not exist"
		patches+=("$(cd "$(dirname "$p")" && pwd)/$(basename "$p")")
	done
else
	mapfile -t patches < <("$TOP/scripts/series-list.sh" "$sdir")
fi
[ "${#patches[@]}" -gt 0 ] || die "no patches in $sdir"

known=$TOP/patches/upstream-commits.txt
cpopts=(--strict --show-types)
if [ "$(git -C "$ktree" rev-list --count HEAD 2>/dev/null || echo 0)" -lt 1000 ]; then
	cpopts+=(--ignore UNKNOWN_COMMIT_ID)
	say "checkpatch: $ktree has no upstream history; commit ids are checked against ${known#"$TOP"/}"
fi

say "checkpatch: $(kversion "$ktree") scripts/checkpatch.pl ($ktree)"
outside=$(mktemp -d)
trap 'rm -rf "$outside"' EXIT
printf '%-64s %6s %8s %6s %4s\n' patch errors warnings checks refs
bad=0
for p in "${patches[@]}"; do
	sent=$outside/sent.patch
	# The author becomes the submitter too (make send replaces the
	# series' placeholder author), a From: header folded or not.
	awk -v ph="$PLACEHOLDER_EMAIL" '
	     hdr && /^From: / { from = $0; infrom = 1; next }
	     hdr && infrom && /^[ \t]/ { from = from $0; next }
	     hdr && infrom { infrom = 0
		print (index(from, ph) ? "From: Submitter <submitter@example.org>" : from) }
	     hdr && /^$/ { hdr = 0 }
	     NR == 1 { hdr = 1 }
	     !done && /^---$/ && !signed { print "Signed-off-by: Submitter <submitter@example.org>"; done = 1 }
	     /^Signed-off-by: / && !done { signed = 1 }
	     { print }' "$p" >"$sent"
	# The two runs at once (each is one single-threaded perl).
	(cd "$outside" && perl "$cp" --root="$ktree" "${cpopts[@]}" "$sent" >"$outside/res2" 2>&1) &
	res=$(cd "$ktree" && perl "$cp" "${cpopts[@]}" "$sent" 2>&1) || true
	wait $! || true
	res2=$(cat "$outside/res2")
	# the larger of the two runs' totals, and the findings of both
	l1=$(printf '%s\n' "$res" | grep -E '^total: [0-9]+ errors' | tail -n1)
	l2=$(printf '%s\n' "$res2" | grep -E '^total: [0-9]+ errors' | tail -n1)
	if [ -n "$l1" ] && [ -n "$l2" ] && [ "$l1" != "$l2" ]; then
		res=$(printf '%s\n(outside a git tree:)\n%s\n' "$res" "$(printf '%s\n' "$res2" | grep -E '^(ERROR|WARNING|CHECK):')")
		res=$(printf '%s\n%s\n' "$res" "$(paste -d' ' <(tr -cs '0-9' ' ' <<<"$l1") <(tr -cs '0-9' ' ' <<<"$l2") |
			awk '{ printf "total: %d errors, %d warnings, %d checks", ($1 > $5 ? $1 : $5), ($2 > $6 ? $2 : $6), ($3 > $7 ? $3 : $7) }')")
	elif [ -z "$l2" ]; then
		printf '### %s (outside a git tree)\n%s\n' "$p" "$res2" >>"$LOG"
		printf '%-64s %s\n' "$(basename "$p")" "checkpatch produced no total outside a git tree"
		bad=1
		continue
	fi
	refs=$(perl "$TOP/scripts/commit-refs.pl" "$known" "$p" 2>&1) || true
	nrefs=$(printf '%s' "$refs" | grep -c . || true)
	printf '### %s\n%s\n' "$p" "$res" >>"$LOG"
	line=$(printf '%s\n' "$res" | grep -E '^total: [0-9]+ errors' | tail -n1)
	if [ -z "$line" ]; then
		printf '%-64s %s\n' "$(basename "$p")" "checkpatch produced no total"
		bad=1
		continue
	fi
	read -r e w c < <(echo "$line" | sed -E 's/total: ([0-9]+) errors, ([0-9]+) warnings, ([0-9]+) checks.*/\1 \2 \3/')
	printf '%-64s %6s %8s %6s %4s\n' "$(basename "$p")" "$e" "$w" "$c" "$nrefs"
	if [ "$e" != 0 ] || [ "$w" != 0 ] || [ "$c" != 0 ] || [ "$nrefs" != 0 ]; then
		bad=1
		printf '%s\n' "$res" | grep -E '^(ERROR|WARNING|CHECK):' | sed 's/^/    /'  || true
		printf '%s\n' "$refs" | grep . | sed 's/^/    REFS: /' || true
	fi
done
if [ $bad -ne 0 ]; then
	say "checkpatch: problems found (log: $LOG)"
	exit 1
fi
say "checkpatch: ${#patches[@]} patches clean"
