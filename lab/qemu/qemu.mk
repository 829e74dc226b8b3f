# SPDX-License-Identifier: GPL-2.0
# The lab QEMU: Debian's qemu 10.2.2 source plus lab/qemu/patches (SDMA, SSI,
# AUDMUX, SGTL5000 models), arm-softmmu only, and the models' qtests.
.PHONY: qemu qtest

qemu:
	@lab/qemu/build.sh

qtest: qemu
	@lab/qemu/qtest.sh

# The fuzz benchmark (lab/qemu/fuzz/run.sh): ASan/UBSan builds, the old
# model's overflow found, FUZZ_OPS (1,000,000) operations on the current
# models without a finding. Not part of make check, which runs a short
# fuzz of the lab build (tests/checks/31-fuzz.sh).
.PHONY: fuzz
fuzz:
	@lab/qemu/fuzz/run.sh
