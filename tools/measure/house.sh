#!/bin/bash
# house.sh [REV...] - the figures of issue 16 for each git revision (default:
# the commit before the floors, c502cb7, and HEAD): fork() call sites, the
# largest files and functions, and the include floors check. Writes
# tools/measure/house.txt (or $OUT). Read-only: each revision is checked out
# into a temporary folder with git archive.
set -eu
cd "$(dirname "$0")/../.."
OUT=${OUT:-tools/measure/house.txt}
revs=${*:-c502cb7 HEAD}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# funcs DIR: "lines file:function" for every function of the C files
funcs() {
	find "$1" -name '*.c' -not -path '*/tests/*' -not -path '*/tools/*' | while read -r f; do
		awk -v f="${f#"$1"/}" '
			/^[a-zA-Z_].*\(/ && !/;[[:space:]]*$/ { sig = $0; n = NR }
			/^\{/ && sig != "" { start = n; name = sig; sub(/\(.*/, "", name);
				sub(/.*[ *]/, "", name); infn = 1 }
			/^\}/ && infn { print NR - start + 1, f ":" name; infn = 0; sig = "" }
		' "$f"
	done
}

{
	for rev in $revs; do
		d="$tmp/$rev"
		mkdir -p "$d"
		git archive "$rev" | tar -x -C "$d"
		echo "== $rev ($(git rev-parse --short "$rev"))"
		echo "-- fork() call sites outside tests/ and tools/ (file: count)"
		(cd "$d" && grep -rn --include='*.c' -E '\bfork\(\)' . |
			grep -v -e '^\./tests/' -e '^\./tools/' | grep -v -E '^\S+:[0-9]+:\s*(\*|/\*|//)' |
			cut -d: -f1 | sort | uniq -c | sort -rn)
		echo "total: $(cd "$d" && grep -rn --include='*.c' -E '\bfork\(\)' . |
			grep -v -e '^\./tests/' -e '^\./tools/' | grep -v -E '^\S+:[0-9]+:\s*(\*|/\*|//)' | wc -l)"
		echo "-- largest C files (lines)"
		(cd "$d" && find . -name '*.[ch]' -not -path './tests/*' -not -path './tools/*' |
			xargs wc -l | grep -v total | sort -rn | head -8)
		echo "-- longest functions (lines)"
		funcs "$d" | sort -rn | head -8
		echo "-- functions over 60 lines: $(funcs "$d" | awk '$1 > 60' | wc -l)"
		if [ -f "$d/tests/it/floors.sh" ]; then
			echo "-- floors.sh: $(cd "$d" && bash tests/it/floors.sh 2>&1 | grep -c '^ok') ok, $(cd "$d" && bash tests/it/floors.sh 2>&1 | grep -c '^not ok') not ok"
		else
			echo "-- floors.sh: none at this revision"
		fi
		echo
	done
} >"$OUT"
cat "$OUT"
