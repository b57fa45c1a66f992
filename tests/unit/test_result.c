/* test_result.c - the result row's self-checks: a run that beats its
 * lower bound (efficiency above 1.02) is flagged in efficiency_note, and
 * the harness's own memory and the kernel's growth reach their columns,
 * and so does the kernel's memory for the tree (page tables, stacks,
 * socket buffers) with its growth per task. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "unit.h"

#include "harness/cli.h"
#include "harness/result.h"

static void row_of(double makespan_ms, struct result_row *row)
{
	char *argv[] = { "run",	    "--model", "sequential",  "--workload", "cpu",
			 "--tasks", "24",      "--cpu-iters", "200000" };
	char err[CLI_ERR_MAX] = "";
	struct trial_report rep;
	struct run_cfg cfg;

	if (cli_parse_run(9, argv, &cfg, err, sizeof(err)) != 0)
		fail_msg("cli_parse_run: %s", err);
	memset(&rep, 0, sizeof(rep));
	rep.cores = 2;
	rep.cpu_us_per_task = 1000; /* bound: 24 tasks x 1 ms on one slot = 24 ms */
	rep.stats.completed = 24;
	rep.t0_ns = 1000000000ull;
	rep.stats.last_done_ns = rep.t0_ns + (uint64_t)(makespan_ms * 1e6);
	rep.harness_kib = 30.5;
	rep.kernel_base_kib = 1000;
	rep.kernel_peak_kib = 1400;
	rep.base = (struct probe_sample){ .pte_kib = 100, .kstack_kib = 16, .sock_kib = 0 };
	rep.peak = (struct probe_sample){
		.pte_kib = 196, .kstack_kib = 400, .sock_kib = 32, .sockets = 24
	};
	result_row(&cfg, &rep, row);
}

static void test_efficiency_note(void **state)
{
	struct result_row row;

	(void)state;
	row_of(20, &row); /* efficiency 1.2: the run beat its bound */
	assert_true(row.efficiency > 1.19 && row.efficiency < 1.21);
	assert_string_equal(row.efficiency_note, "above_bound");
	row_of(23.7, &row); /* 1.013: within the 2% a clock allows */
	assert_string_equal(row.efficiency_note, "");
	row_of(30, &row); /* 0.8: a figure */
	assert_string_equal(row.efficiency_note, "");
	assert_true(fabs(row.harness_kib - 30.5) < 1e-9);
	assert_true(fabs(row.kernel_kib - 400) < 1e-9);
	assert_non_null(result_col_find("efficiency_note"));
	assert_non_null(result_col_find("harness_kib"));
	assert_non_null(result_col_find("kernel_kib"));
}

static void test_kernel_memory(void **state)
{
	struct result_row row;

	(void)state;
	row_of(30, &row);
	assert_true(row.pte_kib == 196 && row.kstack_kib == 400 && row.sock_kib == 32);
	assert_true(row.sockets == 24);
	/* (196 + 400 + 32) - (100 + 16 + 0) = 512 KiB over min(C, N) = 1 slot */
	assert_true(fabs(row.kmem_per_task_kib - 512) < 1e-9);
	for (const char *const *c = (const char *const[]){ "pte_kib", "kstack_kib", "sock_kib",
							   "sockets", "kmem_per_task_kib", NULL };
	     *c; c++)
		assert_non_null(result_col_find(*c));
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_efficiency_note),
		cmocka_unit_test(test_kernel_memory),
	};

	return unit_run(argc, argv, tests, NULL, NULL);
}
