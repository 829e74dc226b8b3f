#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The report generator (scripts/report.sh, make report) on a hand-written
# lab run (tests/fixtures/results: results/, runs/, qemu/, and the confs
# the expectations come from): the matrix,
# reproduction and latency tables say what the fixture's files say, the
# figures exist and are small, two runs give identical files, and an empty
# results dir fails with a clear message.

. "$(dirname "$0")/../lib.sh"
set -u
FX=$TOP/tests/fixtures/results
gen=$TOP/scripts/report.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export SOURCE_DATE_EPOCH=1767225600
export REPORT_CONF=$FX/lab-matrix.conf REPORT_TARGETS=$FX/targets

if ! command -v gnuplot >/dev/null 2>&1; then
	tap_fail "report: gnuplot" "not installed (Debian gnuplot-nox; scripts/apt-setup.sh installs it)"
	exit 0
fi

if ! out=$(REPORT_BUILD=$FX "$gen" "$tmp/a" 2>&1); then
	tap_fail "report: generator runs on the fixture" "$(tail -n1 <<<"$out")"
	exit 0
fi
tap_ok "report: generator runs on the fixture"
md=$tmp/a/README.md

# has DESC LINE...: every LINE is a whole line of README.md.
has() {
	local desc=$1 l miss=
	shift
	for l in "$@"; do
		grep -qxF -- "$l" "$md" || { miss=$l; break; }
	done
	if [ -z "$miss" ]; then tap_ok "report: $desc"; else tap_fail "report: $desc" "missing line: $miss"; fi
}

has "matrix: rows sorted by target, unpatched before patched" \
	"| 5.4 | unpatched | cards | pass | pass | - | 0 | 0/-/- | clean | - |" \
	"| 5.4 | unpatched | xrun-capture | fail | fail | 2/3 of 10 | 1 | 0/-/- | clean | not ok 3 capture cycle 3 # eio at restart |" \
	"| 5.4 | patched | xrun-capture | pass, 0 hazards, dmesg clean | pass | 4/4 of 4 | 0 | 0/0/0 | clean | - |" \
	"| 6.12 | unpatched | xrun-capture | pass | pass | 2/2 | 3 | 0/-/- | clean | - |"
order=$(grep -E '^\| (5\.4|6\.12) \| [a-z-]+ \| [a-z-]+ \| ' "$md" | head -n 11 | cut -d'|' -f2-4 | tr -d ' ' | paste -sd' ')
if [ "$order" = "5.4|unpatched|cards 5.4|patched|cards 5.4|unpatched|xrun-capture 5.4|patched|xrun-capture 5.4|pcm-only|xrun-capture 5.4|unpatched|xrun-playback 5.4|patched|xrun-playback 5.4|unpatched|xrun-duplex 5.4|patched|xrun-duplex 6.12|unpatched|xrun-capture 6.12|patched|xrun-capture" ]; then
	tap_ok "report: matrix order"
else
	tap_fail "report: matrix order" "got: $order"
fi
if grep -qE '^\| 5\.4 \| pcm-only \| xrun-capture \| [^|]+ \| pass \| 3/3 of 3 \| 0 \| 0/0/0 \| clean \| - \|$' "$md"; then
	tap_ok "report: matrix: layer variants are reported with their TGT_EXPECT expectation"
else
	tap_fail "report: matrix: layer variants" "no 5.4 pcm-only xrun-capture line"
fi
has "latency table: layer variants too" "| 5.4 | xrun-capture | pcm-only | 3 | 2.7 | 3.9 | 3.9 | 1200 |"
if grep -q 'superseded' "$md" || ! grep -qF 'holds 1 earlier line(s) for a target,' "$md"; then
	tap_fail "report: matrix: a repeated target/variant/row keeps its last line" "the earlier line is shown or not counted"
else
	tap_ok "report: matrix: a repeated target/variant/row keeps its last line"
