#!/bin/bash
# run.sh - `cmbench run` end to end: every model on every workload, the
# self-checks, the wide-margin timing properties, output formats, bad input,
# failures counted rather than crashed, and no process left behind.
source "$(dirname "$0")/lib.sh"

# A private copy of the binary, so that leftovers are easy to find.
BIN="$TMP/cmb-under-test"
cp "$CMBENCH" "$BIN"
# the lists come from the tables, so a new model or workload is covered
MODELS=$("$BIN" list models)
WORKLOADS=$("$BIN" list workloads)
[ -n "$MODELS" ] && [ -n "$WORKLOADS" ] || not_ok "cmbench list models/workloads is empty"
leftovers() { pgrep -f "$BIN" >/dev/null; }

# --- every model x workload: all tasks done, 0 errors, equal checksums
for w in $WORKLOADS; do
	sums=""
	for m in $MODELS; do
		out="$TMP/$m-$w.csv"
		"$BIN" run --model "$m" --workload "$w" --tasks 40 --concurrency 8 \
			--io-latency 5ms --payload 700 --cpu-iters 5000 --format csv >"$out" 2>"$TMP/err"
		rc=$?
		if [ $rc = 2 ] && [ "$(wc -l <"$TMP/err")" = 1 ] && [ ! -s "$out" ]; then
			# a combination the model cannot run: said in one line, exit 2
			ok "$m $w: refused in one line ($(cat "$TMP/err"))"
			continue
		fi
		if [ $rc = 0 ]; then
			errs=$(csv_field "$out" errors)
			done_=$(csv_field "$out" completed)
			if [ "$errs" = 0 ] && [ "$done_" = 40 ]; then
				ok "$m $w: 40 of 40 tasks, 0 errors"
			else
				not_ok "$m $w: completed=$done_ errors=$errs"
			fi
			sums="$sums $(csv_field "$out" checksum)"
		else
			not_ok "$m $w: exit status $rc ($(head -1 "$TMP/err"))"
			sums="$sums failed"
		fi
	done
	n=$(echo $sums | tr ' ' '\n' | sort -u | wc -l)
	if [ "$n" = 1 ] && [ "${sums# }" != failed ]; then
		ok "$w: the same checksum in all $(echo $sums | wc -w) models that run it"
	else
		not_ok "$w: checksums differ across models:$sums"
	fi
done

# --- keepalive gives the same work, so the same checksum
"$BIN" run --model sequential --workload io --tasks 30 --io-latency 2ms --payload 700 \
	--format csv >"$TMP/ref.csv" 2>/dev/null
b=$(csv_field "$TMP/ref.csv" checksum)
for m in $MODELS; do
	"$BIN" run --model "$m" --workload io --tasks 30 --concurrency 5 --io-latency 2ms \
		--payload 700 --conn keepalive --format csv >"$TMP/ka.csv" 2>"$TMP/err"
	if [ $? = 2 ]; then
		check "$m --conn keepalive: refused in one line ($(cat "$TMP/err"))" \
			test "$(wc -l <"$TMP/err")" = 1
		continue
	fi
	a=$(csv_field "$TMP/ka.csv" checksum)
	check "$m --conn keepalive: 0 errors, checksum of --conn new" \
		test "$(csv_field "$TMP/ka.csv" errors)" = 0 -a "$a" = "$b"
done

# --- timing, with wide margins: sequential io takes about N x latency
"$BIN" run --model sequential --workload io --tasks 20 --io-latency 20ms --format csv >"$TMP/seq.csv"
ms=$(csv_field "$TMP/seq.csv" makespan_s)
check "sequential io: 20 x 20ms takes 0.4 s within 25% (got ${ms}s)" \
	awk -v m="$ms" 'BEGIN { exit !(m >= 0.3 && m <= 0.5) }'
# a concurrent model with C = N finishes io in under 3 x latency
for m in eventloop eventloop-offload threadpool forkpool; do
	"$BIN" run --model "$m" --workload io --tasks 50 --concurrency 50 --io-latency 50ms \
		--format csv >"$TMP/par.csv"
	ms=$(csv_field "$TMP/par.csv" makespan_s)
	check "$m io: 50 tasks at C=50 finish under 3 x 50ms (got ${ms}s)" \
		awk -v m="$ms" 'BEGIN { exit !(m > 0.05 && m < 0.15) }'
