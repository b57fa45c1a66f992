/* test_cli_run.c - the flags of `cmbench run` (harness/cli.c): their
 * defaults, both forms (--flag=V, --flag V), what a model or workload makes
 * of the rest, the usage errors (exit status 2, one message naming the flag
 * or value), and the open-file limit check. The values (numbers,
 * durations, --target) are test_cli.c's. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "unit.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "harness/cli.h"
#include "models/model.h"
#include "workloads/workload.h"

#define ARGC(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* err must mention every non-NULL needle */
static void assert_err_has(const char *err, const char *a, const char *b)
{
	if (a && !strstr(err, a))
		fail_msg("error '%s' does not mention '%s'", err, a);
	if (b && !strstr(err, b))
		fail_msg("error '%s' does not mention '%s'", err, b);
	assert_null(strchr(err, '\n')); /* one line, no newline */
}

/* ---- cli_parse_run ---- */

static int run_args(int argc, char **argv, struct run_cfg *cfg, char *err)
{
	err[0] = '\0';
	return cli_parse_run(argc, argv, cfg, err, CLI_ERR_MAX);
}

static void test_run_defaults(void **state)
{
	char *argv[] = { "run", "--model", "eventloop", "--workload", "io" };
	char err[CLI_ERR_MAX];
	struct run_cfg cfg;

	(void)state;
	assert_int_equal(run_args(ARGC(argv), argv, &cfg, err), 0);
	assert_ptr_equal(cfg.model, model_find("eventloop"));
	assert_ptr_equal(cfg.workload, workload_find("io"));
	assert_int_equal(cfg.tasks, 1000);
	assert_int_equal(cfg.concurrency, 100);
	assert_int_equal(cfg.io_latency_us, 50000);
	assert_int_equal(cfg.payload, 256);
	assert_false(cfg.keepalive);
	assert_int_equal(cfg.format, FMT_TEXT);
	assert_int_equal(cfg.timeout_us, 5000000);
	assert_true(cfg.workers >= 1);
	assert_false(cfg.target_external);
	assert_int_equal(cfg.cpu_iters, 0); /* io has no cpu part */
	assert_null(cfg.spectrum_path);
	assert_null(cfg.append_path);
}

static void test_run_equals_form(void **state)
{
	char *argv[] = { "run",
			 "--model=threadpool",
			 "--workload=mixed",
			 "--tasks=50",
			 "--concurrency=7",
			 "--workers=3",
			 "--io-latency=10ms",
			 "--payload=1024",
			 "--conn=keepalive",
			 "--format=json",
			 "--timeout=2s",
			 "--cpu-iters=4321",
			 "--target=http://10.0.0.1:8000/p" };
	char err[CLI_ERR_MAX];
	struct run_cfg cfg;

	(void)state;
	assert_int_equal(run_args(ARGC(argv), argv, &cfg, err), 0);
	assert_ptr_equal(cfg.model, model_find("threadpool"));
	assert_ptr_equal(cfg.workload, workload_find("mixed"));
	assert_int_equal(cfg.tasks, 50);
	assert_int_equal(cfg.concurrency, 7);
	assert_int_equal(cfg.workers, 3);
	assert_int_equal(cfg.io_latency_us, 10000);
	assert_int_equal(cfg.payload, 1024);
	assert_true(cfg.keepalive);
	assert_int_equal(cfg.format, FMT_JSON);
	assert_int_equal(cfg.timeout_us, 2000000);
	assert_int_equal(cfg.cpu_iters, 4321);
	assert_true(cfg.target_external);
	assert_string_equal(cfg.target_host, "10.0.0.1");
	assert_string_equal(cfg.target_port, "8000");
	assert_string_equal(cfg.target_path, "/p");
}

