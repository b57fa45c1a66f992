#!/bin/bash
# sweep.sh - `cmbench sweep`, `merge` and `compare` end to end on tiny
# specs (tests/fixtures/*.spec): the files of a result set, --resume, an
# interrupted sweep, shards joined by merge, and the one-line errors.
source "$(dirname "$0")/lib.sh"
TINY=tests/fixtures/tiny.spec # 4 cells, 1 rep
SLOW=tests/fixtures/slow.spec # 4 cells of about 0.4 s

rows() { tail -n +2 "$1" 2>/dev/null | grep -c .; }
# col FILE NAME: the values of column NAME, one per line
col() { awk -F, -v c="$2" 'NR==1{for(i=1;i<=NF;i++) if($i==c) k=i; next} {print $k}' "$1"; }
# cols FILE NAME...: the named columns of every row, comma-joined
cols() {
	local f=$1
	shift
	awk -F, -v want="$*" 'NR==1{n=split(want,w," "); for(i=1;i<=NF;i++) h[$i]=i; next}
		{s=""; for(j=1;j<=n;j++) s=s (j>1?",":"") $h[w[j]]; print s}' "$f"
}
# leftovers DIR: processes whose command line names DIR (hyperfine, runs,
# their servers and workers all do)
leftovers() { pgrep -f -- "$1/" | grep -v "^$$\$" || true; }

# ---- a whole sweep
"$CMBENCH" sweep "$TINY" -o "$TMP/a" >"$TMP/a.out" 2>"$TMP/a.err"
rc=$?
check "sweep tiny: exit status 0 (got $rc)" [ "$rc" -eq 0 ]
check "sweep: results.csv has cells x reps = 4 rows (got $(rows "$TMP/a/results.csv"))" \
	[ "$(rows "$TMP/a/results.csv")" -eq 4 ]
check "sweep: results.csv starts with cell,rep,model,workload" \
	grep -q '^cell,rep,model,workload,tasks,' "$TMP/a/results.csv"
check "sweep: cells.csv has 4 cells, all ok=1" \
	[ "$(col "$TMP/a/cells.csv" ok | grep -c '^1$')" -eq 4 ]
check "sweep: cells.csv columns begin cell,grid,model and have the metrics ... wall_s_sd, then the intervals" \
	grep -q '^cell,grid,model,workload,tasks,concurrency,workers,conn,io_latency_us,payload,cpu_iters,[a-z0-9_,]*share_pct,reps,ok,checksum,[a-z0-9_]*_med,.*,makespan_s_med,.*,wall_s_sd,label,reps_min,reps_max,ci_pct,ci_met,ci_stop,makespan_s_ci_lo,makespan_s_ci_hi,lat_p99_us_ci_lo,lat_p99_us_ci_hi,mem_per_task_kib_ci_lo,mem_per_task_kib_ci_hi$' "$TMP/a/cells.csv"
check "sweep: wall_s_med from hyperfine is above 0" \
	awk -F, 'NR>1 && $0 !~ /,0,0,0,0$/ {n++} END {exit n != 4}' "$TMP/a/cells.csv"
check "sweep: one hyperfine export per cell" [ "$(ls "$TMP/a/hyperfine" | grep -c '\.json$')" -eq 4 ]
check "sweep: hyperfine exports hold the times" grep -q '"times"' "$TMP/a/hyperfine/$(ls "$TMP/a/hyperfine" | head -1)"
check "sweep: one latency spectrum per cell" [ "$(ls "$TMP/a/spectra" | grep -c '\.csv$')" -eq 4 ]
if command -v python3 >/dev/null; then
	check "sweep: meta.json is valid JSON" python3 -m json.tool "$TMP/a/meta.json" >/dev/null
else
	check "sweep: meta.json looks whole" grep -q '^}' "$TMP/a/meta.json"
