#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# lab/verdict.sh RUN_DIR TARGET VARIANT TEST QEMU_RC SECONDS TIMEOUT [ARGS]: read
# one guest run (serial.log, trace.log) and print its RESULT line:
#
# - the guest test's KTAP between "LAB-BEGIN TEST" and "LAB-END TEST rc=N":
#   every "not ok" fails the run, and so does a missing LAB-END (the guest
#   hung, crashed or timed out) or rc != 0;
# - the guest's dmesg (between LAB-DMESG-BEGIN/END, or the whole console
#   when the guest never got there): lockdep, sleeping in atomic context,
#   list or slab corruption, KASAN, oopses, WARNs and kmemleak reports fail
#   the run; the first one found is named. dmesg=clean when there is none,
#   dmesg=leak when kmemleak's unreferenced objects are all there is,
#   dmesg=bad otherwise;
# - test_verdict=pass|fail|error: the verdict of the test's own output
#   (and of the models' pattern check) before dmesg judged it, so that a
#   reader can tell "the test passed and only dmesg failed the run";
# - the models' trace: SDMA settle hazards and SSI playback pattern breaks
#   are counted (the test decides what they mean; see tests/lab-run.sh).
#
# On a KASAN kernel (the console says the sanitizer initialized: the kasan
# config flavour, VARIANT=BASE+kasan) the RESULT line also counts the
# "BUG: KASAN" reports, kasan=N, in the dmesg dump and whatever the
# console printed after it (the kmemleak scan); any report fails the run.
#
# Cycle summaries printed by xrun-stress ("summary mode=... ") are carried
# into the RESULT line.

set -u
dir=$1 target=$2 variant=$3 test=$4 qrc=$5 secs=$6 tmo=$7 args=${8:-}
serial=$dir/serial.log
trace=$dir/trace.log
[ -f "$serial" ] || : >"$serial"

