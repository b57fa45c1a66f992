#!/bin/bash
# openloop.sh - the figures of the open-loop work (issue 18), measured on
# this machine, into one markdown file:
#   1. every model of `cmbench list` under --rate: honours it (a run of 20
#      io tasks of 10 ms at 25/s: its makespan against N/rate = 0.8 s, its
#      p99) or refuses it (exit 2, the line);
#   2. the searched sustainable rate of each model of the default sweep's
#      latency grid (io and mixed) with its bracket and probes, beside the
#      batch capacity the old percents were of, and the samples behind each
#      point of the curve (a sweep of that grid alone, timed);
#   3. sequential io at 10 ms (its physical capacity is 100/s): the rate
#      the search finds.
# Usage: tools/measure/openloop.sh [OUT.md]   (default results/measure/openloop-<UTC>.md)
# SCALE=small runs part 2 with eventloop on io only, one rep (a proof
# that it works); SCALE=full (default) the grid as the default spec has it.
set -u
cd "$(dirname "$0")/../.."
CMBENCH=${CMBENCH:-./cmbench}
SCALE=${SCALE:-full}
stamp=$(date -u +%Y%m%d-%H%M%S)
OUT=${1:-results/measure/openloop-$stamp.md}
mkdir -p "$(dirname "$OUT")"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
[ -x "$CMBENCH" ] || make -s cmbench >/dev/null || exit 1

field() { # FILE COLUMN: the column of the one data row
	awk -F, -v c="$2" 'NR==1{for(i=1;i<=NF;i++) if($i==c) k=i; next} NR==2{print $k}' "$1"
}

{
	echo "# Open loop on $(hostname): $(nproc) cores, $(date -u +%FT%TZ)"
	echo
	echo "Load average before: $(cut -d' ' -f1-3 /proc/loadavg). SCALE=$SCALE."
	echo
	echo "## 1. Every model under --rate"
	echo
	echo "20 io tasks of 10 ms offered at 25/s (C=8): a model that keeps the schedule"
	echo "takes about N/rate = 0.8 s."
	echo
	echo "| model | --rate | exit | makespan | p99 | checksum |"
	echo "|---|---|---|---|---|---|"
} >"$OUT"
models=$("$CMBENCH" list | awk '/^models:/ { f = 1; next } /^workloads:/ { f = 0 } f { print $1 }')
for m in $models; do
	"$CMBENCH" run --model "$m" --workload io --io-latency 10ms --rate 25 --tasks 20 \
		--concurrency 8 --format csv >"$WORK/r.csv" 2>"$WORK/r.err"
	rc=$?
	if [ $rc = 2 ]; then
		echo "| $m | refuses: $(head -1 "$WORK/r.err") | 2 | | | |" >>"$OUT"
	else
		echo "| $m | honours | $rc | $(field "$WORK/r.csv" makespan_s) s | $(field "$WORK/r.csv" lat_p99_us) us | $(field "$WORK/r.csv" checksum) |" >>"$OUT"
	fi
done

# 2. the latency grid of the default spec, alone
awk '/^grid: latency$/ { f = 1 } f && /^$/ { exit } f' sweeps/default >"$WORK/grid"
{
	echo "reps: 3"
	echo "warmup: 1"
	echo "timeout: 5s"
	if [ "$SCALE" = small ]; then
		sed 's/^models: .*/models: eventloop/; s/^share: .*/share: 0/; s/^reps: .*/reps: 1/' "$WORK/grid"
	else
		cat "$WORK/grid"
	fi
} >"$WORK/latency.spec"
t0=$(date +%s)
"$CMBENCH" sweep "$WORK/latency.spec" -o "$WORK/lat" >"$WORK/lat.out" 2>"$WORK/lat.err"
rc=$?
t1=$(date +%s)
{
	echo
	echo "## 2. The latency grid: the sustained rate each model was found to hold"
	echo
	echo "\`cmbench sweep\` of the default spec's \`latency\` grid alone (exit $rc, $((t1 - t0)) s"
	echo "with its search, SLO p99 ≤ $(awk '/^slo:/ {print $2}' "$WORK/grid")). *batch* is the batch throughput"
	echo "the old grid's percents were of (its old verdicts were 0.9× or 1.1× of it)."
	echo
	echo "| model | workload | batch (old 100%) | sustained | bracket | probes | sustained / batch |"
	echo "|---|---|---|---|---|---|---|"
	awk -F, 'NR==1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
		{ s = $h["sustained_tps"]; b = $h["capacity_tps"]
		  printf "| %s | %s | %.0f | %s | [%s, %s] | %s | %s |\n", $h["model"], $h["workload"], b,
			($h["search"] == "none" ? "none" : sprintf("%.0f", s)), $h["bracket_lo_tps"],
			$h["bracket_hi_tps"], $h["probes"], (s > 0 ? sprintf("%.2f", s / b) : "-") }' \
		"$WORK/lat/capacity.csv"
	echo
	echo "Samples per point of the curve (completed tasks, median rep; reps run):"
	echo
	echo "| cell | offered tasks/s | samples | reps | p99 ms (min–max over reps) |"
	echo "|---|---|---|---|---|"
	awk -F, 'NR==1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
		{ printf "| %s | %.0f | %s | %s | %.3g (%.3g–%.3g) |\n", $h["cell"], $h["rate_tps"],
			$h["completed_med"], $h["reps"], $h["lat_p99_us_med"] / 1e3,
			$h["lat_p99_us_min"] / 1e3, $h["lat_p99_us_max"] / 1e3 }' "$WORK/lat/cells.csv"
	echo
	echo "The search, probe by probe:"
	echo
	echo '```'
	grep -E "search|sustained rate|batch capacity|no sustained" "$WORK/lat.err"
	echo '```'
} >>"$OUT"

# 3. sequential io at 10 ms
cat >"$WORK/seq.spec" <<'SPEC'
reps: 1
warmup: 0
grid: seq10
models: sequential
workload: io
io_latency: 10ms
concurrency: 1
tasks: 200
rate: search
slo: 100ms
SPEC
"$CMBENCH" sweep "$WORK/seq.spec" -o "$WORK/seq" >"$WORK/seq.out" 2>"$WORK/seq.err"
rc=$?
{
	echo
	echo "## 3. sequential, io at 10 ms (physical capacity 100/s), SLO p99 ≤ 100 ms"
	echo
	echo "(sweep exit $rc)"
	echo
	awk -F, 'NR==1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
		{ printf "batch %.1f tasks/s; sustained %s tasks/s, bracket [%s, %s], %s probes\n",
			$h["capacity_tps"], $h["sustained_tps"], $h["bracket_lo_tps"],
			$h["bracket_hi_tps"], $h["probes"] }' "$WORK/seq/capacity.csv"
	echo
	echo '```'
	grep -E "search|sustained rate|batch capacity|no sustained" "$WORK/seq.err"
	echo '```'
	echo
	echo "Load average after: $(cut -d' ' -f1-3 /proc/loadavg)."
} >>"$OUT"
echo "$OUT"
