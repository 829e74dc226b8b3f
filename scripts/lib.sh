# SPDX-License-Identifier: GPL-2.0
# Common helpers for the lab scripts. Source it; do not run it.
#
# Every script writes its full output to a log under $BUILD/logs (or
# $LAB_LOGS: scripts/prefetch.sh's own) and, when something goes wrong,
# prints one line with the reason and the log path and exits non-zero.

set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$HOME/.cache/imx6-lab}
DL=$BUILD/dl
LOGS=${LAB_LOGS:-$BUILD/logs}
TREES=$BUILD/trees
OUT=$BUILD/out
CROSS_COMPILE=${CROSS_COMPILE:-arm-linux-gnueabihf-}
JOBS=${JOBS:-$(($(nproc) + 1))}
export BUILD CROSS_COMPILE

mkdir -p "$DL" "$LOGS" "$TREES" "$OUT"

# The current log; die() points at it.
LOG=${LOG:-}

say() {
	printf '%s\n' "$*" >&2
	if [ -n "$LOG" ]; then printf '%s\n' "$*" >>"$LOG"; fi
}

# die REASON: one line on stderr with the log path, exit 1.
die() {
	if [ -n "$LOG" ]; then
		say "error: $* (log: $LOG)"
	else
		say "error: $*"
	fi
	exit 1
}

# start_log NAME: from now on say() and run() also write to
# $LOGS/NAME.log, and die() names it.
start_log() {
	LOG=$LOGS/$1.log
	: >"$LOG"
}

# build_lock NAME "$@": at the top of a script, run the script again under
# flock on $BUILD/locks/NAME: wait while another process holds it
# (scripts/prefetch.sh may be making the same tree or QEMU in the
# background), then hold it until the script exits. flock -o keeps the
# lock's descriptor from the script and its children, so nothing the
# script leaves running (a git gc) keeps holding it.
build_lock() {
	local name=$1 f
	shift
	[ "${BUILD_LOCK_HELD:-}" != "$name" ] || return 0
	mkdir -p "$BUILD/locks"
	f=$BUILD/locks/$name
	flock -n "$f" true ||
		say "$name: waiting for another process (make check's prefetch?) to finish with it"
	exec env BUILD_LOCK_HELD="$name" flock -o "$f" "$0" "$@"
}

# run CMD...: run a command with its output in the log only.
run() {
	printf '+ %s\n' "$*" >>"$LOG"
	"$@" >>"$LOG" 2>&1
}

