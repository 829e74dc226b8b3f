#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# lab/lava/lava-run.sh TARGET VARIANT [CYCLES [MODES]]: run the LAVA job
# of lab/lava on the lab QEMU with LAVA's own dispatcher (lava-run), so
# that LAVA itself deploys the lab's kernel and initramfs, appends its
# overlay, boots, finds the prompt, runs xrun-stress.yaml's steps with
# its test shell and records every lava-test-case.
#
#  - the dispatcher: Debian's lava-dispatcher 2023.01-2 (lab/lava/lava.conf),
#    unpacked under $BUILD/lava;
#  - the device: a device dictionary of type qemu whose QEMU is the lab's
#    ($BUILD/qemu/bin/qemu-system-arm -M sabrelite, -icount as the lab
#    matrix runs it), written to the run directory;
#  - the job: make-job.py --qemu (the sabrelite job's test definition, the
#    artifacts from $BUILD as file:// URLs, deployed to tmpfs).
#
# Writes $BUILD/lava/runs/TARGET-VARIANT/{device.yaml,job.yaml,lava.log,
# results.txt} and prints one line per LAVA test case and a RESULT line:
#   RESULT target=T variant=V job=complete|incomplete cases=N pass=N fail=N skip=N
# Exit status 0 when LAVA completed the job and every case passed, 1 when
# it completed with a failed case, 2 when it could not run or the job was
# incomplete (the log path is printed).

. "$(dirname "$0")/../../scripts/lib.sh"

TARGET=${1:-}
VARIANT=${2:-patched}
CYCLES=${3:-20}
MODES=${4:-capture playback duplex}
[ -n "$TARGET" ] || die "usage: lab/lava/lava-run.sh TARGET VARIANT [CYCLES [MODES]]"
# shellcheck source=lab/lava/lava.conf
. "$TOP/lab/lava/lava.conf"

LDIR=$BUILD/lava
run=$LDIR/runs/$TARGET-$VARIANT
mkdir -p "$LDIR" "$DL/lava"
rm -rf "$run"
mkdir -p "$run"
LOG=$run/lava.log
: >"$LOG"

cant() {
	say "error: $* (log: $LOG)"
	exit 2
}

qemu=${LAB_QEMU:-$BUILD/qemu/bin/qemu-system-arm}
out=$OUT/$TARGET/$VARIANT
[ -x "$qemu" ] || cant "no lab QEMU at $qemu (make qemu)"
if [ ! -f "$out/zImage" ] || [ ! -f "$out/imx6q-sabrelite.dtb" ]; then
	cant "no kernel at $out (make kernel TARGET=$TARGET VARIANT=$VARIANT)"
fi
[ -f "$BUILD/rootfs/initramfs.cpio.gz" ] || cant "no initramfs at $BUILD/rootfs (make rootfs)"
for m in yaml pexpect jinja2 configobj setproctitle magic pyudev aiohttp netifaces pytz voluptuous lava_common; do
	/usr/bin/python3 -c "import $m" 2>/dev/null ||
		cant "python module $m missing for lava-run (scripts/apt-setup.sh installs it)"
done
command -v cpio >/dev/null || cant "cpio missing (scripts/apt-setup.sh)"
[ "$(id -u)" = 0 ] || cant "lava-run runs as root only (it refuses other users); run this as root"

# The dispatcher, unpacked once per pinned version.
disp=$LDIR/dispatcher-$LAVA_VERSION
if [ ! -f "$disp/.ok" ]; then
	rm -rf "$disp"
	mkdir -p "$disp"
	for pair in "$LAVA_DISPATCHER_DEB $LAVA_DISPATCHER_SHA256" "$LAVA_HOST_DEB $LAVA_HOST_SHA256"; do
		# shellcheck disable=SC2086
		set -- $pair
		f=$DL/lava/$1
		[ -s "$f" ] || { curl -fsSL --retry 3 -o "$f.part" "$LAVA_POOL/$1" >>"$LOG" 2>&1 &&
			mv "$f.part" "$f"; } || cant "cannot download $LAVA_POOL/$1"
		echo "$2  $f" | sha256sum -c --status ||
			cant "checksum mismatch for $f (want $2); delete it to download again"
		dpkg-deb -x "$f" "$disp" >>"$LOG" 2>&1 || cant "cannot unpack $f"
	done
	# lava_dispatcher.utils.filesystem imports guestfs at start; the
	# tmpfs deploy with a cpio overlay never calls it, so an empty module
	# stands in for python3-guestfs (and its appliance).
	mkdir -p "$disp/shim"
	echo "# Empty stand-in: lava-run imports guestfs; a tmpfs/cpio job does not use it." \
		>"$disp/shim/guestfs.py"
	touch "$disp/.ok"
fi
pypath=$disp/usr/lib/python3/dist-packages:$disp/shim

