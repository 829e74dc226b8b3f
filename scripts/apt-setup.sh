#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# apt-setup.sh [PACKAGE...]: make the Debian suites the lab needs known to
# apt (bullseye-security for linux-source-5.10, trixie-security for 6.12,
# trixie-backports for 7.3; 6.1 comes from the host's own
# bookworm-security; QEMU's source and trixie's meson come straight from
# the Debian pool, see lab/qemu/qemu.conf)
# in files this project owns, then install the host packages the kernel
# tooling and the lab QEMU build (lab/qemu/build.sh) need plus any given,
# skipping what is already installed.
# Needs root (or sudo) when something is missing.

. "$(dirname "$0")/lib.sh"
start_log apt-setup

SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo

PKGS=(gcc-arm-linux-gnueabihf libc6-dev-armhf-cross make bc bison flex
      libssl-dev libelf-dev lzop lz4 xz-utils cpio kmod ccache sparse rsync
      git perl python3 python3-venv curl dpkg-dev qemu-system-arm gnuplot-nox
      git-email libmailtools-perl b4 lava-common busybox-static
      ninja-build pkg-config libglib2.0-dev libpixman-1-dev libfdt-dev
      zlib1g-dev python3-configobj python3-setproctitle python3-magic
      python3-pyudev python3-aiohttp python3-netifaces python3-tz
      python3-pexpect python3-jinja2 python3-yaml "$@")
# git-email (+ libmailtools-perl, which git send-email needs and Debian
# only recommends): make send. b4: make b4-prep and its test (51).
# lava-common: the LAVA job and test
# definition schemas of tests/checks/55-lava.sh; busybox-static: its run
# of the LAVA test steps in the guest's shell. python3-configobj ...
# python3-yaml: what lava-run needs (lab/lava/lava-run.sh unpacks the
# pinned lava-dispatcher itself, check 56).

src=/etc/apt/sources.list.d/imx6-lab.sources
pin=/etc/apt/preferences.d/imx6-lab
want_src=$(cat <<'EOF'
# Managed by imx6-lab scripts/apt-setup.sh: the suites the lab fetches
# kernel (bullseye-security: linux-source-5.10; trixie-security:
# linux-source-6.12; trixie-backports: linux-source-7.3) sources from.
Types: deb
URIs: http://deb.debian.org/debian
Suites: bullseye trixie trixie-backports
Components: main
Architectures: HOSTARCH
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bullseye-security trixie-security
Components: main
Architectures: HOSTARCH
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
)
# Kernel sources are Architecture: all, listed in the host's own index; the
# foreign armhf indexes of these suites are not needed (and the mirror has
# no bullseye-security armhf index: apt-get update failed on it).
want_src=${want_src//HOSTARCH/$(dpkg --print-architecture)}
want_pin=$(cat <<'EOF'
# Managed by imx6-lab scripts/apt-setup.sh: never upgrade the host from
# bullseye or trixie; those suites are there for the kernel source
# packages only, which the lab downloads by pinned version.
Package: *
Pin: release n=bullseye
Pin-Priority: 100

Package: *
Pin: release n=bullseye-security
Pin-Priority: 100

Package: *
Pin: release n=trixie
Pin-Priority: 50

Package: *
Pin: release n=trixie-backports
Pin-Priority: 50

Package: *
Pin: release n=trixie-security
Pin-Priority: 50
EOF
)

changed=0
# The guest's user space comes from Debian's armhf packages.
if ! dpkg --print-foreign-architectures | grep -qx armhf; then
	run $SUDO dpkg --add-architecture armhf || die "cannot add the armhf architecture"
	changed=1
fi
if [ "$(cat "$src" 2>/dev/null)" != "$want_src" ]; then
	printf '%s\n' "$want_src" | $SUDO tee "$src" >/dev/null || die "cannot write $src"
	changed=1
fi
if [ "$(cat "$pin" 2>/dev/null)" != "$want_pin" ]; then
	printf '%s\n' "$want_pin" | $SUDO tee "$pin" >/dev/null || die "cannot write $pin"
	changed=1
fi

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done

stamp=$BUILD/.apt-updated
if [ $changed = 1 ] || [ ! -f "$stamp" ] || [ "${#missing[@]}" -gt 0 ]; then
	say "apt: updating package lists"
	# One index failing (a mirror mid-sync) must not stop us: what we
	# install is checked below and fails loudly if really missing.
	run $SUDO apt-get update ||
		say "apt: warning: apt-get update reported errors, continuing with the lists it got (log: $LOG)"
	touch "$stamp"
fi
if [ "${#missing[@]}" -gt 0 ]; then
	say "apt: installing ${missing[*]}"
	run $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y \
		--no-install-recommends "${missing[@]}" ||
		die "cannot install: ${missing[*]}"
fi
say "apt: host packages ready"
