#!/bin/bash
# percase.sh [OUT] - what running each unit case in a child of its own
# costs: for every unit binary of tests/TESTS, the wall time of the whole
# binary in one process against the sum of its cases run one by one
# (`BIN --case NAME`, as tests/run.sh runs them), the best of 3 each.
# Writes a table to OUT (default tools/measure/percase.txt). Needs the unit
# binaries built (make $(awk '$2=="unit"{print "build/tests/"$1}' tests/TESTS)).
# Run it on a quiet machine; about a minute.
set -u
out=${1:-tools/measure/percase.txt}
dir=${UNIT_DIR:-build/tests}
export CMOCKA_MESSAGE_OUTPUT=TAP
now() { date +%s.%N; }
best() { # CMD...: the least wall time of 3 runs, in seconds
	local b="" t0 t
	for _ in 1 2 3; do
		t0=$(now)
		"$@" >/dev/null 2>&1
		t=$(echo "$(now) - $t0" | bc)
		if [ -z "$b" ] || [ "$(echo "$t < $b" | bc)" = 1 ]; then b=$t; fi
	done
	echo "$b"
}
each_case() { # BIN: every case alone, one after another
	local c
	for c in $("$1" --list); do "$1" --case "$c"; done
}
{
	echo "# per-case isolation of the unit tests: $(nproc) cores, $(date -u +%FT%TZ), git $(git rev-parse --short HEAD 2>/dev/null)"
	echo "# binary cases whole_s per_case_s extra_s extra_ms_per_case"
	tw=0 tc=0 tn=0
	for name in $(awk '!/^#/ && $2 == "unit" { print $1 }' tests/TESTS); do
		bin=$dir/$name
		[ -x "$bin" ] || { echo "$name not built"; continue; }
		n=$("$bin" --list | wc -l)
		w=$(best "$bin")
		c=$(best each_case "$bin")
		printf '%-16s %4d %8.3f %8.3f %8.3f %8.2f\n' "$name" "$n" "$w" "$c" \
			"$(echo "$c - $w" | bc)" "$(echo "($c - $w) * 1000 / $n" | bc -l)"
		tw=$(echo "$tw + $w" | bc) tc=$(echo "$tc + $c" | bc) tn=$((tn + n))
	done
	printf '%-16s %4d %8.3f %8.3f %8.3f %8.2f\n' total "$tn" "$tw" "$tc" \
		"$(echo "$tc - $tw" | bc)" "$(echo "($tc - $tw) * 1000 / $tn" | bc -l)"
} | tee "$out"
