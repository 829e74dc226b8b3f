#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# series.sh TARGET [VARIANT]: make $BUILD/trees/TARGET/patched, a git
# worktree of the base commit with patches/TARGET applied by git am, in the
# order of patches/TARGET/series (or file-name order without one). Cover
# letters (0000-*) are not applied.
#
# VARIANT (default patched) may also name a layer variant of the target
# (TGT_VARIANTS in targets/TARGET.conf, e.g. "pcm-only:0001"): the worktree
# $BUILD/trees/TARGET/VARIANT then gets only the patches whose file names
# start with those numbers, in series order, then the lab-only patches it
# names (+NAME: lab/variants/TARGET/NAME.patch).
#
# A vendor tree that TGT_TREE_SERIES marks (NXP's 5.4) gets that series.
#
# Up to date when the base and the patch files are unchanged. A patch that
# does not apply aborts git am, returns the worktree to the commit it had
# before, and reports the patch and its rejected hunks.
#
# The worktree is this script's: while it changes it, $wt.busy exists
# (and $wt.lock is locked: a second run at once is refused). A run that
# finds that file was stopped in the middle (a killed job, a host restart:
# a half checked-out worktree, a git am under way), so it moves the
# worktree's files aside ($TGT_TREE/.stale-VARIANT, the last one kept) and
# makes it again. Local changes without that file are someone's edits, and
# are refused untouched.

. "$(dirname "$0")/lib.sh"

TARGET=${1:-${TARGET:-}}
VARIANT=${2:-patched}
load_target "$TARGET"
[ "$VARIANT" != unpatched ] || die "the unpatched tree is made by 'make tree TARGET=$TARGET'"
check_variant "$VARIANT"
if [ "$VARIANT" = patched ]; then
	start_log "series-$TARGET"
	idfile=$TGT_TREE/series.id
	headtag=series-head
else
	start_log "series-$TARGET-$VARIANT"
	idfile=$TGT_TREE/$VARIANT.series.id
	headtag=series-head-$VARIANT
fi

base_tree=$TGT_TREE/unpatched
wt=$TGT_TREE/$VARIANT
busy=$wt.busy
[ -d "$base_tree/.git" ] || die "no $TARGET tree; run 'make tree TARGET=$TARGET' first"

# A vendor tree may take a series of its own (TGT_TREE_SERIES), for which
# the layer variants are not defined.
base_show() { git -C "$base_tree" show "base:$1"; }
sdir=$(tree_series base_show)
if [ "$sdir" != "$TGT_SERIES_DIR" ]; then
	[ "$VARIANT" = patched ] ||
		die "variant $VARIANT is defined for ${TGT_SERIES_DIR#"$TOP"/}; this tree takes ${sdir#"$TOP"/}"
	say "series $TARGET: this tree takes ${sdir#"$TOP"/} (TGT_TREE_SERIES)"
	TGT_SERIES_DIR=$sdir
fi

mapfile -t patches < <("$TOP/scripts/series-list.sh" "$TGT_SERIES_DIR")
[ "${#patches[@]}" -gt 0 ] ||
	die "no patches in ${TGT_SERIES_DIR#"$TOP"/} (the $TARGET series is not written yet)"
if [ "$VARIANT" != patched ]; then
	# Each prefix names exactly one patch of the series; keep series order.
	mapfile -t prefixes < <(variant_prefixes "$VARIANT")
	sel=() lab=()
	for pre in "${prefixes[@]}"; do
		if [[ "$pre" == +* ]]; then
			lp=$TOP/${TGT_VARIANT_DIR:-lab/variants/$TGT_NAME}/${pre#+}.patch
			[ -f "$lp" ] || die "variant $VARIANT: no lab patch ${lp#"$TOP"/}"
			lab+=("$lp")
			continue
		fi
		hits=0
		for p in "${patches[@]}"; do
			case "$(basename "$p")" in "$pre"-*) hits=$((hits + 1)) ;; esac
		done
		[ "$hits" -eq 1 ] ||
			die "variant $VARIANT: prefix $pre matches $hits patches of ${TGT_SERIES_DIR#"$TOP"/} (want exactly 1)"
	done
	for p in "${patches[@]}"; do
		for pre in "${prefixes[@]}"; do
			case "$(basename "$p")" in "$pre"-*) sel+=("$p") ;; esac
		done
	done
	patches=("${sel[@]}" "${lab[@]}")
fi
what="series $TARGET"
[ "$VARIANT" = patched ] || what="series $TARGET variant $VARIANT"

exec 9>"$wt.lock"
flock -n 9 || die "another series.sh is changing $wt now"
if [ -e "$busy" ]; then
	stale=$TGT_TREE/.stale-$VARIANT
	say "$what: an earlier run stopped while changing $wt; its files go to $stale, and the worktree is made again"
	# git locks a worktree while it checks it out ("initializing"); a
	# stopped git worktree add leaves the lock.
	run git -C "$base_tree" worktree unlock "$wt" || true
	rm -rf "$stale"
	if [ -e "$wt" ]; then
		mv "$wt" "$stale" || die "cannot move $wt aside"
	fi
	run git -C "$base_tree" worktree prune
	rm -f "$busy" "$idfile"
fi

id=$( (git -C "$base_tree" rev-parse base; cat "${patches[@]}") | sha256sum | cut -d' ' -f1)
if [ -d "$wt" ] && [ "$(cat "$idfile" 2>/dev/null)" = "$id" ] &&
   [ -z "$(git -C "$wt" status --porcelain)" ]; then
	say "$what: up to date (${#patches[@]} patches)"
	exit 0
fi

g() { git -C "$wt" -c user.name=imx6-lab -c user.email=imx6-lab@localhost "$@"; }

if [ ! -d "$wt" ]; then
	run git -C "$base_tree" worktree prune
	: >"$busy"
	# One checkout worker per core: measured 30-32 s against 42-43 s
	# for a 6.1 tree on 2 cores.
	run git -C "$base_tree" -c checkout.workers=0 worktree add --detach "$wt" base ||
		die "cannot create the $VARIANT worktree"
	prev=$(g rev-parse HEAD)
else
	[ -z "$(git -C "$wt" status --porcelain)" ] ||
		die "$wt has local changes; commit or discard them (nothing was touched)"
	prev=$(g rev-parse HEAD)
	: >"$busy"
	# Only files that differ change, so the O= build stays incremental.
	run g checkout -q --detach base || die "cannot reset $wt to base"
fi
rm -f "$idfile"

n=0
for p in "${patches[@]}"; do
	n=$((n + 1))
	# The committer date is the patch's own: the same series on the same
	# base gives the same commits, so the same kernel release.
	if ! run g am -q --no-3way --committer-date-is-author-date "$p"; then
		rej=$LOGS/series-$TARGET-reject.log
		{
			echo "# $p does not apply on $(g rev-parse --short HEAD)"
			g apply --check --verbose "$p" 2>&1 || true
		} >"$rej"
		# Back to where it was, or left marked as stopped halfway.
		if run g am --abort && run g checkout -q --detach "$prev"; then
			rm -f "$busy"
		fi
		first=$(grep -m1 -E '^error:' "$rej" || echo "see $rej")
		die "patch $n/${#patches[@]} $(basename "$p") does not apply: $first (rejects: $rej; tree left at its previous commit)"
	fi
done
run g tag -f "$headtag"
echo "$id" >"$idfile"
rm -f "$busy"
say "$what: applied ${#patches[@]} patches on base -> $wt ($(for p in "${patches[@]}"; do basename "$p" | cut -c1-4; done | paste -sd,))"
