#!/bin/bash
# server_peer.sh - the server side against its peer (issue 27): nginx
# (Debian's, a fixed 256-byte body; one worker, then one per server CPU
# with reuseport) against cmbench's loop servers on a handler that does no
# work (the cpu workload at one kernel iteration: a 16-byte body), loaded
# by the same open-loop generator (`cmbench __load` for nginx, the run's
# own for cmbench) at the same rates over K keep-alive connections, each
# server pinned to the same server CPUs (the default split) and the
# generator to the same client CPUs. For each pair: the highest rate each
# sustains (doubling from START, then STEPS bisections; sustained: every
# request answered, none failed, p99 <= SLO, achieved >= 99% of offered),
# the p99 there, and the ratio cmbench / nginx. A probe whose generator fell
# behind ends that search (its figure is a lower bound).
# Usage: tools/measure/server_peer.sh [OUT.md]  (default results/measure/server-peer-<UTC>.md)
# START=1000 STEPS=4 DUR=3 (s per probe) K=100 SLO=10000 (us).
# SCALE=small: START=500, one doubling, short probes (a proof that it runs);
# LAG_OK=1 ignores the generator's flag (only to try it on a busy machine).
set -u
cd "$(dirname "$0")/../.."
CMBENCH=${CMBENCH:-./cmbench}
START=${START:-1000}
STEPS=${STEPS:-4}
DUR=${DUR:-3}
K=${K:-100}
SLO=${SLO:-10000}
MAXR=${MAXR:-2000000}
if [ "${SCALE:-full}" = small ]; then
	START=500 STEPS=0 DUR=0.5 MAXR=1000
fi
stamp=$(date -u +%Y%m%d-%H%M%S)
OUT=${1:-results/measure/server-peer-$stamp.md}
mkdir -p "$(dirname "$OUT")"
WORK=$(mktemp -d)
NGX_PID=""
trap '[ -n "$NGX_PID" ] && kill "$NGX_PID" 2>/dev/null; rm -rf "$WORK"' EXIT
[ -x "$CMBENCH" ] || make -s cmbench >/dev/null || exit 1
command -v nginx >/dev/null || { echo "server_peer: no nginx (tools/deps.sh peers)" >&2; exit 1; }

field() { # FILE COLUMN: the column of the one data row
	awk -F, -v c="$2" 'NR==1{for(i=1;i<=NF;i++) if($i==c) k=i; next} NR==2{print $k}' "$1"
}

# the default split, as cmbench makes it
"$CMBENCH" run --side server --model loop-inline --workload cpu --cpu-iters 1 --rate 100 \
	--tasks 10 --format csv >"$WORK/split.csv" 2>/dev/null
SCPU=$(field "$WORK/split.csv" server_cpus)
CCPU=$(field "$WORK/split.csv" client_cpus)
NSCPU=$(taskset -c "$SCPU" nproc)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BODY=$(head -c 256 /dev/zero | tr '\0' x)

start_nginx() { # WORKERS REUSEPORT(0|1)
	mkdir -p "$WORK/ngx/logs"
	cat >"$WORK/ngx/nginx.conf" <<-EOF
		worker_processes $1;
		pid $WORK/ngx/nginx.pid;
		error_log $WORK/ngx/logs/error.log;
		events { worker_connections 65536; }
		http {
			access_log off;
			keepalive_requests 100000000;
			server {
				listen 127.0.0.1:$PORT$([ "$2" = 1 ] && echo " reuseport");
				location / { return 200 "$BODY"; }
			}
		}
	EOF
	taskset -c "$SCPU" nginx -p "$WORK/ngx/" -c nginx.conf -g 'daemon off;' \
		>"$WORK/ngx/out" 2>&1 &
	NGX_PID=$!
	for _ in $(seq 50); do
		ss -ltn "sport = :$PORT" 2>/dev/null | grep -q LISTEN && return 0
		sleep 0.1
	done
	echo "server_peer: nginx did not start: $(tail -2 "$WORK/ngx/out")" >&2
	return 1
}

