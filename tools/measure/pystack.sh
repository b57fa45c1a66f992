#!/bin/bash
# pystack.sh - the wall time of tests/it/pystack.sh, REPS times (default 3),
# alternating with the version of a git revision (OLD, default main~0 where
# this branch is merged: pass the commit before the change) so both see the
# same machine. Writes results/measure/pystack.txt: one line per run.
# Usage: tools/measure/pystack.sh [REPS] [OLD_REV]
set -u
cd "$(dirname "$0")/../.."
reps=${1:-3} old=${2:-}
out=results/measure/pystack.txt
mkdir -p results/measure "${TMPDIR:-/tmp}/pystack-old.$$"
o=${TMPDIR:-/tmp}/pystack-old.$$
cp tests/it/lib.sh "$o/"
[ -n "$old" ] && git show "$old:tests/it/pystack.sh" >"$o/pystack.sh"
: >"$out"
for i in $(seq "$reps"); do
	for which in new old; do
		[ "$which" = old ] && [ -z "$old" ] && continue
		script=tests/it/pystack.sh
		[ "$which" = old ] && script=$o/pystack.sh
		t0=$(date +%s.%N)
		bash "$script" >"$o/out" 2>&1
		t1=$(date +%s.%N)
		echo "$which rep $i: $(echo "$t1 - $t0" | bc) s, $(grep -c '^ok' "$o/out") ok, $(grep -c '^not ok' "$o/out") not ok, load $(cut -d' ' -f1 /proc/loadavg)" | tee -a "$out"
	done
done
rm -rf "$o"
