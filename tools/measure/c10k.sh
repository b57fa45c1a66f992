#!/bin/bash
# c10k.sh - connections held (issue 27): for each server model (cmbench
# list servers), N idle keep-alive connections held open by the load
# generator (--hold-connections N, spread over loopback source addresses
# past the port range) while a low rate of io requests (2 ms downstream,
# RATE/s over 10 active connections) is served; N doubles from START until
# the run fails or its p99 goes over the SLO. For each model: the largest N
# held with p99 under the SLO, the server's memory per connection there,
# and what stopped it at the next N: the open-file limit (the command's
# own refusal), threads or processes (a failed thread creation shows as
# failed requests), memory (the server killed), time (p99 over the SLO),
# or the generator (it could not open them all).
# Usage: tools/measure/c10k.sh [OUT.md]  (default results/measure/c10k-<UTC>.md)
# START=1000 MAX=1000000 RATE=100 TASKS=300 SLO=50000 (us) ONLY="m1 m2".
# SCALE=small: START=100 MAX=400, one model (a proof that it runs).
# Raise the open-file hard limit first for N past it (ulimit -Hn; the
# command refuses an N it cannot hold and names the limit).
set -u
cd "$(dirname "$0")/../.."
CMBENCH=${CMBENCH:-./cmbench}
START=${START:-1000}
MAX=${MAX:-1000000}
RATE=${RATE:-100}
TASKS=${TASKS:-300}
SLO=${SLO:-50000}
SERVERS=${ONLY:-$("$CMBENCH" list servers)}
if [ "${SCALE:-full}" = small ]; then
	START=100 MAX=400
	SERVERS=$(echo "$SERVERS" | head -1)
fi
stamp=$(date -u +%Y%m%d-%H%M%S)
OUT=${1:-results/measure/c10k-$stamp.md}
mkdir -p "$(dirname "$OUT")"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
[ -x "$CMBENCH" ] || make -s cmbench >/dev/null || exit 1

field() { # FILE COLUMN: the column of the one data row
	awk -F, -v c="$2" 'NR==1{for(i=1;i<=NF;i++) if($i==c) k=i; next} NR==2{print $k}' "$1"
}

{
	echo "# Connections held on $(hostname): $(nproc) cores, $(date -u +%FT%TZ)"
	echo
	echo "Kernel $(uname -r), open files $(ulimit -Sn)/$(ulimit -Hn), pid_max"
	echo "$(cat /proc/sys/kernel/pid_max), threads-max $(cat /proc/sys/kernel/threads-max),"
	echo "memory $(awk '/MemTotal/ {print $2 " KiB"}' /proc/meminfo). Load average before:"
	echo "$(cut -d' ' -f1-3 /proc/loadavg). io at ${RATE}/s over 10 connections, SLO p99 <= ${SLO} us."
	echo
	echo "| server model | held (largest N, p99 under the SLO) | p99 there | memory per connection | threads | stopped at | by |"
	echo "|---|---|---|---|---|---|---|"
} >"$OUT"

for m in $SERVERS; do
	n=$START best=0 p99=- mem=- thr=- stop=- by="none up to $MAX"
	while [ "$n" -le "$MAX" ]; do
		"$CMBENCH" run --side server --model "$m" --workload io --io-latency 2ms --rate "$RATE" \
			--tasks "$TASKS" --connections 10 --hold-connections "$n" --timeout 2s \
			--format csv >"$WORK/r.csv" 2>"$WORK/r.err"
		rc=$?
		held=$(field "$WORK/r.csv" connections_held)
		lat=$(field "$WORK/r.csv" lat_p99_us)
		if [ $rc = 2 ]; then
			by="refused: $(head -1 "$WORK/r.err" | sed 's/^cmbench: //')"
		elif [ -z "$held" ]; then
			by="the run failed: $(head -1 "$WORK/r.err" | sed 's/^cmbench: //')"
		elif [ "$held" != "$n" ]; then
			by="the generator opened only $held (backlog, ports or files)"
		elif [ $rc != 0 ]; then
			by="requests failed: $(head -1 "$WORK/r.err" | sed 's/^cmbench: //')"
		elif ! awk -v v="$lat" -v s="$SLO" 'BEGIN { exit !(v <= s) }'; then
			by="time: p99 ${lat} us over the SLO"
		else
			best=$n p99="$lat us" thr=$(field "$WORK/r.csv" threads)
			mem="$(field "$WORK/r.csv" mem_per_task_kib) KiB"
			n=$((n * 2))
			continue
		fi
		stop=$n
		break
	done
	echo "| $m | $best | $p99 | $mem | $thr | $stop | $by |" >>"$OUT"
done
echo >>"$OUT"
echo "Load average after: $(cut -d' ' -f1-3 /proc/loadavg)." >>"$OUT"
echo "$OUT"
