#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The tooling on bad input: each case fails with a one-line reason naming
# the log, exits non-zero and leaves what was there before untouched.
# Runs in a scratch BUILD with a tiny stand-in kernel tree, so it takes
# seconds and touches no real tree.

. "$(dirname "$0")/../lib.sh"
set -u

export BUILD=$(mktemp -d "${TMPDIR:-/tmp}/imx6-lab-tooling.XXXXXX")
trap 'rm -rf "$BUILD"' EXIT
export TARGETS_DIR=$TOP/tests/fixtures/targets
S=$TOP/scripts
unset KERNEL_SRC KERNEL_SRC_5_4 KERNEL_SRC_5_10 KERNEL_SRC_6_12

# A stand-in kernel tree: just what tree.sh looks at.
fake=$BUILD/fake-src
mkdir -p "$fake/drivers/dma" "$fake/sound/core" "$fake/arch/arm/configs"
printf 'VERSION = 6\nPATCHLEVEL = 12\nSUBLEVEL = 99\n' >"$fake/Makefile"
printf '/* fake imx-sdma.c for the tooling tests */\nint sdma_fake;\n' >"$fake/drivers/dma/imx-sdma.c"
printf '/* fake pcm_dmaengine.c for the tooling tests */\nint pcm_fake;\n' >"$fake/sound/core/pcm_dmaengine.c"
: >"$fake/arch/arm/configs/imx_v6_v7_defconfig"

# One-line reason ending in the log path, and a non-zero exit.
reason='^error: .*\(log: /[^)]*\.log\)$'

tap_expect_fail "unknown TARGET is refused with the known targets" \
	'unknown TARGET .nope.; known targets:' "$S/tree.sh" nope

tap_expect_fail "KERNEL_SRC that does not exist is refused" \
	"$reason" env KERNEL_SRC=/nonexistent/linux "$S/tree.sh" fake

tap_expect_fail "KERNEL_SRC that is not a kernel tree is refused" \
	'not a kernel tree' env KERNEL_SRC="$BUILD" "$S/tree.sh" fake

tap_expect_fail "5.4 without KERNEL_SRC says what is missing" \
	'TARGET 5.4 needs KERNEL_SRC=' env TARGETS_DIR="$TOP/targets" "$S/tree.sh" 5.4

tap_expect_fail "KERNEL_SRC of the wrong version is refused" \
	'is Linux 6\.12\.99; TARGET 5\.4 needs a 5\.4\.y tree' \
	env TARGETS_DIR="$TOP/targets" KERNEL_SRC="$fake" "$S/tree.sh" 5.4
# The default place of a tree no registry carries must hold the pinned
# version; any 5.4.y given explicitly is taken.
mkdir -p "$BUILD/src"
cp -a "$fake" "$BUILD/src/5.4"
printf 'VERSION = 5\nPATCHLEVEL = 4\nSUBLEVEL = 99\n' >"$BUILD/src/5.4/Makefile"
tap_expect_fail "a tree at \$BUILD/src/5.4 that is not the pinned version is refused" \
	'is Linux 5\.4\.99, the pinned 5\.4 tree is 5\.4\.286' \
	env TARGETS_DIR="$TOP/targets" "$S/tree.sh" 5.4
rm -rf "$BUILD/src"
[ ! -e "$BUILD/trees/5.4" ] && tap_ok "a refused KERNEL_SRC leaves no tree behind" ||
	tap_fail "a refused KERNEL_SRC leaves no tree behind" "$BUILD/trees/5.4 exists"

tap_expect "a directory KERNEL_SRC becomes a tree with a base tag" \
	env KERNEL_SRC="$fake" "$S/tree.sh" fake
tap_expect "making the same tree again is a no-op" \
	sh -c "KERNEL_SRC='$fake' '$S/tree.sh' fake 2>&1 | grep -q 'up to date'"

