/* verdicts.c - how the figures of each claim of the seed article are read
 * from the runs that play its roles (bound in claims/runs.txt): one
 * measure function per claim of table.c, filling the claim's figures by
 * their names (figures.h) and the sentence of its figure cell. The verdict
 * itself is rule.c's: in the article's range, or within CLAIM_TOL of its
 * single figure, and nothing else.
 *
 * A memory figure is the difference between a run with many in flight and
 * one with few, per extra one: what one more thread or process costs,
 * whatever the interpreter itself weighs. The article's MB and GB are read
 * as MiB and GiB (its "8 MB" stack is Linux's 8 MiB default). */
#include <math.h>
#include <stdio.h>
#include <sys/resource.h>

#include "../lib/util.h"
#include "claims.h"
#include "figures.h"

static double fig(const struct claims_set *s, const struct claim *c, const char *role,
		  const char *col)
{
	return claims_fig(s, c, role, col);
}

/* The least of a figure over the repetitions: a time, least disturbed. */
static double least(const struct claims_set *s, const struct claim *c, const char *role,
		    const char *col)
{
	return claims_best(s, c, role, col, false);
}

/* The highest: a throughput, least disturbed. */
static double most(const struct claims_set *s, const struct claim *c, const char *role,
		   const char *col)
{
	return claims_best(s, c, role, col, true);
}

/* What one more in flight costs: (col of big - col of small) per extra
 * unit of concurrency between the two runs. */
static double per_extra(const struct claims_set *s, const struct claim *c, const char *big,
			const char *small, const char *col)
{
	double n = fig(s, c, big, "concurrency") - fig(s, c, small, "concurrency");

	return n > 0 ? (fig(s, c, big, col) - fig(s, c, small, col)) / n : NAN;
}

/* The least CPU time of a run's tree over its repetitions: what other work
 * on the machine inflated least (preemption, caches). */
static double least_cpu_s(const struct claims_set *s, const struct claim *c, const char *role)
{
	return least(s, c, role, "cpu_user_s") + least(s, c, role, "cpu_sys_s");
}

static double ctx_per_task(const struct claims_set *s, const struct claim *c, const char *role)
{
	return (fig(s, c, role, "ctx_voluntary") + fig(s, c, role, "ctx_involuntary")) /
	       fig(s, c, role, "tasks");
}

static const char *kib(char *b, size_t n, double v)
{
	return claim_fmt_kib(b, n, v);
}

/* --- 500 s and 5 s ---------------------------------------------------------------
 * The article's 1,000 requests of 500 ms, as a run of fewer, shorter ones:
 * its makespan times the latency ratio times the ratio of rounds (a round:
 * the requests in flight at once), the article's rounds being 1,000 one
 * after another, or 10 of 100 (aiohttp's default connection limit, which
 * is what makes 5 s of 1,000 × 0.5 s), or 1 with no limit. */
#define ARTICLE_REQUESTS 1000.0
#define ARTICLE_LATENCY_US 500000.0

static double extrapolated(const struct claims_set *s, const struct claim *c, const char *role,
			   double makespan, double article_rounds)
{
	double rounds = ceil(fig(s, c, role, "tasks") / fig(s, c, role, "concurrency"));

	return makespan * ARTICLE_LATENCY_US / fig(s, c, role, "io_latency_us") * article_rounds /
	       rounds;
}

void claim_measure_sequential_500s(const struct claim *c, const struct claims_set *s, double *v,
				   char *f, size_t cap)
{
	const char *m = "makespan_s";

	v[SEQ_PY_S] = extrapolated(s, c, "py", fig(s, c, "py", m), ARTICLE_REQUESTS);
	v[SEQ_C_S] = extrapolated(s, c, "c", fig(s, c, "c", m), ARTICLE_REQUESTS);
	snprintf(f, cap,
		 "1,000 requests of 500 ms one after another, extrapolated from %.0f of %.0f ms: "
		 "**%.0f s** in CPython, %.0f s in C",
		 fig(s, c, "py", "tasks"), fig(s, c, "py", "io_latency_us") / 1000, v[SEQ_PY_S],
		 v[SEQ_C_S]);
}

void claim_measure_asyncio_5s(const struct claim *c, const struct claims_set *s, double *v, char *f,
			      size_t cap)
{
	const char *m = "makespan_s";

	v[A5S_PY_S] = extrapolated(s, c, "py", least(s, c, "py", m), ARTICLE_REQUESTS / 100);
	v[A5S_C_S] = extrapolated(s, c, "c", least(s, c, "c", m), ARTICLE_REQUESTS / 100);
	v[A5S_PY_ALL_S] = extrapolated(s, c, "py.all", least(s, c, "py.all", m), 1);
	v[A5S_C_ALL_S] = extrapolated(s, c, "c.all", least(s, c, "c.all", m), 1);
	snprintf(f, cap,
		 "1,000 requests of 500 ms, 100 at a time (aiohttp's default limit), "
		 "extrapolated from %.0f of %.0f ms %.0f at a time (the same 10 rounds, best of "
		 "3): **%.2f s** with asyncio, %.2f s with the C loop; all at once %.2f s and "
		 "%.2f s",
		 fig(s, c, "py", "tasks"), fig(s, c, "py", "io_latency_us") / 1000,
		 fig(s, c, "py", "concurrency"), v[A5S_PY_S], v[A5S_C_S], v[A5S_PY_ALL_S],
		 v[A5S_C_ALL_S]);
}

