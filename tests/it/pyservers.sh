#!/bin/bash
# pyservers.sh - the seed's Python services as server models
# (models/servers/py_servers.c, models/python/srv_*.py): every stack
# answers the load with the C server models' checksum on cpu and io, the
# handler libraries (--py-http, --py-pg, sqlite) give it too, --threads
# sizes FastAPI's def pool; bad input is one line and exit 2 (a library
# that does not fit the stack, a worker count of 0, a stack not installed:
# its Debian package named); a program whose channel closes exits and
# leaves no worker; a server killed mid-run is a failed run, never a hang;
# SIGINT leaves no Python process (Gunicorn's master and workers too).
source "$(dirname "$0")/lib.sh"

PY=${CMBENCH_PYTHON:-/usr/bin/python3}
PYSERVERS=$("$CMBENCH" list servers | grep '^py-')
check "cmbench list servers names the Python stacks ($(echo $PYSERVERS))" \
	test "$(echo $PYSERVERS | wc -w)" -ge 9

N=60
ARGS=(--rate 200 --tasks $N --connections 4 --workers 2 --format csv)
declare -A WANT # workload -> the C loop server's checksum
run_one() { # out-file, args...
	local out=$1
	shift
	"$CMBENCH" run --side server "$@" "${ARGS[@]}" >"$out" 2>"$TMP/err"
}
for w in cpu io; do
	wargs=(--workload $w --io-latency 2ms --cpu-iters 500)
	run_one "$TMP/c.csv" --model loop-inline "${wargs[@]}"
	WANT[$w]=$(csv_field "$TMP/c.csv" checksum)
	check "loop-inline, $w: a checksum (${WANT[$w]})" test -n "${WANT[$w]}"
	for m in $PYSERVERS; do
		# gthread at Gunicorn's default of 1 thread leaves kept connections
		# waiting for its loop (tails of 100 ms, at times past --timeout):
		# a thread per connection here (python-services.md)
		extra=()
		[ $m = py-gunicorn-gthread ] && extra=(--threads 4)
		run_one "$TMP/$m.csv" --model $m "${wargs[@]}" "${extra[@]}"
		rc=$?
		got="rc $rc, $(csv_field "$TMP/$m.csv" served) served, $(csv_field "$TMP/$m.csv" errors) errors, $(csv_field "$TMP/$m.csv" checksum)"
		check "$m, $w: every request answered with the C servers' checksum ($got$([ $rc = 0 ] || echo ": $(tail -1 "$TMP/err")"))" \
			test $rc = 0 -a "$(csv_field "$TMP/$m.csv" checksum)" = "${WANT[$w]}" \
			-a "$(csv_field "$TMP/$m.csv" served_checksum)" = "${WANT[$w]}" \
			-a "$(csv_field "$TMP/$m.csv" served)" = $N
	done
done

# the handlers' libraries: the same checksum whichever does the GET
lib() { # what, want, args...
	local what=$1 want=$2 rc
	shift 2
	run_one "$TMP/lib.csv" "$@"
	rc=$?
	check "$what ($(csv_field "$TMP/lib.csv" checksum)$([ $rc = 0 ] || echo ", rc $rc: $(tail -1 "$TMP/err")"))" \
		test $rc = 0 -a "$(csv_field "$TMP/lib.csv" checksum)" = "$want"
}
IO=(--workload io --io-latency 2ms)
lib "py-fastapi, io through aiohttp in async def" "${WANT[io]}" --model py-fastapi "${IO[@]}" --py-http aiohttp
lib "py-fastapi, io through httpx.AsyncClient" "${WANT[io]}" --model py-fastapi "${IO[@]}" --py-http httpx
lib "py-fastapi-def, io through requests in def" "${WANT[io]}" --model py-fastapi-def "${IO[@]}" --py-http requests
lib "py-gunicorn-sync, io through requests in a WSGI worker" "${WANT[io]}" --model py-gunicorn-sync "${IO[@]}" --py-http requests
lib "py-gevent, io through requests, monkey-patched" "${WANT[io]}" --model py-gevent "${IO[@]}" --py-http requests
run_one "$TMP/c.csv" --model loop-inline --workload blocking --io-latency 2ms
lib "py-fastapi: requests.get() inside async def (the seed's mistake, blocking)" \
	"$(csv_field "$TMP/c.csv" checksum)" --model py-fastapi --workload blocking --io-latency 2ms --py-http requests
