#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# kernel.sh TARGET VARIANT: cross-build zImage, the sabrelite DTB and the
# modules of $BUILD/trees/TARGET/VARIANT (unpatched, patched, or a layer
# variant the target declares in TGT_VARIANTS, see scripts/series.sh) from
# allnoconfig plus the target's lab/configs fragments, with ccache.
# Results: $BUILD/out/TARGET/VARIANT/{zImage,imx6q-sabrelite.dtb,modules/,
# build -> the O= directory, build-seconds}.
#
# The O= directory is the tree's own .build/ so that both variants see the
# source as "..": ccache then shares objects between them.
#
# VARIANT may carry a config flavour, BASE+FLAVOUR (e.g. patched+kasan, see
# check_variant in lib.sh): BASE's tree, lab/configs/FLAVOUR.config merged
# last, O= directory .build-FLAVOUR, out dir $BUILD/out/TARGET/BASE+FLAVOUR.
# Every CONFIG_x=y of the flavour's fragment must survive the merge, and
# every "# CONFIG_x is not set" must not be =y after it.
#
# Nothing is built when the inputs of the kernel in $out are the same
# (build.id there): the tree's commit with no local change, the config
# fragments, the DTB name, this script, lib.sh
# and lzop-reproducible, and the compiler's version. LAB_FRESH=1 builds
# anyway. The same inputs give the same zImage and modules, byte for byte
# (so the guest boots of a rebuilt kernel are reused).

. "$(dirname "$0")/lib.sh"

TARGET=${1:-${TARGET:-}}
VARIANT=${2:-${VARIANT:-unpatched}}
load_target "$TARGET"
check_variant "$VARIANT"
start_log "kernel-$TARGET-$VARIANT"

need_cmd "${CROSS_COMPILE}gcc" gcc-arm-linux-gnueabihf
need_cmd ccache ccache
need_cmd bc bc
need_cmd flex flex
need_cmd bison bison
need_cmd lzop lzop

base=$(variant_base "$VARIANT")
flavour=$(variant_flavour "$VARIANT")
src=$TGT_TREE/$base
if [ ! -d "$src" ]; then
	[ "$base" = unpatched ] && die "no $TARGET tree; run 'make tree TARGET=$TARGET' first"
	[ "$base" = patched ] && die "no patched $TARGET tree; run 'make series TARGET=$TARGET' first"
	die "no $base $TARGET tree; run 'make series TARGET=$TARGET VARIANT=$base' first"
fi
obj=$src/.build${flavour:+-$flavour}
out=$OUT/$TARGET/$VARIANT
mkdir -p "$obj" "$out"

kernel_env "$src" "$(basename "$obj")"
# A miss compiles the source ccache preprocessed for its hash, instead of
# preprocessing it a second time: mainline's kernel/ and mm/ from an
# empty cache took 357 s of CPU against 463 s, and gave the same 245
# objects byte for byte. The preprocessor drops the comments, so 5.4's
# "fall through" comments do not reach the compiler: its build log has
# -Wimplicit-fallthrough warnings a build without ccache does not
# (kernel/futex.c and lib/vsprintf.c: 9). Keeping them (CCACHE_COMMENTS)
# makes the preprocessor 3-4 times slower (futex.c: 0.65 s against
# 0.17 s of CPU; the compile after it 0.95 s) and the cold 5.4 and 6.12
# builds took 41-50% longer with it. Only here: series-check and the
# module builds judge warnings, not this log. (Not depend mode, which
# skips the preprocessor: it cached piggy.o, whose .incbin of the
# compressed kernel no dependency names.)
export CCACHE_NOCPP2=1
# A flavour's O= directory is no local change of the tree (trees that
# tree.sh made before it said so).
excl=$(git -C "$src" rev-parse --path-format=absolute --git-common-dir 2>/dev/null)/info/exclude
if [ -f "$excl" ] && ! grep -qxF '/.build-*/' "$excl"; then
	echo '/.build-*/' >>"$excl"
fi
if [ -n "$flavour" ]; then
	LAB_CONFIG_EXTRA="${LAB_CONFIG_EXTRA:-} lab/configs/$flavour.config"
