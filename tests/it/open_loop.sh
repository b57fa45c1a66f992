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

# Every model of `cmbench list` honours --rate or refuses it (one line,
# exit 2). One that honours it, under-loaded (io of 10 ms, 20 tasks at
# 25/s, C=4: a quarter of even a one-slot model's capacity), takes about
# N/rate (within 10%) with p99 near its unloaded p99 (4 tasks at t0 on
# its 4 slots; under 2x + 30 ms); overloaded (C=1 and 20 ms hold it to
# 50/s, 300/s offered) it shows the backlog in p99. Every
# under-loaded run gives the same checksum: the same tasks.
models=$("$CMBENCH" list | awk '/^models:/ { f = 1; next } /^workloads:/ { f = 0 } f { print $1 }')
sums=""
for m in $models; do
	"$CMBENCH" run --model $m --workload io --io-latency 10ms --rate 25 --tasks 20 \
		--concurrency 4 --format csv >"$TMP/u.csv" 2>"$TMP/err"
	rc=$?
	if [ $rc = 2 ]; then
		check "$m refuses --rate in one line" test "$(wc -l <"$TMP/err")" = 1
		continue
	fi
	ms=$(csv_field "$TMP/u.csv" makespan_s)
	p99=$(csv_field "$TMP/u.csv" lat_p99_us)
	# unloaded: the same model, 4 tasks at once on its 4 slots
	"$CMBENCH" run --model $m --workload io --io-latency 10ms --tasks 4 --concurrency 4 \
		--format csv >"$TMP/b.csv" 2>"$TMP/err"
	u99=$(csv_field "$TMP/b.csv" lat_p99_us)
	check "$m under --rate 25: 20 tasks take 0.8 s within 10% (got ${ms}s, exit $rc)" \
		awk -v v="$ms" -v rc=$rc 'BEGIN { exit !(rc == 0 && v > 0.72 && v < 0.88) }'
	check "$m under --rate 25: p99 (the max of n=20) near the unloaded one (got ${p99} us, unloaded ${u99} us)" \
		awk -v v="$p99" -v u="$u99" 'BEGIN { exit !(v >= 10000 && v < 2 * u + 30000) }'
	sums="$sums $(csv_field "$TMP/u.csv" checksum)"
	"$CMBENCH" run --model $m --workload io --io-latency 20ms --rate 300 --tasks 15 \
		--concurrency 1 --format csv >"$TMP/o.csv" 2>"$TMP/err"
	p99=$(csv_field "$TMP/o.csv" lat_p99_us)
	check "$m overloaded (300/s offered, 50/s possible): the backlog shows, p99 > 150 ms (got ${p99} us)" \
		awk -v v="$p99" 'BEGIN { exit !(v > 150000) }'
done
check "every model's open-loop run has the same checksum" \
	test "$(echo $sums | tr ' ' '\n' | sort -u | wc -l)" = 1
