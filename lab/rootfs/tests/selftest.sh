#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# selftest: the guest's own tools without a sound card: xrun-stress
# generates and verifies the data pattern, finds a corrupted sample,
# reports a missing PCM as a KTAP failure; the kernel has the PCM XRUN
# debugging the inject stall method needs.

. /lab/lib.sh
ktap_plan 5
f=/tmp/selftest.wav
ktap_expect "xrun-stress --generate 1 s" xrun-stress --generate "$f" --seconds 1
ktap_expect "xrun-stress --verify finds it continuous" xrun-stress --verify "$f"
# one byte of sample 1001 (44-byte header, 2 bytes a sample)
printf '\377' | dd of="$f" bs=1 seek=$((44 + 2002)) conv=notrunc 2>/dev/null
out=$(xrun-stress --verify "$f" 2>&1)
rc=$?
echo "# $out"
if [ $rc -ne 0 ] && echo "$out" | grep -q 'breaks=2 first_break=1001'; then
	ktap_ok "xrun-stress --verify finds a corrupted sample"
else
	ktap_fail "xrun-stress --verify finds a corrupted sample" "exit $rc: $out"
fi
out=$(xrun-stress -D hw:9,0 -n 1 2>&1)
rc=$?
printf '%s\n' "$out" | diag
if [ $rc -ne 0 ] && printf '%s\n' "$out" | grep -q '^not ok 1 capture setup on hw:9,0 # '; then
	ktap_ok "xrun-stress reports a missing PCM in KTAP"
else
	ktap_fail "xrun-stress reports a missing PCM in KTAP" "exit $rc"
fi
if zcat /proc/config.gz 2>/dev/null | grep -qx 'CONFIG_SND_PCM_XRUN_DEBUG=y'; then
	ktap_ok "CONFIG_SND_PCM_XRUN_DEBUG=y (xrun_injection for --stall=inject)"
else
	ktap_fail "CONFIG_SND_PCM_XRUN_DEBUG=y (xrun_injection for --stall=inject)" "not in /proc/config.gz"
fi
ktap_done
