#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# lab/lava: the sabrelite job and the xrun-stress test definition against
# the schemas of Debian's lava-common (python3 module lava_common.schemas,
# the ones a LAVA server checks a submission with), the job in sync with
# make-job.py and the test definition it inlines, and the test
# definition's run steps on canned xrun-stress output with a recording
# lava-test-case: every KTAP line and summary figure becomes the right
# test case.

. "$(dirname "$0")/../lib.sh"
set -u

L=$TOP/lab/lava
PY=/usr/bin/python3
scratch=$(mktemp -d "${TMPDIR:-/tmp}/imx6-lab-lava.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

if ! "$PY" -c 'import lava_common.schemas, yaml' 2>/dev/null; then
	tap_fail "lava-common's schemas are importable" \
		"install Debian package lava-common (scripts/apt-setup.sh)"
	exit 0
fi
tap_ok "lava-common's schemas are importable ($(cat /usr/lib/python3/dist-packages/lava_common/VERSION 2>/dev/null || echo '?'))"

# validate KIND FILE: KIND job or testdef, strict (no unknown keys).
validate() {
	"$PY" - "$@" <<'EOF'
import sys, yaml
from voluptuous import Schema
from lava_common.schemas import validate
from lava_common.schemas.test.testdef import testdef
kind, path = sys.argv[1:3]
data = yaml.safe_load(open(path, encoding="utf-8"))
if kind == "job":
    validate(data, strict=True)
    for a in data["actions"]:
        for d in a.get("test", {}).get("definitions", []):
            if d.get("from") == "inline":
                Schema(testdef())(d["repository"])
else:
    Schema(testdef())(data)
EOF
}

tap_expect "lab/lava/xrun-stress.yaml is a valid Lava-Test Test Definition 1.0" \
	validate testdef "$L/xrun-stress.yaml"
tap_expect "lab/lava/sabrelite-xrun-stress.yaml is a valid LAVA job" \
	validate job "$L/sabrelite-xrun-stress.yaml"
tap_expect "make-job.py writes a job for 6.12 unpatched (sha256 sums from BUILD)" \
	sh -c "'$PY' '$L/make-job.py' --target 6.12 --variant unpatched --build '$BUILD' >'$scratch/job.yaml' && \
	       grep -q 'device_type: imx6q-sabrelite' '$scratch/job.yaml'" 
tap_expect "make-job.py's 6.12 unpatched job is a valid LAVA job" validate job "$scratch/job.yaml"

# The validator does reject: a job without a kernel, a test definition
# with an unknown key.
"$PY" - "$L/sabrelite-xrun-stress.yaml" "$scratch" <<'EOF'
import sys, yaml
job = yaml.safe_load(open(sys.argv[1]))
del job["actions"][0]["deploy"]["kernel"]
yaml.safe_dump(job, open(sys.argv[2] + "/bad-job.yaml", "w"))
td = yaml.safe_load(open(sys.argv[1].replace("sabrelite-xrun-stress", "xrun-stress")))
td["run"]["step"] = td["run"].pop("steps")
yaml.safe_dump(td, open(sys.argv[2] + "/bad-testdef.yaml", "w"))
EOF
tap_expect_fail "a job without a kernel is rejected" 'kernel' validate job "$scratch/bad-job.yaml"
tap_expect_fail "a test definition without run: steps is rejected" 'steps|step' \
	validate testdef "$scratch/bad-testdef.yaml"

if diff <(grep -v '^#' "$L/sabrelite-xrun-stress.yaml") \
	<("$PY" "$L/make-job.py" | grep -v '^#') >"$scratch/diff" 2>&1; then
	tap_ok "sabrelite-xrun-stress.yaml is make-job.py's output (inlines xrun-stress.yaml as it is)"
else
	tap_fail "sabrelite-xrun-stress.yaml is make-job.py's output (inlines xrun-stress.yaml as it is)" \
		"regenerate: lab/lava/make-job.py >lab/lava/sabrelite-xrun-stress.yaml"
fi

# The run steps, as lava-test-shell runs them: under "set -e" (LAVA's
# generated run.sh has it), params as variables, then the steps, in
# /bin/sh, with xrun-stress, dmesg, mount and lava-test-case replaced by
# stand-ins.
fake=$scratch/bin
mkdir -p "$fake"
cat >"$fake/xrun-stress" <<'EOF'
#!/bin/sh
# Canned xrun-stress: capture fails at cycle 2 (eio at restart), playback passes.
mode=capture
while [ $# -gt 0 ]; do [ "$1" = -m ] && mode=$2; shift; done
echo "KTAP version 1"
case $mode in
capture) echo "1..3" ;;
playback) echo "1..2" ;;
duplex) echo "1..4" ;;
esac
if [ $mode != playback ]; then
	echo "cycle=1 mode=$mode stream=capture outcome=ok latency_us=812 since_stop_us=640"
	echo "ok 1 capture cycle 1"
	echo "cycle=2 mode=$mode stream=capture outcome=eio latency_us=- since_stop_us=231 at=restart"
	echo "not ok 2 capture cycle 2 # eio at restart"
	echo "ok 3 capture cycle 3 # SKIP stopped after a failure"
	echo "summary mode=$mode stream=capture cycles=2 ok=1 eio=1 timeout=0 other=0 discontinuous=0 extra_xruns=0 lat_p50_us=812 lat_p99_us=812 lat_max_us=812 since_stop_p50_us=435 since_stop_max_us=640"
