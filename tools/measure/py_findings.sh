#!/bin/bash
# py_findings.sh - the claims and the Python findings measured again (issue
# 26), before and after: `cmbench claims` (uvloop's ratio, asyncio's 5 s,
# aiohttp's, the CPU of a request, C against CPython) and the three Python
# grids of sweeps/default (python_io, python_cpu, python_mixed: REPORT.md's
# "C against CPython" and "Python event loops on I/O" findings), with this
# cmbench and, with CMBENCH_BEFORE=PATH, with an older one built in its own
# checkout (each run from its own folder, so each uses its own
# models/python/, claims/runs.txt and plots/). Writes OUT/py_findings.md:
# the claims' rows and the findings' lines side by side.
#
#   tools/measure/py_findings.sh [OUT]       (default results/py-findings-<UTC time>)
#   CMBENCH=./cmbench CMBENCH_BEFORE=/work/before/cmbench
# About 3 minutes of claims and 2 of sweep per binary on 2 cores;
# PY_FINDINGS_SMALL=1 runs one claim and one rep at a few tasks (seconds),
# to check that it works. A set of
# each binary is made (OUT/after, OUT/before): `cmbench compare` refuses
# the pair when their checksum schemes differ, so this page sets them side
# by side instead.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${1:-$ROOT/results/py-findings-$(date -u +%Y%m%dT%H%M%SZ)}
CMBENCH=${CMBENCH:-$ROOT/cmbench}
BEFORE=${CMBENCH_BEFORE:-}
mkdir -p "$OUT" || exit 2
OUT=$(cd "$OUT" && pwd)
CMBENCH=$(cd "$(dirname "$CMBENCH")" && pwd)/$(basename "$CMBENCH")
[ -x "$CMBENCH" ] || { echo "py_findings: no cmbench at $CMBENCH" >&2; exit 2; }
if [ -n "$BEFORE" ]; then
	[ -x "$BEFORE" ] || { echo "py_findings: CMBENCH_BEFORE=$BEFORE is not an executable" >&2; exit 2; }
	BEFORE=$(cd "$(dirname "$BEFORE")" && pwd)/$(basename "$BEFORE")
fi

# the spec: sweeps/default's header (what comes before its first grid) and
# its Python grids, whole
spec=$OUT/python-findings.spec
awk '/^grid: / { g = ($2 ~ /^python_(io|cpu|mixed)$/); head = 0 }
	BEGIN { head = 1 } head || g' "$ROOT/sweeps/default" |
	sed 's/^name: .*/name: python-findings/' >"$spec"
grep -q '^grid: python_io' "$spec" || { echo "py_findings: no python_io grid in sweeps/default" >&2; exit 2; }
runs=()
if [ "${PY_FINDINGS_SMALL:-}" = 1 ]; then
	sed -i -e 's/^reps: .*/reps: 1/' -e 's/^warmup: .*/warmup: 0/' -e 's/^tasks: .*/tasks: 20/' "$spec"
	runs=(--runs "$OUT/small-runs.txt")
	for m in py_asyncio:py-asyncio loop:eventloop; do
		for c in 10 100; do
			echo "${m%%:*}_100x50ms_c$c.1 --model ${m#*:} --workload io --tasks 20 --concurrency $c --io-latency 5ms"
		done
	done >"$OUT/small-runs.txt"
	echo "claim asyncio-5s py=py_asyncio_100x50ms_c10 c=loop_100x50ms_c10 py.all=py_asyncio_100x50ms_c100 c.all=loop_100x50ms_c100" \
		>>"$OUT/small-runs.txt"
fi

# measure LABEL BINARY: its claims and its sweep of the spec, from its folder
measure() {
	local label=$1 bin=$2
	(
		cd "$(dirname "$bin")" || exit 1
		"$bin" claims -o "$OUT/$label/claims" "${runs[@]}" >"$OUT/$label.claims.log" 2>&1 ||
			echo "py_findings: $label: claims failed ($OUT/$label.claims.log)" >&2
		"$bin" sweep "$spec" -o "$OUT/$label" >"$OUT/$label.sweep.log" 2>&1 ||
			echo "py_findings: $label: the sweep failed ($OUT/$label.sweep.log)" >&2
		"$bin" plots "$OUT/$label" >>"$OUT/$label.sweep.log" 2>&1 ||
			echo "py_findings: $label: plots failed ($OUT/$label.sweep.log)" >&2
	)
}
labels="after"
[ -n "$BEFORE" ] && labels="before after"
for l in $labels; do
	bin=$CMBENCH
	[ "$l" = before ] && bin=$BEFORE
	echo "py_findings: $l: $bin" >&2
	measure "$l" "$bin"
done

# the claims of Python timings, and the Python findings of REPORT.md
{
	echo "# Claims and Python findings, before and after (tools/measure/py_findings.sh)"
	echo
	echo "$(date -u +%FT%TZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg) at the end."
	for l in $labels; do
		echo "$l: $( [ "$l" = before ] && echo "$BEFORE" || echo "$CMBENCH")"
	done
	for n in 1 2 3 9 10 11 14 15; do
		echo
		echo "## Claim $n"
		for l in $labels; do
			echo
			echo "$l:"
			echo
			grep -m1 "^| $n | " "$OUT/$l/claims/claims.md" 2>/dev/null || echo "(no row)"
		done
	done
	echo
	echo "## REPORT.md: the Python findings"
	for l in $labels; do
		echo
		echo "$l:"
		echo
		grep -E "grid python_(io|cpu|mixed)" "$OUT/$l/REPORT.md" 2>/dev/null || echo "(none)"
	done
} >"$OUT/py_findings.md"
echo "py_findings: $OUT/py_findings.md" >&2
