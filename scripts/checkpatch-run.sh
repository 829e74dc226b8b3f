#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# checkpatch-run.sh [-k KERNEL_TREE] SERIES_DIR|TARGET [PATCH...]
#
# Run the kernel tree's scripts/checkpatch.pl --strict on every patch of a
# series (cover letter excluded), print a table of errors, warnings and
# checks per patch, and exit non-zero if any patch has one.
# The tree defaults to the target's unpatched tree; with a series
# directory and no -k, the target is taken from the directory name.
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
	tname=$(basename "$sdir")
else
	load_target "$arg"
	sdir=$TGT_SERIES_DIR
	tname=$arg
fi
if [ -z "$ktree" ]; then
	[ -f "$TOP/targets/$tname.conf" ] ||
		die "cannot tell the kernel tree for $sdir; pass -k KERNEL_TREE"
	ktree=$TREES/$tname/unpatched
	[ -d "$ktree" ] || die "no $tname tree; run 'make tree TARGET=$tname' or pass -k"
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

printf '%-64s %6s %8s %6s %4s\n' patch errors warnings checks refs
bad=0
for p in "${patches[@]}"; do
	res=$(cd "$ktree" && perl "$cp" "${cpopts[@]}" "$p" 2>&1) || true
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
		printf '%s\n' "$res" | grep -E '^(ERROR|WARNING|CHECK):' | sed 's/^/    /'
		printf '%s\n' "$refs" | grep . | sed 's/^/    REFS: /'
	fi
done
if [ $bad -ne 0 ]; then
	say "checkpatch: problems found (log: $LOG)"
	exit 1
fi
say "checkpatch: ${#patches[@]} patches clean"