fi
if [ $mode != capture ]; then
	echo "ok 4 playback cycle 1"
	echo "summary mode=$mode stream=playback cycles=1 ok=1 eio=0 timeout=0 other=0 discontinuous=0 extra_xruns=0 lat_p50_us=900 lat_p99_us=950 lat_max_us=990 since_stop_p50_us=- since_stop_max_us=-"
fi
[ $mode = playback ]
EOF
cat >"$fake/lava-test-case" <<EOF
#!/bin/sh
echo "\$*" >>"$scratch/cases"
EOF
chmod +x "$fake"/*
"$PY" - "$L/xrun-stress.yaml" "$scratch" >"$scratch/run.sh" <<'EOF'
import shlex, sys, yaml
td = yaml.safe_load(open(sys.argv[1]))
params = dict(td.get("params", {}))
print("set -e")
params["DYNDBG_CONTROL"] = sys.argv[2] + "/dynamic_debug_control"
for k, v in params.items():
    print("%s=%s" % (k, shlex.quote(str(v))))
# dmesg and mount as functions: a busybox sh built to prefer its applets
# would run the real ones from PATH (and dmesg -c clears the host's log).
print("""dmesg() {
	[ $# -eq 0 ] && echo "[  545.766075] imx-sgtl5000 sound: capture write error (DMA or IRQ trouble?)"
	return 0
}
mount() { return 0; }""")
print("\n".join(td["run"]["steps"]))
EOF
want=$(cat <<'EOF'
capture_capture-cycle-1 --result pass
capture_capture-cycle-2 --result fail
capture_capture-cycle-3 --result skip
xrun-stress-capture --result fail
capture_capture-latency-p50 --result pass --measurement 812 --units us
capture_capture-latency-p99 --result pass --measurement 812 --units us
capture_capture-latency-max --result pass --measurement 812 --units us
capture_capture-since-stop-p50 --result pass --measurement 435 --units us
playback_playback-cycle-1 --result pass
xrun-stress-playback --result pass
playback_playback-latency-p50 --result pass --measurement 900 --units us
playback_playback-latency-p99 --result pass --measurement 950 --units us
playback_playback-latency-max --result pass --measurement 990 --units us
playback_playback-since-stop-p50 --result skip
duplex_capture-cycle-1 --result pass
duplex_capture-cycle-2 --result fail
duplex_capture-cycle-3 --result skip
duplex_playback-cycle-1 --result pass
xrun-stress-duplex --result fail
duplex_capture-latency-p50 --result pass --measurement 812 --units us
duplex_capture-latency-p99 --result pass --measurement 812 --units us
duplex_capture-latency-max --result pass --measurement 812 --units us
duplex_capture-since-stop-p50 --result pass --measurement 435 --units us
duplex_playback-latency-p50 --result pass --measurement 900 --units us
duplex_playback-latency-p99 --result pass --measurement 950 --units us
duplex_playback-latency-max --result pass --measurement 990 --units us
duplex_playback-since-stop-p50 --result skip
no-pcm-write-error --result fail
EOF
)

# run_steps NAME SH [APPLETS_DIR]: the steps in SH, with APPLETS_DIR (the
# shell's own awk, sed, grep...) first in PATH.
run_steps() {
	local name=$1 sh=$2 applets=${3:-}
	local path=$fake:${applets:+$applets:}$PATH
	rm -f "$scratch/cases" "$scratch/dynamic_debug_control"
	if ! (cd "$scratch" && PATH=$path $sh ./run.sh >"$scratch/run.out" 2>&1); then
		tap_fail "test definition steps in $name" "$(tail -n1 "$scratch/run.out")"
		return
	fi
	if [ "$(cat "$scratch/cases" 2>/dev/null)" = "$want" ]; then
		tap_ok "test definition in $name: KTAP lines, exit status, summaries and dmesg become lava-test-case results"
	else
		tap_fail "test definition in $name: KTAP lines, exit status, summaries and dmesg become lava-test-case results" \
			"$(diff <(echo "$want") "$scratch/cases" 2>&1 | grep '^[<>]' | head -n3 | tr '\n' ' ')"
	fi
	if grep -qx 'file pcm_lib.c +p' "$scratch/dynamic_debug_control" 2>/dev/null; then
		tap_ok "test definition in $name turns on the PCM core's write-error message (dynamic debug)"
	else
		tap_fail "test definition in $name turns on the PCM core's write-error message (dynamic debug)" \
			"nothing written to DYNDBG_CONTROL"
	fi
}
run_steps /bin/sh sh
# The guest runs them in busybox sh with busybox's awk and sed.
bb=$(command -v busybox || true)
if [ -n "$bb" ]; then
	mkdir -p "$scratch/busybox"
	for a in awk sed grep cat tr sh; do ln -sf "$bb" "$scratch/busybox/$a"; done
	run_steps "busybox sh" "$bb sh" "$scratch/busybox"
else
	tap_skip "test definition steps in busybox sh" "no busybox on the host (Debian busybox or busybox-static)"
fi

# The Yocto layer for real boards: the bbappend adds exactly the patches
# of patches/5.4/series, in order, from the repository's patches/5.4.
bb=$TOP/lab/board/yocto/linux-fslc_5.4%.bbappend
got=$(sed -n 's|.*file://\([^ ]*\.patch\).*|\1|p' "$bb" 2>/dev/null)
want=$("$TOP/scripts/series-list.sh" "$TOP/patches/5.4" | xargs -n1 basename)
if [ -n "$want" ] && [ "$got" = "$want" ] &&
   grep -q 'FILESEXTRAPATHS:prepend := "${THISDIR}/../../../patches/5.4:"' "$bb" &&
   [ -d "$(dirname "$bb")/../../../patches/5.4" ] &&
   grep -q 'BBFILES += "${LAYERDIR}/\*.bbappend"' "$TOP/lab/board/yocto/conf/layer.conf"; then
	tap_ok "yocto: linux-fslc_5.4%.bbappend applies patches/5.4/series from the repository"
else
	tap_fail "yocto: linux-fslc_5.4%.bbappend applies patches/5.4/series from the repository" \
		"bbappend lists: $(printf '%s\n' "$got" | tr '\n' ' ')"
fi
