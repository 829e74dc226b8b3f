#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# bench-soak.sh TARGET VARIANT MODE [CYCLES]: soak benchmark. Runs
# xrun-stress -m MODE -s block for CYCLES forced XRUNs (default 10000) on
# the lab kernel TARGET/VARIANT, in SOAK_BOOTS boots (default 1; the cycles
# are split evenly), and prints measured figures: cycles run, outcomes
# (ok/eio/timeout/other), data discontinuities, recovery latency
# p50/p99/max over every cycle that recovered, the SDMA settle hazards and
# SSI playback pattern breaks the QEMU models saw, and the dmesg verdict
# split into lockdep, sleeping in atomic context, list corruption, kmemleak
# and anything else lab/verdict.sh fails a run for.
#
# A benchmark, not a test: it has no pass mark of its own and exits 0 when
# every boot ran; the figures say how it went.
#
# Environment:
#   SOAK_BOOTS=N       boots to split the cycles over (default 1)
#   SOAK_ARGS="..."    more xrun-stress arguments (e.g. -k: keep going
#                      after a failed cycle, to measure the survivors)
#   SOAK_STALL=block   xrun-stress -s method (default block)
#   SOAK_ID=name       run directory tag (default soak-MODE)
#   SOAK_REPORT_ONLY=1 run nothing: print the figures of the runs kept
#                      under that tag
#   LAB_TIMEOUT=S      per boot (default 120 + 1 s per cycle, 12 s with -k)
#   LAB_ICOUNT=N|off   as in lab/run-guest.sh (default there: -icount
#                      shift=0; off runs on the host's clock)
# Per-boot RESULT lines: $BUILD/results/soak-TARGET-VARIANT-MODE.txt; the
# run directories are $BUILD/runs/TARGET/VARIANT/xrun-MODE-soak-MODE-N/.

. "$(dirname "$0")/lib.sh"
# A benchmark boots every time (no boot reuse, lab/run-guest.sh).
export LAB_REUSE=0

# The whole script is one function, read before it runs: editing the file
# cannot disturb a soak in progress.
main() {

TARGET=${1:-}
VARIANT=${2:-patched}
MODE=${3:-capture}
CYCLES=${4:-10000}
BOOTS=${SOAK_BOOTS:-1}
[ -n "$TARGET" ] || die "usage: bench-soak.sh TARGET VARIANT MODE [CYCLES]"
case "$MODE" in capture|playback|duplex) ;; *) die "MODE is capture, playback or duplex" ;; esac
case "$CYCLES$BOOTS" in *[!0-9]*) die "CYCLES and SOAK_BOOTS are numbers" ;; esac
{ [ "$BOOTS" -ge 1 ] && [ "$CYCLES" -ge "$BOOTS" ]; } || die "need 1 <= SOAK_BOOTS <= CYCLES"
tag=${SOAK_ID:-soak-$MODE}
local report_only=${SOAK_REPORT_ONLY:-}
start_log "bench-$tag-$TARGET-$VARIANT${report_only:+-report}"
mkdir -p "$BUILD/results"
res=$BUILD/results/$tag-$TARGET-$VARIANT.txt
per=$((CYCLES / BOOTS))
# About 0.1 s a cycle; with -k a failed cycle may take the kernel's 10 s.
case " ${SOAK_ARGS:-} " in
*" -k "*) export LAB_TIMEOUT=${LAB_TIMEOUT:-$((120 + 12 * per))} ;;
*) export LAB_TIMEOUT=${LAB_TIMEOUT:-$((120 + per))} ;;
esac
test=xrun-$MODE
dirs=()
if [ -n "$report_only" ]; then
	for i in $(seq 1 "$BOOTS"); do dirs+=("$BUILD/runs/$TARGET/$VARIANT/$test-$tag-$i"); done
	secs=$(cat "$res.seconds" 2>/dev/null || echo "?")
else
: >"$res"
"$TOP/lab/rootfs/build.sh" --modules "$OUT/$TARGET/$VARIANT" >>"$LOG" 2>&1 ||
	die "cannot make the initrd for $TARGET/$VARIANT"
