/* table.c - the seed article's numeric claims, one entry each: its words
 * (what it claims, where it says so), what is measured, the article's own
 * figure or range in the figures' unit, whose figure the verdict is on,
 * and the measure function that reads the figures from the runs playing
 * the claim's roles (verdicts.c; figures.h names them). claims/runs.txt
 * binds each role to a run. */
#include <stddef.h>

#include "claims.h"
#include "figures.h"

#define KIB_PER_MB 1024.0
#define KIB_PER_GB (1024.0 * 1024.0)

const struct claim claims_table[] = {
	{ .id = "sequential-500s",
	  .roles = "py c",
	  .claim = "1,000 requests of 500 ms take 500 s one after another",
	  .quote = "Five hundred seconds — over eight minutes",
	  .how = "100 requests of 50 ms one after another (blocking http.client), the makespan "
		 "extrapolated ×100",
	  .article = "~500 s",
	  .lo = 500,
	  .hi = 500,
	  .fmt = claim_fmt_s,
	  .subjects = { { "CPython", SEQ_PY_S } },
	  .measure = claim_measure_sequential_500s },
	{ .id = "asyncio-5s",
	  .roles = "py c py.all c.all",
	  .claim = "the same with asyncio takes 5 s",
	  .quote = "Five seconds instead of 500",
	  .how = "100 requests of 50 ms, 10 at a time (the article's 10 rounds of 100), the "
		 "makespan extrapolated ×10",
	  .article = "~5 s",
	  .lo = 5,
	  .hi = 5,
	  .fmt = claim_fmt_s,
	  .subjects = { { "CPython asyncio", A5S_PY_S } },
	  .measure = claim_measure_asyncio_5s },
	{ .id = "idle-cpu",
	  .roles = "py py.one c c.one",
	  .claim = "the CPU is idle while requests wait",
	  .quote = "The CPU sits at 0% utilization for ~99.9% of the run",
	  .how = "CPU time of 100 sequential requests minus 1 (least of the runs), per "
		 "request, against the article's 500 ms: the busy share",
	  .article = "~0.1% busy (~99.9% idle)",
	  .lo = 0.1,
	  .hi = 0.1,
	  .fmt = claim_fmt_pct,
	  .subjects = { { "CPython busy", IDLE_PY_BUSY_PCT } },
	  .measure = claim_measure_idle_cpu },
	{ .id = "thread-stack",
	  .roles = "py.many py.few c.many c.few py.large py.large.few",
	  .claim = "a thread costs 8 MB of stack",
	  .quote = "A Python thread requires 8 MB of stack memory",
	  .how = "peak PSS with 1,000 threads blocked on I/O minus 10, per thread; again at the "
		 "ceiling's scale: 4,000 threads held asleep (no I/O) minus 10",
	  .article = "8 MB",
	  .lo = 8 * KIB_PER_MB,
	  .hi = 8 * KIB_PER_MB,
	  .fmt = claim_fmt_kib,
	  .subjects = { { "a CPython thread", STACK_PY_KIB },
			{ "one of 4,000", STACK_PY_LARGE_KIB } },
	  .measure = claim_measure_thread_stack },
	{ .id = "thousand-threads",
	  .roles = "py.many py.few c.many c.few py.large py.large.few",
	  .claim = "1,000 threads take 8 GB",
	  .quote = "Spawning 1,000 threads consumes 8 GB just for stacks",
	  .how = "what 1,000 threads blocked on I/O add: (peak PSS at 1,000 minus 10) per "
		 "thread, ×1,000; again 1,000 of 4,000 held asleep",
	  .article = "8 GB",
	  .lo = 8 * KIB_PER_GB,
	  .hi = 8 * KIB_PER_GB,
	  .fmt = claim_fmt_kib,
	  .subjects = { { "1,000 CPython threads", T1K_PY_KIB },
			{ "1,000 of 4,000", T1K_PY_LARGE_KIB } },
	  .measure = claim_measure_thousand_threads },
	{ .id = "coroutine",
	  .roles = "py.objects py.many py.few c.many c.few py.large py.large.few",
	  .claim = "a coroutine costs ~200 bytes",
	  .quote = "An asyncio coroutine object is roughly 200 bytes",
	  .how = "10,000 coroutines suspended on one future (models/python/probe_coroutines.py): "
		 "bytes allocated per coroutine (tracemalloc), and PSS; apart, peak PSS of 1,000 "
		 "requests in flight minus 10, per request",
	  .article = "~200 bytes",
	  .lo = 200,
	  .hi = 200,
	  .fmt = claim_fmt_bytes,
	  .subjects = { { "a suspended CPython coroutine", CORO_TRACEMALLOC_B } },
	  .measure = claim_measure_coroutine },
	{ .id = "process-memory",
	  .roles = "spawn.many spawn.few fork.many fork.few c.many c.few fork.large fork.large.few",
	  .claim = "a process costs 30–100 MB",
	  .quote = "each process requires 30–100 MB of memory",
	  .how = "peak PSS of a multiprocessing pool of 8 workers minus 1, per worker; again at "
		 "the ceiling's scale: a forked pool of 500 held asleep minus 1",
	  .article = "30–100 MB",
	  .lo = 30 * KIB_PER_MB,
	  .hi = 100 * KIB_PER_MB,
	  .fmt = claim_fmt_kib,
	  .subjects = { { "with spawn", PMEM_SPAWN_KIB },
			{ "with fork", PMEM_FORK_KIB },
			{ "with fork, 500 workers", PMEM_FORK_LARGE_KIB } },
	  .measure = claim_measure_process_memory },
	{ .id = "process-spawn",
	  .roles = "py.starts spawn.many spawn.few",
	  .claim = "a process takes 100–500 ms to spawn",
	  .quote = "spawning a new process takes 100–500 milliseconds",
	  .how = "wall-clock time from Process.start() until the process runs its target, one "
		 "at a time, the least of 10 (models/python/probe_spawn.py)",
	  .article = "100–500 ms",
	  .lo = 100,
	  .hi = 500,
	  .fmt = claim_fmt_ms,
	  .subjects = { { "CPython with spawn", PSPAWN_SPAWN_MIN_MS },
			{ "with fork", PSPAWN_FORK_MIN_MS } },
	  .measure = claim_measure_process_spawn },
	{ .id = "uvloop",
	  .roles = "asyncio.new uvloop.new asyncio.keepalive uvloop.keepalive asyncio.new.short "
		   "uvloop.new.short asyncio.keepalive.short uvloop.keepalive.short c.new",
	  .claim = "uvloop is 2–4× faster",
	  .quote = "uvloop delivering 2–4× higher throughput than the default loop",
	  .how = "2,000 requests of 1 ms at C=100, the same program on each loop: throughput "
		 "(best of 5), and CPU per request (2,000 minus 100)",
	  .article = "2–4×",
	  .lo = 2,
	  .hi = 4,
	  .fmt = claim_fmt_times,
	  .subjects = { { "a new connection each", UV_NEW_X }, { "kept alive", UV_KEEP_X } },
	  .measure = claim_measure_uvloop },
	{ .id = "gil",
	  .roles = "py.one py.two c.one c.two py.procs",
	  .claim = "threads don't speed up CPU work (GIL)",
	  .quote = "Python's GIL prevents a single process from using more than one core",
	  .how = "40 tasks of the cpu kernel (~10 ms each) with 2 threads against 1, best of 5; "
		 "the same in C as the control",
	  .article = "1× (one core)",
	  .lo = 1,
	  .hi = 1,
	  .fmt = claim_fmt_times,
	  .subjects = { { "CPython threads", GIL_PY_THREADS_X } },
	  .measure = claim_measure_gil,
	  .usable = claim_usable_gil },
	{ .id = "context-switches",
	  .roles = "py py.threads c c.threads",
	  .claim = "the event loop has zero context-switching cost",
	  .quote = "zero OS context-switching cost",
	  .how = "context switches of the program's processes per request (cmbench's runner "
		 "taken off), 1,000 in flight",
	  .article = "zero",
	  .lo = 0,
	  .hi = 0,
	  .fmt = claim_fmt_count,
	  .subjects = { { "CPython asyncio (per request)", CTX_PY } },
	  .measure = claim_measure_context_switches },
	/* issue 20: the article's libraries */
	{ .id = "asyncpg-3-5x",
	  .roles = "asyncpg psycopg2 psycopg psycopg.async c.loop c.threads sqlalchemy.async "
		   "sqlalchemy.threads",
	  .claim = "asyncpg is 3–5× faster than psycopg2 at high concurrency",
	  .quote = "asyncpg … consistently 3–5× faster than psycopg2 in high-concurrency "
		   "benchmarks",
	  .how = "the database server's query (an indexed aggregate) at C=100 on a throw-away "
		 "cluster: asyncpg on asyncio against psycopg2 (and psycopg) in 100 threads, each "
		 "with 100 connections opened before the clock; queries/s, best of the runs; and "
		 "the same through SQLAlchemy (--py-pg sqlalchemy: its async engine on asyncpg "
		 "against its engine on psycopg2, an AsyncSession or Session a query)",
	  .article = "3–5×",
	  .lo = 3,
	  .hi = 5,
	  .fmt = claim_fmt_times,
	  .subjects = { { "over psycopg2", PG_OVER_PSYCOPG2_X },
			{ "over psycopg", PG_OVER_PSYCOPG_X },
			{ "through SQLAlchemy", PG_SA_OVER_X } },
	  .measure = claim_measure_asyncpg_speed },
	{ .id = "sqlite-threads",
	  .roles = "py.one py.two c.one c.two",
	  .claim = "threads overlap sqlite3 calls (the GIL releases in C)",
	  .quote = "Blocking C library (sqlite3) → threading (GIL releases on C-level blocking)",
	  .how = "sqlite3 reads of 100 rows by an index, 2 threads (a connection each) against "
		 "1; full overlap is 2×; C threads as the control",
	  .article = "2× (full overlap)",
	  .lo = 2,
	  .hi = 2,
	  .fmt = claim_fmt_times,
	  .subjects = { { "CPython threads", SQLT_PY_X } },
	  .measure = claim_measure_sqlite_threads,
	  .usable = claim_usable_sqlite_threads },
	{ .id = "requests-stall",
	  .roles = "inline.c10 inline.c100 offload.c10 offload.c100",
	  .claim = "requests.get() inside async def blocks the whole loop",
	  .quote = "Calling requests.get() inside an async def blocks the entire event loop",
	  .how = "the blocking workload: requests.get() inside async def on asyncio, 100 in "
		 "flight: tasks × median service time / makespan is what overlapped (1: "
		 "nothing did); against the same call offloaded to threads",
	  .article = "1 in flight (the whole loop blocked)",
	  .lo = 1,
	  .hi = 1,
	  .fmt = claim_fmt_count,
	  .subjects = { { "requests.get() at C=100", STALL_IN_FLIGHT_C100 } },
	  .measure = claim_measure_requests_stall },
	{ .id = "open-stall",
	  .roles = "inline aiofiles open.warm aiofiles.warm",
	  .claim = "open() inside async def stalls the loop for every read; aiofiles does not",
	  .quote = "Python's built-in open() is a blocking call — it will stall the event loop for "
		   "the duration of any disk read or write. aiofiles wraps file operations in a "
		   "ThreadPoolExecutor",
	  .how = "the file workload on asyncio: 500 reads of 128 KiB at random from 256 MiB whose "
		 "pages were dropped before the clock (cold), 100 in flight, open().read() inside "
		 "async def against aiofiles: tasks × median service time / makespan is what "
		 "overlapped (1: nothing did); aiofiles' cost per call: 2,000 reads of 4 KiB on a "
		 "warm cache, one at a time, against open().read()",
	  .article = "1 in flight (the loop stalled)",
	  .lo = 1,
	  .hi = 1,
	  .fmt = claim_fmt_count,
	  .subjects = { { "open().read() at C=100", FILE_IN_FLIGHT_C100 } },
	  .measure = claim_measure_open_stall },
	{ .id = "clients-5s",
	  .roles = "aiohttp httpx streams",
	  .claim = "aiohttp (or httpx) does the 1,000 requests in 5 s",
	  .quote = "Use aiohttp or httpx instead of requests … Five seconds instead of 500",
	  .how = "asyncio-5s with aiohttp and httpx as the client (--py-http), asyncio streams "
		 "beside them: 100 requests of 50 ms, 10 at a time, extrapolated ×10",
	  .article = "~5 s",
	  .lo = 5,
	  .hi = 5,
	  .fmt = claim_fmt_s,
	  .subjects = { { "aiohttp", CL5_AIOHTTP_S }, { "httpx", CL5_HTTPX_S } },
	  .measure = claim_measure_clients_5s },
	/* issue 28 */
	{ .id = "uvicorn-in-flight",
	  .roles = "py",
	  .claim = "one Uvicorn worker handles hundreds of requests in flight",
	  .quote = "allowing FastAPI to handle hundreds of concurrent in-flight requests on a "
		   "single Uvicorn worker",
	  .how = "the server side: FastAPI's async def route on one Uvicorn worker, served "
		 "at a fixed rate over 1,000 connections, each request waiting 400 ms "
		 "downstream: in flight = answered per second × p50 latency, on a run that kept "
		 "up (every request answered, at 99% of the offered rate, the generator on time)",
	  .article = "hundreds (100 to 999)",
	  .lo = 100,
	  .hi = 999,
	  .fmt = claim_fmt_count,
	  .subjects = { { "one Uvicorn worker", UVI_IN_FLIGHT } },
	  .usable = claim_usable_uvicorn_in_flight,
	  .measure = claim_measure_uvicorn_in_flight },
	{ .id = "def-no-stall",
	  .roles = "def async",
	  .claim = "def handlers run on a thread pool and do not stall the loop",
	  .quote =
		  "Handlers declared as plain def are automatically offloaded to a thread pool via "
		  "run_in_executor, so they do not stall the event loop",
	  .how = "the server side: requests.get() of 10 ms in a FastAPI def route (anyio's 40 "
		 "threads) and in an async def route (one Uvicorn worker), both offered "
		 "200/s over 100 connections: the def route's answered share of the offered "
		 "rate (1: no stall); the async def route is the control, and must stall",
	  .article = "1 (the offered rate kept)",
	  .lo = 1,
	  .hi = 1,
	  .fmt = claim_fmt_count,
	  .subjects = { { "a def route", DEF_SHARE } },
	  .usable = claim_usable_def_no_stall,
	  .measure = claim_measure_def_no_stall },
	{ .id = NULL },
};

bool claim_usable_uvicorn_in_flight(const struct claim *c, const double *v, char *why, size_t cap)
{
	(void)c;
	if (v[UVI_ERRORS] == 0 && v[UVI_SHARE] >= 0.99 && v[UVI_BEHIND] == 0) /* sustained */
		return true;
	snprintf(why, cap,
		 "the run did not keep up: %.0f requests failed, %.0f%% of the offered rate "
		 "answered, the generator %s",
		 v[UVI_ERRORS], 100 * v[UVI_SHARE], v[UVI_BEHIND] ? "behind" : "on time");
	return false;
}

bool claim_usable_def_no_stall(const struct claim *c, const double *v, char *why, size_t cap)
{
	(void)c;
	if (v[DEF_ERRORS] == 0 && v[DEF_BEHIND] == 0 && v[DEF_ASYNC_SHARE] < 0.75)
		return true;
	snprintf(why, cap,
		 "%.0f requests failed, the generator %s, the async def control answered %.2f of "
		 "the rate (it must stall: under 0.75)",
		 v[DEF_ERRORS], v[DEF_BEHIND] ? "behind" : "on time", v[DEF_ASYNC_SHARE]);
	return false;
}
