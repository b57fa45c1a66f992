/* test_cli.c - the values of `cmbench run`'s flags (harness/cli.c): whole
 * numbers, durations and --target URLs, good and bad, each bad one a
 * message of one line naming the flag. The flags of `run` themselves are
 * test_cli_run.c's. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "unit.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "harness/cli.h"

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
	};

	return unit_run(argc, argv, tests, NULL, NULL);
}
