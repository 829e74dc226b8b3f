#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The kasan config flavour (lab/configs/kasan.config, VARIANT=BASE+kasan).
# Always, in seconds: an unknown flavour is refused, and lab/verdict.sh
# counts KASAN reports (kasan=N) on a KASAN kernel's console and fails the
# run on one, even when it comes after the dmesg dump. On the same
# stand-in consoles, verdict.sh's other fields: eio_log, the kernel
# release, and dmesg=clean|leak|bad with test_verdict (what the
# kmemleak-control row's "leak" expectation is judged on).
# With LAB_KASAN=1 (KASAN_TARGETS, default 6.12): build TARGET's
# patched+kasan kernel and run the KASAN rows (tests/lab-kasan-rows.sh) on
# it, held to the patched expectations: pass, no SDMA settle hazard, dmesg
# clean, so no KASAN report. Without it that part is skipped: a cold KASAN
# build is expensive (see docs/results/kasan-6.12.md).

. "$(dirname "$0")/../lib.sh"
set -u
S=$TOP/scripts

tap_expect_fail "kasan flavour: an unknown flavour is refused" \
	"unknown config flavour 'nope'" "$S/kernel.sh" 6.12 patched+nope

# verdict.sh on stand-in consoles.
tmp=$(mktemp -d "${TMPDIR:-/tmp}/imx6-lab-kasan.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# console DIR KASAN_INIT REPORT_WHERE(none|dmesg|after) [LEAKS]: a guest
# console; LEAKS unreferenced objects in a kmemleak dump, as /init prints
# it after the dmesg dump (none without LEAKS).
console() {
	local i
	mkdir -p "$1"
	{
		[ "$2" = yes ] && echo "[    0.000000] kasan: Kernel address sanitizer initialized"
		printf 'LAB-BEGIN t\nKTAP version 1\n1..1\nok 1 t\nLAB-END t rc=0\nLAB-DMESG-BEGIN\n[    1.000000] booted\n'
		[ "$3" = dmesg ] && echo "[    2.000000] BUG: KASAN: slab-use-after-free in sdma_fake+0x10/0x20"
		echo "LAB-DMESG-END"
		[ "$3" = after ] && echo "[    3.000000] BUG: KASAN: use-after-free in sdma_fake+0x10/0x20"
		if [ -n "${4:-}" ]; then
			echo "LAB-KMEMLEAK-BEGIN"
			for i in $(seq "$4"); do
				printf 'unreferenced object 0xc%07x (size 64):\n  comm "insmod", pid 90\n' "$i"
			done
			echo "LAB-KMEMLEAK-END"
		fi
		echo "LAB-REBOOT"
	} >"$1/serial.log"
	: >"$1/trace.log"
}
verdict() { "$TOP/lab/verdict.sh" "$1" 6.12 patched+kasan t 0 1 600; }
console "$tmp/clean" yes none
console "$tmp/dmesg" yes dmesg
console "$tmp/after" yes after
console "$tmp/plain" no none
r=$(verdict "$tmp/clean")
case "$r" in
*' verdict=pass '*' kasan=0 '*) tap_ok "kasan verdict: a KASAN kernel with no report passes with kasan=0" ;;
*) tap_fail "kasan verdict: a KASAN kernel with no report passes with kasan=0" "$r" ;;
esac
r=$(verdict "$tmp/dmesg")
case "$r" in
*' verdict=fail '*' kasan=1 '*'dmesg: BUG: KASAN: slab-use-after-free'*) tap_ok "kasan verdict: a report in the dmesg dump fails the run" ;;
*) tap_fail "kasan verdict: a report in the dmesg dump fails the run" "$r" ;;
esac
r=$(verdict "$tmp/after")
case "$r" in
*' verdict=fail '*' kasan=1 '*'BUG: KASAN: use-after-free'*) tap_ok "kasan verdict: a report after the dmesg dump fails the run" ;;
*) tap_fail "kasan verdict: a report after the dmesg dump fails the run" "$r" ;;
esac
# eio_log (not KASAN's, but the same stand-in consoles): the PCM core's
# 10 s timeout message, as 5.4 and as 5.5 and later print it.
for m in "capture write error" "capture read timeout" "playback write timeout"; do
	console "$tmp/eio" no none
	sed -i "s/^\(\[    1.000000\] booted\)$/\1\n[    2.000000] imx-sgtl5000 sound: $m (DMA or IRQ trouble?)/" "$tmp/eio/serial.log"
	r=$(verdict "$tmp/eio")
	case "$r" in
	*' eio_log=1 '*) tap_ok "verdict: eio_log counts \"$m (DMA or IRQ trouble?)\"" ;;
	*) tap_fail "verdict: eio_log counts \"$m (DMA or IRQ trouble?)\"" "$r" ;;
	esac
done
# The guest's LAB-KERNEL line against the kernel built (LAB_KERNELRELEASE).
console "$tmp/rel" no none
sed -i '1i LAB-KERNEL 6.12.118-g129d13c66898' "$tmp/rel/serial.log"
r=$(LAB_KERNELRELEASE=6.12.118-g444482531d7d verdict "$tmp/rel")
case "$r" in
*' verdict=error '*'the guest ran kernel 6.12.118-g129d13c66898, not the 6.12.118-g444482531d7d built'*)
	tap_ok "verdict: a guest that ran another kernel than the one built is an error" ;;
