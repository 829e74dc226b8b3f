# SPDX-License-Identifier: GPL-2.0
# The lab matrix (tests/lab-run.sh) and single guest runs.
#
#   make test-lab [TARGET=x] [LAB_TESTS="xrun-capture ..."] [LAB_CYCLES=N]
#   make run-guest TARGET=x VARIANT=y TEST=name [ARGS="..."]
#   make kasan TARGET=x [KASAN_ROWS="..."]  the kasan config flavour: build
#       unpatched+kasan and patched+kasan (lab/configs/kasan.config) and run
#       KASAN_ROWS on both (results in $(BUILD)/results-kasan)
.PHONY: test-lab run-guest kasan

# The target's trees, series and kernels brought up to date first
# (scripts/lab.sh: what did not change is not rebuilt, boots whose inputs
# did not change are reused), then its lab matrix.
test-lab:
	@scripts/lab.sh $(TARGET)

run-guest:
	@test -n "$(TARGET)" && test -n "$(TEST)" || { echo "error: set TARGET, VARIANT and TEST" >&2; exit 1; }
	@lab/run-guest.sh "$(TARGET)" "$(VARIANT)" "$(TEST)" "$(ARGS)"

# The rows a KASAN kernel runs: the XRUN rows, the sdma-client run and its
# scenario rows (tests/lab-kasan-rows.sh). Measured on 6.12
# (docs/results/kasan-6.12.md): 0 KASAN reports. Left out because they
# were not ok under KASAN for reasons of timing, not memory safety:
# arecord-rates and aplay (the guest time allows 50 ms to start the
# program, KASAN needs 220-310 ms) and the unpatched stale-irq race, which
# the slower kernel does not hit.
KASAN_ROWS ?= $(shell tests/lab-kasan-rows.sh)

kasan:
	@test -n "$(TARGET)" || { echo "error: TARGET is not set (make kasan TARGET=6.12)" >&2; exit 1; }
	@scripts/kernel.sh "$(TARGET)" unpatched+kasan
	@scripts/kernel.sh "$(TARGET)" patched+kasan
	@LAB_VARIANTS="unpatched+kasan patched+kasan" LAB_TESTS="$(KASAN_ROWS)" \
		LAB_RESULTS="$${LAB_RESULTS:-$(BUILD)/results-kasan}" tests/lab-run.sh "$(TARGET)"
