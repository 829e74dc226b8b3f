#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# lab/run-guest.sh TARGET VARIANT TEST [ARGS]: boot the lab kernel of
# TARGET/VARIANT on the lab QEMU (emulated sabrelite with SDMA, SSI, AUDMUX
# and SGTL5000) with the lab initramfs, run the guest test TEST
# (lab/rootfs/tests/TEST.sh) with ARGS, and turn what the guest and the
# models reported into one verdict line:
#
#   RESULT target=5.4 variant=patched test=xrun-capture verdict=pass tap_ok=1
#          tap_fail=0 hazards=0 dmesg=clean ... dir=<run directory>
#
# Every run has a timeout (LAB_TIMEOUT, seconds) and keeps its logs in
# $BUILD/runs/TARGET/VARIANT/TEST[-N]/: serial.log (console), trace.log
# (the models' trace events), qemu.log, result.
# Exit status: 0 pass, 1 fail (tests, dmesg or timeout), 2 could not run.
#
# Environment:
#   LAB_TIMEOUT=600       seconds before QEMU is killed
#   LAB_ICOUNT=N|off      -icount shift=N,sleep=off (default 0: repeatable
#                         timing, independent of the host's load), or off
#   LAB_RUN_ID=name       run directory suffix (for repeated runs)
#   LAB_QEMU=path         QEMU binary (default: the lab build)
#   LAB_INITRD=path       initrd (default: make initrd's, the lab rootfs + the
#                         kernel's modules)
#   LAB_APPEND="..."      more kernel command line
#   LAB_TRACE="ev ..."    more QEMU trace event patterns for trace.log
#   LAB_QEMU_ARGS="..."   more QEMU options (e.g. a late-irq-seed per boot)
#   LAB_REUSE=1           reuse the kept boot of this run directory when
#                         every input of the boot is the same (below)
#   LAB_FRESH=1           never reuse a boot (overrides LAB_REUSE)
#
# Boot reuse (LAB_REUSE=1, what the lab matrix sets): under -icount a boot
# is a function of its inputs (two boots print the same output, checked by
# the 46-soak check), so a boot whose inputs did not change need not run
# again. The key is the sha256 of the kernel, the DTB, the initrd (the
# guest tests, tools and modules are in it), the QEMU binary and the whole
# QEMU command line (machine, icount, append with the test and its args,
# trace events, timeout). A reused boot keeps its logs and is judged
# again by today's lab/verdict.sh; its RESULT line says boot=reused (a new
# one boot=new) and seconds= is the time of the boot that ran. Never on
# the host clock (LAB_ICOUNT=off), where a boot depends on the host.
#
# A config flavour (VARIANT=BASE+FLAVOUR, scripts/kernel.sh) boots its own
# kernel and initrd like any variant. +kasan: the command line adds
# kasan_multi_shot (every report, not only the first) and log_buf_len=4M
# (the dmesg dump keeps them all), and LAB_TIMEOUT defaults to 1800.

. "$(dirname "$0")/../scripts/lib.sh"

TARGET=${1:-}
VARIANT=${2:-}
TEST=${3:-}
ARGS=${4:-}
[ -n "$TARGET" ] && [ -n "$VARIANT" ] && [ -n "$TEST" ] ||
	{ echo "usage: $0 TARGET VARIANT TEST [ARGS]" >&2; exit 2; }
load_target "$TARGET"

kout=$OUT/$TARGET/$VARIANT
run_dir=$BUILD/runs/$TARGET/$VARIANT/$TEST${LAB_RUN_ID:+-$LAB_RUN_ID}
timeout_s=${LAB_TIMEOUT:-600}
flavour_append=
case "$VARIANT" in
*+kasan)
	timeout_s=${LAB_TIMEOUT:-1800}
	flavour_append="kasan_multi_shot log_buf_len=4M" ;;
esac
qemu=${LAB_QEMU:-$BUILD/qemu/bin/qemu-system-arm}

# The run directory is emptied once we know the boot cannot be reused.
fresh_dir() {
	rm -rf "$run_dir"
	mkdir -p "$run_dir"
	LOG=$run_dir/run.log
	: >"$LOG"
}
LOG=/dev/null

cant_run() {
	[ "$LOG" != /dev/null ] || fresh_dir
	say "error: $* (log: $LOG)"
	echo "RESULT target=$TARGET variant=$VARIANT test=$TEST verdict=error reason=\"$*\" dir=$run_dir" |
		tee "$run_dir/result"
	exit 2
}

[ -x "$qemu" ] || cant_run "no lab QEMU at $qemu; run 'make qemu'"
[ -f "$kout/zImage" ] || cant_run "no $TARGET/$VARIANT kernel; run 'make kernel TARGET=$TARGET VARIANT=$VARIANT'"
dtb=$kout/$(basename "$TGT_DTB")
[ -f "$dtb" ] || cant_run "no $(basename "$TGT_DTB") in $kout"
initrd=${LAB_INITRD:-$BUILD/rootfs/initrd-$TARGET-$VARIANT.cpio.gz}
[ -f "$initrd" ] || cant_run "no initrd $initrd; run 'make initrd TARGET=$TARGET VARIANT=$VARIANT'"

