#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/report.sh [OUT_DIR]: regenerate the lab report (default
# docs/results/) from the last lab run in $BUILD:
#
#   $BUILD/results/lab-matrix.tsv     tests/lab-run.sh's table (the matrix)
#   $BUILD/results/lab-results.txt    RESULT lines (the last one per
#                                     target/variant/test is used)
#   $BUILD/results/repro-T-V.txt      make repro's per-boot RESULT lines
#   $BUILD/runs/T/V/TEST/serial.log   xrun-stress per-cycle lines
#   $BUILD/runs/T/V/TEST/run.log      kernel release, QEMU command, append
#   $BUILD/qemu/src.id, src.version  the QEMU series the lab ran
#
# Writes OUT_DIR/README.md and OUT_DIR/fig/ (recovery-latency histograms:
# .dat = the latencies read from serial.log, .gp = the gnuplot script,
# .png and .svg). Files of other generators in OUT_DIR are left alone.
# Every number printed is read or computed from those files; nothing else.
# Same inputs, same outputs: rows are sorted, the stamp is the time of
# lab-matrix.tsv (or SOURCE_DATE_EPOCH), and the figures carry no time.
#
# Environment: REPORT_BUILD (default $BUILD, ~/.cache/imx6-lab) is where
# results/, runs/ and qemu/ are read from; REPORT_CONF replaces
# tests/lab-matrix.conf and REPORT_TARGETS the targets/ directory whose
# TGT_EXPECT gives the expectations printed.

set -euo pipefail
export LC_ALL=C
TOP=$(cd "$(dirname "$0")/.." && pwd)
RB=${REPORT_BUILD:-${BUILD:-$HOME/.cache/imx6-lab}}
[ -d "$RB" ] && RB=$(cd "$RB" && pwd)
OUT=${1:-$TOP/docs/results}
RES=$RB/results
matrix=$RES/lab-matrix.tsv
results=$RES/lab-results.txt

die() { echo "error: $*" >&2; exit 1; }

rows=0
[ -s "$matrix" ] && rows=$(grep -vc '^target	' "$matrix" || true)
[ "$rows" -gt 0 ] || { [ -s "$results" ] && grep -aq '^RESULT ' "$results"; } ||
	die "no lab results in $RES (lab-matrix.tsv and lab-results.txt missing or without rows): run 'make lab' or 'make test-lab' first"
command -v gnuplot >/dev/null 2>&1 ||
	die "gnuplot not found; install Debian package gnuplot-nox (scripts/apt-setup.sh)"
[ -f "$results" ] || results=/dev/null
[ -f "$matrix" ] || matrix=/dev/null

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$OUT"
rm -rf "$OUT/fig"
mkdir -p "$OUT/fig"
FIG=$OUT/fig

# field LINE KEY: value of KEY=... (quoted or not) in a RESULT line.
field() {
	sed -n "s/.* $2=\(\"[^\"]*\"\|[^ ]*\).*/\1/p" <<<"$1" | tr -d '"'
}

# last_result T V TEST: the last RESULT line for that run.
last_result() {
	grep -a "^RESULT target=$1 variant=$2 test=$3 " "$results" | tail -n1 || true
}

# run_dir T V RESULT_LINE: the run directory its dir= names, also when
# BUILD moved; nothing when the line has none (the run printed no result,
# so its logs are not attributed to it).
run_dir() {
	local d
	d=$(field "$3" dir)
	[ -n "$d" ] || return 0
	if [ -d "$d" ]; then
		echo "$d"
	elif [ -d "$RB/runs/$1/$2/$(basename "$d")" ]; then
		echo "$RB/runs/$1/$2/$(basename "$d")"
	fi
	return 0
}

