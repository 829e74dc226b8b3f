#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/lab-run.sh [TARGET...]: the lab matrix. For every target whose
# kernels are built (make kernel ... VARIANT=unpatched and patched), boot
# each guest test of tests/lab-matrix.conf on the lab QEMU, once per
# variant, and hold every row to the target's expectation (TGT_EXPECT in
# targets/TARGET.conf, read by scripts/expect.sh, which has the format):
#
#   fix        the row passes, no SDMA settle hazard, dmesg clean (the
#              default for patched)
#   pass       the row passes (hazards reported)
#   recovers   xrun rows: every XRUN recovery completes, no hazard, dmesg
#              clean; breaks in the data reported, not judged
#   fail       the bug is reproduced: the guest ran the test to its end
#              and the test failed
#   hazard     the SDMA model saw the channel reprogrammed inside its
#              settle time at least once
#   leak       the test passed and a kmemleak report alone failed the run
#              (the positive control of the leak check)
#   any        reported, not judged
#
# A row expected to fail unpatched and to pass patched is a race test that
# shows, in the same run, that it can fail and that the series fixes it.
#
# Layer variants (kernels with part of the series, declared per target in
# targets/TARGET.conf TGT_VARIANTS, e.g. 5.4's pcm-only and sdma-only) run
# when LAB_VARIANTS names them, on the targets that declare them, only the
# rows whose TGT_EXPECT line names them, each with its own TAP line:
# "5.4 pcm-only: xrun-capture passes ...".
#
# Config flavours (VARIANT=BASE+FLAVOUR, e.g. patched+kasan: the same tree
# built with lab/configs/FLAVOUR.config, see scripts/kernel.sh) run when
# LAB_VARIANTS names them, e.g. LAB_VARIANTS="unpatched+kasan patched+kasan"
# (make kasan). Each is held to its BASE's expectations; the TAP line names
# the flavoured variant ("6.12 xrun-capture: unpatched+kasan pass;
# patched+kasan pass").
#
# Prints TAP (one line per target and row, plus one per layer variant and
# row) and a table; the RESULT lines and the table are kept in
# $BUILD/results/.
#
# Environment: LAB_TESTS="a b" runs only those rows; LAB_VARIANTS
# (default "unpatched patched"; may add layer variants); LAB_CYCLES
# overrides the cycle count of the xrun rows (@CYCLES@ in the conf);
# LAB_TIMEOUT per guest run; LAB_JOBS guests booted at once (default: one
# per host CPU in icount mode, 1 with LAB_ICOUNT=off); LAB_MATRIX another
# matrix conf, TARGETS_DIR other target files; LAB_RESULTS another results
# directory.
#
# Boots are reused (lab/run-guest.sh, LAB_REUSE=1): a boot whose kernel,
# DTB, initrd, QEMU binary and command line are those of the boot kept in
# its run directory is not run again, only judged again; the runner
# prints how many boots it ran and how many it reused. LAB_FRESH=1 runs
# every boot; LAB_ICOUNT=off never reuses.

set -uo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
. "$TOP/tests/lib.sh"
S=$TOP/scripts
conf=${LAB_MATRIX:-$TOP/tests/lab-matrix.conf}
results=${LAB_RESULTS:-$BUILD/results}
mkdir -p "$results"
cycles=${LAB_CYCLES:-200}
variants=${LAB_VARIANTS:-unpatched patched}
# Guests booted at once. In icount mode (the default) a guest's timing
# does not depend on the host's load and each QEMU runs its vCPUs in one
# thread, so the boots of a target run one per host CPU; on the host
# clock (LAB_ICOUNT=off) one at a time, as load would change the results.
if [ "${LAB_ICOUNT:-0}" = off ]; then njobs=${LAB_JOBS:-1}; else njobs=${LAB_JOBS:-$(nproc)}; fi
case "$njobs" in ''|*[!0-9]*|0) echo "not ok - LAB_JOBS=$njobs: want a number >= 1"; exit 1 ;; esac

