#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# xrun-playback: xrun-stress -m playback with lab.args (e.g. lab.args="-n 50 -s block").
# xrun-stress prints the KTAP itself; its exit status is the test's.

. /lab/lib.sh
exec xrun-stress -D "$(lab_pcm)" -m playback "$@"
