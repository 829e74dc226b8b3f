#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Layer variants (TGT_VARIANTS in targets/*.conf; scripts/series.sh TARGET
# VARIANT): a variant gets exactly its patches in its own worktree, a
# patch that does not apply leaves that worktree at the base with nothing
# half-applied, and undeclared or malformed variants are refused. Runs in
# a scratch BUILD with a tiny stand-in tree, like 00-tooling. Then the
# declarations of the real targets: every prefix names one patch.

. "$(dirname "$0")/../lib.sh"
set -u

BUILD=$(mktemp -d "${TMPDIR:-/tmp}/imx6-lab-variants.XXXXXX")
export BUILD
trap 'rm -rf "$BUILD"' EXIT
S=$TOP/scripts
unset KERNEL_SRC KERNEL_SRC_5_4 KERNEL_SRC_5_10 KERNEL_SRC_6_12

fake=$BUILD/fake-src
mkdir -p "$fake/drivers/dma" "$fake/sound/core" "$fake/arch/arm/configs"
printf 'VERSION = 6\nPATCHLEVEL = 12\nSUBLEVEL = 99\n' >"$fake/Makefile"
printf '/* fake imx-sdma.c for the tooling tests */\nint sdma_fake;\n' >"$fake/drivers/dma/imx-sdma.c"
printf '/* fake pcm_dmaengine.c for the tooling tests */\nint pcm_fake;\n' >"$fake/sound/core/pcm_dmaengine.c"
: >"$fake/arch/arm/configs/imx_v6_v7_defconfig"

export TARGETS_DIR=$TOP/tests/fixtures/targets
if ! out=$(KERNEL_SRC="$fake" "$S/tree.sh" fake 2>&1); then
	tap_fail "variants: stand-in tree" "$(tail -n1 <<<"$out")"
	exit 0
fi
trees=$BUILD/trees/fake
base=$(git -C "$trees/unpatched" rev-parse base)

tap_expect "variant first (0001) applies in its own worktree" "$S/series.sh" fake-layers first
subjects=$(git -C "$trees/first" log --format=%s "$base..HEAD" 2>/dev/null)
if [ "$subjects" = "dma: fake: add a note" ] && [ ! -e "$trees/patched" ]; then
	tap_ok "variant first has exactly patch 0001 and the patched tree is not touched"
else
	tap_fail "variant first has exactly patch 0001 and the patched tree is not touched" \
		"commits: ${subjects:-none}; patched tree exists: $([ -e "$trees/patched" ] && echo yes || echo no)"
fi
tap_expect "making variant first again is a no-op" \
	sh -c "'$S/series.sh' fake-layers first 2>&1 | grep -q 'up to date (1 patches)'"

tap_expect_fail "variant second (0002) does not apply and says which patch" \
	'patch 1/1 0002-sound-does-not-apply\.patch does not apply: .*tree left at its previous commit' \
	"$S/series.sh" fake-layers second
wt=$trees/second
if [ -d "$wt" ] && [ "$(git -C "$wt" rev-parse HEAD)" = "$base" ] &&
   [ -z "$(git -C "$wt" status --porcelain)" ] &&
   [ ! -d "$(git -C "$wt" rev-parse --git-dir)/rebase-apply" ] &&
   [ ! -e "$trees/second.series.id" ]; then
	tap_ok "the failed variant is left at the base, clean, not marked up to date"
else
	tap_fail "the failed variant is left at the base, clean, not marked up to date" \
		"HEAD $(git -C "$wt" rev-parse --short HEAD 2>/dev/null), status: $(git -C "$wt" status --porcelain 2>/dev/null | head -1)"
fi

tap_expect "variant withlab (0001, +undo-note) applies the series patch, then the lab patch" "$S/series.sh" fake-layers withlab
subjects=$(git -C "$trees/withlab" log --reverse --format=%s "$base..HEAD" 2>/dev/null | paste -sd'|')
if [ "$subjects" = "dma: fake: add a note|lab: fake: take the note out again" ] &&
   [ -z "$(git -C "$trees/withlab" diff "$base" HEAD)" ]; then
	tap_ok "variant withlab: 0001 and then the lab patch, which takes it out again"
else
	tap_fail "variant withlab: 0001 and then the lab patch, which takes it out again" \
		"commits: ${subjects:-none}"
fi
tap_expect_fail "a lab patch that does not exist is refused" \
	'variant nolab: no lab patch tests/fixtures/variants/fake-layers/absent\.patch' \
	"$S/series.sh" fake-layers nolab

tap_expect_fail "a prefix that names no patch is refused" \
	'variant missing: prefix 0009 matches 0 patches' "$S/series.sh" fake-layers missing
tap_expect_fail "a malformed declaration is refused" \
	"unknown VARIANT 'odd'" "$S/series.sh" fake-layers odd
tap_expect_fail "an undeclared variant is refused by kernel.sh" \
	"unknown VARIANT 'nope' for fake-layers \\(unpatched, patched, first, second" \
	"$S/kernel.sh" fake-layers nope
tap_expect_fail "the unpatched tree is not a series variant" \
	"the unpatched tree is made by 'make tree" "$S/series.sh" fake-layers unpatched
# "patched:0001" cannot redefine patched: series.sh fake-layers patched is
# the whole series, which fails at 0002 as before.
tap_expect_fail "a declaration cannot redefine patched" \
	'patch 2/2 0002-sound-does-not-apply' "$S/series.sh" fake-layers patched

# The real targets' declarations.
unset TARGETS_DIR
for conf in "$TOP"/targets/*.conf; do
	t=$(basename "$conf" .conf)
	# shellcheck disable=SC1090
	decl=$(TGT_VARIANTS=; . "$conf"; echo "${TGT_VARIANTS:-}")
	[ -n "$decl" ] || continue
	for d in $decl; do
		name=${d%%:*} bad=
		for pre in $(tr , ' ' <<<"${d#*:}"); do
			if [[ "$pre" == +* ]]; then
				[ -f "$TOP/lab/variants/$t/${pre#+}.patch" ] || bad="$bad $pre(no lab/variants/$t/${pre#+}.patch)"
				continue
			fi
			n=$("$S/series-list.sh" "$TOP/patches/$t" | xargs -n1 basename | grep -c "^$pre-" || true)
			[ "$n" = 1 ] || bad="$bad $pre($n)"
		done
		if [ -z "$bad" ]; then
			tap_ok "$t: variant $name names one patch per prefix (${d#*:})"
		else
			tap_fail "$t: variant $name names one patch per prefix (${d#*:})" "prefixes with !=1 patch:$bad"
		fi
	done
done
