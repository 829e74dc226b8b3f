#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# bench-repro.sh TARGET VARIANT [RUNS] [CYCLES]: reproduction-rate
# benchmark. Boots the lab kernel RUNS times (default 20), each running
# xrun-stress capture for up to CYCLES forced XRUNs (default 100, stopping
# at the first failure), and prints measured figures: in how many runs the
# race showed (eio or timeout), at which cycle, the recovery latency of the
# surviving cycles and the SDMA settle hazards the model saw.
# LAB_ICOUNT=N runs every boot with -icount shift=N (repeatable timing);
# LAB_STALL=sleep|inject|block picks xrun-stress's XRUN method (default
# block: the overrun wakes the blocked read, as in the report).
# Per-run RESULT lines: $BUILD/results/repro-TARGET-VARIANT.txt (make
# report reads them), or REPRO_RESULTS=<dir> instead.
#
# REPRO_TEST=late-irq runs the stock-tool rows instead (late-irq.sh: arecord
# then aplay, 9 s each, while the SDMA model holds period interrupts back):
# each boot gets its own late-irq-seed (1..RUNS), so the model picks a
# random 1 in 50 of the interrupts and the boots differ; it prints in how
# many boots each tool failed and how many late interrupts the boot had.
# Per-run lines: $BUILD/results/repro-late-TARGET-VARIANT.txt.

. "$(dirname "$0")/lib.sh"
# A benchmark boots every time (no boot reuse, lab/run-guest.sh).
export LAB_REUSE=0

TARGET=${1:-}
VARIANT=${2:-unpatched}
RUNS=${3:-20}
CYCLES=${4:-100}
[ -n "$TARGET" ] || die "usage: bench-repro.sh TARGET VARIANT [RUNS] [CYCLES]"
start_log "bench-repro-$TARGET-$VARIANT"
rdir=${REPRO_RESULTS:-$BUILD/results}
mkdir -p "$rdir"
if [ "${REPRO_TEST:-xrun-capture}" = late-irq ]; then
	res=$rdir/repro-late-$TARGET-$VARIANT.txt
else
	res=$rdir/repro-$TARGET-$VARIANT.txt
fi
: >"$res"

"$TOP/lab/tools/sdma-client/build.sh" "$TARGET" "$VARIANT" >>"$LOG" 2>&1 ||
	die "sdma_client.ko does not build for $TARGET/$VARIANT"
"$TOP/lab/rootfs/build.sh" --modules "$OUT/$TARGET/$VARIANT" >>"$LOG" 2>&1 ||
	die "cannot make the initrd for $TARGET/$VARIANT"

# late_case NAME DIR: pass, fail (the tool ended in an error after an
# XRUN), noxrun (it had no XRUN: the late interrupts did not reach it) or
# none (no KTAP line: the boot did not get to it).
late_case() {
	local l
	l=$(grep -m1 -aE "^(not )?ok [0-9]+ $1" "$2/serial.log" 2>/dev/null || true)
	case "$l" in
	ok*) echo pass ;;
	*'case not reached'*) echo noxrun ;;
	not*) echo fail ;;
	*) echo none ;;
	esac
}

