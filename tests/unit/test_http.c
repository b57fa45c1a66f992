/* test_http.c - the HTTP/1.1 client side (workloads/http.c): the streaming
 * response parser (whole, split at every byte, one byte at a time, status
 * and format errors, truncation, Connection handling, pipelining, the body
 * hash), and that it reads the latency server's bodies (server/body.c).
 * The request builder is test_http_request.c's. */
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

#define BIG 8192

/* CRC-32 (IEEE 802.3, reflected, as zlib and Python's zlib.crc32 compute
 * it), bit by bit: the parser's zlib call checked against the definition */
static uint32_t crc32_ref(const char *p, size_t n)
{
	uint32_t c = 0xffffffffu;

	for (size_t i = 0; i < n; i++) {
		c ^= (unsigned char)p[i];
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1u)));
	}
	return c ^ 0xffffffffu;
}

/* A 200 response with Content-Length into buf; returns its length. */
static size_t make_resp(char *buf, size_t cap, const char *status_line, const char *extra_hdrs,
			const char *body, size_t blen)
{
	int n = snprintf(buf, cap,
			 "%s\r\nContent-Type: text/plain\r\nContent-Length: %zu\r\n%s\r\n",
			 status_line, blen, extra_hdrs);

	assert_true(n > 0 && (size_t)n + blen <= cap);
	memcpy(buf + n, body, blen);
	return (size_t)n + blen;
}

/* Feed all of s in one call. */
static int feed_all(struct http_resp *r, const char *s, size_t len, size_t *used)
{
	http_resp_init(r);
	return http_resp_feed(r, s, len, used);
}

static int feed_str(struct http_resp *r, const char *s)
{
	size_t used;

	return feed_all(r, s, strlen(s), &used);
}

static const char body1[] = "Hello, cmbench! 0123456789 abcdefghijklmnopqrstuvwxyz";

static void test_complete_response(void **state)
{
	char buf[BIG];
	size_t len = make_resp(buf, sizeof(buf), "HTTP/1.1 200 OK", "", body1, strlen(body1)), used;
	struct http_resp r;

	(void)state;
	assert_int_equal(feed_all(&r, buf, len, &used), HTTP_DONE);
	assert_int_equal(used, len);
	assert_int_equal(r.state, HTTP_DONE);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.content_length, strlen(body1));
	assert_int_equal(r.body_got, strlen(body1));
	assert_int_equal(r.body_crc, crc32_ref(body1, strlen(body1)));
	assert_false(r.conn_close);
	/* done is sticky: more bytes are not taken */
	assert_int_equal(http_resp_feed(&r, "xyz", 3, &used), HTTP_DONE);
	assert_int_equal(used, 0);
	assert_int_equal(http_resp_eof(&r), HTTP_DONE);
}

/* Every split into two feeds, and one byte at a time: same state, same hash. */
static void test_split_every_boundary(void **state)
{
	char buf[BIG];
	size_t len = make_resp(buf, sizeof(buf), "HTTP/1.1 200 OK", "Server: test\r\n", body1,
			       strlen(body1)),
	       used;
	struct http_resp r;
	uint64_t want;

	(void)state;
	assert_int_equal(feed_all(&r, buf, len, &used), HTTP_DONE);
	want = http_resp_hash(&r);
	for (size_t k = 0; k <= len; k++) {
		int st;

		http_resp_init(&r);
		st = http_resp_feed(&r, buf, k, &used);
		if (k < len) {
			if (st != HTTP_MORE)
				fail_msg("split at %zu: first feed gave %d", k, st);
			assert_int_equal(used, k);
			st = http_resp_feed(&r, buf + k, len - k, &used);
			assert_int_equal(used, len - k);
		} else {
			assert_int_equal(used, len);
		}
		if (st != HTTP_DONE)
			fail_msg("split at %zu: gave %d", k, st);
		assert_int_equal(http_resp_hash(&r), want);
		assert_int_equal(r.body_got, strlen(body1));
	}

	http_resp_init(&r);
	for (size_t i = 0; i < len; i++) {
		int st = http_resp_feed(&r, buf + i, 1, &used);

		assert_int_equal(used, 1);
		if (st != (i + 1 < len ? HTTP_MORE : HTTP_DONE))
			fail_msg("byte %zu of %zu: state %d", i, len, st);
	}
	assert_int_equal(http_resp_hash(&r), want);
	assert_int_equal(r.body_crc, crc32_ref(body1, strlen(body1)));
}

