#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tests/lab-kasan-rows.sh: the rows of tests/lab-matrix.conf that a KASAN
# kernel (the kasan config flavour, make kasan, check 45-kasan) runs: the
# XRUN rows, the sdma-client run and its scenario rows, arecord-rates and
# aplay; one line, space separated.
awk '$1 ~ /^(xrun-capture|xrun-playback|xrun-duplex|sdma-client([:\/].*)?|arecord-rates|aplay)$/ { printf "%s%s", s, $1; s = " " }
	END { print "" }' "${LAB_MATRIX:-$(dirname "$0")/lab-matrix.conf}"