fi
for k in cpu_model cores kernel compiler cflags libuv hyperfine gnuplot git_rev git_dirty \
	clocksource overcommit_memory rlimit_nofile rlimit_stack start_utc end_utc spec_text cpu_iters note; do
	grep -q "\"$k\": " "$TMP/a/meta.json" || not_ok "meta.json: no $k"
done
ok "meta.json: has the host, build and tool fields"
check "sweep: a progress line per cell on stderr, with ETA" grep -q '^\[4/4\] threadpool mixed C=4 share=50% tasks=20 ETA ' "$TMP/a.err"
# the two share-50 cells: one calibrated --cpu-iters, so one checksum
check "sweep: same work in two models, same cpu_iters and checksum" \
	[ "$(cols "$TMP/a/cells.csv" cell cpu_iters checksum | grep 'mixed-s50' | cut -d, -f2- | sort -u | wc -l)" -eq 1 ]

# ---- resume of a finished set runs nothing
cp "$TMP/a/results.csv" "$TMP/a.rows"
start=$(date +%s%N)
"$CMBENCH" sweep "$TINY" -o "$TMP/a" --resume >/dev/null 2>"$TMP/r.err"
rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
check "resume of a finished set: status 0, nothing run, rows unchanged (${ms} ms)" \
	eval '[ "$rc" -eq 0 ] && grep -q "0 to run" "$TMP/r.err" && cmp -s "$TMP/a.rows" "$TMP/a/results.csv"'
"$CMBENCH" sweep "$TINY" -o "$TMP/a" >/dev/null 2>"$TMP/again.err"
rc=$?
check "sweep into a finished set without --resume: status 2, one line ($rc)" \
	eval '[ "$rc" -eq 2 ] && [ "$(wc -l <"$TMP/again.err")" -eq 1 ]'

"$CMBENCH" sweep "$SLOW" -o "$TMP/a" --resume >/dev/null 2>"$TMP/other.err"
rc=$?
check "resume with another spec's name: status 2, one line ($rc)" \
	eval '[ "$rc" -eq 2 ] && [ "$(wc -l <"$TMP/other.err")" -eq 1 ] && cmp -s "$TMP/a.rows" "$TMP/a/results.csv"'

# ---- SIGINT after the first cell keeps the rows, leaves no process, resumes
"$CMBENCH" sweep "$SLOW" -o "$TMP/int" >/dev/null 2>"$TMP/int.err" &
pid=$!
LIB_PIDS="$LIB_PIDS $pid"
for _ in $(seq 1000); do
	[ "$(rows "$TMP/int/results.csv")" -ge 1 ] && break
	sleep 0.02
done
sleep 0.1 # into the second cell's runs
kill -INT "$pid"
wait "$pid"
rc=$?
sleep 0.3
n=$(rows "$TMP/int/results.csv")
check "SIGINT: status 130 ($rc), finished rows kept (got $n of 4)" \
	eval '[ "$rc" -eq 130 ] && [ "$n" -ge 1 ] && [ "$n" -lt 4 ]'
left=$(leftovers "$TMP/int")
check "SIGINT: no process of the sweep left (${left:-none})" [ -z "$left" ]
check "SIGINT: says how to resume" grep -q -- "--resume" "$TMP/int.err"
"$CMBENCH" sweep "$SLOW" -o "$TMP/int" --resume >/dev/null 2>"$TMP/int2.err"
rc=$?
check "resume after SIGINT: status 0, all 4 rows, each cell once ($rc)" \
	eval '[ "$rc" -eq 0 ] && [ "$(rows "$TMP/int/results.csv")" -eq 4 ] &&
		[ "$(col "$TMP/int/results.csv" cell | sort -u | wc -l)" -eq 4 ]'
check "resume after SIGINT: ran only the cells not done" \
	eval '! grep -q "^\[4/4\]" "$TMP/int2.err"'
