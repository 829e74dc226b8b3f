#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The lab matrix on every available target: the unpatched and patched lab
# kernels boot on the lab QEMU and every row of tests/lab-matrix.conf
# behaves as its target says (race rows fail unpatched and pass patched in this
# same run). Needs the lab QEMU (30-qemu) and the series (15-series).
# A target's layer variants (TGT_VARIANTS, e.g. 5.4 pcm-only and
# sdma-only) are built and run too, each row held to its TGT_EXPECT line:
# "5.4 pcm-only: xrun-capture passes, 0 hazards".

. "$(dirname "$0")/../lib.sh"
set -u
S=$TOP/scripts

if [ ! -x "$BUILD/qemu/bin/qemu-system-arm" ]; then
	tap_fail "lab matrix" "no lab QEMU (see the 30-qemu check; log: $LOGS/qemu-build.log)"
	exit 0
fi
# built T V OUTPUT: what kernel.sh did, as a comment ("# T V build: N s"
# or "# T V build: up to date").
built() {
	if grep -q 'up to date' <<<"$3"; then
		echo "# $1 $2 build: up to date"
	else
		echo "# $1 $2 build: $(cat "$BUILD/out/$1/$2/build-seconds") s"
	fi
}
# lab_kernels T: T's trees and kernels, unpatched, patched and its layer
# variants; in $state, T.ok when unpatched and patched built, and T.layers
# with the layer variants that did. Targets at once, one per CPU (each
# target's worktrees are its own git repository's): on 2 cores the cold
# run gained nothing (its CPUs were 96% busy; these builds took 35-45 s
# each instead of 20-31 s), a wider host does.
state=$(mktemp -d "${TMPDIR:-/tmp}/imx6-lab-40.XXXXXX")
trap 'rm -rf "$state"' EXIT
lab_kernels() {
	local t=$1 v out lv
	# shellcheck disable=SC1090
	lv=$(TGT_VARIANTS=; . "$TOP/targets/$t.conf"; for v in ${TGT_VARIANTS:-}; do echo "${v%%:*}"; done)
	for v in unpatched patched; do
		if [ $v != unpatched ] && ! out=$("$S/series.sh" "$t" $v 2>&1); then
			tap_fail "$t: $v tree" "$(tail -n1 <<<"$out")"
			return
		fi
		if ! out=$("$S/kernel.sh" "$t" $v 2>&1); then
			tap_fail "$t: $v lab kernel builds" "$(tail -n1 <<<"$out")"
			return
		fi
		built "$t" "$v" "$out"
	done
	: >"$state/$t.ok"
	# Layer variants: one that does not build is reported and left out.
	for v in $lv; do
		if ! out=$("$S/series.sh" "$t" "$v" 2>&1); then
			tap_fail "$t: $v tree" "$(tail -n1 <<<"$out")"
		elif ! out=$("$S/kernel.sh" "$t" "$v" 2>&1); then
			tap_fail "$t: $v lab kernel builds" "$(tail -n1 <<<"$out")"
		else
			built "$t" "$v" "$out"
			echo "$v" >>"$state/$t.layers"
		fi
	done
}
candidates=()
for t in ${TARGETS:-$(default_targets)}; do
	if ! target_available "$t"; then
		tap_skip "$t: lab matrix" "$(target_missing_why "$t")"
		continue
	fi
	# A target may keep its kernels and boots out of make check
	# (TGT_LAB=opt-in, e.g. 5.10 near its end of life); its series
	# checks stay in 05/15/50.
	if lab_opted_out "$t"; then
		tap_skip "$t: lab matrix" "$(lab_opted_out_why "$t")"
		continue
	fi
	candidates+=("$t")
done
[ ${#candidates[@]} -gt 0 ] || exit 0
per_target "lab kernels built to the end" lab_kernels "${candidates[@]}"
targets=()
layer_variants=
for t in "${candidates[@]}"; do
	[ -e "$state/$t.ok" ] || continue
	targets+=("$t")
	while read -r v; do
		case " $layer_variants " in *" $v "*) ;; *) layer_variants="$layer_variants $v" ;; esac
	done < <(cat "$state/$t.layers" 2>/dev/null)
done
[ ${#targets[@]} -gt 0 ] || exit 0
LAB_VARIANTS="unpatched patched$layer_variants" "$TOP/tests/lab-run.sh" "${targets[@]}"
exit 0
