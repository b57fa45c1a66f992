#!/bin/bash
# server.sh - the latency server (`cmbench serve`) as curl, wrk and a raw
# socket see it: status, body size and determinism, delay, keep-alive,
# pipelining, bad requests, flag errors and a clean SIGTERM shutdown.
source "$(dirname "$0")/lib.sh"

if ! start_server; then
	not_ok "serve: prints 'listening on ADDR:PORT'"
	cat "$TMP/serve.out" 2>/dev/null
	exit 1
fi
ok "serve: prints 'listening on ADDR:PORT' (port $SERVER_PORT)"
URL="http://127.0.0.1:$SERVER_PORT"

# 200 with exactly the asked number of body bytes
got=$(curl -s -o "$TMP/a1" -w '%{http_code} %{size_download}' "$URL/x?bytes=1000&id=1")
if [ "$got" = "200 1000" ] && [ "$(wc -c <"$TMP/a1")" -eq 1000 ]; then
	ok "GET bytes=1000: 200 with 1000 body bytes"
else
	not_ok "GET bytes=1000: 200 with 1000 body bytes: got '$got'"
fi

# the body depends on id only
curl -s -o "$TMP/a2" "$URL/other/path?id=1&bytes=1000"
curl -s -o "$TMP/b1" "$URL/x?bytes=1000&id=2"
if cmp -s "$TMP/a1" "$TMP/a2" && ! cmp -s "$TMP/a1" "$TMP/b1"; then
	ok "body: same for the same id, different for another id"
else
	not_ok "body: same for the same id, different for another id"
fi

# a 1 MiB body arrives whole (it is written in chunks)
got=$(curl -s -o /dev/null -w '%{http_code} %{size_download}' "$URL/?bytes=1048576&id=3")
if [ "$got" = "200 1048576" ]; then ok "GET bytes=1048576: whole body"; else not_ok "GET bytes=1048576: whole body: got '$got'"; fi

# delay_us=100000 answers after 0.1 s (wide margins for a busy machine)
t=$(curl -s -o /dev/null -w '%{time_total}' "$URL/?delay_us=100000&bytes=10")
if awk -v t="$t" 'BEGIN { exit !(t >= 0.09 && t < 1.0) }'; then
	ok "delay_us=100000 took ${t}s"
else
	not_ok "delay_us=100000 took ${t}s, want 0.09 .. 1"
fi

# keep-alive: the second transfer of one curl command makes no new connection
conns=$(curl -s -o /dev/null -o /dev/null -w '%{num_connects} ' "$URL/?bytes=5&id=1" "$URL/?bytes=6&id=2")
if [ "$conns" = "1 0 " ]; then
	ok "keep-alive: curl reuses the connection"
else
	not_ok "keep-alive: curl reuses the connection: new connections per transfer '$conns'"
fi

# raw socket: two pipelined requests answered in order, then the close
raw() { # raw BYTES: send BYTES on a fresh connection, print the reply until close
	exec 3<>"/dev/tcp/127.0.0.1/$SERVER_PORT" || return 1
	printf '%b' "$1" >&3
	timeout 5 cat <&3
	exec 3<&-
}
raw 'GET /?bytes=3&id=1 HTTP/1.1\r\nHost: x\r\n\r\nGET /?bytes=4&id=2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' >"$TMP/pipe"
if [ "$(grep -o 'HTTP/1.1 200 OK' "$TMP/pipe" | wc -l)" -eq 2 ] &&
	[ "$(sed -n 's/^Content-Length: //p' "$TMP/pipe" | tr -d '\r' | tr '\n' ' ')" = "3 4 " ]; then
	ok "pipelining: two requests in one write, two answers in order, then close"
else
	not_ok "pipelining: two requests in one write, two answers in order, then close"
fi

raw 'NONSENSE\r\n\r\n' >"$TMP/bad"
if head -1 "$TMP/bad" | grep -q '^HTTP/1.1 400 '; then
	ok "malformed request: 400"
else
	not_ok "malformed request: 400: got '$(head -1 "$TMP/bad")'"
fi

got=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$URL/")
if [ "$got" = 405 ]; then ok "POST: 405"; else not_ok "POST: 405: got '$got'"; fi

# wrk: many requests over 50 keep-alive connections, no errors
if command -v wrk >/dev/null; then
	wrk -t1 -c50 -d1s "$URL/?bytes=64&delay_us=1000" >"$TMP/wrk" 2>&1
	n=$(sed -n 's/^ *\([0-9][0-9]*\) requests in.*/\1/p' "$TMP/wrk")
	if [ "${n:-0}" -gt 0 ] && ! grep -Eq 'Non-2xx|Socket errors' "$TMP/wrk"; then
		ok "wrk -c50: $n requests, no errors"
	else
		not_ok "wrk -c50: $(tr '\n' ' ' <"$TMP/wrk")"
	fi
else
	not_ok "wrk -c50: wrk is not installed (make deps-test)"
fi

# a bad flag value: status 2, one line on stderr naming the flag and the value
"$CMBENCH" serve --port abc >"$TMP/flag.out" 2>"$TMP/flag.err"
rc=$?
if [ "$rc" -eq 2 ] && [ "$(wc -l <"$TMP/flag.err")" -eq 1 ] && grep -q -- '--port' "$TMP/flag.err" &&
	grep -q abc "$TMP/flag.err"; then
	ok "serve --port abc: status 2 and one stderr line"
else
	not_ok "serve --port abc: status $rc, stderr '$(cat "$TMP/flag.err")'"
fi

# SIGTERM with a delayed response pending: exits within 2 s, status 0
curl -s -o /dev/null "$URL/?delay_us=10000000" &
CURL_PID=$!
LIB_PIDS="$LIB_PIDS $CURL_PID"
sleep 0.2
kill -TERM "$SERVER_PID"
for _ in $(seq 40); do
	kill -0 "$SERVER_PID" 2>/dev/null || break
	sleep 0.05
done
if kill -0 "$SERVER_PID" 2>/dev/null; then
	not_ok "SIGTERM: still running after 2 s"
else
	wait "$SERVER_PID"
	rc=$?
	if [ "$rc" -eq 0 ]; then ok "SIGTERM: exits within 2 s with status 0"; else not_ok "SIGTERM: exit status $rc"; fi
fi
kill "$CURL_PID" 2>/dev/null
exit 0 # the TAP lines carry the verdict
