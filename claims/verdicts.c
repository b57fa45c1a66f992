/* verdicts.c - the seed article's numeric claims: its words and its own
 * numbers, whose figure each verdict is on, and how the figures are read
 * from the runs that play each claim's roles (bound in claims/runs.txt).
 * The verdict itself is rule.c's: in the article's range, or within
 * CLAIM_TOL of its single figure, and nothing else.
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

#define KIB_PER_MB 1024.0
#define KIB_PER_GB (1024.0 * 1024.0)

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

static void sequential_500s(const struct claim *c, const struct claims_set *s, double *v, char *f,
			    size_t cap)
{
	const char *m = "makespan_s";

	v[0] = extrapolated(s, c, "py", fig(s, c, "py", m), ARTICLE_REQUESTS);
	v[1] = extrapolated(s, c, "c", fig(s, c, "c", m), ARTICLE_REQUESTS);
	snprintf(f, cap,
		 "1,000 requests of 500 ms one after another, extrapolated from %.0f of %.0f ms: "
		 "**%.0f s** in CPython, %.0f s in C",
		 fig(s, c, "py", "tasks"), fig(s, c, "py", "io_latency_us") / 1000, v[0], v[1]);
}

static void asyncio_5s(const struct claim *c, const struct claims_set *s, double *v, char *f,
		       size_t cap)
{
	const char *m = "makespan_s";

	v[0] = extrapolated(s, c, "py", least(s, c, "py", m), ARTICLE_REQUESTS / 100);
	v[1] = extrapolated(s, c, "c", least(s, c, "c", m), ARTICLE_REQUESTS / 100);
	v[2] = extrapolated(s, c, "py.all", least(s, c, "py.all", m), 1);
	v[3] = extrapolated(s, c, "c.all", least(s, c, "c.all", m), 1);
	snprintf(f, cap,
		 "1,000 requests of 500 ms, 100 at a time (aiohttp's default limit), "
		 "extrapolated from %.0f of %.0f ms %.0f at a time (the same 10 rounds, best of "
		 "3): **%.2f s** with asyncio, %.2f s with the C loop; all at once %.2f s and "
		 "%.2f s",
		 fig(s, c, "py", "tasks"), fig(s, c, "py", "io_latency_us") / 1000,
		 fig(s, c, "py", "concurrency"), v[0], v[1], v[2], v[3]);
}

/* --- the idle CPU ----------------------------------------------------------------
 * "0% utilization for ~99.9% of the run" is a busy share of ~0.1%: judged
 * there, where a relative tolerance means something (±25% of 99.9% would
 * pass anything). */
static void idle_cpu(const struct claim *c, const struct claims_set *s, double *v, char *f,
		     size_t cap)
{
	double pn = fig(s, c, "py", "tasks") - fig(s, c, "py.one", "tasks");
	double cn = fig(s, c, "c", "tasks") - fig(s, c, "c.one", "tasks");
	double py_us = (least_cpu_s(s, c, "py") - least_cpu_s(s, c, "py.one")) / pn * 1e6;
	double c_us = (least_cpu_s(s, c, "c") - least_cpu_s(s, c, "c.one")) / cn * 1e6;
	char a[32], b[32];

	v[0] = py_us / ARTICLE_LATENCY_US * 100;
	v[1] = c_us / ARTICLE_LATENCY_US * 100;
	snprintf(f, cap,
		 "CPU per request, one after another: %s (CPython), %s (C); at 500 ms a request "
		 "the CPU is busy **%.3g%%** (CPython; idle %.2f%%) and %.3g%% (C) of the time",
		 fmt_us(a, sizeof(a), py_us, FMT_PROSE), fmt_us(b, sizeof(b), c_us, FMT_PROSE),
		 v[0], 100 - v[0], v[1]);
}

/* --- threads ---------------------------------------------------------------------- */

