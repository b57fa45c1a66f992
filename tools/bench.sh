#!/bin/sh
# bench.sh - what `make bench` runs after building: the default sweep (or
# the quick one with QUICK=1), then the charts, the decision matrix and the
# report of the new result set, last the one-page report.html, and where
# it all is. SPEC=python: the Python sweep (`make bench-python`). The
# ceiling grid (cmbench ceiling, capped at CEILING_CAP) goes into the same
# set. With HOSTS=FILE the sweep is spread over the hosts of FILE
# (tools/hosts.sh).
set -u
spec=${SPEC:-default}
CEILING_MODELS=${CEILING_MODELS:-eventloop,threadpool,thread-per-task,forkpool}
CEILING_FROM=512 CEILING_CAP=${CEILING_CAP:-1024}
if [ "${QUICK:-}" = 1 ]; then
	spec=quick CEILING_FROM=256 CEILING_CAP=${CEILING_CAP:-512}
fi
if [ -n "${HOSTS:-}" ]; then
	exec tools/hosts.sh "$HOSTS" "$spec"
fi
start=$(date +%s)

./cmbench sweep "$spec"
rc=$?
if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
	echo "bench: the sweep stopped (status $rc); what it finished is in results/latest" >&2
	exit "$rc"
fi
dir=results/$(readlink results/latest)

# the ceiling grid: how many tasks each model holds at once, up to a cap
# that keeps make bench within its budget (make ceiling goes to the memory
# budget); a search that fails is in ceiling.csv and REPORT.md, not fatal
crc=0
case "$spec" in default | quick)
	./cmbench ceiling -o "$dir" --models "$CEILING_MODELS" --workloads io,timer \
		--from "$CEILING_FROM" --cap "$CEILING_CAP" --hold 1s ${MEM_BUDGET:+--mem-budget "$MEM_BUDGET"}
	crc=$?
	;;
esac
if [ "$crc" -ne 0 ] && [ "$crc" -ne 1 ]; then
	echo "bench: cmbench ceiling stopped (status $crc); the sweep's set in $dir is kept" >&2
	[ "$crc" -ge 128 ] && exit "$crc"
fi

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
