#!/bin/bash
# foreign.sh - foreign models (models/foreign.c, models/python/README.md):
# every foreign model of the table runs io, cpu and mixed clean with the C
# models' checksums for equal --cpu-iters, and its row carries its process
# tree's real memory, CPU and context switches (not the runner's own);
# --cpu is calibrated in the program's own runtime; and the protocol is
# enforced on a minimal foreign model in bash
# (tests/it/helpers/foreign_fixture.sh) that misbehaves on purpose: every
# failure counted, exit 1, no hang, nothing left behind. A program whose
# socket closes exits at once; --py-bare (the control) counts the tasks.
source "$(dirname "$0")/lib.sh"

FIXTURE_PROG="$(cd "$(dirname "$0")" && pwd)/helpers/foreign_fixture.sh"
# the lists come from the table: foreign models are marked in `cmbench list`
FOREIGN=$("$CMBENCH" list | awk '/\(foreign\)$/ { print $1 }')
REF=$("$CMBENCH" list | awk '/^workloads:/ { exit } /^  / && !/\(foreign\)$/ { print $1; exit }')
[ -n "$FOREIGN" ] || { ok "# skip: no foreign model in the table"; exit 0; }
first=${FOREIGN%%$'\n'*}
args=(--tasks 12 --concurrency 3 --io-latency 5ms --payload 300 --cpu-iters 3000)

# row FILE: "col=value ..." of the figures the checks print
row() {
	echo "errors=$(csv_field "$1" errors) completed=$(csv_field "$1" completed)" \
		"rss=$(csv_field "$1" rss_peak_kib) pss=$(csv_field "$1" pss_peak_kib)" \
		"user=$(csv_field "$1" cpu_user_s) ctx=$(csv_field "$1" ctx_voluntary)"
}

# --- every foreign model x io, cpu, mixed: clean, the C checksum, real figures
for w in io cpu mixed; do
	"$CMBENCH" run --model "$REF" --workload "$w" "${args[@]}" --format csv >"$TMP/ref-$w.csv" 2>&1
	want=$(csv_field "$TMP/ref-$w.csv" checksum)
	for m in $FOREIGN; do
		f="$TMP/$m-$w.csv"
		"$CMBENCH" run --model "$m" --workload "$w" "${args[@]}" --format csv >"$f" 2>"$TMP/err"
		rc=$?
		what="$m $w: exit 0, 12 tasks, 0 errors, the checksum of $REF ($want)"
		check "$what ($(row "$f"); $(head -c 200 "$TMP/err"))" test "$rc" = 0 -a \
			"$(csv_field "$f" completed)" = 12 -a "$(csv_field "$f" errors)" = 0 -a \
			"$(csv_field "$f" checksum)" = "$want"
		# an interpreter is megabytes; its tree is at least two processes
		what="$m $w: its tree measured: RSS > 4 MiB, PSS above base, >= 2 processes, CPU time"
		check "$what, context switches ($(row "$f"))" \
			awk -v r="$(csv_field "$f" rss_peak_kib)" -v p="$(csv_field "$f" pss_peak_kib)" \
			-v b="$(csv_field "$f" pss_base_kib)" -v n="$(csv_field "$f" processes)" \
			-v u="$(csv_field "$f" cpu_user_s)" -v s="$(csv_field "$f" cpu_sys_s)" \
			-v v="$(csv_field "$f" ctx_voluntary)" -v i="$(csv_field "$f" ctx_involuntary)" \
			'BEGIN { exit !(r > 4096 && p > b && n >= 2 && u + s > 0.01 && v + i > 0) }'
	done
done

# --- keep-alive: the same work, so the same checksum
for m in $FOREIGN; do
	"$CMBENCH" run --model "$m" --workload mixed "${args[@]}" --conn keepalive --format csv \
		>"$TMP/ka.csv" 2>/dev/null
	# 12 tasks of 5 ms, 3 at a time: far under the 5 s I/O timeout that
	# a connection waiting for nothing would take
	ms=$(csv_field "$TMP/ka.csv" makespan_s)
	check "$m mixed --conn keepalive: 0 errors, the checksum of --conn new, ${ms}s < 2s" \
		test "$(csv_field "$TMP/ka.csv" errors)" = 0 -a \
		"$(csv_field "$TMP/ka.csv" checksum)" = "$(csv_field "$TMP/ref-mixed.csv" checksum)" -a \
		-n "$(awk -v m="$ms" 'BEGIN { if (m < 2) print 1 }')"
done

