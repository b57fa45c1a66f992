#!/bin/bash
# file.sh - the figures of issue 30 (docs/workloads-file.md), for a quiet
# machine:
#   1. tasks/s of the file workload (read, --file-bytes 4096) warm and cold
#      in every C model and every Python variant (each --py-file library a
#      model takes) at C = 1, 10, 100 (a one-slot model at 1 only);
#   2. the stall factor of open().read() in the loop: makespan inline
#      against aiofiles (py-asyncio, py-uvloop) and against the model's
#      own offload (eventloop against eventloop-offload in C), warm and cold;
#   3. aiofiles' cost per call against a plain read, warm, at C = 1:
#      (makespan aiofiles - makespan open) / tasks, and to_thread's;
#   4. SQLAlchemy's cost per query against the raw driver: the pg query at
#      C = 1 ((makespan - makespan) / tasks) and queries/s at C = 100, on
#      a loop (asyncpg) and in threads (psycopg2).
# Each figure is the median of K runs (default 3), the runs of one point
# interleaved. The set is 4 files of 32 MiB (cold reads mostly miss: 2,000
# reads of 4 KiB touch 6% of it); each run makes its own, about 0.5 s
# outside the clock.
# Usage: tools/measure/file.sh [K] [OUT] [TASKS]   (default 3,
#        tools/measure/file.txt, 2000). About 10 to 15 minutes on 2 cores at
#        the defaults; FILE_SIZE=65536 tools/measure/file.sh 1 OUT 20 is the
#        smoke test (about 2 minutes).
set -u
K=${1:-3}
OUT=${2:-tools/measure/file.txt}
N=${3:-2000}
CMBENCH=${CMBENCH:-./cmbench}
RAW=$(mktemp -d)
trap 'rm -rf "$RAW"' EXIT
SET=(--file-bytes 4096 --file-size "${FILE_SIZE:-33554432}" --file-count 4)

all=$("$CMBENCH" list models)
one_slot() { [ "$1" = sequential ] || [ "$1" = py-sequential ]; }
# the variants: MODEL[:LIB] (LIB: --py-file or --py-pg)
file_variants() {
	for m in $all; do
		case $m in
		py-asyncio | py-uvloop) echo "$m:open $m:aiofiles $m:to_thread" ;;
		py-*) echo "$m:open" ;;
		*) echo "$m" ;;
		esac
	done
}

