#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# robust-storm [ITERATIONS]: pcm-robust storm (lab/tools/pcm-robust/README.md).
# Capture and playback at the same time, each ITERATIONS (default 100)
# times open, hw_params, start, a few periods, drop, close; then each
# ITERATIONS times drop, prepare, start on one open stream. Every start
# must move data within 2 s, captured data continuous, no call failing.

. /lab/lib.sh
exec pcm-robust -D "$(lab_pcm)" storm "$@"