# The device dictionary (rendered): LAVA's qemu device type, our QEMU.
append="console=ttymxc1,115200 rdinit=/init coherent_pool=4M"
cat >"$run/device.yaml" <<EOF
# Device dictionary for lava-run (lab/lava/lava-run.sh): LAVA device type
# qemu, run by the lab QEMU's sabrelite machine as the lab matrix runs it.
device_type: qemu
available_architectures:
- arm
constants:
  posix:
    lava_test_sh_cmd: /bin/sh
    lava_test_results_dir: /lava-%s
    lava_test_shell_file: ~/.profile
  shutdown-message: 'The system is going down for reboot NOW'
  kernel-start-message: 'Linux version [0-9]'
  default-shell-prompt: 'lava-test: # '
  spawn_maxread: '4092'
  failure_retry: 1
  boot_retry: 0
parameters:
  pass:
actions:
  deploy:
    methods:
      image:
        parameters:
          guest:
            size: 64
  boot:
    connections:
      serial:
    methods:
      qemu:
        parameters:
          command: $qemu
          options:
          - -M sabrelite
          - -m 512M
          - -display none
          - -monitor none
          - -serial null
          - -serial stdio
          - -no-reboot
          - -icount shift=0,sleep=off
          - -append '$append'
timeouts:
  actions:
    boot-qemu-image:
      minutes: 3
    auto-login-action:
      minutes: 3
    lava-test-shell:
      minutes: 20
  connections:
    lava-test-shell:
      seconds: 60
EOF

# The dispatcher's own configuration: the qemu boot asks for the
# dispatcher's address (for NFS) even on a tmpfs job; loopback, so no
# default route is needed.
printf 'dispatcher_ip: 127.0.0.1\n' >"$run/dispatcher.yaml"

/usr/bin/python3 "$TOP/lab/lava/make-job.py" --qemu --build "$BUILD" --target "$TARGET" \
	--variant "$VARIANT" --cycles "$CYCLES" --modes "$MODES" >"$run/job.yaml" ||
	cant "make-job.py --qemu failed"

say "lava-run: $TARGET $VARIANT, xrun-stress $MODES, $CYCLES cycles ($run)"
t0=$(date +%s)
rc=0
# The job's own timeout is 30 min; this one only catches a dispatcher
# that does not end. A QEMU left behind by a killed dispatcher (pexpect
# starts it in a session of its own) is ended by its command line.
(cd "$run" && PYTHONPATH=$pypath timeout --kill-after=20 "${LAVA_TIMEOUT:-2100}" \
	/usr/bin/python3 "$disp/usr/bin/lava-run" --job-id 1 --output-dir "$run/out" \
	--device "$run/device.yaml" --dispatcher "$run/dispatcher.yaml" job.yaml) >>"$LOG" 2>&1 || rc=$?
secs=$(($(date +%s) - t0))
pkill -f "$run/out/" 2>/dev/null || true

# lava-run logs one YAML flow mapping per line on stderr,
# {"dt": ..., "lvl": ..., "msg": ...}; results are lvl "results", msg a
# mapping with definition (N_name: the Nth definition of the job), case,
# result and an optional measurement. The job's own verdict is the case
# "job" of definition "lava", also in out/result.yaml.
/usr/bin/python3 - "$LOG" "$run/out/result.yaml" "$run/results.txt" <<'EOF'
import re, sys, yaml
cases, job = [], None
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    line = line.strip()
    if not line.startswith("{") or '"results"' not in line:
        continue
    try:
        rec = yaml.safe_load(line)
    except yaml.YAMLError:
        continue
    if not isinstance(rec, dict) or rec.get("lvl") != "results":
        continue
    m = rec.get("msg")
    if not isinstance(m, dict):
        continue
    if m.get("definition") == "lava":
        if m.get("case") == "job":
            job = m.get("result")
        continue
    d = re.sub(r"^[0-9]+_", "", str(m.get("definition")))
    val = m.get("measurement")
    cases.append("%s %s %s%s" % (d, m.get("case"), m.get("result"),
                                 "" if val is None else " %s %s" % (val, m.get("units", ""))))
try:
    with open(sys.argv[2], encoding="utf-8") as f:
        job = (yaml.safe_load(f) or {}).get("result", job)
except OSError:
    pass
with open(sys.argv[3], "w") as f:
    f.write("job %s\n" % (job or "none"))
    for c in cases:
        f.write(c + "\n")
EOF
job=$(sed -n 's/^job //p' "$run/results.txt")
sed 1d "$run/results.txt" | grep -v -- '-cycle-[0-9]* pass$' >&2 || true
read -r n p f s < <(sed 1d "$run/results.txt" |
	awk '{n++; if ($3 == "pass") p++; else if ($3 == "fail") f++; else if ($3 == "skip") s++}
	     END {print n + 0, p + 0, f + 0, s + 0}')
state=incomplete
[ "$job" = pass ] && state=complete
echo "RESULT target=$TARGET variant=$VARIANT job=$state cases=$n pass=$p fail=$f skip=$s secs=$secs lava_rc=$rc log=$LOG"
[ "$state" = complete ] || { say "lava-run: the job did not complete (log: $LOG)"; exit 2; }
[ "$n" -gt 0 ] || { say "lava-run: the job completed with no test case (log: $LOG)"; exit 2; }
[ "$f" = 0 ] || exit 1
exit 0
