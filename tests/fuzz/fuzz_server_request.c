/* fuzz_server_request.c - libFuzzer harness for the latency server's
 * request-head parser (server/request.c, built alone: it has no libuv).
 * Built and run by tests/fuzz/run_server.sh.
 *
 * Besides crashes and sanitizer reports, it checks what the connection
 * code relies on: a verdict in range; a complete head that is non-empty,
 * inside the input and inside SERVER_HEAD_MAX, with values inside their
 * limits; the same verdict and values from the head alone (the bytes after
 * it do not matter); "more" for a cut-off head (a head is never seen
 * early); "too large" only from SERVER_HEAD_MAX bytes on; and the public
 * server_parse_request() agreeing. Any other outcome aborts. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/request.h"

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz_server_request: %s (line %d)\n", #cond, __LINE__);   \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

/* request_parse() on a private copy of p[0..n), so that ASan sees any read
 * past n. */
static enum request_rc parse_copy(const uint8_t *p, size_t n, struct server_req *r, size_t *used)
{
	char *buf = malloc(n ? n : 1);
	enum request_rc rc;

	CHECK(buf != NULL);
	if (n)
		memcpy(buf, p, n);
	rc = request_parse(n ? buf : NULL, n, r, used);
	free(buf);
	return rc;
}

static void check_done(const uint8_t *data, size_t size, const struct server_req *r, size_t used)
{
	struct server_req r2;
	size_t used2 = 0;

	CHECK(used > 0 && used <= size && used <= SERVER_HEAD_MAX);
	CHECK(r->delay_us <= SERVER_DELAY_MAX && r->bytes <= SERVER_BYTES_MAX);
	/* the head alone gives the same answer */
	CHECK(parse_copy(data, used, &r2, &used2) == REQ_DONE);
	CHECK(used2 == used && r2.delay_us == r->delay_us && r2.bytes == r->bytes &&
	      r2.id == r->id && r2.keepalive == r->keepalive && r2.head == r->head);
	/* and any cut-off head asks for more */
	CHECK(parse_copy(data, used - 1, &r2, &used2) == REQ_MORE);
	CHECK(parse_copy(data, used / 2, &r2, &used2) == REQ_MORE);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct server_req r;
	size_t used = 0;
	enum request_rc rc = parse_copy(data, size, &r, &used);
	int pub;

	CHECK(rc == REQ_MORE || rc == REQ_DONE || rc == REQ_BAD || rc == REQ_METHOD ||
	      rc == REQ_TOO_LARGE);
	if (rc == REQ_DONE)
		check_done(data, size, &r, used);
	if (rc == REQ_MORE)
		CHECK(size < SERVER_HEAD_MAX);
	if (rc == REQ_TOO_LARGE)
		CHECK(size >= SERVER_HEAD_MAX);
	pub = server_parse_request(size ? (const char *)data : NULL, size, &r, &used);
	CHECK(pub == (rc < 0 ? -1 : (int)rc));
	return 0;
}