fi
has "matrix: a duplex cycle survives only when both streams do; hang without LAB-END" \
	"| 5.4 | unpatched | xrun-duplex | any | fail | 1/2 of 10 | 0 | 2/5/1 | bad | timeout after 600 s, no LAB-END |"
has "matrix: data jumps are counted; a run without a result has no cycles" \
	"| 5.4 | patched | xrun-duplex | pass, 0 hazards, dmesg clean | pass | 2/2 of 2, 1 with discontinuous data | 0 | 0/-/- | clean | - |" \
	"| 5.4 | unpatched | xrun-playback | any | error | - | ? | -/-/- | - | run-guest.sh printed no result |"
if sed -n '/^### Targets without rows in lab-matrix.tsv/,/^## /p' "$md" | grep -qxF \
	"| 5.10 | unpatched | xrun-capture | pass | fail | 1/2 | 2 | 0/0/0 | clean | not ok 2 capture cycle 2 # eio at restart |"; then
	tap_ok "report: targets with RESULT lines but no matrix rows are reported apart"
else
	tap_fail "report: targets with RESULT lines but no matrix rows are reported apart" "no 5.10 line under '### Targets without rows in lab-matrix.tsv'"
fi
has "matrix: a row that judges one aspect of a test (row:aspect) takes that test's RESULT line" \
	"| 6.12 | unpatched | cards:settle | - | fail | - | 2 | 0/0/0 | clean | - |"
has "reproduction rate from repro-5.4-unpatched.txt" \
	"| 5.4 | unpatched | 3 | 2/3 (67%) | 1 | 1 | 1 | 0 | 2/5/10 | 3 | block | shift=4 |"
has "reproduction rate: the unmeasured ones say how to measure them" \
	"    make repro TARGET=5.4 VARIANT=patched RUNS=20 CYCLES=100" \
	"    make repro TARGET=6.12 VARIANT=unpatched RUNS=20 CYCLES=100"
has "latency table: surviving cycles only, stop-to-prepare over all cycles" \
	"| 5.4 | xrun-capture | unpatched | 2 | 1.5 | 4.2 | 4.2 | 700 |" \
	"| 5.4 | xrun-capture | patched | 4 | 2.3 | 9.8 | 9.8 | 850 |" \
	"| 5.4 | xrun-duplex | unpatched | 3 | 5.0 | 5.2 | 5.2 | 500 |"
has "stamp: date, kernels, QEMU series id, host" \
	"- Lab run: 2026-01-01 00:00 UTC (SOURCE_DATE_EPOCH)" \
	"- Kernels (\`uname -r\` in the guest): 5.4 unpatched \`5.4.286-gaaaaaaaaaaaa\`; 5.4 patched \`5.4.286-gbbbbbbbbbbbb\`; 5.4 pcm-only \`5.4.286-gcccccccccccc\`; 5.10 unpatched \`5.10.223-gdddddddddddd\`; 6.12 unpatched \`6.12.117-unpatched\`; 6.12 patched \`6.12.117-patched\`" \
	"- Host: $(nproc) CPUs (\`nproc\`), $(uname -m)$(sed -n 's/^model name[^:]*: /, /p' /proc/cpuinfo | head -n1); the guest runs"
has "stamp: QEMU timing options from the runs' run.log" \
	"- QEMU timing options of these runs (their run.log): \`-icount shift=0,sleep=off\` (1 runs), \`none (host clock)\` (6 runs)"
