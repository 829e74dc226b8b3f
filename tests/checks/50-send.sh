#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make send (scripts/send.sh) with a scratch git identity "Test User
# <test@example.org>" and a fake sendmail that records every call:
#  - the dry run's To/Cc of every message are what get_maintainer.pl,
#    run here on its own on the committed patch, gives (persons To, lists
#    Cc, stable@ Cc when a backport's patch says Cc: stable, never on the
#    mainline posting; the cover letter: all of them),
#    and nobody else is a recipient;
#  - every Signed-off-by is the test user's, one per patch, and nothing
#    of the placeholder identity is left;
#  - nothing is sent without SEND=1, and SEND=1 does go to sendmail;
#  - no identity, or the placeholder identity, is a clear error.
# 6.12 and 5.10 always; 5.4 with KERNEL_SRC_5_4 (or an existing tree).
# The results are a function of the inputs send_inputs names: when those
# are the inputs of the last run that passed everything, its TAP is
# printed again, not computed (tests/lib.sh reuse_or_run; LAB_FRESH=1
# computes it).

. "$(dirname "$0")/../lib.sh"
set -u

# Nothing from an outer make (make check SEND=1 ...) reaches the runs
# here, nor a tree of your own (51-send-own-tree tests KERNEL_SRC).
unset SEND ALLOW_PLACEHOLDER MAKEFLAGS MFLAGS MAKELEVEL KERNEL_SRC SEND_BASE

# send_inputs: what make send and these checks read. This repository
# (but docs/ and README.md: the make files, scripts, targets, patches);
# each target's tree, made up to date first as make send does (its base
# and the files get_maintainer.pl and checkpatch.pl read); the locale
# (git send-email's messages are translated); the tools.
send_inputs() {
	local t tr f rc
	(cd "$TOP" && find . \( -path ./.git -o -path ./docs -o -path ./README.md \) -prune -o \
		-type f -print0 | sort -z | xargs -0r sha256sum)
	if [ -n "${TARGETS_DIR:-}" ]; then
		(cd "$TARGETS_DIR" && find . -type f -print0 | sort -z | xargs -0r sha256sum)
	fi
	echo "targets ${TARGETS:-$(default_targets)}; newest $(newest_target)"
	env | grep -E '^(KERNEL_SRC|GIT_|LANG=|LANGUAGE=|LC_)' | sort
	# send.sh takes the identity of this repository's own config first,
	# and git send-email its sendemail.* settings.
	git -C "$TOP" config --local --get-regexp '^(user|sendemail)\.' 2>&1
	# The targets the checks below use: the ones asked for, 6.12 and the
	# newest.
	# shellcheck disable=SC2086
	for t in $(printf '%s\n' ${TARGETS:-$(default_targets)} 6.12 "$(newest_target)" | awk '!seen[$0]++'); do
		if ! target_available "$t"; then echo "$t unavailable"; continue; fi
		rc=0
		"$TOP/scripts/tree.sh" "$t" >/dev/null 2>&1 || rc=$?
		echo "$t: tree.sh exit $rc"
		tr=$BUILD/trees/$t/unpatched
		[ -d "$tr/.git" ] || { echo "$t: no tree"; continue; }
		git -C "$tr" rev-parse HEAD 'base^{commit}' 2>&1
		for f in scripts/get_maintainer.pl scripts/checkpatch.pl scripts/spelling.txt \
			 scripts/const_structs.checkpatch MAINTAINERS .mailmap .get_maintainer.conf \
			 .get_maintainer.ignore .checkpatch.conf; do
			[ ! -f "$tr/$f" ] || echo "$t $f $(sha256sum <"$tr/$f" | cut -d' ' -f1)"
		done
	done
	git --version
	{ sha256sum <"$(git --exec-path)/git-send-email"; } 2>&1
	dpkg-query -W -f '${Package} ${Version}\n' git git-email perl python3 2>&1
	perl -e 'print "perl $^V\n"'
	python3 --version
}
if [ -z "${SEND_CHECK_RUN:-}" ]; then
	reuse_or_run 50-send send_inputs env SEND_CHECK_RUN=1 bash "$0"
	exit
