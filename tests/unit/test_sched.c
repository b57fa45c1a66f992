/* test_sched.c - the release schedule of an open-loop run: const arrivals
 * exactly 1/R apart, poisson arrivals with the right mean gap, seeded (the
 * same seed gives the same schedule, another seed another), and a batch
 * run with no schedule at all. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "unit.h"

#include "harness/cli.h"
#include "lib/sched.h"

static struct run_cfg cfg_of(double rate, uint64_t tasks, bool poisson, uint64_t seed)
{
	struct run_cfg cfg;

	cli_run_defaults(&cfg);
	cfg.rate_tps = rate;
	cfg.tasks = tasks;
	cfg.poisson = poisson;
	cfg.seed = seed;
	return cfg;
}

static void test_batch_has_none(void **state)
{
	struct run_cfg cfg = cfg_of(0, 100, false, 0);
	uint64_t *off = (uint64_t *)1;

	(void)state;
	assert_int_equal(sched_make(&cfg, &off), 0);
	assert_null(off);
}

static void test_const(void **state)
{
	struct run_cfg cfg = cfg_of(5000, 10000, false, 0);
	uint64_t *off;

	(void)state;
	assert_int_equal(sched_make(&cfg, &off), 0);
	assert_int_equal(off[0], 0);
	for (uint64_t i = 1; i < cfg.tasks; i++)
		assert_int_equal(off[i], i * 200000); /* 200 µs apart, no drift */
	sched_free(&cfg, off);
}

static void test_poisson(void **state)
{
	struct run_cfg a = cfg_of(1000, 20000, true, 42), b = a, c = cfg_of(1000, 20000, true, 43);
	uint64_t *oa, *ob, *oc, same = 0;
	double mean, var = 0, gap;

	(void)state;
	assert_int_equal(sched_make(&a, &oa), 0);
	assert_int_equal(sched_make(&b, &ob), 0);
	assert_int_equal(sched_make(&c, &oc), 0);
	mean = (double)oa[a.tasks - 1] / (double)(a.tasks - 1);
	/* mean gap 1 ms within 3%; exponential: sd equals the mean, within 5% */
	assert_true(fabs(mean - 1e6) < 3e4);
	for (uint64_t i = 1; i < a.tasks; i++) {
		assert_true(oa[i] >= oa[i - 1]);
		assert_int_equal(oa[i], ob[i]);
		same += oa[i] == oc[i];
		gap = (double)(oa[i] - oa[i - 1]);
		var += (gap - mean) * (gap - mean);
	}
	assert_true(fabs(sqrt(var / (double)(a.tasks - 2)) - mean) < 0.05 * mean);
	assert_true(same < 10);
	sched_free(&a, oa);
	sched_free(&b, ob);
	sched_free(&c, oc);
}

static void test_too_many(void **state)
{
	struct run_cfg cfg = cfg_of(100, (uint64_t)SCHED_MAX_TASKS + 1, false, 0);
	uint64_t *off;

	(void)state;
	assert_int_equal(sched_make(&cfg, &off), -E2BIG);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_batch_has_none),
		cmocka_unit_test(test_const),
		cmocka_unit_test(test_poisson),
		cmocka_unit_test(test_too_many),
	};

	return unit_run(argc, argv, tests, NULL, NULL);
}
