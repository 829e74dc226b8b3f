#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# build.sh [-o OUT] [--force]
#   The lab's base initramfs, shared by every kernel
#   (default $BUILD/rootfs/initramfs.cpio.gz): Debian armhf busybox-static,
#   aplay/arecord/amixer from alsa-utils, alsa-lib and its configuration,
#   exactly the shared libraries those and xrun-stress need (read from
#   their DT_NEEDED), xrun-stress, pcm-robust, /init and the guest tests
#   (lab/rootfs/tests -> /lab/tests). Package versions are recorded in
#   /lab/manifest and next to the image ($BUILD/rootfs/manifest).
#
# build.sh --modules KDIR [--ko FILE.ko]... [-o OUT]
#   The initrd for one kernel: the base image followed by a second cpio
#   with KDIR's modules (a kernel out dir, $BUILD/out/TARGET/VARIANT, with
#   modules/lib/modules/RELEASE), the .ko files in KDIR/lab-modules (the
#   lab's own, e.g. sdma_client.ko), KDIR/extra and any --ko, under
#   /lib/modules/RELEASE/extra (Linux unpacks concatenated
#   archives). Default OUT: $BUILD/rootfs/initrd-TARGET-VARIANT.cpio.gz.
#
# Reproducible: fixed mtimes (SOURCE_DATE_EPOCH, default 2026-01-01),
# sorted newc cpio with --reproducible, owner 0:0, gzip -n. An image is
# rebuilt only when one of its inputs changed (--force to rebuild anyway).
# Prints the path of the image.

. "$(dirname "$0")/../../scripts/lib.sh"
. "$TOP/lab/rootfs/debs.sh"
umask 022
export LC_ALL=C TZ=UTC
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1767225600}

PKGS=(busybox-static alsa-utils libasound2 libasound2-data libc6)
ALSA_BINS=(aplay amixer)	# arecord is a link to aplay
MULTIARCH=arm-linux-gnueabihf
R=$TOP/lab/rootfs

usage() {
	sed -n '4,25s/^# \{0,1\}//p' "$0"
}

kdir='' out='' force=0
kos=()
while [ $# -gt 0 ]; do
	case "$1" in
	--modules) kdir=${2:?--modules needs a kernel out dir}; shift 2 ;;
	--ko) kos+=("${2:?--ko needs a file}"); shift 2 ;;
	-o) out=${2:?-o needs a file}; shift 2 ;;
	--force) force=1; shift ;;
	-h|--help) usage; exit 0 ;;
	*) echo "error: unknown argument '$1' (--help for usage)" >&2; exit 2 ;;
	esac
done

mkdir -p "$BUILD/rootfs"
work=
trap '[ -z "$work" ] || rm -rf "$work"' EXIT

need_cmd "${CROSS_COMPILE}readelf" binutils-arm-linux-gnueabihf
need_cmd cpio cpio
need_cmd dpkg-deb dpkg

