#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# series.sh TARGET: make $BUILD/trees/TARGET/patched, a git worktree of the
# base commit with patches/TARGET applied by git am, in the order of
# patches/TARGET/series (or file-name order without one). Cover letters
# (0000-*) are not applied.
#
# Up to date when the base and the patch files are unchanged. A patch that
# does not apply aborts git am, returns the worktree to the commit it had
# before, and reports the patch and its rejected hunks.

. "$(dirname "$0")/lib.sh"

TARGET=${1:-${TARGET:-}}
load_target "$TARGET"
start_log "series-$TARGET"

base_tree=$TGT_TREE/unpatched
wt=$TGT_TREE/patched
[ -d "$base_tree/.git" ] || die "no $TARGET tree; run 'make tree TARGET=$TARGET' first"

mapfile -t patches < <("$TOP/scripts/series-list.sh" "$TGT_SERIES_DIR")
[ "${#patches[@]}" -gt 0 ] ||
	die "no patches in ${TGT_SERIES_DIR#"$TOP"/} (the $TARGET series is not written yet)"

id=$( (git -C "$base_tree" rev-parse base; cat "${patches[@]}") | sha256sum | cut -d' ' -f1)
if [ -d "$wt" ] && [ "$(cat "$TGT_TREE/series.id" 2>/dev/null)" = "$id" ] &&
   [ -z "$(git -C "$wt" status --porcelain)" ]; then
	say "series $TARGET: up to date (${#patches[@]} patches)"
	exit 0
fi

g() { git -C "$wt" -c user.name=imx6-lab -c user.email=imx6-lab@localhost "$@"; }

if [ ! -d "$wt" ]; then
	run git -C "$base_tree" worktree prune
	run git -C "$base_tree" worktree add --detach "$wt" base ||
		die "cannot create the patched worktree"
	prev=$(g rev-parse HEAD)
else
	[ -z "$(git -C "$wt" status --porcelain)" ] ||
		die "$wt has local changes; commit or discard them (nothing was touched)"
	prev=$(g rev-parse HEAD)
	# Only files that differ change, so the O= build stays incremental.
	run g checkout -q --detach base || die "cannot reset $wt to base"
fi
rm -f "$TGT_TREE/series.id"

n=0
for p in "${patches[@]}"; do
	n=$((n + 1))
	if ! run g am -q --no-3way "$p"; then
		rej=$LOGS/series-$TARGET-reject.log
		{
			echo "# $p does not apply on $(g rev-parse --short HEAD)"
			g apply --check --verbose "$p" 2>&1 || true
		} >"$rej"
		run g am --abort || true
		run g checkout -q --detach "$prev" || true
		first=$(grep -m1 -E '^error:' "$rej" || echo "see $rej")
		die "patch $n/${#patches[@]} $(basename "$p") does not apply: $first (rejects: $rej; tree left at its previous commit)"
	fi
done
run g tag -f series-head
echo "$id" >"$TGT_TREE/series.id"
say "series $TARGET: applied ${#patches[@]} patches on base -> $wt"
