#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# bench-kernel.sh TARGET [RUNS]: benchmark a cold build of the lab kernel
# (allnoconfig + the target's fragments): ccache off, an empty
# object directory ($BUILD/trees/TARGET/unpatched/.bench) each run, zImage
# + DTB + modules at -j$JOBS. Prints the measured wall time of each run,
# the machine's load before it, and the number of objects built.

. "$(dirname "$0")/lib.sh"

TARGET=${1:-${TARGET:-}}
RUNS=${2:-1}
load_target "$TARGET"
start_log "bench-kernel-$TARGET"
src=$TGT_TREE/unpatched
[ -d "$src" ] || die "no $TARGET tree; run 'make tree TARGET=$TARGET' first"

kernel_env "$src" .bench
export CCACHE_DISABLE=1
for i in $(seq 1 "$RUNS"); do
	rm -rf "${src:?}/.bench"
	mkdir -p "$src/.bench"
	load=$(cut -d' ' -f1-3 /proc/loadavg)
	t0=$(date +%s.%N)
	kconfigure "$src" "bench $TARGET"
	run kmake zImage modules "$TGT_DTB" || die "build failed"
	t1=$(date +%s.%N)
	n=$(find "$src/.bench" -name '*.o' ! -name '*.mod.o' ! -name 'built-in.a' | wc -l)
	printf 'bench-kernel target=%s run=%d seconds=%.0f objects=%d jobs=%d cpus=%d loadavg_before="%s"\n' \
		"$TARGET" "$i" "$(echo "$t1 - $t0" | bc)" "$n" "$JOBS" "$(nproc)" "$load"
done
rm -rf "${src:?}/.bench"
