#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# lab.sh [TARGET...]: the main job. For every target whose tree can be had
# (5.4 needs KERNEL_SRC_5_4 or an existing tree), make the tree, build the
# unpatched kernel and, when the target has a series, the patched one and
# the layer variants the target declares (TGT_VARIANTS, e.g. 5.4 pcm-only
# and sdma-only); then build the lab QEMU and run the lab matrix
# (tests/lab-run.sh), layer variants held to their TGT_EXPECT lines.
# Targets that cannot be built are listed with the reason.

. "$(dirname "$0")/lib.sh"
start_log lab

[ $# -gt 0 ] || set -- $(known_targets | tr " " "\n" | sort -V)
rows=()
fail=0
layer_variants=
for t in "$@"; do
	load_target "$t"
	if ! "$TOP/scripts/tree.sh" "$t"; then
		rows+=("$t|-|SKIP: no tree ($(tail -n1 "$LOGS/tree-$t.log" | sed 's/ (log:.*//'))")
		continue
	fi
	variants=(unpatched)
	if [ -n "$("$TOP/scripts/series-list.sh" "$TGT_SERIES_DIR")" ]; then
		if "$TOP/scripts/series.sh" "$t"; then
			variants+=(patched)
		else
			rows+=("$t|patched|FAIL: series does not apply (log: $LOGS/series-$t.log)")
			fail=1
		fi
	else
		rows+=("$t|patched|SKIP: no series in ${TGT_SERIES_DIR#"$TOP"/} yet")
	fi
	if [ "${variants[*]}" = "unpatched patched" ]; then
		for v in $(variant_names); do
			if "$TOP/scripts/series.sh" "$t" "$v"; then
				variants+=("$v")
				case " $layer_variants " in *" $v "*) ;; *) layer_variants="$layer_variants $v" ;; esac
			else
				rows+=("$t|$v|FAIL: layer variant tree (log: $LOGS/series-$t-$v.log)")
				fail=1
			fi
		done
	fi
	for v in "${variants[@]}"; do
		stamp=$(date +%s)
		if "$TOP/scripts/kernel.sh" "$t" "$v"; then
			if [ "$(stat -c %Y "$OUT/$t/$v/build-seconds")" -ge "$stamp" ]; then
				rows+=("$t|$v|built in $(cat "$OUT/$t/$v/build-seconds") s ($(cat "$OUT/$t/$v/kernelrelease"))")
			else
				rows+=("$t|$v|up to date ($(cat "$OUT/$t/$v/kernelrelease"))")
			fi
		else
			rows+=("$t|$v|FAIL: kernel build (log: $LOGS/kernel-$t-$v.log)")
			fail=1
		fi
	done
done

echo
printf '%-6s %-10s %s\n' target variant result
for r in "${rows[@]}"; do
	IFS='|' read -r a b c <<<"$r"
	printf '%-6s %-10s %s\n' "$a" "$b" "$c"
done
echo
if ! "$TOP/lab/qemu/build.sh" >/dev/null; then
	say "lab: the lab QEMU does not build (log: $LOGS/qemu-build.log)"
	exit 1
fi
LAB_VARIANTS="unpatched patched$layer_variants" "$TOP/tests/lab-run.sh" "$@" || fail=1
exit $fail
