/* test_spec_rate.c - the open-loop keys of a sweep spec (rate:, arrivals:,
 * duration:, slo:, a grid's own reps: and warmup:) and their expansion:
 * absolute rates get their tasks at once, relative ones wait for the
 * sweep's capacity run (spec_capacity_id, spec_cell_set_rate). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "unit.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/spec/spec.h"
#include "harness/set/sustain.h"

static const char spec_text[] = "reps: 3\n"
				"grid: latency\n"
				"models: sequential threadpool\n"
				"workload: io\n"
				"io_latency: 10ms\n"
				"concurrency: 8\n"
				"tasks: 100\n"
				"rate: 10% 70% 200 2.5\n"
				"arrivals: poisson\n"
				"duration: 2s\n"
				"slo: 50ms\n"
				"reps: 1\n"
				"warmup: 0\n";

static const struct spec_cell *find(const struct spec_cell *c, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(c[i].id, id) == 0)
			return &c[i];
	return NULL;
}

static void test_parse(void **state)
{
	struct spec s;
	char err[SPEC_ERR_MAX] = "";
	const struct spec_grid *g;

	(void)state;
	assert_int_equal(spec_parse("r.spec", spec_text, &s, err, sizeof(err)), 0);
	g = &s.grids[0];
	assert_int_equal(g->n_rates, 4);
	assert_true(g->rate_rel[0] && g->rate_rel[1] && !g->rate_rel[2] && !g->rate_rel[3]);
	assert_true(g->rates[1] == 70 && g->rates[3] == 2.5);
	assert_true(g->poisson);
	assert_int_equal(g->duration_us, 2000000);
	assert_int_equal(g->slo_us, 50000);
	assert_int_equal(s.reps, 3);
	assert_true(g->own_reps && g->reps == 1 && g->own_warmup && g->warmup == 0);
	spec_free(&s);
}

static void test_defaults(void **state)
{
	static const char t[] = "grid: g\nmodels: threadpool\nworkload: io\nio_latency: 1ms\n"
				"concurrency: 2\ntasks: 10\nrate: 50%\n";
	struct spec s;
	char err[SPEC_ERR_MAX] = "";

	(void)state;
	assert_int_equal(spec_parse("d.spec", t, &s, err, sizeof(err)), 0);
	assert_int_equal(s.grids[0].slo_us, SPEC_SLO_US);
	assert_int_equal(s.grids[0].duration_us, SPEC_DURATION_US);
	assert_false(s.grids[0].poisson);
	assert_false(s.grids[0].own_reps);
	spec_free(&s);
}

static void test_expand(void **state)
{
	struct spec s;
	struct spec_cell *c = NULL;
	const struct spec_cell *x;
	size_t n = 0;
	char err[SPEC_ERR_MAX] = "", cap[SPEC_ID_MAX];

	(void)state;
	assert_int_equal(spec_parse("r.spec", spec_text, &s, err, sizeof(err)), 0);
	assert_int_equal(spec_expand(&s, 2, &c, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 8); /* 2 models x 4 rates */
	x = find(c, n, "latency-threadpool-io-c8-l70pct-d2000ms-poisson-io10000us-p256-new");
	assert_non_null(x);
	assert_int_equal(x->load_pct, 70);
	assert_int_equal(x->batch_tasks, 100);
	assert_int_equal(x->reps, 1);
	assert_int_equal(x->warmup, 0);
	assert_true(x->cfg.poisson);
	spec_capacity_id(x, cap);
	assert_string_equal(cap, "latency-threadpool-io-c8-n100-io10000us-p256-new");
	/* 70% of 1000 tasks/s for 2 s */
	spec_cell_set_rate((struct spec_cell *)x, 1000);
	assert_true(x->cfg.rate_tps > 699.9 && x->cfg.rate_tps < 700.1);
	assert_int_equal(x->cfg.tasks, 1400);
	x = find(c, n, "latency-sequential-io-c1-r200tps-d2000ms-poisson-io10000us-p256-new");
	assert_non_null(x);
	assert_int_equal(x->load_pct, 0);
	assert_true(x->cfg.rate_tps == 200);
	assert_int_equal(x->cfg.tasks, 400);
	/* a slow absolute rate still runs a few tasks */
	x = find(c, n, "latency-sequential-io-c1-r2.5tps-d2000ms-poisson-io10000us-p256-new");
	assert_non_null(x);
	assert_int_equal(x->cfg.tasks, SPEC_OPEN_MIN_TASKS);
	free(c);
	spec_free(&s);
}