static void thread_stack(const struct claim *c, const struct claims_set *s, double *v, char *f,
			 size_t cap)
{
	struct rlimit rl = { 0 };
	char a[32], b[32], d[32];

	v[0] = per_extra(s, c, "py.many", "py.few", "pss_peak_kib");
	v[1] = per_extra(s, c, "c.many", "c.few", "pss_peak_kib");
	getrlimit(RLIMIT_STACK, &rl);
	snprintf(f, cap,
		 "one more thread blocked on I/O (PSS): **%s** in CPython, %s in C; its stack "
		 "reserves %s of address space (`ulimit -s`), resident only as far as it is "
		 "touched",
		 kib(a, sizeof(a), v[0]), kib(b, sizeof(b), v[1]),
		 rl.rlim_cur == RLIM_INFINITY ? "unlimited"
					      : kib(d, sizeof(d), (double)rl.rlim_cur / 1024));
}

static void thousand_threads(const struct claim *c, const struct claims_set *s, double *v, char *f,
			     size_t cap)
{
	char a[32], b[32], d[32];

	v[0] = per_extra(s, c, "py.many", "py.few", "pss_peak_kib") * 1000;
	v[1] = fig(s, c, "py.many", "pss_peak_kib");
	v[2] = per_extra(s, c, "c.many", "c.few", "pss_peak_kib") * 1000;
	snprintf(f, cap,
		 "1,000 threads blocked on I/O, their own memory (1,000 × one more): **%s** in "
		 "CPython, %s in C; the whole CPython process at 1,000: %s",
		 kib(a, sizeof(a), v[0]), kib(b, sizeof(b), v[2]), kib(d, sizeof(d), v[1]));
}

/* --- a coroutine ------------------------------------------------------------------
 * The object itself (the probe: suspended coroutines awaiting one future),
 * and apart from it, what one more request in flight costs. */
static void coroutine(const struct claim *c, const struct claims_set *s, double *v, char *f,
		      size_t cap)
{
	char a[32], b[32], d[32], e[32], g[32], h[32], k[32];

	v[0] = fig(s, c, "py.objects", "coro_tracemalloc_b");
	v[1] = fig(s, c, "py.objects", "coro_pss_b");
	v[2] = fig(s, c, "py.objects", "coro_getsizeof_b");
	v[3] = fig(s, c, "py.objects", "task_tracemalloc_b");
	v[4] = fig(s, c, "py.objects", "task_pss_b");
	v[5] = per_extra(s, c, "py.many", "py.few", "pss_peak_kib") * 1024;
	v[6] = per_extra(s, c, "c.many", "c.few", "pss_peak_kib") * 1024;
	snprintf(f, cap,
		 "one suspended coroutine (%.0f of them awaiting one future): **%s** allocated "
		 "(tracemalloc; `sys.getsizeof` %s), %s of PSS; as an asyncio Task %s (PSS %s). "
		 "Apart: one more *request* in flight (coroutine, Task, socket, transport, "
		 "streams): %s of PSS in CPython asyncio, %s in the C loop",
		 fig(s, c, "py.objects", "n"), claim_fmt_bytes(a, sizeof(a), v[0]),
		 claim_fmt_bytes(b, sizeof(b), v[2]), claim_fmt_bytes(d, sizeof(d), v[1]),
		 claim_fmt_bytes(e, sizeof(e), v[3]), claim_fmt_bytes(g, sizeof(g), v[4]),
		 claim_fmt_bytes(h, sizeof(h), v[5]), claim_fmt_bytes(k, sizeof(k), v[6]));
}

/* --- processes ---------------------------------------------------------------------- */

static void process_memory(const struct claim *c, const struct claims_set *s, double *v, char *f,
			   size_t cap)
{
	char a[32], b[32], d[32], e[32];

	v[0] = per_extra(s, c, "spawn.many", "spawn.few", "pss_peak_kib");
	v[1] = per_extra(s, c, "fork.many", "fork.few", "pss_peak_kib");
	v[2] = fig(s, c, "spawn.many", "rss_peak_kib") / fig(s, c, "spawn.many", "processes");
	v[3] = per_extra(s, c, "c.many", "c.few", "pss_peak_kib");
	snprintf(f, cap,
		 "one more worker process (PSS: shared pages counted once): **%s** with spawn, "
		 "**%s** with fork; %s each as RSS with spawn (what `top` shows); a worker of "
		 "C's process pool: %s",
		 kib(a, sizeof(a), v[0]), kib(b, sizeof(b), v[1]), kib(d, sizeof(d), v[2]),
		 kib(e, sizeof(e), v[3]));
}

