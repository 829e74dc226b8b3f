#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# lab/qemu/build.sh: build the lab's qemu-system-arm (arm-softmmu only) and
# the qtests of our models, from Debian's pinned qemu source
# (lab/qemu/qemu.conf) plus lab/qemu/patches/series.
#
#   $BUILD/qemu/src      git tree: Debian's source tagged "base", our series on top
#   $BUILD/qemu/build    the build directory (ccache)
#   $BUILD/qemu/bin/qemu-system-arm, $BUILD/qemu/qtest/*   the results
#
# QEMU_SRC=<dir> builds a developer's own QEMU work tree instead (into
# <dir>/build-lab), without touching its sources: for writing the models.
# Idempotent: an unchanged series rebuilds nothing.

. "$(dirname "$0")/../../scripts/lib.sh"
start_log qemu-build
. "$TOP/lab/qemu/qemu.conf"

need_cmd ninja ninja-build
need_cmd meson meson
need_cmd pkg-config pkg-config
need_cmd dpkg-source dpkg-dev
need_cmd ccache ccache
pkg-config --exists glib-2.0 pixman-1 || die "glib/pixman headers missing; run scripts/apt-setup.sh"

QDIR=$BUILD/qemu
mkdir -p "$QDIR" "$DL/qemu"
series=$TOP/lab/qemu/patches/series

# Debian's source package, verified.
fetch_source() {
	local ver=${QEMU_DEB_VERSION#*:} dsc
	dsc=$DL/qemu/${QEMU_DEB_PACKAGE}_$ver.dsc
	if [ ! -f "$dsc" ]; then
		say "qemu: downloading source $QEMU_DEB_PACKAGE=$QEMU_DEB_VERSION"
		(cd "$DL/qemu" && run apt-get source --download-only \
			"$QEMU_DEB_PACKAGE=$QEMU_DEB_VERSION") ||
			die "cannot download the $QEMU_DEB_PACKAGE $QEMU_DEB_VERSION source (deb-src bookworm missing? run scripts/apt-setup.sh)"
	fi
	echo "$QEMU_DSC_SHA256  $dsc" | sha256sum -c --status ||
		die "checksum mismatch for $dsc (want $QEMU_DSC_SHA256); delete it to download again"
	DSC=$dsc
}

# $QDIR/src at "base" plus our series, or left alone when up to date.
prepare_tree() {
	local src=$QDIR/src id
	id=$( (cat "$TOP/lab/qemu/qemu.conf"; [ -f "$series" ] &&
		while read -r p; do
			case "$p" in ''|'#'*) continue ;; esac
			cat "$TOP/lab/qemu/patches/$p"
		done <"$series") | sha256sum | cut -d' ' -f1)
	if [ -d "$src/.git" ] && [ "$(cat "$QDIR/src.id" 2>/dev/null)" = "$id" ] &&
	   [ -z "$(git -C "$src" status --porcelain)" ]; then
		return 0
	fi
	if [ ! -d "$src/.git" ] ||
	   [ "$(cat "$QDIR/base.version" 2>/dev/null)" != "$QEMU_DEB_VERSION" ]; then
		fetch_source
		say "qemu: extracting $(basename "$DSC")"
		rm -rf "$src.new" "$src"
		run dpkg-source --skip-debianization -x "$DSC" "$src.new" ||
			run dpkg-source -x "$DSC" "$src.new" || die "dpkg-source -x failed"
		# The dfsg tarball drops the prebuilt edk2 firmware, which an
		# arm-softmmu build would otherwise unpack from pc-bios/.
		sed -i "s/^edk2_targets = .*/edk2_targets = []/" "$src.new/meson.build"
		(cd "$src.new" && run git init -q && run git add -A -f &&
			run git -c user.name=imx6-lab -c user.email=imx6-lab@localhost \
				commit -q -m "qemu $QEMU_DEB_VERSION (Debian source)" &&
			run git tag base) || die "cannot make the base commit"
		mv "$src.new" "$src"
		echo "$QEMU_DEB_VERSION" >"$QDIR/base.version"
	fi
	run git -C "$src" am --abort || true
	run git -C "$src" reset -q --hard base || die "cannot reset $src to base"
	run git -C "$src" clean -qfdx -e build-lab || true
	if [ -f "$series" ]; then
		while read -r p; do
			case "$p" in ''|'#'*) continue ;; esac
			[ -f "$TOP/lab/qemu/patches/$p" ] || die "series names $p, which does not exist"
			if ! run git -C "$src" -c user.name=imx6-lab -c user.email=imx6-lab@localhost \
				am -q --3way "$TOP/lab/qemu/patches/$p"; then
				run git -C "$src" am --abort || true
				run git -C "$src" reset -q --hard base || true
				rm -f "$QDIR/src.id"
				die "lab/qemu/patches/$p does not apply to qemu $QEMU_DEB_VERSION"
			fi
		done <"$series"
	fi
	echo "$id" >"$QDIR/src.id"
}

