#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# robust-hwparams: pcm-robust hwparams (lab/tools/pcm-robust/README.md).
# hw_params the card cannot do, as raw HW_REFINE/HW_PARAMS ioctls on
# /dev/snd/pcmC0D0c and pcmC0D0p and through alsa-lib: each refused with
# -EINVAL, nothing in dmesg, and afterwards a valid setup captures and
# plays again.

. /lab/lib.sh
[ $# -gt 0 ] || set -- "$(lab_card)"
exec pcm-robust -D "$(lab_pcm)" hwparams "$@"