/* --- the idle CPU ----------------------------------------------------------------
 * "0% utilization for ~99.9% of the run" is a busy share of ~0.1%: judged
 * there, where a relative tolerance means something (±25% of 99.9% would
 * pass anything). */
void claim_measure_idle_cpu(const struct claim *c, const struct claims_set *s, double *v, char *f,
			    size_t cap)
{
	double pn = fig(s, c, "py", "tasks") - fig(s, c, "py.one", "tasks");
	double cn = fig(s, c, "c", "tasks") - fig(s, c, "c.one", "tasks");
	double py_us = (least_cpu_s(s, c, "py") - least_cpu_s(s, c, "py.one")) / pn * 1e6;
	double c_us = (least_cpu_s(s, c, "c") - least_cpu_s(s, c, "c.one")) / cn * 1e6;
	char a[32], b[32];

	v[IDLE_PY_BUSY_PCT] = py_us / ARTICLE_LATENCY_US * 100;
	v[IDLE_C_BUSY_PCT] = c_us / ARTICLE_LATENCY_US * 100;
	snprintf(f, cap,
		 "CPU per request, one after another: %s (CPython), %s (C); at 500 ms a request "
		 "the CPU is busy **%.3g%%** (CPython; idle %.2f%%) and %.3g%% (C) of the time",
		 fmt_us(a, sizeof(a), py_us, FMT_PROSE), fmt_us(b, sizeof(b), c_us, FMT_PROSE),
		 v[IDLE_PY_BUSY_PCT], 100 - v[IDLE_PY_BUSY_PCT], v[IDLE_C_BUSY_PCT]);
}

/* --- threads ---------------------------------------------------------------------- */

void claim_measure_thread_stack(const struct claim *c, const struct claims_set *s, double *v,
				char *f, size_t cap)
{
	struct rlimit rl = { 0 };
	char a[32], b[32], d[32], e[32];

	v[STACK_PY_KIB] = per_extra(s, c, "py.many", "py.few", "pss_peak_kib");
	v[STACK_C_KIB] = per_extra(s, c, "c.many", "c.few", "pss_peak_kib");
	v[STACK_PY_LARGE_KIB] = per_extra(s, c, "py.large", "py.large.few", "pss_peak_kib");
	getrlimit(RLIMIT_STACK, &rl);
	snprintf(f, cap,
		 "one more thread blocked on I/O (PSS): **%s** in CPython, %s in C; among %.0f "
		 "held: **%s**; its stack reserves %s of address space (`ulimit -s`), resident "
		 "only as far as it is touched",
		 kib(a, sizeof(a), v[STACK_PY_KIB]), kib(b, sizeof(b), v[STACK_C_KIB]),
		 fig(s, c, "py.large", "concurrency"), kib(e, sizeof(e), v[STACK_PY_LARGE_KIB]),
		 rl.rlim_cur == RLIM_INFINITY ? "unlimited"
					      : kib(d, sizeof(d), (double)rl.rlim_cur / 1024));
}

void claim_measure_thousand_threads(const struct claim *c, const struct claims_set *s, double *v,
				    char *f, size_t cap)
{
	char a[32], b[32], d[32], e[32], g[32];

	v[T1K_PY_KIB] = per_extra(s, c, "py.many", "py.few", "pss_peak_kib") * 1000;
	v[T1K_PY_PROCESS_KIB] = fig(s, c, "py.many", "pss_peak_kib");
	v[T1K_C_KIB] = per_extra(s, c, "c.many", "c.few", "pss_peak_kib") * 1000;
	v[T1K_PY_LARGE_KIB] = per_extra(s, c, "py.large", "py.large.few", "pss_peak_kib") * 1000;
	snprintf(f, cap,
		 "1,000 threads blocked on I/O, their own memory (1,000 × one more): **%s** in "
		 "CPython, %s in C; the whole CPython process at 1,000: %s; 1,000 of %.0f held "
		 "asleep: **%s** (the process then %s)",
		 kib(a, sizeof(a), v[T1K_PY_KIB]), kib(b, sizeof(b), v[T1K_C_KIB]),
		 kib(d, sizeof(d), v[T1K_PY_PROCESS_KIB]), fig(s, c, "py.large", "concurrency"),
		 kib(e, sizeof(e), v[T1K_PY_LARGE_KIB]),
		 kib(g, sizeof(g), fig(s, c, "py.large", "pss_peak_kib")));
}

