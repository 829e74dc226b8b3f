#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# aplay [-D PCM] [-r RATE] [-d SECONDS]: play the lab's data pattern
# (xrun-stress --generate, S16_LE stereo) with aplay; the QEMU SSI model
# checks what it transmits (tx-discontinuities). The guest time the
# playback took is compared with the audio length.

. /lab/lib.sh
dev=$(lab_pcm) rate=48000 secs=5
while getopts D:r:d: o; do
	case $o in
	D) dev=$OPTARG ;;
	r) rate=$OPTARG ;;
	d) secs=$OPTARG ;;
	*) echo "usage: aplay.sh [-D PCM] [-r RATE] [-d SECONDS]" >&2; exit 2 ;;
	esac
done
ktap_plan 3
f=/tmp/pattern.wav
ktap_expect "xrun-stress --generate $secs s at $rate Hz" \
	xrun-stress --generate "$f" -r "$rate" -c 2 -f S16_LE --seconds "$secs"
t0=$(uptime_cs)
aplay -D "$dev" "$f" >/tmp/aplay.out 2>&1
rc=$?
t1=$(uptime_cs)
diag /tmp/aplay.out
if [ $rc -eq 0 ] && ! grep -q 'underrun' /tmp/aplay.out; then
	ktap_ok "aplay -D $dev plays the pattern"
else
	ktap_fail "aplay -D $dev plays the pattern" "exit $rc: $(tail -n1 /tmp/aplay.out)"
fi
took=$((t1 - t0))
exp=$((secs * 100))
echo "# guest time: ${took}0 ms for ${secs} s of audio (expected ${exp}0 ms)"
# Within 2% of the audio length, plus 50 ms for starting the program.
if [ $took -ge $((exp * 98 / 100)) ] && [ $took -le $((exp * 102 / 100 + 5)) ]; then
	ktap_ok "guest time matches the audio length (${took}0 ms for ${exp}0 ms)"
else
	ktap_fail "guest time matches the audio length" "${took}0 ms for ${exp}0 ms"
fi
ktap_done