# rel PATH: PATH relative to the build dir, for the report.
rel() { case "$1" in "$RB"/*) echo "\$BUILD/${1#"$RB"/}" ;; *) echo "$1" ;; esac; }

# cycles SERIAL TEST: the xrun-stress per-cycle lines of that test, \r-free.
cycles() {
	tr -d '\r' <"$1" | sed -n "/^LAB-BEGIN $2\$/,/^LAB-END $2 /p" | grep -a '^cycle=' || true
}

# vrank VARIANT: unpatched, patched, then the layer variants by name.
vrank() { case "$1" in unpatched) echo "0 $1" ;; patched) echo "1 $1" ;; *) echo "2 $1" ;; esac; }

# Targets with RESULT lines but no row in lab-matrix.tsv (a matrix run
# that did not cover them or was cut short): their rows are made from the
# last RESULT line of each conf row (whole tests only) and variant, and
# reported apart, as not judged by the matrix runner.
conf=${REPORT_CONF:-$TOP/tests/lab-matrix.conf}
: >"$tmp/extra"
: >"$tmp/extra-targets"
sed -n 's/^RESULT target=\([^ ]*\) .*/\1/p' "$results" | sort -uV >"$tmp/result-targets"
while read -r t; do
	if awk -F'\t' -v t="$t" 'NR > 1 && $1 == t { f = 1 } END { exit !f }' "$matrix"; then
		continue
	fi
	echo "$t" >>"$tmp/extra-targets"
	awk '/^[ \t]*(#|$)/ { next } $1 !~ /\// { print $1, $2 }' "$conf" 2>/dev/null |
	while read -r row g; do
		sed -n "s/^RESULT target=$t variant=\([^ ]*\) test=$g .*/\1/p" "$results" | sort -u |
		while read -r v; do
			res=$(last_result "$t" "$v" "$g")
			vd=$(field "$res" verdict) hz=$(field "$res" hazards)
			printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$t" "$v" "$row" "${vd:-?}" "${hz:-?}" \
				"$(field "$res" reason)"
		done
	done >>"$tmp/extra"
done <"$tmp/result-targets"

# Matrix rows: targets in version order; per target, rows in the order the
# runner wrote them (the conf's), variants unpatched, patched, the others.
# A target, variant and row written twice (two runs appending to the same
# file) keeps its last line.
{ tail -n +2 "$matrix"; cat "$tmp/extra"; } | awk -F'\t' -v dupf="$tmp/dups" 'NF >= 4 {
		if (!(($1, $3) in first)) first[$1, $3] = NR
		k = $1 SUBSEP $2 SUBSEP $3
		if (k in line) dups++
		else keys[++n] = k
		r = $2 == "unpatched" ? 0 : $2 == "patched" ? 1 : 2
		line[k] = first[$1, $3] "\t" r "\t" $0 }
	END { for (i = 1; i <= n; i++) print line[keys[i]]; print dups + 0 >dupf }' |
	sort -t$'\t' -s -k3,3V -k1,1n -k2,2n -k4,4 | cut -f3- >"$tmp/matrix"
targets=$(cut -f1 "$tmp/matrix" | sort -uV)
# Variants in report order.
cut -f2 "$tmp/matrix" | sort -u | while read -r v; do vrank "$v"; done | sort -k1,1n -k2,2 |
	cut -d' ' -f2 >"$tmp/variants"

# Expectations of every target in the report: "target row variant want".
: >"$tmp/expect"
for t in $targets; do
	TARGETS_DIR=${REPORT_TARGETS:-${TARGETS_DIR:-$TOP/targets}} LAB_MATRIX=$conf \
		"$TOP/scripts/expect.sh" "$t" 2>/dev/null | sed "s/^/$t\t/" >>"$tmp/expect" || true
done

