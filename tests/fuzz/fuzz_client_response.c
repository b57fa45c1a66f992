/* fuzz_client_response.c - libFuzzer harness of the client's HTTP response
 * parser (workloads/http.c). Each input is fed twice: whole, and split at
 * a point chosen by its first byte, and both feeds must agree on the
 * outcome, on how many bytes belonged to the response and on the body
 * hash; a finished response never reads past its own end. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "workloads/http.h"

struct outcome {
	int state;
	size_t used;
	uint64_t hash, got;
};

static struct outcome feed(const char *d, size_t n, size_t split)
{
	struct http_resp r;
	struct outcome o = { 0 };
	size_t used = 0;

	http_resp_init(&r);
	o.state = http_resp_feed(&r, d, split, &used);
	o.used = used;
	if (o.state == HTTP_MORE && split < n) {
		o.state = http_resp_feed(&r, d + split, n - split, &used);
		o.used += used;
	}
	if (o.state == HTTP_DONE) {
		o.hash = http_resp_hash(&r);
		o.got = r.body_got;
		if (r.body_got != r.content_length)
			abort();
	}
	if (o.used > n)
		abort();
	return o;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct outcome a, b;
	size_t split;

	if (size == 0)
		return 0;
	split = size > 1 ? data[0] % size : 0;
	a = feed((const char *)data, size, size);
	b = feed((const char *)data, size, split);
	/* a state reached early can only be more final, never different */
	if (a.state == HTTP_DONE && b.state != HTTP_DONE)
		abort();
	if (a.state == HTTP_DONE && (a.used != b.used || a.hash != b.hash || a.got != b.got))
		abort();
	return 0;
}