static void test_run_space_form(void **state)
{
	char *argv[] = { "run", "--workload", "cpu",   "--model", "forkpool", "--format",
			 "csv", "--cpu",      "200us", "--tasks", "9" };
	char err[CLI_ERR_MAX];
	struct run_cfg cfg;

	(void)state;
	assert_int_equal(run_args(ARGC(argv), argv, &cfg, err), 0);
	assert_ptr_equal(cfg.model, model_find("forkpool"));
	assert_ptr_equal(cfg.workload, workload_find("cpu"));
	assert_int_equal(cfg.format, FMT_CSV);
	assert_int_equal(cfg.cpu_target_us, 200);
	assert_int_equal(cfg.tasks, 9);
}

static void test_run_sequential_one_slot(void **state)
{
	char *argv[] = {
		"run", "--model", "sequential", "--workload", "io", "--concurrency", "50"
	};
	char *argv2[] = {
		"run", "--model", "eventloop", "--workload", "io", "--concurrency", "50"
	};
	char err[CLI_ERR_MAX];
	struct run_cfg cfg;

	(void)state;
	assert_int_equal(run_args(ARGC(argv), argv, &cfg, err), 0);
	assert_ptr_equal(cfg.model, model_find("sequential"));
	assert_int_equal(cfg.concurrency, 1);
	assert_int_equal(run_args(ARGC(argv2), argv2, &cfg, err), 0);
	assert_int_equal(cfg.concurrency, 50);
}

/* --py-bare, the control of docs/python.md: a foreign model's only, and
 * the argv that reproduces the run keeps it */
static void test_run_py_bare(void **state)
{
	char *argv[] = { "run", "--model", "py-asyncio", "--workload", "io", "--py-bare" };
	char *argv2[] = { "run", "--model", "eventloop", "--workload", "io", "--py-bare" };
	char *argv3[] = { "run", "--model", "py-asyncio", "--workload", "io" };
	char err[CLI_ERR_MAX];
	struct run_cfg cfg;
	char **v;
	bool seen = false;

	(void)state;
	assert_int_equal(run_args(ARGC(argv), argv, &cfg, err), 0);
	assert_true(cfg.py_bare);
	v = cli_format_run(&cfg);
	assert_non_null(v);
	for (int i = 0; v[i]; i++)
		seen |= strcmp(v[i], "--py-bare") == 0;
	cli_argv_free(v);
	assert_true(seen);
	assert_int_equal(run_args(ARGC(argv2), argv2, &cfg, err), -EINVAL);
	assert_err_has(err, "--py-bare", "eventloop");
	assert_int_equal(run_args(ARGC(argv3), argv3, &cfg, err), 0);
	assert_false(cfg.py_bare);
}

static void test_run_unknown_names(void **state)
{
	char *argv[] = { "run", "--model", "fibers", "--workload", "io" };
	char *argv2[] = { "run", "--model", "eventloop", "--workload", "disk" };
	char err[CLI_ERR_MAX];
	struct run_cfg cfg;

	(void)state;
	assert_int_equal(run_args(ARGC(argv), argv, &cfg, err), -EINVAL);
	assert_err_has(err, "--model", "fibers");
	assert_int_equal(run_args(ARGC(argv2), argv2, &cfg, err), -EINVAL);
	assert_err_has(err, "--workload", "disk");
}

