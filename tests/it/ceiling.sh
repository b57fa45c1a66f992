#!/bin/bash
# ceiling.sh - `cmbench ceiling` end to end at small sizes: a search that
# reaches its cap, one stopped by the open-file limit (the hard limit
# lowered for the test), one stopped by the memory budget, the rows of
# ceiling.csv, the chart and the REPORT finding; bad input (a budget over
# the machine's memory, a size that is not one, a workload that cannot
# wait) exits 2 with one line; a search that fails at its first probe
# exits 1 and says so. io past CMBENCH_TEST_CONN_PER_SRC connections
# (20,000 outside tests) spreads them over 127.0.0.2, .3, ...: forced at 10
# for 50 connections, the run is clean, its checksum the unspread one's, and
# the server holds connections from 5 source addresses (ss, mid-run).
source "$(dirname "$0")/lib.sh"

# cfield FILE MODEL WORKLOAD COLUMN: that column of the search's ceiling row
cfield() {
	awk -F, -v m="$2" -v w="$3" -v col="$4" 'NR==1{for(i=1;i<=NF;i++) if($i==col) c=i; next}
		$1=="ceiling" && $2==m && $3==w {print $c}' "$1"
}

out=$TMP/set
"$CMBENCH" ceiling -o "$out" --models eventloop,threadpool --workloads timer --from 16 --cap 64 \
	--hold 100ms --mem-budget 1G >/dev/null 2>"$TMP/cap.err"
rc=$?
check "a capped search exits 0 (exit $rc)" test "$rc" = 0
check "it says the open-file limit before and after" \
	grep -qE 'open files: RLIMIT_NOFILE [0-9]+/[0-9]+ -> [0-9]+/[0-9]+' "$TMP/cap.err"
check "... and RLIMIT_NPROC's" grep -qE 'RLIMIT_NPROC [0-9a-z]+/[0-9a-z]+ -> ' "$TMP/cap.err"
check "the rows carry them: nofile_after >= nofile_before" \
	test "$(cfield "$out/ceiling.csv" threadpool timer nofile_after)" -ge \
	"$(cfield "$out/ceiling.csv" threadpool timer nofile_before)"
per=$(cfield "$out/ceiling.csv" threadpool timer kib_per_task)
slope=$(cfield "$out/ceiling.csv" threadpool timer slope_kib)
check "the ceiling row has KiB a task ($per) and the fit's slope ($slope), both above 0" \
	awk -v a="$per" -v b="$slope" 'BEGIN{exit !(a > 0 && b > 0)}'
check "... and the tree's kernel memory beside PSS (kmem_kib $(cfield "$out/ceiling.csv" threadpool timer kmem_kib))" \
	test "$(cfield "$out/ceiling.csv" threadpool timer kmem_kib)" -ge $((65 * 16))
check "a cap is lifted by a higher --cap" \
	test "$(cfield "$out/ceiling.csv" threadpool timer lift)" = "--cap N higher"
check "probes double: 16 32 64 for each model" \
	test "$(awk -F, '$1=="probe" && $2=="threadpool"{printf "%s ", $4}' "$out/ceiling.csv")" = "16 32 64 "
check "each search ends in one ceiling row at the cap" \
	test "$(awk -F, '$1=="ceiling" && $4==64 && $13=="cap"' "$out/ceiling.csv" | wc -l)" = 2
check "the threads of the pool are all held: 65 threads at C=64" \
	test "$(awk -F, '$1=="probe" && $2=="threadpool" && $4==64{print $8}' "$out/ceiling.csv")" = 65

# the open-file limit: the client needs one fd per connection (kept as it
# is: a root cmbench would lift it)
( ulimit -n 200 && ulimit -Hn 200 &&
	"$CMBENCH" ceiling -o "$out" --models eventloop --workloads io --from 32 --cap 1024 \
		--hold 100ms --mem-budget 1G --keep-limits ) >/dev/null 2>"$TMP/nofile.err"
row=$(awk -F, '$1=="ceiling" && $3=="io"' "$out/ceiling.csv")
check "io under an open-file limit of 200: stopped by open files (${row:0:120})" \
	test "$(echo "$row" | cut -d, -f13)" = "open files"
held=$(echo "$row" | cut -d, -f4)
ff=$(echo "$row" | cut -d, -f12)
check "the largest clean C ($held) is below the first failing one ($ff), both near 200 - 64" \
	test -n "$held" -a -n "$ff" && [ "$held" -lt "$ff" ] && [ "$held" -ge 100 ] && [ "$ff" -le 160 ]
