#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# build.sh: cross-build xrun-stress for the armhf guest with Debian's
# arm-linux-gnueabihf-gcc. alsa-lib comes from Debian's libasound2 and
# libasound2-dev armhf packages unpacked into $BUILD/sysroot/armhf (the
# same .debs the initramfs ships), not installed on the host: no
# multiarch packages to install or keep in step with the host's. Prints
# the path of the binary ($BUILD/tools/xrun-stress/xrun-stress).

. "$(dirname "$0")/../../../scripts/lib.sh"
. "$TOP/lab/rootfs/debs.sh"
start_log xrun-stress

need_cmd "${CROSS_COMPILE}gcc" gcc-arm-linux-gnueabihf
need_cmd dpkg-deb dpkg

lib=$(armhf_deb libasound2)
dev=$(armhf_deb libasound2-dev)
vl=$(deb_field "$lib" Version)
vd=$(deb_field "$dev" Version)
[ "$vl" = "$vd" ] ||
	die "libasound2 $vl and libasound2-dev $vd differ; remove the older one from $DEB_DIR"

sysroot=$BUILD/sysroot/armhf
id="$(basename "$lib") $(basename "$dev")"
if [ "$(cat "$sysroot/.debs" 2>/dev/null)" != "$id" ]; then
	rm -rf "$sysroot"
	mkdir -p "$sysroot"
	for d in "$lib" "$dev"; do
		dpkg-deb -x "$d" "$sysroot" || die "cannot unpack $d"
	done
	echo "$id" >"$sysroot/.debs"
fi

out=$BUILD/tools/xrun-stress
run make -C "$TOP/lab/tools/xrun-stress" O="$out" SYSROOT="$sysroot" \
	CROSS_COMPILE="$CROSS_COMPILE" "$out/xrun-stress" ||
	die "xrun-stress does not build"
echo "$out/xrun-stress"
