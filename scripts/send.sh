#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# send.sh TARGET: prepare patches/TARGET for the mailing lists under your
# own name and show exactly what git send-email would send. Sends nothing
# unless SEND=1.
#
#  1. Your identity is git config user.name / user.email (this repository's
#     config or your global one). Unset, or still the series' placeholder
#     identity, is an error.
#  2. The series is applied onto the target's pristine tree (tag "base" of
#     $BUILD/trees/TARGET/unpatched) in a scratch repository
#     $BUILD/send/TARGET/repo.git that borrows the tree's objects (git
#     alternates). Nothing in the trees other scripts use is written to:
#     no commit, ref, worktree or checkout. Each patch is applied to an
#     index with git apply --cached, as strictly as git am --no-3way.
#  3. Each commit gets your Signed-off-by, added after its trailers (the
#     committed patches carry none: only you, the human submitter, can
#     certify the DCO; Documentation/process/coding-assistants.rst), and
#     the placeholder author becomes you. Other authors and trailers
#     (Fixes:, Cc:, Assisted-by:) stay; a stray trailer of the
#     placeholder identity is dropped.
#  4. git format-patch --cover-letter --base=base regenerates the series;
#     the cover letter gets back the subject and text of
#     patches/TARGET/0000-cover-letter.patch, while its shortlog and
#     diffstat are new. The lab trees are imported without upstream
#     history, so their "base" commit means nothing to anyone else: the
#     cover letter keeps the upstream base-commit: line of the committed
#     cover letter in that case, or has none (its text names the base).
#  5. To and Cc of every patch come from the target tree's
#     scripts/get_maintainer.pl --no-rolestats --no-git-fallback:
#     maintainers and reviewers (--no-l) in To, lists (--no-m --no-r) in
#     Cc, plus stable@vger.kernel.org when the patch carries
#     "Cc: stable@vger.kernel.org". The cover letter goes to all of them.
#  6. git send-email --dry-run (Debian package git-email) prints every
#     message with its recipients; send-email adds nobody on its own
#     (--suppress-cc author, self, body and cccmd: the recipients are the
#     headers).
#     With SEND=1 the same command runs without --dry-run, through your
#     sendemail.* configuration. SEND=1 refuses a cover letter that still
#     has a "[PLACEHOLDER" paragraph (ALLOW_PLACEHOLDER=1 overrides).
#
# KERNEL_SRC=DIR: send from your own clone of the tree you send to (e.g.
# the dmaengine or sound tree, with its history) instead of the lab's
# tree: the series is applied on DIR's HEAD (SEND_BASE=rev for another
# base; a clear error when it does not apply), DIR's scripts/checkpatch.pl
# --strict checks the outgoing patches with DIR's history (so commit ids
# in Fixes: and in the text are really looked up) and must be clean, To/Cc
# come from DIR's get_maintainer.pl (with history it also finds the
# people of the Fixes: commits), format-patch writes --base=auto against
# that base, so base-commit: is a commit of DIR, and your identity may
# also come from DIR's git config. DIR is only read.
#
# Round trip (both ways): the outgoing patches are applied again with git
# am onto the base in a scratch repository and must give the tree that
# patches/TARGET gives applied the same way.
#
# Output: $BUILD/send/TARGET/: the patches (outgoing/*.patch), the dry run
# (dry-run.txt) and a log.

. "$(dirname "$0")/lib.sh"

TARGET=${1:-${TARGET:-}}
load_target "$TARGET"
newest=$(newest_target)
start_log "send-$TARGET"

own=${KERNEL_SRC:-}
if [ -n "$own" ]; then
	git -C "$own" rev-parse --is-inside-work-tree >/dev/null 2>&1 ||
		die "KERNEL_SRC=$own is not a git work tree: make send takes a clone of the tree you send to (git clone ...), not a source directory"
	own=$(git -C "$own" rev-parse --show-toplevel)
	[ "$(git -C "$own" rev-parse --is-shallow-repository)" = false ] ||
		die "KERNEL_SRC=$own is a shallow clone: make send needs its history (git fetch --unshallow)"
fi

# 1. Identity: your own tree's git config first, then this repository's.
name='' email=''
if [ -n "$own" ]; then
	name=$(git -C "$own" config user.name 2>/dev/null || true)
	email=$(git -C "$own" config user.email 2>/dev/null || true)
