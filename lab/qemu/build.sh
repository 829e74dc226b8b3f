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
# QEMU_FLAVOUR=asan builds the same tree with AddressSanitizer and UBSan
# into $BUILD/qemu/build-asan ($BUILD/qemu/asan/bin/qemu-system-arm), for
# make fuzz; QEMU_FLAVOUR=asan-old the same from a tree of its own
# ($BUILD/qemu/src-old) with lab/qemu/fuzz/old-channel0-range.patch on
# top: the model as it was before its channel 0 range check was fixed,
# which the fuzzer must catch.
# Idempotent: an unchanged series rebuilds nothing.

. "$(dirname "$0")/../../scripts/lib.sh"
# One lock for every flavour: they share $QDIR/src, meson and downloads.
build_lock qemu "$@"
start_log qemu-build
. "$TOP/lab/qemu/qemu.conf"

need_cmd ninja ninja-build
need_cmd pkg-config pkg-config
need_cmd dpkg-source dpkg-dev
need_cmd ccache ccache
need_cmd curl curl
[ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import venv' 2>/dev/null ||
	die "python3 with its venv module missing; run scripts/apt-setup.sh"
pkg-config --exists glib-2.0 pixman-1 || die "glib/pixman headers missing; run scripts/apt-setup.sh"

QDIR=$BUILD/qemu
mkdir -p "$QDIR" "$DL/qemu"
series=$TOP/lab/qemu/patches/series

# One file of the Debian pool into $DL/qemu (kept: a second run is offline).
pool_get() {
	local url=$1 f=$DL/qemu/${1##*/}
	[ -s "$f" ] && return 0
	run curl -fsSL --retry 3 -o "$f.part" "$url" && mv "$f.part" "$f" ||
		die "cannot download $url (log: $LOG)"
}

# Debian's source package, verified: the .dsc by its pinned sha256, the
# tarballs by the checksums the .dsc lists (dpkg-source -x checks them).
fetch_source() {
	local ver=${QEMU_DEB_VERSION#*:} dsc f
	dsc=$DL/qemu/${QEMU_DEB_PACKAGE}_$ver.dsc
	say "qemu: source $QEMU_DEB_PACKAGE=$QEMU_DEB_VERSION"
	pool_get "$QEMU_POOL/${dsc##*/}"
	echo "$QEMU_DSC_SHA256  $dsc" | sha256sum -c --status ||
		die "checksum mismatch for $dsc (want $QEMU_DSC_SHA256); delete it to download again"
	for f in $(awk '/^Checksums-Sha256:/ {on = 1; next} /^[^ ]/ {on = 0} on {print $3}' "$dsc"); do
		pool_get "$QEMU_POOL/$f"
	done
	DSC=$dsc
}

# Trixie's meson, unpacked under $QDIR (QEMU 10.2 needs meson >= 1.5).
setup_meson() {
	local deb=$DL/qemu/$QEMU_MESON_DEB dir=$QDIR/meson
	if [ "$(cat "$dir/.id" 2>/dev/null)" != "$QEMU_MESON_SHA256" ]; then
		pool_get "$QEMU_MESON_POOL/$QEMU_MESON_DEB"
		echo "$QEMU_MESON_SHA256  $deb" | sha256sum -c --status ||
			die "checksum mismatch for $deb (want $QEMU_MESON_SHA256); delete it to download again"
		rm -rf "$dir"
		run dpkg-deb -x "$deb" "$dir" || die "cannot unpack $deb (log: $LOG)"
		echo "$QEMU_MESON_SHA256" >"$dir/.id"
	fi
	export PYTHONPATH=$dir/usr/lib/python3/dist-packages${PYTHONPATH:+:$PYTHONPATH}
	export PATH=$dir/usr/bin:$PATH
	meson --version >/dev/null 2>&1 || die "the unpacked meson does not run (log: $LOG)"
}

# series_inputs [EXTRA_PATCH]: what a tree is made from (the pin, our
# series, the extra patch), for its id.
series_inputs() {
	cat "$TOP/lab/qemu/qemu.conf"
	if [ -f "$series" ]; then
		while read -r p; do
			case "$p" in ''|'#'*) continue ;; esac
			cat "$TOP/lab/qemu/patches/$p"
		done <"$series"
	fi
	[ -z "${1:-}" ] || cat "$1"
}

# prepare_tree SRC [EXTRA_PATCH]: SRC at "base" plus our series (and the
# extra patch), or left alone when up to date.
prepare_tree() {
	local src=$1 extra=${2:-} id
	id=$(series_inputs "$extra" | sha256sum | cut -d' ' -f1)
	if [ -d "$src/.git" ] && [ "$(cat "$src.id" 2>/dev/null)" = "$id" ] &&
	   [ -z "$(git -C "$src" status --porcelain)" ]; then
		return 0
	fi
	if [ ! -d "$src/.git" ] ||
	   [ "$(cat "$src.version" 2>/dev/null)" != "$QEMU_DEB_VERSION" ]; then
		fetch_source
		say "qemu: extracting $(basename "$DSC")"
		rm -rf "$src.new" "$src"
		# With Debian's patches (debian/patches/series) applied.
		run dpkg-source -x "$DSC" "$src.new" ||
			die "dpkg-source -x $DSC failed (log: $LOG)"
		# The +ds tarball drops the prebuilt edk2 firmware, which an
		# arm-softmmu build would otherwise unpack from pc-bios/.
		sed -i "s/^edk2_targets = .*/edk2_targets = []/" "$src.new/meson.build"
		(cd "$src.new" && run git init -q && run git config gc.auto 0 && run git add -A -f &&
			run git -c user.name=imx6-lab -c user.email=imx6-lab@localhost \
				commit -q -m "qemu $QEMU_DEB_VERSION (Debian source)" &&
			run git tag base) || die "cannot make the base commit"
		mv "$src.new" "$src"
		echo "$QEMU_DEB_VERSION" >"$src.version"
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
				rm -f "$src.id"
				die "lab/qemu/patches/$p does not apply to qemu $QEMU_DEB_VERSION"
			fi
		done <"$series"
	fi
	if [ -n "$extra" ] &&
	   ! run git -C "$src" -c user.name=imx6-lab -c user.email=imx6-lab@localhost am -q --3way "$extra"; then
		run git -C "$src" am --abort || true
		rm -f "$src.id"
		die "$extra does not apply on top of the series"
	fi
	echo "$id" >"$src.id"
}

if [ -n "${QEMU_SRC:-}" ] && [ -n "${QEMU_FLAVOUR:-}" ]; then
	die "QEMU_SRC and QEMU_FLAVOUR together: the sanitizer flavours build the pinned tree under \$BUILD/qemu only"
fi
if [ -n "${QEMU_SRC:-}" ]; then
	src=$(cd "$QEMU_SRC" && pwd) || die "QEMU_SRC=$QEMU_SRC does not exist"
	[ -f "$src/configure" ] || die "QEMU_SRC=$src is not a QEMU source tree"
	bld=$src/build-lab
	dest=$src/build-lab
else
	case "${QEMU_FLAVOUR:-}" in
	'')	src=$QDIR/src bld=$QDIR/build dest=$QDIR
		prepare_tree "$src" ;;
	asan)	src=$QDIR/src bld=$QDIR/build-asan dest=$QDIR/asan
		prepare_tree "$src" ;;
	asan-old)
		src=$QDIR/src-old bld=$QDIR/build-asan-old dest=$QDIR/asan-old
		prepare_tree "$src" "$TOP/lab/qemu/fuzz/old-channel0-range.patch" ;;
	*)	die "QEMU_FLAVOUR=$QEMU_FLAVOUR: want asan or asan-old" ;;
	esac
fi

setup_meson
export CCACHE_DIR=${CCACHE_DIR:-$BUILD/ccache}
export CCACHE_BASEDIR=$src CCACHE_NOHASHDIR=1
t0=$(date +%s)
conf_args=(--target-list=arm-softmmu --python=/usr/bin/python3
	--cc="ccache gcc" --cxx="ccache g++" --host-cc="ccache gcc"
	--without-default-features --enable-fdt=system --enable-tcg
	--disable-docs --disable-werror --disable-install-blobs)
case "${QEMU_FLAVOUR:-}" in
asan*) conf_args+=(--enable-asan --enable-ubsan) ;;
esac
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
# The series this binary has (without a flavour's extra patch): check 31
# uses the sanitizer builds only when theirs is the lab build's.
if [ -z "${QEMU_SRC:-}" ]; then
	series_inputs | sha256sum | cut -d' ' -f1 >"$dest/series.id"
fi
say "qemu: $dest/bin/qemu-system-arm ready ($(elapsed "$t0"))"
echo "$dest/bin/qemu-system-arm"
