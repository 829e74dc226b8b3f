# SPDX-License-Identifier: GPL-2.0
# Included by the top Makefile.
#
#   make send TARGET=x [SEND=1]   the series re-signed with your git identity,
#                                 To/Cc from get_maintainer.pl, shown by
#                                 git send-email --dry-run ($(BUILD)/send/x);
#                                 SEND=1 really sends it
#   make send TARGET=x KERNEL_SRC=~/linux [SEND_BASE=rev] [SEND=1]
#                                 the same from your own clone of the tree
#                                 you send to (applied on its HEAD, its
#                                 checkpatch.pl with its history, its
#                                 get_maintainer.pl, base-commit from it)

.PHONY: send

# From your own tree the lab's tree is not needed (nor made from yours).
send: $(if $(KERNEL_SRC),,tree)
	@SEND="$(SEND)" SEND_BASE="$(SEND_BASE)" KERNEL_SRC="$(KERNEL_SRC)" scripts/send.sh "$(TARGET)"

# The b4 way, in your own clone (writes a branch b4/imx6-TARGET there):
#   make b4-prep TARGET=x KERNEL_SRC=~/linux [B4_BRANCH=name]
.PHONY: b4-prep
b4-prep:
	@KERNEL_SRC="$(KERNEL_SRC)" B4_BRANCH="$(B4_BRANCH)" scripts/b4-prep.sh "$(TARGET)"