/* --- a coroutine ------------------------------------------------------------------
 * The object itself (the probe: suspended coroutines awaiting one future),
 * and apart from it, what one more request in flight costs. */
void claim_measure_coroutine(const struct claim *c, const struct claims_set *s, double *v, char *f,
			     size_t cap)
{
	char a[32], b[32], d[32], e[32], g[32], h[32], k[32], m[32];

	v[CORO_TRACEMALLOC_B] = fig(s, c, "py.objects", "coro_tracemalloc_b");
	v[CORO_PSS_B] = fig(s, c, "py.objects", "coro_pss_b");
	v[CORO_GETSIZEOF_B] = fig(s, c, "py.objects", "coro_getsizeof_b");
	v[CORO_TASK_TRACEMALLOC_B] = fig(s, c, "py.objects", "task_tracemalloc_b");
	v[CORO_TASK_PSS_B] = fig(s, c, "py.objects", "task_pss_b");
	v[CORO_PY_REQUEST_B] = per_extra(s, c, "py.many", "py.few", "pss_peak_kib") * 1024;
	v[CORO_C_REQUEST_B] = per_extra(s, c, "c.many", "c.few", "pss_peak_kib") * 1024;
	v[CORO_PY_LARGE_B] = per_extra(s, c, "py.large", "py.large.few", "pss_peak_kib") * 1024;
	snprintf(f, cap,
		 "one suspended coroutine (%.0f of them awaiting one future): **%s** allocated "
		 "(tracemalloc; `sys.getsizeof` %s), %s of PSS; as an asyncio Task %s (PSS %s). "
		 "Apart: one more *request* in flight (coroutine, Task, socket, transport, "
		 "streams): %s of PSS in CPython asyncio, %s in the C loop; at the ceiling's "
		 "scale, one more coroutine Task held asleep among %.0f: %s of PSS",
		 fig(s, c, "py.objects", "n"), claim_fmt_bytes(a, sizeof(a), v[CORO_TRACEMALLOC_B]),
		 claim_fmt_bytes(b, sizeof(b), v[CORO_GETSIZEOF_B]),
		 claim_fmt_bytes(d, sizeof(d), v[CORO_PSS_B]),
		 claim_fmt_bytes(e, sizeof(e), v[CORO_TASK_TRACEMALLOC_B]),
		 claim_fmt_bytes(g, sizeof(g), v[CORO_TASK_PSS_B]),
		 claim_fmt_bytes(h, sizeof(h), v[CORO_PY_REQUEST_B]),
		 claim_fmt_bytes(k, sizeof(k), v[CORO_C_REQUEST_B]),
		 fig(s, c, "py.large", "concurrency"),
		 claim_fmt_bytes(m, sizeof(m), v[CORO_PY_LARGE_B]));
}

/* --- processes ---------------------------------------------------------------------- */

void claim_measure_process_memory(const struct claim *c, const struct claims_set *s, double *v,
				  char *f, size_t cap)
{
	char a[32], b[32], d[32], e[32], g[32];

	v[PMEM_SPAWN_KIB] = per_extra(s, c, "spawn.many", "spawn.few", "pss_peak_kib");
	v[PMEM_FORK_KIB] = per_extra(s, c, "fork.many", "fork.few", "pss_peak_kib");
	v[PMEM_SPAWN_RSS_KIB] =
		fig(s, c, "spawn.many", "rss_peak_kib") / fig(s, c, "spawn.many", "processes");
	v[PMEM_C_KIB] = per_extra(s, c, "c.many", "c.few", "pss_peak_kib");
	v[PMEM_FORK_LARGE_KIB] = per_extra(s, c, "fork.large", "fork.large.few", "pss_peak_kib");
	snprintf(f, cap,
		 "one more worker process (PSS: shared pages counted once): **%s** with spawn, "
		 "**%s** with fork; %s each as RSS with spawn (what `top` shows); a worker of "
		 "C's process pool: %s; one more of %.0f forked workers held asleep: **%s**",
		 kib(a, sizeof(a), v[PMEM_SPAWN_KIB]), kib(b, sizeof(b), v[PMEM_FORK_KIB]),
		 kib(d, sizeof(d), v[PMEM_SPAWN_RSS_KIB]), kib(e, sizeof(e), v[PMEM_C_KIB]),
		 fig(s, c, "fork.large", "concurrency"), kib(g, sizeof(g), v[PMEM_FORK_LARGE_KIB]));
}

/* "spawning a new process takes": the wall-clock time from start() until
 * the process runs, one at a time (the probe), the least of its starts. */