check "the limit's detail names RLIMIT_NOFILE" grep -q 'RLIMIT_NOFILE 200' "$out/ceiling.csv"
check "--keep-limits: 200 before and after" \
	test "$(cfield "$out/ceiling.csv" eventloop io nofile_before),$(cfield "$out/ceiling.csv" eventloop io nofile_after)" = 200,200
check "... and the command that lifts it: ulimit -Hn to fs.nr_open ($(cfield "$out/ceiling.csv" eventloop io lift))" \
	sh -c "awk -F, 'NR==1{for(i=1;i<=NF;i++) if(\$i==\"lift\") c=i} \$1==\"ceiling\" && \$3==\"io\"{print \$c}' '$out/ceiling.csv' | grep -q 'ulimit -Hn $(cat /proc/sys/fs/nr_open)'"

# lifted: the same hard limit of 200, and cmbench raises it itself where
# it may (CAP_SYS_RESOURCE, bit 24 of CapEff: up to fs.nr_open), so 256
# connections are held; without the capability (a container's root) the
# line says why it stayed
( ulimit -n 200 && ulimit -Hn 200 &&
	"$CMBENCH" ceiling -o "$TMP/lift" --models eventloop --workloads io --from 256 --cap 256 \
		--hold 100ms --mem-budget 1G ) >/dev/null 2>"$TMP/lift.err"
rc=$?
if (( 0x$(awk '/^CapEff/{print $2}' /proc/self/status) >> 24 & 1 )); then
	check "CAP_SYS_RESOURCE: RLIMIT_NOFILE 200/200 -> fs.nr_open, said (exit $rc)" \
		grep -q "RLIMIT_NOFILE 200/200 -> $(cat /proc/sys/fs/nr_open)/$(cat /proc/sys/fs/nr_open)" "$TMP/lift.err"
	check "... and 256 connections held past the old limit" \
		test "$(cfield "$TMP/lift/ceiling.csv" eventloop io concurrency),$(cfield "$TMP/lift/ceiling.csv" eventloop io limit)" = 256,cap
else
	check "no CAP_SYS_RESOURCE: the hard limit stays, and the line says why (exit $rc)" \
		grep -q "RLIMIT_NOFILE 200/200 -> 200/200 (soft/hard; the hard limit not raised" "$TMP/lift.err"
fi

# the memory budget stops forkpool before it is used up
"$CMBENCH" ceiling -o "$out" --models forkpool --workloads timer --from 8 --cap 4096 \
	--hold 100ms --mem-budget 8M >/dev/null 2>"$TMP/mem.err"
row=$(awk -F, '$1=="ceiling" && $2=="forkpool"' "$out/ceiling.csv")
check "forkpool under an 8 MiB budget: stopped by memory (${row:0:100})" \
	test "$(echo "$row" | cut -d, -f13)" = memory
check "no clean probe used more than the budget" \
	test -z "$(awk -F, '$1=="probe" && $5==1 && $6>8192' "$out/ceiling.csv")"
check "a finished search is not run again" \
	sh -c "'$CMBENCH' ceiling -o '$out' --models forkpool --workloads timer --mem-budget 8M 2>&1 | grep -q 'already in'"

# the chart and the finding
"$CMBENCH" plots "$out" >/dev/null 2>&1
check "cmbench plots draws ceiling.png from a set with only ceiling.csv" test -s "$out/ceiling.png"
check "REPORT.md has the finding of each search" \
	test "$(grep -c -e '  - .* on .* held \*\*' "$out/REPORT.md")" -ge 4

# bad input
"$CMBENCH" ceiling -o "$TMP/b" --mem-budget 100T 2>"$TMP/e1"
check "a budget above the machine's memory: exit 2, one line" test $? = 2 -a "$(wc -l <"$TMP/e1")" = 1
"$CMBENCH" ceiling -o "$TMP/b" --mem-budget lots 2>"$TMP/e2"
check "a budget that is not a size: exit 2, one line" test $? = 2 -a "$(wc -l <"$TMP/e2")" = 1
"$CMBENCH" ceiling -o "$TMP/b" --workloads cpu 2>"$TMP/e3"
check "a workload that cannot hold a task: exit 2, one line" test $? = 2 -a "$(wc -l <"$TMP/e3")" = 1
"$CMBENCH" ceiling -o "$TMP/b" --from 64 --cap 32 2>"$TMP/e5"
check "a cap below the start: exit 2, one line" test $? = 2 -a "$(wc -l <"$TMP/e5")" = 1
"$CMBENCH" ceiling -o "$TMP/b" --models py-sequential --workloads timer 2>"$TMP/e6"
check "a model that holds one task at a time: exit 2, one line" \
	test $? = 2 -a "$(wc -l <"$TMP/e6")" = 1