[ $# -gt 0 ] || set -- ${TARGETS:-$(default_targets)}
targets=("$@")

# Rows: name guest-test args
# A guest test boots once per variant with one set of args: its run
# directory is named after the test alone, and boots run concurrently.
declare -a R_NAME R_TEST R_ARGS
declare -A T_ARGS=()
while IFS= read -r line; do
	case "$line" in ''|'#'*) continue ;; esac
	eval "set -- $line" 2>/dev/null || { echo "not ok - $conf: bad line: $line"; exit 1; }
	[ $# -eq 3 ] || { echo "not ok - $conf: want 3 fields (row test args): $line"; exit 1; }
	if [ -n "${T_ARGS[$2]+set}" ] && [ "${T_ARGS[$2]}" != "$3" ]; then
		echo "not ok - $conf: rows of test $2 with other args (\"${T_ARGS[$2]}\", \"$3\") would share its run directory"
		exit 1
	fi
	T_ARGS[$2]=$3
	R_NAME+=("$1") R_TEST+=("$2") R_ARGS+=("${3//@CYCLES@/$cycles}")
done <"$conf"

# Expectations: "target variant row" -> fix|pass|recovers|fail|hazard|any,
# from each target's TGT_EXPECT (scripts/expect.sh).
declare -A L_EXP=()
for t in "${targets[@]}"; do
	[ -f "${TARGETS_DIR:-$TOP/targets}/$t.conf" ] || continue
	if ! ex=$("$S/expect.sh" "$t" 2>&1); then
		echo "not ok - $t: expectations: $(head -n1 <<<"$ex")"
		exit 1
	fi
	while IFS=$'\t' read -r er ev ee; do
		L_EXP["$t $ev $er"]=$ee
	done <<<"$ex"
done

# layer_row TARGET VARIANT ROW: whether VARIANT runs ROW (unpatched and
# patched run every row; a layer variant only those its target's
# TGT_EXPECT names it in).
layer_row() {
	case "${2%%+*}" in unpatched|patched) return 0 ;; esac
	[ -n "${L_EXP["$1 ${2%%+*} $3"]:-}" ]
}

# target_variants TARGET: the LAB_VARIANTS this target has (unpatched,
# patched, and the layer variants its conf declares).
target_variants() {
	local decl v out=
	# shellcheck disable=SC1090
	decl=$(TGT_VARIANTS=; . "${TARGETS_DIR:-$TOP/targets}/$1.conf" 2>/dev/null
		for v in ${TGT_VARIANTS:-}; do echo "${v%%:*}"; done)
	for v in $variants; do
		case "$v" in
		*+*)	# BASE+FLAVOUR: a config flavour of BASE
			[ -f "$TOP/lab/configs/${v#*+}.config" ] || continue ;;
		esac
		case "${v%%+*}" in
		unpatched|patched) out="$out $v" ;;
		*) grep -qx -- "${v%%+*}" <<<"$decl" && out="$out $v" ;;
		esac
	done
	echo "${out# }"
}

