#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The guest user space: xrun-stress's ALSA-free logic under host unit
# tests, its armhf cross build, the initramfs (contents, byte-for-byte
# reproducible, rebuilt only when an input changes), and, per built
# unpatched kernel, the per-kernel initrd booted on stock QEMU sabrelite:
# the guest selftest passes, the cards test runs to its end marker (stock
# QEMU has no sound card, so only its tool checks must pass), and
# xrun-stress runs every mode and stall method on the kernel's snd-dummy
# (built out of tree at test time).

. "$(dirname "$0")/../lib.sh"
set -u
QEMU=${STOCK_QEMU:-/usr/bin/qemu-system-arm}
BOOT_TIMEOUT=${BOOT_TIMEOUT:-240}
XS=$TOP/lab/tools/xrun-stress
R=$TOP/lab/rootfs
scratch=$(mktemp -d "${TMPDIR:-/tmp}/imx6-lab-rootfs.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

# 1. host unit tests, one TAP line each
if out=$(make -s -C "$XS" O="$BUILD/tools/xrun-stress-host" \
	"$BUILD/tools/xrun-stress-host/test-xrun-logic" 2>&1); then
	"$BUILD/tools/xrun-stress-host/test-xrun-logic" 2>&1 |
		sed -n 's/^ok [0-9]* - /ok - xrun-logic: /p; s/^not ok [0-9]* - /not ok - xrun-logic: /p; /^[^on]/s/^/# /p'
else
	tap_fail "xrun-logic host unit tests build" "$(echo "$out" | grep -m1 -E 'error|warning' || echo "$out" | tail -n1)"
fi

# 2. the armhf cross build
if ! command -v arm-linux-gnueabihf-gcc >/dev/null; then
	tap_skip "xrun-stress cross build" "no arm-linux-gnueabihf-gcc (scripts/apt-setup.sh)"
	exit 0
fi
if ! xs=$("$XS/build.sh" 2>&1 | tail -n1) || [ ! -f "$xs" ]; then
	tap_fail "xrun-stress cross-builds for armhf" "$xs"
	exit 0
fi
if grep -qiE 'warning:' "$LOGS/xrun-stress.log"; then
	tap_fail "xrun-stress cross-builds for armhf without warnings" \
		"$(grep -m1 -i 'warning:' "$LOGS/xrun-stress.log")"
else
	tap_ok "xrun-stress cross-builds for armhf without warnings"
fi
need=$(arm-linux-gnueabihf-readelf -d "$xs" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort | tr '\n' ' ')
mach=$(arm-linux-gnueabihf-readelf -h "$xs" | sed -n 's/ *Machine: *//p')
if [ "$mach" = ARM ] && [ "$need" = "libasound.so.2 libc.so.6 " ]; then
	tap_ok "xrun-stress is an ARM binary needing only libasound.so.2 and libc.so.6"
else
	tap_fail "xrun-stress is an ARM binary needing only libasound.so.2 and libc.so.6" "$mach: $need"
fi

# 3. the initramfs
if ! img=$("$R/build.sh" 2>&1 | tail -n1) || [ ! -f "$img" ]; then
	tap_fail "initramfs builds" "$img"
	exit 0
fi
tap_ok "initramfs builds ($(du -k "$img" | cut -f1) KiB)"
list=$(zcat "$img" | cpio -t --quiet 2>/dev/null)
missing=
for f in init bin/busybox usr/bin/aplay usr/bin/arecord usr/bin/amixer \
	 usr/bin/xrun-stress usr/share/alsa/alsa.conf lib/ld-linux-armhf.so.3 \
	 lib/arm-linux-gnueabihf/libasound.so.2 lib/arm-linux-gnueabihf/libc.so.6 \
	 lib/arm-linux-gnueabihf/libm.so.6 lab/lib.sh lab/manifest \
	 lab/tests/cards.sh lab/tests/xrun-capture.sh lab/tests/arecord.sh; do
	printf '%s\n' "$list" | grep -qx "$f" || missing="$missing $f"
done
[ -z "$missing" ] && tap_ok "initramfs holds the tools, their libraries, /init and the tests" ||
	tap_fail "initramfs holds the tools, their libraries, /init and the tests" "missing:$missing"
libs=$(printf '%s\n' "$list" | sed -n 's|^lib/arm-linux-gnueabihf/||p' | sort | tr '\n' ' ')
[ "$libs" = "ld-linux-armhf.so.3 libasound.so.2 libc.so.6 libm.so.6 " ] &&
	tap_ok "exactly the needed shared libraries: $libs" ||
	tap_fail "exactly the needed shared libraries" "$libs"
if grep -qE '^libasound2 [^ ]+ armhf [0-9a-f]{64}$' "$BUILD/rootfs/manifest" &&
   grep -qE '^busybox-static [^ ]+ armhf ' "$BUILD/rootfs/manifest"; then
	tap_ok "manifest records the package versions ($(grep -cE '^[a-z0-9.+-]+ [^ ]+ (armhf|all) [0-9a-f]{64}$' "$BUILD/rootfs/manifest") packages)"
else
	tap_fail "manifest records the package versions" "$BUILD/rootfs/manifest"
fi
sed -n '/^# package/,/^# file/{/^[a-z]/s/^/#   /p}' "$BUILD/rootfs/manifest"

if "$R/build.sh" 2>&1 | grep -q 'is up to date'; then
	tap_ok "an unchanged initramfs is not rebuilt"
else
	tap_fail "an unchanged initramfs is not rebuilt" "build.sh rebuilt it"
fi
"$R/build.sh" --force -o "$scratch/a.cpio.gz" >/dev/null 2>&1
"$R/build.sh" --force -o "$scratch/b.cpio.gz" >/dev/null 2>&1
a=$(sha256sum <"$scratch/a.cpio.gz" 2>/dev/null | cut -c1-64)
b=$(sha256sum <"$scratch/b.cpio.gz" 2>/dev/null | cut -c1-64)
c=$(sha256sum <"$img" | cut -c1-64)
if [ -n "$a" ] && [ "$a" = "$b" ] && [ "$a" = "$c" ]; then
	tap_ok "initramfs is reproducible: three builds, one sha256 ${a:0:16}..."
else
	tap_fail "initramfs is reproducible" "sha256 $a / $b / $c"
fi

# 4. per kernel: initrd with its modules, booted on stock QEMU
# boot_test KDIR INITRD TEST LOG: boot and print the test's KTAP; 0 when
# the guest reached LAB-END.
boot_test() {
	local k=$1 initrd=$2 t=$3 log=$4
	cached_boot "$log" "$BOOT_TIMEOUT" "$QEMU" -M sabrelite -m 512M \
		-display none -monitor none -serial null -serial "file:$log" \
		-no-reboot -icount shift=0,sleep=off \
		-kernel "$k/zImage" -dtb "$k/imx6q-sabrelite.dtb" \
		-initrd "$initrd" \
		-append "console=ttymxc1,115200 rdinit=/init lab.test=$t"
	grep -q "^LAB-END $t rc=" "$log"
}

# boot_target T: T's unpatched kernel boots the selftest, cards and
# snd-dummy xrun-stress on stock QEMU. Targets at once, one per CPU: each
# guest is one QEMU thread.
boot_target() {
	local t=$1 k=$BUILD/out/$1/unpatched initrd bs n want rc sums rtmp i log dko dinitrd out
	# The counts of this target's boots (a subshell of per_target).
	# shellcheck disable=SC2064 # $1 now: the trap runs after the return
	trap "boots_summary $1" EXIT
	# Every initrd of a kernel carries the lab's module (sdma_client.ko
	# in $k/lab-modules, which 40-lab and 42 build): build it first, so
	# that this initrd, and so these boots, do not change when a later
	# check adds it (before, a warm run after a cold one booted all 15
	# again).
	"$TOP/lab/tools/sdma-client/build.sh" "$t" unpatched >/dev/null 2>&1 ||
		echo "# $t: sdma_client.ko does not build (check 42 says why); this initrd goes without it"
	if ! initrd=$("$R/build.sh" --modules "$k" 2>&1 | tail -n1) || [ ! -f "$initrd" ]; then
		tap_fail "$t: initrd with the kernel's modules" "$initrd"
		[ "$t" != "$first" ] ||
			tap_fail "$t: three initrd builds at once all succeed, one image" "not run: the initrd does not build"
		return
	fi
	# the initrd is the base image, then the modules' own gzip'd cpio
	bs=$(stat -c %s "$img")
	n=$(tail -c +$((bs + 1)) "$initrd" | zcat | cpio -t --quiet 2>/dev/null |
		grep -c '^lib/modules/.*\.ko$')
	want=$(find "$k/modules" "$k/extra" "$k/lab-modules" -name '*.ko' 2>/dev/null | wc -l)
	if cmp -s -n "$bs" "$img" "$initrd" && [ "$n" = "$want" ]; then
		tap_ok "$t: initrd = base + a cpio of the $n modules of $(cat "$k/kernelrelease")"
	else
		tap_fail "$t: initrd = base + a cpio of the kernel's modules" "$n of $want modules, or the base differs"
	fi
	if [ "$t" = "$first" ]; then
		# Guests started together build the same initrd: three builds
		# at once (-o a scratch image, built from scratch each) must
		# all succeed and give the same bytes.
		rc=0 sums=
		rtmp=$(mktemp -d "${TMPDIR:-/tmp}/imx6-lab-initrd.XXXXXX")
		for i in 1 2 3; do
			"$R/build.sh" --modules "$k" -o "$rtmp/initrd.gz" >"$rtmp/log$i" 2>&1 &
		done
		for i in 1 2 3; do wait -n || rc=1; done
		sums=$(sha256sum <"$rtmp/initrd.gz" 2>/dev/null | cut -c1-16)
		if [ $rc = 0 ] && cmp -s "$rtmp/initrd.gz" "$initrd"; then
			tap_ok "$t: three initrd builds at once all succeed, one image ($sums...)"
		else
			tap_fail "$t: three initrd builds at once all succeed, one image" \
				"$(cat "$rtmp"/log* | grep -m1 -iE 'error|cannot') (rc=$rc)"
		fi
		rm -rf "$rtmp"
	fi

	log=$LOGS/guest-$t-selftest.log
	if boot_test "$k" "$initrd" selftest "$log"; then
		sed -n '/^LAB-BEGIN/,/^LAB-END/{/^\(ok\|not ok\) /s/^/# guest: /p}' "$log"
		if grep -q '^LAB-END selftest rc=0' "$log"; then
			tap_ok "$t: guest selftest passes on stock QEMU (xrun-stress --generate/--verify, KTAP on a missing PCM)"
		else
			tap_fail "$t: guest selftest passes on stock QEMU" "$(grep -m1 '^not ok' "$log") (log: $log)"
		fi
		grep -q '^LAB-DMESG-END' "$log" && grep -q '^LAB-REBOOT' "$log" &&
			tap_ok "$t: /init dumps dmesg and reboots (QEMU exits)" ||
			tap_fail "$t: /init dumps dmesg and reboots (QEMU exits)" "log: $log"
	else
		tap_fail "$t: guest selftest reaches LAB-END on stock QEMU" "no LAB-END within $BOOT_TIMEOUT s (log: $log)"
		return
	fi

	log=$LOGS/guest-$t-cards.log
	if boot_test "$k" "$initrd" cards "$log"; then
		sed -n '/^LAB-BEGIN/,/^LAB-END/{/^\(ok\|not ok\) /s/^/# guest: /p}' "$log"
		if [ "$(grep -cE '^ok [234] ' "$log")" = 3 ]; then
			tap_ok "$t: cards test runs to LAB-END; arecord, aplay and xrun-stress start in the guest"
		else
			tap_fail "$t: arecord, aplay and xrun-stress start in the guest" "log: $log"
		fi
	else
		tap_fail "$t: cards test reaches LAB-END on stock QEMU" "no LAB-END within $BOOT_TIMEOUT s (log: $log)"
	fi

	# xrun-stress against a real ALSA PCM: the kernel's snd-dummy
	if ! dko=$("$XS/snd-dummy.sh" "$k" 2>&1 | tail -n1) || [ ! -f "$dko" ]; then
		tap_fail "$t: snd-dummy builds out of tree for the xrun-stress run" "$dko"
		return
	fi
	dinitrd=$scratch/initrd-dummy-$t.cpio.gz
	if ! out=$("$R/build.sh" --modules "$k" --ko "$dko" -o "$dinitrd" 2>&1); then
		tap_fail "$t: initrd with snd-dummy" "$(echo "$out" | tail -n1)"
		return
	fi
	log=$LOGS/guest-$t-xrun-dummy.log
	# icount: the guest's time follows its instructions, so a busy host
	# cannot push a transfer past 6.12's 100 ms wait_for_avail() limit.
	if cached_boot "$log" "$BOOT_TIMEOUT" "$QEMU" -M sabrelite -m 512M \
		-display none -monitor none -serial null -serial "file:$log" \
		-no-reboot -icount shift=0,sleep=off \
		-kernel "$k/zImage" -dtb "$k/imx6q-sabrelite.dtb" \
		-initrd "$dinitrd" -append "console=ttymxc1,115200 rdinit=/init lab.kmemleak=0 lab.modules=snd-dummy lab.test=xrun-dummy" &&
	   grep -q '^LAB-END xrun-dummy rc=' "$log"; then
		sed -n '/^LAB-BEGIN/,/^LAB-END/{/^\(ok\|not ok\) /s/^/# guest: /p}' "$log"
		if grep -q '^LAB-END xrun-dummy rc=0' "$log"; then
			tap_ok "$t: xrun-stress on snd-dummy: every mode and stall method recovers, a stuck transfer is a timeout"
		else
			tap_fail "$t: xrun-stress on snd-dummy" "$(grep -m1 '^not ok' "$log") (log: $log)"
		fi
	else
		tap_fail "$t: xrun-stress on snd-dummy reaches LAB-END" "log: $log"
	fi
}
targets=()
for t in ${TARGETS:-$(default_targets)}; do
	if lab_opted_out "$t"; then
		tap_skip "$t: xrun-stress boots" "$(lab_opted_out_why "$t")"
		continue
	fi
	[ -f "$BUILD/out/$t/unpatched/zImage" ] && targets+=("$t")
done
if [ ${#targets[@]} -gt 0 ]; then
	# The first target's initrd is also built three times at once.
	first=${targets[0]}
	per_target "xrun-stress boots ran to the end" boot_target "${targets[@]}"
else
	tap_skip "guest boots" "no kernel built yet under $BUILD/out/*/unpatched"
fi
exit 0
