#!/bin/bash
# aa.sh - the A/A experiment, small (make test-slow; the full one is
# tools/measure/aa.sh): threadpool against itself over four grid points,
# stopped when decided. No pair may be a false winner (one of the four is
# allowed, a wide margin for a busy machine), every pair verdict is one of
# the three, and every point stopped for a reason the rule knows. The
# verdicts are read with `cmbench compare S S`, which judges each pair of
# a point by its grid's own rule.
source "$(dirname "$0")/lib.sh"

cat >"$TMP/aa.spec" <<'EOF'
# aa.spec - tests/it/aa.sh
name: aa
reps: 3..6
warmup: 0
timeout: 2s
grid: matrix
models: threadpool threadpool-b=threadpool
share: 0 100
task_time: 500us
concurrency: 2 10
tasks: 40
budget: 60s
EOF
"$CMBENCH" sweep "$TMP/aa.spec" -o "$TMP/s" >/dev/null 2>"$TMP/s.err"
rc=$?
check "A/A sweep: exit 0 (got $rc; $(tail -1 "$TMP/s.err"))" [ "$rc" -eq 0 ]
"$CMBENCH" compare "$TMP/s" "$TMP/s" >"$TMP/c.out" 2>/dev/null
pairs=$(grep -c '^matrix:' "$TMP/c.out")
# the A side of each pair line: "A <verdict> | B ..."
sideA() { grep '^matrix:' "$TMP/c.out" | sed 's/^[^ ]* A //; s/ | B .*//'; }
wins=$(sideA | grep -c ' ahead of ')
equiv=$(sideA | grep -c 'equivalent within ±5%')
inc=$(sideA | grep -c 'inconclusive')
check "four A/A pairs judged ($pairs)" [ "$pairs" -eq 4 ]
check "every verdict is a winner, equivalent or inconclusive ($wins + $equiv + $inc)" \
	[ "$((wins + equiv + inc))" -eq "$pairs" ]
check "at most one false winner of four A/A pairs ($wins)" [ "$wins" -le 1 ]
check "an inconclusive verdict says how many more reps, or that none would" \
	eval '! sideA | grep inconclusive | grep -qvE "(~[0-9]+ more reps|more reps would not decide it)"'
stops=$(awk -F, 'NR==1{for(i=1;i<=NF;i++) h[$i]=i; next} {print $h["ci_stop"]}' "$TMP/s/cells.csv" | sort -u | tr '\n' ' ')
check "each point stopped decided, at MAX or by the budget ($stops)" \
	eval '[ -n "$stops" ] && ! echo "$stops" | tr " " "\n" | grep -v "^$" | grep -qvE "^(decided|max|budget)$"'
check "a point that stopped decided ran fewer than MAX rounds" \
	awk -F, 'NR==1{for(i=1;i<=NF;i++) h[$i]=i; next}
		$h["ci_stop"] == "decided" && $h["reps"] >= $h["reps_max"] {bad++} END {exit bad > 0}' "$TMP/s/cells.csv"
exit 0 # the TAP lines carry the verdict
