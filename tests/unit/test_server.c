/* test_server.c - the latency server's request parser and body generator
 * (server/request.c, server/body.c); the running server is tested by
 * tests/it/server.sh and tests/it/server_hostile.sh. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/request.h"
#include "server/server.h"

/* Parse the whole string s; the return value of server_parse_request. */
static int parse(const char *s, struct server_req *r, size_t *used)
{
	return server_parse_request(s, strlen(s), r, used);
}

static void test_full_request(void **state)
{
	const char *s = "GET /io?delay_us=1500&bytes=4096&id=42 HTTP/1.1\r\n"
			"Host: 127.0.0.1:8080\r\n"
			"User-Agent: cmbench\r\n"
			"\r\n";
	struct server_req r;
	size_t used = 0;

	(void)state;
	assert_int_equal(parse(s, &r, &used), 1);
	assert_int_equal(used, strlen(s));
	assert_int_equal(r.delay_us, 1500);
	assert_int_equal(r.bytes, 4096);
	assert_int_equal(r.id, 42);
	assert_true(r.keepalive);
}

/* A pipelined second request is not consumed with the first. */
static void test_consumed_stops_at_blank_line(void **state)
{
	const char *first = "GET /?id=1 HTTP/1.1\r\n\r\n";
	char buf[128];
	struct server_req r;
	size_t used = 0;

	(void)state;
	snprintf(buf, sizeof(buf), "%sGET /?id=2 HTTP/1.1\r\n\r\n", first);
	assert_int_equal(parse(buf, &r, &used), 1);
	assert_int_equal(used, strlen(first));
	assert_int_equal(r.id, 1);
	assert_int_equal(parse(buf + used, &r, &used), 1);
	assert_int_equal(r.id, 2);
}

/* Every proper prefix needs more bytes; the whole request parses. */
static void test_split_at_every_byte(void **state)
{
	const char *s = "GET /?bytes=64&id=7&delay_us=100 HTTP/1.1\r\n"
			"Host: localhost\r\n"
			"Connection: close\r\n"
			"\r\n";
	size_t len = strlen(s), used;
	struct server_req r;

	(void)state;
	for (size_t k = 0; k < len; k++) {
		/* exactly k bytes, no NUL: under ASan a read past them fails */
		char *part = malloc(k ? k : 1);
		int rc;

		assert_non_null(part);
		memcpy(part, s, k);
		rc = server_parse_request(part, k, &r, &used);
		free(part);
		if (rc != 0)
			fail_msg("prefix of %zu bytes returned %d, not 0", k, rc);
	}
	assert_int_equal(server_parse_request(s, len, &r, &used), 1);
	assert_int_equal(used, len);
	assert_int_equal(r.bytes, 64);
	assert_int_equal(r.id, 7);
	assert_int_equal(r.delay_us, 100);
	assert_false(r.keepalive);
}

static void test_query_any_order_and_missing(void **state)
{
	struct server_req r;
	size_t used;

	(void)state;
	assert_int_equal(parse("GET /a/b?id=9&delay_us=5&bytes=3 HTTP/1.1\r\n\r\n", &r, &used), 1);
	assert_int_equal(r.id, 9);
	assert_int_equal(r.delay_us, 5);
	assert_int_equal(r.bytes, 3);

	assert_int_equal(parse("GET /?bytes=10 HTTP/1.1\r\n\r\n", &r, &used), 1);
	assert_int_equal(r.bytes, 10);
	assert_int_equal(r.delay_us, 0);
	assert_int_equal(r.id, 0);

	assert_int_equal(parse("GET / HTTP/1.1\r\n\r\n", &r, &used), 1);
	assert_int_equal(r.bytes + r.delay_us + r.id, 0);

	/* unknown keys ignored, empty pieces skipped, fragment cut off */
	assert_int_equal(
		parse("GET /x?foo=bar&&id=5&zz&bytes_x=q#frag HTTP/1.1\r\n\r\n", &r, &used), 1);
	assert_int_equal(r.id, 5);
	assert_int_equal(r.bytes, 0);

	/* a key given twice keeps its last value; the limits themselves are fine */
	assert_int_equal(parse("GET /?id=1&id=2&delay_us=3600000000&bytes=1073741824 HTTP/1.1\r\n"
			       "\r\n",
			       &r, &used),
			 1);
	assert_int_equal(r.id, 2);
	assert_int_equal(r.delay_us, SERVER_DELAY_MAX);
	assert_int_equal(r.bytes, 1ull << 30);

	assert_int_equal(parse("GET /?id=18446744073709551615 HTTP/1.1\r\n\r\n", &r, &used), 1);
	assert_int_equal(r.id, UINT64_MAX);
}

