#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# arecord [-D PCM] [-r RATE] [-d SECONDS]: capture with arecord as a user
# would (S16_LE stereo), then check the file with xrun-stress --verify: the
# model's pattern must be continuous and as long as asked for. The guest
# time the capture took is compared with the audio length.

. /lab/lib.sh
dev=$(lab_pcm) rate=48000 secs=5
while getopts D:r:d: o; do
	case $o in
	D) dev=$OPTARG ;;
	r) rate=$OPTARG ;;
	d) secs=$OPTARG ;;
	*) echo "usage: arecord.sh [-D PCM] [-r RATE] [-d SECONDS]" >&2; exit 2 ;;
	esac
done
ktap_plan 3
f=/tmp/arecord.wav
t0=$(uptime_cs)
arecord -D "$dev" -f S16_LE -r "$rate" -c 2 -d "$secs" "$f" >/tmp/arecord.out 2>&1
rc=$?
t1=$(uptime_cs)
diag /tmp/arecord.out
if [ $rc -eq 0 ]; then
	ktap_ok "arecord -D $dev -f S16_LE -r $rate -c 2 -d $secs"
else
	ktap_fail "arecord -D $dev -f S16_LE -r $rate -c 2 -d $secs" "exit $rc: $(tail -n1 /tmp/arecord.out)"
fi
out=$(xrun-stress --verify "$f" 2>&1)
vrc=$?
echo "# $out"
want=$((rate * secs))
got=$(echo "$out" | sed -n 's/.* frames=\([0-9]*\) .*/\1/p')
if [ $vrc -eq 0 ] && [ "${got:-0}" -eq "$want" ]; then
	ktap_ok "the captured pattern is continuous ($want frames)"
elif [ $vrc -eq 0 ]; then
	ktap_fail "the captured pattern is continuous ($want frames)" "only ${got:-0} frames"
else
	ktap_fail "the captured pattern is continuous ($want frames)" "$(echo "$out" | head -n1)"
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
