#!/bin/bash
# pg.sh - the pg workload on a real PostgreSQL: every model runs it clean
# with one checksum, on the throw-away cluster cmbench makes and on a
# server given with --pg (a cluster this script starts: initdb + pg_ctl on
# a unix socket, as nobody when root). The throw-away cluster leaves no
# process and no folder behind, also after SIGINT to cmbench run; --pg
# leaves no schema behind. A server killed mid-run is counted (exit 1, no
# hang); a bad URL is one line and exit 1; a statement_timeout is a
# timeout. Skips when the PostgreSQL server binaries are missing.
source "$(dirname "$0")/lib.sh"

PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ ! -x "$PGBIN/initdb" ]; then
	PGBIN=$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/initdb)")
fi
if [ ! -x "$PGBIN/initdb" ] || [ ! -x "$PGBIN/postgres" ] || [ ! -x "$PGBIN/pg_ctl" ]; then
	ok "# skip: no PostgreSQL server binaries (initdb, postgres)"
	exit 0
fi

as_pg() { # run as the cluster's user: nobody when root
	if [ "$(id -u)" = 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi
}

# Folders nobody can reach: /tmp itself, not lib.sh's private $TMP.
EXT=$(mktemp -d /tmp/cmbench-pgtest-XXXXXX)
EMB=$(mktemp -d /tmp/cmbench-pgemb-XXXXXX)
chmod 755 "$EMB"
[ "$(id -u)" = 0 ] && chown nobody "$EXT"
URL="postgresql:///postgres?host=$EXT&user=bench"

ext_pid() { head -1 "$EXT/data/postmaster.pid" 2>/dev/null; }
ext_start() {
	as_pg "$PGBIN/pg_ctl" -D "$EXT/data" -l "$EXT/log" -w -t 30 \
		-o "-k $EXT -c listen_addresses= -c max_connections=300" start >/dev/null 2>&1
}
ext_kill() { # the postmaster and every process it started, at once
	local pm kids
	pm=$(ext_pid)
	[ -n "$pm" ] || return 0
	kill -STOP "$pm" 2>/dev/null # no new child while we collect them
	kids=$(pgrep -P "$pm")
	kill -KILL "$pm" $kids 2>/dev/null
	for _ in $(seq 100); do
		kill -0 "$pm" $kids 2>/dev/null || return 0
		sleep 0.05
	done
}
cleanup_pg() {
	ext_kill
	rm -rf "$EXT" "$EMB"
	cleanup_lib
}
trap cleanup_pg EXIT

# field FILE COLUMN, as lib.sh's csv_field
field() { csv_field "$@"; }

# leftovers DIR: pids with DIR in their command line or as their cwd
leftovers() {
	local p cmd
	for p in /proc/[0-9]*; do
		cmd=$(tr '\0' ' ' 2>/dev/null <"$p/cmdline")
		if [[ $cmd == *"$1"* ]] || [[ $(readlink "$p/cwd" 2>/dev/null) == "$1"* ]]; then
			echo "${p#/proc/}"
		fi
	done
}

# clean_after DIR: within 10 s, DIR is empty and no process is in it
clean_after() {
	for _ in $(seq 100); do
		[ -z "$(ls -A "$1")" ] && [ -z "$(leftovers "$1")" ] && return 0
		sleep 0.1
	done
	echo "# left: $(ls -A "$1") pids $(leftovers "$1")"
	return 1
}

# wait_bounded PID SECONDS: wait for PID; its exit status, or 124 if it
# had to be killed
wait_bounded() {
	for _ in $(seq $(($2 * 10))); do
		kill -0 "$1" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$1" 2>/dev/null; then
		kill -KILL "$1"
		wait "$1"
		return 124
	fi
	wait "$1"
}

schemas_left() {
	"$PGBIN/psql" "$URL" -Atc "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'cmbench%'"
}

# the models that run pg: one that cannot says so at once (exit 2, before
# any server is touched); it is counted as a check of that refusal
# (the foreign models' drivers are tests/it/pystack.sh's, on one cluster)
MODELS=""
FOREIGN=$("$CMBENCH" list | awk '/\(foreign\)$/ { print $1 }')
for m in $("$CMBENCH" list models); do
	[[ $'\n'$FOREIGN$'\n' == *$'\n'$m$'\n'* ]] && continue
	"$CMBENCH" run --model "$m" --workload pg --tasks 1 --pg 'host=/nonexistent' \
		--timeout 1s >/dev/null 2>"$TMP/refuse"
	if [ $? = 2 ]; then
		check "$m refuses pg in one line ($(cat "$TMP/refuse"))" test "$(wc -l <"$TMP/refuse")" = 1
	else
		MODELS="$MODELS $m"
	fi
done

# --- the throw-away cluster: every model, one checksum, nothing left ---
sums=""
for m in $MODELS; do
	TMPDIR=$EMB "$CMBENCH" run --model "$m" --workload pg --tasks 1000 --concurrency 50 \
		--io-latency 1ms --format csv >"$TMP/emb.csv" 2>"$TMP/err"
	rc=$?
	cat "$TMP/err" >>"$TMP/stderr.all"
	e=$(field "$TMP/emb.csv" errors)
	sums="$sums $(field "$TMP/emb.csv" checksum)"
	check "embedded cluster, $m: clean (rc $rc, errors ${e:-none}) $(head -c 200 "$TMP/err")" \
		test "$rc" = 0 -a "${e:-1}" = 0
	check "embedded cluster, $m: folder removed, no postgres left" clean_after "$EMB"
done
n=$(echo $sums | tr ' ' '\n' | sort -u | wc -l)
check "embedded cluster: one checksum across models ($(echo $sums | tr ' ' '\n' | sort -u | tr '\n' ' '))" \
	test "$n" = 1
emb_sum=$(echo $sums | cut -d' ' -f1)

# --- SIGINT to cmbench run: at start (initdb) and mid-run ---
for at in 0.4 3; do
	set -m # a background job that takes SIGINT, as from a terminal
	TMPDIR=$EMB "$CMBENCH" run --model threadpool --workload pg --tasks 1000000 \
		--concurrency 20 --io-latency 5ms --format csv >"$TMP/int.csv" 2>"$TMP/err" &
	pid=$!
	set +m
	sleep "$at"
	kill -INT "$pid"
	wait_bounded "$pid" 20
	rc=$?
	cat "$TMP/err" >>"$TMP/stderr.all"
	check "SIGINT after ${at}s: cmbench run stops (rc $rc)" test "$rc" -ne 0 -a "$rc" -ne 124
	check "SIGINT after ${at}s: cluster stopped, folder removed" clean_after "$EMB"
done

# --- a server of our own, given with --pg ---
if ! as_pg "$PGBIN/initdb" -D "$EXT/data" -U bench -A trust --no-sync >"$EXT/initdb.log" 2>&1 ||
	! ext_start; then
	not_ok "--pg: could not start a cluster to test with: $(tail -1 "$EXT/initdb.log" "$EXT/log" 2>/dev/null)"
	exit 0
fi
sums=""
nsums=""
for m in $MODELS; do
	"$CMBENCH" run --model "$m" --workload pg --tasks 1000 --concurrency 50 --io-latency 1ms \
		--pg "$URL" --format csv >"$TMP/ext.csv" 2>"$TMP/err"
	rc=$?
	cat "$TMP/err" >>"$TMP/stderr.all"
	e=$(field "$TMP/ext.csv" errors)
	sums="$sums $(field "$TMP/ext.csv" checksum)"
	check "--pg, $m, pool: clean (rc $rc, errors ${e:-none}) $(head -c 200 "$TMP/err")" \
		test "$rc" = 0 -a "${e:-1}" = 0
	"$CMBENCH" run --model "$m" --workload pg --tasks 200 --concurrency 20 --io-latency 0 \
		--pg "$URL" --pg-conn new --format csv >"$TMP/new.csv" 2>"$TMP/err"
	rc=$?
	cat "$TMP/err" >>"$TMP/stderr.all"
	e=$(field "$TMP/new.csv" errors)
	nsums="$nsums $(field "$TMP/new.csv" checksum)"
	check "--pg, $m, a connection per task: clean (rc $rc, errors ${e:-none}) $(head -c 200 "$TMP/err")" \
		test "$rc" = 0 -a "${e:-1}" = 0
done
u=$(echo $sums | tr ' ' '\n' | sort -u)
check "--pg: one checksum across models, the embedded cluster's ($u vs $emb_sum)" \
	test "$u" = "$emb_sum"
u=$(echo $nsums | tr ' ' '\n' | sort -u | wc -l)
check "--pg-conn new: one checksum across models" test "$u" = 1
check "--pg: no schema left behind" test "$(schemas_left)" = 0

# SIGINT with --pg: the schema still goes
set -m
"$CMBENCH" run --model eventloop --workload pg --tasks 1000000 --concurrency 20 \
	--io-latency 5ms --pg "$URL" --format csv >"$TMP/int.csv" 2>"$TMP/err" &
pid=$!
set +m
sleep 1.5
kill -INT "$pid"
wait_bounded "$pid" 20
for _ in $(seq 50); do [ "$(schemas_left)" = 0 ] && break; sleep 0.1; done
check "--pg, SIGINT mid-run: no schema left behind" test "$(schemas_left)" = 0

# --- a statement_timeout is a timeout ---
for m in eventloop threadpool; do
	"$CMBENCH" run --model "$m" --workload pg --tasks 10 --concurrency 5 --io-latency 2s \
		--timeout 500ms --pg "$URL" --format csv >"$TMP/to.csv" 2>"$TMP/err"
	rc=$?
	cat "$TMP/err" >>"$TMP/stderr.all"
	t=$(field "$TMP/to.csv" errors_timeout)
	check "statement timeout, $m: counted as timeouts (rc $rc, errors_timeout ${t:-none})" \
		test "$rc" = 1 -a "${t:-0}" = 10
done

# --- a bad URL: one line, exit 1 ---
for bad in "postgresql:///postgres?host=/nonexistent" "junk"; do
	"$CMBENCH" run --model eventloop --workload pg --tasks 10 --pg "$bad" \
		>"$TMP/out" 2>"$TMP/err"
	rc=$?
	cat "$TMP/err" >>"$TMP/stderr.all"
	check "bad --pg '$bad': exit 1 and one line ($(head -c 160 "$TMP/err"))" \
		test "$rc" = 1 -a "$(wc -l <"$TMP/err")" = 1
done

# --- the server killed mid-run: errors counted, exit 1, no hang ---
for m in eventloop threadpool; do
	"$CMBENCH" run --model "$m" --workload pg --tasks 20000 --concurrency 20 \
		--io-latency 5ms --timeout 2s --pg "$URL" --format csv >"$TMP/kill.csv" 2>"$TMP/err" &
	pid=$!
	sleep 1.5
	ext_kill
	wait_bounded "$pid" 60
	rc=$?
	cat "$TMP/err" >>"$TMP/stderr.all"
	e=$(field "$TMP/kill.csv" errors)
	check "server killed mid-run, $m: exit 1 with errors counted (rc $rc, errors ${e:-none}): $(head -c 120 "$TMP/err")" \
		test "$rc" = 1 -a "${e:-0}" -gt 0
	sleep 0.2
	ext_start || not_ok "--pg: could not restart the test cluster"
done
check "no sanitizer report in any run's stderr" \
	test "$(grep -c -E 'runtime error|Sanitizer' "$TMP/stderr.all")" = 0
exit 0