void claim_measure_process_spawn(const struct claim *c, const struct claims_set *s, double *v,
				 char *f, size_t cap)
{
	double n = fig(s, c, "spawn.many", "concurrency") - fig(s, c, "spawn.few", "concurrency");
	char a[8][32];

	v[PSPAWN_SPAWN_MIN_MS] = fig(s, c, "py.starts", "spawn_min_ms");
	v[PSPAWN_FORK_MIN_MS] = fig(s, c, "py.starts", "fork_min_ms");
	v[PSPAWN_SPAWN_MEDIAN_MS] = fig(s, c, "py.starts", "spawn_ms");
	v[PSPAWN_FORK_MEDIAN_MS] = fig(s, c, "py.starts", "fork_ms");
	v[PSPAWN_SPAWN_CPU_MS] = fig(s, c, "py.starts", "spawn_cpu_ms");
	v[PSPAWN_FORK_CPU_MS] = fig(s, c, "py.starts", "fork_cpu_ms");
	v[PSPAWN_FORKSERVER_MIN_MS] = fig(s, c, "py.starts", "forkserver_min_ms");
	v[PSPAWN_POOL_SETUP_MS] =
		(least(s, c, "spawn.many", "setup_s") - least(s, c, "spawn.few", "setup_s")) / n *
		1e3;
	snprintf(f, cap,
		 "one process started and running its target, one at a time (least of %.0f; "
		 "median): **%s** (%s) with spawn, **%s** (%s) with fork, %s with forkserver; "
		 "the CPU of one: %s (spawn), %s (fork). A pool of 8 starting at once on %0.f "
		 "cores: %s more set-up per worker with spawn",
		 fig(s, c, "py.starts", "reps"), claim_fmt_ms(a[0], 32, v[PSPAWN_SPAWN_MIN_MS]),
		 claim_fmt_ms(a[1], 32, v[PSPAWN_SPAWN_MEDIAN_MS]),
		 claim_fmt_ms(a[2], 32, v[PSPAWN_FORK_MIN_MS]),
		 claim_fmt_ms(a[3], 32, v[PSPAWN_FORK_MEDIAN_MS]),
		 claim_fmt_ms(a[4], 32, v[PSPAWN_FORKSERVER_MIN_MS]),
		 claim_fmt_ms(a[5], 32, v[PSPAWN_SPAWN_CPU_MS]),
		 claim_fmt_ms(a[6], 32, v[PSPAWN_FORK_CPU_MS]), fig(s, c, "spawn.many", "cores"),
		 claim_fmt_ms(a[7], 32, v[PSPAWN_POOL_SETUP_MS]));
}

/* --- uvloop ------------------------------------------------------------------------
 * "higher throughput": requests per second, the best of the repetitions;
 * the CPU per request (a long run minus a short one, start-up cancelled)
 * is shown beside it: what the throughput ratio is on an idle machine. */
static double cpu_per_request(const struct claims_set *s, const struct claim *c, const char *run,
			      const char *base)
{
	return (least_cpu_s(s, c, run) - least_cpu_s(s, c, base)) /
	       (fig(s, c, run, "tasks") - fig(s, c, base, "tasks")) * 1e6;
}

void claim_measure_uvloop(const struct claim *c, const struct claims_set *s, double *v, char *f,
			  size_t cap)
{
	const char *t = "throughput_tps";
	char a[4][32];

	v[UV_ASYNCIO_NEW_TPS] = most(s, c, "asyncio.new", t);
	v[UV_UVLOOP_NEW_TPS] = most(s, c, "uvloop.new", t);
	v[UV_ASYNCIO_KEEP_TPS] = most(s, c, "asyncio.keepalive", t);
	v[UV_UVLOOP_KEEP_TPS] = most(s, c, "uvloop.keepalive", t);
	v[UV_C_NEW_TPS] = most(s, c, "c.new", t);
	v[UV_NEW_X] = v[UV_UVLOOP_NEW_TPS] / v[UV_ASYNCIO_NEW_TPS];
	v[UV_KEEP_X] = v[UV_UVLOOP_KEEP_TPS] / v[UV_ASYNCIO_KEEP_TPS];
	v[UV_ASYNCIO_NEW_CPU_US] = cpu_per_request(s, c, "asyncio.new", "asyncio.new.short");
	v[UV_UVLOOP_NEW_CPU_US] = cpu_per_request(s, c, "uvloop.new", "uvloop.new.short");
	v[UV_ASYNCIO_KEEP_CPU_US] =
		cpu_per_request(s, c, "asyncio.keepalive", "asyncio.keepalive.short");
	v[UV_UVLOOP_KEEP_CPU_US] =
		cpu_per_request(s, c, "uvloop.keepalive", "uvloop.keepalive.short");
	v[UV_NEW_CPU_X] = v[UV_ASYNCIO_NEW_CPU_US] / v[UV_UVLOOP_NEW_CPU_US];
	v[UV_KEEP_CPU_X] = v[UV_ASYNCIO_KEEP_CPU_US] / v[UV_UVLOOP_KEEP_CPU_US];
	snprintf(f, cap,
		 "requests/s (best of 5), asyncio and uvloop: a new connection each %.0f and "
		 "%.0f: **%.2f×**; kept alive %.0f and %.0f: **%.2f×**; the C loop %.0f. CPU "
		 "per request: %s and %s (%.2f×); kept alive %s and %s (%.2f×)",
		 v[UV_ASYNCIO_NEW_TPS], v[UV_UVLOOP_NEW_TPS], v[UV_NEW_X], v[UV_ASYNCIO_KEEP_TPS],
		 v[UV_UVLOOP_KEEP_TPS], v[UV_KEEP_X], v[UV_C_NEW_TPS],
		 fmt_us(a[0], 32, v[UV_ASYNCIO_NEW_CPU_US], FMT_PROSE),
		 fmt_us(a[1], 32, v[UV_UVLOOP_NEW_CPU_US], FMT_PROSE), v[UV_NEW_CPU_X],
		 fmt_us(a[2], 32, v[UV_ASYNCIO_KEEP_CPU_US], FMT_PROSE),
		 fmt_us(a[3], 32, v[UV_UVLOOP_KEEP_CPU_US], FMT_PROSE), v[UV_KEEP_CPU_X]);
}

