#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# smoke-initramfs.sh: $BUILD/smoke/initramfs.cpio.gz, the smallest guest
# that proves a kernel boots to a shell: Debian's busybox-static (armhf)
# and an /init that starts a busybox shell running a few commands, prints
# SMOKE-SHELL-OK and reboots (QEMU runs with -no-reboot, so it exits).

. "$(dirname "$0")/lib.sh"
start_log smoke-initramfs

out=$BUILD/smoke
img=$out/initramfs.cpio.gz
dpkg --print-foreign-architectures | grep -qx armhf ||
	die "the armhf architecture is not configured; run scripts/apt-setup.sh"
mkdir -p "$DL/armhf"
deb=$(ls "$DL"/armhf/busybox-static_*_armhf.deb 2>/dev/null | tail -n1 || true)
if [ -z "$deb" ]; then
	(cd "$DL/armhf" && run apt-get download busybox-static:armhf) ||
		die "cannot download busybox-static:armhf"
	deb=$(ls "$DL"/armhf/busybox-static_*_armhf.deb | tail -n1)
fi
# Rebuilt only when its inputs change (this script, the busybox package),
# and the same bytes each time (fixed mtimes, as lab/rootfs/build.sh
# packs): a fresh clone boots nothing again.
id=$( (sha256sum <"$0"; basename "$deb"; sha256sum <"$deb") | sha256sum | cut -d' ' -f1)
if [ -f "$img" ] && [ "$(cat "$img.inputs" 2>/dev/null)" = "$id" ]; then
	echo "$img"
	exit 0
fi

rm -rf "$out/root"
mkdir -p "$out/root"/{bin,proc,sys,dev}
dpkg-deb -x "$deb" "$out/root" || die "cannot unpack $deb"
cat >"$out/root/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
echo "SMOKE-KERNEL $(uname -r)"
sh -c 'echo SMOKE-SHELL-OK; cat /proc/asound/cards'
reboot -f
INIT
chmod +x "$out/root/init"
ln -sf busybox "$out/root/bin/sh"
find "$out/root" -exec touch -h -d @1767225600 {} + || die "cannot set the mtimes in $out/root"
(cd "$out/root" && find . -print0 | LC_ALL=C sort -z |
	cpio -o -0 -H newc --reproducible 2>>"$LOG" | gzip -n >"$img.new") ||
	die "cannot pack the initramfs"
mv "$img.new" "$img"
echo "$id" >"$img.inputs"
echo "$img"
