#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# cards: the sabrelite (SGTL5000) sound card is registered, and the user
# space the other tests rely on starts: arecord, aplay, xrun-stress.

. /lab/lib.sh
ktap_plan 4
echo "# /proc/asound/cards:"
diag /proc/asound/cards 2>/dev/null || echo "# (no /proc/asound)"
echo "# /dev/snd: $(ls /dev/snd 2>/dev/null | tr '\n' ' ')"
if card_present; then
	ktap_ok "sabrelite sound card"
else
	ktap_fail "sabrelite sound card" "no sabrelite card in /proc/asound/cards"
fi
echo "# arecord -l:"
arecord -l 2>&1 | diag
ktap_expect "arecord starts (arecord --version)" arecord --version
ktap_expect "aplay starts (aplay --version)" aplay --version
ktap_expect "xrun-stress starts (xrun-stress --help)" xrun-stress --help
ktap_done
