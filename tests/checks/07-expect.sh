#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The lab matrix expectations are one file per target (TGT_EXPECT in
# targets/TARGET.conf, scripts/expect.sh): every target's are complete and
# well formed, and the reader refuses what it cannot judge.

. "$(dirname "$0")/../lib.sh"
set -u
X=$TOP/scripts/expect.sh
for t in $(default_targets); do
	tap_expect "$t: TGT_EXPECT covers every row of tests/lab-matrix.conf" "$X" "$t"
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf 'a  ta  ""\nb  tb  ""\n' >"$tmp/m.conf"
mk() { printf 'TGT_VARIANTS="lay:0001"\nTGT_EXPECT="\n%s\n"\n' "$2" >"$tmp/$1.conf"; }
mk good 'a unpatched=fail lay=recovers
b unpatched=pass patched=pass'
mk missing 'a unpatched=fail'
mk extra 'a unpatched=fail
b unpatched=pass
c unpatched=pass'
mk badval 'a unpatched=fix
b unpatched=pass'
mk badvar 'a unpatched=fail other=fix
b unpatched=pass'
mk nounp 'a patched=fix
b unpatched=pass'
e() { TARGETS_DIR=$tmp LAB_MATRIX=$tmp/m.conf "$X" "$@"; }
if [ "$(e good | tr '\t' ' ' | paste -sd,)" = "a lay recovers,a patched fix,a unpatched fail,b patched pass,b unpatched pass" ]; then
	tap_ok "expect.sh: rows, layers, patched defaults to fix"
else
	tap_fail "expect.sh: rows, layers, patched defaults to fix" "got: $(e good 2>&1 | paste -sd,)"
fi
tap_expect_fail "expect.sh: a row without an expectation is an error" 'no expectation for row b' e missing
tap_expect_fail "expect.sh: a row not in the matrix is an error" 'row c is not in the matrix' e extra
tap_expect_fail "expect.sh: unpatched=fix is refused" 'unpatched=fix, want one of' e badval
tap_expect_fail "expect.sh: an undeclared variant is refused" 'other is not unpatched, patched or a TGT_VARIANTS layer' e badvar
tap_expect_fail "expect.sh: a row needs unpatched=" 'row a has no unpatched= expectation' e nounp