# scripts/prefetch.sh may be making a tree in the background: tree.sh
# waits for the lock of that tree, then finds it made.
mkdir -p "$BUILD/locks"
flock "$BUILD/locks/tree-fake" sh -c "touch '$BUILD/held'; sleep 3" &
while [ ! -e "$BUILD/held" ]; do sleep 0.1; done
t0=$(date +%s%N)
out=$(KERNEL_SRC="$fake" "$S/tree.sh" fake 2>&1)
waited=$((($(date +%s%N) - t0) / 1000000))
wait
if [ $waited -ge 1500 ] && grep -q 'waiting for another process' <<<"$out" &&
   grep -q 'up to date' <<<"$out"; then
	tap_ok "tree.sh waits while another process holds the tree's lock (${waited} ms)"
else
	tap_fail "tree.sh waits while another process holds the tree's lock" "returned after ${waited} ms: $(tr '\n' '|' <<<"$out")"
fi

# A git KERNEL_SRC is archived from its HEAD.
gsrc=$BUILD/fake-git
cp -a "$fake" "$gsrc"
git -C "$gsrc" init -q && git -C "$gsrc" add -A &&
	git -C "$gsrc" -c user.name=t -c user.email=t@t commit -qm fake
tap_expect "a git KERNEL_SRC is archived from HEAD" \
	env KERNEL_SRC="$gsrc" TARGETS_DIR="$TARGETS_DIR" sh -c \
	"'$S/tree.sh' fake && git -C '$BUILD/trees/fake/unpatched' rev-parse -q --verify base"

tap_expect "a series applies onto the base" "$S/series.sh" fake
head_good=$(git -C "$BUILD/trees/fake/patched" rev-parse HEAD)

tap_expect_fail "a series that does not apply names the patch and the rejects" \
	'patch 2/2 0002-sound-does-not-apply\.patch does not apply: .*rejects: ' \
	"$S/series.sh" fake-bad
wt=$BUILD/trees/fake/patched
if [ "$(git -C "$wt" rev-parse HEAD)" = "$head_good" ] &&
   [ -z "$(git -C "$wt" status --porcelain)" ] &&
   [ ! -d "$(git -C "$wt" rev-parse --git-dir)/rebase-apply" ]; then
	tap_ok "the failed series left the patched tree as it was"
else
	tap_fail "the failed series left the patched tree as it was" \
		"HEAD $(git -C "$wt" rev-parse --short HEAD), status: $(git -C "$wt" status --porcelain | head -1)"
fi

# Someone's edit in the worktree is refused and kept; a worktree a stopped
# run left half made (its .busy file) is made again. The half-made state is
# the one a host restart left during git worktree add: the worktree locked
# "initializing", every file staged as deleted.
echo "/* an edit */" >>"$wt/drivers/dma/imx-sdma.c"
tap_expect_fail "an edited patched tree is refused" \
	'patched has local changes; commit or discard them \(nothing was touched\)' \
	"$S/series.sh" fake
grep -q 'an edit' "$wt/drivers/dma/imx-sdma.c" &&
	tap_ok "the edit was kept" || tap_fail "the edit was kept" "$wt/drivers/dma/imx-sdma.c"
git -C "$wt" checkout -q -- .
git -C "$wt" rm -q -r --cached .
git -C "$wt" worktree lock --reason initializing "$wt"
: >"$wt.busy"
tap_expect "a worktree left half made by a stopped run is made again" \
	sh -c "'$S/series.sh' fake 2>&1 | grep -q 'an earlier run stopped while changing .*/patched; its files go to .*/.stale-patched, and the worktree is made again'"
if [ "$(git -C "$wt" rev-parse HEAD)" = "$head_good" ] &&
   [ -z "$(git -C "$wt" status --porcelain)" ] && [ ! -e "$wt.busy" ]; then
	tap_ok "the remade tree is the series, clean"
else
	tap_fail "the remade tree is the series, clean" \
		"HEAD $(git -C "$wt" rev-parse --short HEAD), status: $(git -C "$wt" status --porcelain | head -1)"
fi
[ -f "$BUILD/trees/fake/.stale-patched/drivers/dma/imx-sdma.c" ] &&
	tap_ok "the stopped run's files were kept aside" ||
	tap_fail "the stopped run's files were kept aside" "no $BUILD/trees/fake/.stale-patched"
# A second series.sh while one changes the worktree is refused.
exec 8>"$wt.lock"
flock 8
tap_expect_fail "a second series.sh at once is refused" \
	'another series.sh is changing .*/patched now' "$S/series.sh" fake
exec 8>&-