*) tap_fail "verdict: a guest that ran another kernel than the one built is an error" "$r" ;;
esac
r=$(LAB_KERNELRELEASE=6.12.118-g129d13c66898 verdict "$tmp/rel")
case "$r" in
*' verdict=pass '*) tap_ok "verdict: the kernel built, as the guest reports it, passes" ;;
*) tap_fail "verdict: the kernel built, as the guest reports it, passes" "$r" ;;
esac
r=$(verdict "$tmp/plain")
case "$r" in
*' kasan='*) tap_fail "kasan verdict: no kasan= field without KASAN" "$r" ;;
*' verdict=pass '*) tap_ok "kasan verdict: no kasan= field without KASAN" ;;
*) tap_fail "kasan verdict: no kasan= field without KASAN" "$r" ;;
esac

# dmesg=leak: kmemleak's unreferenced objects are all there is; anything
# else in the log (a WARN, a KASAN report) makes it bad. test_verdict is
# the test's own verdict, before dmesg.
check_verdict() { # check_verdict DESC DIR PATTERN...: every PATTERN in the RESULT line
	local desc=$1 r p
	r=$(LAB_KERNELRELEASE='' verdict "$2")
	shift 2
	for p in "$@"; do
		case "$r" in *"$p"*) ;; *) tap_fail "$desc" "no '$p' in: $r"; return ;; esac
	done
	tap_ok "$desc"
}
check_verdict "verdict: a clean run is dmesg=clean, test_verdict=pass" "$tmp/plain" \
	' verdict=pass ' ' test_verdict=pass ' ' dmesg=clean ' ' kmemleak=0 '
console "$tmp/leak" no none 2
check_verdict "verdict: kmemleak alone fails a passing test: dmesg=leak, test_verdict=pass" "$tmp/leak" \
	' verdict=fail ' ' test_verdict=pass ' ' dmesg=leak ' ' kmemleak=2 ' 'reason="dmesg: kmemleak: 2 unreferenced objects"'
console "$tmp/leakwarn" no none 1
sed -i 's/^\(\[    1.000000\] booted\)$/\1\n[    2.000000] WARNING: CPU: 0 PID: 90 at drivers\/dma\/imx-sdma.c:1 sdma_fake+0x10\/0x20/' \
	"$tmp/leakwarn/serial.log"
check_verdict "verdict: kmemleak with a WARN is dmesg=bad, the WARN named" "$tmp/leakwarn" \
	' verdict=fail ' ' test_verdict=pass ' ' dmesg=bad ' ' kmemleak=1 ' 'dmesg: WARNING: CPU: 0 PID: 90'
console "$tmp/leakkasan" yes after 1
check_verdict "kasan verdict: kmemleak with a KASAN report is dmesg=bad, the report named" "$tmp/leakkasan" \
	' verdict=fail ' ' test_verdict=pass ' ' dmesg=bad ' ' kmemleak=1 ' ' kasan=1 ' 'BUG: KASAN: use-after-free'
console "$tmp/leakfail" no none 1
sed -i 's/^ok 1 t$/not ok 1 t # broken/; s/^LAB-END t rc=0$/LAB-END t rc=1/' "$tmp/leakfail/serial.log"
check_verdict "verdict: a failing test with a leak is test_verdict=fail, dmesg=leak" "$tmp/leakfail" \
	' verdict=fail ' ' test_verdict=fail ' ' dmesg=leak '

rows=$("$TOP/tests/lab-kasan-rows.sh")
if [ "${LAB_KASAN:-0}" != 1 ]; then
	tap_skip "kasan: patched+kasan lab rows" \
		"LAB_KASAN=1 to run them: measured, a cold 6.12 KASAN kernel build takes 13m52s at -j2 (ccache cold), its 4 boots (13 rows) 202 s (docs/results/kasan-6.12.md)"
	exit 0
fi
if [ ! -x "$BUILD/qemu/bin/qemu-system-arm" ]; then
	tap_fail "kasan: patched+kasan lab rows" "no lab QEMU (see the 30-qemu check; log: $LOGS/qemu-build.log)"
	exit 0
fi
targets=()
for t in ${KASAN_TARGETS:-6.12}; do
	if ! out=$("$S/series.sh" "$t" 2>&1); then
		tap_fail "$t: patched tree" "$(tail -n1 <<<"$out")"
	elif ! out=$("$S/kernel.sh" "$t" patched+kasan 2>&1); then
		tap_fail "$t: patched+kasan lab kernel builds" "$(tail -n1 <<<"$out")"
	else
		echo "# $t patched+kasan build: $(cat "$BUILD/out/$t/patched+kasan/build-seconds") s"
		targets+=("$t")
	fi
done
[ ${#targets[@]} -gt 0 ] || exit 0
LAB_VARIANTS="patched+kasan" LAB_TESTS="$rows" LAB_RESULTS="${LAB_RESULTS:-$BUILD/results-kasan}" \
	"$TOP/tests/lab-run.sh" "${targets[@]}"
exit 0