# one RUN_ID MODEL[:LIB] FLAG ARGS...: a run's csv, tagged, into $RAW
one() {
	local id=$1 v=$2 flag=$3 m lib
	shift 3
	m=${v%%:*}
	lib=
	[ "$m" != "$v" ] && lib=${v#*:}
	"$CMBENCH" run --model "$m" ${lib:+"$flag" "$lib"} "$@" --format csv >"$RAW/$id.csv" \
		2>"$RAW/$id.err" || echo "failed: $v $* ($(head -c 200 "$RAW/$id.err"))" >&2
}

run_file() {
	local r c cache v
	for r in $(seq "$K"); do
		for cache in warm cold; do
			for c in 1 10 100; do
				for v in $(file_variants); do
					one_slot "${v%%:*}" && [ "$c" != 1 ] && continue
					one "file-$cache-$c-${v/:/+}-$r" "$v" --py-file --workload file \
						--file-cache "$cache" --tasks "$N" --concurrency "$c" --workers 4 \
						"${SET[@]}"
				done
			done
		done
	done
}

run_pg() {
	local r c v
	for r in $(seq "$K"); do
		for c in 1 100; do
			for v in py-asyncio:asyncpg py-asyncio:sqlalchemy py-threads:psycopg2 \
				py-threads:sqlalchemy; do
				one "pg-x-$c-${v/:/+}-$r" "$v" --py-pg --workload pg --tasks "$N" \
					--concurrency "$c" --io-latency 0 --pg-rows 10000 --pg-conn pool
			done
		done
	done
}

summary() {
	/usr/bin/python3 - "$RAW" "$K" "$N" "${FILE_SIZE:-33554432}" <<'EOF'
import csv, glob, os, statistics, sys
raw, k, n, size = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
runs = {}  # (what, cache, c, variant) -> [row]
for p in glob.glob(os.path.join(raw, "*.csv")):
    name = os.path.basename(p)[:-4]
    what, cache, c, rest = name.split("-", 3)
    v = rest.rsplit("-", 1)[0].replace("+", ":")
    with open(p) as f:
        rows = list(csv.DictReader(f))
    if rows and rows[0].get("errors") == "0":
        runs.setdefault((what, cache, int(c), v), []).append(rows[0])

def med(key, col):
    vals = [float(r[col]) for r in runs.get(key, [])]
    return statistics.median(vals) if vals else float("nan")

def note(key):
    notes = {r.get("workload_note", "") for r in runs.get(key, [])} - {""}
    return " (" + ", ".join(sorted(notes)) + ")" if notes else ""

out = [f"# file workload and SQLAlchemy (issue 30): median of {k} runs of {n} tasks; "
       f"load at the end {open('/proc/loadavg').read().split()[0:3]}"]
variants = sorted({key[3] for key in runs if key[0] == "file"})
out += ["", f"## tasks/s, file read of 4 KiB (4 files of {size} bytes)", "",
        "| model | library | warm C=1 | warm C=10 | warm C=100 | cold C=1 | cold C=10 | cold C=100 |",
        "|---|---|---|---|---|---|---|---|"]
for v in variants:
    m, _, lib = v.partition(":")
    cells = []
    for cache in ("warm", "cold"):
        for c in (1, 10, 100):
            t = med(("file", cache, c, v), "throughput_tps")
            cells.append("" if t != t else f"{t:.0f}{note(('file', cache, c, v))}")
    out.append(f"| {m} | {lib or 'C'} | " + " | ".join(cells) + " |")

out += ["", "## the stall factor: makespan of the read inline on the loop / through a pool "
        "(above 1: the inline read stalls the loop more than the pool's trips cost)", "",
        "| loop | inline | against | warm C=10 | warm C=100 | cold C=10 | cold C=100 |",
        "|---|---|---|---|---|---|---|"]
for inline, pool in (("eventloop", "eventloop-offload"), ("py-asyncio:open", "py-asyncio:aiofiles"),
                     ("py-uvloop:open", "py-uvloop:aiofiles"), ("py-asyncio:open", "py-asyncio:to_thread"),
                     ("py-asyncio:open", "py-asyncio-offload:open")):
    cells = []
    for cache in ("warm", "cold"):
        for c in (10, 100):
            a, b = med(("file", cache, c, inline), "makespan_s"), med(("file", cache, c, pool), "makespan_s")
            cells.append(f"{a / b:.2f}x" if a == a and b == b and b > 0 else "")
    out.append(f"| {inline.split(':')[0]} | {inline} | {pool} | " + " | ".join(cells) + " |")

out += ["", "## cost per call on a warm cache at C=1: (makespan - makespan of open) / tasks", ""]
for loop in ("py-asyncio", "py-uvloop"):
    base = med(("file", "warm", 1, f"{loop}:open"), "makespan_s")
    for lib in ("aiofiles", "to_thread"):
        t = med(("file", "warm", 1, f"{loop}:{lib}"), "makespan_s")
        out.append(f"- {loop} {lib}: {(t - base) / int(n) * 1e6:.1f} us per call more than "
                   f"open().read() ({base / int(n) * 1e6:.1f} us a task)")

out += ["", "## SQLAlchemy against the raw driver (pg, 100 rows aggregated, pool of C)", "",
        "| side | driver | us/query C=1 | SQLAlchemy us/query C=1 | cost per query | queries/s C=100 | SQLAlchemy queries/s C=100 | driver / SQLAlchemy |",
        "|---|---|---|---|---|---|---|---|"]
for m, drv in (("py-asyncio", "asyncpg"), ("py-threads", "psycopg2")):
    a1 = med(("pg", "x", 1, f"{m}:{drv}"), "makespan_s") / int(n) * 1e6
    s1 = med(("pg", "x", 1, f"{m}:sqlalchemy"), "makespan_s") / int(n) * 1e6
    a100 = med(("pg", "x", 100, f"{m}:{drv}"), "throughput_tps")
    s100 = med(("pg", "x", 100, f"{m}:sqlalchemy"), "throughput_tps")
    out.append(f"| {m} | {drv} | {a1:.0f} | {s1:.0f} | {s1 - a1:+.0f} us | {a100:.0f} | {s100:.0f} | "
               f"{a100 / s100:.2f}x |")
print("\n".join(out))
EOF
}

run_file
run_pg
summary >"$OUT"
echo "file.sh: wrote $OUT" >&2