static void test_run_bad_values(void **state)
{
	char *conc0[] = { "run", "--model", "eventloop", "--workload", "io", "--concurrency", "0" };
	char *conn[] = { "run", "--model", "eventloop", "--workload", "io", "--conn", "bogus" };
	char *fmt[] = { "run", "--model", "eventloop", "--workload", "io", "--format", "xml" };
	char *tasks[] = { "run", "--model", "eventloop", "--workload", "io", "--tasks=12x" };
	char *lat[] = { "run", "--model", "eventloop", "--workload", "io", "--io-latency", "50" };
	char *tmo[] = { "run", "--model", "eventloop", "--workload", "io", "--timeout", "0" };
	char err[CLI_ERR_MAX];
	struct run_cfg cfg;

	(void)state;
	assert_int_equal(run_args(ARGC(conc0), conc0, &cfg, err), -EINVAL);
	assert_err_has(err, "--concurrency", "0");
	assert_int_equal(run_args(ARGC(conn), conn, &cfg, err), -EINVAL);
	assert_err_has(err, "--conn", "bogus");
	assert_int_equal(run_args(ARGC(fmt), fmt, &cfg, err), -EINVAL);
	assert_err_has(err, "--format", "xml");
	assert_int_equal(run_args(ARGC(tasks), tasks, &cfg, err), -EINVAL);
	assert_err_has(err, "--tasks", "12x");
	assert_int_equal(run_args(ARGC(lat), lat, &cfg, err), -EINVAL);
	assert_err_has(err, "--io-latency", "50");
	assert_int_equal(run_args(ARGC(tmo), tmo, &cfg, err), -EINVAL);
	assert_err_has(err, "--timeout", NULL);
}

static void test_run_missing_required(void **state)
{
	char *nomodel[] = { "run", "--workload", "io" };
	char *nowl[] = { "run", "--model", "eventloop" };
	char *nothing[] = { "run" };
	char err[CLI_ERR_MAX];
	struct run_cfg cfg;

	(void)state;
	assert_int_equal(run_args(ARGC(nomodel), nomodel, &cfg, err), -EINVAL);
	assert_err_has(err, "--model", NULL);
	assert_int_equal(run_args(ARGC(nowl), nowl, &cfg, err), -EINVAL);
	assert_err_has(err, "--workload", NULL);
	assert_int_equal(run_args(ARGC(nothing), nothing, &cfg, err), -EINVAL);
}

static void test_run_cpu_and_iters(void **state)
{
	char *argv[] = { "run",	  "--model", "eventloop",   "--workload", "cpu",
			 "--cpu", "200us",   "--cpu-iters", "1000" };
	char err[CLI_ERR_MAX];
	struct run_cfg cfg;

	(void)state;
	assert_int_equal(run_args(ARGC(argv), argv, &cfg, err), -EINVAL);
	assert_err_has(err, "--cpu", "--cpu-iters");
}

static void test_run_unknown_flag(void **state)
{
	char *argv[] = { "run", "--model", "eventloop", "--workload", "io", "--frobnicate", "3" };
	char *argv2[] = { "run", "--model", "eventloop", "--workload", "io", "--frobnicate=3" };
	char *argv3[] = { "run", "--model", "eventloop", "stray", "--workload", "io" };
	char err[CLI_ERR_MAX];
	struct run_cfg cfg;

	(void)state;
	assert_int_equal(run_args(ARGC(argv), argv, &cfg, err), -EINVAL);
	assert_err_has(err, "--frobnicate", NULL);
	assert_int_equal(run_args(ARGC(argv2), argv2, &cfg, err), -EINVAL);
	assert_err_has(err, "--frobnicate", NULL);
	assert_int_equal(run_args(ARGC(argv3), argv3, &cfg, err), -EINVAL);
	assert_err_has(err, "stray", NULL);
}

static void test_run_flag_without_value(void **state)
{
	char *argv[] = { "run", "--model", "eventloop", "--workload", "io", "--tasks" };
	char *argv2[] = { "run", "--workload", "io", "--model" };
	char err[CLI_ERR_MAX];
	struct run_cfg cfg;

	(void)state;
	assert_int_equal(run_args(ARGC(argv), argv, &cfg, err), -EINVAL);
	assert_err_has(err, "--tasks", NULL);
	assert_int_equal(run_args(ARGC(argv2), argv2, &cfg, err), -EINVAL);
	assert_err_has(err, "--model", NULL);
}

static void test_run_help(void **state)
{
	char *argv[] = { "run", "--help" };
	char *argv2[] = { "run", "--model", "eventloop", "-h" };
	char err[CLI_ERR_MAX];
	struct run_cfg cfg;

	(void)state;
	assert_int_equal(run_args(ARGC(argv), argv, &cfg, err), 1);
	assert_int_equal(run_args(ARGC(argv2), argv2, &cfg, err), 1);
}