check "resume after SIGINT: cells.csv has 4 cells, ok" \
	[ "$(col "$TMP/int/cells.csv" ok | grep -c '^1$')" -eq 4 ]

# ---- shards and merge
"$CMBENCH" sweep "$TINY" --shard 1/2 -o "$TMP/s1" >/dev/null 2>&1 &&
	"$CMBENCH" sweep "$TINY" --shard 2/2 -o "$TMP/s2" >/dev/null 2>&1
check "shards 1/2 and 2/2: 2 cells each" \
	eval '[ "$(rows "$TMP/s1/cells.csv")" -eq 2 ] && [ "$(rows "$TMP/s2/cells.csv")" -eq 2 ]'
"$CMBENCH" merge "$TMP/m" "$TMP/s1" "$TMP/s2" 2>"$TMP/m.err"
rc=$?
check "merge of the shards: status 0 ($rc)" [ "$rc" -eq 0 ]
check "merge: the cells of the unsharded sweep, in its order" \
	eval 'cmp -s <(col "$TMP/a/cells.csv" cell) <(col "$TMP/m/cells.csv" cell)'
# (not cpu_iters and checksum: each shard calibrates on its own host)
params="cell grid model workload tasks concurrency workers conn io_latency_us payload share_pct reps ok"
check "merge: the same parameter columns as the unsharded sweep" \
	eval 'cmp -s <(cols "$TMP/a/cells.csv" $params) <(cols "$TMP/m/cells.csv" $params)'
check "merge: 4 rows, hyperfine exports and spectra copied" \
	eval '[ "$(rows "$TMP/m/results.csv")" -eq 4 ] && [ "$(ls "$TMP/m/hyperfine" | wc -l)" -eq 4 ] &&
		[ "$(ls "$TMP/m/spectra" | wc -l)" -eq 4 ]'
check "merge: meta.json names its sources" grep -q '"sources": \[' "$TMP/m/meta.json"
"$CMBENCH" merge "$TMP/m2" "$TMP/s1" "$TMP/s2" "$TMP/s1" 2>/dev/null
check "merge: a set given twice counts its rows once" [ "$(rows "$TMP/m2/results.csv")" -eq 4 ]

cp -r "$TMP/s2" "$TMP/other"
sed -i 's/"cpu_model": "[^"]*"/"cpu_model": "Another CPU 9000"/' "$TMP/other/meta.json"
"$CMBENCH" merge "$TMP/m3" "$TMP/s1" "$TMP/other" 2>"$TMP/m3.err"
rc=$?
check "merge of sets from different hosts: status 2, one line ($rc)" \
	eval '[ "$rc" -eq 2 ] && [ "$(wc -l <"$TMP/m3.err")" -eq 1 ] && grep -q "different hosts" "$TMP/m3.err"'
"$CMBENCH" merge "$TMP/m4" "$TMP/s1" "$TMP/other" --force 2>/dev/null
check "merge --force joins them" [ "$(rows "$TMP/m4/results.csv")" -eq 4 ]

# ---- compare
"$CMBENCH" compare "$TMP/a" "$TMP/m" >"$TMP/c.out" 2>"$TMP/c.err"
rc=$?
check "compare: status 0, a ratio row per common cell, no warning" \
	eval '[ "$rc" -eq 0 ] && [ "$(grep -c "^matrix-" "$TMP/c.out")" -eq 4 ] && ! grep -q WARNING "$TMP/c.err"'
check "compare: ratios and their geometric mean" grep -q '^geometric mean  *[0-9.]* ' "$TMP/c.out"
check "compare: every common cell has a makespan verdict" [ "$(grep "^matrix-" "$TMP/c.out" | grep -cE "(too few runs|≈|ahead of|inconclusive)")" -eq 4 ]
"$CMBENCH" compare "$TMP/a" "$TMP/other" >/dev/null 2>"$TMP/c2.err"
check "compare: warns when the hosts differ" grep -q 'WARNING: the hosts differ.*Another CPU 9000' "$TMP/c2.err"

