#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# series-list.sh DIR: print the absolute paths of the patches of a series
# directory in order: the order of DIR/series when it exists (blank lines
# and '#' comments ignored), else every *.patch by name. Cover letters
# (0000-*.patch) are never listed. Fails when the series file names a
# patch that is not there.

set -euo pipefail
dir=${1:?usage: series-list.sh DIR}
[ -d "$dir" ] || exit 0
dir=$(cd "$dir" && pwd)

if [ -f "$dir/series" ]; then
	while read -r line; do
		line=${line%%#*}
		line=$(echo "$line" | xargs)
		[ -n "$line" ] || continue
		case "$line" in 0000-*) continue ;; esac
		if [ ! -f "$dir/$line" ]; then
			echo "error: $dir/series names $line, which does not exist" >&2
			exit 1
		fi
		echo "$dir/$line"
	done <"$dir/series"
else
	for p in "$dir"/*.patch; do
		[ -f "$p" ] || continue
		case "$(basename "$p")" in 0000-*) continue ;; esac
		echo "$p"
	done
fi
