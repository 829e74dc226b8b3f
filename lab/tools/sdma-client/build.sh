#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# build.sh TARGET VARIANT: build sdma_client.ko against the lab kernel
# $BUILD/out/TARGET/VARIANT/build (the kernel's O= directory; its parent is
# the source tree) with W=1, in a copy of this directory under
# $BUILD/work/sdma-client/TARGET/VARIANT, never in the repository.
# Result: $BUILD/out/TARGET/VARIANT/lab-modules/sdma_client.ko; prints its
# path. Fails when the kernel is not built or the compiler warns in
# sdma_client.c (ALLOW_WARNINGS=1 keeps the module anyway). Not rebuilt when its inputs
# did not change: the module's sources and this script, the kernel's
# zImage, .config and Module.symvers, and the compiler's version (the id
# is kept beside the module).

# shellcheck source=../../../scripts/lib.sh
. "$(dirname "$0")/../../../scripts/lib.sh"

TARGET=${1:-${TARGET:-}}
VARIANT=${2:-${VARIANT:-unpatched}}
[ -n "$TARGET" ] || die "usage: build.sh TARGET [VARIANT]"
case "$VARIANT" in
''|*[!a-z0-9+-]*) die "bad VARIANT '$VARIANT' (unpatched, patched or a layer variant, optionally +FLAVOUR)" ;;
*) ;;	# the kernel build below must exist
esac
start_log "sdma-client-$TARGET-$VARIANT"
need_cmd "${CROSS_COMPILE}gcc" gcc-arm-linux-gnueabihf

here=$(cd "$(dirname "$0")" && pwd)
out=$OUT/$TARGET/$VARIANT
[ -e "$out/build" ] || die "no $TARGET/$VARIANT kernel build ($out/build); run scripts/kernel.sh $TARGET $VARIANT"
obj=$(readlink -f "$out/build")
src=$(dirname "$obj")
[ -f "$obj/Module.symvers" ] ||
	die "$obj has no Module.symvers: the $TARGET/$VARIANT kernel build is not complete"
[ -f "$src/Makefile" ] || die "no kernel source above $obj"

id=$( (cd "$here" && sha256sum sdma_client.c Makefile build.sh
	sha256sum "$out/zImage" "$obj/.config" "$obj/Module.symvers" | cut -d' ' -f1
	"${CROSS_COMPILE}gcc" --version | head -n1
	echo "ALLOW_WARNINGS=${ALLOW_WARNINGS:-0}") | sha256sum | cut -d' ' -f1)
ko=$out/lab-modules/sdma_client.ko
if [ -f "$ko" ] && [ "$(cat "$ko.id" 2>/dev/null)" = "$id" ]; then
	say "sdma-client $TARGET/$VARIANT: up to date ($ko)"
	echo "$ko"
	exit 0
fi

work=$BUILD/work/sdma-client/$TARGET/$VARIANT
rm -rf "$work"
mkdir -p "$work"
cp "$here/sdma_client.c" "$here/Makefile" "$work/"

say "sdma-client $TARGET/$VARIANT: building against $obj (W=1)"
printf '+ make -C %s O=%s M=%s W=1 modules\n' "$src" "$obj" "$work" >>"$LOG"
if ! make -C "$src" O="$obj" M="$work" ARCH=arm CROSS_COMPILE="$CROSS_COMPILE" \
	W=1 modules >"$work/build.log" 2>&1; then
	cat "$work/build.log" >>"$LOG"
	die "module build failed: $(grep -m1 -E 'error|Error' "$work/build.log" || tail -n1 "$work/build.log")"
fi
cat "$work/build.log" >>"$LOG"
# Our warnings: those located in sdma_client.c. A tree's own headers may
# warn under W=1 too (5.10.262's mmzone.h: "variable 'nid' set but not
# used"); those are the tree's, noted in the log only.
ours=$(grep -m1 -E '(^|/)sdma_client\.c:[0-9]+(:[0-9]+)?: warning:' "$work/build.log" || true)
if [ -n "$ours" ] && [ "${ALLOW_WARNINGS:-0}" != 1 ]; then
	die "module build warns: $ours"
fi
if grep -q 'warning:' "$work/build.log"; then
	say "sdma-client $TARGET/$VARIANT: note: the kernel's headers warn with W=1: $(grep -m1 'warning:' "$work/build.log" | cut -c1-160)"
fi
[ -f "$work/sdma_client.ko" ] || die "no sdma_client.ko in $work"

mkdir -p "$out/lab-modules"
rm -f "$ko.id"
cp "$work/sdma_client.ko" "$ko"
echo "$id" >"$ko.id"
say "sdma-client $TARGET/$VARIANT: $ko"
echo "$ko"