done

# --- the bound and efficiency follow DESIGN.md
b=$(csv_field "$TMP/seq.csv" bound_s)
check "sequential io bound is N x L = 0.4 s (got $b)" awk -v b="$b" 'BEGIN { exit !(b == 0.4) }'
e=$(csv_field "$TMP/seq.csv" efficiency)
check "efficiency is in (0, 1] (got $e)" awk -v e="$e" 'BEGIN { exit !(e > 0 && e <= 1) }'

# --- memory and tree figures are measured, not zero
"$BIN" run --model forkpool --workload cpu --tasks 20 --concurrency 4 --cpu-iters 1000 \
	--format csv >"$TMP/fp.csv"
check "forkpool: 5 processes at peak (got $(csv_field "$TMP/fp.csv" processes))" \
	test "$(csv_field "$TMP/fp.csv" processes)" = 5
check "forkpool: PSS peak above PSS base" \
	test "$(csv_field "$TMP/fp.csv" pss_peak_kib)" -gt "$(csv_field "$TMP/fp.csv" pss_base_kib)"
"$BIN" run --model threadpool --workload cpu --tasks 20 --concurrency 6 --cpu-iters 1000 \
	--format csv >"$TMP/tp.csv"
check "threadpool: 7 threads at peak (got $(csv_field "$TMP/tp.csv" threads))" \
	test "$(csv_field "$TMP/tp.csv" threads)" = 7
"$BIN" run --model eventloop-offload --workload cpu --tasks 20 --concurrency 6 --workers 3 \
	--cpu-iters 1000 --format csv >"$TMP/off.csv"
check "eventloop-offload --workers 3: 4 threads (got $(csv_field "$TMP/off.csv" threads))" \
	test "$(csv_field "$TMP/off.csv" threads)" = 4

# --- output formats
"$BIN" run --model eventloop --workload cpu --tasks 5 --cpu-iters 100 --format json >"$TMP/j"
check "json: one object with the csv keys" \
	grep -q '^{"model":"eventloop","workload":"cpu",.*"checksum":"[0-9a-f]\{16\}".*}$' "$TMP/j"
hdr=$(head -1 "$TMP/fp.csv" | tr ',' '\n' | wc -l)
row=$(tail -1 "$TMP/fp.csv" | tr ',' '\n' | wc -l)
check "csv: header and row have the same $hdr fields" test "$hdr" = "$row"
"$BIN" run --model eventloop --workload io --tasks 5 --io-latency 1ms >"$TMP/t"
if grep -q 'Makespan' "$TMP/t" && grep -q 'p99.9' "$TMP/t" && grep -q 'Checksum' "$TMP/t"; then
	ok "text: makespan, latency percentiles and checksum"
else
	not_ok "text: makespan, latency percentiles and checksum"
fi

# --- --append writes header once, then one row per run
rm -f "$TMP/app.csv"
for _ in 1 2; do
	"$BIN" run --model sequential --workload cpu --tasks 3 --cpu-iters 10 --format csv \
		--append "$TMP/app.csv" >/dev/null
done
check "--append: a header and two rows" test "$(wc -l <"$TMP/app.csv")" = 3
"$BIN" run --model eventloop --workload io --tasks 50 --concurrency 10 --io-latency 1ms \
	--spectrum "$TMP/spec.csv" --format csv >/dev/null
check "--spectrum: quantile rows ending in the max" \
	awk -F, 'NR==1 && $0!="quantile,latency_us" {exit 1} END {exit !(NR > 50 && $1 == 1)}' "$TMP/spec.csv"

