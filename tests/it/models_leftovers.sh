#!/bin/bash
# models_leftovers.sh - the models that start processes as they run, when
# things go wrong: a worker killed mid-run fails its tasks and the run goes
# on (exit 1); and process-per-task at C=500, with --spawn fork and exec,
# leaves no process behind (zombies included) when its trial gets SIGINT,
# SIGTERM or SIGKILL, or its monitor gets SIGINT.
source "$(dirname "$0")/lib.sh"

BIN="$TMP/cmb-under-test"
cp "$CMBENCH" "$BIN"

# --- a worker that dies fails its tasks; the run goes on and exits 1
kill_workers() { # model, extra flags: kill -9 two of the trial's children mid-run
	local m=$1 mon trial
	shift
	"$BIN" run --model "$m" --workload io --tasks 40 --concurrency 10 --io-latency 600ms \
		"$@" --format csv >"$TMP/die.csv" 2>/dev/null &
	mon=$!
	sleep 0.4
	trial=$(ps -o pid=,pgid= --ppid "$mon" | awk '$1 == $2 { print $1 }')
	pgrep -P "$trial" | head -2 | xargs -r kill -9
	wait "$mon"
	echo "$? $(csv_field "$TMP/die.csv" completed) $(csv_field "$TMP/die.csv" errors_worker)"
}
read -r rc done_ lost <<<"$(kill_workers process-per-task)"
check "process-per-task, 2 children killed: exit 1, 40 completed, 2 errors_worker (got $rc $done_ $lost)" \
	test "$rc" = 1 -a "$done_" = 40 -a "$lost" = 2
read -r rc done_ lost <<<"$(kill_workers eventloop-prefork --workers 4)"
check "eventloop-prefork, 2 loops killed: exit 1, 40 completed, errors_worker > 0 (got $rc $done_ $lost)" \
	test "$rc" = 1 -a "$done_" = 40 -a "${lost:-0}" -gt 0

# --- no process left behind: SIGINT, SIGTERM, SIGKILL to the trial of
# process-per-task at C=500, and SIGINT to the monitor (Ctrl-C)
left() { # processes of the binary still there, zombies (no cmdline) included
	echo $(($(pgrep -f -- "$BIN" | wc -l) + $(ps -eo stat=,comm= |
		awk -v c="$(basename "$BIN" | cut -c1-15)" '$1 ~ /^Z/ && $2 == c' | wc -l)))
}
for spawn in fork exec; do
	for sig in INT TERM KILL MON-INT; do
		# a background job starts with SIGINT ignored; the run must see it
		env --default-signal=INT "$BIN" run --model process-per-task --spawn "$spawn" \
			--workload io --tasks 2000 --concurrency 500 --io-latency 5s --timeout 60s \
			>/dev/null 2>"$TMP/sig.err" &
		mon=$!
		# until the 500 are running, or 15 s: a sanitizer build on a busy
		# machine may get no further than some dozens
		start=$SECONDS
		while [ "$(left)" -lt 450 ] && [ $((SECONDS - start)) -lt 15 ]; do
			sleep 0.1
		done
		n=$(left)
		trial=$(ps -o pid=,pgid= --ppid "$mon" | awk '$1 == $2 { print $1 }')
		if [ "$sig" = MON-INT ]; then kill -INT "$mon"; else kill -"$sig" "$trial"; fi
		wait "$mon"
		rc=$?
		# orphans' zombies are PID 1's to reap, which may take a moment
		start=$SECONDS
		while [ "$(left)" != 0 ] && [ $((SECONDS - start)) -lt 10 ]; do
			sleep 0.1
		done
		what="SIG$sig to the trial"
		[ "$sig" = MON-INT ] && what="SIGINT to the monitor"
		check "--spawn $spawn, $what: $n processes running, none left (exit $rc, left $(left); $(head -c 150 "$TMP/sig.err"))" \
			test "$(left)" = 0 -a "$rc" != 0 -a "$n" -ge 20
		# the next case starts clean even if this one failed: the trial's group
		[ -n "$trial" ] && kill -9 -- -"$trial" 2>/dev/null || true
	done
done
