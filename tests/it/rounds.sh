#!/bin/bash
# rounds.sh - the rounds of a grid point end to end (tests/fixtures/
# rounds.spec): labels (models: LABEL=MODEL), cpu_scale, reps MIN..MAX
# stopped when decided, the seed in meta.json, the intervals in cells.csv, one
# hyperfine export per cell over its rounds; and the one-line errors of
# reps:, ci:, equiv:, stop: and labels, which leave no set behind.
source "$(dirname "$0")/lib.sh"
SPEC=tests/fixtures/rounds.spec

# val FILE CELLPATTERN NAME: column NAME of the first cell matching
val() {
	awk -F, -v p="$2" -v c="$3" 'NR==1{for(i=1;i<=NF;i++) h[$i]=i; next}
		$1 ~ p {print $h[c]; exit}' "$1"
}

"$CMBENCH" sweep "$SPEC" -o "$TMP/s" >"$TMP/s.out" 2>"$TMP/s.err"
rc=$?
check "sweep rounds.spec: exit 0 (got $rc)" [ "$rc" -eq 0 ]
cs=$TMP/s/cells.csv
check "three cells, one per label" [ "$(tail -n +2 "$cs" | grep -c .)" -eq 3 ]
check "the label is the cell's name, its model the model's" \
	[ "$(val "$cs" '^matrix-tp-b-' label),$(val "$cs" '^matrix-tp-b-' model)" = "tp-b,threadpool" ]
a=$(val "$cs" '^matrix-threadpool-' cpu_iters)
b=$(val "$cs" '^matrix-tp-b-' cpu_iters)
check "cpu_scale: tp-b runs 1.1x the iterations ($b vs $a)" \
	awk -v a="$a" -v b="$b" 'BEGIN{exit !(a > 0 && b > 1.09 * a && b < 1.11 * a)}'
r=$(val "$cs" '^matrix-threadpool-' reps)
check "reps within MIN..MAX (2..4): $r" [ "$r" -ge 2 -a "$r" -le 4 ]
check "the point's cells ran the same rounds" \
	[ "$(val "$cs" '^matrix-tp-b-' reps)" = "$r" -a "$(val "$cs" '^matrix-sequential-' reps)" = "$r" ]
