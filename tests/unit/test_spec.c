/* test_spec.c - the sweep spec parser and its grid expansion
 * (harness/spec/spec_*.c): good specs expand to the expected cells, every kind of
 * bad spec is one line naming file:line and the problem. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "unit.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/spec/spec.h"
#include "models/model.h"
#include "workloads/workload.h"

static const char good[] = "# a comment line\n"
			   "name: unit\n"
			   "reps: 2   # trailing comment\n"
			   "warmup: 0\n"
			   "timeout: 2s\n"
			   "\n"
			   "grid: m\n"
			   "models: sequential, threadpool\n"
			   "share: 0 50 100\n"
			   "task_time: 2ms\n"
			   "concurrency: 1 10\n"
			   "tasks: max(20, C)\n"
			   "\n"
			   "grid: scale\n"
			   "models: sequential threadpool\n"
			   "workload: cpu\n"
			   "cpu: 1ms\n"
			   "concurrency: 1 2 nproc 2*nproc\n"
			   "workers: C\n"
			   "tasks: 10*nproc\n";

static const struct spec_cell *find(const struct spec_cell *c, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(c[i].id, id) == 0)
			return &c[i];
	return NULL;
}

static void test_globals(void **state)
{
	struct spec s;
	char err[SPEC_ERR_MAX] = "";

	(void)state;
	assert_int_equal(spec_parse("x/good.spec", good, &s, err, sizeof(err)), 0);
	assert_string_equal(s.name, "unit");
	assert_int_equal(s.reps, 2);
	assert_int_equal(s.warmup, 0);
	assert_int_equal(s.timeout_us, 2000000);
	assert_int_equal(s.n_grids, 2);
	assert_string_equal(s.grids[0].name, "m");
	assert_int_equal(s.grids[0].n_models, 2);
	assert_int_equal(s.grids[0].n_payload, 1); /* the default 256 */
	assert_int_equal(s.grids[0].payload[0], 256);
	spec_free(&s);
}

static void test_defaults_and_name(void **state)
{
	struct spec s;
	char err[SPEC_ERR_MAX] = "";
	const char *t = "grid: g\nmodels: eventloop\nworkload: io\nio_latency: 1ms\n"
			"concurrency: 5\ntasks: 50\n";

	(void)state;
	assert_int_equal(spec_parse("sweeps/my-spec.txt", t, &s, err, sizeof(err)), 0);
	assert_string_equal(s.name, "my-spec");
	assert_int_equal(s.reps, 3);
	assert_int_equal(s.warmup, 1);
	assert_int_equal(s.timeout_us, 5000000);
	spec_free(&s);
}

/* The share grid: sequential once per share (concurrency 1), threadpool at
 * both levels; share 0 is io, 100 is cpu, 50 is mixed with half of each. */
static void test_expand_share_grid(void **state)
{
	struct spec s;
	struct spec_cell *c;
	const struct spec_cell *x;
	size_t n;
	char err[SPEC_ERR_MAX] = "";

	(void)state;
	assert_int_equal(spec_parse("good.spec", good, &s, err, sizeof(err)), 0);
	assert_int_equal(spec_expand(&s, 2, &c, &n, err, sizeof(err)), 0);
	/* m: 3 shares x (seq + threadpool at 1 and 10); scale: seq + threadpool at 1 2 4 */
	assert_int_equal(n, 3 * 3 + 1 + 3);

	assert_string_equal(c[0].id, "m-sequential-io-s0-c1-n20-io2000us-p256-new");
	assert_string_equal(c[0].grid, "m");
	assert_int_equal(c[0].share_pct, 0);
	assert_int_equal(c[0].cfg.io_latency_us, 2000);
	assert_int_equal(c[0].cpu_us, 0);
	assert_int_equal(c[0].cfg.workers, 2);

	x = find(c, n, "m-threadpool-mixed-s50-c10-n20-io1000us-p256-new-cpu1000us");
	assert_non_null(x);
	assert_true(x->cfg.workload->does_io && x->cfg.workload->does_cpu);
	assert_int_equal(x->cfg.concurrency, 10);
	assert_int_equal(x->cfg.tasks, 20);

	x = find(c, n, "m-threadpool-cpu-s100-c10-n20-cpu2000us");
	assert_non_null(x);
	assert_int_equal(x->cfg.io_latency_us, 0);
	assert_int_equal(x->cfg.payload, 0);
	assert_int_equal(x->cpu_us, 2000);

	/* no sequential cell at concurrency 10 */
	for (size_t i = 0; i < n; i++)
		if (c[i].cfg.model->one_slot)
			assert_int_equal(c[i].cfg.concurrency, 1);
	free(c);
	spec_free(&s);
}