fi
[ -n "$name" ] || name=$(git -C "$TOP" config user.name 2>/dev/null || true)
[ -n "$email" ] || email=$(git -C "$TOP" config user.email 2>/dev/null || true)
if [ -z "$name" ] || [ -z "$email" ]; then
	die "no git identity: set yours with 'git config --global user.name \"Your Name\"' and 'git config --global user.email you@example.org' (the series' Signed-off-by will be yours)"
fi
if [ "$name" = "$PLACEHOLDER_NAME" ] || [ "$email" = "$PLACEHOLDER_EMAIL" ]; then
	die "your git identity is the series' placeholder ($PLACEHOLDER_NAME <$PLACEHOLDER_EMAIL>); set your own user.name and user.email"
fi
case "$email" in *@*.*) ;; *) die "git user.email '$email' is not a mail address" ;; esac
me="$name <$email>"

[ -x "$(git --exec-path)/git-send-email" ] ||
	die "git send-email not found; install Debian package git-email (or run scripts/apt-setup.sh)"

if [ -n "$own" ]; then
	base_tree=$own
	base=$(git -C "$own" rev-parse --verify -q "${SEND_BASE:-HEAD}^{commit}") ||
		die "KERNEL_SRC=$own: no commit '${SEND_BASE:-HEAD}'"
	for f in scripts/get_maintainer.pl scripts/checkpatch.pl MAINTAINERS; do
		[ -f "$own/$f" ] || die "KERNEL_SRC=$own has no $f: not a kernel tree"
	done
else
	base_tree=$TGT_TREE/unpatched
	[ -d "$base_tree/.git" ] || die "no $TARGET tree; run 'make tree TARGET=$TARGET' first"
	base=$(git -C "$base_tree" rev-parse --verify -q 'base^{commit}') ||
		die "$base_tree has no tag 'base'; run 'make tree TARGET=$TARGET' again"
	gm=$base_tree/scripts/get_maintainer.pl
	[ -f "$gm" ] || die "$gm not found"
fi

cover=$TGT_SERIES_DIR/0000-cover-letter.patch
[ -f "$cover" ] || die "no cover letter ${cover#"$TOP"/}"
mapfile -t patches < <("$TOP/scripts/series-list.sh" "$TGT_SERIES_DIR")
[ "${#patches[@]}" -gt 0 ] || die "no patches in ${TGT_SERIES_DIR#"$TOP"/}"

out=$BUILD/send/$TARGET
rm -rf "$out/repo.git" "$out/outgoing" "$out/work"
mkdir -p "$out/outgoing" "$out/work"
work=$out/work

# 2. Scratch repository on the pristine tree's objects.
objs=$(cd "$base_tree" && realpath "$(git rev-parse --git-path objects)") ||
	die "cannot find the objects of $base_tree"
export GIT_DIR=$out/repo.git
export GIT_INDEX_FILE=$work/index
run git init -q --bare "$GIT_DIR" || die "cannot create $GIT_DIR"
echo "$objs" >"$GIT_DIR/objects/info/alternates"
run git update-ref refs/tags/base "$base" || die "cannot tag base in $GIT_DIR"
# format-patch --base=auto takes the base from the branch's upstream.
run git update-ref refs/heads/send-base "$base" || die "cannot make branch send-base in $GIT_DIR"
{ run git config branch.send.remote . && run git config branch.send.merge refs/heads/send-base; } ||
	die "cannot set the upstream of branch send in $GIT_DIR"

# The committed cover letter: subject prefix, subject, text, base-commit.
python3 - "$cover" "$work" <<'EOF' || die "cannot read the cover letter ${cover#"$TOP"/}"
import re, sys
src, work = sys.argv[1], sys.argv[2]
text = open(src, encoding="utf-8").read()
head, _, body = text.partition("\n\n")
heads = {}
key = None
for line in head.split("\n")[1:]:
    if line[:1] in (" ", "\t") and key:
        heads[key] += " " + line.strip()
    else:
        key, _, val = line.partition(":")
        key = key.lower()
        heads[key] = val.strip()
m = re.match(r"\[([^\]]*?) *0/\d+\] *(.*)$", heads.get("subject", ""))
if not m:
    sys.exit("cover letter subject is not '[PREFIX 0/N] subject'")
lines = body.split("\n")
end = next((i for i, l in enumerate(lines) if re.match(r"^\S.* \(\d+\):$", l)), None)
if end is None:
    sys.exit("no shortlog ('Name (N):') in the cover letter")
