#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh TARGET VARIANT [MODULE PARAMETERS...]: boot the lab kernel
# $BUILD/out/TARGET/VARIANT on QEMU -M sabrelite with a copy of the smoke
# initramfs that loads sdma_client.ko (built by build.sh) with the given
# parameters, then prints the module's result lines and what the kernel
# reported meanwhile (DEBUG_LIST, SLUB, lockdep, warnings, kmemleak).
#
# Environment: QEMU (default: the SDMA worktree's build-lab binary when it
# exists, else /usr/bin/qemu-system-arm), SMP (guest CPUs, default 1),
# TIMEOUT (seconds, default 600), POOL (coherent_pool=, default 4M),
# KMEMLEAK=1 (scan for leaks after the module ran; slow under TCG),
# SDMA_BD_NS (the SDMA model's time per memcpy buffer descriptor, its
# property bd-ns; the model's default, 10 us per up to 64 KiB, lets a
# transfer finish before the guest gets to terminate it),
# ICOUNT (run with -icount shift=ICOUNT: guest time follows the executed
# instructions, so the model's timing does not depend on the host's load
# and a run is repeatable; without it a descheduled vCPU thread lets the
# model's transfers finish "instantly"),
# QEMU_TRACE (a -trace pattern, e.g. 'imx_sdma_settle_hazard'; the trace
# goes to the serial log's .trace file).
# Serial log: $BUILD/logs/sdma-client-run-TARGET-VARIANT.serial.
# Exit status: 0 when every scenario passed and the kernel reported
# nothing, 1 when a scenario failed or the kernel reported a problem, 2
# when the module printed no summary (boot failed, timeout), 3 when it
# skipped (no memcpy channel, or the SDMA does not complete transfers).

# shellcheck source=../../../scripts/lib.sh
. "$(dirname "$0")/../../../scripts/lib.sh"

TARGET=${1:-}
VARIANT=${2:-}
if [ -z "$TARGET" ] || [ -z "$VARIANT" ]; then
	die "usage: run.sh TARGET VARIANT [MODULE PARAMETERS...]"
fi
shift 2
params="$*"
here=$(cd "$(dirname "$0")" && pwd)
start_log "sdma-client-run-$TARGET-$VARIANT"

sdma_qemu=$BUILD/qemu/wt-sdma/build-lab/qemu-system-arm
if [ -z "${QEMU:-}" ]; then
	if [ -x "$sdma_qemu" ]; then QEMU=$sdma_qemu; else QEMU=/usr/bin/qemu-system-arm; fi
fi
SMP=${SMP:-1}
# imx-sdma allocates every descriptor's buffer descriptors with
# dma_alloc_coherent(GFP_NOWAIT), i.e. a page of the atomic pool (256 KiB
# by default). Kernels that leak descriptors (5.4 unpatched) would exhaust
# it within a few scenarios and mask the later ones' own failures.
POOL=${POOL:-4M}
TIMEOUT=${TIMEOUT:-600}

out=$OUT/$TARGET/$VARIANT
[ -f "$out/zImage" ] || die "no $TARGET/$VARIANT kernel in $out"
ko=$out/lab-modules/sdma_client.ko
if [ ! -f "$ko" ] || [ "$here/sdma_client.c" -nt "$ko" ]; then
	"$here/build.sh" "$TARGET" "$VARIANT" >/dev/null || die "build.sh $TARGET $VARIANT failed"
fi
initrd=$("$TOP/scripts/smoke-initramfs.sh" | tail -n1)
[ -f "$initrd" ] || die "no smoke initramfs"

