# SPDX-License-Identifier: GPL-2.0
#
# Apply the i.MX6 pcm_dmaengine / imx-sdma termination race fix
# (patches/5.4 of this repository) to meta-freescale's linux-fslc 5.4
# (recipes-kernel/linux/linux-fslc_5.4.bb: mainline 5.4.y stable plus the
# FSL community's 5.4.x+fslc backports, i.MX6 and the other i.MX SoCs).
#
# Recipes it targets: linux-fslc_5.4.bb only (the "5.4%" in the file name;
# a linux-fslc_%.bbappend would also patch 5.10+ recipes, where the 5.4
# series does not apply: use patches/5.10 or patches/6.12 there).
# The series is made for v5.4.286 and applies from 5.4.214 to 5.4.301
# (scripts/series-trees.sh); on another LINUX_VERSION of the recipe check
# "bitbake -c patch virtual/kernel" first. NXP's linux-imx and
# linux-fslc-imx 5.4 (lf-5.4.y) carry their own imx-sdma rework and are not
# targeted: the imx-sdma patches 0003/0004 do not apply there as they are.
#
# Use: bitbake-layers add-layer <this repository>/lab/board/yocto
# (a minimal layer: conf/layer.conf). The patches are read from the
# repository's patches/5.4 directly, not copied.

FILESEXTRAPATHS:prepend := "${THISDIR}/../../../patches/5.4:"

SRC_URI += " \
    file://0001-ALSA-pcm_dmaengine-add-a-helper-to-wait-for-an-async.patch \
    file://0002-ASoC-generic-dmaengine-pcm-wait-for-the-DMA-terminat.patch \
    file://0003-dmaengine-imx-sdma-a-pending-termination-must-only-f.patch \
    file://0004-dmaengine-imx-sdma-do-not-reprogram-a-channel-before.patch \
    file://0005-dmaengine-doc-new-transfers-are-not-affected-by-an-a.patch \
"
