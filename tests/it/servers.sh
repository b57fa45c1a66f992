#!/bin/bash
# servers.sh - `cmbench run --side server` (docs/servers.md): every server
# model serves io, cpu and mixed handlers at a small rate with every
# request answered once, and the same checksum as every other server
# model and as the client side's run of the same tasks; the row says
# where each side ran and what the generator's own lag was; --client-conn
# new works; idle connections are held (--hold-connections); bad input is one line and exit 2; a server that crashes
# mid-run is a failed run (exit 1, the load's failures counted), never a
# hang; Ctrl-C leaves no server, worker or generator process.
source "$(dirname "$0")/lib.sh"

SERVERS=$("$CMBENCH" list servers)
check "cmbench list servers names the server models" test -n "$SERVERS"
check "cmbench list shows them under a heading of their own" \
	bash -c "'$CMBENCH' list | grep -q '^server models'"

N=120
IO=(--io-latency 2ms)
CPU=(--cpu-iters 20000)
declare -A WANT # workload -> the client side's checksum
for w in io cpu mixed; do
	args=("${IO[@]}")
	[ $w = cpu ] && args=("${CPU[@]}")
	[ $w = mixed ] && args=("${IO[@]}" "${CPU[@]}")
	"$CMBENCH" run --model sequential --workload $w "${args[@]}" --tasks $N --format csv \
		>"$TMP/client.csv" 2>"$TMP/err"
	WANT[$w]=$(csv_field "$TMP/client.csv" checksum)
	check "client side, $w: a checksum (${WANT[$w]})" test -n "${WANT[$w]}"
	for m in $SERVERS; do
		out="$TMP/$m.$w.csv"
		"$CMBENCH" run --side server --model $m --workload $w "${args[@]}" --rate 200 \
			--tasks $N --connections 8 --workers 2 --format csv >"$out" 2>"$TMP/err"
		rc=$?
		got="rc $rc, $(csv_field "$out" completed) completed, $(csv_field "$out" served) served,"
		got="$got $(csv_field "$out" errors) errors, checksum $(csv_field "$out" checksum)"
		check "$m, $w: every request answered once, the client side's checksum ($got)" \
			test "$rc" = 0 -a "$(csv_field "$out" completed)" = $N \
			-a "$(csv_field "$out" served)" = $N -a "$(csv_field "$out" errors)" = 0 \
			-a "$(csv_field "$out" checksum)" = "${WANT[$w]}"
	done
done

out="$TMP/loop-inline.io.csv"
check "the row is a server row with its placement ($(csv_field "$out" server_cpus) / $(csv_field "$out" client_cpus))" \
	test "$(csv_field "$out" side)" = server -a -n "$(csv_field "$out" server_cpus)" \
	-a -n "$(csv_field "$out" client_cpus)"
lag=$(csv_field "$out" send_lag_p99_us)
behind=$(csv_field "$out" gen_behind)
check "the generator's send lag and its behind flag agree (lag p99 $lag us, behind $behind)" \
	awk -v l="$lag" -v b="$behind" 'BEGIN { exit !((l > 1000) == (b == 1)) }'
check "the server's CPU per request is a figure ($(csv_field "$out" cpu_us_per_req) us)" \
	awk -v v="$(csv_field "$out" cpu_us_per_req)" 'BEGIN { exit !(v > 0) }'
check "a client row says side client" test "$(csv_field "$TMP/client.csv" side)" = client

"$CMBENCH" run --side server --model thread-pool --workload io "${IO[@]}" --rate 200 --tasks $N \
	--connections 8 --client-conn new --format csv >"$TMP/new.csv" 2>"$TMP/err"
check "--client-conn new: a connection per request, all answered ($(csv_field "$TMP/new.csv" completed), $(csv_field "$TMP/new.csv" client_conn))" \
	test "$(csv_field "$TMP/new.csv" errors)" = 0 -a "$(csv_field "$TMP/new.csv" completed)" = $N \
	-a "$(csv_field "$TMP/new.csv" client_conn)" = new

