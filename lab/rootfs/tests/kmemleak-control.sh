#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# kmemleak-control: the positive control of the leak check every run
# gets (/init's kmemleak scans; lab/verdict.sh fails a run on any
# report). One memcpy of the sdma-client module, loaded with leak=2: it
# leaves two 128-byte objects unreferenced when it goes. The KTAP passes;
# kmemleak must report the objects (expectation "leak" in TGT_EXPECT).
exec sh /lab/tests/sdma-client.sh test=memcpy iterations=1 leak=2 "$@"
