#!/bin/bash
# client_strict.sh - the keep-alive client rejects what it should: a second,
# unsolicited response and stray bytes after a body are http errors in
# every model, never the next task's answer. (A stray response that arrives
# only after the next request went out cannot be told from that request's
# answer on HTTP/1.1; one that arrives while the connection is idle is
# caught by the idle watch or the peek before the next request.)
source "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3
[ -x "$PY" ] || { ok "# skip: no $PY"; exit 0; }
for mode in double trailing; do
	"$PY" "$(dirname "$0")/helpers/bad_server.py" $mode >"$TMP/port" &
	spid=$!
	LIB_PIDS="$LIB_PIDS $spid"
	for _ in $(seq 100); do [ -s "$TMP/port" ] && break; sleep 0.05; done
	port=$(head -1 "$TMP/port")
	for m in $("$CMBENCH" list models); do
		"$CMBENCH" run --model "$m" --workload io --tasks 20 --concurrency 2 \
			--conn keepalive --target "http://127.0.0.1:$port/" --timeout 2s \
			--format csv >"$TMP/out.csv" 2>"$TMP/err"
		rc=$?
		e=$(csv_field "$TMP/out.csv" errors_http)
		check "$mode server, $m: exit 1 with http errors counted (rc $rc, errors_http ${e:-none})" \
			test "$rc" = 1 -a "${e:-0}" -gt 0
	done
	kill $spid 2>/dev/null
	wait $spid 2>/dev/null
	: >"$TMP/port"
done
