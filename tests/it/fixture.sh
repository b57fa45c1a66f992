#!/bin/bash
# fixture.sh - the proof of the tables: a model, a workload, a chart and a
# finding that exist only in the fixture build (tests/fixtures/src/, added
# to the four registries under -DCMB_FIXTURES; build/cmbench-fixtures) are
# handled by `cmbench list`, the CLI, a sweep, the charts, the decision
# matrix and the findings with no line of theirs anywhere else: each is its
# own file, its extern and its table entry.
source "$(dirname "$0")/lib.sh"

# touched_only NAME REG N OWN...: NAME (a fixture's symbol) is named by
# its own file(s) OWN and by REG on N lines (a table's extern and entry):
# by no other file of the tree (its prose, *.md, aside).
touched_only() {
	local name=$1 reg=$2 n=$3 files want
	shift 3
	files=$(git grep -l -w -F "$name" -- ':!tests/it/fixture.sh' ':!*.md' 2>/dev/null | sort | tr '\n' ' ')
	want=$(printf '%s\n' "$reg" "$@" | sort -u | tr '\n' ' ')
	[ "$files" = "$want" ] && [ "$(grep -c -w -F "$name" "$reg")" -eq "$n" ]
}
check "the fixture chart: its file and two lines of plots/data/registry.c, no other" \
	touched_only chart_fixture plots/data/registry.c 2 tests/fixtures/src/fixture_chart.c
check "the fixture chart's script: named by its chart's entry only" \
	touched_only fixture.gp tests/fixtures/src/fixture_chart.c 1 tests/fixtures/src/fixture.gp
check "the fixture finding: its file and two lines of plots/findings/registry.c, no other" \
	touched_only finding_fixture plots/findings/registry.c 2 tests/fixtures/src/fixture_finding.c
check "the fixture model: its file and two lines of models/registry.c, no other" \
	touched_only model_fixture models/registry.c 2 tests/fixtures/src/fixture_model.c
check "the fixture workload: its file and two lines of workloads/registry.c, no other" \
	touched_only workload_sleephash workloads/registry.c 2 tests/fixtures/src/sleephash.c

FIXBIN=${FIXBIN:-build/cmbench-fixtures}
if ! make -s -j2 "$FIXBIN" >"$TMP/make.out" 2>&1; then
	not_ok "the fixture build: $(tail -3 "$TMP/make.out" | tr '\n' ' ')"
	exit 0
fi

check "list models: the fixture model" bash -c "'$FIXBIN' list models | grep -qx fixture"
check "list workloads: the fixture workload" \
	bash -c "'$FIXBIN' list workloads | grep -qx sleephash"
check "the default build has neither" \
	bash -c "! '$CMBENCH' list models workloads 2>/dev/null | grep -q -e fixture -e sleephash &&
		! '$CMBENCH' list workloads | grep -qx sleephash"
check "run --help: the workload's own flag" \
	bash -c "'$FIXBIN' run --help 2>&1 | grep -q -- --sleephash-sleep"

run_csv() { "$FIXBIN" run --workload sleephash --tasks 12 --cpu-iters 2000 \
	--sleephash-sleep 1ms --format csv "$@"; }
run_csv --model fixture >"$TMP/fx.csv" 2>"$TMP/fx.err"
rc=$?
check "run fixture on sleephash: exit 0 (got $rc: $(head -c 200 "$TMP/fx.err"))" [ "$rc" -eq 0 ]
check "run: 12 tasks, no errors" \
	test "$(csv_field "$TMP/fx.csv" tasks),$(csv_field "$TMP/fx.csv" errors)" = "12,0"
check "run: 12 tasks of 1 ms sleep take at least 12 ms" \
	awk "BEGIN { exit !($(csv_field "$TMP/fx.csv" makespan_s) >= 0.012) }"
run_csv --model eventloop-offload --concurrency 3 >"$TMP/el.csv" 2>/dev/null
check "the same work under another model: the same checksum" \
	test "$(csv_field "$TMP/fx.csv" checksum)" = "$(csv_field "$TMP/el.csv" checksum)"
"$FIXBIN" run --model fixture --workload sleephash --sleephash-sleep 5x >/dev/null 2>"$TMP/bad"
rc=$?
check "a bad value of its flag: exit 2 and one line (got $rc)" \
	test "$rc" -eq 2 -a "$(grep -c . "$TMP/bad")" -eq 1

SET="$TMP/set"
"$FIXBIN" sweep tests/fixtures/fixture.spec -o "$SET" >"$TMP/sw.out" 2>"$TMP/sw.err"
rc=$?
check "sweep with the fixtures: exit 0 (got $rc: $(tail -c 300 "$TMP/sw.err"))" [ "$rc" -eq 0 ]
check "sweep: the fixture model's cells are ok" \
	test "$(awk -F, 'NR==1{for(i=1;i<=NF;i++) h[$i]=i; next}
		$h["model"]=="fixture" && $h["ok"]==1 {n++} END {print n+0}' "$SET/cells.csv")" -eq 3
check "sweep: the fixture workload's cells are ok" \
	test "$(awk -F, 'NR==1{for(i=1;i<=NF;i++) h[$i]=i; next}
		$h["workload"]=="sleephash" && $h["ok"]==1 {n++} END {print n+0}' "$SET/cells.csv")" -eq 3

if ! command -v gnuplot >/dev/null; then
	ok "plots: # SKIP gnuplot is not installed"
	exit 0
fi
"$FIXBIN" plots "$SET" >"$TMP/pl.out" 2>"$TMP/pl.err"
rc=$?
check "plots: exit 0 (got $rc: $(head -c 300 "$TMP/pl.err"))" [ "$rc" -eq 0 ]
check "plots: the makespan chart drawn" test -s "$SET/makespan.png"
check "decision matrix: the main grid found by its role (grid main)" \
	grep -q 'main' "$SET/decision-matrix.md"
check "decision matrix: the fixture model is a contender" grep -q 'fixture' "$SET/decision-matrix.md"
check "REPORT.md: names the fixture model" grep -q 'fixture' "$SET/REPORT.md"
check "REPORT.md: no finding reads the workload with flags as a database" \
	bash -c "! grep -q -e PostgreSQL -e SQLite '$SET/REPORT.md'"
check "the fixture chart drawn (fixture.png, fixture.svg)" \
	test -s "$SET/fixture.png" -a -s "$SET/fixture.svg"
check "REPORT.md lists the fixture chart" grep -qF '![Fixture chart: makespan of every clean cell](fixture.png)' "$SET/REPORT.md"
check "REPORT.md: the fixture finding, with its comparison in words" \
	grep -qE '^- \*\*Fixture finding\.\*\* In grid .*: .*(ahead of|≈| \? )' "$SET/REPORT.md"
check "REPORT.md: the fixture finding after the table's findings before it, in order" \
	awk '/Self-check/ { s = NR } /Fixture finding/ { f = NR } END { exit !(s && f && s < f) }' "$SET/REPORT.md"
"$CMBENCH" plots "$SET" >/dev/null 2>"$TMP/pl2.err"
check "the default build: REPORT.md has neither the fixture chart nor the finding" \
	bash -c "! grep -q 'Fixture' '$SET/REPORT.md'"