# Per matrix row: the row's facts, and its latencies for the figures.
: >"$tmp/rows"
: >"$tmp/kernels"
: >"$tmp/qopts"
while IFS=$'\t' read -r t v row st haz detail; do
	# The guest test of a row: "test", "test/case" or "test:aspect".
	g=${row%%[/:]*}
	res=$(last_result "$t" "$v" "$g")
	dir=$(run_dir "$t" "$v" "$res")
	dmesg=$(field "$res" dmesg)
	txd=$(field "$res" tx_discontinuities)
	ovr=$(field "$res" rx_overruns)
	slips=$(field "$res" slips)
	# the expectation of the target's TGT_EXPECT (a config flavour has
	# its base variant's)
	want=$(awk -F'\t' -v t="$t" -v v="${v%%+*}" -v r="$row" \
		'$1 == t && $2 == r && $3 == v { print $4; exit }' "$tmp/expect")
	case "$want" in
	'') want=- ;;
	fix) want="pass, 0 hazards, dmesg clean" ;;
	recovers) want="recovers: every XRUN recovers, 0 hazards, dmesg clean" ;;
	leak) want="leak: the test passes, kmemleak reports objects" ;;
	esac
	survived=- rel_dir=-
	if [ -n "$dir" ]; then
		rel_dir=$(rel "$dir")
		rel_k=$(sed -n 's/^kernel: .*(\(.*\))$/\1/p' "$dir/run.log" 2>/dev/null | head -n1 || true)
		[ -n "$rel_k" ] || rel_k=$(tr -d '\r' <"$dir/serial.log" 2>/dev/null |
			sed -n 's/^LAB-KERNEL //p' | head -n1 || true)
		if [ -n "$rel_k" ]; then printf '%s\t%s\t%s\n' "$t" "$v" "$rel_k" >>"$tmp/kernels"; fi
		if [ -f "$dir/run.log" ]; then
			qo=$(sed -n 's/^qemu: [^ ]*//p' "$dir/run.log" | head -n1 | sed 's/^ *//; s/ *$//' || true)
			echo "${qo:-none (host clock)}" >>"$tmp/qopts"
		fi
		if [ -f "$dir/serial.log" ] && [ "$row" = "$g" ]; then
			cycles "$dir/serial.log" "$g" >"$tmp/cyc"
			if [ -s "$tmp/cyc" ]; then
				req=$(sed -n 's/.*lab\.args="[^"]*-n \([0-9][0-9]*\).*/\1/p' "$dir/run.log" 2>/dev/null | head -n1 || true)
				# A cycle survived when every stream of it came back;
				# those whose data jumped are counted apart.
				survived=$(awk -v req="$req" '
					{ c = $1; sub(/^cycle=/, "", c)
					  if (!(c in seen)) { seen[c] = 1; n++ }
					  if ($4 != "outcome=ok") bad[c] = 1
					  else if ($7 == "continuous=0") disc[c] = 1 }
					END { ok = 0; d = 0
					  for (c in seen) if (!(c in bad)) { ok++; if (c in disc) d++ }
					  printf "%d/%d%s%s", ok, n, req != "" ? " of " req : "",
						d ? ", " d " with discontinuous data" : "" }' "$tmp/cyc")
				name=$(printf '%s-%s' "$t" "$row" | tr '/ ' '__')
				{
					echo "# latency_us of the outcome=ok cycles (every stream), in cycle order"
					echo "# from $(rel "$dir")/serial.log"
					awk '$4 == "outcome=ok" { l = $5; sub(/^latency_us=/, "", l); print l }' "$tmp/cyc"
				} >"$FIG/recovery-$name-$v.dat"
				awk '{ s = $6; sub(/^since_stop_us=/, "", s); print s }' \
					"$tmp/cyc" >"$tmp/since-$name-$v"
			fi
		fi
	fi
	[ -n "$res" ] || detail="${detail:+$detail; }no RESULT line in lab-results.txt"
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$t" "$v" "$row" "$want" "$st" \
		"$survived" "${haz:-?}" "${txd:--}/${ovr:--}/${slips:--}" "${dmesg:--}" "${detail:--}" "$rel_dir" >>"$tmp/rows"
done <"$tmp/matrix"

# stats FILE: n p50 p90 max (nearest rank) of one value per line, or "0 - - -".
stats() {
	grep -v '^#' "$1" | grep -E '^[0-9]+$' | sort -n | awk '
		{ v[++n] = $1 }
		function r(q,  i) { i = int(q * n); if (i < q * n) i++; if (i < 1) i = 1; return v[i] }
		END { if (!n) { print "0 - - -"; exit }
		      print n, r(0.5), r(0.9), v[n] }'
}
ms() { if [ "$1" = - ]; then echo -; else awk -v u="$1" 'BEGIN { printf "%.1f", u / 1000 }'; fi; }

# The figures: one per target and xrun row, unpatched vs patched.
: >"$tmp/figs"
# One figure per target and row: the .dat files' names without the variant.
: >"$tmp/fignames"
while read -r v; do
	for dat in "$FIG"/recovery-*-"$v".dat; do
		[ -e "$dat" ] || continue
		base=$(basename "${dat%-"$v".dat}")
		# "recovery-T-ROW" of a variant whose name ends like another's
		# (patched / unpatched) is told apart by the matrix's rows.
		t=${base#recovery-}; t=${t%%-*}
		if awk -F'\t' -v t="$t" -v v="$v" -v n="$base" '$1 == t && $2 == v {
			r = $3; gsub(/[\/ ]/, "_", r); if ("recovery-" t "-" r == n) f = 1 } END { exit !f }' \
			"$tmp/matrix"; then
			echo "$base"
		fi
	done
done <"$tmp/variants" >"$tmp/fignames"
sort -u "$tmp/fignames" | sort -V >"$tmp/figs"

while read -r name; do
	# Bins: the smallest 1/2/5 x 10^k us giving at most 25 bins up to the
	# highest p99 of the variants; what lies beyond goes to one last bar.
	max=0 cap=0 nv=0
	while read -r v; do
		f=$FIG/$name-$v.dat
		[ -f "$f" ] || continue
		read -r n _ _ m <<<"$(stats "$f")"
		[ "$n" -gt 0 ] || continue
		nv=$((nv + 1))
		p99=$(grep -E '^[0-9]+$' "$f" | sort -n | awk '{ v[++n] = $1 }
			END { i = int(0.99 * n); if (i < 0.99 * n) i++; print v[i] }')
		if [ "$m" -gt "$max" ]; then max=$m; fi
		if [ "$p99" -gt "$cap" ]; then cap=$p99; fi
	done <"$tmp/variants"
	binw=$(awk -v m="$cap" 'BEGIN { for (k = 1; ; k *= 10) { if (k >= m / 25) { print k; exit }
		if (2 * k >= m / 25) { print 2 * k; exit } if (5 * k >= m / 25) { print 5 * k; exit } } }')
	capb=$(((cap / binw + 1) * binw))
	over=0
	if [ "$max" -ge "$capb" ]; then
		over=$(while read -r v; do cat "$FIG/$name-$v.dat" 2>/dev/null || true; done <"$tmp/variants" |
			grep -E '^[0-9]+$' | awk -v c="$capb" '$1 >= c { n++ } END { print n + 0 }')
	fi
	# The highest bar, for integer y tics and room for the key.
	ymax=$(while read -r v; do
			if [ -f "$FIG/$name-$v.dat" ]; then
				grep -E '^[0-9]+$' "$FIG/$name-$v.dat" | sed "s/^/$v /" || true
			fi
		done <"$tmp/variants" |
		awk -v w="$binw" -v c="$capb" '{ i = $2 >= c ? c / w : int($2 / w); b[$1, i]++ }
			END { m = 1; for (i in b) if (b[i] > m) m = b[i]; print m }')
	ytic=$(awk -v m="$ymax" 'BEGIN { for (k = 1; ; k *= 10) { if (k >= m / 8) { print k; exit }
		if (2 * k >= m / 8) { print 2 * k; exit } if (5 * k >= m / 8) { print 5 * k; exit } } }')
	xmax=$(awk -v c="$capb" -v w="$binw" -v o="$over" 'BEGIN { printf "%g", (o ? c + w : c) / 1000 }')
	t=${name#recovery-}; t=${t%%-*}; row=${name#recovery-"$t"-}
	# Bars of the variants side by side inside each bin; a variant with no
	# recovered cycle only gets its key entry.
	k=0 c=0
	plots=()
	while read -r v; do
		f=$FIG/$name-$v.dat
		[ -f "$f" ] || continue
		read -r n p50 _ _ <<<"$(stats "$f")"
		case "$v" in
		unpatched) color='#d62728' ;;
		patched) color='#1f77b4' ;;
		*) color=$(echo '#2ca02c #ff7f0e #9467bd #8c564b' | cut -d' ' -f$(((c % 4) + 1))); c=$((c + 1)) ;;
		esac
		if [ "$n" -eq 0 ]; then
			plots+=("NaN with boxes lc rgb '$color' title '$v: 0 recoveries'")
			continue
		fi
		shift=$(awk -v k="$k" -v n="$nv" 'BEGIN { printf "%+g", (k + 0.5) / n - 0.5 }')
		k=$((k + 1))
		plots+=("'$(basename "$f")' using (bin(\$1) $shift * binw):(1) smooth frequency with boxes lc rgb '$color' title '$v: $n recoveries, median $(ms "$p50") ms'")
	done <"$tmp/variants"
	gp=$FIG/$name.gp
	{
		echo "# $name.gp: made by scripts/report.sh; run it in this directory:"
		echo "#   gnuplot $name.gp"
		echo "# Histogram of the recovery latency (xrun-stress latency_us of the"
		echo "# cycles that recovered) of $row on $t, one bar per kernel variant."
		echo "binw = $binw.0 / 1000   # bin width, ms"
		echo "cap = $capb.0 / 1000    # values at or above go to the last bar"
		echo "bin(x) = (x / 1000 >= cap ? cap : binw * floor(x / 1000 / binw)) + binw / 2"
		echo "set title '$t $row: XRUN recovery latency (lab QEMU, TCG)' noenhanced"
		echo "set xlabel 'recovery latency (ms): -EPIPE to the first period read/written after the restart'"
		echo "set ylabel 'recoveries'"
		echo "set xrange [0:$xmax]"
		echo "set yrange [0:$((ymax + ytic + (ymax + 3) / 4))]"
		echo "set ytics $ytic"
		echo "set key top right noenhanced"
		echo "set style fill solid 0.6 border"
		echo "set boxwidth binw / $((nv > 0 ? nv : 1))"
		echo "set grid ytics"
		if [ "$over" -gt 0 ]; then
			echo "set label 2 sprintf('last bar: %g ms or more ($over)', cap) at graph 0.99, graph 0.80 right noenhanced"
		fi
		if [ "$nv" -eq 0 ]; then
			echo "set label 1 'no cycle recovered' at graph 0.5, 0.5 center"
			echo "set xrange [0:1]"
			plots+=("NaN notitle")
		fi
		echo "set terminal pngcairo size 800,480 font 'DejaVu Sans,10'"
		echo "set output '$name.png'"
		echo "plot $(printf '%s, ' "${plots[@]}" | sed 's/, $//')"
		echo "set terminal svg size 800,480 font 'DejaVu Sans,10'"
		echo "set output '$name.svg'"
		echo "replot"
	} >"$gp"
	(cd "$FIG" && gnuplot "$name.gp" 2>"$tmp/gp.err") ||
		die "gnuplot failed on $gp: $(tail -n1 "$tmp/gp.err")"
	echo "$name" >>"$tmp/figs.done"
