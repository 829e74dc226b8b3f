#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# bench-latency.sh TARGET [CYCLES] [UCYCLES]: XRUN recovery latency,
# unpatched vs patched. For each mode of MODES (default "capture playback
# duplex") it runs xrun-stress -s block -k (keep going after a failed
# cycle, so that the unpatched kernel's surviving cycles count) for CYCLES
# cycles on the patched kernel (default 200) and UCYCLES on the unpatched
# one (default 40: on 5.4 and 5.10 every failed cycle costs the kernel's
# 10 s wait_for_avail timeout), through scripts/bench-soak.sh, and prints
# a table: cycles, ok/eio/timeout, and the latency p50/p99/max of the
# cycles that recovered (LAT_ARGS: more xrun-stress arguments, e.g. "-w 1"
# to give up on a dead restart after 1 s instead of the kernel's 10 s).
# latency_us is xrun-stress's: from the -EPIPE to
# the first full period moved after the restart.
# LAT_FLAVOUR=prod runs the kernels of a config flavour instead
# (unpatched+prod and patched+prod: lab/configs/prod.config, the debug
# options off), for the latency a production kernel would show: under
# -icount the debug kernel's lockdep, kmemleak and slub_debug work is
# guest time. The floor printed is that of a correct restart at the
# default geometry: the 1 ms settle after the stop plus one period.
# The full bench-soak output of each run: $BUILD/results/lat-MODE-TARGET-VARIANT.out.

. "$(dirname "$0")/lib.sh"
# A benchmark boots every time (no boot reuse, lab/run-guest.sh).
export LAB_REUSE=0

main() {
TARGET=${1:-}
CYCLES=${2:-200}
UCYCLES=${3:-40}
[ -n "$TARGET" ] || die "usage: bench-latency.sh TARGET [CYCLES] [UCYCLES]"
load_target "$TARGET"
start_log "bench-latency-$TARGET"
local modes=${MODES:-capture playback duplex} m v n out rows=()
local fl=${LAT_FLAVOUR:+"+$LAT_FLAVOUR"}
check_variant "patched$fl"
if [ -n "$fl" ]; then
	# The flavour's kernels (kernel.sh builds nothing when they are up
	# to date); the trees come from make tree / make series.
	for v in "unpatched$fl" "patched$fl"; do
		"$TOP/scripts/kernel.sh" "$TARGET" "$v" >>"$LOG" 2>&1 ||
			die "cannot build the $TARGET/$v kernel (see $LOG)"
	done
fi
for m in $modes; do
	for v in "unpatched$fl" "patched$fl"; do
		n=$CYCLES
		[ "$v" = "unpatched$fl" ] && n=$UCYCLES
		out=$BUILD/results/lat-$m-$TARGET-$v.out
		SOAK_ID=lat-$m SOAK_ARGS="-k${LAT_ARGS:+ $LAT_ARGS}" \
			"$TOP/scripts/bench-soak.sh" "$TARGET" "$v" "$m" "$n" >"$out" 2>>"$LOG" ||
			say "warning: bench-soak.sh $TARGET $v $m failed (see $out)"
		! grep -q 'the guest ran kernel' "${out%.out}.txt" 2>/dev/null ||
			die "a $TARGET/$v guest ran another kernel than the one built: $(grep -m1 -o 'the guest ran kernel[^;"]*' "${out%.out}.txt")"
		cat "$out" >>"$LOG"
		rows+=("$(awk -v m="$m" -v v="$v" '
			/^  stream / { s = $2; sub(":", "", s); line[s] = $0 }
			/recovery latency/ { lat[s] = $0 }
			/SDMA settle hazards:/ { hz = $4 }
			END {
				for (s in line) {
					split(line[s], f, " ")
					c = ""; for (i = 3; i <= 8; i++) { split(f[i], kv, "="); c = c "\t" kv[2] }
					l = lat[s]; sub(/.*: n=[0-9]+ /, "", l); gsub(/  +/, " ", l)
					if (lat[s] ~ /n=0/) l = "-"
					printf "%s\t%s\t%s%s\t%s\t%s\n", m, s, v, c, l, hz
				}
			}' "$out")")
	done
done
echo "recovery latency $TARGET: xrun-stress -s block -k${LAT_ARGS:+ $LAT_ARGS}, $CYCLES cycles patched, $UCYCLES unpatched, LAB_ICOUNT=${LAB_ICOUNT:-default (lab/run-guest.sh: 0)}, kernels: ${LAT_FLAVOUR:-debug} config" |
	tee -a "$LOG"
echo "floor of a correct restart: 1000 us settle + one period (64 frames at 48 kHz: 1333 us) = 2333 us" |
	tee -a "$LOG"
{
	printf 'mode\tstream\tvariant\tcycles\tok\teio\ttimeout\tother\tdiscont\tlatency_us(recovered)\thazards\n'
	printf '%s\n' "${rows[@]}" | sort -t$'\t' -k1,1 -k2,2 -k3,3r
} | column -t -s$'\t' | tee -a "$LOG"
}
main "$@"; exit
