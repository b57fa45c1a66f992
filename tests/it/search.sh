#!/bin/bash
# search.sh - `rate: search` in a sweep: per model, bracket then bisect
# the highest sustained rate (probes of 2,000 tasks and 2 s at least, to a
# 5% bracket), capacity.csv says it with its bracket and probes, the curve
# runs percents of it with the same 1,000 tasks at every load, and the
# matrix uses it; a model that sustains not even the lowest probe gets no
# number and no cells; `rate: search` without `slo:` is refused. With
# `search_reps: 2` every model is searched twice, interleaved, capacity.csv
# keeps each search (search_rep) and the median, and the open-loop table
# tests the two highest by the verdict rule (probes shortened for the test).
source "$(dirname "$0")/lib.sh"

col() { awk -F, -v c="$2" 'NR==1{for(i=1;i<=NF;i++) if($i==c) k=i; next} {print $k}' "$1"; }
# capval FILE MODEL COLUMN
capval() { awk -F, -v m="$2" -v c="$3" -v r="${4:-median}" 'NR==1{for(i=1;i<=NF;i++) h[$i]=i; next} $h["model"]==m && $h["search_rep"]==r {print $h[c]}' "$1"; }

cat >"$TMP/s.spec" <<'SPEC'
reps: 1
warmup: 0
grid: ol
models: eventloop
workload: io
io_latency: 1ms
concurrency: 20
tasks: 200
rate: search 50%
slo: 50ms
grid: tight
models: threadpool
workload: io
io_latency: 1ms
concurrency: 20
tasks: 200
rate: search
slo: 1us
SPEC
"$CMBENCH" sweep "$TMP/s.spec" -o "$TMP/set" >"$TMP/out" 2>"$TMP/err"
rc=$?
check "sweep with rate: search: exit 0 (got $rc)" [ "$rc" -eq 0 ]
cap="$TMP/set/capacity.csv"
check "capacity.csv has the search's columns" \
	grep -q '^capacity_id,.*,capacity_tps,search,sustained_tps,bracket_lo_tps,bracket_hi_tps,probes,slo_us,search_rep$' "$cap"
s=$(capval "$cap" eventloop sustained_tps)
lo=$(capval "$cap" eventloop bracket_lo_tps)
hi=$(capval "$cap" eventloop bracket_hi_tps)
pr=$(capval "$cap" eventloop probes)
check "eventloop: a sustained rate, its bracket within 5% (or open above), 2+ probes ($s [$lo, $hi], $pr probes)" \
	awk -v s="$s" -v lo="$lo" -v hi="$hi" -v p="$pr" \
	'BEGIN { exit !(s > 0 && lo == s && (hi == "" || hi <= 1.0501 * lo) && p >= 2) }'
check "the search said each probe's verdict" grep -q "search .*eventloop.*tasks/s: " "$TMP/err"
check "the 50% cell runs 1,000 tasks at half the sustained rate" \
	awk -F, -v s="$s" 'NR==1{for(i=1;i<=NF;i++) h[$i]=i; next}
		$h["model"]=="eventloop" { exit !($h["tasks"] == 1000 && $h["rate_tps"] > 0.49 * s && $h["rate_tps"] < 0.51 * s) }' \
	"$TMP/set/cells.csv"
check "threadpool at an SLO of 1 us: no sustained rate, said, not a number" \
	test "$(capval "$cap" threadpool search),$(capval "$cap" threadpool sustained_tps)" = "none,"
check "threadpool's cell is not run, and the sweep says so in one line" \
	test "$(col "$TMP/set/cells.csv" model | grep -c threadpool),$(grep -c 'no sustained rate' "$TMP/err")" = "0,1"
"$CMBENCH" plots "$TMP/set" >/dev/null 2>&1
check "decision-matrix.md gives the sustained rate with its bracket and probes" \
	grep -q "| eventloop | .* tasks/s \[.*\], [0-9]* probes |" "$TMP/set/decision-matrix.md"

# a resumed sweep reads the search back: no probe again
"$CMBENCH" sweep "$TMP/s.spec" -o "$TMP/set" --resume >"$TMP/out" 2>"$TMP/err2"
check "--resume runs no probe again" test "$(grep -c 'search ' "$TMP/err2")" = 0

printf 'grid: g\nmodels: eventloop\nworkload: io\nio_latency: 1ms\nconcurrency: 2\ntasks: 10\nrate: search 50%%\n' >"$TMP/bad.spec"
"$CMBENCH" sweep "$TMP/bad.spec" -o "$TMP/bad" >/dev/null 2>"$TMP/err"
rc=$?
check "rate: search without slo: exit 2, one line ($(head -1 "$TMP/err"))" \
	test "$rc,$(wc -l <"$TMP/err")" = "2,1"
check "... and no result set left" test ! -e "$TMP/bad"

# search_reps: 2 - two searches per model, interleaved; short probes (test only)
cat >"$TMP/r.spec" <<'SPEC'
reps: 1
warmup: 0
search_reps: 2
grid: ol
models: eventloop threadpool
workload: io
io_latency: 1ms
concurrency: 20
tasks: 200
rate: search
slo: 50ms
SPEC
CMBENCH_TEST_PROBE_S=0.2 "$CMBENCH" sweep "$TMP/r.spec" -o "$TMP/rset" >"$TMP/out" 2>"$TMP/err"
rc=$?
check "search_reps: 2: exit 0 (got $rc)" [ "$rc" -eq 0 ]
cap="$TMP/rset/capacity.csv"
for m in eventloop threadpool; do
	s1=$(capval "$cap" $m sustained_tps 1)
	s2=$(capval "$cap" $m sustained_tps 2)
	md=$(capval "$cap" $m sustained_tps median)
	check "$m: two searches and their median in capacity.csv ($s1, $s2 -> $md)" \
		awk -v a="$s1" -v b="$s2" -v m="$md" 'BEGIN { d = m - (a + b) / 2; exit !(a > 0 && b > 0 && d * d < 1e-6 * m * m + 1) }'
done
check "the searches ran in rounds: search 1 of both models before any search 2" \
	awk '/search 1 of 2/ { if (two) bad = 1; one++ } /search 2 of 2/ { two++ } END { exit !(one == 2 && two == 2 && !bad) }' "$TMP/err"
"$CMBENCH" plots "$TMP/rset" >/dev/null 2>&1
check "the open-loop verdict is tested: a ratio and its interval, not 'untested'" \
	grep -qE "^\| io .*\| (eventloop|threadpool) ([0-9.]+× \[[0-9.]+, [0-9.]+\] ahead of|≈|\?) (eventloop|threadpool)" "$TMP/rset/decision-matrix.md"
check "... and not 'untested'" sh -c "! grep -q 'untested (one search' '$TMP/rset/decision-matrix.md'"

for bad in 0 x 2.5 '1 2'; do
	printf 'reps: 1\ngrid: g\nmodels: eventloop\nworkload: io\nsearch_reps: %s\nrate: search\nslo: 50ms\n' "$bad" >"$TMP/bad.spec"
	"$CMBENCH" sweep "$TMP/bad.spec" -o "$TMP/bad2" >/dev/null 2>"$TMP/err"
	rc=$?
	check "search_reps: $bad: exit 2, one line naming the spec line ($(head -1 "$TMP/err"))" \
		test "$rc,$(wc -l <"$TMP/err"),$(grep -c ':5:' "$TMP/err")" = "2,1,1"
done
check "... and no result set left" test ! -e "$TMP/bad2"
