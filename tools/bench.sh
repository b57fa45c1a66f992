#!/bin/sh
# bench.sh - what `make bench` runs after building: the default sweep (or
# the quick one with QUICK=1), then the charts, the decision matrix and the
# report of the new result set, last the one-page report.html, and where
# it all is. SPEC=python: the Python sweep (`make bench-python`).
set -u
spec=${SPEC:-default}
[ "${QUICK:-}" = 1 ] && spec=quick
start=$(date +%s)

./cmbench sweep "$spec"
rc=$?
if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
	echo "bench: the sweep stopped (status $rc); what it finished is in results/latest" >&2
	exit "$rc"
fi
dir=results/$(readlink results/latest)

./cmbench plots results/latest
prc=$?
if [ "$prc" -ne 0 ]; then
	echo "bench: cmbench plots failed (status $prc); the result set in $dir is kept" >&2
	echo "bench: once plots works: make plots RESULTS=$dir" >&2
fi

rrc=1
if [ "$prc" -eq 0 ]; then
	./cmbench report results/latest >/dev/null
	rrc=$?
	[ "$rrc" -ne 0 ] && echo "bench: cmbench report failed (status $rrc)" >&2
fi

secs=$(($(date +%s) - start))
echo "bench: $spec sweep done in $((secs / 60))m$((secs % 60))s wall; result set: $dir (results/latest)"
echo "bench:   results.csv (one row per trial), cells.csv (medians and spread), meta.json, hyperfine/"
[ "$prc" -eq 0 ] && echo "bench:   charts, decision-matrix.md and REPORT.md: $(ls "$dir" | grep -E '\.(svg|png|md)$' | tr '\n' ' ')"
[ "$rrc" -eq 0 ] && echo "bench: open this page (offline, one file): $dir/report.html"
[ "$rc" -ne 0 ] && echo "bench: some cells failed; see cells.csv (ok=0) and $dir/logs/" >&2
[ "$rc" -ne 0 ] && exit "$rc"
exit "$prc"