done <"$tmp/figs"

# filetime FILE: its modification time, or SOURCE_DATE_EPOCH when set.
filetime() {
	if [ -n "${SOURCE_DATE_EPOCH:-}" ]; then
		date -u -d "@$SOURCE_DATE_EPOCH" '+%Y-%m-%d %H:%M UTC (SOURCE_DATE_EPOCH)'
	else
		date -u -r "$1" '+%Y-%m-%d %H:%M UTC' 2>/dev/null || echo unknown
	fi
}

# Stamp.
if [ -n "${SOURCE_DATE_EPOCH:-}" ]; then
	stamp=$(date -u -d "@$SOURCE_DATE_EPOCH" '+%Y-%m-%d %H:%M UTC')
	stamp_src="SOURCE_DATE_EPOCH"
else
	stamp=$(date -u -r "$matrix" '+%Y-%m-%d %H:%M UTC')
	stamp_src="time of \`results/lab-matrix.tsv\`"
fi
qid=$(cut -c1-12 "$RB/qemu/src.id" 2>/dev/null || true)
qbase=$(cat "$RB/qemu/src.version" 2>/dev/null || cat "$RB/qemu/base.version" 2>/dev/null || true)
# The id lab/qemu/build.sh gives the repository's series now.
series=$TOP/lab/qemu/patches/series
rid=$( (cat "$TOP/lab/qemu/qemu.conf"; [ -f "$series" ] &&
	while read -r p; do
		case "$p" in ''|'#'*) continue ;; esac
		cat "$TOP/lab/qemu/patches/$p"
	done <"$series") 2>/dev/null | sha256sum | cut -c1-12)