"$CMBENCH" ceiling -o "$TMP/first" --models threadpool --workloads timer --from 64 --hold 100ms \
	--mem-budget 1M >/dev/null 2>"$TMP/e4"
rc=$?
check "a search that fails at its first probe: exit 1 (exit $rc)" test "$rc" = 1
check "... and one line says so" test "$(grep -c 'failed at its first probe (C=64): memory' "$TMP/e4")" = 1

# Ctrl-C in the middle of a probe: exit 130, the probe and its run gone
"$CMBENCH" ceiling -o "$TMP/int" --models threadpool --workloads timer --from 64 --cap 64 \
	--hold 29s --mem-budget 1G >/dev/null 2>"$TMP/int.err" &
cpid=$!
for _ in $(seq 100); do pgrep -f -- "--timer 29003200us" >/dev/null && break; sleep 0.05; done
sleep 0.3
kill -INT "$cpid"
wait "$cpid"
rc=$?
sleep 0.2
check "SIGINT during a probe: exit 130 (exit $rc)" test "$rc" = 130
check "... and no probe left running" test -z "$(pgrep -f -- '--timer 29003200us')"

# source-address spreading, forced small: 50 held connections, 10 a source
"$CMBENCH" run --model eventloop --workload io --io-latency 10ms --tasks 50 --concurrency 50 \
	--format csv >"$TMP/plain.csv" 2>/dev/null
CMBENCH_TEST_CONN_PER_SRC=10 "$CMBENCH" run --model eventloop --workload io --io-latency 1500ms \
	--tasks 50 --concurrency 50 --format csv >"$TMP/spread.csv" 2>"$TMP/spread.err" &
spid=$!
srcs=0
for _ in 1 2 3 4 5 6 7 8 9 10 11 12; do # until all 50 are held (1.5 s of waiting)
	sleep 0.1
	# the server's side of each connection: its peer, a spread source
	srcs=$(ss -tnH state established 2>/dev/null | awk '{print $4}' |
		grep -E '^127\.0\.0\.([2-6]):' | cut -d: -f1 | sort -u | wc -l)
	[ "$srcs" -ge 5 ] && break
done
wait "$spid"
rc=$?
check "spreading forced at 10 a source: the run is clean (exit $rc, $(csv_field "$TMP/spread.csv" errors) errors)" \
	test "$rc,$(csv_field "$TMP/spread.csv" completed),$(csv_field "$TMP/spread.csv" errors)" = "0,50,0"
check "... the same checksum as unspread ($(csv_field "$TMP/spread.csv" checksum))" \
	test "$(csv_field "$TMP/spread.csv" checksum)" = "$(csv_field "$TMP/plain.csv" checksum)"
check "... the server held connections from 5 source addresses, 127.0.0.2-6 (saw $srcs)" \
	test "$srcs" = 5

# the source is the task's (id mod sources), not a counter of the process:
# a forked pool spreads as evenly as one loop does (a counter put every
# forked worker's connection on 127.0.0.2)
CMBENCH_TEST_CONN_PER_SRC=10 "$CMBENCH" run --model forkpool --workload io --io-latency 1500ms \
	--tasks 50 --concurrency 50 --format csv >"$TMP/fspread.csv" 2>/dev/null &
spid=$!
most=0
for _ in 1 2 3 4 5 6 7 8 9 10 11 12; do
	sleep 0.1
	per=$(ss -tnH state established 2>/dev/null | awk '{print $4}' |
		grep -E '^127\.0\.0\.([2-6]):' | cut -d: -f1 | sort | uniq -c | awk '{print $1}' | sort -n)
	[ "$(echo "$per" | grep -c .)" = 5 ] && [ "$(echo "$per" | head -1)" = 10 ] && break
done
wait "$spid"
check "a forked pool's 50 connections: 10 from each of 127.0.0.2-6 (saw $(echo $per))" \
	test "$(echo $per)" = "10 10 10 10 10"