/* --- the GIL ------------------------------------------------------------------------
 * "prevents a single process from using more than one core": 2 threads
 * speed CPU work up by 1×, no more. C threads on the same machine are the
 * control: they must get more than the claim's figure allows, or the
 * machine did not give two cores and the CPython figure proves nothing. */
void claim_measure_gil(const struct claim *c, const struct claims_set *s, double *v, char *f,
		       size_t cap)
{
	const char *t = "throughput_tps";

	v[GIL_PY_THREADS_X] = most(s, c, "py.two", t) / most(s, c, "py.one", t);
	v[GIL_C_THREADS_X] = most(s, c, "c.two", t) / most(s, c, "c.one", t);
	v[GIL_PY_PROCS_X] = most(s, c, "py.procs", t) / most(s, c, "py.one", t);
	v[GIL_CORES] = fig(s, c, "c.two", "cores");
	snprintf(f, cap,
		 "speed-up of 2 workers over 1 on CPU work (%.0f cores, best of 5): CPython "
		 "threads **%.2f×**; the control, C threads, %.2f×; CPython processes %.2f×",
		 v[GIL_CORES], v[GIL_PY_THREADS_X], v[GIL_C_THREADS_X], v[GIL_PY_PROCS_X]);
}

bool claim_usable_gil(const struct claim *c, const double *v, char *why, size_t cap)
{
	if (v[GIL_CORES] >= 2 &&
	    claim_judge_point(v[GIL_C_THREADS_X], c->lo, CLAIM_TOL) == CLAIM_FAILS &&
	    v[GIL_C_THREADS_X] > c->lo)
		return true;
	snprintf(why, cap,
		 "the control (C threads) got %.2f× from 2 threads on %.0f cores: "
		 "the machine did not give it two",
		 v[GIL_C_THREADS_X], v[GIL_CORES]);
	return false;
}

/* --- context switches ---------------------------------------------------------------
 * The program's own (cmbench's runner, which reads its records, is taken
 * off: docs/run.md, "Reading a run"), per request. */
void claim_measure_context_switches(const struct claim *c, const struct claims_set *s, double *v,
				    char *f, size_t cap)
{
	double n = fig(s, c, "py", "tasks");

	v[CTX_PY] = ctx_per_task(s, c, "py");
	v[CTX_PY_VOLUNTARY] = fig(s, c, "py", "ctx_voluntary") / n;
	v[CTX_PY_INVOLUNTARY] = fig(s, c, "py", "ctx_involuntary") / n;
	v[CTX_PY_THREADS] = ctx_per_task(s, c, "py.threads");
	v[CTX_C] = ctx_per_task(s, c, "c");
	v[CTX_C_THREADS] = ctx_per_task(s, c, "c.threads");
	snprintf(f, cap,
		 "OS context switches of the program's processes per request, %.0f in flight: "
		 "CPython asyncio **%.3g** (%.3g voluntary, %.3g involuntary: preempted by other "
		 "work), CPython threads %.3g; the C loop %.3g, C threads %.3g",
		 fig(s, c, "py", "concurrency"), v[CTX_PY], v[CTX_PY_VOLUNTARY],
		 v[CTX_PY_INVOLUNTARY], v[CTX_PY_THREADS], v[CTX_C], v[CTX_C_THREADS]);
}

/* --- issue 20: the article's libraries ------------------------------------------------
 * The libraries the article recommends, each through the --py-http or
 * --py-pg flag of the same Python program (claims/runs.txt says which). */

