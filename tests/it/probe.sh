#!/bin/bash
# probe.sh - the process-tree figures at a high process count: exactly one
# trial process plus C workers, and a PSS that is plausible (each worker
# between 8 KiB and 1 MiB of its own, and PSS well under RSS for a forked
# pool that shares its pages).
source "$(dirname "$0")/lib.sh"

C=2000
if [ "$(ulimit -u)" != unlimited ] && [ "$(ulimit -u)" -lt $((C + 200)) ]; then
	ok "# skip: the process limit ($(ulimit -u)) is below $C"
	exit 0
fi
"$CMBENCH" run --model forkpool --workload io --tasks $((2 * C)) --concurrency $C \
	--io-latency 20ms --format csv >"$TMP/fp.csv" 2>"$TMP/err"
check "forkpool C=$C ran clean ($(head -c 200 "$TMP/err"))" test "$(csv_field "$TMP/fp.csv" errors)" = 0
p=$(csv_field "$TMP/fp.csv" processes)
check "forkpool C=$C: processes = C + 1 exactly (got $p)" test "$p" = $((C + 1))
t=$(csv_field "$TMP/fp.csv" threads)
check "forkpool C=$C: threads = C + 1 (got $t)" test "$t" = $((C + 1))
per=$(csv_field "$TMP/fp.csv" mem_per_task_kib)
check "forkpool C=$C: 8 KiB < memory per worker < 1 MiB (got $per KiB)" \
	awk -v v="$per" 'BEGIN { exit !(v > 8 && v < 1024) }'
pss=$(csv_field "$TMP/fp.csv" pss_peak_kib)
rss=$(csv_field "$TMP/fp.csv" rss_peak_kib)
check "forkpool C=$C: PSS peak ($pss KiB) is under a third of the RSS sum ($rss KiB)" \
	awk -v p="$pss" -v r="$rss" 'BEGIN { exit !(p > 0 && p * 3 < r) }'
