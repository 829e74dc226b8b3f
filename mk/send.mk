# SPDX-License-Identifier: GPL-2.0
# Included by the top Makefile.
#
#   make send TARGET=x [SEND=1]   the series re-signed with your git identity,
#                                 To/Cc from get_maintainer.pl, shown by
#                                 git send-email --dry-run ($(BUILD)/send/x);
#                                 SEND=1 really sends it

.PHONY: send

send: tree
	@SEND="$(SEND)" scripts/send.sh "$(TARGET)"