# The test's own output.
console=$(tr -d '\r' <"$serial")
body=$(sed -n "/^LAB-BEGIN $test\$/,/^LAB-END $test /p" <<<"$console")
end=$(grep -a -m1 "^LAB-END $test rc=" <<<"$console")
trc=${end##*rc=}
n_ok=$(printf '%s\n' "$body" | grep -cE '^ *ok [0-9]+' || true)
n_fail=$(printf '%s\n' "$body" | grep -cE '^ *not ok [0-9]+' || true)
first_fail=$(printf '%s\n' "$body" | grep -m1 -E '^ *not ok [0-9]+' | sed 's/^ *//' | cut -c1-160)

# The guest kernel's log.
dmesg=$(sed -n '/^LAB-DMESG-BEGIN/,/^LAB-DMESG-END/p' <<<"$console")
[ -n "$dmesg" ] || dmesg=$console
kmemleak=$(sed -n '/^LAB-KMEMLEAK-BEGIN/,/^LAB-KMEMLEAK-END/p' <<<"$console" |
	grep -c 'unreferenced object' || true)
bad_re='BUG: sleeping function called from invalid context|BUG: scheduling while atomic'
bad_re="$bad_re|possible circular locking dependency|possible recursive locking|inconsistent lock state"
bad_re="$bad_re|BUG: spinlock|BUG: workqueue lockup|INFO: task .* blocked for more than"
bad_re="$bad_re|list_add corruption|list_del corruption|list_add double add"
bad_re="$bad_re|BUG: KASAN|BUG: KFENCE|Poison overwritten|Object already free|Redzone overwritten"
bad_re="$bad_re|Unable to handle kernel|Internal error: Oops|Kernel panic|kernel BUG at"
bad_re="$bad_re|WARNING: CPU: [0-9]+ PID|WARNING: at |suspected memory leak"
dbad=$(printf '%s\n' "$dmesg" | grep -m1 -aE "$bad_re" | sed 's/^\[[ 0-9.]*\] //' | cut -c1-120)
dmesg_verdict=clean
if [ -n "$dbad" ]; then
	dmesg_verdict=bad
elif [ "$kmemleak" -gt 0 ]; then
	dmesg_verdict=leak
	dbad="kmemleak: $kmemleak unreferenced objects"
fi
kasan=
if grep -aqiE 'kernel ?address ?sanitizer initialized' <<<"$console"; then
	kasan_log=$(printf '%s\n' "$dmesg"; sed -n '/^LAB-DMESG-END/,$p' <<<"$console" | sed 1d)
	kasan=$(printf '%s\n' "$kasan_log" | grep -ac 'BUG: KASAN' || true)
	if [ "$kasan" -gt 0 ] && [ "$dmesg_verdict" != bad ]; then
		dmesg_verdict=bad
		dbad=$(printf '%s\n' "$kasan_log" | grep -m1 -a 'BUG: KASAN' | sed 's/^\[[ 0-9.]*\] //' | cut -c1-120)
	fi
fi
# The PCM core's message when a transfer waited 10 s for a period: "capture
# write error (DMA or IRQ trouble?)" up to 5.4, "capture read timeout (DMA
# or IRQ trouble?)" and "playback write timeout ..." since 5.5.
eio=$(printf '%s\n' "$dmesg" | grep -cE '(capture|playback) (write|read) (error|timeout) \(DMA or IRQ trouble\?\)' || true)

hazards=$(grep -c 'imx_sdma_settle_hazard' "$trace" 2>/dev/null || true)
txdisc=$(grep -c 'imx_ssi_tx_discontinuity' "$trace" 2>/dev/null || true)
overruns=$(grep -c 'imx_ssi_rx_overrun' "$trace" 2>/dev/null || true)
slips=$(grep -c 'imx_ssi_slip' "$trace" 2>/dev/null || true)
# xrun-stress: one summary per stream (duplex has two).
summary=$(printf '%s\n' "$body" | sed -n 's/^summary //p' | sed 's/ /,/g' | paste -sd';')
[ -n "$summary" ] && summary="summary=$summary"

verdict=pass reason=
if [ -z "$end" ]; then
	verdict=fail
	if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
		reason="timeout after $tmo s, no LAB-END"
	elif ! grep -aq 'Linux version' "$serial"; then
		reason="the kernel did not boot (QEMU exit $qrc)"
	else
		reason="guest stopped without LAB-END (QEMU exit $qrc)"
	fi
elif [ "$n_fail" -gt 0 ]; then
	verdict=fail reason="$first_fail"
elif [ "$trc" != 0 ]; then
	verdict=fail reason="test exited $trc"
elif [ "$n_ok" -eq 0 ]; then
	verdict=fail reason="the test reported no result"
fi
# Lost data is only the guest's fault when the emulated frame clock kept
# time: with slips, a data check failure says nothing about the kernel.
if [ "$verdict" = fail ] && [ "$slips" -gt 0 ] && [ "$dmesg_verdict" = clean ] &&
   printf '%s\n' "$reason" | grep -q 'discontinuous'; then
	verdict=error
	reason="inconclusive: QEMU fell behind the frame clock ($slips SSI slips), then: $reason"
fi
# aplay: only the SSI model sees what was played. The pattern (a sample
# counter) must hold until the end of the data: the first break the model
# reports must expect the sample after the last one of the file.
if [ "$test" = aplay ] && [ -n "$end" ]; then
	r=$(sed -n 's/.*-r *\([0-9]*\).*/\1/p' <<<"$args")
	d=$(sed -n 's/.*-d *\([0-9]*\).*/\1/p' <<<"$args")
	want=$(printf '0x%x' $(( (${r:-48000} * ${d:-5} * 2) % 65536 )))
	first=$(grep -m1 'imx_ssi_tx_discontinuity' "$trace" 2>/dev/null |
		sed -n 's/.*expected \(0x[0-9a-f]*\).*/\1/p')
	if [ -n "$first" ] && [ "$first" != "$want" ]; then
		verdict=fail
		reason="${reason:+$reason; }the SSI saw the played pattern break before the end of the data (expected $first, end $want)"
	fi
fi
test_verdict=$verdict
if [ "$dmesg_verdict" != clean ]; then
	verdict=fail
	reason="${reason:+$reason; }dmesg: $dbad"
fi
# The guest must have run the kernel it was given (LAB_KERNELRELEASE, from
# run-guest.sh: the build's kernelrelease, whose -gSHA names its tree's
# commit) and not a stale image: ccache in depend mode once left the
# unpatched kernel inside a patched zImage (piggy.S's .incbin).
got_rel=$(grep -a -m1 '^LAB-KERNEL ' <<<"$console" | cut -d' ' -f2)
if [ -n "${LAB_KERNELRELEASE:-}" ] && [ -n "$got_rel" ] && [ "$got_rel" != "$LAB_KERNELRELEASE" ]; then
	verdict=error
	reason="the guest ran kernel $got_rel, not the $LAB_KERNELRELEASE built${reason:+; $reason}"
fi

printf 'RESULT target=%s variant=%s test=%s verdict=%s test_verdict=%s tap_ok=%s tap_fail=%s' \
	"$target" "$variant" "$test" "$verdict" "$test_verdict" "$n_ok" "$n_fail"
printf ' hazards=%s tx_discontinuities=%s rx_overruns=%s slips=%s eio_log=%s dmesg=%s kmemleak=%s seconds=%s' \
	"$hazards" "$txdisc" "$overruns" "$slips" "$eio" "$dmesg_verdict" "$kmemleak" "$secs"
[ -n "$kasan" ] && printf ' kasan=%s' "$kasan"
[ -n "$summary" ] && printf ' %s' "$summary"
[ -n "$reason" ] && printf ' reason="%s"' "${reason//\"/\'}"
printf ' dir=%s\n' "$dir"
