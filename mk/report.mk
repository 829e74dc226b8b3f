# SPDX-License-Identifier: GPL-2.0
# The lab report: docs/results/ from the last lab run in $(BUILD).
#
#   make report              regenerate docs/results/README.md and docs/results/fig/
.PHONY: report

report:
	@scripts/report.sh
