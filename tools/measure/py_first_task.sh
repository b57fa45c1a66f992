#!/bin/bash
# py_first_task.sh - how long the first task of each fresh Python worker
# takes: every py-* model runs 4 tasks of io (10 ms) on 4 slots, so each
# task is a slot's first; K runs each, the median and the worst of the
# slowest task (lat_max). Before the workers were warmed before `ready`,
# py-processes' first tasks took 0.4-1 s on a busy machine.
# Usage: tools/measure/py_first_task.sh [K] [OUT]   (default 5, stdout)
set -u
K=${1:-5}
OUT=${2:-/dev/stdout}
CMBENCH=${CMBENCH:-./cmbench}
models=$("$CMBENCH" list | awk '/^models:/ { f = 1; next } /^workloads:/ { f = 0 } f && $1 ~ /^py-/ { print $1 }')
{
	echo "# first task of a fresh worker: io 10 ms, 4 tasks on 4 slots, $K runs ($(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg))"
	echo "| model | median lat_max | worst lat_max |"
	echo "|---|---|---|"
	for m in $models; do
		for _ in $(seq "$K"); do
			"$CMBENCH" run --model "$m" --workload io --io-latency 10ms --tasks 4 \
				--concurrency 4 --format csv 2>/dev/null |
				awk -F, 'NR==1{for(i=1;i<=NF;i++) if($i=="lat_max_us") k=i; next} {print $k}'
		done | sort -g | awk -v m="$m" '{v[NR]=$1} END { if (NR) printf "| %s | %.1f ms | %.1f ms |\n", m, v[int((NR+1)/2)]/1e3, v[NR]/1e3; else printf "| %s | failed | |\n", m }'
	done
} >"$OUT"
