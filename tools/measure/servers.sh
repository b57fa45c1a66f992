#!/bin/bash
# servers.sh - the figures of the server side (issue 27), measured on this
# machine, into one markdown file: for each server model (cmbench list
# servers) and each handler, io (2 ms downstream), cpu (1 ms of the
# kernel, calibrated once) and mixed (both), at 100 keep-alive
# connections, the highest rate it sustains (doubling from 100/s, then
# bisecting; sustained = the rule of harness/sweep/sustain.h: clean, p99
# at most the SLO, completed/(makespan - p50) >= 99% of offered, the last
# fifth's p50 within 2x the first's), its p99 there, the server's CPU per
# request, and the load generator's own CPU per request and send-lag p99.
# A probe whose generator fell behind (gen_behind) ends the search: the
# figure is then marked as a lower bound set by the generator, not the
# server.
# Usage: tools/measure/servers.sh [OUT.md]  (default results/measure/servers-<UTC>.md)
# SLO=50000 (us), DUR=3 (s per probe), STEPS=5 (bisection steps), K=100;
# ONLY="m1 m2" and HANDLERS="io" narrow it; LAG_OK=1 ignores the generator's flag (only to try the script on a busy machine).
# SCALE=small: one server model, one handler, short probes (a proof that
# it runs); SCALE=full (default): everything, about 20 to 30 minutes on 2 cores.
set -u
cd "$(dirname "$0")/../.."
CMBENCH=${CMBENCH:-./cmbench}
SCALE=${SCALE:-full}
SLO=${SLO:-50000}
DUR=${DUR:-3}
STEPS=${STEPS:-5}
K=${K:-100}
stamp=$(date -u +%Y%m%d-%H%M%S)
OUT=${1:-results/measure/servers-$stamp.md}
mkdir -p "$(dirname "$OUT")"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
[ -x "$CMBENCH" ] || make -s cmbench >/dev/null || exit 1

field() { # FILE COLUMN: the column of the one data row
	awk -F, -v c="$2" 'NR==1{for(i=1;i<=NF;i++) if($i==c) k=i; next} NR==2{print $k}' "$1"
}

SERVERS=${ONLY:-$("$CMBENCH" list servers)}
HANDLERS=${HANDLERS:-io cpu mixed}
if [ "$SCALE" = small ]; then
	SERVERS=$(echo "$SERVERS" | head -1)
	HANDLERS=${HANDLERS%% *}
	DUR=0.5
	STEPS=1
fi
ITERS=$("$CMBENCH" calibrate 1ms) || exit 1

args_of() { # handler: its flags
	case $1 in
	io) echo "--workload io --io-latency 2ms" ;;
	cpu) echo "--workload cpu --cpu-iters $ITERS" ;;
	mixed) echo "--workload mixed --io-latency 2ms --cpu-iters $ITERS" ;;
	esac
}

# probe M H R: one run into $WORK/p.csv; prints "ok", "no WHY" or "behind"
probe() {
	local m=$1 h=$2 r=$3 n
	n=$(awk -v r="$r" -v d="$DUR" 'BEGIN { n = int(r * d); print (n < 200 ? 200 : n) }')
	# shellcheck disable=SC2046
	"$CMBENCH" run --side server --model "$m" $(args_of "$h") --rate "$r" --tasks "$n" \
		--connections "$K" --format csv >"$WORK/p.csv" 2>"$WORK/p.err"
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

{
	echo "# Server models on $(hostname): $(nproc) cores, $(date -u +%FT%TZ)"
	echo
	echo "Load average before: $(cut -d' ' -f1-3 /proc/loadavg). Kernel $(uname -r)."
	echo "$K keep-alive connections, SLO p99 <= ${SLO} us, ${DUR} s per probe,"
	echo "cpu = $ITERS kernel iterations (1 ms, calibrated), io = 2 ms downstream."
	echo "Placement: the default split ($("$CMBENCH" run --side server \
		--model "$(echo "$SERVERS" | head -1)" --workload cpu --cpu-iters 1 --rate 100 \
		--tasks 10 --format csv 2>/dev/null | awk -F, 'NR==1{for(i=1;i<=NF;i++) c[$i]=i; next}
		{print "server CPUs " $c["server_cpus"] ", generator CPUs " $c["client_cpus"]}'))."
	echo
	echo "| server model | handler | sustained /s | p99 there | server CPU/req | generator CPU/req | send lag p99 | stopped by |"
	echo "|---|---|---|---|---|---|---|---|"
} >"$OUT"

for m in $SERVERS; do
	for h in $HANDLERS; do
		lo=0 hi=0 r=100 why="" best=""
		while :; do # double until it fails
			v=$(probe "$m" "$h" "$r")
			if [ "$v" = ok ]; then
				lo=$r
				best=$(cat "$WORK/p.csv")
				r=$((r * 2))
				[ $r -gt 200000 ] && break
			else
				hi=$r
				why=$v
				break
			fi
		done
		if [ "$why" != behind ] && [ $hi -gt 0 ] && [ $lo -gt 0 ]; then
			for _ in $(seq "$STEPS"); do
				r=$(((lo + hi) / 2))
				[ $r -le $lo ] && break
				v=$(probe "$m" "$h" "$r")
				if [ "$v" = ok ]; then
					lo=$r
					best=$(cat "$WORK/p.csv")
				elif [ "$v" = behind ]; then
					why=behind
					break
				else
					hi=$r
					why=$v
				fi
			done
		fi
		if [ -n "$best" ]; then
			echo "$best" >"$WORK/b.csv"
			p99=$(field "$WORK/b.csv" lat_p99_us)
			scpu=$(field "$WORK/b.csv" cpu_us_per_req)
			gcpu=$(field "$WORK/b.csv" gen_cpu_us_per_req)
			lag=$(field "$WORK/b.csv" send_lag_p99_us)
		else
			p99=- scpu=- gcpu=- lag=-
		fi
		u() { [ "$1" = - ] && echo - || echo "$1 us"; }
		case $why in
		behind) stop="the generator fell behind (a lower bound)" ;;
		"") stop="none up to $lo/s" ;;
		*) stop="${why#no } at $hi/s" ;;
		esac
		printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$m" "$h" "$lo" "$(u "$p99")" \
			"$(u "$scpu")" "$(u "$gcpu")" "$(u "$lag")" "$stop" >>"$OUT"
	done
done
echo >>"$OUT"
echo "Load average after: $(cut -d' ' -f1-3 /proc/loadavg)." >>"$OUT"
echo "$OUT"