# judge WANT STATUS HAZARDS ENDED [RESULT]: 0 when a run meets WANT (fix,
# pass, recovers, fail, hazard, leak, any); prints what it saw.
judge() {
	local want=$1 st=$2 haz=${3:-0} ended=$4 res=${5:-} sum bad disc leaks
	case "$want" in
	recovers)
		# Every XRUN recovery completed (xrun-stress: no eio, timeout or
		# other failure in any stream), no hazard, dmesg clean; breaks in
		# the data are reported, not judged.
		sum=$(field "$res" summary)
		bad=$(grep -oE '(eio|timeout|other)=[1-9][0-9]*' <<<"$sum" | paste -sd' ')
		disc=$(grep -oE 'stream=[a-z]+,cycles=[0-9]+|discontinuous=[0-9]+' <<<"$sum" |
			sed 's/stream=//; s/,cycles=/ /; s/discontinuous=//' | paste -d' ' - - |
			awk '$3 > 0 { printf "%s%s: %d of %d cycles with broken data", s, $1, $3, $2; s = "; " }')
		if [ "$ended" != yes ] || [ -z "$sum" ]; then echo "$st, the test did not run to its end"; return 1; fi
		if [ -n "$bad" ]; then echo "a recovery failed ($bad)"; return 1; fi
		if [ "$(field "$res" dmesg)" != clean ]; then echo "$st, dmesg not clean"; return 1; fi
		if [ "$haz" != 0 ]; then echo "recovers but $haz SDMA settle hazards"; return 1; fi
		echo "recovers every cycle, 0 hazards${disc:+ ($disc: reported, not judged)}" ;;
	fix)
		if [ "$st" != pass ]; then echo "$st"; return 1; fi
		if [ "$haz" != 0 ]; then echo "pass but $haz SDMA settle hazards"; return 1; fi
		echo "passes, 0 hazards" ;;
	pass)
		if [ "$st" != pass ]; then echo "$st, expected pass"; return 1; fi
		echo "passes ($haz hazards)" ;;
	fail)
		if [ "$st" = fail ] && [ "$ended" = yes ]; then echo "fails as expected"
		else echo "$st, expected the bug to show"; return 1; fi ;;
	leak)
		# kmemleak's report is all that failed the run: the test
		# itself passed (verdict.sh's test_verdict) and kmemleak's
		# objects are all dmesg had (dmesg=leak, not bad).
		leaks=$(field "$res" kmemleak)
		if [ "$ended" = yes ] && [ "$st" = fail ] && [ "${leaks:-0}" -gt 0 ] 2>/dev/null &&
		   [ "$(field "$res" test_verdict)" = pass ] &&
		   [ "$(field "$res" dmesg)" = leak ]; then
			echo "kmemleak reports the ${leaks} objects left unreferenced"
		else echo "$st, kmemleak=${leaks:-?}: expected the test to pass and kmemleak alone to fail it"; return 1; fi ;;
	hazard)
		if [ "$haz" -gt 0 ] && [ "$ended" = yes ]; then
			echo "reprograms a settling channel as expected ($haz hazards)"
		else echo "showed no SDMA settle hazard, expected some"; return 1; fi ;;
	*) echo "$st (not judged)" ;;
	esac
}

selected() {
	[ -z "${LAB_TESTS:-}" ] && return 0
	local t
	for t in $LAB_TESTS; do [ "$t" = "$1" ] && return 0; done
	return 1
}

# subtest_status FILE NAME: pass|fail|skip|missing for KTAP line "... NAME"
subtest_status() {
	local l
	l=$(sed -n '/^LAB-BEGIN /,/^LAB-END /p' "$1" | tr -d '\r' |
		grep -m1 -E "^ *(not )?ok [0-9]+ (- )?$2( |\$)")
	case "$l" in
	'') echo missing ;;
	*'# SKIP'*|*'# skip'*) echo skip ;;
	*'not ok'*) echo fail ;;
	*) echo pass ;;
	esac
}

# hazard_split DIR: "INSIDE LATE" from the run's SDMA settle hazard trace
# lines ("chN what S ns after stop, inside the W ns settle window"). The
# model flags a channel start while its settle timer is pending; on a
# loaded host that QEMU timer can run late, so a start S >= W after the
# stop is flagged too. Only S < W is a hazard; the others are "late".
hazard_split() {
	awk '/imx_sdma_settle_hazard/ {
		s = -1; w = -1
		for (i = 2; i < NF; i++) {
			if ($(i + 1) == "ns" && $(i + 2) == "after") s = $i + 0
			if ($(i + 1) == "ns" && $(i + 2) == "settle") w = $i + 0
		}
		if (s >= 0 && w >= 0 && s >= w) l++; else h++
	} END { print h + 0, l + 0 }' "$1/trace.log" 2>/dev/null || echo "0 0"
}

# subtest_reason FILE NAME: the diagnostic of the failing KTAP line NAME
subtest_reason() {
	sed -n '/^LAB-BEGIN /,/^LAB-END /p' "$1" | tr -d '\r' |
		grep -m1 -E "^ *not ok [0-9]+ (- )?$2( |\$)" | sed -n 's/^[^#]*# *//p' | cut -c1-120
}

