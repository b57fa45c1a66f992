#!/bin/bash
# server_timeouts.sh - the latency server lets go of connections it has no
# reason to keep: a client that closes while its response is delayed leaves
# no CLOSE-WAIT socket behind, and a connection that sends nothing is closed
# after --idle-timeout, while a delayed response is not cut short by it.
source "$(dirname "$0")/lib.sh"

# serve_bg NAME ARGS...: `cmbench serve --port 0 ARGS` in the background,
# output in $TMP/NAME.out; sets PORT and PID, or returns 1.
serve_bg() {
	local name=$1
	shift
	: >"$TMP/$name.out"
	UBSAN_OPTIONS=halt_on_error=1 "$CMBENCH" serve --port 0 "$@" >"$TMP/$name.out" 2>&1 &
	PID=$!
	LIB_PIDS="$LIB_PIDS $PID"
	for _ in $(seq 100); do
		PORT=$(sed -n 's/.*listening on [^ ]*:\([0-9][0-9]*\).*/\1/p' "$TMP/$name.out" | head -1)
		[ -n "$PORT" ] && return 0
		sleep 0.05
	done
	return 1
}

# close_wait PORT: the server-side sockets on 127.0.0.1:PORT in CLOSE-WAIT
close_wait() {
	awk -v p="$(printf ':%04X' "$1")" '$4 == "08" && substr($2, length($2) - 4) == p' \
		/proc/net/tcp | wc -l
}

# seconds_until_closed FD: how long until the server closes FD (at most 5 s)
seconds_until_closed() {
	local t0=$(date +%s%N)
	timeout 5 cat <&"$1" >/dev/null
	awk -v ns=$(($(date +%s%N) - t0)) 'BEGIN { printf "%.2f", ns / 1e9 }'
}

if ! serve_bg main; then
	not_ok "serve did not start: $(head -3 "$TMP/main.out")"
	exit 1
fi

# --- 200 clients ask for a 10 s delay and close after 0.3 s
fds=()
for i in $(seq 200); do
	exec {fd}<>"/dev/tcp/127.0.0.1/$PORT" || break
	printf 'GET /?delay_us=10000000&bytes=10&id=%d HTTP/1.1\r\nHost: x\r\n\r\n' "$i" >&"$fd"
	fds+=("$fd")
done
sleep 0.3
for fd in "${fds[@]}"; do exec {fd}>&-; done
n=$(close_wait "$PORT")
for _ in $(seq 20); do
	[ "$n" -eq 0 ] && break
	sleep 0.05
	n=$(close_wait "$PORT")
done
if [ "${#fds[@]}" -eq 200 ] && [ "$n" -eq 0 ]; then
	ok "200 clients gone mid-delay: no CLOSE-WAIT socket after 1 s"
else
	not_ok "200 clients gone mid-delay: ${#fds[@]} opened, $n still in CLOSE-WAIT after 1 s"
fi
got=$(curl -s -o /dev/null -w '%{http_code} %{size_download}' "http://127.0.0.1:$PORT/?bytes=10")
check "the server still answers after they went (got '$got')" test "$got" = "200 10"

# --- the default idle timeout (60 s) leaves a silent connection open
exec {quiet}<>"/dev/tcp/127.0.0.1/$PORT"

# --- --idle-timeout 1s
if ! serve_bg idle --idle-timeout 1s; then
	not_ok "serve --idle-timeout 1s did not start: $(head -3 "$TMP/idle.out")"
	exit 1
fi
exec {fd}<>"/dev/tcp/127.0.0.1/$PORT"
t=$(seconds_until_closed "$fd")
exec {fd}<&-
check "idle 1s: a connection that sends nothing is closed after ${t}s (0.9 .. 2.5)" \
	awk -v t="$t" 'BEGIN { exit !(t >= 0.9 && t <= 2.5) }'

exec {fd}<>"/dev/tcp/127.0.0.1/$PORT"
printf 'GET /?id=1 HTTP/1.1\r\nHost: x\r\n' >&"$fd"
t=$(seconds_until_closed "$fd")
exec {fd}<&-
check "idle 1s: a half-sent head is closed after ${t}s (0.9 .. 2.5)" \
	awk -v t="$t" 'BEGIN { exit !(t >= 0.9 && t <= 2.5) }'

# a 1.5 s delay outlasts the idle timeout: still answered, then the
# keep-alive connection goes idle and is closed a second later
exec {fd}<>"/dev/tcp/127.0.0.1/$PORT"
printf 'GET /?delay_us=1500000&bytes=7&id=1 HTTP/1.1\r\nHost: x\r\n\r\n' >&"$fd"
t0=$(date +%s%N)
timeout 5 cat <&"$fd" >"$TMP/slow"
t=$(awk -v ns=$(($(date +%s%N) - t0)) 'BEGIN { printf "%.2f", ns / 1e9 }')
exec {fd}<&-
if head -1 "$TMP/slow" | grep -q '^HTTP/1.1 200 ' &&
	awk -v t="$t" 'BEGIN { exit !(t >= 2.3 && t <= 4.5) }'; then
	ok "idle 1s: a 1.5 s delay is answered, then closed when idle (${t}s)"
else
	not_ok "idle 1s: a 1.5 s delay: '$(head -1 "$TMP/slow")' after ${t}s"
fi

# the first server's silent connection is still open after all that (> 3 s)
if timeout 0.2 cat <&"$quiet" >/dev/null; [ $? -eq 124 ]; then
	ok "default idle timeout: a silent connection stays open for seconds"
else
	not_ok "default idle timeout: a silent connection was closed within seconds"
fi
exec {quiet}<&-

# --- bad values: status 2, one line on stderr naming the flag
bad() { # what, args...
	local what=$1 rc
	shift
	"$CMBENCH" serve "$@" >/dev/null 2>"$TMP/bad"
	rc=$?
	if [ "$rc" -eq 2 ] && [ "$(wc -l <"$TMP/bad")" -eq 1 ] && grep -q '^cmbench serve: ' "$TMP/bad"; then
		ok "serve $what: status 2, one line: $(cat "$TMP/bad")"
	else
		not_ok "serve $what: status $rc, stderr '$(head -3 "$TMP/bad")'"
	fi
}
bad "--idle-timeout 5" --idle-timeout 5
bad "--idle-timeout -1s" --idle-timeout -1s
bad "--idle-timeout 2d" --idle-timeout 2d
bad "--idle-timeout without a value" --idle-timeout
bad "--bind nowhere" --bind nowhere
bad "--port 65536" --port 65536
bad "--bogus" --bogus
bad "a stray argument" stray
exit 0 # the TAP lines carry the verdict
