#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# snd-dummy.sh KDIR: build the kernel's own snd-dummy (sound/drivers/
# dummy.c) as an out-of-tree module against a built lab kernel (KDIR =
# $BUILD/out/TARGET/VARIANT, whose build/ is the O= directory), so that
# xrun-stress can be exercised on any QEMU: the lab kernels leave
# CONFIG_SND_DUMMY off. The source is copied from the kernel tree at
# build time, never kept here. Prints the path of snd-dummy.ko.

. "$(dirname "$0")/../../../scripts/lib.sh"
k=${1:?usage: snd-dummy.sh KDIR}
k=$(cd "$k" 2>/dev/null && pwd) || die "no kernel out dir $1"
start_log "snd-dummy-$(basename "$(dirname "$k")")-$(basename "$k")"

obj=$(readlink -f "$k/build") || true
[ -f "$obj/Module.symvers" ] && [ -f "$obj/.config" ] ||
	die "$k/build is not a built kernel object directory"
src=$(readlink -f "$obj/source" 2>/dev/null || true)
[ -f "$src/sound/drivers/dummy.c" ] || src=$(dirname "$obj")
[ -f "$src/sound/drivers/dummy.c" ] || die "no sound/drivers/dummy.c next to $obj"

out=$BUILD/tools/snd-dummy/$(basename "$(dirname "$k")")/$(basename "$k")
ko=$out/snd-dummy.ko
if [ -f "$ko" ] && [ "$ko" -nt "$obj/Module.symvers" ] &&
   [ "$ko" -nt "$src/sound/drivers/dummy.c" ]; then
	echo "$ko"
	exit 0
fi
rm -rf "$out"
mkdir -p "$out"
cp "$src/sound/drivers/dummy.c" "$out/"
printf 'obj-m += snd-dummy.o\nsnd-dummy-objs := dummy.o\n' >"$out/Kbuild"
run make -C "$src" O="$obj" ARCH=arm CROSS_COMPILE="$CROSS_COMPILE" \
	M="$out" modules || die "snd-dummy does not build against $obj"
echo "$ko"
