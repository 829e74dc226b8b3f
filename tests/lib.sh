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

# have_tree TARGET: the target's pristine tree exists or can be made.
target_available() {
	case "$1" in
	5.4) [ -n "${KERNEL_SRC_5_4:-${KERNEL_SRC:-}}" ] || [ -d "$BUILD/trees/5.4/unpatched/.git" ] ;;
	*) return 0 ;;
	esac
}