npatch=$(grep -cv '^\(#\|$\)' "$series" 2>/dev/null || echo 0)
cpu=$(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo 2>/dev/null | head -n1)

md=$OUT/README.md
{
	echo "# Lab results"
	echo
	echo "Generated by \`make report\` (\`scripts/report.sh\`) from the last lab run"
	echo "in \`\$BUILD\` (default \`~/.cache/imx6-lab\`): \`results/lab-matrix.tsv\`,"
	echo "\`results/lab-results.txt\`, \`results/repro-*.txt\` and the guest logs under"
	echo "\`runs/\`. Do not edit by hand; run \`make report\` again. How the lab works"
	echo "and what it does not model: [../design.md](../design.md)."
	echo
	echo "- Lab run: $stamp ($stamp_src)"
	kl=$(sort -u "$tmp/kernels" | while IFS=$'\t' read -r t v k; do
			printf '%s\t%s\t%s\t%s\n' "$t" "$(vrank "$v" | cut -d' ' -f1)" "$v" "$k"; done |
		sort -s -t$'\t' -k1,1V -k2,2n -k3,3 | cut -f1,3,4 |
		awk -F'\t' '{ printf "%s%s %s `%s`", (NR > 1 ? "; " : ""), $1, $2, $3 }')
	echo "- Kernels (\`uname -r\` in the guest): ${kl:-not found in the run logs}"
	if [ -n "$qid" ]; then
		same="the repository's lab/qemu/patches gives the same id"
		[ "$qid" = "$rid" ] || same="the repository's lab/qemu/patches now gives $rid"
		echo "- QEMU: Debian qemu ${qbase:-?} + lab/qemu/patches ($npatch patches),"
		echo "  series id \`$qid\` (\`\$BUILD/qemu/src.id\`; $same)"
	else
		echo "- QEMU: series id not recorded (no \`\$BUILD/qemu/src.id\`); the repository's"
		echo "  lab/qemu/patches ($npatch patches) gives \`$rid\`"
	fi
	if [ -s "$tmp/qopts" ]; then
		echo "- QEMU timing options of these runs (their run.log): $(sort "$tmp/qopts" | uniq -c |
			awk '{ n = $1; $1 = ""; sub(/^ /, ""); printf "%s`%s` (%d runs)", (NR > 1 ? ", " : ""), $0, n }')"
	fi
	echo "- Host: $(nproc) CPUs (\`nproc\`), $(uname -m)${cpu:+, $cpu}; the guest runs"
	echo "  under QEMU TCG (emulated, not real time)"
	echo
	echo "## Matrix"
	echo
	echo "One line per target, variant and row of \`tests/lab-matrix.conf\`, as"
	echo "\`tests/lab-run.sh\` judged it. *Expected* is the rule the runner applies"
	echo "(the target's TGT_EXPECT in \`targets/TARGET.conf\`; fail means the race"
	echo "shows, hazard that the SDMA model counted a settle hazard, leak that"
	echo "kmemleak reported the objects the kmemleak-control row leaks on purpose)."
	echo "*Guest verdict* is the guest test's own"
	echo "result, before that rule: a \"recovers\" row meets its rule with a"
	echo "guest verdict of fail when every XRUN recovered but some data broke"
	echo "(the breaks are counted under *cycles survived*)."
	echo "*Cycles survived*: XRUN cycles in which every stream recovered"
	echo "(\`outcome=ok\`) / cycles run, of the \`-n\` asked for, and how many of"
	echo "them read data that did not continue the pattern (\`continuous=0\`); the"
	echo "run stops at the first cycle that does not recover; - when the run"
	echo "printed no result or no cycle. *Hazards*: \`imx_sdma_settle_hazard\`"
	echo "events in the run's trace.log (a channel reprogrammed inside the 1 ms"
	echo "settle window after a stop). *SSI*: trace events of the SSI model, tx breaks"
	echo "(\`imx_ssi_tx_discontinuity\`: played data not continuing the pattern) /"
	echo "rx overruns (\`imx_ssi_rx_overrun\`) / slips (\`imx_ssi_slip\`: QEMU fell"
	echo "behind the frame clock; data checks are then inconclusive); - when the"
	echo "RESULT line does not have the count. *dmesg*: clean; leak when kmemleak's"
	echo "unreferenced objects are all the guest's log had; bad for anything else"
	echo "(lockdep, sleeping in atomic context, list or slab corruption, KASAN,"
	echo "an oops or a WARN: the reason names the first one)."
	echo
	table() { # table 0|1: the rows of the matrix (0) or of the extra targets (1)
		echo "| target | variant | row | expected | guest verdict | cycles survived | SDMA settle hazards | SSI tx breaks/rx overruns/slips | dmesg | reason |"
		echo "|---|---|---|---|---|---|---|---|---|---|"
		awk -F'\t' -v want="$1" 'FILENAME == ARGV[1] { x[$1] = 1; next }
			((($1 in x) ? 1 : 0) == want) { gsub(/\|/, "\\|", $10)
			printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 }' \
			"$tmp/extra-targets" "$tmp/rows"
		echo
	}
	if [ "$(cat "$tmp/dups")" -gt 0 ]; then
		echo "\`results/lab-matrix.tsv\` holds $(cat "$tmp/dups") earlier line(s) for a target,"
		echo "variant and row that a later line repeats (two runs wrote to it); the"
		echo "later line is used."
		echo
	fi
	if [ "$rows" -gt 0 ]; then
		table 0
	else
		echo "\`results/lab-matrix.tsv\` has no rows."
		echo
	fi
	if [ -s "$tmp/extra-targets" ]; then
		echo "### Targets without rows in lab-matrix.tsv"
		echo
		echo "\`results/lab-results.txt\` has runs of $(paste -sd' ' "$tmp/extra-targets" | sed 's/ /, /g')"
		echo "but the last \`lab-matrix.tsv\` has no row for them (the matrix run that"
		echo "wrote it did not cover them, or stopped early). These rows are the last"
		echo "RESULT line of each target, variant and test of the conf: *verdict* is"
		echo "the guest run's own verdict (\`lab/verdict.sh\`), not judged by"
		echo "\`tests/lab-run.sh\`; the time of \`results/lab-results.txt\` is"
		echo "$(filetime "$results")."
		echo
		table 1
	fi
	echo "Run directories (serial.log, trace.log, run.log, result):"
	echo
	awk -F'\t' '$11 != "-" && !seen[$11]++ { printf "- %s %s %s: `%s`\n", $1, $2, $3, $11 }' "$tmp/rows"
	echo
	echo "## Reproduction rate"
	echo
	repro=$(find "$RES" -maxdepth 1 -name 'repro-*.txt' ! -name 'repro-late-*' -size +0 -printf '%f\n' | sort -V)
	if [ -n "$repro" ]; then
		echo "From \`make repro\` (\`scripts/bench-repro.sh\`): each boot runs xrun-stress"
		echo "capture for up to the asked cycles and stops at the first failure. A"
		echo "boot *shows the race* when its verdict is fail."
		echo
		echo "| target | variant | boots | race shown | eio | timeout | passed | could not run | cycles per boot (min/median/max) | SDMA settle hazards | XRUN method | icount |"
		echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
		for f in $repro; do
			tv=${f#repro-}; tv=${tv%.txt}
			rv=${tv#*-} rt=${tv%%-*}
			first=$(grep -a -m1 '^RESULT' "$RES/$f" || true)
			d=$(run_dir "$rt" "$rv" "$first")
			icount=$(sed -n 's/^qemu: .*-icount shift=\([0-9]*\).*/shift=\1/p' "$d/run.log" 2>/dev/null | head -n1 || true)
			[ -n "$icount" ] || { [ -f "$d/run.log" ] && icount=off || icount='?'; }
			stall=$(sed -n 's/.*lab\.args="[^"]*-s \([a-z]*\).*/\1/p' "$d/run.log" 2>/dev/null | head -n1 || true)
			[ -n "$stall" ] || { [ -f "$d/run.log" ] && stall="sleep (default)" || stall='?'; }
			awk -v t="$rt" -v v="$rv" -v ic="$icount" -v st="$stall" '
				/^RESULT / {
					n++
					if ($0 ~ / verdict=pass /) pass++
					else if ($0 ~ / verdict=error /) err++
					else fail++
					if (match($0, / hazards=[0-9]+/)) hz += substr($0, RSTART + 9, RLENGTH - 9)
					if (match($0, /,eio=[0-9]+/) && substr($0, RSTART + 5, RLENGTH - 5) > 0) eio++
					if (match($0, /,timeout=[0-9]+/) && substr($0, RSTART + 9, RLENGTH - 9) > 0) tmo++
					if (match($0, /,cycles=[0-9]+/)) c[++m] = substr($0, RSTART + 8, RLENGTH - 8) + 0
				}
				END {
					for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (c[j] < c[i]) { x = c[i]; c[i] = c[j]; c[j] = x }
					cyc = m ? sprintf("%d/%d/%d", c[1], c[int((m + 1) / 2)], c[m]) : "-"
					printf "| %s | %s | %d | %d/%d (%.0f%%) | %d | %d | %d | %d | %s | %d | %s | %s |\n",
						t, v, n, fail, n, n ? 100 * fail / n : 0, eio, tmo, pass, err, cyc, hz, st, ic
				}' "$RES/$f"
		done
		echo
	fi
	missing=
	for t in $targets; do
		for v in unpatched patched; do
			[ -s "$RES/repro-$t-$v.txt" ] || missing="$missing $t/$v"
		done
	done
	if [ -n "$missing" ]; then
		echo "Not measured for:$missing. Run"
		echo
		for tv in $missing; do
			echo "    make repro TARGET=${tv%/*} VARIANT=${tv#*/} RUNS=20 CYCLES=100"
		done
		echo
		echo "then \`make report\`."
		echo
	fi
	late=$(find "$RES" -maxdepth 1 -name 'repro-late-*.txt' -size +0 -printf '%f\n' | sort -V)
	if [ -n "$late" ]; then
		echo "### Late period interrupts, stock arecord and aplay"
		echo
		echo "From \`make repro REPRO_TEST=late-irq\`: each boot runs late-irq.sh"
		echo "(arecord, then aplay, 9 s each, 64-frame periods, 960-frame buffer)"
		echo "while the SDMA model holds a random 1 in 50 period interrupts back"
		echo "until the buffer is full (late-irq-seed = the boot's number). A tool"
		echo "*fails* when it ends in an error after an XRUN; *no XRUN* counts the"
		echo "boots where the late interrupts did not reach it or the boot did not"
		echo "get to it. Boots that could not run are left out of the rates."
		echo
		echo "| target | variant | boots | arecord failed | aplay failed | no XRUN (arecord/aplay) | late interrupts per boot (mean/max) | could not run |"
		echo "|---|---|---|---|---|---|---|---|"
		for f in $late; do
			tv=${f#repro-late-}; tv=${tv%.txt}
			awk -v t="${tv%%-*}" -v v="${tv#*-}" '
				/ late_irqs=/ {
					n++
					if ($0 ~ / verdict=error /) { err++; next }
					m++
					if ($0 ~ / capture=fail/) cf++
					if ($0 ~ / playback=fail/) pf++
					if ($0 ~ / capture=(noxrun|none)/) cn++
					if ($0 ~ / playback=(noxrun|none)/) pn++
					if (match($0, / late_irqs=[0-9]+/)) { l = substr($0, RSTART + 11) + 0; lt += l; if (l > lmax) lmax = l }
				}
				END {
					printf "| %s | %s | %d | %d/%d (%.0f%%) | %d/%d (%.0f%%) | %d/%d | %.1f/%d | %d |\n",
						t, v, n, cf, m, m ? 100 * cf / m : 0, pf, m, m ? 100 * pf / m : 0,
						cn, pn, m ? lt / m : 0, lmax, err
				}' "$RES/$f"
		done
		echo
	fi
	echo "## Recovery latency"
	echo
	echo "\`latency_us\` of xrun-stress: from the \`-EPIPE\` return to the first full"
	echo "period moved after the restart, for the cycles that recovered, read from"
	echo "the per-cycle lines of each run's serial.log. Unpatched runs stop at the"
	echo "first failed cycle, so they contribute only the cycles before it."
	echo "*Recoveries*: streams that came back (a duplex cycle counts each of its"
	echo "two streams). Percentiles are nearest-rank. *Stop to prepare*:"
	echo "\`since_stop_us\` over every cycle run, failed ones included: the time"
	echo "from the kernel's XRUN stop to the recovery's prepare (the race window is"
	echo "the ~1 ms before imx-sdma's terminate worker runs). Guest time under TCG:"
	echo "compare variants on the same host, not with hardware."
	echo
	echo "| target | row | variant | recoveries | p50 (ms) | p90 (ms) | max (ms) | stop to prepare p50 (us) |"
	echo "|---|---|---|---|---|---|---|---|"
	while read -r name; do
		t=${name#recovery-}; t=${t%%-*}; row=${name#recovery-"$t"-}
		while read -r v; do
			f=$FIG/$name-$v.dat
			[ -f "$f" ] || continue
			read -r n p50 p90 m <<<"$(stats "$f")"
			read -r _ s50 _ _ <<<"$(stats "$tmp/since-${name#recovery-}-$v")"
			echo "| $t | $row | $v | $n | $(ms "$p50") | $(ms "$p90") | $(ms "$m") | $s50 |"
		done <"$tmp/variants"
	done <"$tmp/figs"
	echo
	if [ -s "$tmp/figs" ]; then
		echo "Each figure: \`fig/NAME.dat\` holds the latencies (one per line, with the"
		echo "serial.log they come from), \`fig/NAME.gp\` draws them. To redraw one"
		echo "figure from its data, or all of them from the lab run:"
		echo
		echo "    (cd docs/results/fig && gnuplot NAME.gp)"
		echo "    make report BUILD=<the lab's build dir>"
		echo
		while read -r name; do
			t=${name#recovery-}; t=${t%%-*}; row=${name#recovery-"$t"-}
			echo "### $t $row"
			echo
			echo "![$t $row recovery latency](fig/$name.png)"
			echo
			echo "[SVG](fig/$name.svg). Reproduce: \`(cd docs/results/fig && gnuplot $name.gp)\`"
			echo
		done <"$tmp/figs"
	else
		echo "No run printed per-cycle lines: no figure."
		echo
	fi
	others=$(find "$OUT" -maxdepth 1 -name '*.md' ! -name README.md -printf '%f\n' | sort -V)
	if [ -n "$others" ]; then
		echo "## Other results in this directory"
		echo
		for o in $others; do echo "- [$o]($o)"; done
		echo
	fi
} >"$md"

for f in "$FIG"/*.png; do
	[ -e "$f" ] || continue
	[ "$(stat -c %s "$f")" -lt 102400 ] || echo "warning: $f is $(stat -c %s "$f") bytes (>= 100 KiB)" >&2
done
echo "report: $md ($(grep -c '^| ' "$md") table lines, $(find "$FIG" -name '*.png' | wc -l) figures)"
