# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Debian armhf packages for the guest: source after scripts/lib.sh.
#
# A package is downloaded once with apt-get download into $DL/armhf and
# then reused as it is, so a rebuild sees the same bytes even after the
# mirror moved on; delete the .deb to take a newer one.

DEB_DIR=$DL/armhf

# armhf_deb PKG: the path of PKG's .deb, downloading it when missing.
armhf_deb() {
	local p=$1 f
	mkdir -p "$DEB_DIR"
	dpkg --print-foreign-architectures | grep -qx armhf ||
		die "the armhf architecture is not configured; run scripts/apt-setup.sh"
	f=$(deb_in_dl "$p")
	if [ -z "$f" ]; then
		say "rootfs: downloading $p:armhf"
		# Architecture: all packages have no armhf candidate
		(cd "$DEB_DIR" && { run apt-get download "$p:armhf" ||
				    run apt-get download "$p"; }) ||
			die "cannot download $p:armhf with apt-get download"
		f=$(deb_in_dl "$p")
		[ -n "$f" ] || die "apt-get download $p:armhf left no .deb in $DEB_DIR"
	fi
	echo "$f"
}

# deb_in_dl PKG: the newest PKG_*_{armhf,all}.deb already downloaded.
deb_in_dl() {
	local f best=
	for f in "$DEB_DIR/$1"_*_armhf.deb "$DEB_DIR/$1"_*_all.deb; do
		[ -f "$f" ] || continue
		if [ -z "$best" ] || dpkg --compare-versions \
			"$(deb_field "$f" Version)" gt "$(deb_field "$best" Version)"; then
			best=$f
		fi
	done
	echo "$best"
}

# deb_field DEB FIELD
deb_field() {
	dpkg-deb -f "$1" "$2"
}
