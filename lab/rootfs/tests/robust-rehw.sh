#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# robust-rehw [ITERATIONS]: pcm-robust rehw (lab/tools/pcm-robust/README.md).
# Capture, then playback, each ITERATIONS (default 50) times: start, a few
# periods, drop, hw_params at once as a raw ioctl (no hw_free first),
# prepare. HW_PARAMS must not return while the DMA termination of the drop
# is still pending (judged from the kernel's trace: workqueue events of
# the imx-sdma termination worker and markers around each HW_PARAMS), and
# every start must move data again.

. /lab/lib.sh
exec pcm-robust -D "$(lab_pcm)" rehw "$@"