# --- bad input: one line on stderr, exit 2
bad() { # what, args...
	local what=$1 rc lines
	shift
	"$BIN" "$@" >/dev/null 2>"$TMP/bad"
	rc=$?
	lines=$(wc -l <"$TMP/bad")
	if [ "$rc" = 2 ] && [ "$lines" = 1 ]; then
		ok "bad input: $what -> exit 2, one line: $(cat "$TMP/bad")"
	else
		not_ok "bad input: $what -> exit $rc, $lines lines: $(head -3 "$TMP/bad")"
	fi
}
bad "unknown model" run --model fibers --workload io
bad "unknown workload" run --model eventloop --workload disk
bad "negative tasks" run --model eventloop --workload io --tasks -5
bad "malformed number" run --model eventloop --workload io --tasks 12abc
bad "duration without unit" run --model eventloop --workload io --io-latency 50
bad "negative duration" run --model eventloop --workload io --io-latency -5ms
bad "malformed duration" run --model eventloop --workload io --timeout fast
bad "--concurrency 0" run --model eventloop --workload io --concurrency 0
bad "concurrency above the open-file limit" run --model eventloop --workload io --concurrency 900000
bad "unknown flag" run --model eventloop --workload io --bogus 1
bad "bad --conn" run --model eventloop --workload io --conn sometimes
bad "bad --target" run --model eventloop --workload io --target ftp://x
bad "unknown command" frobnicate

# --- failures are counted, the run exits 1, nothing is left behind
"$BIN" run --model eventloop --workload io --tasks 20 --concurrency 5 \
	--target http://127.0.0.1:1/ --format csv >"$TMP/refused.csv" 2>"$TMP/refused.err"
rc=$?
check "refused target: exit 1 (got $rc)" test "$rc" = 1
check "refused target: 20 connect errors counted" \
	test "$(csv_field "$TMP/refused.csv" errors_connect)" = 20
for m in sequential threadpool forkpool; do
	"$BIN" run --model "$m" --workload mixed --tasks 6 --concurrency 3 --cpu-iters 10 \
		--target http://127.0.0.1:1/ --format csv >"$TMP/refused.csv" 2>/dev/null
	check "$m refused target: 6 connect errors" \
		test "$(csv_field "$TMP/refused.csv" errors_connect)" = 6
done
start=$(date +%s%N)
"$BIN" run --model threadpool --workload io --tasks 8 --concurrency 8 --io-latency 3s \
	--timeout 200ms --format csv >"$TMP/to.csv" 2>/dev/null
rc=$?
el=$(( ($(date +%s%N) - start) / 1000000 ))
check "slow server: 8 timeouts counted, exit 1, done in ${el}ms (< 2500)" \
	test "$(csv_field "$TMP/to.csv" errors_timeout)" = 8 -a "$rc" = 1 -a "$el" -lt 2500
"$BIN" run --model eventloop --workload io --tasks 8 --concurrency 8 --io-latency 3s \
	--timeout 200ms --format csv >"$TMP/to.csv" 2>/dev/null
check "eventloop slow server: 8 timeouts counted" test "$(csv_field "$TMP/to.csv" errors_timeout)" = 8
sleep 0.2
if leftovers; then not_ok "a cmbench process was left after the runs"; else ok "no cmbench process left after the runs"; fi

# --- an interrupted run leaves no child behind
for m in forkpool threadpool eventloop; do
	"$BIN" run --model "$m" --workload io --tasks 40 --concurrency 20 --io-latency 5s \
		>/dev/null 2>&1 &
	pid=$!
	sleep 0.7
	kill -INT "$pid"
	wait "$pid" 2>/dev/null
	for _ in $(seq 20); do leftovers || break; sleep 0.1; done
	if leftovers; then
		not_ok "$m: SIGINT mid-run left a process behind: $(pgrep -af "$BIN" | head -3)"
	else
		ok "$m: SIGINT mid-run leaves no process behind"
	fi
	pkill -9 -f "$BIN" 2>/dev/null
done

# --- --target: another HTTP server, here `cmbench serve`
if start_server; then
	"$BIN" run --model eventloop --workload io --tasks 30 --concurrency 10 --io-latency 2ms \
		--payload 700 --target "http://127.0.0.1:$SERVER_PORT/" --format csv >"$TMP/tg.csv"
	"$BIN" run --model eventloop --workload io --tasks 30 --concurrency 10 --io-latency 2ms \
		--payload 700 --format csv >"$TMP/emb.csv"
	check "--target serve: 0 errors and the embedded server's checksum" \
		test "$(csv_field "$TMP/tg.csv" errors)" = 0 -a \
		"$(csv_field "$TMP/tg.csv" checksum)" = "$(csv_field "$TMP/emb.csv" checksum)"
else
	not_ok "cmbench serve did not start"
fi
