#!/usr/bin/env bash
# peers.sh - what `make peers` runs after building ./cmbench: cmbench side by
# side with the best peer of each kind, in one run, interleaved (A B A B ...)
# with REPS repetitions of each, on this machine:
#
#   1. server   `cmbench serve` vs nginx (1 worker, fixed 256-byte body),
#               each under wrk -t1 -c100 -d5s: requests/s
#   2. client   cmbench's eventloop io client (keep-alive, zero latency,
#               C=100) vs wrk -t1 -c100 -d5s, same `cmbench serve`
#   3. cpu      threadpool, forkpool, eventloop-offload (workers 2, 1; C 2, 4)
#               vs an OpenMP build of the same kernel (tools/peers/omp_kernel.c):
#               makespan, checksums compared
#   4. memory   mem_per_task_kib of eventloop, threadpool, forkpool (io, C=1000,
#               new connections, 50 ms, 2000 tasks), cmbench only
#
# Writes results/peers-YYYYmmdd-HHMMSS/peers.md (tables: medians, min-max,
# ratio of medians), peers.csv (every figure) and raw/ (every tool's output),
# then prints where it is. Every tool writes to a file and is parsed after it
# has exited; nothing runs beside a measurement but the server it measures.
# Every background process is stopped on exit, every wait has a timeout, and
# a failed step is reported in peers.md instead of ending the run.
#
# Environment: REPS (5), WRK_DUR (5s), CLIENT_TASKS (300000), BUDGET_S (285:
# the whole run's wall-clock budget; repetitions that would not fit are
# skipped and reported).
set -u -o pipefail
cd "$(dirname "$0")/.." || exit 2

REPS=${REPS:-5}
WRK_DUR=${WRK_DUR:-5s}
CLIENT_TASKS=${CLIENT_TASKS:-300000}
BUDGET_S=${BUDGET_S:-285}
CMB=./cmbench
OMP=build/peers/omp_kernel
BODY_BYTES=256