/* "asyncpg ... consistently 3–5× faster than psycopg2 in high-concurrency
 * benchmarks": the same pg query at C=100, each driver with a pool of 100
 * connections opened before the clock; queries/s, best of the runs. */
void claim_measure_asyncpg_speed(const struct claim *c, const struct claims_set *s, double *v,
				 char *f, size_t cap)
{
	const char *t = "throughput_tps";

	v[PG_ASYNCPG_TPS] = most(s, c, "asyncpg", t);
	v[PG_PSYCOPG2_TPS] = most(s, c, "psycopg2", t);
	v[PG_PSYCOPG_TPS] = most(s, c, "psycopg", t);
	v[PG_PSYCOPG_ASYNC_TPS] = most(s, c, "psycopg.async", t);
	v[PG_C_LOOP_TPS] = most(s, c, "c.loop", t);
	v[PG_C_THREADS_TPS] = most(s, c, "c.threads", t);
	v[PG_SA_ASYNC_TPS] = most(s, c, "sqlalchemy.async", t);
	v[PG_SA_THREADS_TPS] = most(s, c, "sqlalchemy.threads", t);
	v[PG_OVER_PSYCOPG2_X] = v[PG_ASYNCPG_TPS] / v[PG_PSYCOPG2_TPS];
	v[PG_OVER_PSYCOPG_X] = v[PG_ASYNCPG_TPS] / v[PG_PSYCOPG_TPS];
	/* what SQLAlchemy adds to a query, in wall time at this concurrency */
	v[PG_SA_ASYNC_COST_US] = 1e6 / v[PG_SA_ASYNC_TPS] - 1e6 / v[PG_ASYNCPG_TPS];
	v[PG_SA_THREADS_COST_US] = 1e6 / v[PG_SA_THREADS_TPS] - 1e6 / v[PG_PSYCOPG2_TPS];
	v[PG_SA_OVER_X] = v[PG_SA_ASYNC_TPS] / v[PG_SA_THREADS_TPS];
	snprintf(f, cap,
		 "queries/s at C=%.0f (best of the runs): asyncpg on asyncio %.0f, psycopg2 in "
		 "threads %.0f (**%.2f×**), psycopg in threads %.0f (**%.2f×**), psycopg async "
		 "%.0f; through SQLAlchemy (an engine, a session a query): on asyncpg %.0f "
		 "(%+.0f µs a query), on psycopg2 %.0f (%+.0f µs), **%.2f×**; the same query "
		 "in C: libpq on the loop %.0f, in threads %.0f",
		 fig(s, c, "asyncpg", "concurrency"), v[PG_ASYNCPG_TPS], v[PG_PSYCOPG2_TPS],
		 v[PG_OVER_PSYCOPG2_X], v[PG_PSYCOPG_TPS], v[PG_OVER_PSYCOPG_X],
		 v[PG_PSYCOPG_ASYNC_TPS], v[PG_SA_ASYNC_TPS], v[PG_SA_ASYNC_COST_US],
		 v[PG_SA_THREADS_TPS], v[PG_SA_THREADS_COST_US], v[PG_SA_OVER_X], v[PG_C_LOOP_TPS],
		 v[PG_C_THREADS_TPS]);
}

/* "threading (the GIL releases on C-level blocking)" for sqlite3: 2
 * threads against 1 on the same reads; they overlap fully at 2×. C threads
 * are the control: without a second core the figure proves nothing. */
void claim_measure_sqlite_threads(const struct claim *c, const struct claims_set *s, double *v,
				  char *f, size_t cap)
{
	const char *t = "throughput_tps";

	v[SQLT_PY_X] = most(s, c, "py.two", t) / most(s, c, "py.one", t);
	v[SQLT_C_X] = most(s, c, "c.two", t) / most(s, c, "c.one", t);
	v[SQLT_CORES] = fig(s, c, "c.two", "cores");
	v[SQLT_PY_ONE_TPS] = most(s, c, "py.one", t);
	v[SQLT_C_ONE_TPS] = most(s, c, "c.one", t);
	snprintf(f, cap,
		 "sqlite3 reads, speed-up of 2 threads over 1 (%.0f cores, best of the runs): "
		 "CPython **%.2f×** (%.0f reads/s with one); the control, C threads, %.2f× (%.0f "
		 "reads/s with one)",
		 v[SQLT_CORES], v[SQLT_PY_X], v[SQLT_PY_ONE_TPS], v[SQLT_C_X], v[SQLT_C_ONE_TPS]);
}

bool claim_usable_sqlite_threads(const struct claim *c, const double *v, char *why, size_t cap)
{
	if (v[SQLT_CORES] >= 2 && claim_judge_point(v[SQLT_C_X], c->lo, CLAIM_TOL) == CLAIM_HOLDS)
		return true;
	snprintf(why, cap,
		 "the control (C threads) got %.2f× from 2 threads on %.0f cores: the machine "
		 "did not give it two",
		 v[SQLT_C_X], v[SQLT_CORES]);
	return false;
}