/* The scaling grid: levels 1 2 nproc 2*nproc with nproc 2 are 1 2 4, each
 * once; workers follow C and are part of the id. */
static void test_expand_scaling_grid(void **state)
{
	struct spec s;
	struct spec_cell *c;
	const struct spec_cell *x;
	size_t n;
	char err[SPEC_ERR_MAX] = "";

	(void)state;
	assert_int_equal(spec_parse("good.spec", good, &s, err, sizeof(err)), 0);
	assert_int_equal(spec_expand(&s, 2, &c, &n, err, sizeof(err)), 0);
	x = find(c, n, "scale-sequential-cpu-c1-n20-w1-cpu1000us");
	assert_non_null(x);
	assert_int_equal(x->share_pct, -1);
	x = find(c, n, "scale-threadpool-cpu-c4-n20-w4-cpu1000us");
	assert_non_null(x);
	assert_int_equal(x->cfg.workers, 4);
	assert_null(find(c, n, "scale-threadpool-cpu-c8-n20-w8-cpu1000us"));
	free(c);

	/* on 4 cores the levels are 1 2 4 8 and there are 40 tasks */
	assert_int_equal(spec_expand(&s, 4, &c, &n, err, sizeof(err)), 0);
	assert_non_null(find(c, n, "scale-threadpool-cpu-c8-n40-w8-cpu1000us"));
	free(c);
	spec_free(&s);
}

/* Workload axes: io ignores cpu, cpu ignores io latency, so no duplicates. */
static void test_expand_workload_axes(void **state)
{
	struct spec s;
	struct spec_cell *c;
	size_t n;
	char err[SPEC_ERR_MAX] = "";
	const char *t = "grid: w\nmodels: eventloop\nworkload: io cpu mixed\n"
			"io_latency: 1ms 2ms\ncpu: 100us\npayload: 0 1000\nconn: new keepalive\n"
			"concurrency: 3\ntasks: 9\n";

	(void)state;
	assert_int_equal(spec_parse("w.spec", t, &s, err, sizeof(err)), 0);
	assert_int_equal(spec_expand(&s, 2, &c, &n, err, sizeof(err)), 0);
	/* io: 2 latencies x 2 payloads x 2 conns; cpu: 1; mixed: 2 x 1 x 2 x 2 */
	assert_int_equal(n, 8 + 1 + 8);
	assert_non_null(find(c, n, "w-eventloop-io-c3-n9-io2000us-p1000-ka"));
	assert_non_null(find(c, n, "w-eventloop-cpu-c3-n9-cpu100us"));
	assert_non_null(find(c, n, "w-eventloop-mixed-c3-n9-io1000us-p0-new-cpu100us"));
	free(c);
	spec_free(&s);
}

static void test_eval(void **state)
{
	char err[SPEC_ERR_MAX];
	long long v;

	(void)state;
	assert_int_equal(spec_eval("max(200, C)", 1000, 2, &v, err, sizeof(err)), 0);
	assert_int_equal(v, 1000);
	assert_int_equal(spec_eval("max(200, C)", 10, 2, &v, err, sizeof(err)), 0);
	assert_int_equal(v, 200);
	assert_int_equal(spec_eval("2*nproc+1", -1, 2, &v, err, sizeof(err)), 0);
	assert_int_equal(v, 5);
	assert_int_equal(spec_eval(" ( 1 + 2 ) * 3 - min(4, 2) ", -1, 1, &v, err, sizeof(err)), 0);
	assert_int_equal(v, 7);
	assert_int_equal(spec_eval("C/3", 10, 1, &v, err, sizeof(err)), 0);
	assert_int_equal(v, 3);
	assert_int_equal(spec_eval("1/0", -1, 1, &v, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "division by zero"));
	assert_int_equal(spec_eval("C", -1, 1, &v, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "C (the concurrency) cannot be used here"));
	assert_int_equal(spec_eval("max(1", -1, 1, &v, err, sizeof(err)), -EINVAL);
	assert_int_equal(spec_eval("nprocs", -1, 1, &v, err, sizeof(err)), -EINVAL);
	assert_int_equal(spec_eval("2 3", -1, 1, &v, err, sizeof(err)), -EINVAL);
	assert_int_equal(spec_eval("99999999999", -1, 1, &v, err, sizeof(err)), -EINVAL);
}

