#!/bin/bash
# pystack.sh - the article's Python libraries (issues 20, 30): every library
# of --py-http and --py-pg (SQLAlchemy's engines included), the blocking,
# sqlite and pg workloads and py-uvloop-prefork give the C models' checksum for the same parameters;
# a library that does not fit a model, or that cannot be imported (a
# shadow module on PYTHONPATH), is one line and exit 2, not a traceback; a
# failed set-up (a refused target, a pg pool the server cannot fill, a
# program that raises) is one line and exit 1, as in C; Ctrl-C exits 130
# with no Python process left; nothing is left behind. Independent runs go
# two at a time, against one latency server and one cluster. pg runs against one cluster this script starts
# (--pg URL); skipped without the PostgreSQL server binaries.
source "$(dirname "$0")/lib.sh"

[ -x /usr/bin/python3 ] || { ok "# skip: no /usr/bin/python3"; exit 0; }
# every process this script starts carries the tag: what is left is ours
export PYSTACK_TEST_TAG=$TMP
tagged() { grep -l "PYSTACK_TEST_TAG=$TMP" /proc/[0-9]*/environ 2>/dev/null | cut -d/ -f3; }
# one latency server for every HTTP run (C's and Python's alike)
start_server || not_ok "could not start a latency server"
A=(--tasks 12 --concurrency 3 --io-latency 3ms --payload 300 --cpu-iters 2000 --format csv
	--target "http://127.0.0.1:$SERVER_PORT/")

# Independent runs go two at a time (the checks print in order at the end
# of a batch): bg CHECK ARGS... runs CHECK ARGS in the background; flush
# waits for them and prints their lines.
NBG=0 BGP=()
bg() {
	if [ "${#BGP[@]}" -ge 2 ]; then
		wait "${BGP[0]}"
		BGP=("${BGP[@]:1}")
	fi
	NBG=$((NBG + 1))
	"$@" >"$TMP/bg.$(printf %03d $NBG)" 2>&1 &
	BGP+=($!)
}
flush() { # (not a bare wait: the latency server is a job of ours too)
	[ "${#BGP[@]}" -gt 0 ] && wait "${BGP[@]}"
	BGP=()
	cat "$TMP"/bg.* 2>/dev/null
	rm -f "$TMP"/bg.*
}

# same WHAT WANT ARGS...: a clean run with checksum WANT
same() {
	local what=$1 want=$2 o="$TMP/o.$BASHPID"
	shift 2
	"$CMBENCH" run "$@" >"$o.csv" 2>"$o.e"
	local rc=$? sum e
	sum=$(csv_field "$o.csv" checksum)
	e=$(csv_field "$o.csv" errors)
	check "$what: exit 0, 0 errors, C's checksum $want (rc $rc, errors ${e:-none}, $sum) $(head -c 200 "$o.e")" \
		test "$rc" = 0 -a "${e:-1}" = 0 -a "$sum" = "$want"
}
ref() { "$CMBENCH" run "$@" | csv_field /dev/stdin checksum; }

# --- HTTP clients: io, mixed, keep-alive, the blocking call on a loop;
# sqlite3: read and write, threads, processes, the loop inline and offloaded
want=$(ref --model eventloop --workload mixed "${A[@]}")
for ml in py-uvloop-prefork:aiohttp py-processes:requests; do
	bg same "mixed ${ml%%:*} --py-http ${ml#*:}" "$want" --model "${ml%%:*}" --workload mixed \
		--py-http "${ml#*:}" --workers 2 "${A[@]}"
done
want=$(ref --model eventloop --workload io "${A[@]}")
for ml in py-asyncio:aiohttp py-threads:requests py-sequential:httpx; do
	bg same "io ${ml%%:*} --py-http ${ml#*:}" "$want" --model "${ml%%:*}" --workload io \
		--py-http "${ml#*:}" "${A[@]}"
done
for ml in py-asyncio:httpx py-threads:requests; do
	bg same "io --conn keepalive ${ml%%:*} --py-http ${ml#*:}" "$want" --model "${ml%%:*}" \
		--workload io --conn keepalive --py-http "${ml#*:}" "${A[@]}"
