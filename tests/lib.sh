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