# load_target NAME: read targets/NAME.conf into TGT_* variables.
load_target() {
	local name=${1:-}
	[ -n "$name" ] || die "TARGET is not set; known targets: $(known_targets)"
	local conf=${TARGETS_DIR:-$TOP/targets}/$name.conf
	[ -f "$conf" ] || die "unknown TARGET '$name'; known targets: $(known_targets)"
	# Nothing of a target loaded before (scripts/lab.sh loads several).
	unset "${!TGT_@}"
	# shellcheck disable=SC1090
	. "$conf"
	TGT_NAME=$name
	TGT_TREE=$TREES/${TGT_TREE_NAME:-$name}
	case "${TGT_SERIES:-}" in
	/*) TGT_SERIES_DIR=$TGT_SERIES ;;	# the tooling tests' scratch series
	*) TGT_SERIES_DIR=$TOP/${TGT_SERIES:-patches/$name} ;;
	esac
}

# tree_series SHOW: the series directory for one tree of the loaded
# target. A vendor tree whose driver differs too much for the target's
# series gets one of its own: TGT_TREE_SERIES lists FILE:PATTERN:DIR, and
# the first whose FILE (printed by the command SHOW FILE) matches the
# extended regular expression PATTERN gives patches DIR. Else
# TGT_SERIES_DIR.
tree_series() {
	# ts_ names: SHOW may read globals such as dir or f.
	local ts_show=$1 ts_e ts_f ts_pat ts_dir
	for ts_e in ${TGT_TREE_SERIES:-}; do
		IFS=: read -r ts_f ts_pat ts_dir <<<"$ts_e"
		# grep reads all (no -q): under pipefail an early exit would
		# fail the pipeline with SIGPIPE.
		if "$ts_show" "$ts_f" 2>/dev/null | grep -E -- "$ts_pat" >/dev/null; then
			echo "$TOP/$ts_dir"
			return
		fi
	done
	echo "$TGT_SERIES_DIR"
}

# The identity the committed series carry as author (never as
# Signed-off-by): make send replaces it with the submitter's.
PLACEHOLDER_NAME="Seed 4805f071 maintainers"
PLACEHOLDER_EMAIL="maintainers@users.noreply.r-seed-4805f071.example"

# newest_target: the target with the newest TGT_KVERSION among those that
# come from a package (whose tree the lab can always make).
newest_target() {
	local f
	for f in "${TARGETS_DIR:-$TOP/targets}"/*.conf; do
		# shellcheck disable=SC1090
		(TGT_SOURCE=; TGT_KVERSION=; . "$f"
		 if [ "$TGT_SOURCE" = debian ]; then echo "$TGT_KVERSION $(basename "$f" .conf)"; fi)
	done | sort -V | tail -n1 | cut -d' ' -f2
}

known_targets() {
	local f names=
	for f in "${TARGETS_DIR:-$TOP/targets}"/*.conf; do
		names="$names $(basename "$f" .conf)"
	done
	echo "${names# }"
}

# tree_dir TARGET VARIANT
tree_dir() { echo "$TREES/$1/$2"; }

# kversion DIR: VERSION.PATCHLEVEL.SUBLEVEL read from a kernel Makefile.
kversion() {
	awk -F' *= *' '
		$1 == "VERSION" { v = $2 }
		$1 == "PATCHLEVEL" { p = $2 }
		$1 == "SUBLEVEL" { s = $2 }
		END { if (v != "" && p != "") printf "%s.%s.%s\n", v, p, s }
	' "$1/Makefile" 2>/dev/null
}

# need_cmd CMD PACKAGE: fail with the Debian package to install.
need_cmd() {
	command -v "$1" >/dev/null 2>&1 ||
		die "'$1' not found; install Debian package $2 (or run scripts/apt-setup.sh)"
}

# elapsed START: seconds since START (date +%s) as "Mm Ss".
elapsed() {
	local s=$(($(date +%s) - $1))
	printf '%dm %02ds' $((s / 60)) $((s % 60))
}

# kernel_env SRC [OBJDIR]: environment for building SRC in SRC/OBJDIR
# (default .build) with ccache. kmake ARGS... then runs make there for ARM.
kernel_env() {
	KSRC=$1
	KOBJ=${2:-.build}
	export CCACHE_DIR=${CCACHE_DIR:-$BUILD/ccache}
	export CCACHE_BASEDIR=$KSRC
	export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-8G}
	export CCACHE_NOHASHDIR=1
	export KBUILD_BUILD_TIMESTAMP='Thu Jan  1 00:00:00 UTC 2026'
	export KBUILD_BUILD_USER=imx6-lab KBUILD_BUILD_HOST=imx6-lab
	# "#1" whatever the O= directory built before (its .version)
	export KBUILD_BUILD_VERSION=1
	mkdir -p "$KSRC/$KOBJ"
}
# --no-print-directory: under another make (make -C DIR check, or a make
# that runs make check) MAKEFLAGS has -w, and "make[2]: Entering
# directory" lines would end up in what kmake prints (kernelrelease).
kmake() {
	make --no-print-directory -C "$KSRC" O="$KOBJ" ARCH=arm \
		CROSS_COMPILE="$CROSS_COMPILE" CC="ccache ${CROSS_COMPILE}gcc" \
		KLZOP="$TOP/scripts/lzop-reproducible" -j"$JOBS" "$@"
}

# seed_objdir TREE SEED OBJ: make OBJ, TREE's O= directory, a copy of
# SEED, the unpatched kernel's (built from TREE's "base" commit in a
# directory of the same name, so that kbuild's commands, which name the
# source as "..", are the same): make then compiles again only what TREE
# changed since base and what depends on it. For that, TREE's tracked
# files get a time before SEED's objects, those changed since base the
# time of now, and the index learns the times once (else every git status
# of setlocalversion reads the whole tree). The copy is configured again
# when base..HEAD changes what the configuration is made from, and moved
# in whole, so a stopped run seeds again. Fails, leaving no OBJ, when it
# cannot.
seed_objdir() {
	local tree=$1 seed=$2 obj=$3 tmp
	tmp=$(dirname "$tree")/.seed-$(basename "$tree")
	(cd "$tree" && git ls-files -z | xargs -0 touch -c -h -d @1767225600 &&
	 git diff -z --name-only --diff-filter=d base HEAD | xargs -0 -r touch -c -h &&
	 git update-index -q --refresh) || return 1
	rm -rf "$obj" "$tmp"
	run cp -a "$seed" "$tmp" || { rm -rf "$tmp"; return 1; }
	# (make compiles some 45 more objects then)
	if git -C "$tree" diff --name-only base HEAD |
	   grep -qE '(^|/)Kconfig[^/]*$|^scripts/kconfig/|^arch/[^/]+/configs/'; then
		rm -f "$tmp/.lab-config-id"
	fi
	mv "$tmp" "$obj"
}

# kconfigure SRC WHAT: configure SRC/.build from allnoconfig and the
# target's fragments (TGT_CONFIG, plus LAB_CONFIG_EXTRA), only when they
# changed; check that the options the lab relies on survived.
kconfigure() {
	local src=$1 what=$2 obj=$1/${KOBJ:-.build} f opt cfg_id
	local frags=()
	for f in $TGT_CONFIG ${LAB_CONFIG_EXTRA:-}; do
		case "$f" in /*) ;; *) f=$TOP/$f ;; esac
		[ -f "$f" ] || die "config fragment $f does not exist"
		frags+=("$f")
	done
	cfg_id=$(cat "${frags[@]}" | sha256sum | cut -d' ' -f1)
	if [ -f "$obj/.config" ] && [ "$(cat "$obj/.lab-config-id" 2>/dev/null)" = "$cfg_id" ]; then
		return 0
	fi
	say "$what: configuring (allnoconfig + $TGT_CONFIG ${LAB_CONFIG_EXTRA:-})"
	run kmake allnoconfig || die "allnoconfig failed"
	(cd "$obj" && run env ARCH=arm CROSS_COMPILE="$CROSS_COMPILE" \
		"$src/scripts/kconfig/merge_config.sh" -m -O . .config "${frags[@]}") ||
		die "merge_config.sh failed"
	run kmake olddefconfig || die "olddefconfig failed"
	for opt in $LAB_KCONFIG_NEEDED; do
		# unless a fragment turns it off (the prod flavour)
		! grep -qx "# CONFIG_$opt is not set" "${frags[@]}" || continue
		grep -qx "CONFIG_$opt=y" "$obj/.config" ||
			die "CONFIG_$opt is not =y after merging the fragments (dependency missing in this tree?)"
	done
	f=$(kconfig_unmet "$obj/.config" "${frags[@]}")
	[ -z "$f" ] || die "the fragments ask for what this tree's config did not take: $f"
	echo "$cfg_id" >"$obj/.lab-config-id"
}

# kconfig_unmet CONFIG FRAGMENT...: the fragments' lines (the last one of
# each symbol wins, as in merge_config.sh) that CONFIG lists otherwise:
# merge_config.sh -m checks none, and olddefconfig may turn off a value
# the tree cannot take (a choice, a visible option a select does not
# reach). A symbol CONFIG does not list is skipped: the tree lacks it, or
# its dependencies are off (the prod flavour turns off kmemleak, and its
# pool size goes with it); LAB_KCONFIG_NEEDED names what must be there.
kconfig_unmet() {
	local cfg=$1
	shift
	awk -v cfg="$cfg" '
	function sym_of(line) {
		if (match(line, /^CONFIG_[A-Za-z0-9_]+=/)) return substr(line, 1, RLENGTH - 1)
		if (line ~ /^# CONFIG_[A-Za-z0-9_]+ is not set$/) { split(line, w, " "); return w[2] }
		return ""
	}
	FILENAME == cfg { if ((sym = sym_of($0)) != "") got[sym] = $0; next }
	(sym = sym_of($0)) != "" { if (!(sym in want)) order[++n] = sym; want[sym] = $0 }
	END {
		for (i = 1; i <= n; i++) {
			sym = order[i]
			if ((sym in got) && got[sym] != want[sym])
				printf "%s (got %s); ", want[sym], got[sym]
		}
	}' "$cfg" "$@"
}

# What every lab kernel must have built in (kconfigure checks the config,
# tests/checks/10-kernel.sh the objects): the console and initramfs, the
# race's drivers (imx-sdma, the dmaengine PCM, the SSI, AUDMUX, SGTL5000
# card, the ASRC's DMA), imx_v6_v7_defconfig's timing choices and the
# debug options the verdicts rely on.
LAB_KCONFIG_NEEDED="BLK_DEV_INITRD DEVTMPFS SERIAL_IMX_CONSOLE I2C_IMX IMX2_WDT
	MODULES IMX_SDMA SND_DMAENGINE_PCM SND_SOC_GENERIC_DMAENGINE_PCM
	SND_SOC_FSL_SSI SND_SOC_IMX_AUDMUX SND_SOC_SGTL5000 SND_SOC_IMX_SGTL5000
	SND_SOC_FSL_ASRC SND_PCM_XRUN_DEBUG DYNAMIC_DEBUG SMP HZ_100
	PREEMPT_VOLUNTARY NO_HZ_IDLE HIGH_RES_TIMERS DMA_CMA PM
	DEBUG_ATOMIC_SLEEP PROVE_LOCKING DEBUG_KMEMLEAK FAULT_INJECTION"

# Layer variants: a target may declare kernels with only part of its series,
# TGT_VARIANTS="name:NNNN[,NNNN...] ...", e.g. "pcm-only:0001" (patch
# number prefixes of its series). Each is a worktree $TGT_TREE/name built
# like "patched" (scripts/series.sh TARGET name, scripts/kernel.sh).

# variant_names: the declared variant names, one per line (after load_target).
variant_names() {
	local v
	for v in ${TGT_VARIANTS:-}; do echo "${v%%:*}"; done
}

# patch_files PATCH...: the files the patches touch, one a line, sorted.
patch_files() {
	sed -n 's|^diff --git a/\([^ ]*\) b/.*|\1|p' "$@" | sort -u
}

# variant_prefixes NAME: its patch prefixes, one per line; fails when NAME is
# not declared or the declaration is malformed. An entry +PATCH names a
# lab-only patch, lab/variants/TARGET/PATCH.patch, applied after the
# series patches (e.g. a hunk taken out again, to show that a test fails
# without it); it is never part of the series that is sent. TGT_VARIANT_DIR
# in the target file overrides that directory (the tooling fixtures).
variant_prefixes() {
	local v name list
	for v in ${TGT_VARIANTS:-}; do
		name=${v%%:*} list=${v#*:}
		[ "$name" = "$1" ] || continue
		case "$name" in unpatched|patched) return 1 ;; esac
		[[ "$v" == *:* && "$name" =~ ^[a-z0-9][a-z0-9-]*$ &&
		   "$list" =~ ^([0-9]+|\+[a-z0-9][a-z0-9-]*)(,([0-9]+|\+[a-z0-9][a-z0-9-]*))*$ ]] ||
			return 1
		tr , '\n' <<<"$list"
		return 0
	done
	return 1
}

# Config flavours: VARIANT may be BASE+FLAVOUR (e.g. patched+kasan), the
# kernel of BASE's tree built with lab/configs/FLAVOUR.config on top of the
# target's fragments, in its own object directory (.build-FLAVOUR) and out
# directory ($OUT/TARGET/BASE+FLAVOUR), so the BASE kernel is untouched.

# variant_base VARIANT: BASE of BASE+FLAVOUR, else VARIANT.
variant_base() { echo "${1%%+*}"; }
# variant_flavour VARIANT: FLAVOUR of BASE+FLAVOUR, else nothing.
variant_flavour() { case "$1" in *+*) echo "${1#*+}" ;; esac; }

# check_variant VARIANT: unpatched, patched or a variant the target declares,
# optionally +FLAVOUR with lab/configs/FLAVOUR.config.
check_variant() {
	case "$1" in
	*+*)
		local fl=${1#*+}
		[[ "$fl" =~ ^[a-z0-9][a-z0-9-]*$ ]] && [ -f "$TOP/lab/configs/$fl.config" ] ||
			die "unknown config flavour '$fl' in VARIANT '$1' (want lab/configs/$fl.config)"
		check_variant "${1%%+*}"
		return 0 ;;
	esac
	case "$1" in unpatched|patched) return 0 ;; esac
	variant_prefixes "$1" >/dev/null && return 0
	local extra
	extra=$(variant_names | paste -sd, | sed 's/,/, /g')
	die "unknown VARIANT '$1' for $TGT_NAME (unpatched, patched${extra:+, $extra}; a malformed TGT_VARIANTS entry is ignored)"
}
