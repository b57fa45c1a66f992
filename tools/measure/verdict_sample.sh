#!/bin/bash
# verdict_sample.sh - how the verdict rule changes the decision matrix of
# a result set: decision-matrix.md as the set holds it (made by the rule
# of its day) against a fresh `cmbench plots` of a copy of the set. Counts
# per criterion the cells that went from a winner to a tie, from a tie to
# a winner, and to another winner, into OUT (default stdout).
#
#   tools/measure/verdict_sample.sh [SET] [OUT]    (SET: results/sample)
set -u
cd "$(dirname "$0")/../.."
set_dir=${1:-results/sample}
out=${2:-/dev/stdout}
CMBENCH=${CMBENCH:-./cmbench}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r "$set_dir" "$tmp/set"
"$CMBENCH" plots "$tmp/set" >/dev/null 2>"$tmp/err" || { cat "$tmp/err" >&2; exit 1; }

# share|C|criterion|winner-or-tie of the "Every cell" table
cells() {
	awk '/^## Every cell of the grid/{on=1; next} /^## /{on=0} on && /^\| (io|mixed|cpu)/' "$1" |
		awk -F'|' '{ for (k = 4; k <= 6; k++) {
			w = "tie"; if (match($k, /\*\*[a-z0-9-]+\*\*/)) w = substr($k, RSTART + 2, RLENGTH - 4)
			c = k == 4 ? "time" : k == 5 ? "p99" : "memory"
			gsub(/^ +| +$/, "", $2); gsub(/^ +| +$/, "", $3)
			print $2 "|" $3 "|" c "|" w } }'
}
cells "$set_dir/decision-matrix.md" | sort >"$tmp/before"
cells "$tmp/set/decision-matrix.md" | sort >"$tmp/after"
{
	echo "# $set_dir: decision matrix before (as stored) and after (cmbench plots now)"
	join -t'|' -j1 <(awk -F'|' '{print $1"/"$2"/"$3"|"$4}' "$tmp/before" | sort) \
		<(awk -F'|' '{print $1"/"$2"/"$3"|"$4}' "$tmp/after" | sort) |
		awk -F'|' '{ split($1, k, "/"); c = k[3]; n[c]++
			if ($2 != "tie" && $3 == "tie") wt[c]++
			else if ($2 == "tie" && $3 != "tie") tw[c]++
			else if ($2 != $3) ww[c]++
			if ($2 != "tie") b[c]++; if ($3 != "tie") a[c]++ }
			END { for (c in n) printf "%-7s %3d cells: winners before %3d, after %3d; winner->tie %3d, tie->winner %3d, winner changed %d\n", c, n[c], b[c], a[c], wt[c], tw[c], ww[c] }'
	echo
	echo "Regimes beyond the matrix (decision-matrix.md, the verdict column):"
	for f in "$set_dir/decision-matrix.md" "$tmp/set/decision-matrix.md"; do
		awk '/^## Regimes beyond the matrix/{on=1; next} /^## /{on=0} on && /^\| .*grid /' "$f" |
			awk -F'|' '{ v = $(NF - 1); gsub(/^ +| +$|\*/, "", v); sub(/ \(.*/, "", v); n[v]++ }
				END { for (v in n) printf "%s %d; ", v, n[v]; print "" }'
	done | sed '1s/^/  before: /; 2s/^/  after:  /'
	echo
	echo "Folklore (REPORT.md):"
	grep -h 'Folklore' "$set_dir/REPORT.md" | sed 's/^/  before: /' | cut -c1-300
	grep -h 'Folklore' "$tmp/set/REPORT.md" | sed 's/^/  after:  /' | cut -c1-300
} >"$out"