static void test_bad_method(void **state)
{
	struct server_req r;
	size_t used;

	(void)state;
	assert_int_equal(parse("POST / HTTP/1.1\r\n\r\n", &r, &used), -1);
	assert_int_equal(parse("DELETE /?id=1 HTTP/1.1\r\n\r\n", &r, &used), -1);
	assert_int_equal(parse("get / HTTP/1.1\r\n\r\n", &r, &used), -1);
	/* HEAD is a GET without the body */
	assert_int_equal(parse("HEAD /?bytes=5 HTTP/1.1\r\n\r\n", &r, &used), 1);
	assert_int_equal(r.bytes, 5);
}

static void test_bad_request_line(void **state)
{
	static const char *const bad[] = {
		"GET\r\n\r\n",
		"GET /\r\n\r\n",
		"GET  / HTTP/1.1\r\n\r\n",
		"GET / HTTP/1.1 \r\n\r\n",
		"GET / b HTTP/1.1\r\n\r\n",
		"GET / HTTP/2.0\r\n\r\n",
		"GET / HTTP/1.x\r\n\r\n",
		"GET / FTP/1.1\r\n\r\n",
		" GET / HTTP/1.1\r\n\r\n",
		"GET / HTTP/1.1\r\nNo colon here\r\n\r\n",
		"GET / HTTP/1.1\r\nHost : x\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n",
		"GET / HTTP/1.1\r\nContent-Length: 5\r\n\r\n",
		"GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n",
		"GET /\x01 HTTP/1.1\r\n\r\n",
		"GET /a\rb HTTP/1.1\r\n\r\n",
	};
	struct server_req r;
	size_t used;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (parse(bad[i], &r, &used) != -1)
			fail_msg("accepted bad request #%zu", i);
	/* a binary prefix (a TLS hello, say) is refused before it completes */
	assert_int_equal(server_parse_request("\x16\x03\x01\x02", 4, &r, &used), -1);
	/* a request with an empty body is fine */
	assert_int_equal(parse("GET / HTTP/1.1\r\nContent-Length: 0\r\n\r\n", &r, &used), 1);
}

static void test_bad_number(void **state)
{
	static const char *const bad[] = {
		"GET /?delay_us=12x HTTP/1.1\r\n\r\n",
		"GET /?delay_us=-5 HTTP/1.1\r\n\r\n",
		"GET /?bytes=+5 HTTP/1.1\r\n\r\n",
		"GET /?bytes= HTTP/1.1\r\n\r\n",
		"GET /?id HTTP/1.1\r\n\r\n",
		"GET /?id=0x10 HTTP/1.1\r\n\r\n",
		"GET /?id=1.5 HTTP/1.1\r\n\r\n",
		"GET /?id=18446744073709551616 HTTP/1.1\r\n\r\n",
		"GET /?delay_us=3600000001 HTTP/1.1\r\n\r\n",
		"GET /?delay_us=1000000000000 HTTP/1.1\r\n\r\n",
		"GET /?delay_us=99999999999999999999999999999 HTTP/1.1\r\n\r\n",
		"GET /?bytes=1073741825 HTTP/1.1\r\n\r\n",
		"GET /?bytes=18446744073709551616 HTTP/1.1\r\n\r\n",
		"GET /?id=%31 HTTP/1.1\r\n\r\n",
	};
	struct server_req r;
	size_t used;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (parse(bad[i], &r, &used) != -1)
			fail_msg("accepted bad number: %s", bad[i]);
}

static void test_oversize_header(void **state)
{
	static char buf[SERVER_HEAD_MAX + 64];
	const char *line = "GET / HTTP/1.1\r\nX-Pad: ";
	struct server_req r;
	size_t used, n = strlen(line);

	(void)state;
	memcpy(buf, line, n);
	/* a head of exactly SERVER_HEAD_MAX bytes is fine */
	memset(buf + n, 'a', SERVER_HEAD_MAX - n - 4);
	memcpy(buf + SERVER_HEAD_MAX - 4, "\r\n\r\n", 4);
	assert_int_equal(server_parse_request(buf, SERVER_HEAD_MAX, &r, &used), 1);
	assert_int_equal(used, SERVER_HEAD_MAX);
	/* one byte more is not */
	memset(buf + n, 'a', SERVER_HEAD_MAX - n - 3);
	memcpy(buf + SERVER_HEAD_MAX - 3, "\r\n\r\n", 4);
	assert_int_equal(server_parse_request(buf, SERVER_HEAD_MAX + 1, &r, &used), -1);
	/* and an unfinished head is refused as soon as it is too long */
	memset(buf + n, 'a', sizeof(buf) - n);
	assert_int_equal(server_parse_request(buf, SERVER_HEAD_MAX - 1, &r, &used), 0);
	assert_int_equal(server_parse_request(buf, SERVER_HEAD_MAX, &r, &used), -1);
}

