#!/bin/bash
# server_hostile.sh - the latency server against input no client of ours
# sends: overlong heads, garbage, bad escapes, numbers past the limits, a
# flood of pipelined requests, a connection closed before its first byte.
# Each gets 400, 405 or 431, or a close; the server never crashes or hangs,
# and (under `make asan`) the sanitizers say nothing.
source "$(dirname "$0")/lib.sh"

: >"$TMP/serve.out"
UBSAN_OPTIONS=halt_on_error=1 "$CMBENCH" serve --port 0 >"$TMP/serve.out" 2>&1 &
PID=$!
LIB_PIDS="$LIB_PIDS $PID"
for _ in $(seq 100); do
	PORT=$(sed -n 's/.*listening on [^ ]*:\([0-9][0-9]*\).*/\1/p' "$TMP/serve.out" | head -1)
	[ -n "$PORT" ] && break
	sleep 0.05
done
if [ -z "$PORT" ]; then
	not_ok "serve did not start: $(head -3 "$TMP/serve.out")"
	exit 1
fi

# send FILE: FILE's bytes on a fresh connection; the reply until close (5 s at most)
send() {
	exec 3<>"/dev/tcp/127.0.0.1/$PORT" || return 1
	cat "$1" >&3 2>/dev/null
	timeout 5 cat <&3
	exec 3<&-
}

# expect WHAT STATUS BYTES: BYTES (printf %b) get STATUS as the first line
expect() {
	local what=$1 status=$2 first
	printf '%b' "$3" >"$TMP/req"
	send "$TMP/req" >"$TMP/resp"
	first=$(head -1 "$TMP/resp" | tr -d '\r')
	if [ "$first" = "HTTP/1.1 $status" ]; then
		ok "$what: $status"
	else
		not_ok "$what: want '$status', got '$first'"
	fi
}

long=$(head -c 9000 /dev/zero | tr '\0' a)
hdrs=$(for i in $(seq 400); do printf 'X-Pad-%d: abcdefghij\\r\\n' "$i"; done)
expect "a 9000-byte request line" "431 Request Header Fields Too Large" "GET /$long HTTP/1.1\r\n\r\n"
expect "9000 bytes of unfinished request line" "431 Request Header Fields Too Large" "GET /$long"
expect "400 header lines" "431 Request Header Fields Too Large" "GET / HTTP/1.1\r\n$hdrs\r\n"
head -c 10000 /dev/zero | tr '\0' '\n' >"$TMP/req"
send "$TMP/req" >"$TMP/resp"
check "10000 empty lines: 431" grep -q '^HTTP/1.1 431 ' "$TMP/resp"
expect "a TLS client hello" "400 Bad Request" '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03'
expect "the HTTP/2 preface" "400 Bad Request" 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'
expect "a NUL in the target" "400 Bad Request" 'GET /\x00 HTTP/1.1\r\n\r\n'
expect "a bad escape %zz" "400 Bad Request" 'GET /?id=1&x=%zz HTTP/1.1\r\n\r\n'
expect "a cut escape %4" "400 Bad Request" 'GET /a%4 HTTP/1.1\r\n\r\n'
expect "an escaped digit in a number" "400 Bad Request" 'GET /?id=%31 HTTP/1.1\r\n\r\n'
expect "a UTF-8 target" "400 Bad Request" 'GET /\xc3\xa9 HTTP/1.1\r\n\r\n'
expect "id = 2^64" "400 Bad Request" 'GET /?id=18446744073709551616 HTTP/1.1\r\n\r\n'
expect "a 40-digit delay" "400 Bad Request" "GET /?delay_us=$(printf '9%.0s' $(seq 40)) HTTP/1.1\r\n\r\n"
expect "delay_us one above the cap" "400 Bad Request" 'GET /?delay_us=3600000001 HTTP/1.1\r\n\r\n'
expect "bytes one above the cap" "400 Bad Request" 'GET /?bytes=1073741825 HTTP/1.1\r\n\r\n'
expect "a request body" "400 Bad Request" 'GET / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello'
expect "chunked" "400 Bad Request" 'GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'
expect "a folded header" "400 Bad Request" 'GET / HTTP/1.1\r\nA: b\r\n c\r\n\r\n'
expect "DELETE" "405 Method Not Allowed" 'DELETE /?id=1 HTTP/1.1\r\n\r\n'
expect "bytes at the cap, as HEAD" "200 OK" 'HEAD /?bytes=1073741824 HTTP/1.1\r\nConnection: close\r\n\r\n'

