#!/bin/bash
# pystack.sh - issue 20's figures: the article's Python libraries against
# C on the same work, and the verdicts of their claims. Runs `cmbench
# claims --runs` on a list made here, so every figure is a `cmbench run`
# row (OUT/runs/NAME.csv) and the verdicts are claims.md's:
#   pg:     asyncpg and psycopg (async) on py-asyncio, psycopg2 and psycopg
#           in py-threads, C's eventloop and threadpool: the pg query at C=10
#           and C=100, a pool of C connections before the clock, tasks/s, p99
#   sqlite: sqlite3 reads in py-threads at 1 and 2 threads, C's threadpool
#   stall:  requests.get() inside async def (py-asyncio, blocking workload)
#           against the same call offloaded, at C=10 and C=100
#   http:   asyncio streams, aiohttp and httpx on py-asyncio (and py-uvloop)
#           at C=100 on 1 ms answers, and asyncio-5s with each client
# Usage: tools/measure/pystack.sh [OUT]   (default results/measure/pystack)
#   SCALE=0.2 for a quick run (tasks x SCALE), REPS=3 repetitions.
# Writes OUT/pystack.md (the tables) and OUT/claims.md (the verdicts).
set -u
cd "$(dirname "$0")/../.." || exit 2
OUT=${1:-results/measure/pystack}
SCALE=${SCALE:-1}
REPS=${REPS:-3}
CMB=${CMBENCH:-./cmbench}
[ -x "$CMB" ] || { echo "pystack.sh: build ./cmbench first (make cmbench)" >&2; exit 2; }
mkdir -p "$OUT" || exit 2
n() { awk -v n="$1" -v s="$SCALE" 'BEGIN { v = int(n * s); print (v < 20 ? 20 : v) }'; }

RUNS=$OUT/runs.txt
{
	echo "# made by tools/measure/pystack.sh (SCALE=$SCALE REPS=$REPS)"
	pg="--workload pg --io-latency 0 --pg-rows 10000"
	for r in $(seq "$REPS"); do
		for c in 10 100; do
			t=$(n $((c * 30)))
			echo "pg_asyncpg_c$c.$r --model py-asyncio --py-pg asyncpg $pg --tasks $t --concurrency $c"
			echo "pg_psycopg_async_c$c.$r --model py-asyncio --py-pg psycopg $pg --tasks $t --concurrency $c"
			echo "pg_psycopg2_c$c.$r --model py-threads --py-pg psycopg2 $pg --tasks $t --concurrency $c"
			echo "pg_psycopg_c$c.$r --model py-threads --py-pg psycopg $pg --tasks $t --concurrency $c"
			echo "pg_loop_c$c.$r --model eventloop $pg --tasks $t --concurrency $c"
			echo "pg_threads_c$c.$r --model threadpool $pg --tasks $t --concurrency $c"
		done
		sq="--workload sqlite --sqlite-rows 20000 --sqlite-range 100 --tasks $(n 4000)"
		for c in 1 2; do
			echo "py_sqlite_t$c.$r --model py-threads --concurrency $c $sq"
			echo "sqlite_t$c.$r --model threadpool --concurrency $c $sq"
		done
		bl="--workload blocking --py-http requests --io-latency 10ms"
		for c in 10 100; do
			t=$((c * 2))
			echo "py_requests_inline_c$c.$r --model py-asyncio $bl --tasks $t --concurrency $c"
			echo "py_requests_offload_c$c.$r --model py-asyncio-offload $bl --tasks $t --concurrency $c --workers $c"
		done
		io="--workload io --io-latency 1ms --tasks $(n 3000) --concurrency 100"
		for lib in streams aiohttp httpx; do
			echo "py_${lib}_c100.$r --model py-asyncio --py-http $lib $io"
			echo "py_uv_${lib}_c100.$r --model py-uvloop --py-http $lib $io"
			echo "py_${lib}_100x50ms_c10.$r --model py-asyncio --py-http $lib --workload io --tasks 100 --concurrency 10 --io-latency 50ms"
		done
		echo "loop_io_c100.$r --model eventloop $io"
	done
	echo "claim asyncpg-3-5x asyncpg=pg_asyncpg_c100 psycopg2=pg_psycopg2_c100 psycopg=pg_psycopg_c100 psycopg.async=pg_psycopg_async_c100 c.loop=pg_loop_c100 c.threads=pg_threads_c100"
	echo "claim sqlite-threads py.one=py_sqlite_t1 py.two=py_sqlite_t2 c.one=sqlite_t1 c.two=sqlite_t2"
	echo "claim requests-stall inline.c10=py_requests_inline_c10 inline.c100=py_requests_inline_c100 offload.c10=py_requests_offload_c10 offload.c100=py_requests_offload_c100"
	echo "claim clients-5s aiohttp=py_aiohttp_100x50ms_c10 httpx=py_httpx_100x50ms_c10 streams=py_streams_100x50ms_c10"
} >"$RUNS"