struct bad {
	const char *text;  /* the spec */
	const char *where; /* the expected "file:line: " prefix */
	const char *what;  /* a part of the message */
};

#define G "grid: g\nmodels: threadpool\nworkload: io\nio_latency: 1ms\nconcurrency: 2\ntasks: 9\n"

static const struct bad bads[] = {
	{ "reps: 3\nfoo: 1\n" G, "bad.spec:2: ", "unknown key 'foo'" },
	{ "reps: x\n" G, "bad.spec:1: ", "reps: 'x' is not a whole number" },
	{ "reps: 0\n" G, "bad.spec:1: ", "out of range" },
	{ "reps: 3\nreps: 4\n" G, "bad.spec:2: ", "given twice" },
	{ "timeout: 5 parsecs\n" G, "bad.spec:1: ", "takes one value" },
	{ "timeout: 5parsecs\n" G, "bad.spec:1: ", "needs a unit" },
	{ "just words\n" G, "bad.spec:1: ", "expected 'key: value'" },
	{ "models: threadpool\n" G, "bad.spec:1: ", "belongs to a grid" },
	{ G "timeout: 3s\n", "bad.spec:7: ", "a global key" },
	{ "grid: g\nmodels: threadpool nosuch\n", "bad.spec:2: ", "unknown model 'nosuch'" },
	{ "grid: g\nmodels:\n", "bad.spec:2: ", "models: no value (an empty list)" },
	{ "grid: g\nmodels: threadpool\nconcurrency: 1\ntasks: 10\n",
	  "bad.spec:1: ", "no workload" },
	{ "grid: g\nmodels: threadpool\nworkload: io\nconcurrency: 1\ntasks: 9\n",
	  "bad.spec:1: ", "needs io_latency" },
	{ "grid: g\nmodels: threadpool\nworkload: cpu\nio_latency: 1ms\ncpu: 1ms\n"
	  "concurrency: 1\ntasks: 9\n",
	  "bad.spec:1: ", "io_latency: is unused" },
	{ "x: 1\n\ngrid: g\nmodels: threadpool\nshare: 0 50\nconcurrency: 1\ntasks: 9\n",
	  "bad.spec:1: ", "unknown key 'x'" },
	{ "\n\ngrid: g\nmodels: threadpool\nshare: 0 50\nconcurrency: 1\ntasks: 9\n",
	  "bad.spec:3: ", "share: needs task_time:" },
	{ "grid: g\nmodels: threadpool\nshare: 0 101\n", "bad.spec:3: ", "out of range" },
	{ "grid: g\nmodels: threadpool\nworkload: disk\n", "bad.spec:3: ", "unknown workload" },
	{ "grid: g\nmodels: threadpool\nconn: reuse\n", "bad.spec:3: ", "not new or keepalive" },
	{ "grid: g\nmodels: threadpool\ntasks: max(1\n", "bad.spec:3: ", "tasks:" },
	{ "grid: g\nmodels: threadpool\nconcurrency: C\n", "bad.spec:3: ", "cannot be used" },
	{ "grid: g\nmodels: threadpool\nmodels: forkpool\n", "bad.spec:3: ", "given twice" },
	{ G G, "bad.spec:7: ", "grid: 'g' is already defined on line 1" },
	{ "grid: Big\n", "bad.spec:1: ", "may hold only" },
	{ "# nothing\n", "bad.spec:1: ", "no grid: line" },
	{ "reps: 9..3\n" G, "bad.spec:1: ", "MIN is above MAX" },
	{ "reps: 0..3\n" G, "bad.spec:1: ", "out of range" },
	{ "reps: 3..\n" G, "bad.spec:1: ", "reps:" },
	{ "ci: -1%\n" G, "bad.spec:1: ", "ci: '-1%' is not a percent" },
	{ "ci: 3\n" G, "bad.spec:1: ", "ci: '3' is not a percent" },
	{ "budget: 10\n" G, "bad.spec:1: ", "needs a unit" },
	{ "grid: g\nmodels: threadpool tp-b=threadpool tp-b=forkpool\n",
	  "bad.spec:2: ", "'tp-b' is listed twice" },
	{ "grid: g\nmodels: threadpool threadpool=forkpool\n",
	  "bad.spec:2: ", "label 'threadpool' is the name of a model" },
	{ "grid: g\nmodels: threadpool b=nosuch\n", "bad.spec:2: ", "unknown model 'nosuch'" },
	{ "grid: g\nmodels: threadpool B_x=threadpool\n", "bad.spec:2: ", "may hold only" },
	{ "grid: g\nmodels: threadpool\ncpu_scale: b=1.1\n",
	  "bad.spec:3: ", "'b' is not a model of this grid" },
	{ "grid: g\nmodels: threadpool b=threadpool\ncpu_scale: b=99\n",
	  "bad.spec:3: ", "not a number from 0.1 to 10" },
	{ "", "bad.spec:1: ", "no grid: line" },
	{ "equiv: 0%\n" G, "bad.spec:1: ", "equiv: '0%' is not a percent above 0 and below 100" },
	{ "equiv: -5%\n" G, "bad.spec:1: ", "equiv: '-5%' is not a percent" },
	{ "equiv: 100%\n" G, "bad.spec:1: ", "equiv: '100%' is not a percent" },
	{ "equiv: 250%\n" G, "bad.spec:1: ", "equiv: '250%' is not a percent" },
	{ "equiv: 5\n" G, "bad.spec:1: ", "equiv: '5' is not a percent" },
	{ "grid: g\nequiv: 5% 6%\n", "bad.spec:2: ", "takes one value" },
	{ "stop: soon\n" G, "bad.spec:1: ", "stop: 'soon' is not decided or ci" },
	/* stop: ci cannot honour a margin below ci * sqrt(2): the equiv: line */
	{ "stop: ci\nci: 4%\n\nequiv: 5%\n" G, "bad.spec:4: ", "cannot be honoured by stop: ci" },
	{ "ci: 4%\n" G "equiv: 5%\nstop: ci\n", "bad.spec:8: ", "use stop: decided, or ci: below" },
	{ "equiv: 2%\n" G "stop: ci\n", "bad.spec:1: ", "equiv: 2% cannot be honoured" },
};