# Virtual time follows the instruction count (1 ns per instruction with
# shift 0, no sleeping): what the guest sees does not depend on how busy
# the host is, so verdicts repeat and the emulated frame clock never
# slips. LAB_ICOUNT=off runs on the host's clock instead.
icount=()
case "${LAB_ICOUNT:-0}" in
off) ;;
*) icount=(-icount "shift=${LAB_ICOUNT:-0},sleep=off") ;;
esac

# The trace events the verdict reads: the SDMA settle hazards, the SSI's
# playback pattern checks, its FIFO overruns, and its slips (QEMU fell so
# far behind the emulated frame clock that frames were skipped: the host,
# not the guest, lost data).
# imx_sdma_late_irq_held: an interrupt held back on purpose (late-irq.sh).
events="imx_sdma_settle_hazard
imx_sdma_late_irq_held
imx_ssi_tx_discontinuity
imx_ssi_rx_overrun
imx_ssi_slip"
# More events for an investigation (LAB_TRACE="imx_sdma_channel_* ..."):
# they go to the same trace.log, which the verdict reads by event name.
for ev in ${LAB_TRACE:-}; do events="$events
$ev"; done

# dyndbg: the PCM core's "capture write error (DMA or IRQ trouble?)"
# is a pcm_dbg(), as in the report's log.
append="console=ttymxc1,115200 rdinit=/init coherent_pool=4M dyndbg=\"file pcm_lib.c +p\" lab.test=$TEST"
[ -n "$ARGS" ] && append="$append lab.args=\"$ARGS\""
[ -n "$flavour_append" ] && append="$append $flavour_append"
[ -n "${LAB_APPEND:-}" ] && append="$append $LAB_APPEND"
# QEMU options the guest test asks for: its "# lab-qemu: ..." lines (the
# model properties of the late-irq test, say). Part of the boot key.
test_qemu=()
tscript=$TOP/lab/rootfs/tests/$TEST.sh
[ -f "$tscript" ] || cant_run "no guest test $tscript"
# shellcheck disable=SC2207
test_qemu=($(sed -n 's/^# lab-qemu: //p' "$tscript") ${LAB_QEMU_ARGS:-})
qemu_args=(-M sabrelite -m 512M "${test_qemu[@]}"
	-display none -monitor none -serial null -serial "file:$run_dir/serial.log"
	-no-reboot "${icount[@]}"
	-trace "events=$run_dir/trace-events" -D "$run_dir/trace.log"
	-kernel "$kout/zImage" -dtb "$dtb" -initrd "$initrd"
	-append "$append")

# boot_key: what the boot is a function of (see Boot reuse above).
boot_key() {
	sha256sum "$kout/zImage" "$dtb" "$initrd" "$qemu" | cut -d' ' -f1
	printf '%s\n' "timeout=$timeout_s" "$events" "${qemu_args[@]}"
}
key=
if [ "${LAB_REUSE:-0}" = 1 ] && [ "${LAB_FRESH:-0}" != 1 ] && [ ${#icount[@]} -gt 0 ]; then
	key=$(boot_key | sha256sum | cut -d' ' -f1)
	if [ -f "$run_dir/boot" ] && [ -f "$run_dir/serial.log" ] &&
	   [ "$(sed -n 's/^key=//p' "$run_dir/boot")" = "$key" ]; then
		read -r rc secs < <(sed -n 's/^exit=//p' "$run_dir/boot")
		LOG=$run_dir/run.log
		echo "reused: the boot of $(sed -n 's/^date=//p' "$run_dir/boot") (key $key), judged again $(date -u '+%F %T')" >>"$LOG"
		LAB_KERNELRELEASE=$(cat "$kout/kernelrelease" 2>/dev/null) "$TOP/lab/verdict.sh" "$run_dir" "$TARGET" "$VARIANT" "$TEST" "$rc" "$secs" "$timeout_s" "$ARGS" |
			sed 's/$/ boot=reused/' | tee "$run_dir/result"
		grep -q ' verdict=pass ' "$run_dir/result"
		exit
	fi
fi

fresh_dir
printf '%s\n' "$events" >"$run_dir/trace-events"
{
	echo "kernel: $kout ($(cat "$kout/kernelrelease" 2>/dev/null))"
	echo "qemu: $qemu ${icount[*]}"
	echo "initrd: $initrd"
	echo "append: $append"
} >>"$LOG"

t0=$(date +%s)
rc=0
timeout --kill-after=10 "$timeout_s" "$qemu" "${qemu_args[@]}" >"$run_dir/qemu.log" 2>&1 || rc=$?
secs=$(($(date +%s) - t0))
# Only a boot that ended by itself (the guest rebooted: QEMU exit 0) may
# be reused; a timeout or a crash of QEMU runs again next time.
if [ -n "$key" ] && [ "$rc" = 0 ]; then
	printf 'key=%s\nexit=%s %s\ndate=%s\n' "$key" "$rc" "$secs" "$(date -u '+%F %T')" >"$run_dir/boot"
fi

LAB_KERNELRELEASE=$(cat "$kout/kernelrelease" 2>/dev/null) "$TOP/lab/verdict.sh" "$run_dir" "$TARGET" "$VARIANT" "$TEST" "$rc" "$secs" "$timeout_s" "$ARGS" |
	sed 's/$/ boot=new/' | tee "$run_dir/result"
grep -q ' verdict=pass ' "$run_dir/result"
