# SPDX-License-Identifier: GPL-2.0
# Included by the top Makefile.
#
#   make xrun-stress        cross-build the guest's XRUN stress tool
#   make xrun-stress-test   its host unit tests (TAP)
#   make pcm-robust         cross-build the guest's robustness campaign tool

.PHONY: xrun-stress xrun-stress-test pcm-robust

xrun-stress:
	@lab/tools/xrun-stress/build.sh

xrun-stress-test:
	@$(MAKE) -s -C lab/tools/xrun-stress O="$(BUILD)/tools/xrun-stress-host" test

pcm-robust:
	@lab/tools/pcm-robust/build.sh
