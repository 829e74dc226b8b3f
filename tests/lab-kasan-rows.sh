#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tests/lab-kasan-rows.sh: the rows of tests/lab-matrix.conf that a KASAN
# kernel (the kasan config flavour, make kasan, check 45-kasan) runs: the
# XRUN rows, the sdma-client run and its scenario rows; one line, space
# separated. Left out, measured on 6.12 (docs/results/kasan-6.12.md):
# arecord-rates and aplay, whose guest-time check allows 50 ms to start
# the program where a KASAN kernel needs 220-310 ms (their data checks
# pass), and the stale-irq scenario's row, a timing race the four times
# slower KASAN kernel does not hit (the sdma-client boot still runs it
# under KASAN).
awk '$1 ~ /^(xrun-capture|xrun-playback|xrun-duplex|sdma-client([:\/].*)?)$/ &&
	$1 != "sdma-client/stale-irq" { printf "%s%s", s, $1; s = " " }
	END { print "" }' "${LAB_MATRIX:-$(dirname "$0")/lab-matrix.conf}"
