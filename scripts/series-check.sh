#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# series-check.sh TARGET: prove a series is bisectable and adds no
# warnings. In a scratch worktree of the base ($BUILD/trees/TARGET/check),
# build every object the series touches with W=1 and sparse (C=1) and run
# kernel-doc on every file it touches, first on the base, then after each
# patch applied in order. Prints a table per patch; exits non-zero when a
# patch does not apply, breaks the build, or adds a warning.
#
# A pass is kept ($LOGS/series-check-TARGET.pass, with the id of its
# inputs: the base commit, the patches, the config fragments, this script
# and lib.sh, the sparse binary (scripts/sparse.sh) and the compiler's
# version); with the same inputs the check is not run again and its table
# is printed from there.
# LAB_FRESH=1 runs it anyway.

. "$(dirname "$0")/lib.sh"

TARGET=${1:-${TARGET:-}}
load_target "$TARGET"
start_log "series-check-$TARGET"
# The sparse of scripts/sparse.sh: Debian's is too old for mainline.
sparse=$("$TOP/scripts/sparse.sh") || die "no sparse (log: $LOGS/sparse.log)"

base_tree=$TGT_TREE/unpatched
wt=$TGT_TREE/check
[ -d "$base_tree/.git" ] || die "no $TARGET tree; run 'make tree TARGET=$TARGET' first"
# A vendor tree may take a series of its own (TGT_TREE_SERIES).
base_show() { git -C "$base_tree" show "base:$1"; }
TGT_SERIES_DIR=$(tree_series base_show)
mapfile -t patches < <("$TOP/scripts/series-list.sh" "$TGT_SERIES_DIR")
[ "${#patches[@]}" -gt 0 ] || die "no patches in ${TGT_SERIES_DIR#"$TOP"/}"

# Files the whole series touches: .c files become objects to build, .c and
# .h files are run through kernel-doc.
mapfile -t files < <(patch_files "${patches[@]}")
objs=() docs=()
for f in "${files[@]}"; do
	case "$f" in
	*.c) objs+=("${f%.c}.o"); docs+=("$f") ;;
	*.h) docs+=("$f") ;;
	esac
done
say "series-check $TARGET: ${#patches[@]} patches; objects: ${objs[*]:-none}; kernel-doc: ${docs[*]:-none}"

pass=$LOGS/series-check-$TARGET.pass
id=$( (git -C "$base_tree" rev-parse base
	cat "${patches[@]}"
	for f in $TGT_CONFIG; do cat "$TOP/$f"; done
	sha256sum "$TOP/scripts/series-check.sh" "$TOP/scripts/lib.sh" | cut -d' ' -f1
	sha256sum <"$sparse"
	"${CROSS_COMPILE}gcc" --version | head -n1) | sha256sum | cut -d' ' -f1)
if [ "${LAB_FRESH:-0}" != 1 ] && [ "$(head -n1 "$pass" 2>/dev/null)" = "id=$id" ]; then
	tail -n +2 "$pass"
	say "series-check $TARGET: passed $(date -u -r "$pass" '+%F %T') UTC with the same base, patches, config and tools; not run again (LAB_FRESH=1 runs it)"
	exit 0
fi
# A pass with other inputs stays (it counts for those only); one with
# these inputs (LAB_FRESH=1) goes, so that a failure leaves none.
[ "$(head -n1 "$pass" 2>/dev/null)" != "id=$id" ] || rm -f "$pass"

g() { git -C "$wt" -c user.name=imx6-lab -c user.email=imx6-lab@localhost "$@"; }
if [ ! -d "$wt" ]; then
	run git -C "$base_tree" worktree prune
	run git -C "$base_tree" -c checkout.workers=0 worktree add --detach "$wt" base ||
		die "cannot create the check worktree"
fi
run g am --abort || true
run g reset -q --hard base || die "cannot reset $wt"
run g clean -qfdx -e .build || true

# A new check worktree starts from the unpatched kernel's objects
# (seed_objdir in lib.sh) when that kernel's build is complete (its zImage
# is the one in $OUT) and its tree is clean and at the same base:
# configure and prepare then have nothing to do (measured on 6.12: 55-62 s
# against 76-77 s). Only a cache: step() below removes and builds again
# every object the series touches, make brings the rest up to date, and
# a failed copy just configures from scratch.
seed=$base_tree/.build
if [ ! -d "$wt/.build" ] && [ -f "$seed/.config" ] &&
   cmp -s "$seed/arch/arm/boot/zImage" "$OUT/$TARGET/unpatched/zImage" &&
   [ "$(git -C "$base_tree" rev-parse HEAD)" = "$(git -C "$wt" rev-parse HEAD)" ] &&
   [ -z "$(git -C "$base_tree" status --porcelain --untracked-files=no)" ]; then
	say "series-check $TARGET: starting from the objects in $seed"
	seed_objdir "$wt" "$seed" "$wt/.build" ||
		say "series-check $TARGET: cannot copy $seed; configuring from scratch"
fi

