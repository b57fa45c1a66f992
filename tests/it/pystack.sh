#!/bin/bash
# pystack.sh - the article's Python libraries (issue 20): every library of
# --py-http and --py-pg, the blocking, sqlite and pg workloads and
# py-uvloop-prefork give the C models' checksum for the same parameters;
# a library that does not fit a model, or that cannot be imported (a
# shadow module on PYTHONPATH), is one line and exit 2, not a traceback;
# nothing is left behind. pg runs against one cluster this script starts
# (--pg URL); skipped without the PostgreSQL server binaries.
source "$(dirname "$0")/lib.sh"

[ -x /usr/bin/python3 ] || { ok "# skip: no /usr/bin/python3"; exit 0; }
# every process this script starts carries the tag: what is left is ours
export PYSTACK_TEST_TAG=$TMP
tagged() { grep -l "PYSTACK_TEST_TAG=$TMP" /proc/[0-9]*/environ 2>/dev/null | cut -d/ -f3; }
A=(--tasks 12 --concurrency 3 --io-latency 3ms --payload 300 --cpu-iters 2000 --format csv)

# same WHAT WANT ARGS...: a clean run with checksum WANT
same() {
	local what=$1 want=$2
	shift 2
	"$CMBENCH" run "$@" >"$TMP/o.csv" 2>"$TMP/e"
	local rc=$? sum e
	sum=$(csv_field "$TMP/o.csv" checksum)
	e=$(csv_field "$TMP/o.csv" errors)
	check "$what: exit 0, 0 errors, C's checksum $want (rc $rc, errors ${e:-none}, $sum) $(head -c 200 "$TMP/e")" \
		test "$rc" = 0 -a "${e:-1}" = 0 -a "$sum" = "$want"
}
ref() { "$CMBENCH" run "$@" | csv_field /dev/stdin checksum; }

# --- HTTP clients: io, mixed, keep-alive, the blocking call on a loop
want=$(ref --model eventloop --workload mixed "${A[@]}")
for ml in py-uvloop-prefork:aiohttp py-processes:requests; do
	same "mixed ${ml%%:*} --py-http ${ml#*:}" "$want" --model "${ml%%:*}" --workload mixed \
		--py-http "${ml#*:}" --workers 2 "${A[@]}"
done
want=$(ref --model eventloop --workload io "${A[@]}")
for ml in py-asyncio:aiohttp py-threads:requests py-sequential:httpx; do
	same "io ${ml%%:*} --py-http ${ml#*:}" "$want" --model "${ml%%:*}" --workload io \
		--py-http "${ml#*:}" "${A[@]}"
done
for ml in py-asyncio:httpx py-threads:requests; do
	same "io --conn keepalive ${ml%%:*} --py-http ${ml#*:}" "$want" --model "${ml%%:*}" \
		--workload io --conn keepalive --py-http "${ml#*:}" "${A[@]}"
done
for ml in py-asyncio:requests py-asyncio-offload:requests; do
	same "blocking ${ml%%:*} --py-http ${ml#*:}" "$want" --model "${ml%%:*}" --workload blocking \
		--py-http "${ml#*:}" --workers 2 "${A[@]}"
done

# --- sqlite3: read and write, threads, processes, the loop inline and offloaded
for mm in read:py-threads read:py-asyncio-offload write:py-processes; do
	S=(--workload sqlite --tasks 30 --concurrency 3 --workers 2 --sqlite-rows 3000 --sqlite-range 40
		--sqlite-mode "${mm%%:*}" --format csv)
	want=$(ref --model threadpool "${S[@]}")
	same "sqlite ${mm%%:*} ${mm#*:}" "$want" --model "${mm#*:}" "${S[@]}"
done

# --- refusals and missing libraries: one line, exit 2
refused() { # WHAT ARGS...
	local what=$1
	shift
	"$CMBENCH" run "$@" --tasks 2 >/dev/null 2>"$TMP/r"
	local rc=$?
	check "$what: exit 2, one line, no traceback (rc $rc: $(head -c 200 "$TMP/r"))" \
		test "$rc" = 2 -a "$(wc -l <"$TMP/r")" = 1 -a -z "$(grep Traceback "$TMP/r")"
}
refused "py-asyncio refuses requests on io" --model py-asyncio --workload io --py-http requests
refused "py-threads refuses aiohttp" --model py-threads --workload io --py-http aiohttp
refused "py-threads refuses asyncpg" --model py-threads --workload pg --py-pg asyncpg --pg host=/x
refused "py-asyncio refuses psycopg2" --model py-asyncio --workload pg --py-pg psycopg2 --pg host=/x
mkdir -p "$TMP/shadow"
for mod in aiohttp asyncpg; do
	echo "raise ImportError('shadowed by the test')" >"$TMP/shadow/$mod.py"