if [ "${REPRO_TEST:-xrun-capture}" = late-irq ]; then
	t0=$(date +%s)
	for i in $(seq 1 "$RUNS"); do
		r=$(LAB_RUN_ID=repro-late${REPRO_RESULTS:+x}-$i \
			LAB_QEMU_ARGS="-global driver=imx.sdma,property=late-irq-seed,value=$i" \
			"$TOP/lab/run-guest.sh" "$TARGET" "$VARIANT" late-irq "-d 9" 2>>"$LOG" | grep '^RESULT' || true)
		d=$(sed -n 's/.* dir=\([^ ]*\).*/\1/p' <<<"$r")
		late=$(grep -c imx_sdma_late_irq_held "$d/trace.log" 2>/dev/null || true)
		[ -n "$r" ] || r="RESULT target=$TARGET variant=$VARIANT test=late-irq verdict=error (no RESULT line)"
		printf '%s capture=%s playback=%s late_irqs=%s\n' "${r%% dir=*}" \
			"$(late_case late-capture "$d")" "$(late_case late-playback "$d")" \
			"${late:-0}" >>"$res"
		tail -n1 "$res" | sed 's/.* variant=[^ ]* //' | cut -c1-200 >&2
	done
	secs=$(($(date +%s) - t0))
	awk -v secs="$secs" -v tgt="$TARGET" -v var="$VARIANT" '
		{
			n++
			if ($0 ~ / verdict=error /) { err++; next }
			m++
			if ($0 ~ / capture=fail/) cf++
			if ($0 ~ / playback=fail/) pf++
			if ($0 ~ / capture=(noxrun|none)/) cn++
			if ($0 ~ / playback=(noxrun|none)/) pn++
			if (match($0, / late_irqs=[0-9]+/)) { l = substr($0, RSTART + 11) + 0; lt += l; if (l > lmax) lmax = l }
		}
		END {
			printf "repro-late %s/%s: %d boots of late-irq.sh (seeds 1..%d, 1 in 50 period interrupts held), %d s\n", tgt, var, n, n, secs
			printf "  arecord failed: %d/%d = %.0f%% (no XRUN reached it: %d)\n", cf, m, m ? 100 * cf / m : 0, cn
			printf "  aplay failed:   %d/%d = %.0f%% (no XRUN reached it: %d)\n", pf, m, m ? 100 * pf / m : 0, pn
			printf "  late interrupts per boot (both tools): mean %.1f, max %d; boots that could not run (not counted above): %d\n", m ? lt / m : 0, lmax, err
		}' "$res" | tee -a "$LOG"
	echo "  per-run results: $res"
	exit 0
fi

args="-n $CYCLES -s ${LAB_STALL:-block}"
t0=$(date +%s)
for i in $(seq 1 "$RUNS"); do
	LAB_RUN_ID=repro${REPRO_RESULTS:+x}-$i "$TOP/lab/run-guest.sh" "$TARGET" "$VARIANT" xrun-capture "$args" \
		2>>"$LOG" | grep '^RESULT' >>"$res" || true
	tail -n1 "$res" | sed 's/ dir=.*//' | cut -c1-200 >&2
done
secs=$(($(date +%s) - t0))

# Per run: did it fail, at which cycle (first eio/timeout line), latencies.
awk -v runs="$RUNS" -v cycles="$CYCLES" -v secs="$secs" -v tgt="$TARGET" -v var="$VARIANT" \
    -v icount="${LAB_ICOUNT:-0}" '
	{
		n++
		if ($0 ~ / verdict=pass /) pass++
		else if ($0 ~ / verdict=error /) err++
		else fail++
		if (match($0, / hazards=[0-9]+/)) hz += substr($0, RSTART + 9, RLENGTH - 9)
		if (match($0, /eio=[0-9]+/) && substr($0, RSTART + 4, RLENGTH - 4) > 0) eio++
		if (match($0, /timeout=[0-9]+/) && substr($0, RSTART + 8, RLENGTH - 8) > 0) tmo++
		if (match($0, /,cycles=[0-9]+/)) c[n] = substr($0, RSTART + 8, RLENGTH - 8)
	}
	END {
		printf "repro %s/%s: %d runs of up to %d XRUN cycles (icount %s), %d s\n", tgt, var, n, cycles, icount, secs
		printf "  race shown (a run failed): %d/%d = %.0f%%  (eio: %d, timeout: %d)\n", fail, n, n ? 100 * fail / n : 0, eio, tmo
		printf "  runs passed: %d, could not run: %d\n", pass, err
		printf "  SDMA settle hazards seen by the model: %d in total\n", hz
		m = 0
		for (i = 1; i <= n; i++) if (c[i] != "") { v[++m] = c[i] + 0 }
		if (m) {
			for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
			printf "  cycles run per boot: min %d, median %d, max %d\n", v[1], v[int((m + 1) / 2)], v[m]
		}
	}' "$res" | tee -a "$LOG"
echo "  per-run results: $res"