# --- --spawn exec where a model takes it (the others refuse it: exit 2)
for m in $FOREIGN; do
	"$CMBENCH" run --model "$m" --workload cpu "${args[@]}" --spawn exec --format csv \
		>"$TMP/sp.csv" 2>/dev/null
	rc=$?
	[ "$rc" = 2 ] && continue
	check "$m --spawn exec: exit 0 and the checksum of $REF" \
		test "$rc" = 0 -a "$(csv_field "$TMP/sp.csv" checksum)" = "$(csv_field "$TMP/ref-cpu.csv" checksum)"
done

# --- the runner's own work is not the program's: 2 requests of 500 ms one
# after another keep cmbench's runner waking every 20 ms (about 50 times,
# which made ctx_voluntary ~86) while the program blocks in a few calls; the
# row counts the program's processes alone (the runner's share taken off)
"$CMBENCH" run --model "$first" --workload io --tasks 2 --concurrency 1 --io-latency 500ms \
	--format csv >"$TMP/w.csv" 2>/dev/null
v=$(csv_field "$TMP/w.csv" ctx_voluntary)
check "$first io 2 x 500 ms: the runner's ~50 wake-ups are not in ctx_voluntary ($v < 30)" \
	awk -v v="$v" 'BEGIN { exit !(v != "" && v >= 0 && v < 30) }'

# --- --cpu D: calibrated in the program's runtime, and the row says so
"$CMBENCH" run --model "$REF" --workload cpu --tasks 4 --cpu 2ms --format csv >"$TMP/c.csv"
"$CMBENCH" run --model "$first" --workload cpu --tasks 4 --cpu 2ms --format csv >"$TMP/p.csv"
ci=$(csv_field "$TMP/c.csv" cpu_iters)
pi=$(csv_field "$TMP/p.csv" cpu_iters)
pu=$(csv_field "$TMP/p.csv" cpu_us_per_task)
check "$first --cpu 2ms: its own iterations ($pi, $REF: $ci, over 10x more) taking ~2ms ($pu us)" \
	awk -v c="$ci" -v p="$pi" -v u="$pu" 'BEGIN { exit !(p > 0 && c > 10 * p && u > 500 && u < 20000) }'

# --- the protocol, on the bash fixture (run as $first's program)
fixture() { # FIXTURE args...: run it; sets RC and MS (elapsed)
	local f=$1 start
	shift
	start=$(date +%s%N)
	FIXTURE=$f CMBENCH_FOREIGN_PROGRAM="$FIXTURE_PROG" "$CMBENCH" run --model "$first" \
		--workload cpu --tasks 10 --cpu-iters 50 --format csv "$@" >"$TMP/fx.csv" 2>"$TMP/fx.err"
	RC=$?
	MS=$((($(date +%s%N) - start) / 1000000))
}
"$CMBENCH" run --model "$REF" --workload cpu --tasks 10 --cpu-iters 50 --format csv >"$TMP/fref.csv"
fixture ok
check "bash fixture: exit 0, 0 errors, the checksum of $REF" \
	test "$RC" = 0 -a "$(csv_field "$TMP/fx.csv" errors)" = 0 -a \
	"$(csv_field "$TMP/fx.csv" checksum)" = "$(csv_field "$TMP/fref.csv" checksum)"
for f in die kill; do
	fixture $f
	check "fixture dies halfway ($f): exit 1, its 5 missing tasks counted, a worker lost, ${MS}ms" \
		test "$RC" = 1 -a "$(csv_field "$TMP/fx.csv" errors_worker)" = 5 -a \
		"$(csv_field "$TMP/fx.csv" workers_lost)" = 1 -a "$(csv_field "$TMP/fx.csv" completed)" = 10
done
fixture dup
check "fixture reports a task twice: exit 1, one worker error ($(head -1 "$TMP/fx.err"))" \
	test "$RC" = 1 -a "$(csv_field "$TMP/fx.csv" errors_worker)" = 1
fixture never
check "fixture never reports a task: exit 1, one worker error ($(head -1 "$TMP/fx.err"))" \
	test "$RC" = 1 -a "$(csv_field "$TMP/fx.csv" errors_worker)" = 1 -a \
	"$(csv_field "$TMP/fx.csv" completed)" = 10
fixture garbage
check "fixture writes a line that is no record: exit 1, one worker error" \
	test "$RC" = 1 -a "$(csv_field "$TMP/fx.csv" errors_worker)" = 1
