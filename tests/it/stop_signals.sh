#!/bin/bash
# stop_signals.sh - Ctrl-C, SIGTERM and SIGHUP to `cmbench run`: the
# monitor kills the trial's group, reaps every child itself, stops the
# service and exits 130 / 143 / 129; at the moment the command returns no
# process of the run exists, zombies included (no sleep before looking).
# Every model (each starts a trial process, and threads or processes of
# its own), the latency server, and the pg service's cluster.
source "$(dirname "$0")/lib.sh"

HELP="$(dirname "$0")/helpers/stop_leaves_nothing.py"
stop_case() { # what, signal, exit status expected, min processes, cmbench run flags...
	local what=$1 sig=$2 want=$3 min=$4 out rc left
	shift 4
	out=$(python3 "$HELP" "$sig" "$min" 0.4 "$CMBENCH" run "$@")
	read -r _ rc _ n _ left _ <<<"$out"
	check "$what, SIG$sig: exit $want and no process left when it returns ($out)" \
		test "$rc" = "$want" -a "$left" = 0
}
IO=(--workload io --tasks 100000 --concurrency 50 --workers 2 --io-latency 5s --timeout 60s)
for m in $("$CMBENCH" list models); do
	stop_case "$m" INT 130 3 --model "$m" "${IO[@]}"
done
stop_case "process-per-task --spawn exec" TERM 143 3 --model process-per-task --spawn exec "${IO[@]}"
stop_case "forkpool" HUP 129 3 --model forkpool "${IO[@]}"
stop_case "threadpool, held wave (--plateau-samples)" INT 130 3 --model threadpool \
	--plateau-samples 1000 "${IO[@]}"

PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -x "$PGBIN/initdb" ] && [ -x "$PGBIN/postgres" ]; then
	# the throw-away cluster: the helper, postgres and its backends
	EMB=$(mktemp -d /tmp/cmbench-pgstop-XXXXXX)
	chmod 755 "$EMB"
	TMPDIR=$EMB stop_case "pg service (threadpool)" INT 130 8 --model threadpool --workload pg \
		--tasks 1000000 --concurrency 10 --io-latency 5ms
	TMPDIR=$EMB stop_case "pg service (forkpool)" TERM 143 8 --model forkpool --workload pg \
		--tasks 1000000 --concurrency 10 --io-latency 5ms
	check "pg service: its folder is removed" test -z "$(ls -A "$EMB")"
	rmdir "$EMB" 2>/dev/null
else
	ok "# skip: pg service: no PostgreSQL server binaries"
fi
