#!/bin/bash
# open_loop.sh - `cmbench run --rate`: the schedule is kept (10,000 const
# arrivals at 5,000/s end within 1% of 2 s when the model keeps up), and
# latency runs from each task's due time, so a model that falls behind pays
# for every task it delayed: sequential at 10 ms per task and 200 tasks/s
# offered builds a backlog and its p99 is far above 10 ms (coordinated
# omission would hide that), while the event loop keeps p99 near 10 ms.
source "$(dirname "$0")/lib.sh"

run_csv() { # out args...
	local out=$1
	shift
	"$CMBENCH" run "$@" --format csv >"$out" 2>"$TMP/err"
}

for m in eventloop threadpool forkpool; do
	run_csv "$TMP/s.csv" --model $m --workload cpu --cpu-iters 1 --rate 5000 --tasks 10000 \
		--concurrency 4
	ms=$(csv_field "$TMP/s.csv" makespan_s)
	check "$m: 10,000 const arrivals at 5,000/s take 2 s within 1% (got ${ms}s)" \
		awk -v v="$ms" 'BEGIN { exit !(v > 1.98 && v < 2.02) }'
done

run_csv "$TMP/seq.csv" --model sequential --workload io --io-latency 10ms --rate 200 --tasks 300
p99=$(csv_field "$TMP/seq.csv" lat_p99_us)
check "sequential, io 10 ms at 200/s: the backlog shows, p99 > 200 ms (got ${p99} us)" \
	awk -v v="$p99" 'BEGIN { exit !(v > 200000) }'
ach=$(csv_field "$TMP/seq.csv" achieved_tps)
check "sequential, io 10 ms at 200/s: achieves under 110/s (got $ach)" \
	awk -v v="$ach" 'BEGIN { exit !(v < 110) }'

run_csv "$TMP/loop.csv" --model eventloop --workload io --io-latency 10ms --rate 200 --tasks 300 \
	--concurrency 50
p99=$(csv_field "$TMP/loop.csv" lat_p99_us)
check "eventloop, io 10 ms at 200/s: p99 stays near 10 ms, under 40 ms (got ${p99} us)" \
	awk -v v="$p99" 'BEGIN { exit !(v > 9000 && v < 40000) }'
check "the row says how tasks arrived" test "$(csv_field "$TMP/loop.csv" arrivals)" = const

run_csv "$TMP/p.csv" --model eventloop --workload cpu --cpu-iters 1 --rate 1000 --duration 1s \
	--arrivals poisson --seed 7
check "--duration 1s at 1000/s runs 1000 tasks" test "$(csv_field "$TMP/p.csv" tasks)" = 1000
check "poisson arrivals are named in the row" test "$(csv_field "$TMP/p.csv" arrivals)" = poisson

"$CMBENCH" run --model eventloop --workload io --rate 0 >/dev/null 2>"$TMP/err"
check "--rate 0: exit 2" test $? = 2
"$CMBENCH" run --model eventloop --workload io --duration 1s >/dev/null 2>"$TMP/err"
check "--duration without --rate: exit 2" test $? = 2
"$CMBENCH" run --model eventloop --workload io --rate 10 --tasks 5 --duration 1s >/dev/null 2>"$TMP/err"
check "--tasks with --duration: exit 2" test $? = 2