static void test_bad_specs(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		struct spec s;
		char err[SPEC_ERR_MAX] = "";
		int rc = spec_parse("bad.spec", bads[i].text, &s, err, sizeof(err));

		if (rc != -EINVAL || strncmp(err, bads[i].where, strlen(bads[i].where)) != 0 ||
		    !strstr(err, bads[i].what) || strchr(err, '\n'))
			fail_msg("bad spec %zu: rc %d, message '%s', wanted '%s...%s'", i, rc, err,
				 bads[i].where, bads[i].what);
	}
}

/* An expression that parses but gives a value below 1 fails at expansion,
 * naming the grid and its line. */
static void test_expand_errors(void **state)
{
	struct spec s;
	struct spec_cell *c = NULL;
	size_t n = 0;
	char err[SPEC_ERR_MAX] = "";
	const char *t = "grid: g\nmodels: threadpool\nworkload: io\nio_latency: 1ms\n"
			"concurrency: 4\ntasks: C - 4\n";

	(void)state;
	assert_int_equal(spec_parse("e.spec", t, &s, err, sizeof(err)), 0);
	assert_int_equal(spec_expand(&s, 2, &c, &n, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "grid g (line 6)"));
	assert_non_null(strstr(err, "must be at least 1"));
	spec_free(&s);

	/* sequential's one cell competes at every level: tasks may not vary */
	t = "grid: g\nmodels: sequential threadpool\nworkload: io\nio_latency: 1ms\n"
	    "concurrency: 1 1000\ntasks: max(200, C)\n";
	assert_int_equal(spec_parse("e.spec", t, &s, err, sizeof(err)), 0);
	assert_int_equal(spec_expand(&s, 2, &c, &n, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "the same at every concurrency level"));
	spec_free(&s);
	t = "grid: g\nmodels: threadpool\nworkload: io\nio_latency: 1ms\n"
	    "concurrency: 1 1000\ntasks: max(200, C)\n";
	assert_int_equal(spec_parse("e.spec", t, &s, err, sizeof(err)), 0);
	assert_int_equal(spec_expand(&s, 2, &c, &n, err, sizeof(err)), 0);
	free(c);
	spec_free(&s);
}

