#!/bin/bash
# faults.sh - faults injected into `cmbench run`, each checked for its exit
# status, its one-line message, the errors it counted, and that no process
# is left behind: a worker killed mid-run, the trial killed, the monitor
# killed, the latency server killed, a full file system under --append,
# and SIGINT/SIGTERM during set-up and during the run.
source "$(dirname "$0")/lib.sh"

BIN="$TMP/cmb-faults"
cp "$CMBENCH" "$BIN"
leftovers() { pgrep -f "$BIN" >/dev/null; }
no_leftovers() { # what
	for _ in $(seq 40); do leftovers || { ok "$1: no process left"; return; }; sleep 0.1; done
	not_ok "$1: processes left: $(pgrep -af "$BIN" | head -3 | tr '\n' ';')"
	pkill -9 -f "$BIN"
}
# start_run ARGS...: cmbench run in the background; sets RUN_PID
start_run() {
	# a background job of a script ignores SIGINT: give the run the default
	env --default-signal=INT "$BIN" run "$@" >"$TMP/out" 2>"$TMP/err" &
	RUN_PID=$!
}
# the trial: the monitor's child that is not the latency server
trial_of() {
	local mon=$1 c
	for c in $(pgrep -P "$mon"); do
		grep -q serve "/proc/$c/cmdline" 2>/dev/null && continue
		[ "$(ps -o pgid= -p "$c" | tr -d ' ')" = "$c" ] && { echo "$c"; return; }
	done
}
wait_trial() { # sets TRIAL once the trial has started its workers
	TRIAL=""
	for _ in $(seq 400); do
		TRIAL=$(trial_of "$RUN_PID")
		[ -n "$TRIAL" ] && [ -n "$(pgrep -P "$TRIAL")" -o "$1" = nochild ] && return 0
		sleep 0.05
	done
	return 1
}
one_line() { test "$(wc -l <"$TMP/err")" = 1; }

# --- a worker process killed mid-run: counted, the others finish, exit 1
start_run --model forkpool --workload io --tasks 800 --concurrency 8 --io-latency 20ms
wait_trial && sleep 0.3 && kill -9 "$(pgrep -P "$TRIAL" | head -1)" ||
	not_ok "forkpool worker killed: no worker found to kill"
wait $RUN_PID
rc=$?
check "forkpool worker killed: exit 1 (got $rc)" test $rc = 1
check "forkpool worker killed: one line naming the worker ($(cat "$TMP/err"))" \
	sh -c "grep -q 'worker' '$TMP/err' && test \$(wc -l <'$TMP/err') = 1"
check "forkpool worker killed: every task accounted for" grep -q '800 released, 800 completed' "$TMP/out"
no_leftovers "forkpool worker killed"

# --- the trial killed: exit 1, one line, no leftovers (server, workers)
for m in forkpool threadpool eventloop; do
	start_run --model $m --workload io --tasks 2000 --concurrency 50 --io-latency 20ms
	wait_trial nochild && sleep 0.2 && kill -9 "$TRIAL"
	wait $RUN_PID
	rc=$?
	check "$m trial killed: exit 1 (got $rc)" test $rc = 1
	check "$m trial killed: one line ($(head -1 "$TMP/err"))" \
		sh -c "grep -q 'signal 9' '$TMP/err' && test \$(wc -l <'$TMP/err') = 1"
	no_leftovers "$m trial killed"
done

# --- the monitor killed: the trial, its workers and the server follow it
start_run --model forkpool --workload io --tasks 4000 --concurrency 20 --io-latency 20ms
wait_trial && sleep 0.2 && kill -9 $RUN_PID
wait $RUN_PID 2>/dev/null
no_leftovers "monitor killed"

# --- the latency server killed mid-run: errors counted, exit 1, no hang
for m in eventloop threadpool sequential; do
	start_run --model $m --workload io --tasks 3000 --concurrency 20 --io-latency 20ms --timeout 1s
	wait_trial nochild && sleep 0.2
	pkill -9 -f "$BIN serve" 2>/dev/null
	for c in $(pgrep -P $RUN_PID); do [ "$c" != "$TRIAL" ] && kill -9 "$c"; done
	wait $RUN_PID
	rc=$?
	check "$m, server killed: exit 1 (got $rc)" test $rc = 1
	check "$m, server killed: errors counted ($(head -1 "$TMP/err"))" grep -q 'tasks failed' "$TMP/err"
	no_leftovers "$m, server killed"
done

# --- SIGINT and SIGTERM during set-up and during the run (20,000 tasks of
# 20 ms at C=200 take 2 s, so 0.5 s is mid-run even on a quiet machine;
# 2,000 ended before it there)
for sig in INT TERM; do
	for when in 0.05 0.5; do
		start_run --model forkpool --workload io --tasks 20000 --concurrency 200 --io-latency 20ms
		sleep $when
		kill -$sig $RUN_PID
		wait $RUN_PID
		rc=$?
		check "SIG$sig after ${when}s: the run stops (status $rc)" test $rc != 0
		no_leftovers "SIG$sig after ${when}s"
	done
done

# --- a full file system under --append: whole rows or none, the real errno
(
	ulimit -f 4
	for i in $(seq 1 40); do
		"$BIN" run --model sequential --workload cpu --tasks 2 --cpu-iters 10 --format csv \
			--append "$TMP/full.csv" >/dev/null 2>"$TMP/err" || exit $?
	done
)
rc=$?
check "--append past the size limit: exit 1 (got $rc)" test $rc = 1
check "--append past the size limit: the errno in one line ($(cat "$TMP/err"))" \
	sh -c "grep -q 'File too large' '$TMP/err' && test \$(wc -l <'$TMP/err') = 1"
check "--append past the size limit: no torn row" \
	sh -c "awk -F, '{print NF}' '$TMP/full.csv' | sort -u | wc -l | grep -qx 1 && tail -c1 '$TMP/full.csv' | od -c | grep -q 'n'"
check "--append to a directory that does not exist: exit 2 before the run" \
	sh -c "'$BIN' run --model sequential --workload cpu --tasks 1 --append /nonexistent/x.csv >/dev/null 2>&1; test \$? = 2"
check "a write error on stdout: exit 1" \
	sh -c "'$BIN' run --model sequential --workload cpu --tasks 1 --cpu-iters 10 >/dev/full 2>/dev/null; test \$? = 1"
