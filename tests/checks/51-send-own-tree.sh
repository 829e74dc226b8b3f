#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make send from the submitter's own clone (KERNEL_SRC=...), on a small
# repository with history that this test builds: the newest lab tree's
# MAINTAINERS, checkpatch.pl and get_maintainer.pl and imx-sdma.c, then a
# commit by "Bug Author" (the one a Fixes: tag names) and one on top.
# A scratch target's one-patch series (placeholder author, Fixes: that
# commit, Assisted-by) is sent from it with a scratch identity and a fake
# sendmail. Checked:
#  - base-commit: of the cover letter is the repository's HEAD, a commit
#    in it; the patch applies on HEAD;
#  - To/Cc are exactly what that repository's get_maintainer.pl gives for
#    the outgoing patch, with history: the Fixes: commit's author is Cc'd;
#  - the test user's Signed-off-by is the last trailer, the only one;
#  - the repository's checkpatch.pl ran with its history: a Fixes: id that
#    is not in it is refused, with the report's path;
#  - a series that does not apply on HEAD is a clear error, nothing sent;
#  - round trip: git am of the outgoing patches onto HEAD in a clone gives
#    the tree git am of the committed series gives;
#  - the repository is not written to.

. "$(dirname "$0")/../lib.sh"
set -u

unset SEND ALLOW_PLACEHOLDER MAKEFLAGS MFLAGS MAKELEVEL KERNEL_SRC SEND_BASE
PLACEHOLDER_NAME=$(sed -n 's/^PLACEHOLDER_NAME="\(.*\)"$/\1/p' "$TOP/scripts/lib.sh")
PLACEHOLDER_EMAIL=$(sed -n 's/^PLACEHOLDER_EMAIL="\(.*\)"$/\1/p' "$TOP/scripts/lib.sh")
nt=$(newest_target)
src=$BUILD/trees/$nt/unpatched
if [ ! -f "$src/scripts/get_maintainer.pl" ]; then
	tap_skip "make send KERNEL_SRC=own clone" "no $nt tree (make tree TARGET=$nt)"
	exit 0
fi

scratch=$(mktemp -d "${TMPDIR:-/tmp}/imx6-lab-send-own.XXXXXX")
trap '[ -n "${KEEP:-}" ] || rm -rf "$scratch"' EXIT
export HOME=$scratch/home GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=$scratch/home/.gitconfig
mkdir -p "$HOME"
calls=$scratch/sendmail-calls
mbox=$scratch/sent.mbox
printf '#!/bin/sh\necho "$*" >>"%s"\n{ echo "From fake Mon Sep 17 00:00:00 2001"; cat; echo; } >>"%s"\n' \
	"$calls" "$mbox" >"$scratch/fake-sendmail"
chmod +x "$scratch/fake-sendmail"
git config --global user.name "Test User"
git config --global user.email test@example.org
export GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=sendemail.smtpServer \
	GIT_CONFIG_VALUE_0=$scratch/fake-sendmail

# The repository with history.
own=$scratch/linux
mkdir -p "$own/scripts" "$own/drivers/dma"
for d in Documentation arch include fs init ipc kernel lib sound; do
	mkdir -p "$own/$d" && echo "stand-in" >"$own/$d/README"
done
for f in MAINTAINERS COPYING CREDITS Kbuild README Makefile scripts/checkpatch.pl scripts/get_maintainer.pl \
	 scripts/spelling.txt scripts/const_structs.checkpatch drivers/dma/imx-sdma.c; do
	[ -f "$src/$f" ] && cp "$src/$f" "$own/$f"
done
gown() { git -C "$own" "$@"; }
gown init -q
gown add -A
GIT_AUTHOR_DATE="2026-01-01T00:00:00Z" GIT_COMMITTER_DATE="2026-01-01T00:00:00Z" \
	gown -c user.name="Tree Keeper" -c user.email=keeper@example.org commit -q -m "Linux stand-in"
sed -i '0,/^#include <linux\/module.h>/s//#include <linux\/module.h>\n#define SDMA_FAKE_FLAG\t1/' "$own/drivers/dma/imx-sdma.c"
gown -c user.name="Bug Author" -c user.email=bug@example.org commit -q -a \
	-m "dmaengine: imx-sdma: add a fake flag" -m "Signed-off-by: Bug Author <bug@example.org>"
