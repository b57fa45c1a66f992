#!/bin/bash
# regimes.sh - the grids beyond the matrix end to end (tests/fixtures/
# regimes.spec): a blocking grid, per-task models with spawn fork and exec,
# a foreign runtime calibrated once, an open-loop grid with capacity runs;
# then the regimes table, the open-loop criterion, the findings, the new
# charts, and the cross-model checksum check of cmbench plots.
source "$(dirname "$0")/lib.sh"
SPEC=tests/fixtures/regimes.spec

# col FILE NAME: the values of column NAME, one per line
col() { awk -F, -v c="$2" 'NR==1{for(i=1;i<=NF;i++) if($i==c) k=i; next} {print $k}' "$1"; }
# val FILE CELLPATTERN NAME: column NAME of the first cell matching
val() {
	awk -F, -v p="$2" -v c="$3" 'NR==1{for(i=1;i<=NF;i++) h[$i]=i; next}
		$1 ~ p {print $h[c]; exit}' "$1"
}

"$CMBENCH" sweep "$SPEC" -o "$TMP/s" >"$TMP/s.out" 2>"$TMP/s.err"
rc=$?
check "sweep regimes.spec: exit 0 (got $rc; $(grep -v '^\[' "$TMP/s.err" | tail -2 | tr '\n' ' '))" [ "$rc" -eq 0 ]
n=$(col "$TMP/s/cells.csv" ok | grep -c .)
bad=$(col "$TMP/s/cells.csv" ok | grep -c '^0$')
check "every cell ok ($n cells, $bad failed)" [ "$n" -gt 20 -a "$bad" -eq 0 ]
check "spawn: fork and exec make two process-per-task cells" \
	[ "$(grep -c '^creation-process-per-task' "$TMP/s/cells.csv")" -eq 2 ]
# one calibration for the runtime: both Python models run the same work
pi=$(awk -F, 'NR==1{for(i=1;i<=NF;i++) h[$i]=i; next}
	$1 ~ /^python_cpu-/ {print $h["cpu_iters"] "," $h["checksum"]}' "$TMP/s/cells.csv" | sort -u)
check "the Python models share one cpu_iters and one checksum ($(echo $pi))" \
	[ "$(echo "$pi" | wc -l)" -eq 1 -a "${pi%%,*}" -gt 0 ]
check "a rate: grid keeps its capacity runs (capacity.csv)" \
	[ "$(tail -n +2 "$TMP/s/capacity.csv" 2>/dev/null | grep -c .)" -ge 2 ]
check "the open-loop cells ran const arrivals" \
	[ "$(grep '^latency-' "$TMP/s/cells.csv" | grep -c ',const,')" -eq 4 ]

# the stall of the inline loop: 20 blocking calls of 5 ms at C=10 take the
# inline loop ~100 ms, one after another; offload with 10 workers ~10 ms
inl=$(val "$TMP/s/cells.csv" '^blocking-eventloop-blocking-c10' makespan_s_med)
off=$(val "$TMP/s/cells.csv" '^blocking-eventloop-offload-blocking-c10' makespan_s_med)
check "blocking C=10: the inline loop takes over 2x offload's makespan ($inl s vs $off s)" \
	awk -v a="$inl" -v b="$off" 'BEGIN{exit !(a > 0.08 && a > 2 * b)}'

"$CMBENCH" plots "$TMP/s" >"$TMP/p.out" 2>"$TMP/p.err"
rc=$?
check "plots: exit 0 (got $rc)" [ "$rc" -eq 0 ]
for c in stall latency latency-spectrum memory; do
	check "plots: $c.png drawn" [ -s "$TMP/s/$c.png" ]
done
dm=$TMP/s/decision-matrix.md
check "decision-matrix.md: the regimes table has the blocking row with a verdict" \
	grep -qE '^\| .*grid blocking, C=10.*\| (\*\*agrees\*\*|disagrees|equivalent|inconclusive) \|$' "$dm"
# one run per model is no sample: the highest rate, untested, never a winner or a tie
check "decision-matrix.md: the open-loop criterion names the highest rate at the SLO, untested" \
	grep -qE '^\| io .*\| 50 ms \| (sequential|eventloop), untested \(one (run|search) per model\) \|' "$dm"
check "decision-matrix.md: no open-loop tie between untested figures" \
	eval '! grep -E "^\| io .*\| 50 ms \|" "$dm" | grep -q "(tie"'

rp=$TMP/s/REPORT.md
check "REPORT.md: the stall factor of the inline loop" grep -q 'The inline loop stalls on a blocking call' "$rp"
check "REPORT.md: the creation cost against the pools, fork and exec" \
	grep -q 'process-per-task (exec) takes' "$rp"
check "REPORT.md: the sustainable rate of each model" grep -q 'sequential sustains' "$rp"
check "REPORT.md: every cell passed the self-check" grep -q 'Self-check.** All' "$rp"

# a cell whose checksum differs from the other models' on the same work
cp -r "$TMP/s" "$TMP/bad"
awk -F, -v OFS=, 'NR==1{for(i=1;i<=NF;i++) if($i=="checksum") k=i}
	NR>1 && $1 ~ /^matrix-eventloop-cpu-s100-c4-/ {$k="00000000deadbeef"} {print}' \
	"$TMP/s/cells.csv" >"$TMP/bad/cells.csv"
"$CMBENCH" plots "$TMP/bad" >/dev/null 2>&1
check "plots: a checksum unlike the other models' on the same work fails that cell" \
	grep -q 'matrix-eventloop-cpu-s100-c4-[^`]*` (its checksum differs' "$TMP/bad/REPORT.md"
check "plots: the like cells with the right checksum still pass" \
	grep -q 'Failures.\*\* 1 of' "$TMP/bad/REPORT.md"
