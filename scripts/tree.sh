#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# tree.sh TARGET: make $BUILD/trees/TARGET/unpatched, a git work tree of the
# pristine kernel whose base commit is tagged "base".
#
# The tree comes from the target's Debian package (pinned version and
# sha256) or, for any target, from KERNEL_SRC=<dir or git repository>.
# KERNEL_SRC_5_4=... and the like do the same for one target among several.
# Idempotent: an existing tree made from the same source is kept. A new
# tree is assembled beside the old one and swapped in only when complete.

. "$(dirname "$0")/lib.sh"

TARGET=${1:-${TARGET:-}}
load_target "$TARGET"
build_lock "tree-$TARGET" "$@"
start_log "tree-$TARGET"

src_id=
src_desc=
src_what=

# KERNEL_SRC names the tree of the one TARGET being made; runs over several
# targets take KERNEL_SRC_<target> (dots as underscores: KERNEL_SRC_5_4).
tvar=KERNEL_SRC_${TARGET//./_}
KERNEL_SRC=${KERNEL_SRC:-${!tvar:-}}
# A tree no registry carries (TGT_SOURCE=kernel_src) may also be linked at
# $BUILD/src/TARGET (a directory or git repository; README.md, Targets).
# That default place must hold the pinned version (TGT_PIN_VERSION), so
# that an unattended run (CI) builds what the results were measured on.
pinned=
if [ -z "${KERNEL_SRC:-}" ] && [ "$TGT_SOURCE" = kernel_src ] && [ -e "$BUILD/src/$TARGET" ]; then
	KERNEL_SRC=$BUILD/src/$TARGET
	pinned=${TGT_PIN_VERSION:-}
fi

# Resolve where the tree comes from and a string identifying it.
if [ -n "${KERNEL_SRC:-}" ]; then
	[ -e "$KERNEL_SRC" ] || die "KERNEL_SRC=$KERNEL_SRC does not exist"
	# The physical path: a tree reached through a link (the one at
	# $BUILD/src/5.4) and by its own path (KERNEL_SRC_5_4) is one tree.
	KS=$(cd "$KERNEL_SRC" && pwd -P)
	ref=${KERNEL_SRC_REF:-HEAD}
	bare=$(git -C "$KS" rev-parse --is-bare-repository 2>/dev/null || echo none)
	if [ "$bare" = true ] ||
	   { [ "$bare" = false ] &&
	     [ "$(git -C "$KS" rev-parse --show-toplevel)" = "$KS" ] &&
	     [ -z "$(git -C "$KS" status --porcelain --untracked-files=no)" ]; }; then
		commit=$(git -C "$KS" rev-parse --verify -q "$ref^{commit}") ||
			die "KERNEL_SRC=$KS: no commit '$ref' (set KERNEL_SRC_REF)"
		mode=git
		mk=$(git -C "$KS" show "$commit:Makefile" 2>/dev/null) ||
			die "KERNEL_SRC=$KS: no Makefile at $ref; not a kernel tree"
		src_id="git2:$KS:$commit"
		src_desc="$KS at $commit"
		src_what="commit $commit"
	else
		mode=dir
		[ -f "$KS/Makefile" ] || die "KERNEL_SRC=$KS has no Makefile; not a kernel tree"
		mk=$(cat "$KS/Makefile")
		src_id="dir:$KS"
		src_desc="$KS (copied)"
		src_what="a copied directory"
	fi
	ver=$(printf '%s\n' "$mk" | awk -F' *= *' '
		$1 == "VERSION" { v = $2 } $1 == "PATCHLEVEL" { p = $2 }
		$1 == "SUBLEVEL" { s = $2 }
		END { if (v != "") printf "%s.%s.%s", v, p, s }')
	[ -n "$ver" ] || die "KERNEL_SRC=$KS: no VERSION/PATCHLEVEL in its Makefile; not a kernel tree"
	case "$ver" in
	"$TGT_KVERSION".*) ;;
	*) die "KERNEL_SRC=$KS is Linux $ver; TARGET $TARGET needs a $TGT_KVERSION.y tree" ;;
	esac
	if [ -n "$pinned" ] && [ "$ver" != "$pinned" ]; then
		die "$BUILD/src/$TARGET is Linux $ver, the pinned $TARGET tree is $pinned (targets/$TARGET.conf): link a $pinned tree there, or give another tree with KERNEL_SRC_${TARGET//./_}=..."
	fi
elif [ "$TGT_SOURCE" = debian ]; then
	deb=$DL/${TGT_DEB_PACKAGE}_${TGT_DEB_VERSION}_all.deb
	src_id="deb:$TGT_DEB_PACKAGE=$TGT_DEB_VERSION:$TGT_DEB_SHA256"
	src_desc="Debian $TGT_DEB_PACKAGE $TGT_DEB_VERSION"
	src_what=$src_desc
	mode=deb
else
	if [ -f "$TGT_TREE/source.id" ] && [ -d "$TGT_TREE/unpatched/.git" ]; then
		say "tree $TARGET: using the existing tree from $(cut -d: -f2- "$TGT_TREE/source.id")"
		exit 0
	fi
	die "TARGET $TARGET needs KERNEL_SRC=<path to a $TGT_KVERSION.y kernel tree or git repository>, or a $TGT_KVERSION.y tree linked at $BUILD/src/$TARGET${TGT_PIN_VERSION:+ (version $TGT_PIN_VERSION)}: no package registry here carries $TGT_KVERSION"
fi