bug=$(gown rev-parse --short=12 HEAD)
echo "stand-in 2" >"$own/lib/README"
gown -c user.name="Tree Keeper" -c user.email=keeper@example.org commit -q -a -m "lib: touch the readme"
head=$(gown rev-parse HEAD)
before=$(gown for-each-ref; gown status --porcelain; gown rev-parse HEAD)

# The scratch target and its series, written as export-series.sh would.
mkseries() { # mkseries DIR FIXES-ID: the one-patch series
	local dir=$1 id=$2 r=$scratch/mk
	rm -rf "$r" "$dir"
	mkdir -p "$dir"
	git clone -q "$own" "$r"
	sed -i 's/^#define SDMA_FAKE_FLAG\t1$/#define SDMA_FAKE_FLAG\t2/' "$r/drivers/dma/imx-sdma.c"
	git -C "$r" -c user.name="$PLACEHOLDER_NAME" -c user.email="$PLACEHOLDER_EMAIL" commit -q -a \
		-m "dmaengine: imx-sdma: make the fake flag two" \
		-m "The flag added by the commit below is one too low; make it two." \
		-m "Fixes: $id (\"dmaengine: imx-sdma: add a fake flag\")
Assisted-by: LLM"
	git -C "$r" format-patch -q --no-signoff -o "$dir" -1 HEAD
	cat >"$dir/0000-cover-letter.patch" <<EOC
From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001
From: $PLACEHOLDER_NAME <$PLACEHOLDER_EMAIL>
Date: Thu, 1 Jan 2026 00:00:00 +0000
Subject: [PATCH 9.9 0/1] dmaengine: imx-sdma: a fake fix for the send test

The cover letter of the send test.

$PLACEHOLDER_NAME (1):
  dmaengine: imx-sdma: make the fake flag two

--
2.39.5
EOC
	(cd "$dir" && ls 0001-*.patch >series)
}
tdir=$scratch/targets
mkdir -p "$tdir"
printf 'TGT_KVERSION=9.9\nTGT_SOURCE=kernel_src\nTGT_SERIES=%s\nTGT_DTB=x.dtb\nTGT_CONFIG=""\n' \
	"$scratch/series" >"$tdir/synth.1.conf"
mkseries "$scratch/series" "$bug"
export TARGETS_DIR=$tdir BUILD=$scratch/build
mkdir -p "$BUILD/logs"

out=$scratch/send.out
if ! KERNEL_SRC=$own "$TOP/scripts/send.sh" synth.1 >"$out" 2>&1; then
	tap_fail "make send KERNEL_SRC=own clone: dry run" "$(tail -n1 "$out")"
	exit 0
fi
tap_ok "make send KERNEL_SRC=own clone: dry run"
o=$BUILD/send/synth.1/outgoing
cover=$(ls "$o"/0000-*.patch)
patch=$(ls "$o"/0001-*.patch)
bc=$(sed -n 's/^base-commit: //p' "$cover")
if [ "$bc" = "$head" ] && gown cat-file -e "$bc^{commit}"; then
	tap_ok "base-commit: is the repository's HEAD ($(cut -c1-12 <<<"$bc")), a commit in it"
else
	tap_fail "base-commit: is the repository's HEAD, a commit in it" "base-commit: ${bc:-none}, HEAD $head"
fi
gm() { (cd "$own" && perl scripts/get_maintainer.pl --no-rolestats --no-git-fallback "$@" "$patch") | sort; }
hdr() { # hdr NAME FILE: the addresses of one (folded) header, one a line
	awk -v h="$1:" '$1 == h { on = 1; sub(/^[^:]*: */, ""); print; next }
		on && /^[ \t]/ { print; next } { on = 0 }' "$2" | tr ',' '\n' | sed 's/^[ \t]*//; /^$/d' | sort
}
want_to=$(gm --no-l) want_cc=$(gm --no-m --no-r)
got_to=$(hdr To "$patch") got_cc=$(hdr Cc "$patch")
if [ "$got_to" = "$want_to" ] && [ "$got_cc" = "$want_cc" ] && grep -q 'bug@example.org' <<<"$got_to$got_cc"; then
	tap_ok "To/Cc are the repository's get_maintainer.pl, with the Fixes: commit's author"