blurb = "\n".join(lines[:end]).rstrip("\n")
bc = re.search(r"^base-commit: ([0-9a-f]{40})$", body, re.M)
open(work + "/prefix", "w").write(m.group(1))
open(work + "/subject", "w").write(m.group(2))
open(work + "/blurb", "w").write(blurb + "\n")
open(work + "/base-commit", "w").write(bc.group(1) if bc else "")
EOF

# 3. Apply and re-sign.
info() { sed -n "s/^$1: //p" "$d/info" | head -n1; }
head=$base
n=0
for p in "${patches[@]}"; do
	n=$((n + 1))
	d=$work/p$n
	mkdir -p "$d"
	git mailinfo "$d/msg" "$d/diff" <"$p" >"$d/info" 2>>"$LOG" ||
		die "$(basename "$p") is not a mail git can read"
	a_name=$(info Author) a_email=$(info Email) a_date=$(info Date) subj=$(info Subject)
	if [ "$a_name" = "$PLACEHOLDER_NAME" ] || [ "$a_email" = "$PLACEHOLDER_EMAIL" ]; then
		a_name=$name a_email=$email
	fi
	# Drop every trailer line of the placeholder, then add yours at the
	# end of the trailers unless it is already the last one.
	{
		printf '%s\n\n' "$subj"
		grep -v -F -e "$PLACEHOLDER_EMAIL" "$d/msg" |
			grep -v -E "^[A-Za-z-]+: *$PLACEHOLDER_NAME( |$)" || true
	} | git interpret-trailers --if-exists addIfDifferentNeighbor \
		--trailer "Signed-off-by: $me" >"$d/message" ||
		die "cannot re-sign $(basename "$p")"
	run git read-tree "$head" || die "git read-tree failed"
	if ! git apply --cached --check "$d/diff" 2>"$d/reject"; then
		cat "$d/reject" >>"$LOG"
		where="the $TARGET base"
		[ -z "$own" ] || where="$own at $(git log -1 --format='%h ("%s")' "$base")"
		die "patch $n/${#patches[@]} $(basename "$p") does not apply on $where: $(head -n1 "$d/reject"); nothing was sent"
	fi
	run git apply --cached "$d/diff" || die "git apply failed for $(basename "$p")"
	tree=$(git write-tree) || die "git write-tree failed"
	head=$(GIT_AUTHOR_NAME=$a_name GIT_AUTHOR_EMAIL=$a_email GIT_AUTHOR_DATE=$a_date \
		GIT_COMMITTER_NAME=$name GIT_COMMITTER_EMAIL=$email GIT_COMMITTER_DATE=$a_date \
		git commit-tree "$tree" -p "$head" <"$d/message") ||
		die "git commit-tree failed for $(basename "$p")"
done
run git update-ref refs/heads/send "$head"
say "send $TARGET: ${#patches[@]} patches applied on base and signed off by $me"

# 4. format-patch with the committed cover letter's subject and text.
# From your own tree the base is a real commit there: --base=auto (the
# upstream of branch send is branch send-base).
baseopt=--base=base
if [ -n "$own" ]; then
	baseopt=--base=auto
	run git symbolic-ref HEAD refs/heads/send || die "cannot check out branch send in $GIT_DIR"
fi
(cd "$out/outgoing" && run git format-patch -q --cover-letter "$baseopt" \
	--subject-prefix="$(cat "$work/prefix")" -o . base..send) ||
	die "git format-patch failed"
