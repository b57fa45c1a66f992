#!/bin/bash
# sanitizers.sh BIN... - every model x workload once, small (and every server
# model x io, cpu, mixed under its load generator), under each
# sanitizer build given (ASan+UBSan, TSan). A run passes when it exits 0 and
# its stderr holds no sanitizer report. Prints TAP lines and the closing
# "N passed, N failed".
set -u
pass=0 fail=0
err=$(mktemp)
trap 'rm -f "$err"' EXIT
for bin in "$@"; do
	for m in $("$bin" list models); do
		for w in $("$bin" list workloads); do
			timeout -k 5 120 "$bin" run --model "$m" --workload "$w" --tasks 20 \
				--concurrency 4 --workers 2 --io-latency 1ms --cpu-iters 1000 \
				--format csv >/dev/null 2>"$err"
			rc=$?
			# A model that refuses a workload says so with status 2 before
			# anything runs, in one line naming --workload (a foreign model and timer).
			if [ $rc = 2 ] && grep -q '^cmbench: --workload: ' "$err"; then
				echo "ok - $(basename "$(dirname "$bin")") $m $w # SKIP refused"
				continue
			fi
			if [ $rc = 0 ] && ! grep -qE 'Sanitizer|runtime error' "$err"; then
				echo "ok - $(basename "$(dirname "$bin")") $m $w"
				pass=$((pass + 1))
			else
				echo "not ok - $(basename "$(dirname "$bin")") $m $w: status $rc"
				grep -m5 -E 'Sanitizer|runtime error|cmbench' "$err" | sed 's/^/#   /'
				fail=$((fail + 1))
			fi
		done
	done
	# the server models (docs/servers.md), each under its load generator;
	# --threads 4: gthread at its default of one thread leaves kept
	# connections waiting past --timeout (docs/python-services.md)
	for m in $("$bin" list servers); do
		for w in io cpu mixed; do
			timeout -k 5 120 "$bin" run --side server --model "$m" --workload "$w" \
				--tasks 40 --rate 200 --connections 4 --workers 2 --threads 4 --io-latency 1ms \
				--cpu-iters 1000 --format csv >/dev/null 2>"$err"
			rc=$?
			if [ $rc = 0 ] && ! grep -qE 'Sanitizer|runtime error' "$err"; then
				echo "ok - $(basename "$(dirname "$bin")") server $m $w"
				pass=$((pass + 1))
			else
				echo "not ok - $(basename "$(dirname "$bin")") server $m $w: status $rc"
				grep -m5 -E 'Sanitizer|runtime error|cmbench' "$err" | sed 's/^/#   /'
				fail=$((fail + 1))
			fi
		done
	done
done
echo "$pass passed, $fail failed"
[ $fail = 0 ]