static void bad(const char *rate_line, const char *want)
{
	char t[512], err[SPEC_ERR_MAX] = "";
	struct spec s;

	snprintf(t, sizeof(t),
		 "grid: g\nmodels: threadpool\nworkload: io\nio_latency: 1ms\n"
		 "concurrency: 2\ntasks: 10\n%s\n",
		 rate_line);
	assert_int_equal(spec_parse("b.spec", t, &s, err, sizeof(err)), -EINVAL);
	if (!strstr(err, want))
		fail_msg("'%s': got '%s', want '%s'", rate_line, err, want);
	assert_non_null(strstr(err, "b.spec:7:"));
}

static void test_bad(void **state)
{
	(void)state;
	bad("rate: 0", "is not a rate");
	bad("rate: -5", "is not a rate");
	bad("rate: fast", "is not a rate");
	bad("rate: 50%%", "is not a rate");
	bad("rate: 2000%", "is not a rate");
	bad("rate: 12.5%", "whole number");
	bad("rate: 10% 10%", "listed twice");
	bad("arrivals: bursty", "not const or poisson");
	bad("duration: 10us", "duration");
	bad("slo: soon", "slo");
}

/* rate: search needs slo:; alone it runs the searched rate (100%); its
 * cells run the same tasks, at least 1,000, whatever the rate. */
static void test_search(void **state)
{
	static const char head[] = "grid: g\nmodels: sequential threadpool\nworkload: io\n"
				   "io_latency: 1ms\nconcurrency: 2\ntasks: 10\n";
	char t[512], err[SPEC_ERR_MAX] = "";
	struct spec_cell *cells;
	struct spec s;
	size_t n;

	(void)state;
	snprintf(t, sizeof(t), "%srate: search 30%%\n", head);
	assert_int_equal(spec_parse("s.spec", t, &s, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "rate: search needs slo:"));
	snprintf(t, sizeof(t), "%srate: search search\nslo: 50ms\n", head);
	assert_int_equal(spec_parse("s.spec", t, &s, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "listed twice"));
	snprintf(t, sizeof(t), "%srate: search\nslo: 50ms\n", head);
	assert_int_equal(spec_parse("s.spec", t, &s, err, sizeof(err)), 0);
	assert_true(s.grids[0].rate_search && s.grids[0].n_rates == 1 &&
		    s.grids[0].rates[0] == 100 && s.grids[0].rate_rel[0]);
	spec_free(&s);
	snprintf(t, sizeof(t), "%srate: search 30%% 70%%\nslo: 50ms\n", head);
	assert_int_equal(spec_parse("s.spec", t, &s, err, sizeof(err)), 0);
	assert_int_equal(spec_expand(&s, 2, &cells, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 4);
	for (size_t i = 0; i < n; i++) {
		assert_true(cells[i].search);
		assert_non_null(strstr(cells[i].id, "-search"));
		spec_cell_set_rate(&cells[i], i % 2 ? 5000 : 3);
		assert_int_equal(cells[i].cfg.tasks, SPEC_CURVE_MIN_TASKS);
	}
	free(cells);
	spec_free(&s);
}

/* The sustained-rate rule: each of its four conditions can fail alone. */
static void test_sustain(void **state)
{
	struct sustain_run ok = { .clean = true,
				  .rate_tps = 1000,
				  .tasks = 2000,
				  .makespan_s = 2.002,
				  .p50_us = 2000,
				  .p99_us = 5000,
				  .p50_first_us = 2000,
				  .p50_last_us = 2100 },
			   r;

	(void)state;
	assert_int_equal(sustain_judge(&ok, 100000), SUSTAIN_OK);
	r = ok, r.clean = false;
	assert_int_equal(sustain_judge(&r, 100000), SUSTAIN_DIRTY);
	assert_int_equal(sustain_judge(&ok, 4000), SUSTAIN_SLO);
	r = ok, r.makespan_s = 2.1; /* 2000 tasks in 2.098 s: 953/s of 1000 */
	assert_int_equal(sustain_judge(&r, 100000), SUSTAIN_BEHIND);
	r = ok, r.p50_last_us = 4100;
	assert_int_equal(sustain_judge(&r, 100000), SUSTAIN_GROWING);
	r = ok, r.p50_first_us = r.p50_last_us = 0.0 / 0.0; /* unknown: not judged */
	assert_int_equal(sustain_judge(&r, 100000), SUSTAIN_OK);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),  cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_expand), cmocka_unit_test(test_bad),
		cmocka_unit_test(test_search), cmocka_unit_test(test_sustain),
	};

	return unit_run(argc, argv, tests, NULL, NULL);
}
