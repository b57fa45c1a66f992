/* test_http_request.c - the HTTP/1.1 client's request builder
 * (workloads/http.c): Connection close and keep-alive, the path and its
 * query, a buffer too small, an IPv6 host; and that the latency server
 * (server/request.c) parses the request to the same numbers and connection
 * mode. The response parser is test_http.c's. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/cli.h"
#include "server/server.h"
#include "workloads/http.h"

static void cfg_for(struct run_cfg *cfg, bool keepalive, const char *path)
{
	cli_run_defaults(cfg);
	cfg->io_latency_us = 50000;
	cfg->payload = 256;
	cfg->keepalive = keepalive;
	snprintf(cfg->target_host, sizeof(cfg->target_host), "127.0.0.1");
	snprintf(cfg->target_port, sizeof(cfg->target_port), "8080");
	snprintf(cfg->target_path, sizeof(cfg->target_path), "%s", path);
}

static void assert_ends_crlfcrlf_once(const char *buf, size_t n)
{
	const char *p = strstr(buf, "\r\n\r\n");

	assert_true(n >= 4);
	assert_non_null(p);
	assert_ptr_equal(p, buf + n - 4); /* the first blank line is the end */
}

/* Build task 7's request and check what every request shares: the
 * request line, the Host header and the one blank line at the end. */
static size_t build_request(char *buf, size_t cap, bool keepalive)
{
	static const char line[] = "GET /?delay_us=50000&bytes=256&id=7 HTTP/1.1\r\n";
	struct run_cfg cfg;
	size_t n;

	cfg_for(&cfg, keepalive, "/");
	n = http_request(buf, cap, &cfg, 7);
	assert_true(n > 0);
	assert_int_equal(n, strlen(buf));
	assert_memory_equal(buf, line, strlen(line));
	assert_non_null(strstr(buf, "\r\nHost: 127.0.0.1:8080\r\n"));
	assert_ends_crlfcrlf_once(buf, n);
	return n;
}

static void test_request_close(void **state)
{
	char buf[HTTP_REQ_MAX];

	(void)state;
	build_request(buf, sizeof(buf), false);
	assert_non_null(strstr(buf, "\r\nConnection: close\r\n"));
}

static void test_request_keepalive(void **state)
{
	char buf[HTTP_REQ_MAX];

	(void)state;
	build_request(buf, sizeof(buf), true);
	assert_null(strstr(buf, "Connection:"));
	assert_null(strstr(buf, "close"));
}

static void test_request_path_with_query(void **state)
{
	char buf[HTTP_REQ_MAX];
	struct run_cfg cfg;
	const char *want = "GET /api/v1?x=1&delay_us=50000&bytes=256&id=123 HTTP/1.1\r\n";
	size_t n;

	(void)state;
	cfg_for(&cfg, false, "/api/v1?x=1");
	n = http_request(buf, sizeof(buf), &cfg, 123);
	assert_true(n > 0);
	assert_memory_equal(buf, want, strlen(want));
	assert_ends_crlfcrlf_once(buf, n);

	/* a path without a query gets '?' */
	cfg_for(&cfg, false, "/api/v1");
	n = http_request(buf, sizeof(buf), &cfg, 0);
	want = "GET /api/v1?delay_us=50000&bytes=256&id=0 HTTP/1.1\r\n";
	assert_true(n > 0);
	assert_memory_equal(buf, want, strlen(want));
}

/* Too small a buffer: 0, never a cut request. */
static void test_request_small_buffer(void **state)
{
	char buf[HTTP_REQ_MAX];
	struct run_cfg cfg;
	size_t n;

	(void)state;
	cfg_for(&cfg, false, "/");
	n = http_request(buf, sizeof(buf), &cfg, 99);
	assert_true(n > 0);
	assert_int_equal(http_request(buf, n, &cfg, 99), 0);
	assert_int_equal(http_request(buf, 10, &cfg, 99), 0);
	assert_int_equal(http_request(buf, n + 1, &cfg, 99), n);
}

/* An IPv6 literal target (--target http://[::1]:9000/ stores host "::1")
 * needs brackets in Host: "Host: [::1]:9000" (RFC 7230 5.4, RFC 3986
 * IP-literal); "Host: ::1:9000" is malformed. */
static void test_request_ipv6_host(void **state)
{
	char buf[HTTP_REQ_MAX], err[CLI_ERR_MAX];
	struct run_cfg cfg;
	size_t n;

	(void)state;
	cli_run_defaults(&cfg);
	assert_int_equal(cli_parse_target("http://[::1]:9000/", &cfg, err, sizeof(err)), 0);
	n = http_request(buf, sizeof(buf), &cfg, 1);
	assert_true(n > 0);
	if (!strstr(buf, "\r\nHost: [::1]:9000\r\n"))
		fail_msg("no 'Host: [::1]:9000' header in:\n%s", buf);
}

/* The request the client builds is one the latency server parses to the
 * same numbers and connection mode. */
static void test_request_parsed_by_server(void **state)
{
	char buf[HTTP_REQ_MAX];
	struct run_cfg cfg;
	struct server_req sr;
	size_t n, consumed;

	(void)state;
	for (int ka = 0; ka <= 1; ka++) {
		cfg_for(&cfg, ka, "/");
		cfg.io_latency_us = 1234;
		cfg.payload = 4096;
		n = http_request(buf, sizeof(buf), &cfg, 987654321);
		assert_true(n > 0);
		assert_int_equal(server_parse_request(buf, n, &sr, &consumed), 1);
		assert_int_equal(consumed, n);
		assert_int_equal(sr.delay_us, 1234);
		assert_int_equal(sr.bytes, 4096);
		assert_int_equal(sr.id, 987654321);
		assert_int_equal(sr.keepalive, (bool)ka);
	}
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_request_close),
		cmocka_unit_test(test_request_keepalive),
		cmocka_unit_test(test_request_path_with_query),
		cmocka_unit_test(test_request_small_buffer),
		cmocka_unit_test(test_request_ipv6_host),
		cmocka_unit_test(test_request_parsed_by_server),
	};

	return unit_run(argc, argv, tests, NULL, NULL);
}
