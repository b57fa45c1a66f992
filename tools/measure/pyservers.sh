#!/bin/bash
# pyservers.sh - the figures of the seed's Python services (issue 28),
# measured on this machine, into one markdown file. Each figure is the
# highest rate a server sustains (doubling from 50/s, then bisecting;
# sustained = the rule of tools/measure/servers.sh and
# harness/sweep/sustain.h: clean, p99 at most the SLO, completed/(makespan
# - p50) >= 99% of offered, the last fifth's p50 within 2x the first's)
# and its p99 there, with the server tree's CPU per request:
#   1. every Python stack (and loop-inline, prefork-accept as the C
#      reference) on a 2 ms downstream handler (io) at 100 connections;
#   2. FastAPI async def against def: no wait (cpu, 1 round), a 2 ms
#      awaited wait (io: streams in async def, requests in def) and a 2 ms
#      blocking call (blocking with requests: requests.get() inside async
#      def, the seed's mistake, against the same in def), with the stall
#      factor (def's sustained rate over async def's, blocking);
#   3. Gunicorn + Uvicorn workers with --workers 1 and 2 on io and cpu
#      (1 ms), with prefork-accept (C) as the control;
#   4. requests in flight on one Uvicorn worker (py-fastapi, io with a
#      100 ms downstream, 1000 connections): sustained rate x p50 latency
#      (Little's law, the median standing in for the mean; the SLO 100 ms
#      more).
# A probe whose generator fell behind (gen_behind) ends the search: the
# figure is then a lower bound set by the generator, not the server.
# Usage: tools/measure/pyservers.sh [OUT.md]  (default results/measure/pyservers-<UTC>.md)
# SLO=50000 (us), DUR=3 (s per probe), STEPS=4; LAG_OK=1 ignores the
# generator's flag (only to try the script on a busy machine);
# SCALE=small: one row per table, short probes (a proof that it runs);
# SCALE=full (default): about 30 to 40 minutes on 2 cores.
set -u
cd "$(dirname "$0")/../.."
CMBENCH=${CMBENCH:-./cmbench}
SCALE=${SCALE:-full}
SLO=${SLO:-50000}
DUR=${DUR:-3}
STEPS=${STEPS:-4}
stamp=$(date -u +%Y%m%d-%H%M%S)
OUT=${1:-results/measure/pyservers-$stamp.md}
mkdir -p "$(dirname "$OUT")"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
[ -x "$CMBENCH" ] || make -s cmbench >/dev/null || exit 1
[ "$SCALE" = small ] && DUR=0.5 STEPS=1

field() { # FILE COLUMN: the column of the one data row
	awk -F, -v c="$2" 'NR==1{for(i=1;i<=NF;i++) if($i==c) k=i; next} NR==2{print $k}' "$1"
}

# probe R ARGS...: one run into $WORK/p.csv; prints "ok", "no WHY" or "behind"
probe() {
	local r=$1 n
	shift
	n=$(awk -v r="$r" -v d="$DUR" 'BEGIN { n = int(r * d); print (n < 200 ? 200 : n) }')
	"$CMBENCH" run --side server "$@" --rate "$r" --tasks "$n" --format csv \
		>"$WORK/p.csv" 2>"$WORK/p.err"
	[ "$(field "$WORK/p.csv" gen_behind)" = 1 ] && [ -z "${LAG_OK:-}" ] && { echo behind; return; }
	awk -F, -v slo="$SLO" 'NR==1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		NR==2 {
			clean = $c["completed"] == $c["tasks"] && $c["errors"] == 0
			span = $c["makespan_s"] - $c["lat_p50_us"] / 1e6
			f = $c["lat_p50_first_us"]; l = $c["lat_p50_last_us"]
			if (!clean) print "no tasks failed"
			else if (!($c["lat_p99_us"] <= slo)) print "no p99 over the SLO"
			else if (!(span > 0) || $c["tasks"] / span < 0.99 * $c["rate_tps"]) print "no fell behind"
			else if (f != "nan" && l != "nan" && l > 2 * f) print "no a growing backlog"
			else print "ok"
		}
		END { if (NR < 2) print "no the run failed" }' "$WORK/p.csv"
}

# sustained ARGS...: the search; sets RATE, P99, P50, CPU (per request), STOP
sustained() {
	local lo=0 hi=0 r=50 v why="" best=""
	while :; do
		v=$(probe "$r" "$@")
		if [ "$v" = ok ]; then
			lo=$r best=$(cat "$WORK/p.csv") r=$((r * 2))
			[ $r -gt 200000 ] && break
		else
			hi=$r why=$v
			break
		fi
	done
	if [ "$why" != behind ] && [ $hi -gt 0 ] && [ $lo -gt 0 ]; then
		for _ in $(seq "$STEPS"); do
			r=$(((lo + hi) / 2))
			[ $r -le $lo ] && break
			v=$(probe "$r" "$@")
			if [ "$v" = ok ]; then
				lo=$r best=$(cat "$WORK/p.csv")
			else
				hi=$r why=$v
				[ "$v" = behind ] && break
			fi
		done
	fi
	RATE=$lo P99=- P50=- CPU=-
	if [ -n "$best" ]; then
		echo "$best" >"$WORK/b.csv"
		P99="$(field "$WORK/b.csv" lat_p99_us) us"
		P50=$(field "$WORK/b.csv" lat_p50_us)
		CPU="$(field "$WORK/b.csv" cpu_us_per_req) us"
	fi
	case $why in
	behind) STOP="the generator fell behind (a lower bound)" ;;
	"") STOP="none up to $lo/s" ;;
	*) STOP="${why#no } at $hi/s" ;;
	esac
}

