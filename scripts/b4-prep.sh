#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# b4-prep.sh TARGET: the b4 way to send patches/TARGET from your own clone
# (KERNEL_SRC=DIR, required). First scripts/send.sh runs as for
# 'make send KERNEL_SRC=DIR' (applied on DIR's HEAD, DIR's checkpatch with
# history, get_maintainer.pl, round trip; nothing is sent). Then, in DIR:
#
#   b4 prep -n imx6-TARGET -f BASE      a new branch b4/imx6-TARGET
#   the re-signed commits (your authorship and Signed-off-by) on it
#   b4 prep --edit-cover                the committed cover letter's subject
#                                       and text
#   b4 prep --auto-to-cc                To/Cc from DIR's get_maintainer.pl
#   b4 send --dry-run --no-sign         shown, kept in $BUILD/send/TARGET
#
# This writes to DIR, as b4 prep does: a new branch, checked out. DIR's
# work tree must be clean, and the branch must not exist yet (B4_BRANCH
# names another). Send with 'b4 send' (or 'b4 send --reflect' to yourself
# first) from DIR; b4 signs with patatt unless told --no-sign.

. "$(dirname "$0")/lib.sh"

TARGET=${1:-${TARGET:-}}
load_target "$TARGET"
start_log "b4-prep-$TARGET"
own=${KERNEL_SRC:-}
[ -n "$own" ] || die "KERNEL_SRC is not set: b4-prep works in your own clone of the tree you send to (KERNEL_SRC=~/linux)"
command -v b4 >/dev/null || die "b4 not found; install Debian package b4 (scripts/apt-setup.sh)"
git -C "$own" rev-parse --is-inside-work-tree >/dev/null 2>&1 ||
	die "KERNEL_SRC=$own is not a git work tree"
own=$(git -C "$own" rev-parse --show-toplevel)
[ -z "$(git -C "$own" status --porcelain --untracked-files=no)" ] ||
	die "KERNEL_SRC=$own has local changes; commit or stash them first (b4 prep checks out a new branch)"
git -C "$own" symbolic-ref -q HEAD >/dev/null ||
	die "KERNEL_SRC=$own has a detached HEAD; check out a branch first (b4 prep needs one)"
orig=$(git -C "$own" symbolic-ref --short HEAD)
# b4 turns the name into a slug (non-word characters become '-'): use one.
name=${B4_BRANCH:-imx6-$TARGET}
name=$(sed 's/[^A-Za-z0-9_]\+/-/g' <<<"$name" | tr '[:upper:]' '[:lower:]')
git -C "$own" rev-parse --verify -q "refs/heads/b4/$name" >/dev/null &&
	die "KERNEL_SRC=$own already has branch b4/$name; delete it or set B4_BRANCH"

# Everything make send checks, nothing sent.
SEND='' KERNEL_SRC=$own "$TOP/scripts/send.sh" "$TARGET" >"$LOG.send" 2>&1 ||
	die "make send KERNEL_SRC=$own fails: $(grep -m1 '^error:' "$LOG.send" || tail -n1 "$LOG.send") ($LOG.send)"
out=$BUILD/send/$TARGET
# What SEND=1 refuses, b4 would send without a word: refuse it here.
if grep -q -F -e '[PLACEHOLDER' -e '<id of ' "$out"/outgoing/*.patch; then
	die "patches/$TARGET still has a [PLACEHOLDER paragraph or an '<id of ...>' upstream id (as make send SEND=1, b4-prep refuses it)"
fi
scratch=$out/repo.git
base=$(git --git-dir="$scratch" rev-parse refs/heads/send-base)
n=$(git --git-dir="$scratch" rev-list --count "$base..refs/heads/send")

g() { git -C "$own" "$@"; }
run g fetch -q "$scratch" refs/heads/send || die "cannot fetch the re-signed commits from $scratch"
send=$(g rev-parse FETCH_HEAD)
(cd "$own" && run b4 prep -n "$name" -f "$base") || die "b4 prep -n $name failed"
undo="cd $own && git cherry-pick --abort; git checkout $orig && git branch -D b4/$name"
(cd "$own" && run git -c commit.gpgsign=false -c core.hooksPath=/dev/null \
	cherry-pick --allow-empty-message "$base..$send") ||
	die "cherry-pick of the series onto b4/$name failed; to undo: $undo"
# The committed cover letter's subject and text, as make send uses them.
ed=$out/work/b4-cover-editor
cat >"$ed" <<EOC
#!/bin/sh
{ cat "$out/work/subject"; printf '\\n\\n'; cat "$out/work/blurb"; } >"\$1"
EOC
chmod +x "$ed"
# b4 0.12 takes core.editor before $EDITOR: override both.
(cd "$own" && GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=core.editor GIT_CONFIG_VALUE_0="$ed" \
	EDITOR=$ed run b4 prep --edit-cover) || die "b4 prep --edit-cover failed; to undo: $undo"
# The series' subject prefix ("PATCH 6.1.y" gives [PATCH 6.1.y n/m]).
extra=$(sed 's/^PATCH *//' "$out/work/prefix")
if [ -n "$extra" ]; then
	# shellcheck disable=SC2086
	(cd "$own" && run b4 prep --set-prefixes $extra) || die "b4 prep --set-prefixes failed; to undo: $undo"
fi
(cd "$own" && run b4 prep --auto-to-cc) || die "b4 prep --auto-to-cc failed; to undo: $undo"
(cd "$own" && b4 send --dry-run --no-sign) >"$out/b4-dry-run.txt" 2>&1 ||
	die "b4 send --dry-run failed"
grep -E '^ *\| (Subject|To|Cc|From):' "$out/b4-dry-run.txt" || true
say "b4-prep $TARGET: branch b4/$name in $own: a cover letter and the $n re-signed patches on $(git -C "$own" log -1 --format='%h ("%s")' "$base")"
say "b4-prep $TARGET: b4 send --dry-run: $out/b4-dry-run.txt; send with 'b4 send' (or 'b4 send --reflect' first) in $own"