# ---- a set made before checksum_scheme (its io bodies by FNV-1a): its
# checksums cannot match a new set's, so merge, compare and --resume refuse
grep -q '"checksum_scheme": "crc32"' "$TMP/s2/meta.json"
check "meta.json says what its checksums hash (checksum_scheme: crc32)" test $? = 0
cp -r "$TMP/s2" "$TMP/old"
/usr/bin/python3 -c 'import json, sys
m = json.load(open(sys.argv[1])); del m["checksum_scheme"]; json.dump(m, open(sys.argv[1], "w"))' \
	"$TMP/old/meta.json"
"$CMBENCH" merge "$TMP/m5" "$TMP/s1" "$TMP/old" --force >/dev/null 2>"$TMP/m5.err"
rc=$?
check "merge of a new set and one from before checksum_scheme: exit 2, one line, even with --force ($rc: $(cat "$TMP/m5.err"))" \
	eval '[ "$rc" -eq 2 ] && [ "$(wc -l <"$TMP/m5.err")" -eq 1 ] && grep -q "by fnv1a" "$TMP/m5.err" && [ ! -e "$TMP/m5/cells.csv" ]'
"$CMBENCH" compare "$TMP/old" "$TMP/s2" >"$TMP/c3.out" 2>"$TMP/c3.err"
rc=$?
check "compare of a new set and an old one: exit 2, one line, no table ($rc: $(cat "$TMP/c3.err"))" \
	eval '[ "$rc" -eq 2 ] && [ "$(wc -l <"$TMP/c3.err")" -eq 1 ] && grep -q "by fnv1a" "$TMP/c3.err" && ! grep -q "^matrix-" "$TMP/c3.out"'
"$CMBENCH" sweep "$TINY" --shard 2/2 -o "$TMP/old" --resume >/dev/null 2>"$TMP/r3.err"
rc=$?
check "sweep --resume of a set from before: exit 2, one line ($rc: $(cat "$TMP/r3.err"))" \
	eval '[ "$rc" -eq 2 ] && [ "$(wc -l <"$TMP/r3.err")" -eq 1 ] && grep -q "by fnv1a" "$TMP/r3.err"'

# ---- errors: one line, status 2
printf 'reps: 1\ngrid: g\nmodels: threadpool\nflavour: vanilla\n' >"$TMP/bad.spec"
"$CMBENCH" sweep "$TMP/bad.spec" -o "$TMP/bad" >/dev/null 2>"$TMP/bad.err"
rc=$?
check "bad spec: status 2, one line naming file:line ($(cat "$TMP/bad.err"))" \
	eval '[ "$rc" -eq 2 ] && [ "$(wc -l <"$TMP/bad.err")" -eq 1 ] && grep -q "bad.spec:4: unknown key .flavour." "$TMP/bad.err"'
check "bad spec: no result set made" [ ! -e "$TMP/bad" ]
"$CMBENCH" sweep "$TMP/none.spec" >/dev/null 2>"$TMP/none.err"
rc=$?
check "missing spec: status 2, one line" eval '[ "$rc" -eq 2 ] && [ "$(wc -l <"$TMP/none.err")" -eq 1 ]'
"$CMBENCH" sweep "$TINY" --shard 3/2 >/dev/null 2>"$TMP/flag.err"
rc=$?
check "bad --shard: status 2, one line" eval '[ "$rc" -eq 2 ] && [ "$(wc -l <"$TMP/flag.err")" -eq 1 ]'
"$CMBENCH" sweep "$TINY" --frobnicate >/dev/null 2>"$TMP/flag2.err"
rc=$?
check "unknown flag: status 2, one line" eval '[ "$rc" -eq 2 ] && [ "$(wc -l <"$TMP/flag2.err")" -eq 1 ]'
exit 0 # the TAP lines carry the verdict