/* "spawning a new process takes": the wall-clock time from start() until
 * the process runs, one at a time (the probe), the least of its starts. */
static void process_spawn(const struct claim *c, const struct claims_set *s, double *v, char *f,
			  size_t cap)
{
	double n = fig(s, c, "spawn.many", "concurrency") - fig(s, c, "spawn.few", "concurrency");
	char a[8][32];

	v[0] = fig(s, c, "py.starts", "spawn_min_ms");
	v[1] = fig(s, c, "py.starts", "fork_min_ms");
	v[2] = fig(s, c, "py.starts", "spawn_ms");
	v[3] = fig(s, c, "py.starts", "fork_ms");
	v[4] = fig(s, c, "py.starts", "spawn_cpu_ms");
	v[5] = fig(s, c, "py.starts", "fork_cpu_ms");
	v[6] = fig(s, c, "py.starts", "forkserver_min_ms");
	v[7] = (least(s, c, "spawn.many", "setup_s") - least(s, c, "spawn.few", "setup_s")) / n *
	       1e3;
	snprintf(f, cap,
		 "one process started and running its target, one at a time (least of %.0f; "
		 "median): **%s** (%s) with spawn, **%s** (%s) with fork, %s with forkserver; "
		 "the CPU of one: %s (spawn), %s (fork). A pool of 8 starting at once on %0.f "
		 "cores: %s more set-up per worker with spawn",
		 fig(s, c, "py.starts", "reps"), claim_fmt_ms(a[0], 32, v[0]),
		 claim_fmt_ms(a[1], 32, v[2]), claim_fmt_ms(a[2], 32, v[1]),
		 claim_fmt_ms(a[3], 32, v[3]), claim_fmt_ms(a[4], 32, v[6]),
		 claim_fmt_ms(a[5], 32, v[4]), claim_fmt_ms(a[6], 32, v[5]),
		 fig(s, c, "spawn.many", "cores"), claim_fmt_ms(a[7], 32, v[7]));
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

static void uvloop(const struct claim *c, const struct claims_set *s, double *v, char *f,
		   size_t cap)
{
	const char *t = "throughput_tps";
	char a[4][32];

	v[4] = most(s, c, "asyncio.new", t);
	v[5] = most(s, c, "uvloop.new", t);
	v[6] = most(s, c, "asyncio.keepalive", t);
	v[7] = most(s, c, "uvloop.keepalive", t);
	v[8] = most(s, c, "c.new", t);
	v[0] = v[5] / v[4];
	v[1] = v[7] / v[6];
	v[9] = cpu_per_request(s, c, "asyncio.new", "asyncio.new.short");
	v[10] = cpu_per_request(s, c, "uvloop.new", "uvloop.new.short");
	v[11] = cpu_per_request(s, c, "asyncio.keepalive", "asyncio.keepalive.short");
	v[12] = cpu_per_request(s, c, "uvloop.keepalive", "uvloop.keepalive.short");
	v[2] = v[9] / v[10];
	v[3] = v[11] / v[12];
	snprintf(f, cap,
		 "requests/s (best of 5), asyncio and uvloop: a new connection each %.0f and "
		 "%.0f: **%.2f×**; kept alive %.0f and %.0f: **%.2f×**; the C loop %.0f. CPU "
		 "per request: %s and %s (%.2f×); kept alive %s and %s (%.2f×)",
		 v[4], v[5], v[0], v[6], v[7], v[1], v[8], fmt_us(a[0], 32, v[9], FMT_PROSE),
		 fmt_us(a[1], 32, v[10], FMT_PROSE), v[2], fmt_us(a[2], 32, v[11], FMT_PROSE),
		 fmt_us(a[3], 32, v[12], FMT_PROSE), v[3]);
}

/* --- the GIL ------------------------------------------------------------------------
 * "prevents a single process from using more than one core": 2 threads
 * speed CPU work up by 1×, no more. C threads on the same machine are the
 * control: they must get more than the claim's figure allows, or the
 * machine did not give two cores and the CPython figure proves nothing. */
static void gil(const struct claim *c, const struct claims_set *s, double *v, char *f, size_t cap)
{
	const char *t = "throughput_tps";

	v[0] = most(s, c, "py.two", t) / most(s, c, "py.one", t);
	v[1] = most(s, c, "c.two", t) / most(s, c, "c.one", t);
	v[2] = most(s, c, "py.procs", t) / most(s, c, "py.one", t);
	v[3] = fig(s, c, "c.two", "cores");
	snprintf(f, cap,
		 "speed-up of 2 workers over 1 on CPU work (%.0f cores, best of 5): CPython "
		 "threads **%.2f×**; the control, C threads, %.2f×; CPython processes %.2f×",
		 v[3], v[0], v[1], v[2]);
}

static bool gil_usable(const struct claim *c, const double *v, char *why, size_t cap)
{
	if (v[3] >= 2 && claim_judge_point(v[1], c->lo, CLAIM_TOL) == CLAIM_FAILS && v[1] > c->lo)
		return true;
	snprintf(why, cap,
		 "the control (C threads) got %.2f× from 2 threads on %.0f cores: "
		 "the machine did not give it two",
		 v[1], v[3]);
	return false;
}

/* --- context switches ---------------------------------------------------------------
 * The program's own (cmbench's runner, which reads its records, is taken
 * off: docs/run.md, "Reading a run"), per request. */
static void context_switches(const struct claim *c, const struct claims_set *s, double *v, char *f,
			     size_t cap)
{
	double n = fig(s, c, "py", "tasks");

	v[0] = ctx_per_task(s, c, "py");
	v[1] = fig(s, c, "py", "ctx_voluntary") / n;
	v[2] = fig(s, c, "py", "ctx_involuntary") / n;
	v[3] = ctx_per_task(s, c, "py.threads");
	v[4] = ctx_per_task(s, c, "c");
	v[5] = ctx_per_task(s, c, "c.threads");
	snprintf(f, cap,
		 "OS context switches of the program's processes per request, %.0f in flight: "
		 "CPython asyncio **%.3g** (%.3g voluntary, %.3g involuntary: preempted by other "
		 "work), CPython threads %.3g; the C loop %.3g, C threads %.3g",
		 fig(s, c, "py", "concurrency"), v[0], v[1], v[2], v[3], v[4], v[5]);
}

/* --- issue 20: the article's libraries ------------------------------------------------
 * The libraries the article recommends, each through the --py-http or
 * --py-pg flag of the same Python program (claims/runs.txt says which). */

/* "asyncpg ... consistently 3–5× faster than psycopg2 in high-concurrency
 * benchmarks": the same pg query at C=100, each driver with a pool of 100
 * connections opened before the clock; queries/s, best of the runs. */
static void asyncpg_speed(const struct claim *c, const struct claims_set *s, double *v, char *f,
			  size_t cap)
{
	const char *t = "throughput_tps";

	v[2] = most(s, c, "asyncpg", t);
	v[3] = most(s, c, "psycopg2", t);
	v[4] = most(s, c, "psycopg", t);
	v[5] = most(s, c, "psycopg.async", t);
	v[6] = most(s, c, "c.loop", t);
	v[7] = most(s, c, "c.threads", t);
	v[0] = v[2] / v[3];
	v[1] = v[2] / v[4];
	snprintf(f, cap,
		 "queries/s at C=%.0f (best of the runs): asyncpg on asyncio %.0f, psycopg2 in "
		 "threads %.0f (**%.2f×**), psycopg in threads %.0f (**%.2f×**), psycopg async "
		 "%.0f; the same query in C: libpq on the loop %.0f, in threads %.0f",
		 fig(s, c, "asyncpg", "concurrency"), v[2], v[3], v[0], v[4], v[1], v[5], v[6],
		 v[7]);
}

/* "threading (the GIL releases on C-level blocking)" for sqlite3: 2
 * threads against 1 on the same reads; they overlap fully at 2×. C threads
 * are the control: without a second core the figure proves nothing. */
static void sqlite_threads(const struct claim *c, const struct claims_set *s, double *v, char *f,
			   size_t cap)
{
	const char *t = "throughput_tps";

	v[0] = most(s, c, "py.two", t) / most(s, c, "py.one", t);
	v[1] = most(s, c, "c.two", t) / most(s, c, "c.one", t);
	v[2] = fig(s, c, "c.two", "cores");
	v[3] = most(s, c, "py.one", t);
	v[4] = most(s, c, "c.one", t);
	snprintf(f, cap,
		 "sqlite3 reads, speed-up of 2 threads over 1 (%.0f cores, best of the runs): "
		 "CPython **%.2f×** (%.0f reads/s with one); the control, C threads, %.2f× (%.0f "
		 "reads/s with one)",
		 v[2], v[0], v[3], v[1], v[4]);
}

static bool sqlite_threads_usable(const struct claim *c, const double *v, char *why, size_t cap)
{
	if (v[2] >= 2 && claim_judge_point(v[1], c->lo, CLAIM_TOL) == CLAIM_HOLDS)
		return true;
	snprintf(why, cap,
		 "the control (C threads) got %.2f× from 2 threads on %.0f cores: the machine "
		 "did not give it two",
		 v[1], v[2]);
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

static void requests_stall(const struct claim *c, const struct claims_set *s, double *v, char *f,
			   size_t cap)
{
	const char *m = "makespan_s";

	v[0] = in_flight(s, c, "inline.c100");
	v[1] = in_flight(s, c, "inline.c10");
	v[2] = least(s, c, "inline.c10", m) / least(s, c, "offload.c10", m);
	v[3] = least(s, c, "inline.c100", m) / least(s, c, "offload.c100", m);
	snprintf(f, cap,
		 "requests.get() inside async def, %.0f ms answers: **%.2f** in flight on average "
		 "at C=100 (%.2f at C=10); the stall factor, its makespan over the same call "
		 "offloaded to threads: **%.1f×** at C=10, **%.1f×** at C=100",
		 fig(s, c, "inline.c100", "io_latency_us") / 1000, v[0], v[1], v[2], v[3]);
}

/* The 5 s of asyncio-5s with the client the article's example uses
 * (aiohttp) and the one it names beside it (httpx), in the same program;
 * asyncio streams (asyncio-5s's figure) shown beside them. */
static void clients_5s(const struct claim *c, const struct claims_set *s, double *v, char *f,
		       size_t cap)
{
	const char *m = "makespan_s";

	v[0] = extrapolated(s, c, "aiohttp", least(s, c, "aiohttp", m), ARTICLE_REQUESTS / 100);
	v[1] = extrapolated(s, c, "httpx", least(s, c, "httpx", m), ARTICLE_REQUESTS / 100);
	v[2] = extrapolated(s, c, "streams", least(s, c, "streams", m), ARTICLE_REQUESTS / 100);
	v[3] = least_cpu_s(s, c, "aiohttp") / fig(s, c, "aiohttp", "tasks") * 1e6;
	v[4] = least_cpu_s(s, c, "httpx") / fig(s, c, "httpx", "tasks") * 1e6;
	v[5] = least_cpu_s(s, c, "streams") / fig(s, c, "streams", "tasks") * 1e6;
	snprintf(f, cap,
		 "1,000 requests of 500 ms, 100 at a time, extrapolated from %.0f of %.0f ms %.0f "
		 "at a time (best of the runs): **%.2f s** with aiohttp, **%.2f s** with httpx, "
		 "%.2f s with asyncio streams; CPU per request (the whole run) %.0f, %.0f and "
		 "%.0f µs",
		 fig(s, c, "aiohttp", "tasks"), fig(s, c, "aiohttp", "io_latency_us") / 1000,
		 fig(s, c, "aiohttp", "concurrency"), v[0], v[1], v[2], v[3], v[4], v[5]);
}

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
	  .subjects = { { "CPython", 0 } },
	  .measure = sequential_500s },
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
	  .subjects = { { "CPython asyncio", 0 } },
	  .measure = asyncio_5s },
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
	  .subjects = { { "CPython busy", 0 } },
	  .measure = idle_cpu },
	{ .id = "thread-stack",
	  .roles = "py.many py.few c.many c.few",
	  .claim = "a thread costs 8 MB of stack",
	  .quote = "A Python thread requires 8 MB of stack memory",
	  .how = "peak PSS with 1,000 threads blocked on I/O minus 10, per thread",
	  .article = "8 MB",
	  .lo = 8 * KIB_PER_MB,
	  .hi = 8 * KIB_PER_MB,
	  .fmt = claim_fmt_kib,
	  .subjects = { { "a CPython thread", 0 } },
	  .measure = thread_stack },
	{ .id = "thousand-threads",
	  .roles = "py.many py.few c.many c.few",
	  .claim = "1,000 threads take 8 GB",
	  .quote = "Spawning 1,000 threads consumes 8 GB just for stacks",
	  .how = "what 1,000 threads blocked on I/O add: (peak PSS at 1,000 minus 10) per "
		 "thread, ×1,000",
	  .article = "8 GB",
	  .lo = 8 * KIB_PER_GB,
	  .hi = 8 * KIB_PER_GB,
	  .fmt = claim_fmt_kib,
	  .subjects = { { "1,000 CPython threads", 0 } },
	  .measure = thousand_threads },
	{ .id = "coroutine",
	  .roles = "py.objects py.many py.few c.many c.few",
	  .claim = "a coroutine costs ~200 bytes",
	  .quote = "An asyncio coroutine object is roughly 200 bytes",
	  .how = "10,000 coroutines suspended on one future (models/python/probe_coroutines.py): "
		 "bytes allocated per coroutine (tracemalloc), and PSS; apart, peak PSS of 1,000 "
		 "requests in flight minus 10, per request",
	  .article = "~200 bytes",
	  .lo = 200,
	  .hi = 200,
	  .fmt = claim_fmt_bytes,
	  .subjects = { { "a suspended CPython coroutine", 0 } },
	  .measure = coroutine },
	{ .id = "process-memory",
	  .roles = "spawn.many spawn.few fork.many fork.few c.many c.few",
	  .claim = "a process costs 30–100 MB",
	  .quote = "each process requires 30–100 MB of memory",
	  .how = "peak PSS of a multiprocessing pool of 8 workers minus 1, per worker",
	  .article = "30–100 MB",
	  .lo = 30 * KIB_PER_MB,
	  .hi = 100 * KIB_PER_MB,
	  .fmt = claim_fmt_kib,
	  .subjects = { { "with spawn", 0 }, { "with fork", 1 } },
	  .measure = process_memory },
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
	  .subjects = { { "CPython with spawn", 0 }, { "with fork", 1 } },
	  .measure = process_spawn },
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
	  .subjects = { { "a new connection each", 0 }, { "kept alive", 1 } },
	  .measure = uvloop },
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
	  .subjects = { { "CPython threads", 0 } },
	  .measure = gil,
	  .usable = gil_usable },
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
	  .subjects = { { "CPython asyncio (per request)", 0 } },
	  .measure = context_switches },
	/* issue 20: the article's libraries */
	{ .id = "asyncpg-3-5x",
	  .roles = "asyncpg psycopg2 psycopg psycopg.async c.loop c.threads",
	  .claim = "asyncpg is 3–5× faster than psycopg2 at high concurrency",
	  .quote = "asyncpg … consistently 3–5× faster than psycopg2 in high-concurrency "
		   "benchmarks",
	  .how = "the database server's query (an indexed aggregate) at C=100 on a throw-away "
		 "cluster: asyncpg on asyncio against psycopg2 (and psycopg) in 100 threads, each "
		 "with 100 connections opened before the clock; queries/s, best of the runs",
	  .article = "3–5×",
	  .lo = 3,
	  .hi = 5,
	  .fmt = claim_fmt_times,
	  .subjects = { { "over psycopg2", 0 }, { "over psycopg", 1 } },
	  .measure = asyncpg_speed },
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
	  .subjects = { { "CPython threads", 0 } },
	  .measure = sqlite_threads,
	  .usable = sqlite_threads_usable },
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
	  .subjects = { { "requests.get() at C=100", 0 } },
	  .measure = requests_stall },
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
	  .subjects = { { "aiohttp", 0 }, { "httpx", 1 } },
	  .measure = clients_5s },
	{ .id = NULL },
};