/* folklore: lines are data: a range of shares, what it says, the models. */
static void test_folklore(void **state)
{
	struct spec s;
	char err[SPEC_ERR_MAX] = "";
	const struct spec_folklore *f;
	const char *t = "grid: g\nmodels: threadpool forkpool\nshare: 0 50 100\ntask_time: 1ms\n"
			"concurrency: 4\ntasks: 8\n"
			"folklore: 0 | event loop | eventloop\n"
			"folklore: 1-99 | threads, surely | threadpool, forkpool\n";

	(void)state;
	assert_int_equal(spec_parse("f.spec", t, &s, err, sizeof(err)), 0);
	assert_int_equal(s.grids[0].n_folklore, 2);
	f = spec_folklore_at(&s.grids[0], 50);
	assert_non_null(f);
	assert_int_equal(f->lo, 1);
	assert_int_equal(f->hi, 99);
	assert_string_equal(f->says, "threads, surely");
	assert_int_equal(f->n_models, 2);
	assert_ptr_equal(f->models[1], model_find("forkpool"));
	assert_string_equal(spec_folklore_at(&s.grids[0], 0)->says, "event loop");
	assert_null(spec_folklore_at(&s.grids[0], 100));
	spec_free(&s);
	/* the parts are checked like every other key */
	t = "grid: g\nfolklore: 0 | event loop\n";
	assert_int_equal(spec_parse("f.spec", t, &s, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "f.spec:2: folklore: expected"));
	t = "grid: g\nfolklore: 60-40 | x | threadpool\n";
	assert_int_equal(spec_parse("f.spec", t, &s, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "backwards"));
	t = "grid: g\nfolklore: 0 | x | nosuch\n";
	assert_int_equal(spec_parse("f.spec", t, &s, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "unknown model 'nosuch'"));
}

/* The cells carry the whole run: defaults filled, the spec's timeout, the
 * workload from the table, and a run_cfg that cli_format_run can print. */
static void test_cells_carry_run_cfg(void **state)
{
	struct spec s;
	struct spec_cell *c;
	size_t n;
	char err[SPEC_ERR_MAX] = "";

	(void)state;
	assert_int_equal(spec_parse("good.spec", good, &s, err, sizeof(err)), 0);
	assert_int_equal(spec_expand(&s, 2, &c, &n, err, sizeof(err)), 0);
	for (size_t i = 0; i < n; i++) {
		assert_non_null(c[i].cfg.model);
		assert_non_null(c[i].cfg.workload);
		assert_int_equal(c[i].cfg.timeout_us, 2000000);
		assert_int_equal(c[i].cfg.cpu_iters, 0); /* the sweep calibrates it */
		assert_true(c[i].cfg.workload->does_io ==
			    (c[i].share_pct != 100 && c[i].share_pct != -1));
	}
	free(c);
	spec_free(&s);
}

static void test_load_missing(void **state)
{
	struct spec s;
	char err[SPEC_ERR_MAX] = "";

	(void)state;
	assert_int_equal(spec_load("/nonexistent/x.spec", &s, NULL, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "/nonexistent/x.spec: cannot open"));
}

/* The shipped specs parse, and their matrix reaches concurrency 1000. */
/* reps: MIN..MAX and ci: globally and per grid; a label runs its model
 * under a new name, with its own cpu_scale, in a cell id of its own. */