else
	tap_fail "To/Cc are the repository's get_maintainer.pl, with the Fixes: commit's author" \
		"To [$(paste -sd, <<<"$got_to")] want [$(paste -sd, <<<"$want_to")]; Cc [$(paste -sd, <<<"$got_cc")] want [$(paste -sd, <<<"$want_cc")]"
fi
trailers=$(git interpret-trailers --parse <"$patch" 2>/dev/null | grep -v '^$' || true)
if [ "$(grep -c '^Signed-off-by:' <<<"$trailers")" = 1 ] &&
   [ "$(tail -n1 <<<"$trailers")" = "Signed-off-by: Test User <test@example.org>" ] &&
   grep -q '^Fixes: ' <<<"$trailers" && grep -q '^Assisted-by: ' <<<"$trailers"; then
	tap_ok "the test user's Signed-off-by is the only one and comes after the other trailers"
else
	tap_fail "the test user's Signed-off-by is the only one and comes after the other trailers" \
		"trailers: $(paste -sd'|' <<<"$trailers")"
fi
if grep -q "checkpatch.pl --strict: clean, commit ids checked" "$out" && grep -q 'Dry-OK' "$out" &&
   [ ! -e "$calls" ]; then
	tap_ok "its checkpatch.pl passed, the dry run sent nothing"
else
	tap_fail "its checkpatch.pl passed, the dry run sent nothing" "$(grep -m1 checkpatch "$out")"
fi

# Round trip, independently of send.sh's own: a clone, git am of each.
rt() { # rt DIR PATCH...
	git clone -q "$own" "$1" && git -C "$1" -c user.name=t -c user.email=t@t am -q "${@:2}" &&
		git -C "$1" rev-parse 'HEAD^{tree}'
}
t1=$(rt "$scratch/rt1" "$patch" 2>/dev/null) || t1=none
t2=$(rt "$scratch/rt2" "$scratch"/series/0001-*.patch 2>/dev/null) || t2=none
if [ "$t1" != none ] && [ "$t1" = "$t2" ] && grep -q 'round trip: git am of outgoing/' "$out"; then
	tap_ok "round trip: git am of the outgoing patch gives the committed series' tree"
else
	tap_fail "round trip: git am of the outgoing patch gives the committed series' tree" "$t1 vs $t2"
fi

# A Fixes: id that is not in the repository: its checkpatch.pl refuses.
mkseries "$scratch/series" 0123456789ab
tap_expect_fail "a Fixes: id not in the repository's history is refused by its checkpatch.pl" \
	"checkpatch.pl --strict is not clean on the outgoing patches \\(report: .*checkpatch.txt; nothing was sent\\)" \
	env KERNEL_SRC="$own" "$TOP/scripts/send.sh" synth.1
if grep -q 'UNKNOWN_COMMIT_ID' "$BUILD/send/synth.1/checkpatch.txt" 2>/dev/null; then
	tap_ok "the refusal is checkpatch's UNKNOWN_COMMIT_ID, looked up in the repository's history"
else
	tap_fail "the refusal is checkpatch's UNKNOWN_COMMIT_ID, looked up in the repository's history" \
		"$(grep -m1 -E '^(ERROR|WARNING)' "$BUILD/send/synth.1/checkpatch.txt" 2>/dev/null)"
fi
# A series that does not apply on HEAD.
mkseries "$scratch/series" "$bug"
sed -i 's/^#define SDMA_FAKE_FLAG\t1$/#define SDMA_FAKE_FLAG\t3/' "$own/drivers/dma/imx-sdma.c"
gown -c user.name="Tree Keeper" -c user.email=keeper@example.org commit -q -a -m "dmaengine: imx-sdma: three"
tap_expect_fail "a series that does not apply on HEAD: clear error, nothing sent" \
	"patch 1/1 0001-.* does not apply on $own at [0-9a-f]+ \\(\"dmaengine: imx-sdma: three\"\\): .*; nothing was sent" \
	env KERNEL_SRC="$own" "$TOP/scripts/send.sh" synth.1