/* "requests.get() inside async def blocks the entire loop": how many
 * requests progressed at once, tasks × each one's median service time /
 * makespan, when each is a requests.get() inside async def: 1 if the loop
 * is blocked (whatever a request costs), C if they overlap. The stall
 * factor beside it: the makespan against the same call offloaded
 * (run_in_executor, a thread per task in flight). */
static double in_flight(const struct claims_set *s, const struct claim *c, const char *role)
{
	return fig(s, c, role, "tasks") * fig(s, c, role, "svc_p50_us") / 1e6 /
	       fig(s, c, role, "makespan_s");
}

void claim_measure_requests_stall(const struct claim *c, const struct claims_set *s, double *v,
				  char *f, size_t cap)
{
	const char *m = "makespan_s";

	v[STALL_IN_FLIGHT_C100] = in_flight(s, c, "inline.c100");
	v[STALL_IN_FLIGHT_C10] = in_flight(s, c, "inline.c10");
	v[STALL_FACTOR_C10] = least(s, c, "inline.c10", m) / least(s, c, "offload.c10", m);
	v[STALL_FACTOR_C100] = least(s, c, "inline.c100", m) / least(s, c, "offload.c100", m);
	snprintf(f, cap,
		 "requests.get() inside async def, %.0f ms answers: **%.2f** in flight on average "
		 "at C=100 (%.2f at C=10); the stall factor, its makespan over the same call "
		 "offloaded to threads: **%.1f×** at C=10, **%.1f×** at C=100",
		 fig(s, c, "inline.c100", "io_latency_us") / 1000, v[STALL_IN_FLIGHT_C100],
		 v[STALL_IN_FLIGHT_C10], v[STALL_FACTOR_C10], v[STALL_FACTOR_C100]);
}

/* "open() is a blocking call - it will stall the event loop for the
 * duration of any disk read ... aiofiles wraps file operations in a
 * ThreadPoolExecutor": cold reads inside async def, what overlapped (as
 * requests-stall), against aiofiles; and aiofiles' cost per call over a
 * plain read on a warm cache, one at a time. */
void claim_measure_open_stall(const struct claim *c, const struct claims_set *s, double *v, char *f,
			      size_t cap)
{
	const char *m = "makespan_s";

	v[FILE_IN_FLIGHT_C100] = in_flight(s, c, "inline");
	v[FILE_AIO_IN_FLIGHT_C100] = in_flight(s, c, "aiofiles");
	v[FILE_STALL_X] = least(s, c, "inline", m) / least(s, c, "aiofiles", m);
	v[FILE_READ_US] = least(s, c, "open.warm", m) / fig(s, c, "open.warm", "tasks") * 1e6;
	v[FILE_AIO_COST_US] =
		least(s, c, "aiofiles.warm", m) / fig(s, c, "aiofiles.warm", "tasks") * 1e6 -
		v[FILE_READ_US];
	snprintf(f, cap,
		 "cold reads at C=%.0f on asyncio: open().read() inside async def **%.2f** in "
		 "flight on average, aiofiles %.2f; the stall factor, the inline makespan over "
		 "aiofiles', **%.2f×**; on a warm cache one at a time a plain read takes %.1f µs "
		 "a task, and aiofiles **%.1f µs** more a call",
		 fig(s, c, "inline", "concurrency"), v[FILE_IN_FLIGHT_C100],
		 v[FILE_AIO_IN_FLIGHT_C100], v[FILE_STALL_X], v[FILE_READ_US], v[FILE_AIO_COST_US]);
}

/* The 5 s of asyncio-5s with the client the article's example uses
 * (aiohttp) and the one it names beside it (httpx), in the same program;
 * asyncio streams (asyncio-5s's figure) shown beside them. */