if grep -q "series id \`0123456789ab\`" "$md"; then tap_ok "report: QEMU series id"; else tap_fail "report: QEMU series id" "no 'series id \`0123456789ab\`' line"; fi
if grep -qE '99999|77777' "$tmp"/a/fig/*.dat "$md"; then
	tap_fail "report: cycle lines after LAB-END, or of a run without a result, are ignored" "99999 or 77777 found"
else
	tap_ok "report: cycle lines after LAB-END, or of a run without a result, are ignored"
fi

# Figures: one per target and xrun row, PNG and SVG, small, with the
# command that redraws them.
figs_ok=1 why=
for n in recovery-5.4-xrun-capture recovery-5.4-xrun-duplex recovery-6.12-xrun-capture; do
	for ext in png svg gp; do
		[ -s "$tmp/a/fig/$n.$ext" ] || { figs_ok=0 why="no fig/$n.$ext"; }
	done
	if [ -s "$tmp/a/fig/$n.png" ]; then
		[ "$(head -c 8 "$tmp/a/fig/$n.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] ||
			{ figs_ok=0 why="fig/$n.png is not a PNG"; }
		[ "$(stat -c %s "$tmp/a/fig/$n.png")" -lt 102400 ] || { figs_ok=0 why="fig/$n.png >= 100 KiB"; }
	fi
	grep -qF "(fig/$n.png)" "$md" || { figs_ok=0 why="README does not show fig/$n.png"; }
	grep -qF "\`(cd docs/results/fig && gnuplot $n.gp)\`" "$md" || { figs_ok=0 why="no command for $n"; }
done
if [ $figs_ok = 1 ]; then tap_ok "report: figures (PNG < 100 KiB, SVG, gnuplot script, command)"; else tap_fail "report: figures" "$why"; fi
if [ "$(grep -v '^#' "$tmp/a/fig/recovery-5.4-xrun-capture-unpatched.dat" | paste -sd' ')" = "1500 4200" ]; then
	tap_ok "report: figure data are the surviving cycles' latency_us"
else
	tap_fail "report: figure data" "recovery-5.4-xrun-capture-unpatched.dat: $(grep -v '^#' "$tmp/a/fig/recovery-5.4-xrun-capture-unpatched.dat" | paste -sd' ')"
fi
if (cd "$tmp/a/fig" && cp recovery-5.4-xrun-capture.png "$tmp/orig.png" &&
    gnuplot recovery-5.4-xrun-capture.gp && cmp -s recovery-5.4-xrun-capture.png "$tmp/orig.png"); then
	tap_ok "report: the printed command redraws the same figure"
else
	tap_fail "report: the printed command redraws the same figure" "gnuplot recovery-5.4-xrun-capture.gp differs or failed"
fi

# Deterministic: a second run gives the same files.
mkdir -p "$tmp/b"
if REPORT_BUILD=$FX "$gen" "$tmp/b" >/dev/null 2>&1 && diff -r "$tmp/a" "$tmp/b" >/dev/null; then
	tap_ok "report: same inputs, same files"
else
	tap_fail "report: same inputs, same files" "$(diff -rq "$tmp/a" "$tmp/b" 2>&1 | head -n1)"
fi

# Other generators' files in the output dir survive and are linked.
mkdir -p "$tmp/c"
echo "# soak" >"$tmp/c/soak-5.4.md"
if REPORT_BUILD=$FX "$gen" "$tmp/c" >/dev/null 2>&1 && [ -f "$tmp/c/soak-5.4.md" ] &&
   grep -qxF -- "- [soak-5.4.md](soak-5.4.md)" "$tmp/c/README.md"; then
	tap_ok "report: keeps and links the other results in the directory"
else
	tap_fail "report: keeps and links the other results in the directory" "soak-5.4.md lost or not linked"
fi

# No results: a clear failure, nothing pretended.
mkdir -p "$tmp/empty/results"
tap_expect_fail "report: empty results dir fails clearly" "no lab results in .*make lab" \
	env REPORT_BUILD="$tmp/empty" "$gen" "$tmp/d"
printf 'target\tvariant\trow\tstatus\thazards\tdetail\n' >"$tmp/empty/results/lab-matrix.tsv"
tap_expect_fail "report: a matrix without rows fails clearly" "no lab results in .*make lab" \
	env REPORT_BUILD="$tmp/empty" "$gen" "$tmp/d"
exit 0
