#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# bench-check.sh [cold|warm|edit|report]...: the cost of make check, as a
# benchmark (measured figures, no pass mark). Default: cold warm edit.
#
#   cold    a clean clone of this repository's HEAD in $BENCH_DIR/clone,
#           an empty BUILD ($BENCH_DIR/build), then CI=true bash .ci/run,
#           as CI runs it: apt, every download, tree, kernel, QEMU, boot
#   warm    the same clone and BUILD again, nothing changed
#   edit    one patch of one series edited (BENCH_TARGET, default
#           mainline: a line added to the changelog of its first patch),
#           then make test-lab TARGET=that: the verdicts of that target
#   report  print the figures of the runs kept in $BENCH_DIR (also done
#           after each run)
#
# For each run: the wall time, make check's closing line, the time of each
# check, each kernel build (built or up to date, and its seconds), and the
# guest boots (run or reused, and the seconds of those run). The logs stay
# in $BENCH_DIR (default $BUILD/bench): cold.log, warm.log, edit.log.
#
# The 5.4 tree is not a download: the cold run gets the one this machine
# has (KERNEL_SRC_5_4, or the link at $BUILD/src/5.4), and the other 5.4
# trees linked under $BUILD/src/5.4.d; without one the 5.4 checks skip and
# the figures say so.

. "$(dirname "$0")/lib.sh"

BENCH_DIR=${BENCH_DIR:-$BUILD/bench}
BTARGET=${BENCH_TARGET:-mainline}
clone=$BENCH_DIR/clone
# BENCH_BUILD=$BUILD measures on the default cache itself: the cold run
# empties it but for $BUILD/src (the developer's 5.4 trees) and
# $BENCH_DIR, and the last run leaves it warm for the next make check
# (CI's) on this host.
bbuild=${BENCH_BUILD:-$BENCH_DIR/build}
mkdir -p "$BENCH_DIR"
[ $# -gt 0 ] || set -- cold warm edit

# KERNEL_SRC_5_4 is passed on when given; else the runs find the link
# at $BUILD/src/5.4 in their BUILD, as .ci/run does.
k54=${KERNEL_SRC_5_4:-}

# timed NAME CMD...: run CMD in the clone with the bench BUILD, its output
# in $BENCH_DIR/NAME.log, the wall time in NAME.seconds.
timed() {
	local name=$1 t0 rc=0
	shift
	say "bench-check: $name: $* (log: $BENCH_DIR/$name.log)"
	t0=$(date +%s)
	# As CI runs it: not under make (make bench-check's MAKEFLAGS and
	# MAKELEVEL would reach every make the checks run).
	(cd "$clone" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES \
		BUILD="$bbuild" ${k54:+KERNEL_SRC_5_4="$k54"} "$@") \
		>"$BENCH_DIR/$name.log" 2>&1 || rc=$?
	echo "$(($(date +%s) - t0)) $rc $(date -u '+%F %T')" >"$BENCH_DIR/$name.seconds"
	report "$name"
}

# report NAME: the figures of one kept run. Each grep may find nothing
# (a warm run boots no guest, make check runs no make test-lab): under
# lib.sh's pipefail that must not end the script before the next run.
report() {
	local name=$1 log=$BENCH_DIR/$1.log secs rc when
	[ -f "$BENCH_DIR/$name.seconds" ] || { echo "bench-check $name: not run"; return 0; }
	read -r secs rc when <"$BENCH_DIR/$name.seconds"
	printf 'bench-check %s: %d s (%dm %02ds), exit %s, ended %s UTC\n' \
		"$name" "$secs" $((secs / 60)) $((secs % 60)) "$rc" "$when"
	{
	grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n1 | sed 's/^/  make check: /'
	grep -E '^# [0-9]{2}-[a-z0-9-]+: .* in [0-9]+ s$' "$log" |
		sed -E 's/^# ([^:]*):.* in ([0-9]+) s$/  check \1: \2 s/'
	# How busy the CPUs were during each check (tests/run.sh).
	grep -E '^# [^:]+: host CPU busy ' "$log" | sed 's/^# /  cpu /'
	# Kernel builds, as the checks print them: "# T V build: N s" or
	# "# T V build: up to date" (10-kernel: "build time").
	grep -E '^# [^ ]+ [^ ]+ build( time)?: ' "$log" | sed 's/^# /  kernel /; s/ build time:/ build:/'
	# make test-lab (scripts/lab.sh): "T V built in N s (...)" or "up to date".
	grep -E '^[^ #]+ +[^ ]+ +(built in|up to date)' "$log" | sed 's/^/  kernel /'
	# Guest boots of the lab matrix.
	grep -E '^# boots:' "$log" | sed 's/^# /  /'
	# Whole checks whose results were reused (tests/lib.sh reuse_or_run).
	grep -E '^# results of reusable checks:' "$log" | sed 's/^# /  /'
	grep -oE '^# RESULT .* seconds=[0-9]+ .* boot=new$' "$log" |
		sed -E 's/.* seconds=([0-9]+) .*/\1/' |
		awk '{ n++; s += $1 } END { if (n) printf "  boots run: %d, %d s of guest wall time (one per host CPU at once)\n", n, s }'
	} || true
	if [ "$name" = cold ] && [ -z "$k54" ] && [ ! -e "$bbuild/src/5.4" ]; then
		echo "  (no 5.4 tree given: the 5.4 checks skipped)"
	fi
}

for what in "$@"; do
	case "$what" in
	cold)
		rm -rf "$clone"
		# The 5.4 trees are not downloads but what the developer linked
		# under $BUILD/src (README: 5.4 trees): they stay in, or are
		# linked into, the empty BUILD, and nothing of them is deleted.
		if [ "$(realpath -m "$bbuild")" = "$(realpath -m "$BUILD")" ]; then
			find "$(realpath -m "$BUILD")" -mindepth 1 -maxdepth 1 ! -name src \
				! -path "$(realpath -m "$BENCH_DIR")" -exec rm -rf {} +
		else
			rm -rf "$bbuild"
			mkdir -p "$bbuild/src"
			for e in "$BUILD"/src/*; do
				[ ! -e "$e" ] || ln -s "$(realpath "$e")" "$bbuild/src/${e##*/}"
			done
		fi
		git clone -q "$TOP" "$clone" || die "cannot clone $TOP"
		git -C "$clone" checkout -q --detach "$(git -C "$TOP" rev-parse HEAD)"
		timed cold env CI=true bash .ci/run ;;
	warm)
		[ -d "$clone" ] || die "no clone in $clone: run bench-check.sh cold first"
		timed warm env CI=true bash .ci/run ;;
	edit)
		[ -d "$clone" ] || die "no clone in $clone: run bench-check.sh cold first"
		p=$(ls "$clone/patches/$BTARGET"/0001-*.patch 2>/dev/null | head -n1)
		[ -n "$p" ] || die "no first patch in patches/$BTARGET"
		# A line after the subject's blank line: the commit changes, the
		# code does not; the patched tree, kernel and boots must be redone.
		sed -i '0,/^$/s//\nBench edit of '"$(date -u +%FT%T)"'.\n/' "$p"
		timed edit make test-lab TARGET="$BTARGET"
		git -C "$clone" checkout -q -- "patches/$BTARGET" ;;
	report)
		for n in cold warm edit; do report "$n"; done ;;
	*) die "unknown run '$what' (cold, warm, edit, report)" ;;
	esac
done
