#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# LAVA itself runs the lab's LAVA job (lab/lava/lava-run.sh): Debian's
# lava-dispatcher 2023.01 deploys the 5.4 kernel and the initramfs to
# tmpfs, appends its overlay, boots the lab QEMU as a LAVA qemu device,
# and runs lab/lava/xrun-stress.yaml with its test shell, so the test
# definition's steps, its lava-test-case calls and its KTAP parsing are
# exercised by LAVA. On 5.4 unpatched the job must complete with failed
# cases (xrun-stress-capture, a capture cycle, no-pcm-write-error); on 5.4
# patched it must complete with every case passed. After 40-lab, which
# builds the patched kernel. LAVA_RUN=0 skips it.

. "$(dirname "$0")/../lib.sh"
set -u

if [ "${LAVA_RUN:-1}" = 0 ]; then
	tap_skip "lava-run: the LAVA job on the lab QEMU" "LAVA_RUN=0"
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	tap_skip "lava-run: the LAVA job on the lab QEMU" "lava-run runs as root only"
	exit 0
fi
if ! target_available 5.4; then
	tap_skip "lava-run: the LAVA job on the lab QEMU (5.4)" "$(target_missing_why 5.4)"
	exit 0
fi
cycles=${LAVA_CYCLES:-20}
for v in unpatched patched; do
	if [ ! -f "$BUILD/out/5.4/$v/zImage" ]; then
		tap_skip "lava-run: 5.4 $v" "no 5.4/$v kernel (make kernel TARGET=5.4 VARIANT=$v)"
		continue
	fi
	rc=0
	out=$("$TOP/lab/lava/lava-run.sh" 5.4 "$v" "$cycles" 2>&1) || rc=$?
	res=$(grep '^RESULT' <<<"$out" | tail -n1)
	cases=$BUILD/lava/runs/5.4-$v/results.txt
	if [ "$rc" = 2 ] || [ -z "$res" ]; then
		tap_fail "lava-run: LAVA completes the job on 5.4 $v" \
			"$(grep -m1 'error:' <<<"$out" || tail -n1 <<<"$out")"
		continue
	fi
	tap_ok "lava-run: LAVA completes the job on 5.4 $v (${res#RESULT })"
	if [ "$v" = unpatched ]; then
		for c in xrun-stress-capture no-pcm-write-error; do
			if grep -q "^xrun-stress $c fail" "$cases"; then
				tap_ok "lava-run: 5.4 unpatched: LAVA records $c fail"
			else
				tap_fail "lava-run: 5.4 unpatched: LAVA records $c fail" \
					"$(grep -m1 " $c " "$cases" || echo "no case $c in $cases")"
			fi
		done
		if grep -Eq '^xrun-stress capture_[a-z]+-cycle-[0-9]+ fail' "$cases"; then
			tap_ok "lava-run: 5.4 unpatched: a capture cycle fails ($(grep -Em1 'capture_[a-z]+-cycle-[0-9]+ fail' "$cases" | cut -d' ' -f2))"
		else
			tap_fail "lava-run: 5.4 unpatched: a capture cycle fails" "no failed cycle case in $cases"
		fi
	else
		n=$(grep -c -- '-cycle-[0-9]* pass$' "$cases" || true)
		if [ "$rc" = 0 ] && [ "$n" -ge $((3 * cycles)) ]; then
			tap_ok "lava-run: 5.4 patched: every case passes ($n cycle cases)"
		else
			tap_fail "lava-run: 5.4 patched: every case passes" \
				"$(grep -m1 -v ' pass' "$cases" | grep -v '^job' || echo "$n cycle cases passed of $((3 * cycles))+")"
		fi
	fi
done
