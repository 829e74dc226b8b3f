# SPDX-License-Identifier: GPL-2.0
# TAP helpers for tests/checks/*.sh. Source it.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$HOME/.cache/imx6-lab}
export BUILD
LOGS=$BUILD/logs
mkdir -p "$LOGS"

tap_ok() { echo "ok - $1"; }
tap_fail() { echo "not ok - $1 # $2"; }
tap_skip() { echo "ok - $1 # SKIP $2"; }

# tap_expect DESC CMD...: ok when CMD succeeds, else not ok with the last
# line it printed.
tap_expect() {
	local desc=$1 out
	shift
	if out=$("$@" 2>&1); then
		tap_ok "$desc"
	else
		tap_fail "$desc" "$(printf '%s\n' "$out" | tail -n1)"
	fi
}

# tap_expect_fail DESC PATTERN CMD...: ok when CMD fails and its output
# matches PATTERN (an extended regex).
tap_expect_fail() {
	local desc=$1 pat=$2 out
	shift 2
	if out=$("$@" 2>&1); then
		tap_fail "$desc" "succeeded, expected a failure"
	elif printf '%s\n' "$out" | grep -qE -- "$pat"; then
		tap_ok "$desc"
	else
		tap_fail "$desc" "failed without /$pat/: $(printf '%s\n' "$out" | tail -n1)"
	fi
}