mapfile -t outp < <(ls "$out/outgoing"/*.patch)
[ "${#outp[@]}" = $((${#patches[@]} + 1)) ] || die "git format-patch wrote ${#outp[@]} files"
# A lab tree's base commit is not an upstream commit: keep the committed
# cover letter's upstream base-commit line, or drop the line (the cover
# letter names the upstream base in its text).
local_note=
if [ -z "$own" ] && [ "$(git rev-list --count base)" = 1 ]; then
	local_note=drop
	[ ! -s "$work/base-commit" ] || local_note="base-commit: $(cat "$work/base-commit")"
fi
python3 - "${outp[0]}" "$work" "$base" "$local_note" <<'EOF' || die "cannot fill in the cover letter"
import sys
path, work, base, keep = sys.argv[1:5]
text = open(path, encoding="utf-8").read()
subject = open(work + "/subject", encoding="utf-8").read()
blurb = open(work + "/blurb", encoding="utf-8").read().rstrip("\n")
for old, new in (("*** SUBJECT HERE ***", subject), ("*** BLURB HERE ***", blurb)):
    if text.count(old) != 1:
        sys.exit("format-patch cover letter has no single %r" % old)
    text = text.replace(old, new)
if keep:
    old = "base-commit: " + base
    if text.count(old) != 1:
        sys.exit("no base-commit line to replace")
    if keep == "drop":
        text = text.replace(old + "\n", "")
    else:
        text = text.replace(old, keep)
open(path, "w", encoding="utf-8").write(text)
EOF

# 5. Recipients.
# gm_list FILE ARGS...: get_maintainer.pl's addresses, one a line.
gm_list() {
	local f=$1
	shift
	(cd "$base_tree" && env -u GIT_DIR -u GIT_INDEX_FILE \
		perl scripts/get_maintainer.pl --no-rolestats --no-git-fallback \
		"$@" "$f" 2>>"$LOG") | grep . || true
}
# add_headers FILE TOFILE CCFILE: To:/Cc: after the Subject: header.
add_headers() {
	python3 - "$@" <<'EOF'
import sys
path, tof, ccf = sys.argv[1:4]
def hdr(name, f):
    addrs = [a for a in open(f, encoding="utf-8").read().split("\n") if a]
    return name + ": " + ",\n    ".join(addrs) + "\n" if addrs else ""
lines = open(path, encoding="utf-8").read().split("\n")
i = next(i for i, l in enumerate(lines) if l.startswith("Subject: "))
i += 1
while lines[i][:1] in (" ", "\t"):
    i += 1
extra = (hdr("To", tof) + hdr("Cc", ccf)).rstrip("\n")
if extra:
    lines.insert(i, extra)
open(path, "w", encoding="utf-8").write("\n".join(lines))
EOF
}
: >"$work/all-to"
: >"$work/all-cc"
for f in "${outp[@]:1}"; do
	gm_list "$f" --no-l >"$f.to"
	{
		gm_list "$f" --no-m --no-r
		# The Cc: stable tag of a mainline patch is for the stable
		# team's scripts, "NOT an email recipient"
		# (submitting-patches.rst); a backport series (any other
		# target) is addressed to stable@.
		if [ "$TARGET" != "$newest" ] &&
		   grep -qiE '^Cc: *<?stable@vger\.kernel\.org' "$f"; then
			echo stable@vger.kernel.org
		fi
	} | awk '!seen[$0]++' >"$f.cc"
	[ -s "$f.to" ] || die "get_maintainer.pl names no maintainer for $(basename "$f")"
	cat "$f.to" >>"$work/all-to"
	cat "$f.cc" >>"$work/all-cc"
done
awk '!seen[$0]++' "$work/all-to" >"${outp[0]}.to"
awk '!seen[$0]++' "$work/all-cc" | grep -v -x -F -f "${outp[0]}.to" >"${outp[0]}.cc" || true
for f in "${outp[@]}"; do
	add_headers "$f" "$f.to" "$f.cc" || die "cannot add To/Cc to $(basename "$f")"
	rm -f "$f.to" "$f.cc"
done
# get_maintainer.pl also Cc's the people of a Fixes: commit, which needs
# upstream history; the lab's trees have none.
if [ -z "$own" ] && [ "$(git rev-list --count base)" = 1 ] && grep -q '^Fixes: ' "${outp[@]:1}"; then
	say "send $TARGET: note: $base_tree has no upstream history, so get_maintainer.pl could not add the author and signers of the Fixes: commits ($(grep -h '^Fixes: ' "${outp[@]:1}" | awk '{print $2}' | sort -u | paste -sd' ')); Cc them by hand if they should be"
fi
if grep -q -F -e "$PLACEHOLDER_NAME" -e "$PLACEHOLDER_EMAIL" "${outp[@]}"; then
	die "the placeholder identity is still in $(grep -l -F -e "$PLACEHOLDER_NAME" -e "$PLACEHOLDER_EMAIL" "${outp[@]}" | head -n1)"
fi

# checkpatch of your tree, with its history: commit ids really checked.
if [ -n "$own" ]; then
	cpl=$out/checkpatch.txt
	if ! (cd "$own" && env -u GIT_DIR -u GIT_INDEX_FILE perl scripts/checkpatch.pl --strict \
		--no-color --show-types "${outp[@]:1}") >"$cpl" 2>&1; then
		grep -m3 -E '^(ERROR|WARNING|CHECK):' "$cpl" >&2 || true
		die "$own's checkpatch.pl --strict is not clean on the outgoing patches (report: $cpl; nothing was sent)"
	fi
	if grep -q -E '^(WARNING|CHECK):' "$cpl"; then
		grep -m3 -E '^(WARNING|CHECK):' "$cpl" >&2
		die "$own's checkpatch.pl --strict has remarks on the outgoing patches (report: $cpl; nothing was sent)"
	fi
	say "send $TARGET: $own's checkpatch.pl --strict: clean, commit ids checked against its history"
fi

# Round trip: the outgoing patches, applied with git am onto the base,
# give the same files as the committed patches applied the same way (in
# scratch repositories holding the base's version of the files the series
# touches: the others cannot differ).
mapfile -t touched < <(patch_files "${patches[@]}")
rtree() { # rtree NAME PATCH...: the tree after git am of them onto base
	local r=$work/rt-$1 f
	shift
	rm -rf "$r"
	mkdir -p "$r"
	for f in "${touched[@]}"; do
		if git cat-file -e "$base:$f" 2>/dev/null; then
			mkdir -p "$r/$(dirname "$f")"
			git show "$base:$f" >"$r/$f"
		fi
	done
	(
		unset GIT_DIR GIT_INDEX_FILE
		cd "$r" && git init -q && git add -A &&
		git -c user.name=imx6-lab -c user.email=imx6-lab@localhost -c commit.gpgsign=false \
			-c core.hooksPath=/dev/null commit -q -m base &&
		git -c user.name=imx6-lab -c user.email=imx6-lab@localhost -c commit.gpgsign=false \
			-c core.hooksPath=/dev/null am -q --no-3way "$@" &&
		git rev-parse 'HEAD^{tree}'
	) 2>>"$LOG"
}
t_out=$(rtree outgoing "${outp[@]:1}") || die "round trip: the outgoing patches do not apply with git am onto the base"
t_com=$(rtree committed "${patches[@]}") || die "round trip: patches/$TARGET does not apply with git am onto the base"
[ "$t_out" = "$t_com" ] ||
	die "round trip: git am of the outgoing patches gives another tree than patches/$TARGET (compare $work/rt-outgoing and $work/rt-committed)"
say "send $TARGET: round trip: git am of outgoing/ onto the base gives the tree of patches/$TARGET ($t_out)"

# 6. git send-email.
# Recipients only from the headers: no --to/--cc from sendemail.* config.
se=(git send-email --from="$me" --confirm=never --no-annotate --no-format-patch
    --suppress-cc=author --suppress-cc=self --suppress-cc=body --suppress-cc=cccmd)
unset GIT_INDEX_FILE
if [ "${SEND:-0}" != 1 ]; then
	if grep -q -F '<id of ' "${outp[@]}"; then
		say "send $TARGET: warning: an upstream commit id is still a placeholder ('<id of ...>'); SEND=1 will refuse it"
	fi
	if ! (cd "$out" && "${se[@]}" --dry-run outgoing/*.patch) >"$out/dry-run.txt" 2>>"$LOG"; then
		die "git send-email --dry-run failed"
	fi
	# The "(mbox) Adding ..." chatter stays in dry-run.txt only.
	grep -v '^(mbox) Adding ' "$out/dry-run.txt"
	say "send $TARGET: dry run of ${#outp[@]} messages above (also $out/dry-run.txt); nothing was sent"
	say "send $TARGET: patches in $out/outgoing; send them with: make send TARGET=$TARGET SEND=1"
	if grep -q -F '[PLACEHOLDER' "${outp[0]}"; then
		say "send $TARGET: warning: the cover letter still has a [PLACEHOLDER ...] paragraph; SEND=1 will refuse it"
	fi
	exit 0
fi
if grep -q -F '[PLACEHOLDER' "${outp[0]}" && [ "${ALLOW_PLACEHOLDER:-0}" != 1 ]; then
	die "the cover letter (${cover#"$TOP"/}) still has a [PLACEHOLDER ...] paragraph; fill it in first (ALLOW_PLACEHOLDER=1 to send anyway)"
fi
# A backport names the mainline commit it carries; one not yet merged has
# no id, and no override sends it.
if grep -q -F '<id of ' "${outp[@]}"; then
	die "$(grep -l -F '<id of ' "${outp[@]}" | head -n1 | xargs basename) names its upstream commit by a placeholder ('<id of ...>'): a backport is sent once mainline has merged it"
fi
say "send $TARGET: SEND=1: sending ${#outp[@]} messages as $me"
set +e
(cd "$out" && "${se[@]}" outgoing/*.patch) 2>&1 | tee -a "$LOG"
rc=${PIPESTATUS[0]}
set -e
[ "$rc" = 0 ] || die "git send-email failed (exit $rc)"
say "send $TARGET: sent"