T0=$EPOCHREALTIME
STAMP=$(date +%Y%m%d-%H%M%S)
OUT=results/peers-$STAMP
RAW=$OUT/raw
CSV=$OUT/peers.csv
MD=$OUT/peers.md
mkdir -p "$RAW" || { echo "peers: cannot create $RAW" >&2; exit 1; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/cmbench-peers.XXXXXX") || { echo "peers: mktemp failed" >&2; exit 1; }
echo "section,subject,rep,metric,value,status,raw" >"$CSV"

# ---- background processes: each in its own process group, stopped on exit ----
BG_PIDS=()

# stop_bg PID: TERM its process group, KILL after 5 s, reap it
stop_bg() {
	local pid=$1 i
	[ -n "$pid" ] || return 0
	kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null
	for ((i = 0; i < 50; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null
	fi
	wait "$pid" 2>/dev/null
	local keep=() p
	for p in "${BG_PIDS[@]}"; do [ "$p" = "$pid" ] || keep+=("$p"); done
	BG_PIDS=("${keep[@]}")
	return 0
}

cleanup() {
	local p
	trap - EXIT INT TERM
	for p in "${BG_PIDS[@]}"; do stop_bg "$p"; done
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'echo "peers: interrupted; partial results in $OUT" >&2; exit 130' INT
trap 'echo "peers: terminated; partial results in $OUT" >&2; exit 143' TERM

# start_bg LOGFILE CMD...: run CMD in a new session (its own process group)
# in the background; the pid is in BG_LAST
start_bg() {
	local log=$1
	shift
	setsid "$@" >"$log" 2>&1 </dev/null &
	BG_LAST=$!
	BG_PIDS+=("$BG_LAST")
}

# ---- small helpers ----
now_s() { awk -v a="$EPOCHREALTIME" -v b="$T0" 'BEGIN { printf "%.1f", a - b }'; }
elapsed_int() { local e; e=$(now_s); echo "${e%.*}"; }
log() { echo "peers [$(now_s)s] $*" >&2; }

declare -A NOTES
note() { NOTES[$1]+="- $2"$'\n'; log "$1: $2"; }

# record SECTION SUBJECT REP METRIC VALUE STATUS RAWFILE
record() { echo "$1,$2,$3,$4,$5,$6,${7#"$OUT"/}" >>"$CSV"; }

# csv_get FILE COLUMN: the column of cmbench's one-row csv
csv_get() {
	awk -F, -v c="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) k = i }
		NR == 2 && k { print $k; exit }' "$1" 2>/dev/null
}

# is_num VALUE
is_num() { [[ $1 =~ ^[0-9]+([.][0-9]*)?([eE][-+]?[0-9]+)?$ ]]; }

# stats SECTION SUBJECT METRIC: "median min max n" over the ok figures, or ""
stats() {
	awk -F, -v s="$1" -v j="$2" -v m="$3" '$1 == s && $2 == j && $4 == m && $6 == "ok" { print $5 }' "$CSV" |
		sort -g | awk '{ v[NR] = $1 } END {
			if (NR == 0) exit
			med = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
			printf "%.10g %.10g %.10g %d\n", med, v[1], v[NR], NR }'
}

# fmt_cell SECTION SUBJECT METRIC SCALE DIGITS UNIT: "median (min–max) unit"
fmt_cell() {
	local st
	st=$(stats "$1" "$2" "$3")
	[ -n "$st" ] || { echo "n/a (failed)"; return; }
	awk -v st="$st" -v k="$4" -v d="$5" -v u="$6" 'BEGIN { split(st, a, " ")
		f = "%." d "f"
		printf f " (" f "–" f ")%s%s\n", a[1] * k, a[2] * k, a[3] * k, (u == "" ? "" : " "), u }'
}
count_ok() { local st; st=$(stats "$1" "$2" "$3"); echo "${st##* }"; [ -n "$st" ] || true; }
median_of() { local st; st=$(stats "$1" "$2" "$3"); echo "${st%% *}"; }
ratio() {
	local a b
	a=$(median_of "$1" "$2" "$3")
	b=$(median_of "$4" "$5" "$6")
	if [ -z "$a" ] || [ -z "$b" ]; then echo "n/a"; return; fi
	awk -v a="$a" -v b="$b" 'BEGIN { if (b + 0 == 0) print "n/a"; else printf "%.2f\n", a / b }'
}

# pick_port: a TCP port on 127.0.0.1 that nothing answers on now, below the
# ephemeral range (a port there can be some connection's local end)
pick_port() {
	local p i lo=10000 hi
	hi=$(awk '{ print $1 - 1 }' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null)
	[[ ${hi:-x} =~ ^[0-9]+$ ]] && [ "$hi" -gt $((lo + 1000)) ] || { lo=20000 hi=30000; }
	for ((i = 0; i < 50; i++)); do
		p=$((lo + (RANDOM * 32768 + RANDOM) % (hi - lo + 1)))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

# wait_port PORT PID SECONDS: until PORT accepts, while PID lives
wait_port() {
	local port=$1 pid=$2 i
	for ((i = 0; i < $3 * 10; i++)); do
		kill -0 "$pid" 2>/dev/null || return 1
		(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# probe_response PORT PATH FILE: one GET (Connection: close) into FILE;
# prints "status header_bytes body_bytes" or fails
probe_response() {
	local port=$1 path=$2 file=$3
	(
		exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
		printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$path" >&3
		timeout 3 cat <&3 >"$file"
	) 2>/dev/null || return 1
	local total clen status
	total=$(wc -c <"$file")
	status=$(head -n 1 "$file" | awk '{ print $2 }')
	clen=$(tr -d '\r' <"$file" | awk 'tolower($1) == "content-length:" { print $2; exit }')
	[ -n "$clen" ] && [ -n "$status" ] || return 1
	echo "$status $((total - clen)) $clen"
}

# run_wrk SECTION SUBJECT REP URL: one wrk run, parsed after it exits
run_wrk() {
	local sec=$1 subj=$2 rep=$3 url=$4
	local f="$RAW/$sec-$subj-$rep.wrk.txt" rc rps non2xx sockerr
	timeout --foreground -k 3 30 wrk -t1 -c100 -d"$WRK_DUR" "$url" >"$f" 2>&1
	rc=$?
	rps=$(awk '/^Requests\/sec:/ { print $2 }' "$f")
	non2xx=$(awk -F': *' '/Non-2xx or 3xx responses/ { print $2 }' "$f")
	sockerr=$(grep -m1 '^ *Socket errors' "$f" | sed 's/^ *//')
	if [ "$rc" -ne 0 ] || ! is_num "${rps:-x}"; then
		record "$sec" "$subj" "$rep" requests_per_s "" fail "$f"
		note "$sec" "$subj rep $rep: wrk failed (exit $rc); see ${f#"$OUT"/}"
		return 1
	fi
	if [ -n "$non2xx" ]; then
		record "$sec" "$subj" "$rep" requests_per_s "$rps" fail "$f"
		note "$sec" "$subj rep $rep: $non2xx non-2xx responses; figure left out"
		return 1
	fi
	[ -n "$sockerr" ] && note "$sec" "$subj rep $rep: wrk reported $sockerr"
	record "$sec" "$subj" "$rep" requests_per_s "$rps" ok "$f"
	log "$sec $subj rep $rep: $rps requests/s"
}

# run_cmb SECTION SUBJECT REP METRIC... -- ARGS...: one `cmbench run --format
# csv`, parsed after it exits; records each METRIC column; checks exit 0,
# errors 0 and, with CHECKSUM_WANT set, the checksum
run_cmb() {
	local sec=$1 subj=$2 rep=$3
	shift 3
	local metrics=()
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do metrics+=("$1"); shift; done
	shift
	local f="$RAW/$sec-$subj-$rep.csv" e="$RAW/$sec-$subj-$rep.err" rc errs sum m v st=ok
	timeout --foreground -k 3 "${CMB_TIMEOUT:-60}" "$CMB" run "$@" --format csv >"$f" 2>"$e"
	rc=$?
	errs=$(csv_get "$f" errors)
	sum=$(csv_get "$f" checksum)
	if [ "$rc" -ne 0 ] || [ "${errs:-x}" != 0 ]; then
		st=fail
		note "$sec" "$subj rep $rep: cmbench exited $rc with errors=${errs:-?}; see ${e#"$OUT"/}: $(head -c 200 "$e" | tr '\n' ' ')"
	fi
	if [ -n "${CHECKSUM_WANT:-}" ] && [ "$sum" != "$CHECKSUM_WANT" ]; then
		st=fail
		note "$sec" "$subj rep $rep: checksum $sum differs from the OpenMP build's $CHECKSUM_WANT"
	fi
	for m in "${metrics[@]}"; do
		v=$(csv_get "$f" "$m")
		if is_num "${v:-x}"; then record "$sec" "$subj" "$rep" "$m" "$v" "$st" "$f"
		else record "$sec" "$subj" "$rep" "$m" "" fail "$f"; st=fail; fi
	done
	[ -n "$sum" ] && record "$sec" "$subj" "$rep" checksum "$sum" info "$f"
	log "$sec $subj rep $rep: ${metrics[0]}=$(csv_get "$f" "${metrics[0]}") ($st)"
	[ "$st" = ok ]
}

# rep_loop SECTION DEADLINE_S FIRST_GUESS_S FUNC: FUNC REP for rep 1..REPS,
# while the next rep (as long as the longest so far) ends before DEADLINE_S
rep_loop() {
	local sec=$1 deadline=$2 guess=$3 fn=$4 r t a took
	for ((r = 1; r <= REPS; r++)); do
		t=$(elapsed_int)
		if [ $((t + guess)) -gt "$deadline" ]; then
			note "$sec" "time budget: reps $r..$REPS skipped (at ${t}s, a rep takes about ${guess}s, the section ends at ${deadline}s)"
			break
		fi
		a=$EPOCHREALTIME
		"$fn" "$r"
		took=$(awk -v a="$a" -v b="$EPOCHREALTIME" 'BEGIN { printf "%d", b - a + 1 }')
		[ "$took" -gt "$guess" ] && guess=$took
	done
}

# ---- the host ----
NPROC=$(nproc)
CPU_MODEL=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
[ -n "$CPU_MODEL" ] || CPU_MODEL=$(awk -F': *' '/^(Hardware|CPU part|uarch)/ { print $2; exit }' /proc/cpuinfo)
KERNEL=$(uname -sr)
CMB_VER=$("$CMB" --version 2>&1 | head -n 1)
NGINX_VER=$(nginx -v 2>&1 | head -n 1 || true)
WRK_VER=$(wrk -v 2>&1 | head -n 1 | sed 's/ *Copyright.*//' || true)
GCC_VER=$(gcc --version 2>/dev/null | head -n 1 || true)
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
log "host: $NPROC cores, $CPU_MODEL, $KERNEL; $CMB_VER; results in $OUT"
[ -x "$CMB" ] || { note setup "./cmbench is missing: run make first"; }

# ---- 1 and 2: the servers ----
CMB_PORT="" CMB_PID="" NGX_PORT="" NGX_PID=""

start_cmb_serve() {
	local i log=$RAW/cmbench-serve.log
	start_bg "$log" "$CMB" serve --port 0
	CMB_PID=$BG_LAST
	for ((i = 0; i < 50; i++)); do
		CMB_PORT=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9][0-9]*\).*/\1/p' "$log" | head -n 1)
		[ -n "$CMB_PORT" ] && break
		kill -0 "$CMB_PID" 2>/dev/null || break
		sleep 0.1
	done
	if [ -z "$CMB_PORT" ] || ! wait_port "$CMB_PORT" "$CMB_PID" 5; then
		note server "cmbench serve did not start within 5 s; see raw/cmbench-serve.log"
		stop_bg "$CMB_PID"
		CMB_PID="" CMB_PORT=""
		return 1
	fi
	log "cmbench serve: pid $CMB_PID, port $CMB_PORT"
}

start_nginx() {
	local dir=$TMP/nginx body try user_line=""
	mkdir -p "$dir/logs" "$dir/tmp" || return 1
	body=$(printf 'x%.0s' $(seq 1 "$BODY_BYTES"))
	[ "$(id -u)" -eq 0 ] && user_line="user root;"
	for ((try = 1; try <= 5; try++)); do
		NGX_PORT=$(pick_port) || { note server "nginx: no free port found"; return 1; }
		cat >"$dir/nginx.conf" <<-EOF
			# generated by tools/peers.sh
			$user_line
			worker_processes 1;
			pid $dir/nginx.pid;
			error_log $dir/logs/error.log warn;
			events { worker_connections 1024; }
			http {
			    access_log off;
			    default_type text/plain;
			    keepalive_timeout 65s;
			    keepalive_requests 100000000;
			    client_body_temp_path $dir/tmp/body;
			    proxy_temp_path $dir/tmp/proxy;
			    fastcgi_temp_path $dir/tmp/fastcgi;
			    uwsgi_temp_path $dir/tmp/uwsgi;
			    scgi_temp_path $dir/tmp/scgi;
			    server {
			        listen 127.0.0.1:$NGX_PORT;
			        location / {
			            return 200 "$body";
			        }
			    }
			}
		EOF
		cp "$dir/nginx.conf" "$RAW/nginx.conf"
		start_bg "$RAW/nginx.log" nginx -p "$dir/" -c nginx.conf -e "$dir/logs/error.log" -g 'daemon off;'
		NGX_PID=$BG_LAST
		if wait_port "$NGX_PORT" "$NGX_PID" 5; then
			log "nginx: pid $NGX_PID, port $NGX_PORT"
			return 0
		fi
		cp "$dir/logs/error.log" "$RAW/nginx-error.log" 2>/dev/null
		stop_bg "$NGX_PID"
		NGX_PID=""
		grep -q "Address already in use" "$RAW/nginx.log" "$RAW/nginx-error.log" 2>/dev/null || break
	done
	note server "nginx did not start; see raw/nginx.log and raw/nginx-error.log: $(tail -n 2 "$RAW/nginx.log" 2>/dev/null | tr '\n' ' ')"
	NGX_PORT=""
	return 1
}

CMB_URL="" NGX_URL=""
start_cmb_serve && CMB_URL="http://127.0.0.1:$CMB_PORT/?delay_us=0&bytes=$BODY_BYTES&id=1"
start_nginx && NGX_URL="http://127.0.0.1:$NGX_PORT/"

# what each server sends for one request: status, header bytes, body bytes
RESP_CMB="" RESP_NGX=""
[ -n "$CMB_URL" ] && RESP_CMB=$(probe_response "$CMB_PORT" "/?delay_us=0&bytes=$BODY_BYTES&id=1" "$RAW/response-cmbench.txt")
[ -n "$NGX_URL" ] && RESP_NGX=$(probe_response "$NGX_PORT" "/" "$RAW/response-nginx.txt")
for pair in "cmbench:$RESP_CMB" "nginx:$RESP_NGX"; do
	set -- ${pair#*:}
	if [ $# -eq 3 ] && { [ "$1" != 200 ] || [ "$3" != "$BODY_BYTES" ]; }; then
		note server "${pair%%:*} answered status $1 with $3 body bytes, not 200 with $BODY_BYTES"
	fi
done

# 1. the servers under wrk: warm each once (not recorded), then A B A B ...
s1_rep() {
	if [ -n "$CMB_URL" ]; then run_wrk server cmbench-serve "$1" "$CMB_URL"; else record server cmbench-serve "$1" requests_per_s "" fail ""; fi
	if [ -n "$NGX_URL" ]; then run_wrk server nginx "$1" "$NGX_URL"; else record server nginx "$1" requests_per_s "" fail ""; fi
}
log "1. server: cmbench serve vs nginx, wrk -t1 -c100 -d$WRK_DUR"
[ -n "$CMB_URL" ] && timeout --foreground -k 3 10 wrk -t1 -c100 -d1s "$CMB_URL" >"$RAW/server-cmbench-serve-warmup.wrk.txt" 2>&1
[ -n "$NGX_URL" ] && timeout --foreground -k 3 10 wrk -t1 -c100 -d1s "$NGX_URL" >"$RAW/server-nginx-warmup.wrk.txt" 2>&1
rep_loop server 95 11 s1_rep
cp "$TMP/nginx/logs/error.log" "$RAW/nginx-error.log" 2>/dev/null
[ -n "$NGX_PID" ] && stop_bg "$NGX_PID"
NGX_PID=""

# 2. the client: cmbench's eventloop io client vs wrk, same server, A B A B ...
s2_rep() {
	if [ -n "$CMB_URL" ]; then
		CMB_TIMEOUT=90 run_cmb client cmbench-eventloop "$1" throughput_tps makespan_s lat_p99_us -- \
			--model eventloop --workload io --conn keepalive --io-latency 0 --payload "$BODY_BYTES" \
			--tasks "$CLIENT_TASKS" --concurrency 100 --target "http://127.0.0.1:$CMB_PORT/"
		run_wrk client wrk "$1" "$CMB_URL"
	else
		record client cmbench-eventloop "$1" throughput_tps "" fail ""
		record client wrk "$1" requests_per_s "" fail ""
	fi
}
log "2. client: cmbench eventloop io client vs wrk against cmbench serve"
rep_loop client 195 16 s2_rep
[ -n "$CMB_PID" ] && stop_bg "$CMB_PID"
CMB_PID=""

# ---- 3. the CPU pools vs OpenMP ----
CPU_TASKS=400
CPU_ITERS=$(timeout --foreground -k 3 30 "$CMB" calibrate 1ms 2>"$RAW/calibrate.err")
if ! [[ ${CPU_ITERS:-x} =~ ^[0-9]+$ ]]; then
	note cpu "cmbench calibrate 1ms failed; using 50000 iterations (see raw/calibrate.err)"
	CPU_ITERS=50000
fi
echo "$CPU_ITERS" >"$RAW/calibrate.txt"
log "3. cpu: $CPU_TASKS tasks of $CPU_ITERS iterations (1ms calibrated)"
OMP_OK=0
mkdir -p build/peers
if gcc -O2 -Wall -Wextra -fopenmp -o "$OMP" tools/peers/omp_kernel.c >"$RAW/omp-build.log" 2>&1; then
	OMP_OK=1
else
	note cpu "the OpenMP build failed; see raw/omp-build.log"
fi

# the expected checksum, from the OpenMP build (equal for every model and rep)
CHECKSUM_WANT=""
run_omp() {
	local f="$RAW/cpu-openmp-$1.txt" rc ms sum
	if [ "$OMP_OK" != 1 ]; then record cpu openmp "$1" makespan_s "" fail ""; return 1; fi
	timeout --foreground -k 3 60 "$OMP" "$CPU_TASKS" "$CPU_ITERS" 2 >"$f" 2>&1
	rc=$?
	ms=$(sed -n 's/.*makespan_s=\([0-9.]*\).*/\1/p' "$f")
	sum=$(sed -n 's/.*checksum=\([0-9a-f]*\).*/\1/p' "$f")
	if [ "$rc" -ne 0 ] || ! is_num "${ms:-x}"; then
		record cpu openmp "$1" makespan_s "" fail "$f"
		note cpu "openmp rep $1: exited $rc; see ${f#"$OUT"/}"
		return 1
	fi
	if [ -n "$CHECKSUM_WANT" ] && [ "$sum" != "$CHECKSUM_WANT" ]; then
		record cpu openmp "$1" makespan_s "$ms" fail "$f"
		note cpu "openmp rep $1: checksum $sum differs from its first run's $CHECKSUM_WANT"
		return 1
	fi
	CHECKSUM_WANT=$sum
	record cpu openmp "$1" makespan_s "$ms" ok "$f"
	record cpu openmp "$1" checksum "$sum" info "$f"
	log "cpu openmp rep $1: makespan_s=$ms checksum=$sum"
}
CPU_COMMON=(--workload cpu --tasks "$CPU_TASKS" --cpu-iters "$CPU_ITERS")
s3_rep() {
	run_cmb cpu threadpool "$1" makespan_s -- --model threadpool "${CPU_COMMON[@]}" --concurrency 2
	run_cmb cpu forkpool "$1" makespan_s -- --model forkpool "${CPU_COMMON[@]}" --concurrency 2
	run_cmb cpu offload-c2-w2 "$1" makespan_s -- --model eventloop-offload "${CPU_COMMON[@]}" --concurrency 2 --workers 2
	run_cmb cpu offload-c4-w2 "$1" makespan_s -- --model eventloop-offload "${CPU_COMMON[@]}" --concurrency 4 --workers 2
	run_cmb cpu offload-c2-w1 "$1" makespan_s -- --model eventloop-offload "${CPU_COMMON[@]}" --concurrency 2 --workers 1
	run_omp "$1"
}
# the OpenMP build runs once first (not recorded) to fix the checksum that
# every cmbench run must match
if [ "$OMP_OK" = 1 ]; then
	timeout --foreground -k 3 60 "$OMP" "$CPU_TASKS" "$CPU_ITERS" 2 >"$RAW/cpu-openmp-warmup.txt" 2>&1
	CHECKSUM_WANT=$(sed -n 's/.*checksum=\([0-9a-f]*\).*/\1/p' "$RAW/cpu-openmp-warmup.txt")
fi
rep_loop cpu 255 6 s3_rep

# ---- 4. memory per task in flight ----
s4_rep() {
	local m
	for m in eventloop threadpool forkpool; do
		CMB_TIMEOUT=60 run_cmb mem "$m" "$1" mem_per_task_kib pss_peak_kib rss_peak_kib makespan_s -- \
			--model "$m" --workload io --conn new --io-latency 50ms --payload "$BODY_BYTES" \
			--tasks 2000 --concurrency 1000
	done
}
log "4. memory: io, C=1000, new connections, 50 ms, 2000 tasks"
CHECKSUM_WANT=""
rep_loop mem "$BUDGET_S" 5 s4_rep

# ---- peers.md ----
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
TOTAL=$(now_s)
notes_of() { [ -n "${NOTES[$1]:-}" ] && printf '\nProblems in this section:\n\n%s' "${NOTES[$1]}"; }
row() { # WHAT SEC SUBJ METRIC PEER_SEC PEER_SUBJ PEER_METRIC SCALE DIGITS UNIT
	local n1 n2
	n1=$(count_ok "$2" "$3" "$4")
	n2=$(count_ok "$5" "$6" "$7")
	echo "| $1 | $(fmt_cell "$2" "$3" "$4" "$8" "$9" "${10}") | $(fmt_cell "$5" "$6" "$7" "$8" "$9" "${10}") | $(ratio "$2" "$3" "$4" "$5" "$6" "$7") | ${n1:-0} / ${n2:-0} |"
}
resp_desc() { set -- $1; [ $# -eq 3 ] && echo "status $1, $2 header bytes + $3 body bytes" || echo "not probed"; }
{
	echo "# cmbench vs its peers, $STAMP"
	echo
	echo "Host: $NPROC cores ($CPU_MODEL), $KERNEL. $CMB_VER; $NGINX_VER; $WRK_VER; $GCC_VER (OpenMP)."
	echo
	echo "This ran on $NPROC cores, $REPS repetitions of each subject, interleaved"
	echo "(A B A B ...), in ${TOTAL}s. The figures are noisy when anything else runs on"
	echo "the machine: load average $LOAD_START at the start, $LOAD_END at the end."
	echo "Medians with (min–max) over the repetitions that succeeded; n is ok"
	echo "repetitions (cmbench / peer). Every figure: peers.csv; every tool's output: raw/."
	if [ -n "${NOTES[setup]:-}" ]; then printf '\nSet-up problems:\n\n%s' "${NOTES[setup]}"; fi
	echo
	echo "## 1. Server: \`cmbench serve\` vs nginx (1 worker)"
	echo
	echo "\`wrk -t1 -c100 -d$WRK_DUR\`, keep-alive, zero delay, $BODY_BYTES-byte body; requests/s, higher"
	echo "is better; ratio = cmbench / nginx. nginx: worker_processes 1, \`return 200\`"
	echo "of a fixed body, access_log off, keepalive_requests 100000000 (raw/nginx.conf)."
	echo "One response (a GET with Connection: close): cmbench $(resp_desc "$RESP_CMB");"
	echo "nginx $(resp_desc "$RESP_NGX")."
	echo
	echo "| what | cmbench median (min–max) | peer median (min–max) | ratio of medians | n |"
	echo "|---|---|---|---|---|"
	row "requests/s: cmbench serve vs nginx" server cmbench-serve requests_per_s server nginx requests_per_s 1 0 ""
	notes_of server
	echo
	echo "## 2. Client: cmbench eventloop io client vs wrk"
	echo
	echo "Both against the same \`cmbench serve\`, keep-alive, zero latency, $BODY_BYTES B, 100"
	echo "connections. cmbench: \`run --model eventloop --workload io --conn keepalive"
	echo "--io-latency 0 --tasks $CLIENT_TASKS --concurrency 100 --target ...\` (throughput_tps);"
	echo "wrk: \`-t1 -c100 -d$WRK_DUR\` (requests/s). Higher is better; ratio = cmbench / wrk."
	echo
	echo "| what | cmbench median (min–max) | peer median (min–max) | ratio of medians | n |"
	echo "|---|---|---|---|---|"
	row "tasks/s vs requests/s" client cmbench-eventloop throughput_tps client wrk requests_per_s 1 0 ""
	notes_of client
	echo
	echo "## 3. CPU pools vs OpenMP"
	echo
	echo "$CPU_TASKS tasks of \`cpu_kernel(mix64(id), $CPU_ITERS)\` ($CPU_ITERS iterations = 1 ms on one"
	echo "core by \`cmbench calibrate 1ms\` at the start; every run gets \`--cpu-iters $CPU_ITERS\`)."
	echo "Peer: tools/peers/omp_kernel.c, \`gcc -O2 -fopenmp\`, \`schedule(dynamic,1)"
	echo "num_threads(2)\`. Makespan, lower is better; ratio = cmbench / OpenMP."
	echo
	echo "| what | cmbench median (min–max) | peer median (min–max) | ratio of medians | n |"
	echo "|---|---|---|---|---|"
	row "threadpool C=2 vs OpenMP" cpu threadpool makespan_s cpu openmp makespan_s 1000 1 ms
	row "forkpool C=2 vs OpenMP" cpu forkpool makespan_s cpu openmp makespan_s 1000 1 ms
	row "eventloop-offload C=2 workers=2 vs OpenMP" cpu offload-c2-w2 makespan_s cpu openmp makespan_s 1000 1 ms
	row "eventloop-offload C=4 workers=2 vs OpenMP" cpu offload-c4-w2 makespan_s cpu openmp makespan_s 1000 1 ms
	row "eventloop-offload C=2 workers=1 vs OpenMP" cpu offload-c2-w1 makespan_s cpu openmp makespan_s 1000 1 ms
	echo
	sums=$(awk -F, '$1 == "cpu" && $4 == "checksum" { print $5 }' "$CSV" | sort -u)
	nsums=$(printf '%s' "$sums" | grep -c . || true)
	if [ -z "$CHECKSUM_WANT" ] && [ "$nsums" -eq 0 ]; then
		echo "Checksums: none were read."
	elif [ "$nsums" -eq 1 ]; then
		echo "Checksums: every cmbench run and every OpenMP run gave \`$sums\` (equal, as they must be)."
	else
		echo "Checksums: **they differ**: $(echo $sums | sed 's/ /, /g') (see peers.csv)."
	fi
	notes_of cpu
	echo
	echo "## 4. Memory per task in flight (cmbench only)"
	echo
	echo "io, C=1000, \`--conn new\`, 50 ms latency, 2000 tasks, the embedded server."
	echo "mem_per_task_kib (lower is better), with the tree's PSS and RSS peaks beside it."
	echo
	echo "| model | mem_per_task_kib median (min–max) | PSS peak | RSS peak | n |"
	echo "|---|---|---|---|---|"
	for m in eventloop threadpool forkpool; do
		echo "| $m | $(fmt_cell mem "$m" mem_per_task_kib 1 1 KiB) | $(fmt_cell mem "$m" pss_peak_kib 1 0 KiB) | $(fmt_cell mem "$m" rss_peak_kib 1 0 KiB) | $(n=$(count_ok mem "$m" mem_per_task_kib); echo "${n:-0}") |"
	done
	notes_of mem
} >"$MD"

echo "peers: done in ${TOTAL}s; $MD (figures: $CSV, tool output: $RAW/)"