# connections held: idle keep-alive connections open throughout, the
# requests still answered, the server's memory per connection a figure
for m in loop-inline thread-per-conn thread-pool; do
	"$CMBENCH" run --side server --model $m --workload io "${IO[@]}" --rate 200 --tasks $N \
		--connections 8 --hold-connections 300 --format csv >"$TMP/hold.csv" 2>"$TMP/err"
	got="$(csv_field "$TMP/hold.csv" connections_held) held, $(csv_field "$TMP/hold.csv" completed) answered"
	got="$got, $(csv_field "$TMP/hold.csv" errors) errors, $(csv_field "$TMP/hold.csv" mem_per_task_kib) KiB per connection"
	check "$m holds 300 idle connections and answers every request ($got)" \
		test "$(csv_field "$TMP/hold.csv" connections_held)" = 300 \
		-a "$(csv_field "$TMP/hold.csv" completed)" = $N -a "$(csv_field "$TMP/hold.csv" errors)" = 0
done
"$CMBENCH" run --side server --model thread-per-conn --workload io "${IO[@]}" --rate 200 \
	--tasks $N --connections 8 --hold-connections 300 --format csv >"$TMP/hold.csv" 2>"$TMP/err"
th=$(csv_field "$TMP/hold.csv" threads)
check "thread-per-conn: a thread per held connection too ($th threads)" \
	awk -v v="$th" 'BEGIN { exit !(v >= 300) }'

# bad input: one line on stderr, exit 2
B=(--workload cpu --cpu-iters 1000 --rate 100 --tasks 10)
bad() { # what, args...
	local what=$1 rc
	shift
	"$CMBENCH" run "$@" >/dev/null 2>"$TMP/err"
	rc=$?
	check "$what: exit 2 with one line ($(head -1 "$TMP/err"))" \
		test $rc = 2 -a "$(wc -l <"$TMP/err")" = 1
}
bad "an unknown server model" --side server --model no-such-server "${B[@]}"
bad "a server model without --side server" --model "$(echo $SERVERS | cut -d' ' -f1)" "${B[@]}"
bad "--connections past the limit" --side server --model loop-inline "${B[@]}" --connections 2000000
bad "--connections past the open-file limit" --side server --model loop-inline "${B[@]}" \
	--connections $(($(ulimit -Hn) / 2 + 1))
bad "--server-cpus names a CPU that does not exist" --side server --model loop-inline "${B[@]}" \
	--server-cpus 1000
bad "--client-cpus is not a list" --side server --model loop-inline "${B[@]}" --client-cpus 1-x
bad "--side server without --rate" --side server --model loop-inline --workload cpu --tasks 10
bad "--hold-connections past the open-file limit" --side server --model loop-inline "${B[@]}" \
	--hold-connections $(($(ulimit -Hn) + 1))
bad "--connections on the client side" --model sequential "${B[@]}" --connections 4
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -c "import socket,time,sys; s=socket.socket(); s.bind(('127.0.0.1', $PORT)); s.listen(); time.sleep(30)" &
HOLDER=$!
LIB_PIDS="$LIB_PIDS $HOLDER"
for _ in $(seq 50); do
	ss -ltn "sport = :$PORT" 2>/dev/null | grep -q LISTEN && break
	sleep 0.1
done
bad "--port in use" --side server --model loop-inline "${B[@]}" --port "$PORT"
kill $HOLDER 2>/dev/null

# a server that crashes mid-run: a failed run with the load's failures
# counted, never a hang (it ends with its schedule)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$CMBENCH" run --side server --model thread-pool --workload io "${IO[@]}" --rate 100 --tasks 300 \
	--connections 4 --port "$PORT" >/dev/null 2>"$TMP/crash" &
RUN=$!
for _ in $(seq 50); do
	pid=$(ss -ltnp "sport = :$PORT" 2>/dev/null | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
	[ -n "$pid" ] && break
	sleep 0.1
done
sleep 0.5
[ -n "$pid" ] && kill -SEGV "$pid"
timeout 30 tail --pid=$RUN -f /dev/null
wait $RUN
rc=$?
check "a server killed mid-run: exit 1, one line counting the load's failures ($(cat "$TMP/crash"))" \
	test $rc = 1 -a "$(wc -l <"$TMP/crash")" = 1 -a -n "$(grep 'requests fail' "$TMP/crash")"

# Ctrl-C: nothing of the run is left (server, its workers, the generator)
HELP="$(dirname "$0")/helpers/stop_leaves_nothing.py"
for m in $SERVERS; do
	out=$(python3 "$HELP" INT 4 0.4 "$CMBENCH" run --side server --model $m --workload io \
		--io-latency 5ms --rate 500 --tasks 100000 --connections 20 --workers 2)
	read -r _ rc _ n _ left _ <<<"$out"
	check "$m, SIGINT: exit 130 and no process left ($out)" test "$rc" = 130 -a "$left" = 0
done