if [ -d "$TGT_TREE/unpatched/.git" ] && [ -f "$TGT_TREE/source.id" ] &&
   [ "$(cat "$TGT_TREE/source.id")" = "$src_id" ] &&
   git -C "$TGT_TREE/unpatched" rev-parse -q --verify base >/dev/null; then
	say "tree $TARGET: up to date ($src_desc)"
	exit 0
fi

new=$TREES/.$TARGET.new
rm -rf "$new"
mkdir -p "$new/unpatched"
trap 'rm -rf "$new"' EXIT

t0=$(date +%s)
case $mode in
deb)
	if [ ! -f "$deb" ]; then
		say "tree $TARGET: downloading $TGT_DEB_PACKAGE=$TGT_DEB_VERSION"
		(cd "$DL" && run apt-get download "$TGT_DEB_PACKAGE=$TGT_DEB_VERSION") ||
			die "cannot download $TGT_DEB_PACKAGE=$TGT_DEB_VERSION from apt (is the $TGT_DEB_SUITE suite configured? run scripts/apt-setup.sh)"
		# apt-get names the file after the version with ':' escaped.
		[ -f "$deb" ] || die "apt-get download did not produce $deb"
	fi
	sum=$(sha256sum "$deb" | cut -d' ' -f1)
	if [ "$sum" != "$TGT_DEB_SHA256" ]; then
		mv -f "$deb" "$deb.bad"
		die "checksum mismatch for $(basename "$deb"): expected $TGT_DEB_SHA256, got $sum (moved aside to $deb.bad)"
	fi
	say "tree $TARGET: extracting $src_desc"
	dpkg-deb --fsys-tarfile "$deb" | tar -xO "./$TGT_DEB_TARBALL" |
		tar -xJ -C "$new/unpatched" --strip-components=1 2>>"$LOG" ||
		die "cannot extract $TGT_DEB_TARBALL from $deb"
	;;
git)
	say "tree $TARGET: archiving $src_desc"
	# Some public snapshots lack a few blobs; archive would fail on them.
	# Leave exactly those files out, and say which.
	git -C "$KS" ls-tree -r "$commit" | awk '$2 == "blob" { print $3 }' |
		git -C "$KS" cat-file --batch-check='%(objectname) %(objecttype)' \
		>"$new/objects" 2>>"$LOG" || die "cannot list the objects of $src_desc"
	excl=()
	if grep -q ' missing$' "$new/objects"; then
		git -C "$KS" ls-tree -r "$commit" |
			awk 'NR == FNR { if ($2 == "missing") miss[$1] = 1; next }
			     $3 in miss { sub(/^[^\t]*\t/, ""); print }' \
			"$new/objects" - >"$new/absent-files"
		while read -r f; do
			excl+=(":(exclude,literal)$f")
		done <"$new/absent-files"
		say "tree $TARGET: ${#excl[@]} files are absent from the snapshot and left out (list: $TGT_TREE/absent-files)"
	fi
	rm -f "$new/objects"
	git -C "$KS" archive "$commit" -- . "${excl[@]}" 2>>"$LOG" |
		tar -x -C "$new/unpatched" 2>>"$LOG" ||
		die "git archive of $src_desc failed"
	;;
dir)
	say "tree $TARGET: copying $src_desc"
	run rsync -a --exclude=.git --exclude='*.o' --exclude='*.cmd' \
		"$KS/" "$new/unpatched/" || die "cannot copy $KS"
	[ ! -f "$new/unpatched/.config" ] ||
		die "KERNEL_SRC=$KS has been configured in place (.config); run 'make mrproper' there or give a clean tree"
	;;
esac

for f in drivers/dma/imx-sdma.c sound/core/pcm_dmaengine.c arch/arm/configs/imx_v6_v7_defconfig; do
	[ -f "$new/unpatched/$f" ] || die "the $TARGET tree lacks $f; not a usable kernel tree"
done
got=$(kversion "$new/unpatched")
case "$got" in
"$TGT_KVERSION".*) ;;
*) die "the tree is Linux $got, TARGET $TARGET needs $TGT_KVERSION.y" ;;
esac

say "tree $TARGET: creating the base commit"
g() { git -C "$new/unpatched" -c user.name=imx6-lab -c user.email=imx6-lab@localhost "$@"; }
run g init -q -b base-branch
run g config gc.auto 0
run g config core.autocrlf false
printf '/.build/\n/.build-*/\n/.bench/\n' >>"$new/unpatched/.git/info/exclude"
run g add -A -f . || die "git add failed"
# Same content, same commit (its id ends up in the kernel release, so in
# every boot's inputs): a fixed date, the kernel's build timestamp, and a
# message that names no path of this machine.
GIT_AUTHOR_DATE=2026-01-01T00:00:00Z GIT_COMMITTER_DATE=2026-01-01T00:00:00Z \
	run g commit -q --no-verify -m "Linux $got ($src_what)" || die "git commit failed"
run g tag base
echo "$src_id" >"$new/source.id"

# Swap in: the old tree (and its patched worktree and builds) go away only
# now that the new one is complete.
if [ -d "$TGT_TREE" ]; then
	rm -rf "$TREES/.$TARGET.old"
	mv "$TGT_TREE" "$TREES/.$TARGET.old"
fi
mv "$new" "$TGT_TREE"
trap - EXIT
rm -rf "$TREES/.$TARGET.old"
rm -rf "${OUT:?}/$TARGET"
say "tree $TARGET: Linux $got ready at $TGT_TREE/unpatched ($(elapsed "$t0"))"