check "results.csv: a row per cell and round" [ "$(tail -n +2 "$TMP/s/results.csv" | grep -c .)" -eq $((3 * r)) ]
lo=$(val "$cs" '^matrix-threadpool-' makespan_s_ci_lo)
hi=$(val "$cs" '^matrix-threadpool-' makespan_s_ci_hi)
med=$(val "$cs" '^matrix-threadpool-' makespan_s_med)
# the interval is that of the geometric mean of the reps (the center the
# test compares): that center lies between its bounds
id=$(val "$cs" '^matrix-threadpool-' cell)
gm=$(awk -F, -v id="$id" 'NR==1{for(i=1;i<=NF;i++) h[$i]=i; next}
	$h["cell"] == id && $h["makespan_s"] > 0 {s += log($h["makespan_s"]); n++}
	END{if (n) printf "%.9g", exp(s / n)}' "$TMP/s/results.csv")
check "the interval of the makespan's geometric mean holds it ($lo $gm $hi; median $med)" \
	awk -v l="$lo" -v g="$gm" -v h="$hi" 'BEGIN{exit !(g != "" && l > 0 && l <= g * 1.000001 && h >= g / 1.000001 && l < h)}'
st=$(val "$cs" '^matrix-threadpool-' ci_stop)
check "ci_stop says why the rounds stopped ($st)" eval '[ "$st" = decided -o "$st" = max -o "$st" = budget ]'
check "meta.json: the seed of the round orders" grep -qE '"seed": [1-9][0-9]*' "$TMP/s/meta.json"
check "hyperfine: one export per cell with every round's time" \
	grep -q "\"rounds\": $r" "$TMP/s/hyperfine/$(val "$cs" '^matrix-tp-b-' cell).json"
# the order changes between rounds: some cell ran at different places
pos=$(for f in "$TMP"/s/hyperfine/*.json; do
	tr -d ' \n' <"$f" | grep -o '"round_positions":\[[0-9,]*\]'
done)
check "hyperfine: each cell's place in every round's order" \
	[ "$(printf '%s\n' "$pos" | grep -c "round_positions\":\[[0-9]\(,[0-9]\)\{$((r - 1))\}\]")" -eq 3 ]
check "the round orders change between rounds ($(echo $pos))" \
	eval 'printf "%s\n" "$pos" | grep -qvE "\[([0-9])(,\1)*\]"'
check "no scratch left" [ ! -e "$TMP/s/.scratch" ]

"$CMBENCH" plots "$TMP/s" >/dev/null 2>&1
check "REPORT.md: the interval target is the grid's own ci:, not the spec's global one" \
	grep -q "reached a 95% interval of the geometric mean makespan within ±50%" "$TMP/s/REPORT.md"
check "REPORT.md: the reps run, not the spec's" grep -q "reps run per cell $r / $r / $r" "$TMP/s/REPORT.md"
check "decision-matrix.md: every verdict has its ratio and interval" \
	grep -qE '(tie: |equivalent within [^:]*: |inconclusive: |\*\*)[a-z-]+.*[0-9.]+× \[[0-9.]+, [0-9.]+\]' "$TMP/s/decision-matrix.md"

# compare: per model pair of a point in both sets, the verdicts; a copy
# whose threadpool took 100 times as long (and whose machine had another
# clock source) contradicts the set: their intervals of the ratio are
# disjoint, and B's verdict is tp-b ahead
cp -r "$TMP/s" "$TMP/s3"
awk -F, -v OFS=, 'NR==1{for(i=1;i<=NF;i++) if($i=="makespan_s") k=i; print; next}
	$1 ~ /^matrix-threadpool-/ {$k = $k * 100} {print}' "$TMP/s/results.csv" >"$TMP/s3/results.csv"
sed -i 's/"clocksource": "[^"]*"/"clocksource": "hpet-test"/' "$TMP/s3/meta.json"
"$CMBENCH" compare "$TMP/s" "$TMP/s" >"$TMP/same.out" 2>/dev/null
check "compare a set with itself: three model pairs (sequential, one-slot, pairs at every level), no contradiction, the same verdicts" \
	grep -q '^3 model pairs in both sets (3 tested in both): 0 contradict (disjoint intervals), 0 verdicts differ$' "$TMP/same.out"
check "compare a set with itself: nothing differs between the machines" \
	grep -q '^what differs between the machines: nothing meta.json records$' "$TMP/same.out"
"$CMBENCH" compare "$TMP/s" "$TMP/s3" >"$TMP/c3.out" 2>/dev/null
check "compare: threadpool 100x slower in B contradicts A ($(grep -c CONTRADICT "$TMP/c3.out") pair)" \
	grep -q '^matrix:cpu-s100-c2-n10-cpu500us: A .*tp-b.* | B tp-b [0-9.]*× .* ahead of threadpool  CONTRADICT  VERDICTS DIFFER$' "$TMP/c3.out"
check "compare: the counts" grep -q '^3 model pairs in both sets (3 tested in both): [1-3] contradict (disjoint intervals), [1-3] verdicts differ$' "$TMP/c3.out"
check "compare: names what differs between the machines" \
	grep -q "^what differs between the machines: clock source '.*' vs 'hpet-test'" "$TMP/c3.out"
for k in hypervisor transparent_hugepages cpu_mitigations cpu_governor clocksource kernel; do
	check "meta.json records $k" grep -q "\"$k\": \"..*\"" "$TMP/s/meta.json"
done

G='grid: g\nmodels: threadpool\nworkload: io\nio_latency: 1ms\nconcurrency: 2\ntasks: 9\n'
n=0
for bad in "reps: 0\n$G" "reps: 9..3\n$G" "ci: -1%\n$G" \
	'grid: g\nmodels: threadpool a=threadpool a=forkpool\n' \
	'grid: g\nmodels: threadpool a=nosuch\n' "equiv: 0%\n$G" "equiv: -5%\n$G" \
	"equiv: 100%\n$G" "stop: ci\nequiv: 3%\n$G"; do
	n=$((n + 1))
	printf "%b" "$bad" >"$TMP/bad$n.spec"
	"$CMBENCH" sweep "$TMP/bad$n.spec" -o "$TMP/bad$n" >/dev/null 2>"$TMP/bad$n.err"
	rc=$?
	check "bad spec $n: status 2, one line naming the line ($(cat "$TMP/bad$n.err"))" \
		eval '[ "$rc" -eq 2 ] && [ "$(wc -l <"$TMP/bad$n.err")" -eq 1 ] && grep -q "bad$n.spec:[12]: " "$TMP/bad$n.err"'
	check "bad spec $n: no result set made" [ ! -e "$TMP/bad$n" ]
done
exit 0 # the TAP lines carry the verdict