field() { # field RESULT_LINE KEY
	sed -n "s/.* $2=\(\"[^\"]*\"\|[^ ]*\).*/\1/p" <<<"$1" | tr -d '"'
}

export LAB_REUSE=${LAB_REUSE:-1}
n_new=0 n_reused=0

matrix=$results/lab-matrix.tsv
printf 'target\tvariant\trow\tstatus\thazards\tdetail\n' >"$matrix"
fail=0
# The boots of every target go to one pool (no target waits for the last
# boot of the one before), after their kernels' modules and initrds.
J_T=() J_V=() J_G=() J_A=() J_KEY=()	# the boots: target, variant, test, args, key
declare -A TV=()	# target -> its variants
run_targets=()
for t in "${targets[@]}"; do
	if ! target_available "$t"; then
		tap_skip "$t: lab matrix" "$(target_missing_why "$t")"
		continue
	fi
	run_targets+=("$t")
	tvariants=$(target_variants "$t")
	TV[$t]=$tvariants
	for v in $tvariants; do
		if [ ! -f "$BUILD/out/$t/$v/zImage" ]; then
			tap_fail "$t $v: lab kernel" "not built (make kernel TARGET=$t VARIANT=$v; a layer variant needs make series TARGET=$t VARIANT=$v first)"
			fail=1
			continue
		fi
		if ! out=$("$TOP/lab/tools/sdma-client/build.sh" "$t" "$v" 2>&1); then
			tap_fail "$t $v: sdma_client.ko builds" "$(tail -n1 <<<"$out")"
			fail=1
		fi
		if ! out=$("$TOP/lab/rootfs/build.sh" --modules "$BUILD/out/$t/$v" 2>&1); then
			tap_fail "$t $v: lab initrd" "$(tail -n1 <<<"$out")"
			fail=1
			continue
		fi
		declare -A done_test=()
		for i in "${!R_NAME[@]}"; do
			selected "${R_NAME[$i]}" || continue
			layer_row "$t" "$v" "${R_NAME[$i]}" || continue
			g=${R_TEST[$i]}
			key="$g ${R_ARGS[$i]}"
			[ -n "${done_test[$key]:-}" ] && continue
			done_test[$key]=1
			J_T+=("$t") J_V+=("$v") J_G+=("$g") J_A+=("${R_ARGS[$i]}") J_KEY+=("$key")
		done
		unset done_test
	done
done

# The boots, LAB_JOBS at a time, the longest first (as long as its last
# boot in this BUILD took; a boot never run counts as long, in matrix
# order); their RESULT lines are read in job order.
jd=$(mktemp -d)
order=$(for j in "${!J_V[@]}"; do
	secs=$(sed -n 's/^exit=[0-9]* //p' "$BUILD/runs/${J_T[$j]}/${J_V[$j]}/${J_G[$j]}${LAB_RUN_ID:+-$LAB_RUN_ID}/boot" 2>/dev/null)
	printf '%s %s\n' "${secs:-9999}" "$j"
done | sort -s -k1,1nr | cut -d' ' -f2)
for j in $order; do
	while [ "$(jobs -pr | wc -l)" -ge "$njobs" ]; do wait -n; done
	"$TOP/lab/run-guest.sh" "${J_T[$j]}" "${J_V[$j]}" "${J_G[$j]}" "${J_A[$j]}" 2>&1 |
		grep '^RESULT' | tail -n1 >"$jd/$j" &
done
wait

