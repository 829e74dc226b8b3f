#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Per target: make the pristine tree, build the unpatched kernel (the
# build time is printed), and boot it with the stock imx6q-sabrelite.dtb
# on Debian's qemu-system-arm -M sabrelite to a shell, with a timeout.
# 5.4 runs when a 5.4.y tree is given (KERNEL_SRC_5_4) or already made.
# A target whose lab is opt-in (TGT_LAB=opt-in) gets its tree only, unless
# LAB_OPTIN names it.

. "$(dirname "$0")/../lib.sh"
set -u
S=$TOP/scripts
QEMU=${STOCK_QEMU:-/usr/bin/qemu-system-arm}
BOOT_TIMEOUT=${BOOT_TIMEOUT:-180}

if ! initrd=$("$S/smoke-initramfs.sh" 2>&1 | tail -n1) || [ ! -f "$initrd" ]; then
	tap_fail "smoke initramfs" "$initrd"
	exit 0
fi

# lab_config_built OUT: the kernel in OUT has every option of
# LAB_KCONFIG_NEEDED (scripts/lib.sh) =y and the race's drivers built in
# (its modules.builtin), and none of the subsystems the guest does not
# use, built in or as modules; else prints what is wrong. (How many
# objects a cold build compiles: make bench-kernel.)
needed=$(cd "$TOP" && bash -c '. scripts/lib.sh; echo $LAB_KCONFIG_NEEDED')
lab_config_built() {
	local o=$1 b opt m bad=
	b=$(readlink -f "$o/build")
	[ -n "$needed" ] || { echo "LAB_KCONFIG_NEEDED is empty"; return 1; }
	for opt in $needed; do
		grep -qx "CONFIG_$opt=y" "$o/config" || bad+=" CONFIG_$opt is not =y;"
	done
	for m in drivers/dma/imx-sdma sound/core/snd-pcm-dmaengine \
		 sound/soc/fsl/snd-soc-fsl-ssi sound/soc/fsl/snd-soc-imx-audmux \
		 sound/soc/codecs/snd-soc-sgtl5000 sound/soc/fsl/snd-soc-imx-sgtl5000 \
		 sound/soc/fsl/snd-soc-fsl-asrc; do
		grep -qE "^(kernel/)?$m\.ko\$" "$b/modules.builtin" 2>/dev/null ||
			bad+=" $m not built in;"
	done
	for opt in NET BLOCK USB_SUPPORT DRM FB MMC MTD INPUT CRYPTO CPU_FREQ THERMAL; do
		! grep -qE "^CONFIG_$opt=[ym]\$" "$o/config" || bad+=" CONFIG_$opt is on;"
	done
	[ -z "$bad" ] || { echo "${bad# }"; return 1; }
}

for t in ${TARGETS:-$(default_targets)}; do
	if ! target_available "$t"; then
		tap_skip "$t: tree, kernel and boot" "$(target_missing_why "$t")"
		continue
	fi
	if ! out=$("$S/tree.sh" "$t" 2>&1); then
		tap_fail "$t: pristine tree" "$(echo "$out" | tail -n1)"
		continue
	fi
	tap_ok "$t: pristine tree ($(echo "$out" | tail -n1 | sed 's/^tree [^:]*: //'))"
	if lab_opted_out "$t"; then
		tap_skip "$t: unpatched kernel builds and boots" "$(lab_opted_out_why "$t")"
		continue
	fi
	if ! out=$("$S/kernel.sh" "$t" unpatched 2>&1); then
		tap_fail "$t: unpatched kernel builds" "$(echo "$out" | tail -n1)"
		continue
	fi
	o=$BUILD/out/$t/unpatched
	if grep -q 'up to date' <<<"$out"; then
		echo "# $t unpatched build: up to date"
	else
		echo "# $t unpatched build time: $(cat "$o/build-seconds") s ($(echo "$out" | tail -n1 | sed 's/.*(ccache: \(.*\)).*/ccache \1/'))"
	fi
	# One line, the release alone: the initrd's module directory and the
	# boot checks are named by it.
	if [ "$(wc -l <"$o/kernelrelease")" = 1 ] &&
	   grep -qE '^[0-9]+\.[0-9]+\.[0-9]+[^ ]*$' "$o/kernelrelease"; then
		tap_ok "$t: unpatched kernel builds ($(cat "$o/kernelrelease"))"
	else
		tap_fail "$t: unpatched kernel builds" "kernelrelease is not one release line: $(head -c 200 "$o/kernelrelease" | tr '\n' '|')"
		continue
	fi

	if why=$(lab_config_built "$o"); then
		tap_ok "$t: lab config: the race's drivers and debug options built in, no unused subsystem"
	else
		tap_fail "$t: lab config: the race's drivers and debug options built in, no unused subsystem" "$why ($o/config)"
	fi

	log=$LOGS/boot-smoke-$t.log
	rc=0
	cached_boot "$log" "$BOOT_TIMEOUT" "$QEMU" -M sabrelite -m 512M \
		-display none -monitor none -serial null -serial "file:$log" \
		-no-reboot -icount shift=0,sleep=off \
		-kernel "$o/zImage" -dtb "$o/$(ls "$o" | grep -m1 '\.dtb$')" \
		-initrd "$initrd" -append "console=ttymxc1,115200 rdinit=/init" || rc=$?
	if grep -q '^SMOKE-SHELL-OK' "$log"; then
		tap_ok "$t: boots to a shell on stock QEMU sabrelite ($(grep -m1 '^SMOKE-KERNEL' "$log" | cut -d' ' -f2))"
	elif [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
		tap_fail "$t: boots to a shell on stock QEMU sabrelite" "no shell within ${BOOT_TIMEOUT} s (log: $log)"
	else
		tap_fail "$t: boots to a shell on stock QEMU sabrelite" "QEMU exited $rc without a shell (log: $log, $log.qemu)"
	fi
done
boots_summary
