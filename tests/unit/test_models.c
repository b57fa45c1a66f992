/* test_models.c - every model of the table, driven in-process through the
 * handshake (no monitor, no fork of a trial), on a tiny cpu workload: all
 * tasks complete, none fails, and the checksum is the fold of the kernel's
 * results, whatever the model. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "harness/cli.h"
#include "harness/clock.h"
#include "models/model.h"
#include "workloads/workload.h"

struct test_ctl {
	struct trial_ctl ctl;
	int go, end; /* how often each was called */
	uint64_t t0;
};

static uint64_t t_go(struct trial_ctl *c)
{
	struct test_ctl *t = c->priv;

	t->go++;
	t->t0 = clock_now_ns();
	return t->t0;
}

static void t_end(struct trial_ctl *c)
{
	((struct test_ctl *)c->priv)->end++;
}

static uint64_t expected_checksum(uint64_t tasks, uint64_t iters)
{
	uint64_t sum = 0;

	for (uint64_t id = 0; id < tasks; id++)
		sum = checksum_fold(sum, id, cpu_kernel(mix64(id), iters));
	return sum;
}

static void run_model(const struct model_ops *m, uint64_t tasks, uint64_t conc)
{
	struct test_ctl t = { .ctl = { .go = t_go, .end = t_end } };
	struct task_stats *out = test_calloc(1, sizeof(*out));
	struct run_cfg cfg;

	t.ctl.priv = &t;
	cli_run_defaults(&cfg);
	cfg.model = m;
	cfg.workload = &workload_cpu;
	cfg.tasks = tasks;
	cfg.concurrency = m->one_slot ? 1 : conc;
	cfg.workers = 2;
	cfg.cpu_iters = 500;
	cfg.io_latency_us = cfg.payload = 0;
	if (m->foreign) { /* a program, not in-process */
		test_free(out);
		return;
	}
	assert_int_equal(m->run(&cfg, &t.ctl, out), 0);
	if (out->completed != tasks || out->checksum != expected_checksum(tasks, 500))
		fail_msg("%s: %llu of %llu tasks, checksum %016llx", m->name,
			 (unsigned long long)out->completed, (unsigned long long)tasks,
			 (unsigned long long)out->checksum);
	assert_int_equal(stats_errors(out), 0);
	assert_int_equal(t.go, 1);
	assert_int_equal(t.end, 1);
	assert_true(out->last_done_ns >= t.t0);
	test_free(out);
}

static void test_every_model(void **state)
{
	(void)state;
	for (size_t i = 0; model_table[i]; i++) {
		run_model(model_table[i], 37, 4);
		run_model(model_table[i], 3, 8); /* fewer tasks than slots */
	}
}

static void test_traits(void **state)
{
	(void)state;
	for (size_t i = 0; model_table[i]; i++) {
		const struct model_ops *m = model_table[i];

		assert_non_null(m->name);
		assert_non_null(m->summary);
		assert_non_null(m->label);
		assert_non_null(m->color);
		assert_int_equal(strlen(m->color), 7);
		assert_ptr_equal(model_find(m->name), m);
		for (size_t k = 0; k < i; k++) /* distinct names and colours */
			assert_true(strcmp(model_table[k]->name, m->name) != 0 &&
				    strcmp(model_table[k]->color, m->color) != 0);
		assert_true(model_cpu_lanes(m, 8, 2) >= 1);
	}
	for (size_t i = 0; workload_table[i]; i++) {
		const struct workload_ops *w = workload_table[i];

		assert_non_null(w->label);
		assert_ptr_equal(workload_find(w->name), w);
		assert_true(w->start || w->run_blocking);
		assert_true(!w->blocking_only || !w->start);
	}
	assert_ptr_equal(workload_by_parts(true, false), &workload_io);
	assert_ptr_equal(workload_by_parts(false, true), &workload_cpu);
	assert_ptr_equal(workload_by_parts(true, true), &workload_mixed);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_model),
		cmocka_unit_test(test_traits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
