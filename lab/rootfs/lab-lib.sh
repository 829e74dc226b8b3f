# SPDX-License-Identifier: GPL-2.0
# /lab/lib.sh: KTAP helpers for the guest tests in /lab/tests. Source it.

LAB_N=0
LAB_FAIL=0

ktap_plan() {
	echo "KTAP version 1"
	echo "1..$1"
}

ktap_ok() {
	LAB_N=$((LAB_N + 1))
	echo "ok $LAB_N $1"
}

ktap_fail() {
	LAB_N=$((LAB_N + 1))
	LAB_FAIL=1
	echo "not ok $LAB_N $1 # $2"
}

ktap_skip() {
	LAB_N=$((LAB_N + 1))
	echo "ok $LAB_N $1 # SKIP $2"
}

# ktap_expect DESC CMD...: ok when CMD succeeds; its output as diagnostics.
ktap_expect() {
	local desc=$1 out rc
	shift
	out=$("$@" 2>&1)
	rc=$?
	printf '%s\n' "$out" | sed 's/^/# /'
	if [ $rc -eq 0 ]; then
		ktap_ok "$desc"
	else
		ktap_fail "$desc" "exit $rc: $(printf '%s\n' "$out" | tail -n1)"
	fi
}

# diag FILE|-: print as KTAP diagnostics.
diag() {
	sed 's/^/# /' "$@"
}

# uptime_cs: guest time in centiseconds (/proc/uptime).
uptime_cs() {
	local u
	read -r u _ </proc/uptime
	echo "${u%.*}${u#*.}" | sed 's/^0*//; s/^$/0/'
}

# card_present: a sabrelite (SGTL5000) card is registered.
card_present() {
	grep -qi sabrelite /proc/asound/cards 2>/dev/null
}

# lab_card: the index of the sabrelite card (0 when there is none). It is
# not always card 0: since 6.14 (fsl_asrc M2M) the ASRC registers a
# compress-only card first.
lab_card() {
	awk 'tolower($0) ~ /sabrelite/ && $1 ~ /^[0-9]+$/ { print $1; f = 1; exit }
	     END { if (!f) print 0 }' /proc/asound/cards 2>/dev/null || echo 0
}

# lab_pcm: the ALSA hw device of the sabrelite card's PCM.
lab_pcm() {
	echo "hw:$(lab_card),0"
}

# lab_insmod NAME [PARAM=VALUE...]: load a module shipped in the
# per-kernel cpio (/lib/modules/$(uname -r)/...).
lab_insmod() {
	local m=$1 f
	shift
	f=$(find "/lib/modules/$(uname -r)" -name "$m.ko" 2>/dev/null | head -n1)
	[ -n "$f" ] || { echo "no $m.ko under /lib/modules/$(uname -r)" >&2; return 1; }
	insmod "$f" "$@"
}

ktap_done() {
	exit $LAB_FAIL
}