stop_nginx() {
	kill "$NGX_PID" 2>/dev/null
	wait "$NGX_PID" 2>/dev/null
	NGX_PID=""
}

# probe WHO R: a run into $WORK/p.csv; prints ok, behind or no
probe() {
	local who=$1 r=$2 n
	n=$(awk -v r="$r" -v d="$DUR" 'BEGIN { n = int(r * d); print (n < 500 ? 500 : n) }')
	local flags=(--workload cpu --cpu-iters 1 --rate "$r" --tasks "$n" --connections "$K"
		--server-cpus "$SCPU" --client-cpus "$CCPU")
	if [ "$who" = nginx ]; then
		"$CMBENCH" __load "$PORT" run --side server --model loop-inline "${flags[@]}" \
			>"$WORK/p.csv" 2>/dev/null
	else
		"$CMBENCH" run --side server --model "$who" "${flags[@]}" --format csv \
			>"$WORK/p.csv" 2>/dev/null
	fi
	[ "$(field "$WORK/p.csv" gen_behind)" = 1 ] && [ -z "${LAG_OK:-}" ] && { echo behind; return; }
	awk -F, -v slo="$SLO" -v n="$n" -v r="$r" 'NR==1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		NR==2 { ok = $c["completed"] == n && $c["errors"] == 0 && $c["lat_p99_us"] <= slo &&
			$c["achieved_tps"] >= 0.99 * r; print ok ? "ok" : "no" }
		END { if (NR < 2) print "no" }' "$WORK/p.csv"
}

# search WHO: "RATE P99 WHY" of the highest sustained rate
search() {
	local who=$1 lo=0 hi=0 r=$START v p99=- why=""
	while [ "$r" -le "$MAXR" ]; do
		v=$(probe "$who" "$r")
		[ "$v" = ok ] || { hi=$r why=$v; break; }
		lo=$r p99=$(field "$WORK/p.csv" lat_p99_us)
		r=$((r * 2))
	done
	for _ in $(seq "$STEPS"); do
		[ "$why" = behind ] || [ $hi = 0 ] || [ $lo = 0 ] && break
		r=$(((lo + hi) / 2))
		v=$(probe "$who" "$r")
		if [ "$v" = ok ]; then
			lo=$r p99=$(field "$WORK/p.csv" lat_p99_us)
		elif [ "$v" = behind ]; then
			why=behind
		else
			hi=$r
		fi
	done
	echo "$lo $p99 ${why:-none}"
}

{
	echo "# Server side against nginx on $(hostname): $(nproc) cores, $(date -u +%FT%TZ)"
	echo
	echo "$(nginx -v 2>&1). Server CPUs $SCPU, generator CPUs $CCPU, $K keep-alive"
	echo "connections, SLO p99 <= $SLO us, $DUR s per probe. Load average before:"
	echo "$(cut -d' ' -f1-3 /proc/loadavg)."
	echo
	echo "| nginx | sustained /s | p99 there | cmbench | sustained /s | p99 there | ratio cmbench/nginx |"
	echo "|---|---|---|---|---|---|---|"
} >"$OUT"

for pair in "1 0 loop-inline" "$NSCPU 1 loop-reuseport"; do
	set -- $pair
	start_nginx "$1" "$2" || continue
	read -r nr np nw <<<"$(search nginx)"
	stop_nginx
	read -r cr cp cw <<<"$(search "$3")"
	ratio=$(awk -v a="$cr" -v b="$nr" 'BEGIN { print (b > 0 ? sprintf("%.2f", a / b) : "-") }')
	note=""
	[ "$nw" = behind ] || [ "$cw" = behind ] && note=" (the generator fell behind: a lower bound)"
	echo "| $1 worker(s)$([ "$2" = 1 ] && echo ", reuseport") | $nr | $np us | $3 | $cr | $cp us | $ratio$note |" >>"$OUT"
done
echo >>"$OUT"
echo "Load average after: $(cut -d' ' -f1-3 /proc/loadavg)." >>"$OUT"
echo "$OUT"