row() { # label, ARGS...: one table row
	local label=$1
	shift
	sustained "$@"
	printf '| %s | %s | %s | %s | %s |\n' "$label" "$RATE" "$P99" "$CPU" "$STOP" >>"$OUT"
}
head_row() {
	echo "| $1 | sustained /s | p99 there | server CPU/req | stopped by |" >>"$OUT"
	echo "|---|---|---|---|---|" >>"$OUT"
}

ITERS=$("$CMBENCH" calibrate 1ms) || exit 1
IO=(--workload io --io-latency 2ms)
STACKS=$("$CMBENCH" list servers | grep '^py-')
[ "$SCALE" = small ] && STACKS=py-fastapi
{
	echo "# The seed's Python services on $(hostname): $(nproc) cores, $(date -u +%FT%TZ)"
	echo
	echo "Load average before: $(cut -d' ' -f1-3 /proc/loadavg). Kernel $(uname -r)."
	echo "SLO p99 <= ${SLO} us, ${DUR} s per probe; cpu (1 ms) = $ITERS rounds of C's kernel;"
	echo "the Python stacks calibrate --cpu in their own runtime. Placement: the default split."
	echo "$(/usr/bin/python3 -c 'import fastapi, uvicorn, gunicorn, gevent, aiohttp, uvloop
print("FastAPI", fastapi.__version__, "Uvicorn", uvicorn.__version__, "Gunicorn",
      gunicorn.__version__, "gevent", gevent.__version__, "aiohttp", aiohttp.__version__,
      "uvloop", uvloop.__version__)' 2>&1 | tail -1)."
	echo
	echo "## 1. Each stack, a 2 ms downstream handler, 100 connections"
	echo
} >"$OUT"
head_row "server model (io, 2 ms)"
for m in $STACKS loop-inline prefork-accept; do
	row "$m" --model "$m" "${IO[@]}" --connections 100 --workers 2
	[ "$SCALE" = small ] && break
done

{
	echo
	echo "## 2. FastAPI: async def against def (one Uvicorn worker, 100 connections)"
	echo
} >>"$OUT"
head_row "route and handler"
declare -A R
for c in "no wait|--workload cpu --cpu-iters 1" "2 ms awaited (async: streams; def: requests)|--workload io --io-latency 2ms" \
	"2 ms blocking call (requests.get)|--workload blocking --io-latency 2ms --py-http requests"; do
	label=${c%%|*}
	read -r -a args <<<"${c#*|}"
	for m in py-fastapi py-fastapi-def; do
		extra=()
		[ $m = py-fastapi-def ] && [ "${args[1]}" = io ] && extra=(--py-http requests)
		row "$m, $label" --model $m "${args[@]}" "${extra[@]}" --connections 100
		R[$m,$label]=$RATE
	done
	[ "$SCALE" = small ] && break
done
b="2 ms blocking call (requests.get)"
if [ -n "${R[py-fastapi,$b]:-}" ] && [ "${R[py-fastapi,$b]}" -gt 0 ]; then
	echo >>"$OUT"
	echo "Stall factor of a blocking call, def over async def: $(awk -v a="${R[py-fastapi-def,$b]}" \
		-v s="${R[py-fastapi,$b]}" 'BEGIN { printf "%.2f", a / s }')x the sustained rate." >>"$OUT"
fi

{
	echo
	echo "## 3. Gunicorn + Uvicorn workers, 1 and 2 (C prefork-accept as the control), 100 connections"
	echo
} >>"$OUT"
head_row "server model, handler, workers"
for h in "io|--workload io --io-latency 2ms" "cpu 1 ms|--workload cpu --cpu 1ms"; do
	read -r -a args <<<"${h#*|}"
	for m in py-gunicorn-uvicorn prefork-accept; do
		for w in 1 2; do
			row "$m, ${h%%|*}, --workers $w" --model $m "${args[@]}" --workers $w --connections 100
			[ "$SCALE" = small ] && break
		done
	done
	[ "$SCALE" = small ] && break
done

{
	echo
	echo "## 4. Requests in flight on one Uvicorn worker (py-fastapi, io with 100 ms downstream, 1000 connections)"
	echo
	echo "The SLO here is 100 ms more: p99 <= $((SLO + 100000)) us."
	echo
	echo "| server model | sustained /s | p50 there | in flight (rate x p50) | p99 there | stopped by |"
	echo "|---|---|---|---|---|---|"
} >>"$OUT"
K4=1000
[ "$SCALE" = small ] && K4=200
slo=$SLO
SLO=$((SLO + 100000)) # the SLO on top of the 100 ms every request waits
sustained --model py-fastapi --workload io --io-latency 100ms --connections $K4
SLO=$slo
inflight=$(awk -v r="$RATE" -v p="$P50" 'BEGIN { if (p == "-") print "-"; else printf "%.0f", r * p / 1e6 }')
printf '| py-fastapi | %s | %s us | %s | %s | %s |\n' "$RATE" "$P50" "$inflight" "$P99" "$STOP" >>"$OUT"

echo >>"$OUT"
echo "Load average after: $(cut -d' ' -f1-3 /proc/loadavg)." >>"$OUT"
echo "$OUT"
