#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Per target with a series: it applies with git am onto the pristine tree
# (make series), and it is bisectable and warning-free (make series-check:
# after each patch the touched objects build with W=1 and sparse, and
# kernel-doc and the compiler report nothing new).

. "$(dirname "$0")/../lib.sh"
set -u
S=$TOP/scripts

# series_target T: its series applies and passes series-check. The
# targets run at once, one per CPU (each has its own worktree and logs):
# on 2 cores this gains nothing, the CPUs were 97-100% busy either way
# (cold 499 s against 584 s, with the prefetch's QEMU build pushed
# later); a wider host gains.
series_target() {
	local t=$1 n log out
	if [ -z "$("$S/series-list.sh" "$TOP/patches/$t" 2>/dev/null)" ]; then
		tap_skip "$t: series applies and passes series-check" "no series in patches/$t yet"
		return
	fi
	if ! target_available "$t"; then
		tap_skip "$t: series applies and passes series-check" "$(target_missing_why "$t")"
		return
	fi
	if ! out=$("$S/tree.sh" "$t" 2>&1); then
		tap_fail "$t: pristine tree" "$(echo "$out" | tail -n1)"
		return
	fi
	n=$("$S/series-list.sh" "$TOP/patches/$t" | wc -l)
	tap_expect "$t: the $n-patch series applies with git am" "$S/series.sh" "$t"
	log=$LOGS/series-check-$t.log
	if out=$("$S/series-check.sh" "$t" 2>&1); then
		tap_ok "$t: every patch builds alone, W=1 + sparse + kernel-doc add nothing"
	else
		tap_fail "$t: every patch builds alone, W=1 + sparse + kernel-doc add nothing" \
			"$(echo "$out" | grep -E 'FAIL|does not apply|^    ' | head -n3 | tr '\n' ' ') (log: $log)"
	fi
	printf '%s\n' "$out" | grep -E '^(patch|\(base\)|0[0-9]{3}-)' | sed 's/^/# /'
}
per_target "series checks ran to the end" series_target ${TARGETS:-$(default_targets)}

# series-check fails when kbuild checks nothing: the newest tree's kbuild
# turns C=1 off (with a warning only) for a sparse too old for its headers,
# Debian's 0.6.4 on mainline; scripts/sparse.sh builds one that is not.
nt=$(newest_target)
cv=$BUILD/trees/$nt/unpatched/scripts/checker-valid.sh
old=$(command -v sparse || true)
if ! target_available "$nt" || [ ! -f "$cv" ] || [ -z "$old" ]; then
	tap_skip "series-check fails when kbuild runs no sparse" "needs the $nt tree with scripts/checker-valid.sh and Debian's sparse"
elif [ "$(sh "$cv" "$old" --arch=arm -mlittle-endian -m32)" = 1 ]; then
	tap_skip "series-check fails when kbuild runs no sparse" "$old ($("$old" --version)) passes $nt's checker-valid.sh"
else
	tap_expect_fail "series-check $nt fails when kbuild runs no sparse (Debian's $("$old" --version))" \
		'did not check .*specified, but' env SPARSE="$old" "$S/series-check.sh" "$nt"
fi
