/* verdicts.c - the seed article's numeric claims: its words, what is
 * measured and how, and the rule that turns the figures of the runs of
 * claims/runs.txt (named there) into a verdict: holds, doesn't hold here,
 * or holds only for CPython. A memory figure is the difference between a
 * run with many in flight and one with few, per extra one: what one more
 * thread, coroutine or process costs, whatever the interpreter itself
 * weighs. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/resource.h>

#include "../lib/util.h"
#include "claims.h"

#define HOLDS "holds"
#define NOT_HERE "doesn't hold here"
#define ONLY_PY "holds only for CPython"
#define UNMEASURED "not measured: a run it reads failed or is not listed"

static double fig(const struct claims_set *s, const char *run, const char *col)
{
	return claims_fig(s, run, col);
}

/* What one more in flight costs: (col of big - col of small) per extra
 * unit of concurrency between the two runs. */
static double per_extra(const struct claims_set *s, const char *big, const char *small,
			const char *col)
{
	double n = fig(s, big, "concurrency") - fig(s, small, "concurrency");

	return n > 0 ? (fig(s, big, col) - fig(s, small, col)) / n : NAN;
}

/* The highest throughput, the least disturbed run. */
static double best(const struct claims_set *s, const char *run, const char *col)
{
	return claims_best(s, run, col, true);
}

/* The shortest set-up, the least disturbed run. */
static double least(const struct claims_set *s, const char *run, const char *col)
{
	return claims_best(s, run, col, false);
}

static double cpu_s(const struct claims_set *s, const char *run)
{
	return fig(s, run, "cpu_user_s") + fig(s, run, "cpu_sys_s");
}

/* The least CPU time a run's tree took over its repetitions: what other work
 * on the machine inflated least (preemption, caches). */
static double least_cpu_s(const struct claims_set *s, const char *run)
{
	return least(s, run, "cpu_user_s") + least(s, run, "cpu_sys_s");
}

static double ctx_per_task(const struct claims_set *s, const char *run)
{
	return (fig(s, run, "ctx_voluntary") + fig(s, run, "ctx_involuntary")) /
	       fig(s, run, "tasks");
}

/* All finite? Otherwise the verdict says what is missing. */
static bool measured(struct claim_result *r, int n, const double *v)
{
	for (int i = 0; i < n; i++)
		if (!isfinite(v[i])) {
			snprintf(r->verdict, sizeof(r->verdict), UNMEASURED);
			return false;
		}
	return true;
}