t0=$(date +%s)
for i in $(seq 1 "$BOOTS"); do
	n=$per
	[ "$i" -eq "$BOOTS" ] && n=$((CYCLES - per * (BOOTS - 1)))
	args="-n $n -s ${SOAK_STALL:-block}${SOAK_ARGS:+ $SOAK_ARGS}"
	say "boot $i/$BOOTS: $test \"$args\" (timeout $LAB_TIMEOUT s)"
	line=$(LAB_RUN_ID=$tag-$i "$TOP/lab/run-guest.sh" "$TARGET" "$VARIANT" "$test" "$args" \
		2>>"$LOG" | grep '^RESULT' | tail -n1) || true
	[ -n "$line" ] || line="RESULT target=$TARGET variant=$VARIANT test=$test verdict=error reason=\"no RESULT\""
	echo "$line" >>"$res"
	sed 's/ summary=[^ ]*//; s/ dir=.*//' <<<"$line" | cut -c1-240 >&2
	dirs+=("$BUILD/runs/$TARGET/$VARIANT/$test-$tag-$i")
done
secs=$(($(date +%s) - t0))
echo "$secs" >"$res.seconds"
fi

# The guest's own output, boot by boot: cycle lines, dmesg, kmemleak.
cycles_of() { tr -d '\r' <"$1/serial.log" | sed -n "/^LAB-BEGIN $test\$/,/^LAB-END $test /p" | grep -a '^cycle='; }
dmesg_of() { tr -d '\r' <"$1/serial.log" | sed -n '/^LAB-DMESG-BEGIN/,/^LAB-DMESG-END/p'; }
count() { grep -acE "$1" || true; }
# pctl: nearest-rank p50, p99 and max of the numbers on stdin (as xrun-stress).
pctl() {
	sort -n | awk '{ v[++n] = $1 }
		function r(p,   k) { k = int((p * n + 99) / 100); return v[k < 1 ? 1 : k] }
		END { if (n) printf "n=%d p50 %d  p99 %d  max %d", n, r(50), r(99), v[n]; else printf "n=0" }'
}

lockdep_re='possible circular locking dependency|possible recursive locking|inconsistent lock state|BUG: spinlock|bad unlock balance|lock held when returning to user space|held lock freed'
atomic_re='BUG: sleeping function called from invalid context|BUG: scheduling while atomic'
list_re='list_add corruption|list_del corruption|list_add double add'
other_re='BUG: KASAN|BUG: KFENCE|Poison overwritten|Object already free|Redzone overwritten|Unable to handle kernel|Internal error: Oops|Kernel panic|kernel BUG at|WARNING: CPU: [0-9]+ PID|WARNING: at |BUG: workqueue lockup|INFO: task .* blocked for more than|ODEBUG:'
lockdep=0 atomic=0 list=0 other=0 leaks=0 leak_scanned=0 wrapped=0 werr=0 first_bad=
slips_traced=
hazards=0 late=0 txdisc=0 overruns=0 slips=0 ran=0 timeouts=0
for d in "${dirs[@]}"; do
	[ -f "$d/serial.log" ] || continue
	ran=$((ran + 1))
	dm=$(dmesg_of "$d")
	lockdep=$((lockdep + $(count "$lockdep_re" <<<"$dm")))
	atomic=$((atomic + $(count "$atomic_re" <<<"$dm")))
	list=$((list + $(count "$list_re" <<<"$dm")))
	other=$((other + $(count "$other_re" <<<"$dm")))
	werr=$((werr + $(count '(capture|playback) write error \(DMA or IRQ trouble\?\)' <<<"$dm")))
	[ -n "$first_bad" ] || first_bad=$(grep -m1 -aE "$lockdep_re|$atomic_re|$list_re|$other_re" <<<"$dm" |
		sed 's/^\[[ 0-9.]*\] //' | cut -c1-100 || true)
	# The dump starts at boot unless the ring buffer wrapped.
	grep -aq 'Booting Linux' <<<"$dm" || wrapped=$((wrapped + 1))
	if tr -d '\r' <"$d/serial.log" | grep -aq '^LAB-KMEMLEAK-BEGIN'; then
		leak_scanned=$((leak_scanned + 1))
		leaks=$((leaks + $(tr -d '\r' <"$d/serial.log" |
			sed -n '/^LAB-KMEMLEAK-BEGIN/,/^LAB-KMEMLEAK-END/p' | count 'unreferenced object')))
	fi
	# "... ch2 restart 812345 ns after stop, inside the 1000000 ns settle
	# window": the model flags a start while its settle timer is pending.
	# On a loaded host that timer can run late, and the start comes after
	# the settle time although the flag is still set; those are counted
	# apart (late), not as hazards.
	read -r h l < <(awk '/imx_sdma_settle_hazard/ {
			s = -1; w = -1
			for (i = 2; i < NF; i++) {
				if ($(i + 1) == "ns" && $(i + 2) == "after") s = $i + 0
				if ($(i + 1) == "ns" && $(i + 2) == "settle") w = $i + 0
			}
			if (s >= 0 && w >= 0 && s >= w) l++; else h++
		} END { print h + 0, l + 0 }' "$d/trace.log" 2>/dev/null || echo "0 0")
	hazards=$((hazards + h)) late=$((late + l))
	txdisc=$((txdisc + $(grep -c 'imx_ssi_tx_discontinuity' "$d/trace.log" 2>/dev/null || true)))
	overruns=$((overruns + $(grep -c 'imx_ssi_rx_overrun' "$d/trace.log" 2>/dev/null || true)))
	slips=$((slips + $(grep -c 'imx_ssi_slip' "$d/trace.log" 2>/dev/null || true)))
	grep -q imx_ssi_slip "$d/trace-events" 2>/dev/null || slips_traced=no
	grep -aq "^LAB-END $test " <(tr -d '\r' <"$d/serial.log") || timeouts=$((timeouts + 1))
