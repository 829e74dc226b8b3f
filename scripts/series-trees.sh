#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# series-trees.sh TARGET [TREE...]: apply patches/TARGET with git am to
# every tree of that kernel line this machine has, not only the pinned one:
# $BUILD/src/TARGET (the pinned tree), every entry of $BUILD/src/TARGET.d/
# (links to more trees, named as you like, e.g. 5.4.214 -> a clone) and
# the TREE arguments. A tree is a source directory or a git repository
# (bare or not; its HEAD), whose top or single top-level directory holds
# the kernel (some public snapshots keep the tree in a subdirectory named
# linux-X.Y.Z, and some lack files, even the Makefile: the version is then
# taken from that name). Only the files the series touches are copied out.
# A tree that TGT_TREE_SERIES of targets/TARGET.conf marks as a vendor
# tree (NXP's 5.4) gets that series instead, and its line says which.
#
# One line per tree on stdout:
#   TREE<TAB>VERSION<TAB>ok|FAIL|SKIP<TAB>detail
# A patch all of whose files the tree lacks (an incomplete snapshot) is
# not applied and said so; any other patch that does not apply is a FAIL
# with its first rejected hunk. Exit status 1 when a tree failed.

. "$(dirname "$0")/lib.sh"

TARGET=${1:-${TARGET:-}}
load_target "$TARGET"
shift || true
start_log "series-trees-$TARGET"

# use_series DIR: the patches of DIR and the files they touch.
use_series() {
	sdir=$1
	mapfile -t patches < <("$TOP/scripts/series-list.sh" "$sdir")
	[ "${#patches[@]}" -gt 0 ] || die "no patches in ${sdir#"$TOP"/}"
	mapfile -t files < <(patch_files "${patches[@]}")
}
use_series "$TGT_SERIES_DIR"