static void test_bad_status(void **state)
{
	static const char *const lines[] = { "HTTP/1.1 404 Not Found",
					     "HTTP/1.1 500 Internal Server Error",
					     "HTTP/1.1 201 Created", "HTTP/1.0 301 Moved" };
	static const int codes[] = { 404, 500, 201, 301 };
	char buf[BIG];
	struct http_resp r;
	size_t used;

	(void)state;
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		size_t len = make_resp(buf, sizeof(buf), lines[i], "", "nope", 4);

		assert_int_equal(feed_all(&r, buf, len, &used), HTTP_STATUS);
		assert_int_equal(r.status, codes[i]);
		assert_true(used < len); /* the body is not ours to take */
		/* the error is sticky */
		assert_int_equal(http_resp_feed(&r, "x", 1, &used), HTTP_STATUS);
	}
}

static void test_garbage_status_line(void **state)
{
	static const char *const lines[] = {
		"FOO 200 OK",	   "HTTP/1.1 abc OK",  "HTTP/2 200 OK",	  "HTTP/1.1 20 OK",
		"http/1.1 200 OK", "HTTP/1.1  200 OK", "HTTP/1.x 200 OK", "",
		"200 OK",	   "HTTP/1.1",	       "HTTP/1.1 2x0 OK", "ICY 200 OK",
	};
	char buf[BIG];
	struct http_resp r;
	size_t used;

	(void)state;
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		size_t len = make_resp(buf, sizeof(buf), lines[i], "", "abc", 3);
		int st = feed_all(&r, buf, len, &used);

		if (st != HTTP_BAD)
			fail_msg("status line '%s' gave %d, not HTTP_BAD", lines[i], st);
	}
	assert_int_equal(feed_str(&r, "\r\n\r\n"), HTTP_BAD);
	assert_int_equal(feed_str(&r, "garbage\r\n\r\n"), HTTP_BAD);
}

/* A status code is exactly three digits followed by a space (or the end of
 * the line): "2000" is not 200. */
static void test_status_code_four_digits(void **state)
{
	static const char *const lines[] = { "HTTP/1.1 2000 OK", "HTTP/1.1 200OK" };
	char buf[BIG];
	struct http_resp r;
	size_t used;

	(void)state;
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		size_t len = make_resp(buf, sizeof(buf), lines[i], "", "abc", 3);
		int st = feed_all(&r, buf, len, &used);

		if (st != HTTP_BAD)
			fail_msg("status line '%s' gave %d, not HTTP_BAD", lines[i], st);
	}
	/* and the reason phrase may be empty */
	assert_int_equal(feed_str(&r, "HTTP/1.1 200 \r\nContent-Length: 1\r\n\r\nx"), HTTP_DONE);
}