# default_targets: every targets/*.conf, in version order (mainline last).
default_targets() {
	local f
	for f in "${TARGETS_DIR:-$TOP/targets}"/*.conf; do basename "$f" .conf; done |
		sort -V | paste -sd' '
}

# newest_target: scripts/lib.sh's (the target whose checkpatch.pl and
# get_maintainer.pl rule every series).
newest_target() { (cd "$TOP" && bash -c '. scripts/lib.sh; newest_target'); }

# target_available TARGET: the target's pristine tree exists or can be
# made: a Debian package, or for a tree no registry carries (TGT_SOURCE=
# kernel_src, 5.4) KERNEL_SRC_<target>, $BUILD/src/<target> or a tree made
# earlier.
target_available() {
	local src tv
	# shellcheck disable=SC1090
	src=$(TGT_SOURCE=; . "${TARGETS_DIR:-$TOP/targets}/$1.conf" 2>/dev/null; echo "$TGT_SOURCE")
	[ "$src" = kernel_src ] || return 0
	tv=KERNEL_SRC_${1//./_}
	[ -n "${!tv:-}" ] || [ -e "$BUILD/src/$1" ] || [ -d "$BUILD/trees/$1/unpatched/.git" ]
}

# target_missing_why TARGET: what to do when target_available fails.
target_missing_why() {
	echo "no $1.y tree: set KERNEL_SRC_${1//./_}=<$1.y tree or git repository>, or link one at \$BUILD/src/$1 (README.md, Targets)"
}

# lab_opted_out TARGET: true when the target keeps its kernels and guest
# boots out of this run: TGT_LAB=opt-in in its targets/*.conf, and
# LAB_OPTIN (a list of targets, or "all") does not name it. Its checkpatch,
# series-check (every patch built with W=1 and sparse) and make send checks
# run anyway. lab_opted_out_why TARGET says so and how to run them.
lab_opted_out() {
	local mode
	# shellcheck disable=SC1090
	mode=$(TGT_LAB=; . "${TARGETS_DIR:-$TOP/targets}/$1.conf" 2>/dev/null; echo "${TGT_LAB:-always}")
	[ "$mode" = opt-in ] && [ "${LAB_OPTIN:-}" != all ] &&
		! grep -qwF -- "$1" <<<"${LAB_OPTIN:-}"
}
lab_opted_out_why() {
	echo "opt-in (TGT_LAB=opt-in in targets/$1.conf): LAB_OPTIN=$1 make check"
}

# cached_boot LOG TIMEOUT QEMU ARGS...: boot QEMU ARGS, whose console goes
# to LOG (-serial file:LOG), with a timeout; returns QEMU's exit status.
# Under -icount a boot is a function of its inputs, so when the QEMU
# binary, the content of every file ARGS name and the other ARGS are those
# of the boot kept at LOG (its key in LOG.key), it is not run again: LOG
# stays as it was and the caller judges it again. Only a boot that QEMU
# ended by itself (exit 0) is kept; on the host clock (no -icount) or with
# LAB_FRESH=1 it always boots. Counts BOOTS_RUN and BOOTS_REUSED; a check
# prints them with boots_summary.
BOOTS_RUN=0
BOOTS_REUSED=0
cached_boot() {
	local log=$1 tmo=$2 qemu=$3 key= a f rc=0
	shift 3
	if [ "${LAB_FRESH:-0}" != 1 ] && printf '%s\n' "$@" | grep -qx -- -icount; then
		key=$({
			sha256sum <"$qemu" | cut -d' ' -f1
			echo "timeout=$tmo"
			for a in "$@"; do
				f=${a#file:}
				if [ "$f" != "$log" ] && [ -f "$f" ]; then
					echo "file $(sha256sum <"$f" | cut -d' ' -f1)"
				else
					printf '%s\n' "$a"
				fi
			done
		} | sha256sum | cut -d' ' -f1)
		if [ -f "$log" ] && [ "$(cat "$log.key" 2>/dev/null)" = "$key" ]; then
			BOOTS_REUSED=$((BOOTS_REUSED + 1))
			return 0
		fi
	fi
	rm -f "$log.key"
	BOOTS_RUN=$((BOOTS_RUN + 1))
	timeout --kill-after=10 "$tmo" "$qemu" "$@" >"$log.qemu" 2>&1 || rc=$?
	if [ -n "$key" ] && [ $rc = 0 ]; then echo "$key" >"$log.key"; fi
	return $rc
}

# boots_summary [WHAT]: the "# boots: N run, M reused[ (WHAT)]" line
# tests/run.sh totals.
boots_summary() {
	echo "# boots: $BOOTS_RUN run, $BOOTS_REUSED reused${1:+ ($1)}"
}

# Whole-check reuse, for a check whose results are a function of inputs
# it can name (make send's dry runs: the patches, the scripts, the trees'
# get_maintainer.pl, checkpatch.pl and MAINTAINERS, the tools' versions).
# reuse_or_run NAME INPUTS CMD...: INPUTS is a command printing those
# inputs; their hash is the key. When LAB_FRESH is not 1 and the TAP of
# the last run of CMD that passed every test was kept under the same key
# ($BUILD/reuse/NAME.tap, the key its first line), print that TAP again;
# else run CMD and print its TAP. The run is kept only when CMD and the
# TAP's copy both exited 0, it printed a test and no failure, and INPUTS
# hash the same after it as before. Either way a "# results: N computed,
# M reused" line follows (tests/run.sh totals them); returns CMD's exit
# status.
reuse_or_run() {
	local name=$1 inputs=$2 dir=$BUILD/reuse key n out ps
	shift 2
	mkdir -p "$dir"
	key=$("$inputs" | sha256sum | cut -d' ' -f1)
	if [ "${LAB_FRESH:-0}" != 1 ] && [ "$(head -n1 "$dir/$name.tap" 2>/dev/null)" = "# key $key" ]; then
		sed 1d "$dir/$name.tap"
		n=$(grep -cE '^(not )?ok ' "$dir/$name.tap" || true)
		echo "# results: 0 computed, $n reused (the TAP of $(date -ur "$dir/$name.tap" '+%F %T') UTC in $dir/$name.tap: the same inputs; LAB_FRESH=1 computes them)"
		return 0
	fi
	rm -f "$dir/$name.tap"
	# In the same directory: the rename that keeps it is atomic.
	out=$(mktemp "$dir/.$name.XXXXXX")
	echo "# key $key" >"$out"
	"$@" 2>&1 | tee -a "$out"
	ps=("${PIPESTATUS[@]}")
	n=$(grep -cE '^(not )?ok ' "$out" || true)
	echo "# results: $n computed, 0 reused"
	if [ "${ps[0]}" = 0 ] && [ "${ps[1]}" = 0 ] && [ "$n" -gt 0 ] &&
	   ! grep -qE '^not ok ' "$out" &&
	   [ "$("$inputs" | sha256sum | cut -d' ' -f1)" = "$key" ]; then
		mv -f "$out" "$dir/$name.tap"
	else
		rm -f "$out"
	fi
	return "${ps[0]}"
}

# per_target WHAT FUNC TARGET...: FUNC TARGET for every target, one per
# CPU at once, their TAP lines printed in target order. A target whose
# FUNC died (set -u, a signal) gets a "not ok - T: WHAT" line.
# FUNC's output goes through files: what it sets is not seen here.
per_target() {
	local what=$1 func=$2 dir t rc ts=()
	shift 2
	# A target named twice runs once.
	for t in "$@"; do
		[[ " ${ts[*]} " == *" $t "* ]] || ts+=("$t")
	done
	dir=$(mktemp -d "${TMPDIR:-/tmp}/imx6-lab-per-target.XXXXXX")
	declare -A pid=()
	for t in "${ts[@]}"; do
		# Polled: wait -n would reap a job whose status wait PID reads.
		while [ "$(jobs -pr | wc -l)" -ge "$(nproc)" ]; do sleep 0.5; done
		"$func" "$t" >"$dir/$t" 2>&1 &
		pid[$t]=$!
	done
	for t in "${ts[@]}"; do
		rc=0
		wait "${pid[$t]}" || rc=$?
		cat "$dir/$t"
		[ "$rc" = 0 ] || tap_fail "$t: $what" "exit $rc"
	done
	rm -rf "$dir"
}
