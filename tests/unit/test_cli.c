/* test_cli.c - command-line parsing of `cmbench run` (harness/cli.c):
 * whole numbers, durations, --target URLs, the flags of `run` with their
 * defaults and the usage errors (exit status 2, one message naming the flag
 * or value), and the open-file limit check. */
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

/* ---- cli_parse_u64 ---- */

static int u64(const char *s, uint64_t min, uint64_t max, uint64_t *out, char *err)
{
	err[0] = '\0';
	return cli_parse_u64("--tasks", s, min, max, out, err, CLI_ERR_MAX);
}

static void test_u64_good(void **state)
{
	char err[CLI_ERR_MAX];
	uint64_t v = 0;

	(void)state;
	assert_int_equal(u64("42", 1, 100, &v, err), 0);
	assert_int_equal(v, 42);
	assert_int_equal(u64("1", 1, 100, &v, err), 0);
	assert_int_equal(v, 1);
	assert_int_equal(u64("100", 1, 100, &v, err), 0);
	assert_int_equal(v, 100);
	assert_int_equal(u64("010", 0, 100, &v, err), 0); /* decimal, not octal */
	assert_int_equal(v, 10);
	assert_int_equal(u64("0", 0, 100, &v, err), 0);
	assert_int_equal(v, 0);
	assert_int_equal(u64("18446744073709551615", 0, UINT64_MAX, &v, err), 0);
	assert_int_equal(v, UINT64_MAX);
}

static void test_u64_bad(void **state)
{
	static const char *const bad[] = { "-1",
					   "+1",
					   "12x",
					   "",
					   " 1",
					   "1 ",
					   "0x10",
					   "1.5",
					   "18446744073709551616",
					   "99999999999999999999999",
					   "abc" };
	char err[CLI_ERR_MAX];
	uint64_t v = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (u64(bad[i], 0, UINT64_MAX, &v, err) != -EINVAL)
			fail_msg("'%s' was accepted as %llu", bad[i], (unsigned long long)v);
		assert_err_has(err, "--tasks", bad[i]);
	}
	/* 0 below the minimum, and one past the maximum */
	assert_int_equal(u64("0", 1, 100, &v, err), -EINVAL);
	assert_err_has(err, "--tasks", "0");
	assert_int_equal(u64("101", 1, 100, &v, err), -EINVAL);
	assert_err_has(err, "--tasks", "101");
	assert_int_equal(u64("18446744073709551615", 0, UINT64_MAX - 1, &v, err), -EINVAL);
	/* no string at all */
	assert_int_equal(u64(NULL, 0, 100, &v, err), -EINVAL);
	assert_err_has(err, "--tasks", NULL);
}

/* ---- cli_parse_duration_us ---- */

static int dur(const char *s, uint64_t min, uint64_t max, uint64_t *out, char *err)
{
	err[0] = '\0';
	return cli_parse_duration_us("--io-latency", s, min, max, out, err, CLI_ERR_MAX);
}

static void assert_dur(const char *s, uint64_t min, uint64_t want)
{
	char err[CLI_ERR_MAX];
	uint64_t v = 0xdead;
	int rc = dur(s, min, 3600000000ull, &v, err);

	if (rc != 0)
		fail_msg("'%s' rejected: %s", s, err);
	if (v != want)
		fail_msg("'%s' gave %llu us, want %llu", s, (unsigned long long)v,
			 (unsigned long long)want);
}

static void assert_dur_bad(const char *s, uint64_t min)
{
	char err[CLI_ERR_MAX];
	uint64_t v = 0;

	if (dur(s, min, 3600000000ull, &v, err) != -EINVAL)
		fail_msg("'%s' was accepted as %llu us", s, (unsigned long long)v);
	assert_err_has(err, "--io-latency", s);
}

static void test_duration_units(void **state)
{
	(void)state;
	assert_dur("500us", 0, 500);
	assert_dur("50ms", 0, 50000);
	assert_dur("2s", 0, 2000000);
	assert_dur("1.5ms", 0, 1500);
	assert_dur(".5ms", 0, 500);
	assert_dur("0.0005s", 0, 500);
	assert_dur("3600s", 0, 3600000000ull);
	assert_dur("2000ns", 0, 2);
	assert_dur("1us", 1, 1);
}

/* Whole microseconds, rounded to nearest (halves away from zero). */
static void test_duration_rounding(void **state)
{
	char err[CLI_ERR_MAX];
	uint64_t v;

	(void)state;
	assert_dur("250ns", 0, 0);
	assert_dur("499ns", 0, 0);
	assert_dur("500ns", 0, 1);
	assert_dur("1499ns", 0, 1);
	assert_dur("1500ns", 0, 2);
	assert_dur("0.4us", 0, 0);
	assert_dur("2.6us", 0, 3);
	assert_dur("1.0004ms", 0, 1000);
	assert_dur("1.0006ms", 0, 1001);
	/* rounding to zero is below a minimum of 1 */
	assert_int_equal(dur("250ns", 1, 1000, &v, err), -EINVAL);
	assert_err_has(err, "--io-latency", "250ns");
}

static void test_duration_zero(void **state)
{
	char err[CLI_ERR_MAX];
	uint64_t v = 77;

	(void)state;
	assert_dur("0", 0, 0);
	assert_dur("0ms", 0, 0);
	assert_dur("0s", 0, 0);
	assert_int_equal(dur("0", 1, 1000, &v, err), -EINVAL);
	assert_err_has(err, "--io-latency", "0");
	assert_int_equal(dur("0ms", 1, 1000, &v, err), -EINVAL);
	assert_err_has(err, "--io-latency", "0ms");
}

