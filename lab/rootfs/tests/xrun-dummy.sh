#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# xrun-dummy [CYCLES]: xrun-stress's own test on the snd-dummy card
# (boot with lab.modules=snd-dummy; lab/tools/xrun-stress/snd-dummy.sh
# builds it): every mode with every stall method forces and recovers
# CYCLES XRUNs (default 4), and a transfer blocked past the deadline is
# reported as a timeout that stops the run. snd-dummy sends no data
# pattern, so continuity is not checked here.

. /lab/lib.sh
n=${1:-4}
dev=hw:Dummy,0
ktap_plan 10
if ! grep -q Dummy /proc/asound/cards 2>/dev/null; then
	echo "# no Dummy card: boot with lab.modules=snd-dummy"
fi
for mode in capture playback duplex; do
	for stall in sleep inject block; do
		out=$(xrun-stress -D $dev -m $mode -s $stall -n "$n" --no-pattern 2>&1)
		rc=$?
		printf '%s\n' "$out" | grep -vE '^(ok|not ok|KTAP|1\.\.)' | diag
		sums=$(printf '%s\n' "$out" | grep '^summary')
		good=$(printf '%s\n' "$sums" | grep -c " cycles=$n ok=$n ")
		want=1
		[ $mode = duplex ] && want=2
		stop=$(printf '%s\n' "$sums" | sed -n 's/.*since_stop_p50_us=\([0-9]*\).*/\1/p' | tr '\n' ' ')
		desc="$mode, stall=$stall: $n XRUNs forced and recovered"
		if [ $rc -eq 0 ] && [ "$good" = $want ]; then
			ktap_ok "$desc (stop to prepare, p50: ${stop% } us)"
		else
			ktap_fail "$desc" "exit $rc: $(printf '%s\n' "$out" | grep -m1 -E '^not ok|^summary')"
		fi
	done
done
# A 2 s buffer at 8 kHz: the block stall's read waits past a 1 s deadline.
out=$(xrun-stress -D $dev -r 8000 -p 1000 -b 16000 -s block -w 1 -n 2 --no-pattern 2>&1)
rc=$?
printf '%s\n' "$out" | diag
if [ $rc -ne 0 ] && printf '%s\n' "$out" | grep -q '^cycle=1 .* outcome=timeout .*at=stall' &&
   printf '%s\n' "$out" | grep -q '^ok 2 .*# SKIP'; then
	ktap_ok "a transfer blocked past the deadline is a timeout and stops the run"
else
	ktap_fail "a transfer blocked past the deadline is a timeout and stops the run" "exit $rc"
fi
ktap_done
