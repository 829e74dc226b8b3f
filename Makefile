# SPDX-License-Identifier: GPL-2.0
#
# i.MX6 pcm_dmaengine / imx-sdma termination race: patch series and lab.
# Every output goes under BUILD (default ~/.cache/imx6-lab); the repository
# only holds patches, scripts, configs and our own tools.
#
#   make lab                  build and run the lab on every available target
#   make check                set up and run all tests (TAP, then a summary)
#   make tree TARGET=x        pristine kernel git tree (KERNEL_SRC=... for 5.4)
#   make series TARGET=x [VARIANT=v]  patches/x onto it (patched, or v of TGT_VARIANTS)
#   make kernel TARGET=x VARIANT=unpatched|patched|<layer variant>
#   make series-check TARGET=x  bisectable W=1 + sparse + kernel-doc check
#   make checkpatch TARGET=x  checkpatch --strict on the series
#   make bench-kernel TARGET=x  cold kernel build benchmark (no ccache)
#   make repro TARGET=x [VARIANT=y RUNS=20 CYCLES=100 REPRO_TEST=late-irq]  reproduction-rate benchmark
#   make bench-check [RUNS="cold warm edit"]  cost of make check: cold, warm, one-patch edit
#   make qemu / qtest / fuzz  the lab QEMU (our models), their qtests, the ASan/UBSan fuzz benchmark
#   make lava-run TARGET=x VARIANT=y [CYCLES=20]  LAVA's lava-run runs lab/lava's job on the lab QEMU
#   make compare-results REV=r  docs/results' lab matrix against the one committed at r
#   make rootfs / initrd      the guest initramfs (initrd: + one kernel's modules)
#   make test-lab [TARGET=x]  the lab matrix: unpatched vs patched, every guest test

BUILD ?= $(HOME)/.cache/imx6-lab
TARGETS ?= $(shell ls targets/*.conf | sed "s|targets/||; s|\.conf$$||" | sort -V)
TARGET ?=
VARIANT ?= unpatched
export BUILD KERNEL_SRC KERNEL_SRC_REF TARGETS

S := scripts

.PHONY: help setup tree series kernel series-check checkpatch lab check bench-kernel \
	repro lava-run clean-target

help:
	@sed -n '3,22s/^# \{0,1\}//p' Makefile

setup:
	@$(S)/apt-setup.sh

tree:
	@$(S)/tree.sh "$(TARGET)"

series: tree
	@$(S)/series.sh "$(TARGET)" $(filter-out unpatched,$(VARIANT))

kernel:
	@$(S)/kernel.sh "$(TARGET)" "$(VARIANT)"

series-check: tree
	@$(S)/series-check.sh "$(TARGET)"

checkpatch: tree
	@$(S)/checkpatch-run.sh "$(TARGET)"

# Every target whose tree can be had (5.4: KERNEL_SRC_5_4=...), unpatched
# and patched, then the lab matrix.
lab: setup
	@$(S)/lab.sh $(TARGETS)

check: setup
	@tests/run.sh

# Cold-build benchmark of the lab kernel (no ccache): prints measured times.
bench-kernel: tree
	@$(S)/bench-kernel.sh "$(TARGET)" $(RUNS)

# Reproduction rate of the race over RUNS boots: prints measured figures.
repro:
	@$(S)/bench-repro.sh "$(TARGET)" "$(VARIANT)" $(RUNS) $(CYCLES)

# LAVA's dispatcher runs lab/lava's job on the lab QEMU (check 56).
lava-run:
	@lab/lava/lava-run.sh "$(TARGET)" "$(VARIANT)" $(or $(CYCLES),20)

# Remove one target's trees and builds (downloads are kept).
clean-target:
	@test -n "$(TARGET)" || { echo "error: TARGET is not set" >&2; exit 1; }
	rm -rf "$(BUILD)/trees/$(TARGET)" "$(BUILD)/out/$(TARGET)"

-include lab/qemu/qemu.mk
-include lab/rootfs/rootfs.mk
-include lab/tools/tools.mk
-include tests/lab.mk
-include mk/*.mk