if [ -n "${QEMU_SRC:-}" ]; then
	src=$(cd "$QEMU_SRC" && pwd) || die "QEMU_SRC=$QEMU_SRC does not exist"
	[ -f "$src/configure" ] || die "QEMU_SRC=$src is not a QEMU source tree"
	bld=$src/build-lab
	dest=$src/build-lab
else
	prepare_tree
	src=$QDIR/src
	bld=$QDIR/build
	dest=$QDIR
fi

export CCACHE_DIR=${CCACHE_DIR:-$BUILD/ccache}
export CCACHE_BASEDIR=$src CCACHE_NOHASHDIR=1
t0=$(date +%s)
conf_args=(--target-list=arm-softmmu
	--cc="ccache gcc" --cxx="ccache g++" --host-cc="ccache gcc"
	--without-default-features --enable-fdt=system --enable-tcg
	--disable-docs --disable-werror --disable-install-blobs)
# Our own build of Debian's source: only the sabrelite machine
# (lab/qemu/devices.mak). A developer's QEMU_SRC tree keeps its defaults:
# its sources are not touched.
if [ -z "${QEMU_SRC:-}" ]; then
	devmak=configs/devices/arm-softmmu/lab.mak
	# Copied only when it changed: a newer file makes meson regenerate.
	cmp -s "$TOP/lab/qemu/devices.mak" "$src/$devmak" ||
		cp -f "$TOP/lab/qemu/devices.mak" "$src/$devmak"
	grep -qxF "/$devmak" "$src/.git/info/exclude" 2>/dev/null ||
		echo "/$devmak" >>"$src/.git/info/exclude"
	conf_args+=(--without-default-devices --with-devices-arm=lab)
fi
# A build directory configured otherwise (other options, other devices)
# is configured again from scratch; ccache keeps that cheap.
conf_id=$(printf '%s\n' "${conf_args[@]}" | cat - "$TOP/lab/qemu/devices.mak" | sha256sum | cut -d' ' -f1)
if [ -f "$bld/build.ninja" ] && [ "$(cat "$bld/lab-configure.id" 2>/dev/null)" != "$conf_id" ]; then
	say "qemu: configure options changed; reconfiguring $bld"
	rm -rf "$bld"
fi
if [ ! -f "$bld/build.ninja" ]; then
	say "qemu: configuring (arm-softmmu) in $bld"
	mkdir -p "$bld"
	(cd "$bld" && run "$src/configure" "${conf_args[@]}") ||
		die "qemu configure failed"
	echo "$conf_id" >"$bld/lab-configure.id"
fi
# The qtests of our models live in tests/qtest/; build them all with the
# binary (they are cheap) so check-qtest can run them.
qtests=$(cd "$src/tests/qtest" && ls imx_*-test.c fsl_*-test.c sgtl5000-test.c 2>/dev/null |
	sed 's/\.c$//' | sed 's|^|tests/qtest/|' | tr '\n' ' ' || true)
say "qemu: building qemu-system-arm ${qtests:+and $qtests}(-j$JOBS)"
# shellcheck disable=SC2086
run ninja -C "$bld" -j"$JOBS" qemu-system-arm $qtests || die "qemu build failed"
mkdir -p "$dest/bin" "$dest/qtest"
cp -f "$bld/qemu-system-arm" "$dest/bin/qemu-system-arm"
for q in $qtests; do cp -f "$bld/$q" "$dest/qtest/"; done
say "qemu: $dest/bin/qemu-system-arm ready ($(elapsed "$t0"))"
echo "$dest/bin/qemu-system-arm"
