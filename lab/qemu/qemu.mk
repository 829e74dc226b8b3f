# SPDX-License-Identifier: GPL-2.0
# The lab QEMU: Debian's qemu 10.2.2 source plus lab/qemu/patches (SDMA, SSI,
# AUDMUX, SGTL5000 models), arm-softmmu only, and the models' qtests.
.PHONY: qemu qtest

qemu:
	@lab/qemu/build.sh

qtest: qemu
	@lab/qemu/qtest.sh