fi
# build_id [SRC]: the inputs of the kernel of SRC (default this one's tree;
# see above), hashed; nothing when the tree has local changes (then it is
# always built).
build_id() {
	local raw
	raw=$(build_inputs "${1:-$src}") || return 0
	sha256sum <<<"$raw" | cut -d' ' -f1
}
build_inputs() {
	local f t=$1
	[ -z "$(git -C "$t" status --porcelain 2>/dev/null)" ] || return 1
	git -C "$t" rev-parse -q --verify HEAD 2>/dev/null || return 1
	for f in $TGT_CONFIG ${LAB_CONFIG_EXTRA:-}; do
		case "$f" in /*) ;; *) f=$TOP/$f ;; esac
		# The fragment's name within the repository, not where this
		# checkout is: a clone elsewhere (CI's) builds nothing again.
		echo "${f#"$TOP"/}"
		cat "$f"
	done
	echo "$TGT_DTB"
	sha256sum "$TOP/scripts/kernel.sh" "$TOP/scripts/lib.sh" "$TOP/scripts/lzop-reproducible" | cut -d" " -f1
	"${CROSS_COMPILE}gcc" --version | head -n1
}
bid=$(build_id)
# Up to date: the same inputs, and the O= directory is still there (the
# lab module is built against it).
if [ -n "$bid" ] && [ "${LAB_FRESH:-0}" != 1 ] && [ -f "$out/zImage" ] &&
   [ -f "$obj/Module.symvers" ] && [ "$(cat "$out/build.id" 2>/dev/null)" = "$bid" ]; then
	say "kernel $TARGET/$VARIANT: $(cat "$out/kernelrelease") up to date (same tree, config and tools) -> $out"
	exit 0
fi

# A patched or variant tree's first build starts from the unpatched
# kernel's objects (seed_objdir in lib.sh): only from an unpatched kernel
# whose build is current (out/'s build.id is the one its tree, config and
# tools give now, and its zImage is that build's) into a tree without
# local changes. KBUILD_BUILD_VERSION (kernel_env) keeps the image the
# same as a build from scratch.
useed=$TGT_TREE/unpatched
seed=$useed/$(basename "$obj")
seed_out=$OUT/$TARGET/unpatched${flavour:++$flavour}
if [ "$base" != unpatched ] && [ -n "$bid" ] && [ ! -f "$obj/.config" ] &&
   [ "${LAB_FRESH:-0}" != 1 ] && [ -f "$seed/.config" ] && [ -f "$seed_out/build.id" ] &&
   [ "$(cat "$seed_out/build.id")" = "$(build_id "$useed")" ] &&
   cmp -s "$seed/arch/arm/boot/zImage" "$seed_out/zImage" &&
   [ "$(git -C "$useed" rev-parse HEAD)" = "$(git -C "$src" rev-parse base)" ]; then
	say "kernel $TARGET/$VARIANT: first build; starting from the unpatched objects in $seed"
	seed_objdir "$src" "$seed" "$obj" || die "cannot start $obj from $seed"
fi

kconfigure "$src" "kernel $TARGET/$VARIANT"
if [ -n "$flavour" ]; then
	for opt in $(sed -n 's/^\(CONFIG_[A-Za-z0-9_]*\)=y$/\1/p' "$TOP/lab/configs/$flavour.config"); do
		grep -qx "$opt=y" "$obj/.config" ||
			die "$opt is not =y after merging lab/configs/$flavour.config (not available in this tree?)"
	done
	for opt in $(sed -n 's/^# \(CONFIG_[A-Za-z0-9_]*\) is not set$/\1/p' "$TOP/lab/configs/$flavour.config"); do
		! grep -qx "$opt=y" "$obj/.config" ||
			die "$opt is still =y after merging lab/configs/$flavour.config (selected by another option?)"
	done
fi

say "kernel $TARGET/$VARIANT: building zImage, $(basename "$TGT_DTB"), modules (-j$JOBS)"
t0=$(date +%s)
ccache -z >/dev/null 2>&1 || true
run kmake zImage modules "$TGT_DTB" || die "kernel build failed"
secs=$(($(date +%s) - t0))

rm -rf "$out.new"
mkdir -p "$out.new"
cp "$obj/arch/arm/boot/zImage" "$out.new/zImage"
cp "$obj/arch/arm/boot/dts/$TGT_DTB" "$out.new/"
run kmake INSTALL_MOD_PATH="$out.new/modules" INSTALL_MOD_STRIP=1 modules_install ||
	die "modules_install failed"
cp "$obj/.config" "$out.new/config"
kmake -s kernelrelease >"$out.new/kernelrelease" 2>>"$LOG"
ln -sfn "$obj" "$out.new/build"
echo "$secs" >"$out.new/build-seconds"
[ -z "$bid" ] || echo "$bid" >"$out.new/build.id"
rm -rf "$out"
mv "$out.new" "$out"
ccache -s >>"$LOG" 2>&1 || true
hits=$(ccache --print-stats 2>/dev/null | awk -F'\t' '$1=="direct_cache_hit"||$1=="preprocessed_cache_hit"{h+=$2} $1=="cache_miss"{m+=$2} END{printf "%d hits, %d misses", h, m}')
say "kernel $TARGET/$VARIANT: $(cat "$out/kernelrelease") built in $(elapsed "$t0") (ccache: $hits) -> $out"
