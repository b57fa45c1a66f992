#!/bin/bash
# models_more.sh - the seed's whole decision table end to end: the eight
# models on the five workloads with equal checksums (C=50; and C=1000 for
# the models that start no process per slot), process-per-task --spawn
# exec beside them, blocking's checksum equal to io's, sqlite's write mode,
# the inline loop's stall on blocking, the shapes of the new models' trees,
# the sqlite temp directory removed, refused combinations and the
# open-file limit. Failures and leftovers: models_leftovers.sh.
source "$(dirname "$0")/lib.sh"

BIN="$TMP/cmb-under-test"
cp "$CMBENCH" "$BIN"
ALL="sequential eventloop eventloop-offload threadpool forkpool thread-per-task process-per-task
     eventloop-prefork"
export TMPDIR="$TMP/tmpdir" # where the sqlite service makes its directory
mkdir -p "$TMPDIR"

# wl_args WORKLOAD: the work per task, small
wl_args() {
	case $1 in
	io | blocking) echo --io-latency 2ms --payload 300 ;;
	mixed) echo --io-latency 2ms --payload 300 --cpu-iters 3000 ;;
	cpu) echo --cpu-iters 3000 ;;
	sqlite) echo --sqlite-rows 5000 --sqlite-range 30 ;;
	esac
}