static void test_duration_bad(void **state)
{
	static const char *const bad[] = { "50", "5m",	 "-5ms",   "+5ms",  "5 ms",   "5MS", "ms",
					   "",	 "nan",	 "inf",	   "nanms", "infs",   ".",   "5msx",
					   "5h", " 5ms", "1e400s", "5ms ",  "1.2.3ms" };

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_dur_bad(bad[i], 0);
	/* out of range */
	assert_dur_bad("3601s", 0);
	assert_dur_bad("3600000001us", 0);
	assert_dur_bad("999us", 1000);
}

/* Plain decimals only: an exponent or hex is not a duration. */
static void test_duration_exponent(void **state)
{
	char err[CLI_ERR_MAX];
	uint64_t v = 0;

	(void)state;
	assert_int_equal(cli_parse_duration_us("--x", "1e3ms", 0, UINT64_MAX, &v, err, sizeof(err)),
			 -EINVAL);
	assert_int_equal(
		cli_parse_duration_us("--x", "0x10ms", 0, UINT64_MAX, &v, err, sizeof(err)),
		-EINVAL);
	assert_int_equal(
		cli_parse_duration_us("--x", "1.2.3ms", 0, UINT64_MAX, &v, err, sizeof(err)),
		-EINVAL);
	assert_dur("2.5ms", 0, 2500);
}

/* The range check must hold even at the top of uint64_t: 2^64 us is above
 * a max_us of UINT64_MAX, and converting it to uint64_t is undefined. */
static void test_duration_top_of_range(void **state)
{
	char err[CLI_ERR_MAX];
	uint64_t v = 0;
	int rc;

	(void)state;
	rc = cli_parse_duration_us("--x", "18446744073709551616us", 0, UINT64_MAX, &v, err,
				   sizeof(err));
	if (rc != -EINVAL)
		fail_msg("2^64 us accepted with max UINT64_MAX, as %llu", (unsigned long long)v);
}

/* ---- cli_parse_target ---- */

static int target(const char *s, struct run_cfg *cfg, char *err)
{
	cli_run_defaults(cfg);
	err[0] = '\0';
	return cli_parse_target(s, cfg, err, CLI_ERR_MAX);
}

static void assert_target(const char *s, const char *host, const char *port, const char *path)
{
	char err[CLI_ERR_MAX];
	struct run_cfg cfg;

	if (target(s, &cfg, err) != 0)
		fail_msg("'%s' rejected: %s", s, err);
	assert_string_equal(cfg.target_host, host);
	assert_string_equal(cfg.target_port, port);
	assert_string_equal(cfg.target_path, path);
	assert_true(cfg.target_external);
}

static void assert_target_bad(const char *s)
{
	char err[CLI_ERR_MAX];
	struct run_cfg cfg;

	if (target(s, &cfg, err) != -EINVAL)
		fail_msg("'%s' accepted: host '%s' port '%s' path '%s'", s, cfg.target_host,
			 cfg.target_port, cfg.target_path);
	assert_err_has(err, "--target", NULL);
}

static void test_target_good(void **state)
{
	(void)state;
	assert_target("http://127.0.0.1:8080/x", "127.0.0.1", "8080", "/x");
	assert_target("http://example.com", "example.com", "80", "/");
	assert_target("http://example.com/", "example.com", "80", "/");
	assert_target("http://example.com:8081", "example.com", "8081", "/");
	assert_target("http://h:1/a/b?c=d", "h", "1", "/a/b?c=d");
	assert_target("http://h:65535/", "h", "65535", "/");
	assert_target("http://[::1]:9000/", "::1", "9000", "/");
	assert_target("http://[::1]/a", "::1", "80", "/a");
	assert_target("http://[fe80::1:2]:81", "fe80::1:2", "81", "/");
}

static void test_target_bad(void **state)
{
	static const char *const bad[] = {
		"https://127.0.0.1:8443/",
		"ftp://h/",
		"127.0.0.1:8080",
		"HTTP//h/",
		"http://",
		"http:///x",
		"http://:8080/",
		"http://[]:80/",
		"http://h:0/",
		"http://h:70000/",
		"http://h:abc/",
		"http://h:/",
		"http://h:-1/",
		"http://h:99999999999999999999/",
		"http://h:+80/",
		"http://host/a b",
		"http://ho st/",
		"http://h/\tx",
		"http://h/x\x7f",
		"http://[::1",
		"http://[::1]x/",
		"http://[::1]9000/",
		"",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_target_bad(bad[i]);
}

static void test_target_messages(void **state)
{
	char err[CLI_ERR_MAX], longurl[700];
	struct run_cfg cfg;

	(void)state;
	assert_int_equal(target("https://x/", &cfg, err), -EINVAL);
	assert_err_has(err, "--target", "https://x/");
	assert_int_equal(target("http://h:70000/", &cfg, err), -EINVAL);
	assert_err_has(err, "--target", "70000");
	assert_int_equal(target("http://h:abc/", &cfg, err), -EINVAL);
	assert_err_has(err, "--target", "abc");
	/* a path longer than target_path holds */
	snprintf(longurl, sizeof(longurl), "http://h/%0600d", 0);
	assert_int_equal(target(longurl, &cfg, err), -EINVAL);
	assert_err_has(err, "--target", NULL);
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
		cmocka_unit_test(test_u64_good),
		cmocka_unit_test(test_u64_bad),
		cmocka_unit_test(test_duration_units),
		cmocka_unit_test(test_duration_rounding),
		cmocka_unit_test(test_duration_zero),
		cmocka_unit_test(test_duration_bad),
		cmocka_unit_test(test_duration_exponent),
		cmocka_unit_test(test_duration_top_of_range),
		cmocka_unit_test(test_target_good),
		cmocka_unit_test(test_target_bad),
		cmocka_unit_test(test_target_messages),
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
