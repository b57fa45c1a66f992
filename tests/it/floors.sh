#!/bin/bash
# floors.sh - every folder includes only from itself and the floors below
# it, as the table in ARCHITECTURE.md ("The floors") says: each line
# `FOLDER/ <- FOLDER/ ...` names what a folder may include. The test reads
# the `#include "..."` lines of every .c and .h under those folders,
# resolves each against the including file, and fails on one that goes up
# or sideways. It also checks itself on a planted violation. tests/ and
# tools/ (programs of their own) are not floors.
source "$(dirname "$0")/lib.sh"

ARCH=${ARCH:-ARCHITECTURE.md}

# the table: "folder allowed..." per line, from ARCHITECTURE.md
floors_table() {
	sed -n 's|^\([a-z][a-z/]*/\)  *<- *\(.*\)$|\1 \2|p' "$1" | sed 's/(nothing)//'
}

# floors_check ROOT TABLE: one line per include that breaks the table
floors_check() {
	local root=$1 table=$2 folder allowed f inc dir target tdir own
	local -A may
	while read -r folder allowed; do
		may[$folder]=" $folder $allowed "
	done <"$table"
	for folder in "${!may[@]}"; do
		for f in "$root/$folder"*.c "$root/$folder"*.h; do
			[ -e "$f" ] || continue
			dir=$(dirname "$f")
			sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f" |
				while read -r inc; do
					target=$(realpath -m --relative-to="$root" "$dir/$inc")
					tdir=$(dirname "$target")/
					[ "$tdir" = "./" ] && tdir=""
					# the folder of the target, as the table names it
					if [ -z "${may[$tdir]+x}" ]; then
						echo "${f#"$root"/}: \"$inc\" is in no floor ($tdir)"
					elif [[ ${may[$folder]} != *" $tdir "* ]]; then
						echo "${f#"$root"/}: \"$inc\" goes up or sideways ($folder may not include $tdir)"
					fi
				done
		done
	done
}

table="$TMP/floors"
floors_table "$ARCH" >"$table"
n=$(wc -l <"$table")
check "ARCHITECTURE.md has the floors table ($n folders)" [ "$n" -ge 8 ]
for d in $(cut -d' ' -f1 "$table"); do
	check "floor $d exists" test -d "$d"
done
# every folder with C in it is in the table
for d in $(git ls-files '*.c' '*.h' 2>/dev/null | grep -v -e '^tests/' -e '^tools/' | xargs -n1 dirname | sort -u); do
	check "$d/ is a floor of ARCHITECTURE.md" grep -q "^$d/ " "$table"
done

bad=$(floors_check . "$table")
check "no include goes up or sideways${bad:+ ($(echo "$bad" | tr '\n' ';'))}" [ -z "$bad" ]

# the check can fail: a planted upward include in a copy is caught
mkdir -p "$TMP/tree/lib" "$TMP/tree/harness"
echo '#include "../harness/cli.h"' >"$TMP/tree/lib/x.c"
echo '#include "../lib/util.h"' >"$TMP/tree/harness/cli.h"
printf 'lib/ <- (nothing)\nharness/ <- lib/\n' | sed 's/(nothing)//' >"$TMP/t2"
planted=$(floors_check "$TMP/tree" "$TMP/t2")
check "a planted upward include is caught" grep -q 'lib/x.c' <<<"$planted"
check "a downward include passes" test "$(grep -c . <<<"$planted")" -eq 1
