# SPDX-License-Identifier: GPL-2.0
# The lab matrix (tests/lab-run.sh) and single guest runs.
#
#   make test-lab [TARGET=x] [LAB_TESTS="xrun-capture ..."] [LAB_CYCLES=N]
#   make run-guest TARGET=x VARIANT=y TEST=name [ARGS="..."]
.PHONY: test-lab run-guest

test-lab:
	@tests/lab-run.sh $(TARGET)

run-guest:
	@test -n "$(TARGET)" && test -n "$(TEST)" || { echo "error: set TARGET, VARIANT and TEST" >&2; exit 1; }
	@lab/run-guest.sh "$(TARGET)" "$(VARIANT)" "$(TEST)" "$(ARGS)"