static void test_run_workload_zeroes(void **state)
{
	char *io[] = { "run", "--model", "eventloop", "--workload", "io", "--cpu-iters", "5000" };
	char *io2[] = { "run", "--model", "eventloop", "--workload", "io", "--cpu", "1ms" };
	char *cpu[] = { "run",		"--model", "eventloop", "--workload", "cpu",
			"--io-latency", "10ms",	   "--payload", "99" };
	char *mixed[] = { "run",  "--model",   "eventloop", "--workload",  "mixed", "--io-latency",
			  "10ms", "--payload", "99",	    "--cpu-iters", "5000" };
	char err[CLI_ERR_MAX];
	struct run_cfg cfg;

	(void)state;
	assert_int_equal(run_args(ARGC(io), io, &cfg, err), 0);
	assert_int_equal(cfg.cpu_iters, 0);
	assert_int_equal(cfg.cpu_target_us, 0);
	assert_int_equal(cfg.io_latency_us, 50000);
	assert_int_equal(cfg.payload, 256);
	assert_int_equal(run_args(ARGC(io2), io2, &cfg, err), 0);
	assert_int_equal(cfg.cpu_iters, 0);
	assert_int_equal(cfg.cpu_target_us, 0);
	assert_int_equal(run_args(ARGC(cpu), cpu, &cfg, err), 0);
	assert_int_equal(cfg.io_latency_us, 0);
	assert_int_equal(cfg.payload, 0);
	assert_int_equal(cfg.cpu_iters, CLI_DEFAULT_CPU_ITERS);
	assert_int_equal(run_args(ARGC(mixed), mixed, &cfg, err), 0);
	assert_int_equal(cfg.io_latency_us, 10000);
	assert_int_equal(cfg.payload, 99);
	assert_int_equal(cfg.cpu_iters, 5000);
}

/* ---- cli_check_fd_limit ---- */

static void test_fd_limit(void **state)
{
	char *argv[] = { "run", "--model", "eventloop", "--workload", "io" };
	char err[CLI_ERR_MAX];
	struct run_cfg cfg;
	struct rlimit rl;

	(void)state;
	assert_int_equal(run_args(ARGC(argv), argv, &cfg, err), 0);
	cfg.concurrency = 10;
	err[0] = '\0';
	assert_int_equal(cli_check_fd_limit(&cfg, err, sizeof(err)), 0);

	assert_int_equal(getrlimit(RLIMIT_NOFILE, &rl), 0);
	if (rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= 10000000 + 64)
		skip(); /* this machine allows that many open files */
	cfg.concurrency = 10000000;
	assert_int_equal(cli_check_fd_limit(&cfg, err, sizeof(err)), -EINVAL);
	assert_err_has(err, "open-file limit", "10000000");
	/* the cpu workload opens no sockets: no limit to hit */
	cfg.workload = workload_find("cpu");
	err[0] = '\0';
	assert_int_equal(cli_check_fd_limit(&cfg, err, sizeof(err)), 0);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_run_defaults),
		cmocka_unit_test(test_run_equals_form),
		cmocka_unit_test(test_run_space_form),
		cmocka_unit_test(test_run_sequential_one_slot),
		cmocka_unit_test(test_run_py_bare),
		cmocka_unit_test(test_run_unknown_names),
		cmocka_unit_test(test_run_bad_values),
		cmocka_unit_test(test_run_missing_required),
		cmocka_unit_test(test_run_cpu_and_iters),
		cmocka_unit_test(test_run_unknown_flag),
		cmocka_unit_test(test_run_flag_without_value),
		cmocka_unit_test(test_run_help),
		cmocka_unit_test(test_run_workload_zeroes),
		cmocka_unit_test(test_fd_limit),
	};

	return unit_run(argc, argv, tests, NULL, NULL);
}