work=$BUILD/work/sdma-client/run-$TARGET-$VARIANT
rm -rf "$work"
mkdir -p "$work/root"
(cd "$work/root" && gzip -dc "$initrd" | cpio -id --quiet) || die "cannot unpack $initrd"
cp "$ko" "$work/root/sdma_client.ko"
cat >"$work/root/init" <<INIT
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
echo "SDMA-CLIENT-KERNEL \$(uname -r) cpus=\$(grep -c ^processor /proc/cpuinfo)"
dmesg | grep -i -m3 'sdma' | sed 's/^/SDMA-CLIENT-PROBE /'
insmod /sdma_client.ko $params
echo "SDMA-CLIENT-INSMOD rc=\$?"
rmmod sdma_client 2>/dev/null
if [ "${KMEMLEAK:-0}" = 1 ] && [ -w /sys/kernel/debug/kmemleak ]; then
	# objects younger than 5 s are never reported (lab/rootfs/init)
	echo scan >/sys/kernel/debug/kmemleak
	sleep 6
	echo scan >/sys/kernel/debug/kmemleak
	n=\$(grep -c '^unreferenced object' /sys/kernel/debug/kmemleak)
	echo "SDMA-CLIENT-KMEMLEAK \$n"
	grep -A12 -m2 '^unreferenced object' /sys/kernel/debug/kmemleak | sed 's/^/SDMA-CLIENT-LEAK /'
fi
echo SDMA-CLIENT-DONE
reboot -f
INIT
chmod +x "$work/root/init"
(cd "$work/root" && find . -print0 | LC_ALL=C sort -z |
	cpio -o -0 -H newc --quiet | gzip -n >"$work/initramfs.cpio.gz") ||
	die "cannot pack the initramfs"

serial=$LOGS/sdma-client-run-$TARGET-$VARIANT.serial
trace=()	# extra QEMU options
if [ -n "${QEMU_TRACE:-}" ]; then
	trace=(-trace "enable=$QEMU_TRACE,file=$serial.trace")
fi
ICOUNT=${ICOUNT-2}
SDMA_BD_NS=${SDMA_BD_NS-100000}
if [ -n "$ICOUNT" ]; then
	trace+=(-icount "shift=$ICOUNT")
fi
if [ -n "$SDMA_BD_NS" ]; then
	trace+=(-global "driver=imx.sdma,property=bd-ns,value=$SDMA_BD_NS")
fi
say "sdma-client run $TARGET/$VARIANT: $QEMU, smp $SMP, bd-ns ${SDMA_BD_NS:-default}, icount ${ICOUNT:-off}, params '$params'"
rc=0
timeout --kill-after=10 "$TIMEOUT" "$QEMU" -M sabrelite -smp "$SMP" -m 512M \
	-display none -monitor none -serial null -serial "file:$serial" \
	-no-reboot -kernel "$out/zImage" -dtb "$out/imx6q-sabrelite.dtb" \
	-initrd "$work/initramfs.cpio.gz" "${trace[@]}" \
	-append "console=ttymxc1,115200 rdinit=/init coherent_pool=$POOL" >"$serial.qemu" 2>&1 || rc=$?
if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
	say "QEMU timed out after $TIMEOUT s"
fi

tr -d '\r' <"$serial" | grep -E 'SDMA-CLIENT-|sdma-client: ' | sed 's/^\[[ 0-9.]*\] //' || true
reports=$(tr -d '\r' <"$serial" | grep -cE \
	'list_(add|del) corruption|Poison overwritten|BUG: |WARNING: |Unable to handle|Internal error|possible recursive locking|inconsistent lock state|possible circular locking|INFO: trying to register non-static key|Object already free|ODEBUG:' || true)
echo "kernel-reports=$reports (serial log: $serial)"
tr -d '\r' <"$serial" | grep -E -A3 'list_(add|del) corruption|Poison overwritten|BUG: |WARNING: |Internal error|locking|ODEBUG:' | head -40 || true

summary=$(tr -d '\r' <"$serial" | grep -o 'sdma-client: summary .*' | tail -n1 || true)
[ -n "$summary" ] || exit 2
case "$summary" in
*" fail=0 "*) ;;
*) exit 1 ;;
esac
case "$summary" in
*"pass=0 "*) exit 3 ;;
esac
[ "$reports" = 0 ] || exit 1
exit 0