kernel_env "$wt"
kconfigure "$wt" "series-check $TARGET"
run kmake prepare || die "make prepare failed on the base"

# kernel-doc's warnings: -Wall where it has it (6.12 on), -v before. An
# older kernel-doc given -Wall only prints its usage, which would pass
# every file unchecked.
if grep -q -- "-Wall" "$wt/scripts/kernel-doc" 2>/dev/null; then
	kdoc_flag=-Wall
else
	kdoc_flag=-v
fi
if [ "${#docs[@]}" -gt 0 ] &&
   [[ "$(cd "$wt" && perl scripts/kernel-doc -none "$kdoc_flag" "${docs[0]}" 2>&1)" == *Usage:* ]]; then
	die "scripts/kernel-doc of this tree does not take -none $kdoc_flag"
fi
say "series-check $TARGET: kernel-doc -none $kdoc_flag"

# step LABEL: build the objects and run kernel-doc; leaves the normalised
# diagnostics (file and message, no line numbers) in $work/LABEL.
work=$LOGS/series-check-$TARGET.d
rm -rf "$work"
mkdir -p "$work"
step() {
	local label=$1 f raw=$work/$1.raw rc=0
	for f in "${objs[@]}"; do
		rm -f "$wt/.build/$f"
	done
	: >"$raw"
	if [ "${#objs[@]}" -gt 0 ]; then
		# V=0 and no outer make's flags (make -s would hide the CHECK
		# lines tested below).
		MAKEFLAGS='' MFLAGS='' MAKEOVERRIDES='' \
			kmake W=1 C=1 V=0 CHECK="$sparse" "${objs[@]}" >>"$raw" 2>&1 || rc=1
		# kbuild turns C=1 off, with only a warning, when the checker
		# fails its test (7.3's scripts/checker-valid.sh): every object
		# must have been checked (a failed build is reported as such).
		for f in "${objs[@]}"; do
			[ $rc = 0 ] || break
			grep -qE "^ *CHECK +(\.\./)?${f%.o}\.c\$" "$raw" ||
				die "sparse ($sparse) did not check ${f%.o}.c: $(grep -m1 'specified, but' "$raw" || echo "no CHECK line")"
		done
	fi
	for f in "${docs[@]}"; do
		[ -f "$wt/$f" ] || continue
		(cd "$wt" && perl scripts/kernel-doc -none "$kdoc_flag" "$f") >>"$raw" 2>&1 || true
	done
	cat "$raw" >>"$LOG"
	grep -E '(warning|error):' "$raw" |
		sed -E 's|^(\.\./)?||; s|:[0-9]+(:[0-9]+)?:|:|; s|[[:space:]]+| |g' |
		sort -u >"$work/$label"
	return $rc
}

step base || die "the base does not build the touched objects: $(grep -m1 -E 'error' "$work/base.raw")"
nbase=$(wc -l <"$work/base")
table=$work/table
# row PATCH BUILD WARNINGS: one line of the table (kept for a pass).
row() {
	printf '%-66s %-6s %s\n' "$@" | tee -a "$table"
}
: >"$table"
row patch build "new warnings (W=1, sparse, kernel-doc)"
row "(base)" ok "$nbase existing"
# doc_only PATCH: it touches only Documentation/, and no .c or .h file.
doc_only() {
	local f
	while read -r f; do
		case "$f" in
		Documentation/*.[ch]) return 1 ;;
		Documentation/*) ;;
		*) return 1 ;;
		esac
	done < <(patch_files "$1")
}
bad=0 n=0 prev=base prev_built=ok
for p in "${patches[@]}"; do
	n=$((n + 1))
	name=$(basename "$p")
	if ! run g am -q --no-3way "$p"; then
		run g am --abort || true
		row "$name" "-" "does not apply"
		bad=1
		break
	fi
	built=ok
	if doc_only "$p"; then
		# Only Documentation/ and no .c or .h file: no object and no
		# kernel-doc input changed, the step before stands (saves a
		# build of ~9 s).
		cp "$work/$prev" "$work/$n"
		cp "$work/$prev.raw" "$work/$n.raw"
		built=$prev_built
	else
		step "$n" || { built=FAIL; bad=1; }
	fi
	prev=$n prev_built=$built
	new=$(comm -13 "$work/base" "$work/$n")
	cnt=$(printf '%s' "$new" | grep -c . || true)
	row "$name" "$built" "$cnt"
	if [ "$cnt" -gt 0 ]; then
		bad=1
		printf '%s\n' "$new" | sed 's/^/    /'
	fi
	if [ "$built" = FAIL ]; then
		grep -m3 -E 'error' "$work/$n.raw" | sed 's/^/    /'
	fi
done
run g reset -q --hard base || true
if [ $bad -ne 0 ]; then
	say "series-check $TARGET: FAILED (log: $LOG)"
	exit 1
fi
{ echo "id=$id"; cat "$table"; } >"$pass"
say "series-check $TARGET: every patch applies, builds and adds no warnings"
