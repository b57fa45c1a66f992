#!/bin/bash
# figures.sh - the figures of issue 15 ("Every figure true"), into one file:
#   1. mem_per_task_kib of threadpool, thread-per-task, forkpool, eventloop
#      at C=1000 io, before (main's binary, or BEFORE=path) and after (this
#      tree's), with harness_kib, kernel_kib and samples;
#   2. the known allocation (--test-hold-kib K) per C model: bare (K=0),
#      held, and held - bare against K;
#   3. the memory slopes: a sweep of the memory grid (LEVELS) and the
#      REPORT.md line `cmbench plots` fits;
#   4. RUNS runs of `run --model sequential --workload cpu --tasks 24
#      --cpu-iters 200000`, before and after: the range of efficiency and of
#      cpu_us_per_task, and how many were flagged above_bound.
# usage: tools/measure/figures.sh [OUT_DIR]   (default results/figures-15)
# env:   C=1000 LEVELS="100 300 1000" RUNS=20 K=256 BEFORE=/path/to/old/cmbench
# Small scale on a busy machine: C=200 LEVELS="50 100 200" RUNS=20.
set -u
cd "$(dirname "$0")/../.."
OUT=${1:-results/figures-15}
C=${C:-1000}
LEVELS=${LEVELS:-100 300 1000}
RUNS=${RUNS:-20}
K=${K:-256}
NOW=./cmbench
mkdir -p "$OUT"
F="$OUT/figures.md"
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT

make -s cmbench >/dev/null || exit 1
BEFORE=${BEFORE:-}
if [ -z "$BEFORE" ]; then # main's binary, built apart
	mkdir -p "$W/main"
	git archive main | tar -x -C "$W/main"
	make -s -C "$W/main" cmbench >/dev/null 2>&1 && BEFORE="$W/main/cmbench"
fi

col() { # csv-file column...: the values of the columns of its one row
	python3 - "$@" <<'PY'
import csv, sys
r = list(csv.DictReader(open(sys.argv[1])))
print(" ".join(r[0].get(c, "-") or "-" for c in sys.argv[2:]) if r else "(no row)")
PY
}

{
	echo "# Issue 15 figures"
	echo
	echo "Measured $(date -u +%FT%TZ) on $(nproc) CPUs ($(uname -r)), load $(cut -d' ' -f1-3 /proc/loadavg)."
	echo "After: $(git rev-parse --short HEAD)$(git diff --quiet HEAD || echo ' (uncommitted changes)'); before: ${BEFORE:-none}."
	echo
	echo "## 1. mem_per_task_kib at C=$C, io (1 s)"
	echo
	echo "| model | before | after | harness_kib | kernel_kib (system-wide) | samples before/after |"
	echo "|---|---|---|---|---|---|"
} >"$F"
for m in threadpool thread-per-task forkpool eventloop; do
	args=(run --model "$m" --workload io --tasks "$C" --concurrency "$C" --io-latency 1s
		--timeout 30s --format csv)
	b="-"
	bs="-"
	if [ -n "$BEFORE" ]; then
		"$BEFORE" "${args[@]}" >"$W/b.csv" 2>/dev/null
		read -r b bs <<<"$(col "$W/b.csv" mem_per_task_kib samples)"
	fi
	"$NOW" "${args[@]}" --plateau-samples 5 >"$W/a.csv" 2>/dev/null
	read -r a h k as <<<"$(col "$W/a.csv" mem_per_task_kib harness_kib kernel_kib samples)"
	echo "| $m | $b | $a | $h | $k | $bs / $as |" >>"$F"
done

{
	echo
	echo "## 2. Known allocation: each task holds K = $K KiB (--test-hold-kib), C=100, io 300 ms"
	echo
	echo "| model | bare (K=0) | held (K=$K) | held - bare | within ±10% of K + bare |"
	echo "|---|---|---|---|---|"
} >>"$F"
for m in $("$NOW" list models | grep -v '^py-'); do
	n=100
	[ "$m" = sequential ] && n=5 # one task at a time: 5 of them show its one
	for k in 0 "$K"; do
		"$NOW" run --model "$m" --workload io --tasks "$n" --concurrency 100 --workers 2 \
			--io-latency 300ms --timeout 30s --plateau-samples 5 --test-hold-kib "$k" \
			--format csv >"$W/k$k.csv" 2>/dev/null
	done
	bare=$(col "$W/k0.csv" mem_per_task_kib)
	held=$(col "$W/k$K.csv" mem_per_task_kib)
	awk -v m="$m" -v b="$bare" -v h="$held" -v k="$K" 'BEGIN {
		d = h - (b + k); if (d < 0) d = -d
		printf "| %s | %s | %s | %.1f | %s |\n", m, b, h, h - b, d <= 0.1 * (b + k) ? "yes" : "NO" }' >>"$F"
done

{
	echo
	echo "## 3. Memory slopes: PSS peak against concurrency (levels $LEVELS), cmbench plots"
	echo
} >>"$F"
cat >"$W/mem.spec" <<SPEC
reps: 1
warmup: 0
timeout: 30s

grid: memory
models: eventloop eventloop-prefork threadpool thread-per-task forkpool process-per-task
workload: io
io_latency: 1s
concurrency: $LEVELS
plateau_samples: 5
tasks: C
SPEC
if "$NOW" sweep "$W/mem.spec" -o "$W/set" >"$W/sweep.log" 2>&1 && "$NOW" plots "$W/set" >/dev/null 2>&1; then
	grep -E "Memory by regression|too few samples" "$W/set/REPORT.md" >>"$F" || echo "(no fit in REPORT.md)" >>"$F"
	rm -rf "$OUT/memory-set"
	cp -r "$W/set" "$OUT/memory-set"
else
	echo "(the sweep failed: $(tail -2 "$W/sweep.log"))" >>"$F"
fi

{
	echo
	echo "## 4. $RUNS runs: sequential, cpu, 24 tasks, --cpu-iters 200000"
	echo
	echo "| binary | efficiency min..max | cpu_us_per_task min..max | efficiency_note above_bound |"
	echo "|---|---|---|---|"
} >>"$F"
for which in before after; do
	bin=$NOW
	[ "$which" = before ] && bin=$BEFORE
	[ -n "$bin" ] || continue
	: >"$W/eff.txt"
	for _ in $(seq "$RUNS"); do
		"$bin" run --model sequential --workload cpu --tasks 24 --cpu-iters 200000 \
			--format csv >"$W/e.csv" 2>/dev/null
		col "$W/e.csv" efficiency cpu_us_per_task efficiency_note >>"$W/eff.txt"
	done
	awk -v w="$which" 'NR == 1 { emin = emax = $1; wmin = wmax = $2 }
		{ if ($1 < emin) emin = $1; if ($1 > emax) emax = $1
		  if ($2 < wmin) wmin = $2; if ($2 > wmax) wmax = $2
		  if ($3 == "above_bound") n++ }
		END { printf "| %s | %.3f..%.3f | %.1f..%.1f | %d of %d |\n", w, emin, emax, wmin, wmax, n, NR }' \
		"$W/eff.txt" >>"$F"
done
echo "wrote $F"
