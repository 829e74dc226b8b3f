#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# late-irq [-d SECONDS]: the seed report's own mechanism, with the stock
# tools. The lab QEMU holds back every 50th SDMA channel interrupt until
# the channel can go no further (the "late-irq-*" properties of the SDMA
# model; lab/run-guest.sh passes the lab-qemu line below), so the PCM
# core finds the whole buffer done in that one interrupt, declares the
# XRUN and stops the stream there, and the application, woken by the
# XRUN, recovers at once (PREPARE, then the next read or write starts
# the stream). arecord, then aplay, with the report's geometry (S16_LE
# stereo 48 kHz, 64-frame periods, 960-frame buffer), SECONDS each
# (default 9: about 100 late interrupts). Each must run to its end,
# after at least one XRUN; on a kernel with the race a restart loses its
# DMA and the tool fails ("read error: Input/output error" after the PCM
# core's "capture write error (DMA or IRQ trouble?)").
#
# lab-qemu: -global driver=imx.sdma,property=late-irq-every,value=50

. /lab/lib.sh
secs=9
while getopts d: o; do
	case $o in
	d) secs=$OPTARG ;;
	*) echo "usage: late-irq.sh [-d SECONDS]" >&2; exit 2 ;;
	esac
done
dev=$(lab_pcm)
geom="-f S16_LE -r 48000 -c 2 --period-size=64 --buffer-size=960"
ktap_plan 3

# run_tool NAME WORD CMD...: CMD must exit 0 after at least one XRUN
# (arecord and aplay print "overrun!!!" or "underrun!!!" for each).
run_tool() {
	name=$1 word=$2
	shift 2
	"$@" >/tmp/$name.out 2>&1
	rc=$?
	diag /tmp/$name.out
	n=$(grep -c "$word!!!" /tmp/$name.out)
	if [ $rc -ne 0 ]; then
		ktap_fail "$name" "exit $rc after $n ${word}s: $(grep -v "$word!!!" /tmp/$name.out | tail -n1)"
	elif [ "$n" -eq 0 ]; then
		ktap_fail "$name" "no $word: the late interrupts did not reach the PCM (case not reached)"
	else
		ktap_ok "$name ($n ${word}s recovered, $secs s)"
	fi
}

# shellcheck disable=SC2086
run_tool late-capture overrun arecord -D "$dev" $geom -d "$secs" /tmp/late.wav
rm -f /tmp/late.wav
# The lab's data pattern, as aplay.sh plays it (the SSI model checks it;
# the breaks that the underruns make are reported, not judged).
ktap_expect "xrun-stress --generate $secs s at 48000 Hz" \
	xrun-stress --generate /tmp/late.wav -r 48000 -c 2 -f S16_LE --seconds "$secs"
# shellcheck disable=SC2086
run_tool late-playback underrun aplay -D "$dev" $geom /tmp/late.wav
rm -f /tmp/late.wav
ktap_done
