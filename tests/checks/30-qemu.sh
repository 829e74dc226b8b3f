#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The lab QEMU: Debian's pinned qemu 10.2.2 with lab/qemu/patches applies and
# builds (arm-softmmu), QEMU's own checkpatch.pl is clean on every patch
# of the series, and the models' qtests pass.

. "$(dirname "$0")/../lib.sh"
set -u

n=$(grep -cvE '^(#|$)' "$TOP/lab/qemu/patches/series" 2>/dev/null || echo 0)
if out=$("$TOP/lab/qemu/build.sh" 2>&1); then
	tap_ok "lab QEMU: the $n-patch model series applies to Debian's qemu and builds ($(grep -o 'ready ([^)]*)' <<<"$out"))"
else
	tap_fail "lab QEMU: the $n-patch model series applies and builds" "$(tail -n1 <<<"$out")"
	exit 0
fi

src=$BUILD/qemu/src
while read -r p; do
	case "$p" in ''|'#'*) continue ;; esac
	if out=$(cd "$src" && ./scripts/checkpatch.pl "$TOP/lab/qemu/patches/$p" 2>&1); then
		tap_ok "QEMU checkpatch: $p"
	else
		tap_fail "QEMU checkpatch: $p" "$(grep -m1 -E '^(ERROR|WARNING)' <<<"$out")"
	fi
done <"$TOP/lab/qemu/patches/series"

"$TOP/lab/qemu/qtest.sh"