start=$(date +%s)
"$CMB" claims -o "$OUT" --runs "$RUNS" >"$OUT/claims.out" 2>&1
crc=$?

# best NAME COL [min]: the best of NAME's repetitions (highest, or lowest)
best() {
	local f v out="" col=$2
	for f in "$OUT"/runs/"$1".*.csv "$OUT"/runs/"$1".csv; do
		[ -s "$f" ] || continue
		v=$(awk -F, -v col="$col" 'NR==1{for(i=1;i<=NF;i++) if($i==col) c=i; next}
			NR==2 && c {print $c}' "$f")
		[ -n "$v" ] && out="$out $v"
	done
	echo "$out" | tr ' ' '\n' | grep . | sort -g | if [ "${3:-}" = min ]; then head -1; else tail -1; fi
}
row() { # LABEL NAME: tasks/s (best) and p99 (least) in ms
	local tps p99
	tps=$(best "$2" throughput_tps)
	p99=$(best "$2" lat_p99_us min)
	printf '| %s | %s | %s |\n' "$1" "${tps:-failed}" \
		"$(awk -v p="${p99:-}" 'BEGIN { if (p == "") print "-"; else printf "%.1f", p / 1000 }')"
}
{
	echo "# issue 20: the article's Python stack, measured"
	echo
	echo "$(date -u +%FT%TZ), $(nproc) cores, SCALE=$SCALE, best of $REPS runs (tasks/s: highest;"
	echo "p99: lowest). \`cmbench claims\` exit $crc; runs in runs/, verdicts in claims.md."
	for c in 10 100; do
		echo
		echo "## pg: the same query at C=$c (pool of $c connections before the clock)"
		echo
		echo "| driver (model) | tasks/s | p99 ms |"
		echo "|---|---:|---:|"
		row "asyncpg (py-asyncio)" "pg_asyncpg_c$c"
		row "psycopg async (py-asyncio)" "pg_psycopg_async_c$c"
		row "psycopg2 (py-threads)" "pg_psycopg2_c$c"
		row "psycopg (py-threads)" "pg_psycopg_c$c"
		row "libpq async (C eventloop)" "pg_loop_c$c"
		row "libpq blocking (C threadpool)" "pg_threads_c$c"
	done
	echo
	echo "## sqlite3 reads: 1 and 2 threads"
	echo
	echo "| model | tasks/s | p99 ms |"
	echo "|---|---:|---:|"
	row "py-threads, 1 thread" py_sqlite_t1
	row "py-threads, 2 threads" py_sqlite_t2
	row "C threadpool, 1 thread" sqlite_t1
	row "C threadpool, 2 threads" sqlite_t2
	echo
	echo "## requests.get() inside async def (10 ms answers)"
	echo
	echo "| C | inline makespan s | offloaded makespan s | stall factor |"
	echo "|---:|---:|---:|---:|"
	for c in 10 100; do
		a=$(best "py_requests_inline_c$c" makespan_s min)
		b=$(best "py_requests_offload_c$c" makespan_s min)
		printf '| %s | %s | %s | %s |\n' "$c" "${a:-failed}" "${b:-failed}" \
			"$(awk -v a="${a:-0}" -v b="${b:-0}" 'BEGIN { if (a > 0 && b > 0) printf "%.1f×", a / b; else print "-" }')"
	done
	echo
	echo "## HTTP clients: 1 ms answers at C=100"
	echo
	echo "| client (loop) | tasks/s | p99 ms |"
	echo "|---|---:|---:|"
	for lib in streams aiohttp httpx; do
		row "$lib (asyncio)" "py_${lib}_c100"
		row "$lib (uvloop)" "py_uv_${lib}_c100"
	done
	row "C eventloop" loop_io_c100
	echo
	echo "## Verdicts (claims.md)"
	echo
	echo "| # | claim | the article says | measured, and how | figure | verdict |"
	echo "|---|---|---|---|---|---|"
	grep -E '^\| [0-9]+ \| (asyncpg|threads overlap|requests\.get|aiohttp)' "$OUT/claims.md" 2>/dev/null ||
		echo "(no claims.md: see claims.out)"
	echo
	echo "Wall time: $(($(date +%s) - start)) s."
} >"$OUT/pystack.md"
cat "$OUT/pystack.md"
