#!/bin/bash
# memory_known.sh - mem_per_task_kib is the model's memory alone: with the
# hidden --test-hold-kib K every task maps and touches K KiB and holds it
# while it waits, so every C model reports its bare cost (K=0) plus K,
# within 10%; the wave is held (--plateau-samples 5) so the peak is seen;
# and the harness's per-worker stats (harness_kib) are not in the figure.
source "$(dirname "$0")/lib.sh"

K=256
C=24
mem() { # model K: "mem_per_task_kib samples harness_kib errors"
	local n=$C
	[ "$1" = sequential ] && n=3 # one task at a time: a few show its one
	"$CMBENCH" run --model "$1" --workload io --tasks $n --concurrency $C --workers 2 \
		--io-latency 200ms --timeout 30s --plateau-samples 5 --test-hold-kib "$2" \
		--format csv >"$TMP/m.csv" 2>"$TMP/m.err"
	echo "$(csv_field "$TMP/m.csv" mem_per_task_kib) $(csv_field "$TMP/m.csv" samples)" \
		"$(csv_field "$TMP/m.csv" harness_kib) $(csv_field "$TMP/m.csv" errors)"
}
for m in $("$CMBENCH" list models | grep -v '^py-'); do
	read -r bare s0 _ e0 <<<"$(mem "$m" 0)"
	read -r held s1 _ e1 <<<"$(mem "$m" $K)"
	check "$m: K=$K KiB held per task: $held KiB = bare $bare + K within 10% (samples $s0/$s1, errors $e0/$e1)" \
		awk -v b="$bare" -v h="$held" -v k=$K -v s0="$s0" -v s1="$s1" -v e="$e0$e1" 'BEGIN {
			d = h - (b + k); if (d < 0) d = -d
			exit !(b != "" && h != "" && d <= 0.1 * (b + k) && s0 >= 5 && s1 >= 5 && e == "00") }'
done

# the harness's own memory: threadpool's workers' stats (about 30 KiB each)
# are resident before the base sample and reported apart, so a blocked
# thread's figure is what the thread costs (its touched stack, ~8-16 KiB)
"$CMBENCH" run --model threadpool --workload io --tasks 200 --concurrency 200 --io-latency 300ms \
	--timeout 30s --plateau-samples 5 --format csv >"$TMP/tp.csv" 2>/dev/null
tp=$(csv_field "$TMP/tp.csv" mem_per_task_kib)
hk=$(csv_field "$TMP/tp.csv" harness_kib)
check "threadpool C=200: harness_kib $hk >= 200 x 29 KiB, mem_per_task_kib $tp < 24 KiB" \
	awk -v t="$tp" -v h="$hk" 'BEGIN { exit !(t != "" && t < 24 && h >= 200 * 29) }'
