# SPDX-License-Identifier: GPL-2.0
# Included by the top Makefile.
#
#   make xrun-stress        cross-build the guest's XRUN stress tool
#   make xrun-stress-test   its host unit tests (TAP)

.PHONY: xrun-stress xrun-stress-test

xrun-stress:
	@lab/tools/xrun-stress/build.sh

xrun-stress-test:
	@$(MAKE) -s -C lab/tools/xrun-stress O="$(BUILD)/tools/xrun-stress-host" test
