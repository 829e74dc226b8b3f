#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# build.sh: cross-build pcm-robust for the armhf guest with Debian's
# arm-linux-gnueabihf-gcc against the alsa-lib sysroot that
# lab/tools/xrun-stress/build.sh unpacks ($BUILD/sysroot/armhf; it runs
# first). Prints the path of the binary ($BUILD/tools/pcm-robust/pcm-robust).

. "$(dirname "$0")/../../../scripts/lib.sh"
"$TOP/lab/tools/xrun-stress/build.sh" >/dev/null ||
	die "xrun-stress (and the alsa-lib sysroot) does not build (log: $LOGS/xrun-stress.log)"
start_log pcm-robust

sysroot=$BUILD/sysroot/armhf
[ -f "$sysroot/.debs" ] || die "no alsa-lib sysroot at $sysroot"
out=$BUILD/tools/pcm-robust
run make -C "$TOP/lab/tools/pcm-robust" O="$out" SYSROOT="$sysroot" \
	CROSS_COMPILE="$CROSS_COMPILE" "$out/pcm-robust" ||
	die "pcm-robust does not build"
echo "$out/pcm-robust"