static void test_keepalive(void **state)
{
	struct server_req r;
	size_t used;

	(void)state;
	assert_int_equal(parse("GET / HTTP/1.1\r\n\r\n", &r, &used), 1);
	assert_true(r.keepalive);
	assert_int_equal(parse("GET / HTTP/1.1\r\nConnection: close\r\n\r\n", &r, &used), 1);
	assert_false(r.keepalive);
	assert_int_equal(parse("GET / HTTP/1.1\r\nconnection:  Close \r\n\r\n", &r, &used), 1);
	assert_false(r.keepalive);
	assert_int_equal(parse("GET / HTTP/1.1\r\nConnection: TE, close\r\n\r\n", &r, &used), 1);
	assert_false(r.keepalive);
	assert_int_equal(parse("GET / HTTP/1.1\r\nConnection: keep-alive\r\n\r\n", &r, &used), 1);
	assert_true(r.keepalive);
	assert_int_equal(parse("GET / HTTP/1.0\r\n\r\n", &r, &used), 1);
	assert_false(r.keepalive);
	assert_int_equal(parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", &r, &used), 1);
	assert_true(r.keepalive);
	/* bare LF line ends and leading empty lines are tolerated */
	assert_int_equal(parse("\r\nGET /?id=3 HTTP/1.0\nConnection: keep-alive\n\n", &r, &used),
			 1);
	assert_true(r.keepalive);
	assert_int_equal(r.id, 3);
}

/* No bytes at all, as when a client closes before sending: more needed,
 * and no NULL pointer handed to memchr (UBSan would say so). */
static void test_empty_input(void **state)
{
	struct server_req r;
	size_t used;

	(void)state;
	assert_int_equal(server_parse_request(NULL, 0, &r, &used), 0);
	assert_int_equal(request_parse(NULL, 0, &r, &used), REQ_MORE);
	assert_int_equal(server_parse_request("", 0, &r, &used), 0);
	assert_int_equal(parse("\r\n", &r, &used), 0);
	assert_int_equal(parse("\n\n\n", &r, &used), 0);
}

/* The verdicts behind -1: which error response a client gets. */
static void test_verdicts(void **state)
{
	static char big[SERVER_HEAD_MAX + 16];
	const char *s;
	struct server_req r;
	size_t used;

	(void)state;
	s = "POST /?id=1 HTTP/1.1\r\n\r\n";
	assert_int_equal(request_parse(s, strlen(s), &r, &used), REQ_METHOD);
	s = "GET / HTTP/1.1\r\nbad header\r\n\r\n";
	assert_int_equal(request_parse(s, strlen(s), &r, &used), REQ_BAD);
	s = "HEAD /?bytes=9 HTTP/1.1\r\n\r\n";
	assert_int_equal(request_parse(s, strlen(s), &r, &used), REQ_DONE);
	assert_true(r.head);
	s = "GET /?bytes=9 HTTP/1.1\r\n\r\n";
	assert_int_equal(request_parse(s, strlen(s), &r, &used), REQ_DONE);
	assert_false(r.head);
	/* an overlong request line, and overlong headers */
	memcpy(big, "GET /", 5);
	memset(big + 5, 'a', sizeof(big) - 5);
	assert_int_equal(request_parse(big, sizeof(big), &r, &used), REQ_TOO_LARGE);
	memcpy(big, "GET / HTTP/1.1\r\n", 16);
	for (size_t i = 16; i + 10 <= sizeof(big); i += 10)
		memcpy(big + i, "X-A: bcd\r\n", 10);
	assert_int_equal(request_parse(big, sizeof(big), &r, &used), REQ_TOO_LARGE);
}

/* The target: visible ASCII, and a '%' starts two hex digits. */
static void test_bad_target(void **state)
{
	static const char *const bad[] = {
		"GET /%zz HTTP/1.1\r\n\r\n",	 "GET /a% HTTP/1.1\r\n\r\n",
		"GET /a%4 HTTP/1.1\r\n\r\n",	 "GET /?id=5&x=%g1 HTTP/1.1\r\n\r\n",
		"GET /%%41 HTTP/1.1\r\n\r\n",	 "GET /\xc3\xa9 HTTP/1.1\r\n\r\n",
		"GET /\x7f HTTP/1.1\r\n\r\n",	 "GET /?id=1\x80 HTTP/1.1\r\n\r\n",
		"GET /?\tid=1 HTTP/1.1\r\n\r\n",
	};
	struct server_req r;
	size_t used;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (parse(bad[i], &r, &used) != -1)
			fail_msg("accepted bad target #%zu", i);
	assert_int_equal(parse("GET /a%20b?x=%2F&id=7&y=%41%4a HTTP/1.1\r\n\r\n", &r, &used), 1);
	assert_int_equal(r.id, 7);
	/* escapes are not decoded: %64elay_us is an unknown key */
	assert_int_equal(parse("GET /?%64elay_us=5 HTTP/1.1\r\n\r\n", &r, &used), 1);
	assert_int_equal(r.delay_us, 0);
}

/* 100 pipelined requests in one buffer come out one by one, in order. */
static void test_pipelined_many(void **state)
{
	enum { N = 100 };
	static char buf[N * 64];
	size_t len = 0, pos = 0, used;
	struct server_req r;

	(void)state;
	for (int i = 0; i < N; i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len,
					"GET /?id=%d&bytes=%d HTTP/1.1\r\n\r\n", i, 2 * i);
	for (int i = 0; i < N; i++) {
		assert_int_equal(server_parse_request(buf + pos, len - pos, &r, &used), 1);
		assert_int_equal(r.id, i);
		assert_int_equal(r.bytes, 2 * i);
		pos += used;
	}
	assert_int_equal(pos, len);
}

/* Random bytes and random mixes of request pieces: always a verdict, never
 * a read outside the buffer (each buffer is its own allocation). */
static void test_garbage(void **state)
{
	static const char *const piece[] = {
		"GET ",
		"HEAD ",
		"/",
		"?",
		"&",
		"=",
		"id",
		"bytes",
		"delay_us",
		"%",
		"4",
		"1",
		"99999999999999999999",
		" HTTP/1.1",
		" HTTP/1.0",
		"\r\n",
		"\n",
		"\r",
		":",
		" ",
		"Connection",
		"close",
		"Content-Length",
		"0",
		"\t",
		"#",
	};
	uint64_t x = 1;

	(void)state;
	for (int round = 0; round < 20000; round++) {
		char tmp[256], *buf;
		size_t len = 0, used = 0, want = (size_t)(x % 200);
		struct server_req r;
		int rc;

		while (len < want) {
			x = x * 6364136223846793005ull + 1442695040888963407ull;
			if (round % 2) {
				tmp[len++] = (char)(x >> 56);
			} else {
				const char *p =
					piece[(x >> 33) % (sizeof(piece) / sizeof(piece[0]))];
				size_t n = strlen(p);

				memcpy(tmp + len, p, n);
				len += n;
			}
		}
		/* exactly len bytes: under ASan a read past them fails */
		buf = malloc(len ? len : 1);
		assert_non_null(buf);
		memcpy(buf, tmp, len);
		rc = server_parse_request(buf, len, &r, &used);
		if (rc < -1 || rc > 1 || (rc == 1 && (used == 0 || used > len)))
			fail_msg("round %d: rc %d used %zu of %zu", round, rc, used, len);
		free(buf);
	}
}

static void test_body_deterministic_printable(void **state)
{
	enum { N = 10000 };
	static char a[N], b[N], c[N];

	(void)state;
	server_body(42, 0, a, N);
	server_body(42, 0, b, N);
	assert_memory_equal(a, b, N);
	server_body(43, 0, c, N);
	assert_memory_not_equal(a, c, N);
	for (size_t i = 0; i < N; i++)
		if (a[i] < 0x21 || a[i] > 0x7e)
			fail_msg("byte %zu is 0x%02x", i, (unsigned char)a[i]);
	/* any chunking gives the same bytes */
	memset(b, 0, N);
	for (size_t off = 0, step = 1; off < N; off += step, step = step * 3 % 1000 + 1) {
		size_t n = off + step > N ? N - off : step;

		server_body(42, off, b + off, n);
	}
	assert_memory_equal(a, b, N);
	/* not a short repeating pattern */
	assert_memory_not_equal(a, a + 64, 256);
	assert_memory_not_equal(a, a + 8, 256);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_request),
		cmocka_unit_test(test_consumed_stops_at_blank_line),
		cmocka_unit_test(test_split_at_every_byte),
		cmocka_unit_test(test_query_any_order_and_missing),
		cmocka_unit_test(test_bad_method),
		cmocka_unit_test(test_bad_request_line),
		cmocka_unit_test(test_bad_number),
		cmocka_unit_test(test_oversize_header),
		cmocka_unit_test(test_keepalive),
		cmocka_unit_test(test_empty_input),
		cmocka_unit_test(test_verdicts),
		cmocka_unit_test(test_bad_target),
		cmocka_unit_test(test_pipelined_many),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_body_deterministic_printable),
	};

	return unit_run(argc, argv, tests, NULL, NULL);
}