run_one "$TMP/c.csv" --model loop-inline --workload sqlite
lib "py-fastapi-def, sqlite3 in def with --threads 2" "$(csv_field "$TMP/c.csv" checksum)" \
	--model py-fastapi-def --workload sqlite --threads 2
lib "py-gunicorn-gthread, sqlite3 with --threads 2" "$(csv_field "$TMP/c.csv" checksum)" \
	--model py-gunicorn-gthread --workload sqlite --threads 2

# bad input: one line on stderr, exit 2
B=(--side server --workload io --rate 100 --tasks 10)
bad() { # what, args...
	local what=$1 rc
	shift
	"$CMBENCH" run "$@" >/dev/null 2>"$TMP/err"
	rc=$?
	check "$what: exit 2 with one line ($(head -1 "$TMP/err"))" \
		test $rc = 2 -a "$(wc -l <"$TMP/err")" = 1
}
bad "aiohttp's client inside a WSGI worker" --model py-gunicorn-sync "${B[@]}" --py-http aiohttp
bad "aiohttp's client under gevent" --model py-gevent "${B[@]}" --py-http aiohttp
bad "requests in an async def route (io: use --workload blocking)" --model py-fastapi "${B[@]}" --py-http requests
bad "a worker count of 0" --model py-gunicorn-uvicorn "${B[@]}" --workers 0
bad "a thread pool of 0" --model py-fastapi-def "${B[@]}" --threads 0
BARE="$TMP/bare-python" # an interpreter that sees no Debian package
printf '#!/bin/sh\nexec %s -S "$@"\n' "$PY" >"$BARE"
chmod +x "$BARE"
for m in py-fastapi py-gunicorn-uvicorn py-gevent py-aiohttp-web py-uvloop-server; do
	CMBENCH_PYTHON=$BARE "$CMBENCH" run --model $m "${B[@]}" >/dev/null 2>"$TMP/err"
	rc=$?
	check "$m not installed: exit 2, one line naming the Debian package ($(head -1 "$TMP/err"))" \
		test $rc = 2 -a "$(wc -l <"$TMP/err")" = 1 -a -n "$(grep 'Debian package python3-' "$TMP/err")"
done

# the channel closes (the runner died): the program exits, no worker left
EOF_HELP="$(dirname "$0")/helpers/pyserv_eof.py"
for m in py-gunicorn-uvicorn py-gunicorn-sync py-fastapi-def py-gevent; do
	prog=models/python/srv_$(echo $m | sed -e 's/^py-//' -e 's/-.*//').py
	out=$("$PY" "$EOF_HELP" "$PY" "$prog" mode=serve model=$m workload=cpu tasks=10 concurrency=4 \
		workers=2 cpu_iters=10 listen_port=0 threads=0)
	check "$m: its channel closed, it exits and leaves no process ($out)" \
		bash -c "[[ '$out' == ready\ * && '$out' == *' left 0' ]]"
done

# a server killed mid-run: a failed run (exit 1), never a hang
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$CMBENCH" run --side server --model py-fastapi --workload io --io-latency 2ms --rate 100 \
	--tasks 300 --connections 4 --port "$PORT" >/dev/null 2>"$TMP/crash" &
RUN=$!
for _ in $(seq 100); do
	pid=$(ss -ltnp "sport = :$PORT" 2>/dev/null | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
	[ -n "$pid" ] && break
	sleep 0.1
done
sleep 0.5
[ -n "$pid" ] && kill -KILL "$pid"
timeout 30 tail --pid=$RUN -f /dev/null
wait $RUN
rc=$?
check "py-fastapi killed mid-run: exit 1, one line ($(tail -1 "$TMP/crash"))" \
	test $rc = 1 -a "$(wc -l <"$TMP/crash")" = 1

# SIGINT: nothing of the run is left (the interpreter, Gunicorn's master and workers)
HELP="$(dirname "$0")/helpers/stop_leaves_nothing.py"
for m in py-gunicorn-uvicorn py-gunicorn-sync py-fastapi-def py-gevent; do
	out=$(python3 "$HELP" INT 4 0.5 "$CMBENCH" run --side server --model $m --workload io \
		--io-latency 5ms --rate 300 --tasks 100000 --connections 20 --workers 2)
	read -r _ rc _ n _ left _ <<<"$out"
	check "$m, SIGINT: exit 130 and no process left ($out)" test "$rc" = 130 -a "$left" = 0
done