done

{
	echo "soak $TARGET/$VARIANT $MODE: $CYCLES cycles requested in $BOOTS boot(s) (-s ${SOAK_STALL:-block}${SOAK_ARGS:+ $SOAK_ARGS}), $secs s wall"
	# The build's kernel and, from their LAB-KERNEL lines, what the
	# guests ran (lab/verdict.sh makes a boot of another kernel an error).
	guest=$(for d in "${dirs[@]}"; do grep -a -m1 '^LAB-KERNEL ' "$d/serial.log" 2>/dev/null; done |
		cut -d' ' -f2 | sort -u | paste -sd' ')
	echo "  kernel: $(cat "$OUT/$TARGET/$VARIANT/kernelrelease" 2>/dev/null) (the guests ran: ${guest:-no LAB-KERNEL line})"
	# What QEMU ran with (lab/run-guest.sh's default is -icount shift=0).
	echo "  qemu: $(sed -n 's/^qemu: //p' "${dirs[0]}/run.log" 2>/dev/null | sed "s|^$BUILD/|\$BUILD/|")"
	for d in "${dirs[@]}"; do [ -f "$d/serial.log" ] && cycles_of "$d"; done >"$LOG.cycles" || true
	streams=$(sed -n 's/.* stream=\([a-z]*\) .*/\1/p' "$LOG.cycles" | awk '!seen[$0]++')
	[ -n "$streams" ] || echo "  no cycle ran"
	for s in $streams; do
		grep -a " stream=$s " "$LOG.cycles" | awk -v s="$s" '
			function kv(k,   i, a) { for (i = 1; i <= NF; i++) { split($i, a, "="); if (a[1] == k) return a[2] } return "" }
			{
				o = kv("outcome"); n++; out[o]++
				b = kv("breaks")
				if (kv("continuous") == "0" || (b != "" && b != "-" && b + 0 > 0)) disc++
				x = kv("extra_xruns"); if (x != "" && x != "-") extra += x
			}
			END {
				printf "  stream %s: cycles=%d ok=%d eio=%d timeout=%d other=%d discontinuous=%d extra_xruns=%d\n",
					s, n, out["ok"], out["eio"], out["timeout"], n - out["ok"] - out["eio"] - out["timeout"], disc, extra
			}'
		printf '    recovery latency (us, cycles that recovered): %s\n' \
			"$(grep -a " stream=$s outcome=ok " "$LOG.cycles" | sed -n 's/.* latency_us=\([0-9]*\) .*/\1/p' | pctl)"
		printf '    XRUN stop to recovery start (us): %s\n' \
			"$(grep -a " stream=$s " "$LOG.cycles" | sed -n 's/.* since_stop_us=\([0-9]*\) .*/\1/p' | pctl)"
	done
	echo "  SDMA settle hazards: $hazards inside the settle time ($late more flagged after it: the model's settle timer ran late)"
	echo "  SSI: playback pattern breaks $txdisc, capture FIFO overruns $overruns, frame-clock slips $slips${slips_traced:+ (overruns and slips not traced in every boot)}"
	echo "  boots run: $ran/$BOOTS, without LAB-END (hung or timed out): $timeouts"
	dv=clean
	[ $((lockdep + atomic + list + other + leaks)) -gt 0 ] && dv=bad
	echo "  dmesg: $dv (lockdep $lockdep, sleeping in atomic $atomic, list corruption $list, other BUG/WARN/Oops $other, kmemleak $leaks unreferenced objects in $leak_scanned/$ran scans; \"write error\" lines $werr; log wrapped in $wrapped boot(s))${first_bad:+; first: $first_bad}"
	echo "  per-boot RESULT lines: $res"
} | tee -a "$LOG"
}
main "$@"; exit