gown reset -q --hard "$head"
[ ! -e "$calls" ] || tap_fail "nothing was sent" "sendmail was called: $(head -n1 "$calls")"
after=$(gown for-each-ref; gown status --porcelain; gown rev-parse HEAD)
if [ "$before" = "$after" ]; then
	tap_ok "the submitter's repository is not written to (refs, status, HEAD)"
else
	tap_fail "the submitter's repository is not written to (refs, status, HEAD)" "it changed"
fi

# The b4 way (make b4-prep): a branch b4/imx6-synth-1 in a clone, then
# b4's own dry run and --reflect (to the test user only, fake sendmail),
# and b4 am -m of the reflected mail, applied with git am, gives the
# committed series' tree.
if ! command -v b4 >/dev/null; then
	tap_fail "b4 is installed" "install Debian package b4 (scripts/apt-setup.sh)"
	exit 0
fi
clone=$scratch/clone
git clone -q "$own" "$clone"
git -C "$clone" config sendemail.smtpServer "$scratch/fake-sendmail"
mkseries "$scratch/series" "$bug"
out=$scratch/b4.out
if ! KERNEL_SRC=$clone "$TOP/scripts/b4-prep.sh" synth.1 >"$out" 2>&1; then
	tap_fail "make b4-prep KERNEL_SRC=clone" "$(tail -n1 "$out")"
	exit 0
fi
br=$(git -C "$clone" symbolic-ref --short HEAD)
sent=$(git --git-dir="$BUILD/send/synth.1/repo.git" rev-parse 'refs/heads/send^{tree}')
if [ "$br" = b4/imx6-synth-1 ] && [ "$(git -C "$clone" rev-parse 'HEAD^{tree}')" = "$sent" ] &&
   [ "$(git -C "$clone" rev-list --count "$head..HEAD")" = 2 ]; then
	tap_ok "b4-prep: branch b4/imx6-synth-1 (b4's slug of imx6-synth.1), a cover letter commit and the re-signed patch, make send's tree"
else
	tap_fail "b4-prep: branch b4/imx6-synth-1 (b4's slug of imx6-synth.1), a cover letter commit and the re-signed patch, make send's tree" \
		"branch $br, $(git -C "$clone" rev-list --count "$head..HEAD") commits"
fi
dry=$BUILD/send/synth.1/b4-dry-run.txt
if grep -q '| From: Test User <test@example.org>' "$dry" &&
   grep -q '| Subject: \[PATCH 9.9\] dmaengine: imx-sdma: make the fake flag two' "$dry" &&
   grep -q "| base-commit: $head" "$dry" && grep -q 'bug@example.org' "$dry" &&
   [ "$(grep -c '| Signed-off-by: ' "$dry")" = 1 ] &&
   grep -q '| Signed-off-by: Test User <test@example.org>' "$dry"; then
	tap_ok "b4 send --dry-run: from the test user, the series' prefix, base-commit HEAD, the Fixes: author Cc'd, one Signed-off-by"
else
	tap_fail "b4 send --dry-run: from the test user, the series' prefix, base-commit HEAD, the Fixes: author Cc'd, one Signed-off-by" \
		"see $dry"
fi
rm -f "$calls"
refl=$scratch/reflect.out
if (cd "$clone" && printf '\n' | b4 send --reflect --no-sign) >"$refl" 2>&1 &&
   [ "$(wc -l <"$calls" 2>/dev/null || echo 0)" = 1 ] && grep -q 'test@example.org$' "$calls" &&
   ! grep -q -e vkoul -e bug@ "$calls"; then
	tap_ok "b4 send --reflect reaches the test user only"
else
	tap_fail "b4 send --reflect reaches the test user only" "$(tail -n1 "$refl"); calls: $(cat "$calls" 2>/dev/null)"
fi
am=$scratch/b4am
mkdir -p "$am"
if (cd "$clone" && b4 am -m "$mbox" -o "$am") >"$scratch/b4am.out" 2>&1 &&
   t3=$(rt "$scratch/rt3" "$am"/*.mbx 2>/dev/null) && [ "$t3" = "$t2" ]; then
	tap_ok "b4 am -m of the reflected mail, then git am onto HEAD: the committed series' tree"
else
	tap_fail "b4 am -m of the reflected mail, then git am onto HEAD: the committed series' tree" \
		"$(tail -n1 "$scratch/b4am.out"); tree ${t3:-none} vs $t2"
fi