done
PYTHONPATH=$TMP/shadow refused "aiohttp missing" --model py-asyncio --workload io --py-http aiohttp
PYTHONPATH=$TMP/shadow refused "asyncpg missing" --model py-uvloop --workload pg --pg host=/x
grep -q "python3-asyncpg" "$TMP/r"
check "the line names the Debian package ($(cat "$TMP/r"))" test $? = 0

# --- pg: every driver, pool and new, against one cluster of ours
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ ! -x "$PGBIN/initdb" ] || [ ! -x "$PGBIN/pg_ctl" ]; then
	ok "# skip pg: no PostgreSQL server binaries"
else
	as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi; }
	EXT=$(mktemp -d /tmp/cmbench-pystack-XXXXXX)
	[ "$(id -u)" = 0 ] && chown nobody "$EXT"
	URL="postgresql:///postgres?host=$EXT&user=bench"
	stop_pg() {
		as_pg "$PGBIN/pg_ctl" -D "$EXT/data" -m immediate -w -t 20 stop >/dev/null 2>&1
		rm -rf "$EXT"
		cleanup_lib
	}
	trap stop_pg EXIT
	if as_pg "$PGBIN/initdb" -D "$EXT/data" -U bench -A trust --no-sync >"$EXT/initdb.log" 2>&1 &&
		as_pg "$PGBIN/pg_ctl" -D "$EXT/data" -l "$EXT/log" -w -t 30 \
			-o "-k $EXT -c listen_addresses= -c fsync=off" start >/dev/null 2>&1; then
		P=(--workload pg --pg "$URL" --tasks 30 --concurrency 4 --workers 2 --pg-rows 2000
			--pg-range 20 --io-latency 1ms --format csv)
		want=$(ref --model eventloop "${P[@]}")
		for ml in py-asyncio:asyncpg py-asyncio:psycopg py-uvloop-prefork:asyncpg \
			py-threads:psycopg2 py-processes:psycopg; do
			same "pg ${ml%%:*} --py-pg ${ml#*:}" "$want" --model "${ml%%:*}" --py-pg "${ml#*:}" \
				"${P[@]}"
		done
		for ml in py-threads:psycopg2; do
			same "pg --pg-conn new ${ml%%:*} --py-pg ${ml#*:}" "$want" --model "${ml%%:*}" \
				--py-pg "${ml#*:}" --pg-conn new "${P[@]}"
		done
	else
		not_ok "pg: could not start a cluster to test with: $(tail -1 "$EXT/log" 2>/dev/null)"
	fi
fi

# --- a sweep grid that fixes a library: REPORT.md's "Python libraries"
cat >"$TMP/libs.spec" <<SPEC
name: libs
reps: 1
warmup: 0
grid: py_libs
models: py-asyncio eventloop
workload: io
flags: py-http=aiohttp
io_latency: 1ms
concurrency: 2
tasks: 10
SPEC
"$CMBENCH" sweep "$TMP/libs.spec" -o "$TMP/libset" >/dev/null 2>&1 &&
	"$CMBENCH" plots "$TMP/libset" >/dev/null 2>&1
grep -q "^| py_libs | --py-http aiohttp | py-asyncio | io | 2 | [0-9]" "$TMP/libset/REPORT.md" 2>/dev/null
check "REPORT.md shows a grid's library beside C (Python libraries)" test $? = 0

sleep 0.2
[ -n "${EXT:-}" ] && as_pg "$PGBIN/pg_ctl" -D "$EXT/data" -m immediate -w -t 20 stop >/dev/null 2>&1
left=$(for p in $(tagged); do
	case $(cat /proc/"$p"/comm 2>/dev/null) in python3* | postgres* | cmbench*) echo "$p" ;; esac
done | head -3)
check "no process of this test left behind (Python, postgres)${left:+: $left}" test -z "$left"