# resolve_in ROOT PATH: PATH inside the unpacked tree ROOT, following
# symbolic links (absolute ones relative to ROOT, never to the host).
resolve_in() {
	local root=$1 rel=${2#/} i t
	for i in 1 2 3 4 5 6 7 8; do
		if [ -L "$root/$rel" ]; then
			t=$(readlink "$root/$rel")
			case "$t" in
			/*) rel=${t#/} ;;
			*) rel=$(dirname "$rel")/$t ;;
			esac
		elif [ -e "$root/$rel" ]; then
			echo "$root/$rel"
			return 0
		else
			return 1
		fi
	done
	return 1
}

# find_lib X NAME: a shared library NAME in one of the unpacked packages.
find_lib() {
	local x=$1 name=$2 p d f
	for p in "${PKGS[@]}"; do
		for d in lib/$MULTIARCH usr/lib/$MULTIARCH lib usr/lib; do
			f=$(resolve_in "$x/$p" "$d/$name") && { echo "$f"; return 0; }
		done
	done
	return 1
}

needed() {
	"${CROSS_COMPILE}readelf" -d "$1" 2>/dev/null |
		sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'
}

# normalize_pack DIR IMG: fixed mtimes, sorted newc cpio, gzip -n.
normalize_pack() {
	local dir=$1 img=$2
	find "$dir" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} + ||
		die "cannot set the mtimes in $dir"
	(cd "$dir" && find . -mindepth 1 -print0 | sort -z |
		cpio -o -0 -H newc --reproducible -R 0:0 --quiet 2>>"$LOG" |
		gzip -9 -n >"$img.tmp") || die "cannot pack $img"
	mv "$img.tmp" "$img"
}

build_base() {
	local img=$1 manifest xs pr debs=() p d id x root f n lib interp queue
	case "$img" in
	"$BUILD/rootfs/initramfs.cpio.gz") manifest=$BUILD/rootfs/manifest ;;
	*) manifest=$img.manifest ;;
	esac
	xs=$("$TOP/lab/tools/xrun-stress/build.sh") ||
		die "xrun-stress does not build (log: $LOGS/xrun-stress.log)"
	pr=$("$TOP/lab/tools/pcm-robust/build.sh") ||
		die "pcm-robust does not build (log: $LOGS/pcm-robust.log)"
	for p in "${PKGS[@]}"; do
		d=$(armhf_deb "$p") || exit 1
		debs+=("$d")
	done

	# Everything the image is made of.
	id=$({
		echo "SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH"
		sha256sum "${debs[@]}" | sed 's|  .*/|  |'
		(cd "$R" && sha256sum build.sh debs.sh init lab-lib.sh tests/*.sh)
		sha256sum <"$xs"
		sha256sum <"$pr"
	} | sha256sum | cut -d' ' -f1)
	if [ $force = 0 ] && [ -f "$img" ] && [ -f "$manifest" ] &&
	   [ "$(cat "$img.inputs" 2>/dev/null)" = "$id" ]; then
		say "rootfs: $img is up to date"
		return 0
	fi
	say "rootfs: building $img"

	work=$(mktemp -d "$BUILD/rootfs/work.XXXXXX")
	x=$work/x
	root=$work/root
	for i in "${!PKGS[@]}"; do
		mkdir -p "$x/${PKGS[$i]}"
		dpkg-deb -x "${debs[$i]}" "$x/${PKGS[$i]}" || die "cannot unpack ${debs[$i]}"
	done
	mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,usr/share,lib/$MULTIARCH,etc} \
		 "$root"/{dev,proc,sys,tmp,root,mnt,run} "$root/lab/tests"
	chmod 1777 "$root/tmp"

	install -m 755 "$x/busybox-static/bin/busybox" "$root/bin/busybox"
	ln -s busybox "$root/bin/sh"
	for f in "${ALSA_BINS[@]}"; do
		install -m 755 "$x/alsa-utils/usr/bin/$f" "$root/usr/bin/$f"
	done
	ln -s aplay "$root/usr/bin/arecord"
	cp -R "$x/libasound2-data/usr/share/alsa" "$root/usr/share/alsa"
	install -m 755 "$xs" "$root/usr/bin/xrun-stress"
	install -m 755 "$pr" "$root/usr/bin/pcm-robust"
	install -m 755 "$R/init" "$root/init"
	install -m 644 "$R/lab-lib.sh" "$root/lab/lib.sh"
	for f in "$R"/tests/*.sh; do
		install -m 755 "$f" "$root/lab/tests/"
	done

	# The shared libraries, from the binaries' DT_NEEDED, transitively.
	queue=()
	for f in "${ALSA_BINS[@]}"; do
		queue+=("$root/usr/bin/$f")
	done
	queue+=("$root/usr/bin/xrun-stress" "$root/usr/bin/pcm-robust")
	while [ ${#queue[@]} -gt 0 ]; do
		f=${queue[0]}
		queue=("${queue[@]:1}")
		for n in $(needed "$f"); do
			[ -e "$root/lib/$MULTIARCH/$n" ] && continue
			lib=$(find_lib "$x" "$n") ||
				die "$n (needed by $(basename "$f")) is in none of: ${PKGS[*]}"
			install -m 755 "$lib" "$root/lib/$MULTIARCH/$n"
			queue+=("$root/lib/$MULTIARCH/$n")
		done
	done
	interp=$("${CROSS_COMPILE}readelf" -l "$root/usr/bin/xrun-stress" |
		 sed -n 's/.*program interpreter: \(.*\)\]/\1/p')
	[ -n "$interp" ] || die "xrun-stress has no program interpreter"
	if [ ! -e "$root$interp" ]; then
		n=$(basename "$interp")
		[ -e "$root/lib/$MULTIARCH/$n" ] ||
			install -m 755 "$(find_lib "$x" "$n")" "$root/lib/$MULTIARCH/$n"
		mkdir -p "$(dirname "$root$interp")"
		ln -s "$(realpath --relative-to="$(dirname "$root$interp")" \
			"$root/lib/$MULTIARCH/$n")" "$root$interp"
	fi

	{
		echo "# imx6-lab guest initramfs (lab/rootfs/build.sh)"
		echo "# SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH inputs=$id"
		echo "# package version architecture deb-sha256"
		for d in "${debs[@]}"; do
			printf '%s %s %s %s\n' "$(deb_field "$d" Package)" \
				"$(deb_field "$d" Version)" \
				"$(deb_field "$d" Architecture)" \
				"$(sha256sum <"$d" | cut -d' ' -f1)"
		done
		echo "# file sha256 (binaries and libraries)"
		(cd "$root" && for f in bin/busybox usr/bin/* lib/"$MULTIARCH"/*; do
			[ -L "$f" ] || printf '%s %s\n' "$f" "$(sha256sum <"$f" | cut -d' ' -f1)"
		done)
	} >"$root/lab/manifest"
	chmod 644 "$root/lab/manifest"

	normalize_pack "$root" "$img"
	cp "$root/lab/manifest" "$manifest"
	echo "$id" >"$img.inputs"
	rm -rf "$work"
	work=
	say "rootfs: $img ($(du -k "$img" | cut -f1) KiB, sha256 $(sha256sum <"$img" | cut -c1-16)...)"
}

# modules_src KDIR: the lib/modules directory of a kernel out dir.
modules_src() {
	local d
	for d in "$1/modules/lib/modules" "$1/lib/modules"; do
		[ -d "$d" ] && { echo "$d"; return 0; }
	done
	return 1
}

build_initrd() {
	local kdir=$1 img=$2 base=$BUILD/rootfs/initramfs.cpio.gz msrc rel id
	local mroot f extra=()
	[ -d "$kdir" ] || die "no kernel out dir $kdir"
	if [ -f "$kdir/kernelrelease" ]; then
		rel=$(cat "$kdir/kernelrelease")
	fi
	msrc=$(modules_src "$kdir") || msrc=
	if [ -z "${rel:-}" ] && [ -n "$msrc" ]; then
		rel=$(ls "$msrc" | head -n1)
	fi
	[ -n "${rel:-}" ] || die "$kdir has neither kernelrelease nor modules/lib/modules/RELEASE"
	for f in "$kdir"/extra/*.ko "$kdir"/lab-modules/*.ko "${kos[@]}"; do
		[ -e "$f" ] || continue
		case "$f" in *.ko) ;; *) die "--ko $f is not a .ko file" ;; esac
		extra+=("$f")
	done

	build_base "$base"
	id=$({
		echo "$rel"
		sha256sum <"$base"
		[ -z "$msrc" ] || (cd "$msrc" && find "$rel" -type f ! -path '*/build/*' \
			! -path '*/source/*' -print0 | sort -z | xargs -0r sha256sum)
		for f in "${extra[@]}"; do
			printf '%s ' "$(basename "$f")"
			sha256sum <"$f"
		done
		sha256sum <"$0"
	} | sha256sum | cut -d' ' -f1)
	if [ $force = 0 ] && [ -f "$img" ] &&
	   [ "$(cat "$img.inputs" 2>/dev/null)" = "$id" ]; then
		say "rootfs: $img is up to date"
		return 0
	fi
	say "rootfs: building $img (modules for $rel)"
	work=$(mktemp -d "$BUILD/rootfs/work.XXXXXX")
	mroot=$work/m
	mkdir -p "$mroot/lib/modules/$rel"
	if [ -n "$msrc" ] && [ -d "$msrc/$rel" ]; then
		cp -R "$msrc/$rel/." "$mroot/lib/modules/$rel/"
		rm -f "$mroot/lib/modules/$rel/build" "$mroot/lib/modules/$rel/source"
	fi
	if [ ${#extra[@]} -gt 0 ]; then
		mkdir -p "$mroot/lib/modules/$rel/extra"
		for f in "${extra[@]}"; do
			install -m 644 "$f" "$mroot/lib/modules/$rel/extra/"
		done
		if command -v depmod >/dev/null; then
			run depmod -b "$mroot" "$rel" || say "rootfs: warning: depmod failed; use insmod with the path"
		fi
	fi
	chmod -R u+rwX,go+rX,go-w "$mroot"
	normalize_pack "$mroot" "$work/modules.cpio.gz"
	if ! cat "$base" "$work/modules.cpio.gz" >"$img.tmp"; then
		die "cannot write $img"
	fi
	mv "$img.tmp" "$img"
	echo "$id" >"$img.inputs"
	say "rootfs: $img (base + $(du -k "$work/modules.cpio.gz" | cut -f1) KiB of modules, ${#extra[@]} extra)"
}

# One build at a time: guests started together (two soaks, LAB_JOBS=2)
# may ask for the same initrd, and the images are written in place.
mkdir -p "$BUILD/rootfs"
exec 9>"$BUILD/rootfs/.lock"
flock -w 900 9 || die "rootfs: another build.sh holds $BUILD/rootfs/.lock for 15 min"

if [ -n "$kdir" ]; then
	start_log rootfs-modules
	kdir=$(cd "$kdir" 2>/dev/null && pwd) || die "no kernel out dir $kdir"
	if [ -z "$out" ]; then
		out=$BUILD/rootfs/initrd-$(basename "$(dirname "$kdir")")-$(basename "$kdir").cpio.gz
	fi
	build_initrd "$kdir" "$out"
else
	start_log rootfs
	[ ${#kos[@]} -eq 0 ] || die "--ko needs --modules KDIR"
	out=${out:-$BUILD/rootfs/initramfs.cpio.gz}
	build_base "$out"
fi
echo "$out"