# Debian-sourced targets: a corrupt download and a version no suite has.
mkdir -p "$BUILD/dl"
echo "not a deb" >"$BUILD/dl/linux-source-6.12_6.12.117-1~deb12u1_all.deb"
tap_expect_fail "a checksum mismatch is refused and the file moved aside" \
	'checksum mismatch for linux-source-6\.12_6\.12\.117-1~deb12u1_all\.deb: expected 0+, got [0-9a-f]{64}' \
	"$S/tree.sh" badsum
[ -f "$BUILD/dl/linux-source-6.12_6.12.117-1~deb12u1_all.deb.bad" ] &&
	[ ! -e "$BUILD/trees/badsum" ] &&
	tap_ok "the mismatching download was kept aside and no tree made" ||
	tap_fail "the mismatching download was kept aside and no tree made" "see $BUILD/dl"

tap_expect_fail "a package version apt does not have is reported" \
	'^error: cannot download linux-source-6\.12=0\.0\.0-0~imx6lab from apt .*\(log: /[^)]*\.log\)$' \
	"$S/tree.sh" nopkg

tap_expect_fail "an unknown VARIANT is refused" \
	'unknown VARIANT .both.' "$S/kernel.sh" fake both
tap_expect_fail "a kernel build without its tree says which make to run" \
	"run 'make tree TARGET=badsum' first" "$S/kernel.sh" badsum unpatched

# An opt-in target (TGT_LAB=opt-in: 5.10) keeps its kernels and boots out
# of the run unless LAB_OPTIN names it or says all; 6.12 is always in.
optin() {
	local want=$1 t=$2
	shift 2
	if (unset LAB_OPTIN; TARGETS_DIR=$TOP/targets; export "$@"; lab_opted_out "$t"); then
		[ "$want" = out ]
	else
		[ "$want" = in ]
	fi
}
for c in "out 5.10" "in 5.10 LAB_OPTIN=5.10" "in 5.10 LAB_OPTIN=all" \
	 "in 5.10 LAB_OPTIN=6.1\ 5.10" "out 5.10 LAB_OPTIN=5.1" "in 6.12" \
	 "in 6.12 LAB_OPTIN=5.10"; do
	eval "set -- $c"
	if optin "$@"; then
		tap_ok "lab_opted_out: $c"
	else
		tap_fail "lab_opted_out: $c" "got the opposite"
	fi
done

# An LZO kernel (5.4) is compressed by lzop-reproducible: the same input
# a second later gives the same bytes (plain lzop stores the time of day),
# and lzop decompresses it.
head -c 200000 /dev/urandom >"$BUILD/lzo-in"
"$S/lzop-reproducible" -9 <"$BUILD/lzo-in" >"$BUILD/lzo-a"
sleep 1.1
"$S/lzop-reproducible" -9 <"$BUILD/lzo-in" >"$BUILD/lzo-b"
if cmp -s "$BUILD/lzo-a" "$BUILD/lzo-b" && lzop -dc "$BUILD/lzo-a" | cmp -s - "$BUILD/lzo-in"; then
	tap_ok "lzop-reproducible: same bytes a second later, and they decompress"
else
	tap_fail "lzop-reproducible: same bytes a second later, and they decompress" "see $BUILD/lzo-a, lzo-b"
fi

# per_target (tests/lib.sh): the targets' lines in target order whatever
# order they end in, a target named twice run once, and one whose
# function dies reported as such (after the lines it printed; its
# shell's error message, also in the output, is left out here).
pt_func() {
	case "$1" in
	a) sleep 0.6 ;;
	c) set -u; echo "ok - $1 started"; : "$pt_unset_var" ;;
	esac
	echo "ok - $1 done"
}
pt_out=$(per_target "pt ran to the end" pt_func a b a c 2>&1 | grep -E '^(not )?ok ')
pt_want="ok - a done
ok - b done
ok - c started
not ok - c: pt ran to the end # exit 1"
if [ "$pt_out" = "$pt_want" ]; then
	tap_ok "per_target: target order, a target named twice runs once, a died one is reported"
else
	tap_fail "per_target: target order, a target named twice runs once, a died one is reported" \
		"got: $(printf '%s' "$pt_out" | tr '\n' '|')"
fi