check "... and the run is clean" test "$(csv_field "$TMP/fspread.csv" errors)" = 0

# the Python models hold timer tasks: the C timer's checksum, no error
"$CMBENCH" run --model eventloop --workload timer --timer 50ms --tasks 40 --concurrency 40 \
	--format csv >"$TMP/ct.csv" 2>/dev/null
for m in py-asyncio py-threads py-processes; do
	"$CMBENCH" run --model "$m" --workload timer --timer 50ms --tasks 40 --concurrency 40 \
		--format csv >"$TMP/pt.csv" 2>"$TMP/pt.err"
	check "$m on timer: clean, the C checksum ($(csv_field "$TMP/pt.csv" checksum))" \
		test "$(csv_field "$TMP/pt.csv" errors),$(csv_field "$TMP/pt.csv" checksum)" = \
		"0,$(csv_field "$TMP/ct.csv" checksum)"
done

# the kernel's memory of the tree: a thread pool of 65 threads has 65
# kernel stacks of 16 KiB; 40 held connections are 40 sockets of the tree
"$CMBENCH" run --model threadpool --workload io --io-latency 2s --tasks 40 --concurrency 40 \
	--format csv >"$TMP/k.csv" 2>/dev/null
check "threadpool: kstack_kib = threads x 16 ($(csv_field "$TMP/k.csv" kstack_kib) KiB)" \
	test "$(csv_field "$TMP/k.csv" kstack_kib)" = $(($(csv_field "$TMP/k.csv" threads) * 16))
check "... page tables read (pte_kib $(csv_field "$TMP/k.csv" pte_kib))" \
	test "$(csv_field "$TMP/k.csv" pte_kib)" -gt 0
check "... 40 TCP sockets held by the tree (sockets $(csv_field "$TMP/k.csv" sockets))" \
	test "$(csv_field "$TMP/k.csv" sockets)" = 40

# a Python ceiling at a small size: coroutines and threads held on timer
"$CMBENCH" ceiling -o "$TMP/py" --models py-asyncio,py-threads --workloads timer --from 16 \
	--cap 64 --hold 300ms --mem-budget 2G >/dev/null 2>"$TMP/py.err"
rc=$?
check "py-asyncio and py-threads on timer: each holds 64, the cap (exit $rc)" \
	test "$(cfield "$TMP/py/ceiling.csv" py-asyncio timer concurrency),$(cfield "$TMP/py/ceiling.csv" py-threads timer concurrency)" = 64,64
check "... py-threads' 64 threads are held (threads $(cfield "$TMP/py/ceiling.csv" py-threads timer threads))" \
	test "$(cfield "$TMP/py/ceiling.csv" py-threads timer threads)" -ge 64

# past one process's open-file limit: a loop per worker process holds its
# share of the connections, and the latency server becomes several sharing
# the port (SO_REUSEPORT): 800 connections under a limit of 300
( ulimit -n 300 && "$CMBENCH" run --model eventloop-prefork --workers 4 --workload io \
	--io-latency 1500ms --tasks 800 --concurrency 800 --format csv ) >"$TMP/share.csv" 2>"$TMP/share.err" &
spid=$!
listeners=0
for _ in 1 2 3 4 5 6 7 8 9 10 11 12; do
	sleep 0.1
	listeners=$(ss -tlnH 2>/dev/null | awk '$4 ~ /^127\.0\.0\.1:/{print $4}' | sort | uniq -c |
		sort -rn | awk 'NR==1{print $1}')
	[ "${listeners:-0}" -ge 2 ] && break
done
wait "$spid"
rc=$?
check "800 connections under RLIMIT_NOFILE 300, 4 loops: clean (exit $rc, $(csv_field "$TMP/share.csv" errors) errors)" \
	test "$rc,$(csv_field "$TMP/share.csv" completed),$(csv_field "$TMP/share.csv" errors)" = "0,800,0"
check "... the latency server ran as several on one port (saw ${listeners:-0} listeners)" \
	test "${listeners:-0}" -ge 3
( ulimit -n 300 && "$CMBENCH" run --model eventloop --workload io --tasks 800 --concurrency 800 \
	--format csv ) >/dev/null 2>"$TMP/one.err"
check "... one loop of one process is still refused, in one line naming the limit" \
	test "$?,$(grep -c 'open-file limit (300' "$TMP/one.err")" = "2,1"