/* "holds: DETAIL", or "doesn't hold here: DETAIL, not CLAIMED". */
static void judged(struct claim_result *r, bool holds, const char *claimed, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void judged(struct claim_result *r, bool holds, const char *claimed, const char *fmt, ...)
{
	char detail[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	if (holds)
		snprintf(r->verdict, sizeof(r->verdict), HOLDS ": %s", detail);
	else
		snprintf(r->verdict, sizeof(r->verdict), NOT_HERE ": %s, not %s", detail, claimed);
}

/* A size given in KiB, in the unit that suits it. */
static const char *kib(char *b, size_t n, double v)
{
	return fmt_kib(b, n, v, FMT_PROSE);
}

static const char *us(char *b, size_t n, double v)
{
	return fmt_us(b, n, v, FMT_PROSE);
}

static void thread_stack(const struct claims_set *s, struct claim_result *r)
{
	double v[] = { per_extra(s, "threads_c1000", "threads_c10", "pss_peak_kib"),
		       per_extra(s, "py_threads_c1000", "py_threads_c10", "pss_peak_kib") };
	struct rlimit rl = { 0 };
	char a[32], b[32], c[32];

	if (!measured(r, 2, v))
		return;
	getrlimit(RLIMIT_STACK, &rl);
	snprintf(r->figure, sizeof(r->figure),
		 "one more blocked thread: **%s** in C, **%s** in CPython; its stack reserves "
		 "%s of address space (`ulimit -s`), resident only as far as it is touched",
		 kib(a, sizeof(a), v[0]), kib(b, sizeof(b), v[1]),
		 rl.rlim_cur == RLIM_INFINITY ? "unlimited"
					      : kib(c, sizeof(c), (double)rl.rlim_cur / 1024));
	judged(r, v[1] >= 4096, "8 MB", "%s per thread", kib(a, sizeof(a), v[1]));
}

static void thousand_threads(const struct claims_set *s, struct claim_result *r)
{
	double v[] = { fig(s, "threads_c1000", "pss_peak_kib"),
		       fig(s, "py_threads_c1000", "pss_peak_kib") };
	char a[32], b[32];

	if (!measured(r, 2, v))
		return;
	snprintf(r->figure, sizeof(r->figure),
		 "the whole process at 1,000 blocked threads: **%s** in C, **%s** in CPython "
		 "(interpreter included)",
		 kib(a, sizeof(a), v[0]), kib(b, sizeof(b), v[1]));
	judged(r, v[1] >= 4 * 1024 * 1024, "8 GB", "%s", kib(a, sizeof(a), v[1]));
}

static void coroutine(const struct claims_set *s, struct claim_result *r)
{
	double v[] = { per_extra(s, "loop_c1000", "loop_c10", "pss_peak_kib"),
		       per_extra(s, "py_asyncio_c1000", "py_asyncio_c10", "pss_peak_kib") };
	char a[32], b[32];

	if (!measured(r, 2, v))
		return;
	snprintf(r->figure, sizeof(r->figure),
		 "one more request in flight: **%s** in CPython asyncio (its coroutine and Task, "
		 "socket, transport and streams), **%s** in the C loop",
		 kib(a, sizeof(a), v[1]), kib(b, sizeof(b), v[0]));
	judged(r, v[1] * 1024 <= 400, "200 B", "%s per coroutine doing a request",
	       kib(a, sizeof(a), v[1]));
}

static void process_memory(const struct claims_set *s, struct claim_result *r)
{
	double v[] = {
		per_extra(s, "py_procs_exec_c8", "py_procs_exec_c1", "pss_peak_kib"),
		per_extra(s, "py_procs_fork_c8", "py_procs_fork_c1", "pss_peak_kib"),
		fig(s, "py_procs_exec_c8", "rss_peak_kib") /
			fig(s, "py_procs_exec_c8", "processes"),
		per_extra(s, "procs_c8", "procs_c1", "pss_peak_kib"),
	};
	char a[32], b[32], c[32], d[32];

	if (!measured(r, 4, v))
		return;
	snprintf(r->figure, sizeof(r->figure),
		 "one more worker process: **%s** with spawn (`--spawn exec`), **%s** with fork "
		 "(PSS: shared pages counted once); %s each as RSS (what `top` shows); a "
		 "worker of C's process pool: %s",
		 kib(a, sizeof(a), v[0]), kib(b, sizeof(b), v[1]), kib(c, sizeof(c), v[2]),
		 kib(d, sizeof(d), v[3]));
	judged(r, v[0] >= 30 * 1024, "30–100 MB", "%s per process (spawn)",
	       kib(a, sizeof(a), v[0]));
}

/* One more worker, from the least disturbed of the runs with 8 and with 1
 * (the lowest of each figure): its set-up time and its CPU time. */
static void spawn_cost(const struct claims_set *s, const char *c8, const char *c1, double *wall_us,
		       double *cpu_us)
{
	double n = fig(s, c8, "concurrency") - fig(s, c1, "concurrency");

	*wall_us = (least(s, c8, "setup_s") - least(s, c1, "setup_s")) / n * 1e6;
	*cpu_us = (least_cpu_s(s, c8) - least_cpu_s(s, c1)) / n * 1e6;
}

/* A new interpreter's start-up is CPU-bound: its CPU time is how long one
 * spawn takes on an idle core, and it is what other work on the machine
 * disturbs least (8 spawns at once on 2 cores overlap: the set-up time per
 * extra worker is about half of it). */
static void process_spawn(const struct claims_set *s, struct claim_result *r)
{
	double v[6];
	char a[32], b[32], c[32], d[32], e[32];

	spawn_cost(s, "py_procs_exec_c8", "py_procs_exec_c1", &v[0], &v[1]);
	spawn_cost(s, "py_procs_fork_c8", "py_procs_fork_c1", &v[2], &v[3]);
	spawn_cost(s, "procs_c8", "procs_c1", &v[4], &v[5]);
	if (!measured(r, 6, v))
		return;
	snprintf(r->figure, sizeof(r->figure),
		 "one more worker: **%s** of CPU and %s longer set-up with spawn (8 starting at "
		 "once); %s and %s with fork; a C fork: %s of set-up",
		 us(a, sizeof(a), v[1]), us(b, sizeof(b), v[0]), us(c, sizeof(c), v[3]),
		 us(d, sizeof(d), v[2]), us(e, sizeof(e), v[4]));
	/* CPython's spawn start-up is about the claim's low end; fork, the
	 * default on Linux, and a C fork are far from it */
	if (v[1] >= 75000 && v[3] < 75000 && v[4] < 75000)
		snprintf(r->verdict, sizeof(r->verdict),
			 ONLY_PY " with spawn: %s of CPU; with fork (Linux's default) %s",
			 us(a, sizeof(a), v[1]), us(b, sizeof(b), v[3]));
	else
		judged(r, v[1] >= 75000, "100–500 ms", "%s of CPU per process (spawn)",
		       us(a, sizeof(a), v[1]));
}

/* CPU time per request of the whole tree, between a long and a short run:
 * the loop's own cost per request, the start-up cancelled out. */
static double cpu_per_request(const struct claims_set *s, const char *run, const char *base)
{
	return (least_cpu_s(s, run) - least_cpu_s(s, base)) /
	       (fig(s, run, "tasks") - fig(s, base, "tasks")) * 1e6;
}

/* A loop that is busy all the time runs as fast as its CPU per request
 * allows: the ratio of those is the throughput ratio on an idle machine.
 * The throughputs themselves (best of 5) move with other work. */
static void uvloop(const struct claims_set *s, struct claim_result *r)
{
	const char *col = "throughput_tps";
	double v[] = { cpu_per_request(s, "py_asyncio_io", "py_asyncio_io_100"),
		       cpu_per_request(s, "py_uvloop_io", "py_uvloop_io_100"),
		       cpu_per_request(s, "py_asyncio_ka", "py_asyncio_ka_100"),
		       cpu_per_request(s, "py_uvloop_ka", "py_uvloop_ka_100"),
		       best(s, "py_asyncio_io", col),
		       best(s, "py_uvloop_io", col),
		       best(s, "py_asyncio_ka", col),
		       best(s, "py_uvloop_ka", col),
		       best(s, "loop_io", col) };
	double x = v[0] / v[1], xk = v[2] / v[3];
	char a[32], b[32], c[32], d[32];

	if (!measured(r, 9, v))
		return;
	snprintf(r->figure, sizeof(r->figure),
		 "CPU per request, a new connection each: asyncio %s, uvloop %s: **%.2f×**; kept "
		 "alive: %s and %s: **%.2f×**. Requests/s (best of 5): %.0f and %.0f (%.2f×); kept "
		 "alive %.0f and %.0f (%.2f×); the C loop %.0f",
		 us(a, sizeof(a), v[0]), us(b, sizeof(b), v[1]), x, us(c, sizeof(c), v[2]),
		 us(d, sizeof(d), v[3]), xk, v[4], v[5], v[5] / v[4], v[6], v[7], v[7] / v[6],
		 v[8]);
	judged(r, x >= 2 && xk >= 2, "2–4×", "%.2f× and %.2f× less CPU per request", x, xk);
}

static void five_hundred_s(const struct claims_set *s, struct claim_result *r)
{
	const char *m = "makespan_s";
	double v[] = { fig(s, "seq_100x50ms", m) * 100,
		       fig(s, "py_seq_100x50ms", m) * 100,
		       least(s, "loop_100x50ms_c10", m) * 10,
		       least(s, "py_asyncio_100x50ms_c10", m) * 10,
		       least(s, "py_asyncio_100x50ms_c100", m) * 10,
		       least(s, "loop_100x50ms_c100", m) * 10 };
	bool holds;

	if (!measured(r, 6, v))
		return;
	snprintf(r->figure, sizeof(r->figure),
		 "extrapolated from 100 × 50 ms: one after another **%.0f s** (C), **%.0f s** "
		 "(CPython); 100 at a time (aiohttp's default connection limit, which is what "
		 "makes 5 s of 1,000 × 0.5 s) **%.2f s** (C loop), **%.2f s** (asyncio); all at "
		 "once %.2f s (C loop), %.2f s (asyncio)",
		 v[0], v[1], v[2], v[3], v[5], v[4]);
	/* at the article's precision ("~500", "Five seconds"), with room for
	 * the overhead that extrapolating multiplies too */
	holds = fabs(v[1] - 500) <= 100 && v[3] >= 4 && v[3] <= 6.5;
	judged(r, holds, "500 s and 5 s", "%.0f s and %.1f s (scaled down, extrapolated)", v[1],
	       v[3]);
}

static void idle_cpu(const struct claims_set *s, struct claim_result *r)
{
	const char *c100 = "seq_100x50ms", *c1 = "seq_1x50ms";
	const char *p100 = "py_seq_100x50ms", *p1 = "py_seq_1x50ms";
	double n = fig(s, c100, "tasks") - fig(s, c1, "tasks");
	double pn = fig(s, p100, "tasks") - fig(s, p1, "tasks");
	double v[] = { (cpu_s(s, c100) - cpu_s(s, c1)) / n * 1e6,
		       (cpu_s(s, p100) - cpu_s(s, p1)) / pn * 1e6 };
	double busy = v[1] / 500000 * 100;
	char a[32], b[32];

	if (!measured(r, 2, v))
		return;
	snprintf(r->figure, sizeof(r->figure),
		 "CPU per request, one after another: %s (C), %s (CPython); at 500 ms a request "
		 "the CPU is busy **%.3f%%** (C) and **%.3f%%** (CPython) of the time",
		 us(a, sizeof(a), v[0]), us(b, sizeof(b), v[1]), v[0] / 5000, busy);
	judged(r, busy <= 0.5, "~99.9%", "idle %.2f%% of the time", 100 - busy);
}

static void gil(const struct claims_set *s, struct claim_result *r)
{
	const char *t = "throughput_tps";
	double v[] = { best(s, "py_threads_cpu2", t) / best(s, "py_seq_cpu", t),
		       best(s, "threads_cpu2", t) / best(s, "seq_cpu", t),
		       best(s, "py_procs_cpu2", t) / best(s, "py_seq_cpu", t),
		       fig(s, "threads_cpu2", "cores") };

	if (!measured(r, 4, v))
		return;
	snprintf(r->figure, sizeof(r->figure),
		 "speed-up of 2 workers over 1 on CPU work (%.0f cores): CPython threads "
		 "**%.2f×**, C threads **%.2f×**, CPython processes %.2f×",
		 v[3], v[0], v[1], v[2]);
	/* closer to 1× (no speed-up) than to 2× (both cores) */
	if (v[0] >= 1.5)
		snprintf(r->verdict, sizeof(r->verdict), NOT_HERE ": CPython threads %.2f×", v[0]);
	else if (v[1] >= 1.5)
		snprintf(r->verdict, sizeof(r->verdict),
			 ONLY_PY ": threads %.2f× there, %.2f× in C", v[0], v[1]);
	else /* C did not speed up either: the cores were busy with other work */
		snprintf(r->verdict, sizeof(r->verdict),
			 HOLDS " for CPython (%.2f×); C threads got only %.2f× with the cores busy",
			 v[0], v[1]);
}

static void context_switches(const struct claims_set *s, struct claim_result *r)
{
	double v[] = { ctx_per_task(s, "py_asyncio_c1000"), ctx_per_task(s, "py_threads_c1000"),
		       ctx_per_task(s, "loop_c1000"), ctx_per_task(s, "threads_c1000") };

	if (!measured(r, 4, v))
		return;
	snprintf(r->figure, sizeof(r->figure),
		 "context switches per request at 1,000 in flight: asyncio **%.2f**, CPython "
		 "threads %.2f; C loop **%.2f**, C threads %.2f (voluntary and involuntary)",
		 v[0], v[1], v[2], v[3]);
	judged(r, v[0] <= 0.01, "zero", "%.2f per request (threads: %.2f)", v[0], v[1]);
}

const struct claim claims_table[] = {
	{ "500 s one after another, 5 s with asyncio",
	  "Five hundred seconds … Five seconds instead of 500",
	  "1,000 requests of 500 ms, run as 100 of 50 ms: one after another (blocking), and "
	  "with an event loop 10 or all at a time (best of 3); times extrapolated",
	  five_hundred_s },
	{ "the CPU is idle while requests wait",
	  "The CPU sits at 0% utilization for ~99.9% of the run",
	  "CPU time of 100 sequential requests minus 1, per request, against 500 ms", idle_cpu },
	{ "a thread costs 8 MB of stack", "A Python thread requires 8 MB of stack memory",
	  "peak PSS with 1,000 threads blocked on I/O minus 10, per thread", thread_stack },
	{ "1,000 threads take 8 GB", "Spawning 1,000 threads consumes 8 GB just for stacks",
	  "peak PSS of the process with 1,000 threads blocked on I/O", thousand_threads },
	{ "a coroutine costs ~200 bytes", "An asyncio coroutine object is roughly 200 bytes",
	  "peak PSS with 1,000 requests in flight minus 10, per request", coroutine },
	{ "a process costs 30–100 MB", "each process requires 30–100 MB of memory",
	  "peak PSS of a pool of 8 workers minus 1, per worker", process_memory },
	{ "a process takes 100–500 ms to spawn",
	  "spawning a new process takes 100–500 milliseconds",
	  "CPU time and set-up time (not timed in the run) of a pool of 8 workers minus 1, per "
	  "worker",
	  process_spawn },
	{ "uvloop is 2–4× faster", "uvloop delivering 2–4× higher throughput than the default loop",
	  "2,000 requests of 1 ms at C=100, the same program on each loop: CPU per request "
	  "(2,000 minus 100), and throughput",
	  uvloop },
	{ "threads don't speed up CPU work (GIL)",
	  "Python's GIL prevents a single process from using more than one core",
	  "40 tasks of the cpu kernel (~10 ms each) with 2 threads against 1, best of 5", gil },
	{ "the event loop has zero context-switching cost", "zero OS context-switching cost",
	  "context switches of the whole run per request, 1,000 in flight", context_switches },
	{ NULL, NULL, NULL, NULL },
};