for t in "${run_targets[@]}"; do
	declare -A run=()	# "variant test" -> RESULT line
	tvariants=${TV[$t]}
	for j in "${!J_V[@]}"; do
		[ "${J_T[$j]}" = "$t" ] || continue
		res=$(cat "$jd/$j")
		[ -n "$res" ] || res="RESULT target=$t variant=${J_V[$j]} test=${J_G[$j]} verdict=error reason=\"run-guest.sh printed no result\""
		echo "# $res"
		echo "$res" >>"$results/lab-results.txt"
		case "$res" in
		*' boot=reused'*) n_reused=$((n_reused + 1)) ;;
		*) n_new=$((n_new + 1)) ;;
		esac
		run["${J_V[$j]} ${J_KEY[$j]}"]=$res
	done

	for i in "${!R_NAME[@]}"; do
		selected "${R_NAME[$i]}" || continue
		name=${R_NAME[$i]} g=${R_TEST[$i]} key="${R_TEST[$i]} ${R_ARGS[$i]}"
		sub=
		case "$name" in */*) sub=${name#*/} ;; esac
		ok=1 msg=() main=0
		for v in $tvariants; do
			layer_row "$t" "$v" "$name" || continue
			res=${run["$v $key"]:-}
			vb=${v%%+*}	# a config flavour is judged as its base
			if [ -z "$res" ]; then
				case "$vb" in
				unpatched|patched) msg+=("$v: not run") ok=0 main=1 ;;
				*) tap_fail "$t $v: $name" "not run"; fail=1 ;;
				esac
				continue
			fi
			verdict=$(field "$res" verdict)
			dir=$(field "$res" dir)
			haz=$(field "$res" hazards) late=0
			if [ -f "$dir/trace.log" ]; then read -r haz late < <(hazard_split "$dir"); fi
			reason=$(field "$res" reason)
			if [ -n "$sub" ]; then
				# One KTAP line of the run: its own diagnostic is the
				# reason. A fixed kernel must also leave dmesg clean,
				# which only the whole run can tell.
				st=$(subtest_status "$dir/serial.log" "$sub")
				reason=$(subtest_reason "$dir/serial.log" "$sub")
				if [ "$vb" != unpatched ] && [ "$st" = pass ] &&
				   [ "$(field "$res" dmesg)" != clean ]; then
					st=fail reason="the run's dmesg is not clean"
				fi
			else
				st=$verdict
			fi
			ended=yes
			grep -q "^LAB-END $g " "$dir/serial.log" 2>/dev/null || ended=no
			printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$t" "$v" "$name" "$st" "${haz:-?}" "${reason:-}" >>"$matrix"
			lnote=
			[ "$late" = 0 ] || lnote=" [$late settle flags after the settle time: late QEMU timer, not counted]"
			case "$vb" in
			unpatched|patched) main=1 ;;
			*)	# a layer variant: its own line
				lwant=${L_EXP["$t $vb $name"]}
				if said=$(judge "$lwant" "$st" "${haz:-0}" "$ended" "$res"); then
					tap_ok "$t $v: $name $said${reason:+ ($reason)}$lnote"
				else
					tap_fail "$t $v: $name (expect $lwant)" "$said${reason:+ ($reason)}$lnote"
					fail=1
				fi
				continue ;;
			esac
			want=${L_EXP["$t $vb $name"]:-}
			if [ -z "$want" ]; then
				ok=0 msg+=("$v: no expectation in targets/$t.conf")
				continue
			fi
			if said=$(judge "$want" "$st" "${haz:-0}" "$ended" "$res"); then
				msg+=("$v $said${reason:+ ($reason)}$lnote")
			else
				ok=0 msg+=("$v $said (expect $want)${reason:+ ($reason)}$lnote")
			fi
		done
		[ $main = 1 ] || [ ${#msg[@]} -gt 0 ] || continue
		desc="$t $name: $(IFS=';'; echo "${msg[*]}" | sed 's/;/; /g')"
		if [ $ok = 1 ]; then tap_ok "$desc"; else tap_fail "$t $name" "${desc#*: }"; fail=1; fi
	done
	unset run
done
rm -rf "$jd"
echo "# lab matrix: $matrix"
echo "# boots: $n_new run, $n_reused reused (lab matrix: a reused boot had the same kernel, initrd, QEMU and command line; LAB_FRESH=1 runs them all)"
column -t -s $'\t' "$matrix" | sed 's/^/# /'
exit $fail
