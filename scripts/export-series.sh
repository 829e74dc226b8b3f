#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# export-series.sh TARGET REPO [BASE]: write the commits BASE..HEAD of the
# git work tree REPO (default BASE: the tag "base", as in the lab trees)
# to patches/TARGET as git format-patch files, the way they are committed:
# no Signed-off-by (make send adds the submitter's), To/Cc from the
# newest lab tree's scripts/get_maintainer.pl (maintainers and reviewers
# in To, lists in Cc), and a "series" file. The cover letter
# (0000-cover-letter.patch) is hand-written and kept; the old patch files
# are replaced. The subject prefix is the cover letter's ("[PATCH 6.12.y
# 0/4]" gives "[PATCH 6.12.y 1/4]" ...), PATCH without one.

. "$(dirname "$0")/lib.sh"

TARGET=${1:-}
REPO=${2:-}
BASE=${3:-base}
load_target "$TARGET"
# SERIES=patches/DIR: a series of the target other than its own, e.g. a
# vendor tree's (TGT_TREE_SERIES).
[ -z "${SERIES:-}" ] || TGT_SERIES_DIR=$TOP/${SERIES%/}
start_log "export-$TARGET"
[ -d "$REPO" ] || die "usage: export-series.sh TARGET REPO [BASE]"
if git -C "$REPO" log --format=%B "$BASE..HEAD" | grep -q '^Signed-off-by:'; then
	die "a commit in $REPO $BASE..HEAD carries a Signed-off-by; only the submitter adds one (make send)"
fi
nt=$(newest_target)
gm=$TREES/$nt/unpatched/scripts/get_maintainer.pl
[ -f "$gm" ] || die "$gm not found; run 'make tree TARGET=$nt'"

prefix=PATCH
cover=$TGT_SERIES_DIR/0000-cover-letter.patch
if [ -f "$cover" ]; then
	prefix=$(sed -n 's/^Subject: \[\(.*[^ ]\) *0\/[0-9]*\].*/\1/p' "$cover" | head -n1)
	[ -n "$prefix" ] || die "${cover#"$TOP"/}: no '[PREFIX 0/N]' subject"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
run git -C "$REPO" format-patch -q --no-signoff --subject-prefix="$prefix" \
	-o "$tmp" "$BASE..HEAD" || die "git format-patch failed"
mkdir -p "$TGT_SERIES_DIR"
find "$TGT_SERIES_DIR" -maxdepth 1 -name '[0-9][0-9][0-9][0-9]-*.patch' ! -name '0000-*' -delete
: >"$TGT_SERIES_DIR/series"
for p in "$tmp"/*.patch; do
	to=$(cd "$TREES/$nt/unpatched" && perl "$gm" --no-rolestats --no-git-fallback --no-l "$p" 2>>"$LOG" |
		paste -sd, | sed 's/,/,\n    /g')
	cc=$(cd "$TREES/$nt/unpatched" && perl "$gm" --no-rolestats --no-git-fallback --no-m --no-r "$p" 2>>"$LOG")
	if grep -q '^Cc: stable@vger.kernel.org' "$p"; then cc=$(printf '%s\nstable@vger.kernel.org' "$cc"); fi
	cc=$(printf '%s\n' "$cc" | paste -sd, | sed 's/,/,\n    /g')
	# The headers go after Subject: (which may be folded).
	awk -v to="$to" -v cc="$cc" '
		!done && /^Subject: / { subj = 1; print; next }
		!done && subj && /^[ \t]/ { print; next }
		!done && subj { print "To: " to; print "Cc: " cc; done = 1; subj = 0 }
		{ print }' "$p" >"$TGT_SERIES_DIR/$(basename "$p")"
	basename "$p" >>"$TGT_SERIES_DIR/series"
done
say "export: $(wc -l <"$TGT_SERIES_DIR/series") patches to ${TGT_SERIES_DIR#"$TOP"/} (To/Cc: $nt's get_maintainer.pl)"