# matrix TASKS C MODELS...: every model on every workload; one checksum per
# workload across the models
matrix() {
	local n=$1 c=$2 w m out sums
	shift 2
	for w in io cpu mixed blocking sqlite; do
		sums=""
		for m in "$@"; do
			out="$TMP/$m-$w-$c.csv"
			# shellcheck disable=SC2046
			if "$BIN" run --model "$m" --workload "$w" --tasks "$n" --concurrency "$c" \
				$(wl_args "$w") --format csv >"$out" 2>"$TMP/err" &&
				[ "$(csv_field "$out" errors)" = 0 ] &&
				[ "$(csv_field "$out" completed)" = "$n" ]; then
				sums="$sums $(csv_field "$out" checksum)"
			else
				not_ok "$m $w C=$c: $(head -1 "$TMP/err")"
				sums="$sums failed-$m"
			fi
		done
		if [ "$(echo $sums | tr ' ' '\n' | sort -u | wc -l)" = 1 ]; then
			ok "$w at C=$c: $n of $n tasks, 0 errors, one checksum in $# models"
		else
			not_ok "$w at C=$c: checksums differ:$sums"
		fi
		sums=${sums# }
		eval "SUM_${w}_$c=\${sums%% *}"
	done
}

# --- the matrix, and process-per-task --spawn exec beside it
# shellcheck disable=SC2086
matrix 200 50 $ALL
for w in io cpu mixed blocking sqlite; do
	# shellcheck disable=SC2046
	"$BIN" run --model process-per-task --spawn exec --workload "$w" --tasks 200 \
		--concurrency 50 $(wl_args "$w") --format csv >"$TMP/exec.csv" 2>"$TMP/err"
	eval "want=\$SUM_${w}_50"
	check "process-per-task --spawn exec $w: 0 errors, the checksum of the others" \
		test "$(csv_field "$TMP/exec.csv" errors)" = 0 -a \
		"$(csv_field "$TMP/exec.csv" checksum)" = "$want"
done
# an exec'd worker runs the kernel the trial calibrated, not one of its own
"$BIN" run --model process-per-task --spawn exec --workload cpu --tasks 20 --concurrency 5 \
	--cpu 50us --format csv >"$TMP/cal.csv"
iters=$(csv_field "$TMP/cal.csv" cpu_iters)
"$BIN" run --model sequential --workload cpu --tasks 20 --cpu-iters "$iters" --format csv >"$TMP/ref.csv"
check "process-per-task --spawn exec --cpu 50us: the checksum of --cpu-iters $iters" \
	test "$(csv_field "$TMP/cal.csv" checksum)" = "$(csv_field "$TMP/ref.csv" checksum)"
check "blocking: the checksum of io (same GET, same body hash: $SUM_io_50)" \
	test -n "$SUM_io_50" -a "$SUM_blocking_50" = "$SUM_io_50"
matrix 1000 1000 eventloop eventloop-offload threadpool thread-per-task eventloop-prefork
for w in io sqlite; do
	# shellcheck disable=SC2046
	seq_sum=$("$BIN" run --model sequential --workload "$w" --tasks 1000 $(wl_args "$w") \
		--format csv | csv_field /dev/stdin checksum)
	eval "got=\$SUM_${w}_1000"
	check "$w at C=1000: the checksum of sequential ($seq_sum)" test "$got" = "$seq_sum"
done
check "sqlite: no temp directory left after the runs ($(ls "$TMPDIR" | head -3))" \
	test -z "$(ls "$TMPDIR")"

# --- sqlite write mode: a task's result is what it wrote
sums=""
for m in sequential eventloop threadpool process-per-task eventloop-prefork; do
	"$BIN" run --model "$m" --workload sqlite --sqlite-mode write --tasks 40 --concurrency 4 \
		--sqlite-rows 2000 --sqlite-range 20 --format csv >"$TMP/w.csv" 2>/dev/null
	sums="$sums $(csv_field "$TMP/w.csv" errors)/$(csv_field "$TMP/w.csv" checksum)"
done
check "sqlite --sqlite-mode write: 0 errors and one checksum in five models:$sums" \
	test "$(echo $sums | tr ' ' '\n' | sort -u | wc -l)" = 1 -a "${sums# 0/}" != "$sums"

# --- the stall: blocking calls on the loop thread serialise the waits
run_ms() { # model, extra flags: makespan in ms of 50 blocking GETs of 10 ms
	local m=$1
	shift
	"$BIN" run --model "$m" --workload blocking --tasks 50 --concurrency 50 --io-latency 10ms \
		"$@" --format csv >"$TMP/stall.csv" 2>/dev/null
	awk -v s="$(csv_field "$TMP/stall.csv" makespan_s)" 'BEGIN { printf "%d", s * 1000 }'
}
inline=$(run_ms eventloop)
offload=$(run_ms eventloop-offload --workers 50)
check "blocking at C=50, 10ms: the inline loop takes over 5x offload's time (${inline}ms vs ${offload}ms)" \
	test "$inline" -gt $((5 * offload)) -a "$inline" -ge 400
io=$("$BIN" run --model eventloop --workload io --tasks 50 --concurrency 50 --io-latency 10ms \
	--format csv | csv_field /dev/stdin makespan_s)
check "io at C=50, 10ms on the same loop does not stall (${io}s)" \
	awk -v s="$io" 'BEGIN { exit !(s < 0.1) }'

# --- shapes of the trees
"$BIN" run --model eventloop-prefork --workload io --tasks 60 --concurrency 30 --workers 3 \
	--io-latency 100ms --format csv >"$TMP/pf.csv"
check "eventloop-prefork --workers 3: 4 processes at peak (got $(csv_field "$TMP/pf.csv" processes))" \
	test "$(csv_field "$TMP/pf.csv" processes)" = 4
"$BIN" run --model eventloop-prefork --workload cpu --tasks 10 --concurrency 2 --workers 8 \
	--cpu-iters 10 --format csv >"$TMP/pf2.csv"
check "eventloop-prefork, 2 slots for 8 workers: 2 loops (got $(($(csv_field "$TMP/pf2.csv" processes) - 1)))" \
	test "$(csv_field "$TMP/pf2.csv" processes)" = 3
"$BIN" run --model thread-per-task --workload io --tasks 40 --concurrency 20 --io-latency 100ms \
	--format csv >"$TMP/tpt.csv"
check "thread-per-task C=20: 21 threads at peak (got $(csv_field "$TMP/tpt.csv" threads))" \
	test "$(csv_field "$TMP/tpt.csv" threads)" = 21
# (20 tasks of 1 s: time for a slow sanitizer build to fork all 20)
"$BIN" run --model process-per-task --workload io --tasks 20 --concurrency 20 --io-latency 1s \
	--format csv >"$TMP/ppt.csv"
check "process-per-task C=20: 21 processes at peak (got $(csv_field "$TMP/ppt.csv" processes))" \
	test "$(csv_field "$TMP/ppt.csv" processes)" = 21

# --- refused combinations and limits: exit 2, one line
bad() { # what, args...
	local what=$1 rc
	shift
	"$BIN" "$@" >/dev/null 2>"$TMP/bad"
	rc=$?
	check "$what: exit 2, one line (got $rc: $(head -2 "$TMP/bad"))" \
		test "$rc" = 2 -a "$(wc -l <"$TMP/bad")" = 1
}
bad "process-per-task --conn keepalive" run --model process-per-task --workload io \
	--conn keepalive
bad "--spawn on thread-per-task" run --model thread-per-task --workload io --spawn exec
bad "--sqlite-rows on io" run --model threadpool --workload io --sqlite-rows 10
bad "--sqlite-mode append" run --model threadpool --workload sqlite --sqlite-mode append
bad "__worker by hand" __worker 1 2 3
(ulimit -n 1024 && "$BIN" run --model eventloop --workload io --concurrency 1000 \
	>/dev/null 2>"$TMP/fd.err")
rc=$?
check "io C=1000 under ulimit -n 1024: exit 2 naming the limit ($(cat "$TMP/fd.err"))" \
	test "$rc" = 2 -a "$(grep -c 'open-file limit' "$TMP/fd.err")" = 1
(ulimit -n 1024 && "$BIN" run --model threadpool --workload sqlite --concurrency 1000 \
	--sqlite-rows 10 >/dev/null 2>"$TMP/fd.err")
check "sqlite C=1000 under ulimit -n 1024: exit 1 naming the limit ($(cat "$TMP/fd.err"))" \
	grep -q 'open files, above the limit' "$TMP/fd.err"

