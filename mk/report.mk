# SPDX-License-Identifier: GPL-2.0
# The lab report: docs/results/ from the last lab run in $(BUILD).
#
#   make report              regenerate docs/results/README.md and docs/results/fig/
.PHONY: report

report:
	@scripts/report.sh

# Compare the matrix of docs/results/README.md with the one committed at
# REV, row by row (scripts/compare-results.sh): verdict changes, count
# changes, rows in one only.
#   make compare-results REV=ae117ac
.PHONY: compare-results
compare-results:
	@scripts/compare-results.sh $(REV)