static void test_missing_content_length(void **state)
{
	struct http_resp r;

	(void)state;
	assert_int_equal(feed_str(&r, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nbody"),
			 HTTP_BAD);
	assert_int_equal(feed_str(&r, "HTTP/1.1 200 OK\r\n\r\n"), HTTP_BAD);
	/* a bad Content-Length is no Content-Length */
	assert_int_equal(feed_str(&r, "HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n"), HTTP_BAD);
	assert_int_equal(feed_str(&r, "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n"), HTTP_BAD);
	assert_int_equal(feed_str(&r, "HTTP/1.1 200 OK\r\nContent-Length: 12x\r\n\r\n"), HTTP_BAD);
	assert_int_equal(feed_str(&r, "HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n"), HTTP_BAD);
	/* a sign, trailing junk, an overflow, or two that disagree */
	assert_int_equal(feed_str(&r, "HTTP/1.1 200 OK\r\nContent-Length: +16\r\n\r\n"), HTTP_BAD);
	assert_int_equal(feed_str(&r, "HTTP/1.1 200 OK\r\nContent-Length: 16 7\r\n\r\n"), HTTP_BAD);
	assert_int_equal(
		feed_str(&r, "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n"),
		HTTP_BAD);
	assert_int_equal(
		feed_str(&r, "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"),
		HTTP_BAD);
	/* two that agree, and trailing blanks, are fine */
	assert_int_equal(
		feed_str(&r, "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 1 \r\n\r\nx"),
		HTTP_DONE);
	/* header names are case-insensitive */
	assert_int_equal(feed_str(&r, "HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok"), HTTP_DONE);
	assert_int_equal(r.body_got, 2);
}

static void test_chunked_rejected(void **state)
{
	struct http_resp r;

	(void)state;
	assert_int_equal(feed_str(&r, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
				      "5\r\nhello\r\n0\r\n\r\n"),
			 HTTP_BAD);
	/* even when a Content-Length is given too */
	assert_int_equal(feed_str(&r, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n"
				      "Transfer-Encoding: chunked\r\n\r\nhello"),
			 HTTP_BAD);
	assert_int_equal(feed_str(&r, "HTTP/1.1 200 OK\r\ntransfer-encoding: gzip, chunked\r\n"
				      "Content-Length: 5\r\n\r\nhello"),
			 HTTP_BAD);
}

static void test_truncated(void **state)
{
	char buf[BIG];
	size_t len = make_resp(buf, sizeof(buf), "HTTP/1.1 200 OK", "", body1, strlen(body1)), used;
	struct http_resp r;

	(void)state;
	/* body cut short */
	assert_int_equal(feed_all(&r, buf, len - 5, &used), HTTP_MORE);
	assert_int_equal(used, len - 5);
	assert_int_equal(http_resp_eof(&r), HTTP_TRUNCATED);
	assert_int_equal(r.state, HTTP_TRUNCATED);
	/* headers cut short */
	assert_int_equal(feed_all(&r, buf, 10, &used), HTTP_MORE);
	assert_int_equal(http_resp_eof(&r), HTTP_TRUNCATED);
	/* nothing at all */
	http_resp_init(&r);
	assert_int_equal(http_resp_eof(&r), HTTP_TRUNCATED);
	/* a complete one is done at eof */
	assert_int_equal(feed_all(&r, buf, len, &used), HTTP_DONE);
	assert_int_equal(http_resp_eof(&r), HTTP_DONE);
}

static void test_content_length_zero(void **state)
{
	const char *s = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
	struct http_resp r, r1;
	size_t used;

	(void)state;
	assert_int_equal(feed_all(&r, s, strlen(s), &used), HTTP_DONE);
	assert_int_equal(used, strlen(s));
	assert_int_equal(r.body_got, 0);
	assert_int_equal(r.body_crc, crc32_ref("", 0));
	/* split at every byte it is still done, with the same hash */
	for (size_t k = 1; k < strlen(s); k++) {
		http_resp_init(&r1);
		assert_int_equal(http_resp_feed(&r1, s, k, &used), HTTP_MORE);
		assert_int_equal(http_resp_feed(&r1, s + k, strlen(s) - k, &used), HTTP_DONE);
		assert_int_equal(http_resp_hash(&r1), http_resp_hash(&r));
	}
	/* the empty body hashes differently from a one-byte body */
	assert_int_equal(feed_str(&r1, "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nA"), HTTP_DONE);
	assert_int_not_equal(http_resp_hash(&r1), http_resp_hash(&r));
}

static void test_connection_close(void **state)
{
	struct http_resp r;

	(void)state;
	assert_int_equal(
		feed_str(&r, "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nConnection: close\r\n\r\nx"),
		HTTP_DONE);
	assert_true(r.conn_close);
	assert_int_equal(
		feed_str(&r, "HTTP/1.1 200 OK\r\nCONNECTION: Close\r\nContent-Length: 1\r\n\r\nx"),
		HTTP_DONE);
	assert_true(r.conn_close);
	assert_int_equal(
		feed_str(&r,
			 "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nConnection: keep-alive\r\n\r\nx"),
		HTTP_DONE);
	assert_false(r.conn_close);
	assert_int_equal(feed_str(&r, "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx"), HTTP_DONE);
	assert_false(r.conn_close);
}

static void test_http10_closes(void **state)
{
	struct http_resp r;

	(void)state;
	assert_int_equal(feed_str(&r, "HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx"), HTTP_DONE);
	assert_true(r.conn_close);
	/* unless the server says keep-alive */
	assert_int_equal(
		feed_str(&r,
			 "HTTP/1.0 200 OK\r\nContent-Length: 1\r\nConnection: keep-alive\r\n\r\nx"),
		HTTP_DONE);
	assert_false(r.conn_close);
}

static void test_header_too_large(void **state)
{
	char pad[HTTP_HDR_MAX + 64];
	char hdrs[HTTP_HDR_MAX + 128];
	char buf[BIG];
	struct http_resp r;
	size_t len, used, hlen;

	(void)state;
	/* a header block of more than HTTP_HDR_MAX bytes */
	memset(pad, 'a', sizeof(pad) - 1);
	pad[sizeof(pad) - 1] = '\0';
	snprintf(hdrs, sizeof(hdrs), "X-Pad: %s\r\n", pad);
	len = make_resp(buf, sizeof(buf), "HTTP/1.1 200 OK", hdrs, "abc", 3);
	hlen = len - 3;
	assert_true(hlen > HTTP_HDR_MAX);
	assert_int_equal(feed_all(&r, buf, len, &used), HTTP_BAD);
	/* and fed one byte at a time */
	http_resp_init(&r);
	for (size_t i = 0; i < len && r.state == HTTP_MORE; i++)
		http_resp_feed(&r, buf + i, 1, &used);
	assert_int_equal(r.state, HTTP_BAD);

	/* a large block that fits is fine */
	pad[HTTP_HDR_MAX / 2] = '\0';
	snprintf(hdrs, sizeof(hdrs), "X-Pad: %s\r\n", pad);
	len = make_resp(buf, sizeof(buf), "HTTP/1.1 200 OK", hdrs, "abc", 3);
	assert_int_equal(feed_all(&r, buf, len, &used), HTTP_DONE);
	assert_int_equal(r.body_crc, crc32_ref("abc", 3));
}

/* Two pipelined responses: the first parse stops at its own end, whatever
 * the split, and the rest parses as the second response. */
static void test_pipelined(void **state)
{
	static const char second_body[] = "second!";
	char buf[BIG];
	size_t len1 = make_resp(buf, sizeof(buf), "HTTP/1.1 200 OK", "", body1, strlen(body1));
	size_t len = len1 + make_resp(buf + len1, sizeof(buf) - len1, "HTTP/1.1 200 OK", "",
				      second_body, strlen(second_body));
	size_t used, used2;
	struct http_resp r;

	(void)state;
	assert_int_equal(feed_all(&r, buf, len, &used), HTTP_DONE);
	assert_int_equal(used, len1);
	assert_true(used < len);
	assert_int_equal(r.body_crc, crc32_ref(body1, strlen(body1)));
	assert_int_equal(feed_all(&r, buf + used, len - used, &used2), HTTP_DONE);
	assert_int_equal(used2, len - len1);
	assert_int_equal(r.body_crc, crc32_ref(second_body, strlen(second_body)));

	for (size_t k = 1; k < len; k++) {
		size_t total;
		int st;

		http_resp_init(&r);
		st = http_resp_feed(&r, buf, k, &used);
		total = used;
		if (st == HTTP_MORE) {
			st = http_resp_feed(&r, buf + k, len - k, &used);
			total += used;
		}
		assert_int_equal(st, HTTP_DONE);
		if (total != len1)
			fail_msg("split at %zu: %zu bytes used, the first response is %zu", k,
				 total, len1);
	}
}

static uint64_t hash_of(const char *body, size_t blen, const char *extra)
{
	char buf[BIG];
	size_t len = make_resp(buf, sizeof(buf), "HTTP/1.1 200 OK", extra, body, blen), used;
	struct http_resp r;

	assert_int_equal(feed_all(&r, buf, len, &used), HTTP_DONE);
	return http_resp_hash(&r);
}

static void test_body_hash(void **state)
{
	(void)state;
	/* the standard CRC-32 (its check value), folded with the length by one
	 * mix64: what models/python/foreign.py's body_hash computes */
	assert_int_equal(crc32_ref("123456789", 9), 0xcbf43926u);
	assert_int_equal(hash_of("123456789", 9, ""), mix64(0xcbf43926ull ^ (9ull << 32)));
	/* equal bodies, equal hashes, whatever the headers */
	assert_int_equal(hash_of("abcdef", 6, ""), hash_of("abcdef", 6, "X-Other: 1\r\n"));
	assert_int_equal(hash_of("abcdef", 6, ""), hash_of("abcdef", 6, "Connection: close\r\n"));
	/* different bodies, different hashes */
	assert_int_not_equal(hash_of("abcdef", 6, ""), hash_of("abcdeg", 6, ""));
	assert_int_not_equal(hash_of("abcdef", 6, ""), hash_of("fedcba", 6, ""));
	assert_int_not_equal(hash_of("abcdef", 6, ""), hash_of("abcde", 5, ""));
	assert_int_not_equal(hash_of("a", 1, ""), hash_of("aa", 2, ""));
	/* a NUL byte is body too */
	assert_int_not_equal(hash_of("a\0b", 3, ""), hash_of("a\0c", 3, ""));
}

/* A response whose body comes from server_body() parses, in one go and in
 * server-sized pieces, to the hash of that body. */
static void test_server_body_accepted(void **state)
{
	enum { N = 3000 };
	static char body[N], buf[BIG];
	struct http_resp r;
	size_t len, used, off;
	uint64_t h1, h2;

	(void)state;
	server_body(7, 0, body, N);
	len = make_resp(buf, sizeof(buf), "HTTP/1.1 200 OK", "Connection: keep-alive\r\n", body, N);
	assert_int_equal(feed_all(&r, buf, len, &used), HTTP_DONE);
	assert_int_equal(used, len);
	assert_int_equal(r.body_got, N);
	assert_int_equal(r.body_crc, crc32_ref(body, N));
	assert_false(r.conn_close);
	h1 = http_resp_hash(&r);

	/* header first, then the body as the server would write it in pieces */
	http_resp_init(&r);
	assert_int_equal(http_resp_feed(&r, buf, len - N, &used), HTTP_MORE);
	for (off = 0; off < N; off += 777) {
		char piece[777];
		size_t n = N - off < sizeof(piece) ? N - off : sizeof(piece);

		server_body(7, off, piece, n);
		assert_int_equal(http_resp_feed(&r, piece, n, &used),
				 off + n < N ? HTTP_MORE : HTTP_DONE);
		assert_int_equal(used, n);
	}
	h2 = http_resp_hash(&r);
	assert_int_equal(h1, h2);

	/* another id, another body, another hash */
	server_body(8, 0, body, N);
	len = make_resp(buf, sizeof(buf), "HTTP/1.1 200 OK", "", body, N);
	assert_int_equal(feed_all(&r, buf, len, &used), HTTP_DONE);
	assert_int_not_equal(http_resp_hash(&r), h1);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_complete_response),
		cmocka_unit_test(test_split_every_boundary),
		cmocka_unit_test(test_bad_status),
		cmocka_unit_test(test_garbage_status_line),
		cmocka_unit_test(test_status_code_four_digits),
		cmocka_unit_test(test_missing_content_length),
		cmocka_unit_test(test_chunked_rejected),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_content_length_zero),
		cmocka_unit_test(test_connection_close),
		cmocka_unit_test(test_http10_closes),
		cmocka_unit_test(test_header_too_large),
		cmocka_unit_test(test_pipelined),
		cmocka_unit_test(test_body_hash),
		cmocka_unit_test(test_server_body_accepted),
	};

	return unit_run(argc, argv, tests, NULL, NULL);
}