static void test_rounds_and_labels(void **state)
{
	struct spec s;
	struct spec_cell *c;
	size_t n;
	char err[SPEC_ERR_MAX] = "";
	const char *t = "reps: 5..15\nci: 2.5%\nbudget: 60s\n"
			"grid: g\nmodels: threadpool tp-b=threadpool\ncpu_scale: tp-b=1.1\n"
			"share: 100\ntask_time: 1ms\nconcurrency: 2\ntasks: 9\n"
			"grid: h\nreps: 3\nci: 10%\nbudget: 5s\nmodels: threadpool\nworkload: io\n"
			"io_latency: 1ms\nconcurrency: 2\ntasks: 9\n";
	const struct spec_cell *a, *b, *h;

	(void)state;
	if (spec_parse("r.spec", t, &s, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(s.reps, 5);
	assert_int_equal(s.reps_max, 15);
	assert_true(s.ci_pct == 2.5);
	assert_int_equal(s.budget_us, 60000000);
	assert_int_equal(spec_expand(&s, 2, &c, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 3);
	a = find(c, n, "g-threadpool-cpu-s100-c2-n9-cpu1000us");
	b = find(c, n, "g-tp-b-cpu-s100-c2-n9-cpu1000us");
	h = find(c, n, "h-threadpool-io-c2-n9-io1000us-p256-new");
	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(h);
	assert_string_equal(b->label, "tp-b");
	assert_ptr_equal(b->cfg.model, a->cfg.model);
	assert_true(b->cpu_scale == 1.1 && a->cpu_scale == 1);
	assert_true(a->reps == 5 && a->reps_max == 15 && a->ci_pct == 2.5);
	assert_true(h->reps == 3 && h->reps_max == 3 && h->ci_pct == 10);
	assert_int_equal(h->budget_us, 5000000);
	assert_int_equal(a->budget_us, 60000000);
	free(c);
	spec_free(&s);
}

/* equiv: and stop:, global and per grid, reach the cells; the default
 * is stop when decided at a 5% margin; stop: ci at a narrow enough ci:
 * honours a margin. */
static void test_equiv_and_stop(void **state)
{
	struct spec s;
	struct spec_cell *c;
	size_t n;
	char err[SPEC_ERR_MAX] = "";
	const char *t = "equiv: 10%\n"
			"grid: g\nmodels: threadpool\nworkload: io\nio_latency: 1ms\n"
			"concurrency: 2\ntasks: 9\n"
			"grid: h\nequiv: 2.5%\nstop: ci\nci: 1%\nmodels: threadpool\nworkload: io\n"
			"io_latency: 1ms\nconcurrency: 2\ntasks: 9\n";
	const struct spec_cell *g, *h;
	double alpha, margin;

	(void)state;
	if (spec_parse("e.spec", t, &s, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_true(s.equiv_pct == 10 && !s.stop_ci);
	assert_int_equal(spec_expand(&s, 2, &c, &n, err, sizeof(err)), 0);
	g = find(c, n, "g-threadpool-io-c2-n9-io1000us-p256-new");
	h = find(c, n, "h-threadpool-io-c2-n9-io1000us-p256-new");
	assert_non_null(g);
	assert_non_null(h);
	assert_true(g->equiv_pct == 10 && !g->stop_ci);
	assert_true(h->equiv_pct == 2.5 && h->stop_ci && h->ci_pct == 1);
	spec_grid_rule(&s, spec_grid_find(&s, "h"), &alpha, &margin);
	assert_true(alpha == 0.05 && margin == 0.025); /* stop: ci: one look */
	free(c);
	spec_free(&s);
	if (spec_parse("d.spec", good, &s, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_true(s.equiv_pct == 5 && !s.stop_ci);
	spec_grid_rule(&s, &s.grids[0], &alpha, &margin);
	assert_true(alpha == 0.05 && margin == 0.05); /* reps: 2, one look */
	s.reps_max = 11;
	spec_grid_rule(&s, &s.grids[0], &alpha, &margin);
	assert_true(fabs(alpha - 0.005) < 1e-15); /* 2..11: ten looks */
	spec_free(&s);
}

static void test_shipped_specs(void **state)
{
	static const char *const files[] = { "sweeps/default", "sweeps/quick" };
	static const char *const ids[] = {
		"matrix-forkpool-mixed-s50-c1000-n1000-io500us-p256-new-cpu500us",
		"matrix-forkpool-mixed-s50-c1000-n1000-io125us-p256-new-cpu125us",
	};
	struct spec s;
	struct spec_cell *c;
	size_t n;
	char err[SPEC_ERR_MAX] = "";

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		if (spec_load(files[i], &s, NULL, err, sizeof(err)) != 0)
			fail_msg("%s", err);
		assert_int_equal(spec_expand(&s, 2, &c, &n, err, sizeof(err)), 0);
		assert_true(n > 20 && n < 400);
		assert_non_null(find(c, n, ids[i]));
		assert_non_null(spec_folklore_at(spec_grid_find(&s, "matrix"), 50));
		free(c);
		spec_free(&s);
	}
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_globals),
		cmocka_unit_test(test_defaults_and_name),
		cmocka_unit_test(test_expand_share_grid),
		cmocka_unit_test(test_expand_scaling_grid),
		cmocka_unit_test(test_expand_workload_axes),
		cmocka_unit_test(test_eval),
		cmocka_unit_test(test_bad_specs),
		cmocka_unit_test(test_expand_errors),
		cmocka_unit_test(test_folklore),
		cmocka_unit_test(test_cells_carry_run_cfg),
		cmocka_unit_test(test_load_missing),
		cmocka_unit_test(test_rounds_and_labels),
		cmocka_unit_test(test_equiv_and_stop),
		cmocka_unit_test(test_shipped_specs),
	};

	return unit_run(argc, argv, tests, NULL, NULL);
}