done
for ml in py-asyncio:requests py-asyncio-offload:requests; do
	bg same "blocking ${ml%%:*} --py-http ${ml#*:}" "$want" --model "${ml%%:*}" --workload blocking \
		--py-http "${ml#*:}" --workers 2 "${A[@]}"
done
for mm in read:py-threads read:py-asyncio-offload write:py-processes; do
	S=(--workload sqlite --tasks 30 --concurrency 3 --workers 2 --sqlite-rows 3000 --sqlite-range 40
		--sqlite-mode "${mm%%:*}" --format csv)
	want=$(ref --model threadpool "${S[@]}")
	bg same "sqlite ${mm%%:*} ${mm#*:}" "$want" --model "${mm#*:}" "${S[@]}"
done

# --- a failed set-up or an unreachable target is one line, never a
# traceback: as the C models (each task counts the failure, exit 1), or
# "MODEL: set-up failed: WHY" (the protocol's "fail WHY")
oneline() { # WHAT RC ARGS...: exit RC, one line on stderr, no traceback
	local what=$1 want=$2 o="$TMP/ol.$BASHPID"
	shift 2
	"$CMBENCH" run "$@" >/dev/null 2>"$o"
	local rc=$?
	check "$what: exit $want, one line, no traceback (rc $rc: $(head -c 300 "$o"))" \
		test "$rc" = "$want" -a "$(wc -l <"$o")" = 1 -a -z "$(grep Traceback "$o")"
}
DEAD=(--workload io --tasks 3 --concurrency 2 --workers 2 --target http://127.0.0.1:1/)
for ml in py-uvloop-prefork:aiohttp py-processes:requests; do
	bg oneline "a refused target, --conn keepalive, ${ml%%:*} --py-http ${ml#*:}" 1 \
		--model "${ml%%:*}" --py-http "${ml#*:}" --conn keepalive "${DEAD[@]}"
done
cat >"$TMP/boom.py" <<PY
import sys
sys.path.insert(0, "$(cd "$(dirname "$0")/../.." && pwd)/models/python")
import foreign
def main(run):
    raise RuntimeError("boom\\nand a second line")
foreign.main(main)
PY
CMBENCH_FOREIGN_PROGRAM=$TMP/boom.py bg oneline "a program whose set-up raises" 1 \
	--model py-asyncio --workload io --tasks 2
flush
grep -q "py-asyncio: set-up failed: RuntimeError: boom" "$TMP/ol."* 2>/dev/null
check "... and the line says why (set-up failed: RuntimeError: boom)" test $? = 0

# --- refusals and missing libraries: one line, exit 2
refused() { # WHAT ARGS...
	local what=$1 r="$TMP/r.$BASHPID"
	shift
	"$CMBENCH" run "$@" --tasks 2 >/dev/null 2>"$r"
	local rc=$?
	check "$what: exit 2, one line, no traceback (rc $rc: $(head -c 200 "$r"))" \
		test "$rc" = 2 -a "$(wc -l <"$r")" = 1 -a -z "$(grep Traceback "$r")"
}
bg refused "py-asyncio refuses requests on io" --model py-asyncio --workload io --py-http requests
bg refused "py-threads refuses aiohttp" --model py-threads --workload io --py-http aiohttp
bg refused "py-threads refuses asyncpg" --model py-threads --workload pg --py-pg asyncpg --pg host=/x
bg refused "py-asyncio refuses psycopg2" --model py-asyncio --workload pg --py-pg psycopg2 --pg host=/x
mkdir -p "$TMP/shadow"
bg refused "py-threads refuses aiofiles" --model py-threads --workload file --py-file aiofiles
for mod in aiohttp asyncpg aiofiles sqlalchemy; do
	echo "raise ImportError('shadowed by the test')" >"$TMP/shadow/$mod.py"
done
PYTHONPATH=$TMP/shadow bg refused "aiohttp missing" --model py-asyncio --workload io --py-http aiohttp
PYTHONPATH=$TMP/shadow bg refused "asyncpg missing" --model py-uvloop --workload pg --pg host=/x
PYTHONPATH=$TMP/shadow bg refused "aiofiles missing" --model py-asyncio --workload file \
	--py-file aiofiles
PYTHONPATH=$TMP/shadow bg refused "sqlalchemy missing" --model py-threads --workload pg \
	--py-pg sqlalchemy --pg host=/x
flush
for pkg in python3-asyncpg python3-aiofiles python3-sqlalchemy; do
	grep -q "$pkg" "$TMP"/r.*
	check "the line names the Debian package $pkg ($(grep -h "$pkg" "$TMP"/r.*))" test $? = 0
done

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
			-o "-k $EXT -c listen_addresses= -c fsync=off -c max_connections=20" \
			start >/dev/null 2>&1; then
		P=(--workload pg --pg "$URL" --tasks 30 --concurrency 4 --workers 2 --pg-rows 2000
			--pg-range 20 --io-latency 1ms --format csv)
		want=$(ref --model eventloop "${P[@]}")
		for ml in py-asyncio:asyncpg py-asyncio:psycopg py-uvloop-prefork:asyncpg \
			py-threads:psycopg2 py-processes:psycopg py-asyncio:sqlalchemy \
			py-uvloop:sqlalchemy py-threads:sqlalchemy py-processes:sqlalchemy; do
			bg same "pg ${ml%%:*} --py-pg ${ml#*:}" "$want" --model "${ml%%:*}" \
				--py-pg "${ml#*:}" "${P[@]}"
		done
		for ml in py-threads:psycopg2 py-asyncio:sqlalchemy py-threads:sqlalchemy; do
			bg same "pg --pg-conn new ${ml%%:*} --py-pg ${ml#*:}" "$want" --model "${ml%%:*}" \
				--py-pg "${ml#*:}" --pg-conn new "${P[@]}"
		done
		flush
		# more slots than the server takes (max_connections 20): C's pool
		# counts each task that cannot connect (exit 1, one line); so must
		# the driver's pool that cannot open
		F=(--workload pg --pg "$URL" --tasks 30 --concurrency 30 --pg-rows 100 --pg-range 5
			--io-latency 100ms)
		oneline "pg, C=30 on a server of 20: threadpool" 1 --model threadpool "${F[@]}"
		for ml in py-asyncio:asyncpg py-threads:psycopg2 py-asyncio:sqlalchemy \
			py-threads:sqlalchemy; do
			oneline "pg, C=30 on a server of 20: ${ml%%:*} --py-pg ${ml#*:}" 1 \
				--model "${ml%%:*}" --py-pg "${ml#*:}" "${F[@]}"
		done
	else
		not_ok "pg: could not start a cluster to test with: $(tail -1 "$EXT/log" 2>/dev/null)"
	fi
fi

# --- Ctrl-C: cmbench exits 130 and no Python process of the run outlives it
pythons() { for p in $(tagged); do [ "$(cat /proc/"$p"/comm 2>/dev/null)" = python3 ] && echo "$p"; done; }
for m in py-processes py-uvloop-prefork; do
	# a background job starts with SIGINT ignored; the run must see it
	env --default-signal=INT "$CMBENCH" run --model "$m" --workload mixed --tasks 400 \
		--concurrency 4 --workers 2 --io-latency 100ms --cpu-iters 100 >/dev/null 2>"$TMP/int.err" &
	run=$!
	for _ in $(seq 100); do # until the program and its workers run: 3 pythons
		[ "$(pythons | wc -l)" -ge 3 ] && break
		sleep 0.1
	done
	n=$(pythons | wc -l)
	sleep 0.3
	kill -INT "$run"
	wait "$run"
	rc=$?
	left=$(pythons | head -3)
	check "SIGINT to $m with $n Python processes: exit 130, none left at its return (rc $rc${left:+, left: $left})$(grep -m1 Traceback "$TMP/int.err")" \
		test "$rc" = 130 -a -z "$left" -a "$n" -ge 3 -a -z "$(grep Traceback "$TMP/int.err")"
done

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

kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
sleep 0.2
[ -n "${EXT:-}" ] && as_pg "$PGBIN/pg_ctl" -D "$EXT/data" -m immediate -w -t 20 stop >/dev/null 2>&1
left=$(for p in $(tagged); do
	case $(cat /proc/"$p"/comm 2>/dev/null) in python3* | postgres* | cmbench*) echo "$p" ;; esac
done | head -3)
check "no process of this test left behind (Python, postgres)${left:+: $left}" test -z "$left"