trees=()
[ -e "$BUILD/src/$TARGET" ] && trees+=("$BUILD/src/$TARGET")
if [ -d "$BUILD/src/$TARGET.d" ]; then
	for t in "$BUILD/src/$TARGET.d"/*; do
		[ -e "$t" ] && trees+=("$t")
	done
fi
trees+=("$@")
[ "${#trees[@]}" -gt 0 ] ||
	die "no $TARGET tree: link one at $BUILD/src/$TARGET and more under $BUILD/src/$TARGET.d/"

scratch=$(mktemp -d "${TMPDIR:-/tmp}/imx6-lab-series-trees.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

# show TREE PATH: print the file's contents at TREE (set up by open_tree).
show() {
	if [ -n "$git" ]; then
		git -C "$git" show "HEAD:$prefix$1" 2>/dev/null
	else
		cat "$dir/$1" 2>/dev/null
	fi
}

# open_tree TREE: set git (a repository) or dir (a directory), and prefix.
open_tree() {
	local t=$1 sub
	git='' dir='' prefix=''
	if [ -d "$t" ] && git -C "$t" rev-parse --git-dir >/dev/null 2>&1 &&
	   [ "$(git -C "$t" rev-parse --show-toplevel 2>/dev/null || echo bare)" != "$(cd "$t" && pwd -P)" ] &&
	   [ -f "$t/Makefile" ]; then
		dir=$t	# a directory inside some other repository
	elif git -C "$t" rev-parse --verify -q HEAD >/dev/null 2>&1; then
		git=$t
		if ! git -C "$t" cat-file -e HEAD:Makefile 2>/dev/null; then
			sub=$(git -C "$t" ls-tree --name-only HEAD | while read -r d; do
				git -C "$t" cat-file -e "HEAD:$d/drivers/dma" 2>/dev/null &&
					git -C "$t" cat-file -e "HEAD:$d/sound/core" 2>/dev/null && echo "$d"
			done)
			[ "$(wc -l <<<"$sub")" = 1 ] && [ -n "$sub" ] || return 1
			prefix=$sub/
		fi
	elif [ -f "$t/Makefile" ]; then
		dir=$t
	else
		return 1
	fi
}

fail=0
n=0
for t in "${trees[@]}"; do
	n=$((n + 1))
	name=${t#"$BUILD"/}
	if ! open_tree "$t"; then
		printf '%s\t-\tFAIL\tno kernel tree at its top or in one top-level directory\n' "$name"
		fail=1
		continue
	fi
	ver=$(show Makefile | awk '/^VERSION =/{v=$3} /^PATCHLEVEL =/{p=$3} /^SUBLEVEL =/{s=$3} END{if (v != "") print v "." p "." s}' || true)
	vnote=
	if [ -z "$ver" ] && [[ "$prefix" =~ ^linux-([0-9]+\.[0-9]+\.[0-9]+)/$ ]]; then
		ver=${BASH_REMATCH[1]}
		vnote=" (version from the directory name: the snapshot has no Makefile)"
	fi
	if [[ "$ver" != "$TGT_KVERSION".* ]]; then
		printf '%s\t%s\tFAIL\t%s\n' "$name" "${ver:--}" \
			"$([ -n "$ver" ] && echo "not a $TGT_KVERSION tree" || echo "version unknown (no Makefile, no linux-X.Y.Z directory)")"
		fail=1
		continue
	fi
	# A vendor tree may need a series of its own (TGT_TREE_SERIES).
	use_series "$(tree_series show)"
	snote=
	[ "$sdir" = "$TGT_SERIES_DIR" ] || snote="${sdir#"$TOP"/}: "
	r=$scratch/$n
	mkdir -p "$r"
	absent=()
	for f in "${files[@]}"; do
		mkdir -p "$r/$(dirname "$f")"
		show "$f" >"$r/$f" || { rm -f "$r/$f"; absent+=("$f"); }
	done
	g() { git -C "$r" -c user.name=imx6-lab -c user.email=imx6-lab@localhost \
		-c commit.gpgsign=false -c core.hooksPath=/dev/null "$@"; }
	if ! { g init -q && g add -A && g commit -q --allow-empty -m base; } >>"$LOG" 2>&1; then
		printf '%s\t%s\tFAIL\tcannot make a scratch repository (log: %s)\n' "$name" "$ver" "$LOG"
		fail=1
		continue
	fi
	applied=0 notes=() bad=
	for p in "${patches[@]}"; do
		pn=$(basename "$p" | cut -c1-4)
		if g am -q --no-3way "$p" >>"$LOG" 2>&1; then
			applied=$((applied + 1))
			continue
		fi
		g am --abort >>"$LOG" 2>&1 || true
		mapfile -t pf < <(patch_files "$p")
		lacks=1
		for f in "${pf[@]}"; do
			printf '%s\n' "${absent[@]}" | grep -qxF "$f" || lacks=0
		done
		if [ "$lacks" = 1 ]; then
			notes+=("$pn not applied: the tree lacks $(printf '%s ' "${pf[@]}" | sed 's/ $//')")
			continue
		fi
		bad=$({ g apply --check "$p" 2>&1 || true; } | grep -m1 '^error:' || true)
		bad="$pn ${bad:-does not apply}"
		break
	done
	[ -n "$bad" ] || [ "$applied" -gt 0 ] || bad="no patch applied (${notes[*]})"
	if [ -n "$bad" ]; then
		printf '%s\t%s\tFAIL\t%s%s%s\n' "$name" "$ver" "$snote" "$bad" "$vnote"
		fail=1
	else
		detail="$applied of ${#patches[@]} patches applied"
		[ "${#notes[@]}" -eq 0 ] || detail="$detail; $(printf '%s; ' "${notes[@]}" | sed 's/; $//')"
		printf '%s\t%s\tok\t%s%s%s\n' "$name" "$ver" "$snote" "$detail" "$vnote"
	fi
done
say "series-trees $TARGET: ${#trees[@]} trees (log: $LOG)"
exit "$fail"
