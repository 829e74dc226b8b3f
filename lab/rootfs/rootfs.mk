# SPDX-License-Identifier: GPL-2.0
# Included by the top Makefile.
#
#   make rootfs                          the base initramfs ($BUILD/rootfs/initramfs.cpio.gz)
#   make initrd TARGET=x VARIANT=y       base + that kernel's modules
#                                        ($BUILD/rootfs/initrd-x-y.cpio.gz)

.PHONY: rootfs initrd

rootfs:
	@lab/rootfs/build.sh

initrd:
	@test -n "$(TARGET)" || { echo "error: TARGET is not set" >&2; exit 1; }
	@lab/rootfs/build.sh --modules "$(BUILD)/out/$(TARGET)/$(VARIANT)"
