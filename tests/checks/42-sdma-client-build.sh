#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# lab/tools/sdma-client: the module passes checkpatch --strict (the newest
# tree's checkpatch.pl, -f --no-tree) and builds warning-free with W=1 against
# every target/variant whose lab kernel build exists. It runs after 40-lab,
# which builds the patched kernels: before it, a cold run has none of them
# and every patched row would skip.

. "$(dirname "$0")/../lib.sh"
set -u
D=$TOP/lab/tools/sdma-client
nt=$(newest_target)
cp=$BUILD/trees/$nt/unpatched/scripts/checkpatch.pl

if [ -x "$cp" ]; then
	if out=$("$cp" --strict -f --no-tree "$D/sdma_client.c" 2>&1); then
		tap_ok "sdma-client: checkpatch --strict ($nt's)"
	else
		tap_fail "sdma-client: checkpatch --strict" \
			"$(printf '%s\n' "$out" | grep -m1 -E '^(ERROR|WARNING|CHECK)')"
	fi
else
	tap_skip "sdma-client: checkpatch --strict" "no $nt tree (scripts/tree.sh $nt)"
fi

for t in ${TARGETS:-$(default_targets)}; do
	if lab_opted_out "$t"; then
		tap_skip "sdma-client: builds for $t" "$(lab_opted_out_why "$t")"
		continue
	fi
	for v in unpatched patched; do
		if [ ! -f "$BUILD/out/$t/$v/build/Module.symvers" ]; then
			tap_skip "sdma-client: builds for $t/$v with W=1" "no $t/$v kernel build"
			continue
		fi
		tap_expect "sdma-client: builds for $t/$v with W=1, no warnings" \
			"$D/build.sh" "$t" "$v"
	done
done