void claim_measure_clients_5s(const struct claim *c, const struct claims_set *s, double *v, char *f,
			      size_t cap)
{
	const char *m = "makespan_s";

	v[CL5_AIOHTTP_S] =
		extrapolated(s, c, "aiohttp", least(s, c, "aiohttp", m), ARTICLE_REQUESTS / 100);
	v[CL5_HTTPX_S] =
		extrapolated(s, c, "httpx", least(s, c, "httpx", m), ARTICLE_REQUESTS / 100);
	v[CL5_STREAMS_S] =
		extrapolated(s, c, "streams", least(s, c, "streams", m), ARTICLE_REQUESTS / 100);
	v[CL5_AIOHTTP_CPU_US] = least_cpu_s(s, c, "aiohttp") / fig(s, c, "aiohttp", "tasks") * 1e6;
	v[CL5_HTTPX_CPU_US] = least_cpu_s(s, c, "httpx") / fig(s, c, "httpx", "tasks") * 1e6;
	v[CL5_STREAMS_CPU_US] = least_cpu_s(s, c, "streams") / fig(s, c, "streams", "tasks") * 1e6;
	snprintf(f, cap,
		 "1,000 requests of 500 ms, 100 at a time, extrapolated from %.0f of %.0f ms %.0f "
		 "at a time (best of the runs): **%.2f s** with aiohttp, **%.2f s** with httpx, "
		 "%.2f s with asyncio streams; CPU per request (the whole run) %.0f, %.0f and "
		 "%.0f µs",
		 fig(s, c, "aiohttp", "tasks"), fig(s, c, "aiohttp", "io_latency_us") / 1000,
		 fig(s, c, "aiohttp", "concurrency"), v[CL5_AIOHTTP_S], v[CL5_HTTPX_S],
		 v[CL5_STREAMS_S], v[CL5_AIOHTTP_CPU_US], v[CL5_HTTPX_CPU_US],
		 v[CL5_STREAMS_CPU_US]);
}

/* --- hundreds in flight on one Uvicorn worker (issue 28) ----------------------
 * The server side: py-fastapi answering at a fixed rate, each request
 * waiting downstream; the requests in flight at once are the answered rate
 * (as the sustain rule reads it: tasks over the makespan less the p50, the
 * last answers' own wait) times the time each spends (Little's law, the
 * median latency standing in for the mean), on a run that kept up. */
/* Answered per second as the sustain rule reads it: the tasks over the
 * makespan less the p50 (the last answers' own wait). */
static double answered_tps(const struct claims_set *s, const struct claim *c, const char *role)
{
	return fig(s, c, role, "tasks") /
	       (fig(s, c, role, "makespan_s") - fig(s, c, role, "lat_p50_us") / 1e6);
}

void claim_measure_uvicorn_in_flight(const struct claim *c, const struct claims_set *s, double *v,
				     char *f, size_t cap)
{
	double p50_s = fig(s, c, "py", "lat_p50_us") / 1e6;
	double tps = fig(s, c, "py", "tasks") / (fig(s, c, "py", "makespan_s") - p50_s);

	v[UVI_IN_FLIGHT] = tps * p50_s;
	v[UVI_SHARE] = tps / fig(s, c, "py", "rate_tps");
	v[UVI_ERRORS] = fig(s, c, "py", "errors");
	v[UVI_BEHIND] = fig(s, c, "py", "gen_behind");
	snprintf(f, cap,
		 "FastAPI async def on one Uvicorn worker, %.0f/s offered over %.0f connections, "
		 "%.0f ms downstream: **%.0f** requests in flight (%.0f/s answered × p50 %.1f ms)",
		 fig(s, c, "py", "rate_tps"), fig(s, c, "py", "concurrency"),
		 fig(s, c, "py", "io_latency_us") / 1000, v[UVI_IN_FLIGHT], tps, p50_s * 1000);
}

/* --- def handlers do not stall the loop (issue 28) ----------------------------
 * The same blocking call (requests.get(), 10 ms) in a def route, which
 * Starlette runs on anyio's threads, and in an async def route, on the
 * loop, offered the same rate: the def route keeps it (its answered share
 * of the offered rate is the figure: 1 is no stall), the async def one
 * cannot (the control: it must stall, or the load proves nothing; a run
 * that fell behind is read as tasks over the whole makespan, since its p50
 * is mostly backlog). */
void claim_measure_def_no_stall(const struct claim *c, const struct claims_set *s, double *v,
				char *f, size_t cap)
{
	double d = answered_tps(s, c, "def");
	double a = fig(s, c, "async", "tasks") / fig(s, c, "async", "makespan_s");

	v[DEF_SHARE] = d / fig(s, c, "def", "rate_tps");
	v[DEF_ASYNC_SHARE] = a / fig(s, c, "async", "rate_tps");
	v[DEF_STALL_X] = d / a;
	v[DEF_ERRORS] = fig(s, c, "def", "errors") + fig(s, c, "async", "errors");
	v[DEF_BEHIND] = fig(s, c, "def", "gen_behind") + fig(s, c, "async", "gen_behind") > 0;
	snprintf(f, cap,
		 "requests.get() of %.0f ms at %.0f/s offered: the def route answers **%.2f** of "
		 "the rate (%.0f/s, p99 %.1f ms), the same call in async def %.2f (%.0f/s, p99 "
		 "%.0f ms): the loop stalled, the def route %.1f× its rate",
		 fig(s, c, "def", "io_latency_us") / 1000, fig(s, c, "def", "rate_tps"),
		 v[DEF_SHARE], d, fig(s, c, "def", "lat_p99_us") / 1000, v[DEF_ASYNC_SHARE], a,
		 fig(s, c, "async", "lat_p99_us") / 1000, v[DEF_STALL_X]);
}