# delay_us at the cap is accepted: no answer within 0.3 s
printf 'GET /?delay_us=3600000000 HTTP/1.1\r\n\r\n' >"$TMP/req"
exec 4<>"/dev/tcp/127.0.0.1/$PORT"
cat "$TMP/req" >&4
timeout 0.3 cat <&4 >"$TMP/resp"
rc=$?
exec 4<&-
check "delay_us=3600000000 (the cap) is accepted and waits" test "$rc" = 124 -a ! -s "$TMP/resp"

# random bytes: 400 or a close, every time
bad=0
for _ in $(seq 20); do
	head -c 4096 /dev/urandom >"$TMP/req"
	send "$TMP/req" >"$TMP/resp"
	if [ -s "$TMP/resp" ] && ! head -1 "$TMP/resp" | grep -q '^HTTP/1.1 4[03][01] '; then
		bad=$((bad + 1))
	fi
done
check "20 x 4 KiB of random bytes: 400, 431 or a close every time ($bad not)" test "$bad" = 0

# 1000 pipelined requests in one write: 1000 answers, in order
for i in $(seq 999); do printf 'GET /?bytes=%d&id=%d HTTP/1.1\r\nHost: x\r\n\r\n' $((i % 50)) "$i"; done >"$TMP/req"
printf 'GET /?bytes=50 HTTP/1.1\r\nConnection: close\r\n\r\n' >>"$TMP/req"
send "$TMP/req" >"$TMP/resp"
n=$(grep -o 'HTTP/1.1 200 OK' "$TMP/resp" | wc -l)
want=$( (for i in $(seq 999); do echo $((i % 50)); done; echo 50) | md5sum)
got=$(sed -n 's/^Content-Length: //p' "$TMP/resp" | tr -d '\r' | md5sum)
check "1000 pipelined requests: 1000 answers in order (got $n)" test "$n" = 1000 -a "$want" = "$got"

# connections closed before their first byte, and right after a request
for _ in $(seq 20); do
	exec 4<>"/dev/tcp/127.0.0.1/$PORT" && exec 4<&-
	exec 4<>"/dev/tcp/127.0.0.1/$PORT" && printf 'GET /?bytes=100000 HTTP/1.1\r\n\r\n' >&4 &&
		exec 4<&-
done
sleep 0.2

got=$(curl -s -o /dev/null -w '%{http_code} %{size_download}' "http://127.0.0.1:$PORT/?bytes=10")
check "the server still answers after all that (got '$got')" test "$got" = "200 10"
if grep -Eq 'runtime error|AddressSanitizer|LeakSanitizer' "$TMP/serve.out"; then
	not_ok "sanitizers: $(grep -E -m1 'runtime error|Sanitizer' "$TMP/serve.out")"
else
	ok "sanitizers: nothing to say (when built with them)"
fi
kill -TERM "$PID"
wait "$PID"
rc=$?
check "SIGTERM: exit status 0 (got $rc)" test "$rc" = 0
if grep -Eq 'runtime error|AddressSanitizer|LeakSanitizer' "$TMP/serve.out"; then
	not_ok "sanitizers at exit: $(grep -E -m1 'runtime error|Sanitizer' "$TMP/serve.out")"
else
	ok "sanitizers at exit: nothing to say"
fi
exit 0 # the TAP lines carry the verdict
