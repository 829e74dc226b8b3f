#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# sparse.sh: print the path of the sparse the series checks run (kbuild's
# CHECK=), building it first when needed.
#
# Debian's sparse (0.6.4 in bookworm and trixie) does not know
# __typeof_unqual__, which mainline's headers use: 7.3's kbuild tries the
# checker first (scripts/checker-valid.sh) and, when it fails, prints
# "C=1 specified, but sparse is not available or not up to date" and
# checks nothing. So the lab builds the sparse of Debian unstable
# (0.6.5~rc1, which does) from its source tarball in the Debian pool,
# pinned by sha256, into $BUILD/tools/sparse-VERSION, and uses it for
# every target. The pool drops a version once unstable moves on: then
# give the same tarball with SPARSE_SRC=<path>. SPARSE=<path> uses that
# sparse instead (15-series gives Debian's, to see the check fail).

. "$(dirname "$0")/lib.sh"

SPARSE_VERSION=0.6.5~rc1
SPARSE_TARBALL=sparse_$SPARSE_VERSION.orig.tar.gz
SPARSE_SHA256=3ac8855ec7f3ab92f325be0f64347ccc2b10f8b4d7c2906783ee8e2bdab3f0de
SPARSE_URL=http://deb.debian.org/debian/pool/main/s/sparse/$SPARSE_TARBALL

if [ -n "${SPARSE:-}" ]; then
	command -v "$SPARSE" || die "SPARSE=$SPARSE: no such program"
	exit 0
fi
dest=$BUILD/tools/sparse-$SPARSE_VERSION
if [ -x "$dest/sparse" ] && [ "$(cat "$dest/id" 2>/dev/null)" = "$SPARSE_SHA256" ]; then
	echo "$dest/sparse"
	exit 0
fi
build_lock sparse "$@"
start_log sparse
need_cmd curl curl
need_cmd make make

tb=${SPARSE_SRC:-$DL/$SPARSE_TARBALL}
if [ ! -f "$tb" ]; then
	say "sparse: downloading $SPARSE_URL"
	run curl -fsSL --retry 3 -o "$tb.part" "$SPARSE_URL" && mv "$tb.part" "$tb" ||
		die "cannot download $SPARSE_URL; give the tarball with SPARSE_SRC=<path>"
fi
echo "$SPARSE_SHA256  $tb" | sha256sum -c --status ||
	die "checksum mismatch for $tb (want $SPARSE_SHA256)"

say "sparse: building $SPARSE_VERSION in $dest"
work=$BUILD/tools/.sparse-build
rm -rf "$work" "$dest.new"
mkdir -p "$work" "$dest.new"
run tar -xzf "$tb" -C "$work" --strip-components=1 || die "cannot unpack $tb"
run make -C "$work" -j"$JOBS" sparse || die "sparse build failed"
cp "$work/sparse" "$dest.new/sparse"
echo "$SPARSE_SHA256" >"$dest.new/id"
rm -rf "$dest" "$work"
mv "$dest.new" "$dest"
echo "$dest/sparse"