fi

scratch=$(mktemp -d "${TMPDIR:-/tmp}/imx6-lab-send.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
export HOME=$scratch/home GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=$scratch/home/.gitconfig
mkdir -p "$HOME"
calls=$scratch/sendmail-calls
cat >"$scratch/fake-sendmail" <<EOF
#!/bin/sh
# Records the call instead of sending anything.
echo "\$*" >>"$calls"
cat >/dev/null
EOF
chmod +x "$scratch/fake-sendmail"
git config --global user.name "Test User"
git config --global user.email test@example.org
git config --global sendemail.smtpServer "$scratch/fake-sendmail"
# Command-line level config: nothing (a repository's sendemail.* either)
# can point send-email at a real server during this test.
export GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=sendemail.smtpServer \
	GIT_CONFIG_VALUE_0=$scratch/fake-sendmail

if ! command -v git-send-email >/dev/null 2>&1 &&
   [ ! -x "$(git --exec-path)/git-send-email" ]; then
	tap_fail "git send-email is installed" "install Debian package git-email (scripts/apt-setup.sh)"
	exit 0
fi

newest=$(newest_target)

# check_dry_run TARGET OUTPUT: the recipients and sign-offs.
check_dry_run() {
	python3 - "$1" "$2" "$TOP/patches/$1" "$BUILD/trees/$1/unpatched" \
		"$BUILD/send/$1/outgoing" "$newest" <<'EOF'
import glob, os, re, subprocess, sys
target, dry, series, tree, outdir, newest = sys.argv[1:7]
text = open(dry, encoding="utf-8").read()
bad = []

def addr(a):
    m = re.search(r"<([^>]+)>", a)
    return (m.group(1) if m else a).strip().lower()

def split(v):
    return [addr(a) for a in re.split(r",\s*", v) if a.strip()]

# Dry-run messages: headers after "Dry-OK. Log says:".
msgs = []
for block in text.split("Dry-OK. Log says:")[1:]:
    heads, key, rcpt = {}, None, []
    for line in block.split("\n")[1:]:
        if line.startswith("Result:") or line == "":
            break
        if line.startswith("RCPT TO:"):
            rcpt.append(addr(line[8:]))
        elif line.startswith("Sendmail: "):
            args = line.split()
            rcpt += [addr(a) for a in args[args.index("-i") + 1:]]
        elif line[:1] in (" ", "\t") and key:
            heads[key] += " " + line.strip()
        else:
            key, _, v = line.partition(":")
            heads[key] = v.strip()
    heads["rcpt"] = rcpt
    msgs.append(heads)
committed = sorted(p for p in glob.glob(series + "/*.patch")
                   if not os.path.basename(p).startswith("0000-"))
if len(msgs) != len(committed) + 1:
    sys.exit("%d messages in the dry run, expected %d" % (len(msgs), len(committed) + 1))

def gm(patch):
    r = subprocess.run(["perl", "scripts/get_maintainer.pl", "--no-rolestats",
                        "--no-git-fallback", patch], cwd=tree,
                       capture_output=True, text=True, check=True)
    to, cc = [], []
    for line in r.stdout.split("\n"):
        if not line.strip():
            continue
        (to if "<" in line else cc).append(addr(line))
    # stable@ is a recipient of backports only, never of the mainline
    # posting (its Cc: stable tag is not an email recipient)
    if target != newest and re.search(r"^Cc: *<?stable@vger\.kernel\.org", open(patch).read(), re.M | re.I):
        cc.append("stable@vger.kernel.org")
    return to, cc

all_to, all_cc = [], []
for i, p in enumerate(committed, 1):
    to, cc = gm(p)
    all_to += to
    all_cc += cc
    m = next((m for m in msgs if re.search(r"\b%d/%d\]" % (i, len(committed)), m.get("Subject", ""))), None)
    if m is None:
        bad.append("no message %d/%d" % (i, len(committed)))
        continue
    got_to, got_cc = split(m.get("To", "")), split(m.get("Cc", ""))
    if set(got_to) != set(to):
        bad.append("%d/%d To %s != get_maintainer %s" % (i, len(committed), got_to, to))
    if set(got_cc) != set(cc):
        bad.append("%d/%d Cc %s != get_maintainer %s" % (i, len(committed), got_cc, cc))
    if set(m["rcpt"]) != set(to) | set(cc):
        bad.append("%d/%d recipients %s" % (i, len(committed), sorted(set(m["rcpt"]) ^ (set(to) | set(cc)))))
c = next((m for m in msgs if re.search(r"\b0/%d\]" % len(committed), m.get("Subject", ""))), None)
if c is None:
    bad.append("no cover letter message")
else:
    want_to, want_cc = set(all_to), set(all_cc) - set(all_to)
    if set(split(c.get("To", ""))) != want_to or set(split(c.get("Cc", ""))) != want_cc:
        bad.append("cover letter To/Cc differ from the union of the patches'")
    if set(c["rcpt"]) != want_to | want_cc:
        bad.append("cover letter recipients differ")
    cover_subject = re.sub(r"^\[[^\]]*\] *", "", c.get("Subject", ""))
    orig = open(series + "/0000-cover-letter.patch", encoding="utf-8").read()
    if cover_subject not in re.sub(r"\n[ \t]+", " ", orig.split("\n\n")[0]):
        bad.append("cover letter subject is not the committed one")
for m in msgs:
    if m.get("From") != "Test User <test@example.org>":
        bad.append("From: %s" % m.get("From"))
# Sign-offs in what would be sent.
files = sorted(glob.glob(outdir + "/*.patch"))
for f in files[1:]:
    sob = re.findall(r"^Signed-off-by: (.*)$", open(f, encoding="utf-8").read(), re.M)
    if sob != ["Test User <test@example.org>"]:
        bad.append("%s: Signed-off-by %s" % (os.path.basename(f), sob))
blob = text + "".join(open(f, encoding="utf-8").read() for f in files)
if re.search(r"Seed 4805f071|r-seed-4805f071", blob):
    bad.append("the placeholder identity is still there")
blurb = open(series + "/0000-cover-letter.patch", encoding="utf-8").read().split("\n\n", 1)[1]
first_para = blurb.split("\n\n")[0]
if first_para not in open(files[0], encoding="utf-8").read():
    bad.append("cover letter text is not the committed one")
if bad:
    sys.exit("; ".join(bad))
print("%d messages checked" % len(msgs))
EOF
}

# send_target T: the dry run of T and its checks. Targets run at once,
# one per CPU (each is mostly one perl at a time), each with a fake
# sendmail and a calls file of its own; their TAP lines in target order.
send_target() {
	local t=$1 out=$scratch/send-$1.out calls=$scratch/sendmail-calls-$1
	if ! target_available "$t"; then
		tap_skip "make send TARGET=$t: dry run" "$(target_missing_why "$t")"
		return
	fi
	sed "s|$scratch/sendmail-calls|$calls|" "$scratch/fake-sendmail" >"$scratch/fake-sendmail-$t"
	chmod +x "$scratch/fake-sendmail-$t"
	export GIT_CONFIG_VALUE_0=$scratch/fake-sendmail-$t
	if ! make -s -C "$TOP" send TARGET="$t" >"$out" 2>&1; then
		tap_fail "make send TARGET=$t: dry run" "$(tail -n1 "$out")"
		return
	fi
	if grep -q 'Dry-OK' "$out" && grep -q 'nothing was sent' "$out"; then
		tap_ok "make send TARGET=$t: dry run of every message"
	else
		tap_fail "make send TARGET=$t: dry run of every message" "no Dry-OK in the output"
	fi
	if [ -e "$calls" ]; then
		tap_fail "make send TARGET=$t without SEND=1 sends nothing" "sendmail was called: $(head -n1 "$calls")"
	else
		tap_ok "make send TARGET=$t without SEND=1 sends nothing"
	fi
	tap_expect "make send TARGET=$t: To/Cc as get_maintainer.pl, Test User's Signed-off-by only" \
		check_dry_run "$t" "$BUILD/send/$t/dry-run.txt"
	tap_expect "make send TARGET=$t: the re-signed patches pass the newest tree's checkpatch --strict" \
		"$TOP/scripts/checkpatch-run.sh" "$BUILD/send/$t/outgoing"
	if [ "$t" = 6.12 ]; then
		# The checker itself: one list dropped from one message is caught.
		awk '/^\tlinux-kernel@vger\.kernel\.org/ && !done { done = 1; next } 1' \
			"$BUILD/send/$t/dry-run.txt" >"$scratch/bad-dry-run.txt"
		tap_expect_fail "the To/Cc check catches a missing Cc" 'To/Cc differ' \
			check_dry_run "$t" "$scratch/bad-dry-run.txt"
	fi
}
read -ra send_targets <<<"${TARGETS:-$(default_targets)}"
per_target "make send's checks ran to the end" send_target "${send_targets[@]}"

if target_available 6.12; then
	rm -f "$calls"
	if grep -q -F '[PLACEHOLDER' "$TOP/patches/6.12/0000-cover-letter.patch"; then
		tap_expect_fail "SEND=1 refuses a cover letter with a [PLACEHOLDER paragraph" \
			'PLACEHOLDER' make -s -C "$TOP" send TARGET=6.12 SEND=1
		[ ! -e "$calls" ] || tap_fail "refused SEND=1 called sendmail" "$(head -n1 "$calls")"
	fi
	if grep -q -F '<id of ' "$TOP"/patches/6.12/000[1-9]-*.patch; then
		# Not even ALLOW_PLACEHOLDER=1 sends a backport of an unmerged
		# mainline patch.
		tap_expect_fail "SEND=1 refuses a backport whose upstream id is a placeholder" \
			'upstream commit by a placeholder' make -s -C "$TOP" send TARGET=6.12 SEND=1 ALLOW_PLACEHOLDER=1
		[ ! -e "$calls" ] || tap_fail "refused SEND=1 called sendmail" "$(head -n1 "$calls")"
	fi
fi
if target_available "$newest"; then
	rm -f "$calls"
	n=$(( $(grep -c . "$TOP/patches/$newest/series") + 1 ))
	allow=()
	! grep -q -F '[PLACEHOLDER' "$TOP/patches/$newest/0000-cover-letter.patch" || allow=(ALLOW_PLACEHOLDER=1)
	if out=$(make -s -C "$TOP" send TARGET="$newest" SEND=1 "${allow[@]}" 2>&1) &&
	   [ "$(wc -l <"$calls" 2>/dev/null || echo 0)" = "$n" ] &&
	   grep -q 'vkoul@kernel.org' "$calls" && ! grep -q 'stable@vger' "$calls"; then
		tap_ok "SEND=1 is what sends: $n messages of $newest handed to (fake) sendmail, none to stable@"
	else
		tap_fail "SEND=1 is what sends: $n messages of $newest handed to (fake) sendmail, none to stable@" \
			"calls: $(wc -l <"$calls" 2>/dev/null || echo 0); $(printf '%s\n' "$out" | tail -n1)"
	fi
fi

# Identity errors, from a copy outside any git repository so that only
# the (scratch) global config counts.
copy=$scratch/copy
mkdir -p "$copy"
cp -r "$TOP/scripts" "$TOP/targets" "$TOP/patches" "$copy/"
rm -f "$calls"
tap_expect_fail "no git identity: clear error" 'no git identity: set yours with .git config' \
	env GIT_CONFIG_GLOBAL=/dev/null "$copy/scripts/send.sh" 6.12
tap_expect_fail "the placeholder identity is refused" 'identity is the series. placeholder' \
	env GIT_CONFIG_COUNT=2 GIT_CONFIG_KEY_1=user.name \
	GIT_CONFIG_VALUE_1="Seed 4805f071 maintainers" "$copy/scripts/send.sh" 6.12
[ ! -e "$calls" ] || tap_fail "identity errors sent nothing" "sendmail was called"
