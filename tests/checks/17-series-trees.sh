#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# patches/5.4 is for the 5.4 trees i.MX6 products run, not one pinned
# version: scripts/series-trees.sh applies it with git am to every 5.4 tree
# this machine has ($BUILD/src/5.4 and the links under $BUILD/src/5.4.d/),
# one line per tree; an NXP tree gets patches/5.4-nxp (TGT_TREE_SERIES).
# Then the tool itself on stand-in trees: a tree the
# series does not apply to fails with the patch and hunk, a snapshot that
# lacks every file of a patch says so, a tree of another kernel line fails.

. "$(dirname "$0")/../lib.sh"
set -u
S=$TOP/scripts

if [ -e "$BUILD/src/5.4" ] || [ -d "$BUILD/src/5.4.d" ]; then
	out=$("$S/series-trees.sh" 5.4 2>/dev/null) || true
	n=0
	while IFS=$'\t' read -r tree ver res detail; do
		[ -n "$tree" ] || continue
		n=$((n + 1))
		if [ "$res" = ok ]; then
			tap_ok "5.4 series applies to $tree ($ver): $detail"
		else
			tap_fail "5.4 series applies to $tree ($ver)" "$detail"
		fi
	done <<<"$out"
	[ "$n" -gt 0 ] || tap_fail "series-trees 5.4 lists the trees" "no output (log: $LOGS/series-trees-5.4.log)"
	[ "$n" -ge 3 ] ||
		echo "# only $n 5.4 tree(s) here; link more 5.4.y trees under $BUILD/src/5.4.d/ (README: 5.4 trees)"
	grep -qF $'\tpatches/5.4-nxp: ' <<<"$out" ||
		echo "# no NXP 5.4 tree here, so patches/5.4-nxp was not applied; link one under $BUILD/src/5.4.d/ (README: 5.4 trees)"
else
	tap_skip "5.4 series applies to every 5.4 tree here" \
		"no 5.4 tree (link one at $BUILD/src/5.4, more under $BUILD/src/5.4.d/)"
fi

# The tool on stand-in trees (a scratch BUILD, the fixture series).
scratch=$(mktemp -d "${TMPDIR:-/tmp}/imx6-lab-series-trees.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
mk() { # mk DIR VERSION SDMA-LINE
	mkdir -p "$1/drivers/dma" "$1/sound/core"
	printf 'VERSION = %s\nPATCHLEVEL = %s\nSUBLEVEL = 1\n' "${2%%.*}" "${2#*.}" >"$1/Makefile"
	printf '/* fake imx-sdma.c for the tooling tests */\n%s\n' "$3" >"$1/drivers/dma/imx-sdma.c"
	printf '/* fake */\n' >"$1/sound/core/pcm_dmaengine.c"
}
mk "$scratch/good" 6.12 'int sdma_fake;'
mk "$scratch/bad" 6.12 'int sdma_other;'
mk "$scratch/old" 5.4 'int sdma_fake;'
mk "$scratch/vendor" 6.12 'int sdma_vendor_list;'
mkdir -p "$scratch/sub/repo" && mk "$scratch/sub/repo/linux-6.12.7" 6.12 'int sdma_fake;'
rm "$scratch/sub/repo/linux-6.12.7/Makefile"
git -C "$scratch/sub/repo" init -q && git -C "$scratch/sub/repo" add -A &&
	git -C "$scratch/sub/repo" -c user.name=t -c user.email=t@t commit -q -m snapshot
out=$(BUILD=$scratch/b TARGETS_DIR=$TOP/tests/fixtures/targets "$S/series-trees.sh" fake \
	"$scratch/good" "$scratch/bad" "$scratch/old" "$scratch/sub/repo" "$scratch/vendor" 2>/dev/null)
rc=$?
line() { grep -F "$1"$'\t' <<<"$out" | head -n1; }
if [[ "$(line "$scratch/good")" == *$'\tok\t1 of 1 patches applied' ]]; then
	tap_ok "series-trees: a tree the series applies to is ok"
else
	tap_fail "series-trees: a tree the series applies to is ok" "$(line "$scratch/good")"
fi
if [[ "$(line "$scratch/bad")" == *$'\tFAIL\t0001 error: patch failed: drivers/dma/imx-sdma.c'* ]]; then
	tap_ok "series-trees: a tree it does not apply to fails with the patch and hunk"
else
	tap_fail "series-trees: a tree it does not apply to fails with the patch and hunk" "$(line "$scratch/bad")"
fi
if [[ "$(line "$scratch/old")" == *$'\tFAIL\tnot a 6.12 tree' ]]; then
	tap_ok "series-trees: a tree of another kernel line fails"
else
	tap_fail "series-trees: a tree of another kernel line fails" "$(line "$scratch/old")"
fi
if [[ "$(line "$scratch/sub/repo")" == *$'6.12.7\tok\t1 of 1 patches applied (version from the directory name'* ]]; then
	tap_ok "series-trees: a git snapshot with the tree in linux-X.Y.Z/ and no Makefile"
else
	tap_fail "series-trees: a git snapshot with the tree in linux-X.Y.Z/ and no Makefile" "$(line "$scratch/sub/repo")"
fi
if [[ "$(line "$scratch/vendor")" == *$'\tok\ttests/fixtures/series-vendor: 1 of 1 patches applied' ]]; then
	tap_ok "series-trees: a vendor tree (TGT_TREE_SERIES) takes its own series"
else
	tap_fail "series-trees: a vendor tree (TGT_TREE_SERIES) takes its own series" "$(line "$scratch/vendor")"
fi
if [ "$rc" = 1 ]; then
	tap_ok "series-trees: exit status 1 when a tree failed"
else
	tap_fail "series-trees: exit status 1 when a tree failed" "exit status $rc"
fi