fixture silent --timeout 1ms
check "fixture goes silent halfway: killed, 5 tasks counted, exit 1, no hang (${MS}ms < 8000)" \
	test "$RC" = 1 -a "$(csv_field "$TMP/fx.csv" errors_worker)" = 5 -a "$MS" -lt 8000
fixture noready
check "fixture exits before ready: exit 1, set-up failed ($(head -1 "$TMP/fx.err"))" \
	test "$RC" = 1 -a -n "$(grep 'set-up failed' "$TMP/fx.err")"
CMBENCH_FOREIGN_PROGRAM=/nonexistent/program "$CMBENCH" run --model "$first" --workload io \
	--tasks 2 >/dev/null 2>"$TMP/nx.err"
rc=$?
check "a missing program: exit 1, one line ($(head -1 "$TMP/nx.err"))" \
	test "$rc" = 1 -a "$(wc -l <"$TMP/nx.err")" = 1
# --- the records are batched (foreign.py's Records, os.write counted):
# no write of a task's own, none held past a heartbeat, none lost
n=0
while read -r l; do
	n=$((n + 1))
	case $l in
	"ok - "*) ok "records: ${l#ok - }" ;;
	*) not_ok "records: ${l#not ok - }" ;;
	esac
done < <(/usr/bin/python3 "$(dirname "$0")/helpers/records_batched.py" \
	"$(cd "$(dirname "$0")/../.." && pwd)/models/python" 2>&1)
[ "$n" = 4 ] || not_ok "records: the check said $n lines, not 4"

# --- cmbench's end of the socket closes mid-run (tests/it/helpers/
# closed_socket.py plays the runner): the program cannot write its records
# and exits at once, exit 1, one line, no worker of it left behind
if start_server; then
	for m in $FOREIGN; do
		prog="$(cd "$(dirname "$0")/../.." && pwd)/models/python/${m//-/_}.py"
		[ -f "$prog" ] || continue
		lib=http.client
		case $m in *asyncio* | *uvloop*) lib=streams ;; esac
		read -r rc secs lines left _ line < <(/usr/bin/python3 \
			"$(dirname "$0")/helpers/closed_socket.py" "$prog" "$m" "$SERVER_PORT" "$lib")
		check "$m, its socket closed after go: exit 1 in ${secs}s (< 2), $lines line(s) ($line), $left process(es) left" \
			test "$rc" = 1 -a "$lines" = 1 -a "$left" = 0 -a -n "$(grep "cannot write its records" <<<"$line")" \
			-a -n "$(awk -v s="$secs" 'BEGIN { if (s < 2) print 1 }')"
	done
	kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
else
	not_ok "could not start a latency server"
fi

# --- --py-bare, the control (docs/python.md): the same tasks, counted in
# tallies, no checksum; refused for a C model
for m in $FOREIGN; do
	"$CMBENCH" run --model "$m" --workload mixed "${args[@]}" --workers 2 --py-bare --format csv \
		>"$TMP/bare.csv" 2>"$TMP/bare.err"
	rc=$?
	check "$m --py-bare: exit 0, 12 tasks, 0 errors, a makespan, no checksum (rc $rc: $(head -c 200 "$TMP/bare.err"))" \
		test "$rc" = 0 -a "$(csv_field "$TMP/bare.csv" completed)" = 12 -a \
		"$(csv_field "$TMP/bare.csv" errors)" = 0 -a "$(csv_field "$TMP/bare.csv" checksum)" = 0000000000000000 \
		-a -n "$(awk -v s="$(csv_field "$TMP/bare.csv" makespan_s)" 'BEGIN { if (s > 0) print 1 }')"
done
"$CMBENCH" run --model "$REF" --workload io --tasks 2 --py-bare >/dev/null 2>"$TMP/bare.err"
rc=$?
check "--py-bare with a C model: exit 2, one line ($(cat "$TMP/bare.err"))" \
	test "$rc" = 2 -a "$(wc -l <"$TMP/bare.err")" = 1
FIXTURE=ok CMBENCH_FOREIGN_PROGRAM="$FIXTURE_PROG" "$CMBENCH" run --model "$first" --workload cpu \
	--tasks 10 --cpu-iters 50 --py-bare --format csv >"$TMP/fx.csv" 2>/dev/null
check "--py-bare: a program that sends records instead of tallies is refused (exit 1, 10 worker errors)" \
	test "$?" = 1 -a "$(csv_field "$TMP/fx.csv" errors_worker)" -ge 10

sleep 0.2
left=$(pgrep -f 'cmbfixture|models/python/py_' | head -3)
check "no foreign process left behind${left:+ ($left)}" test -z "$left"
