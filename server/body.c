/* body.c - the latency server's response body: a deterministic function of
 * the request id and the byte offset, so that every client (and every
 * chunking of the write) sees the same bytes for the same id. */
#include "server.h"

#include "../harness/util.h"

void server_body(uint64_t id, uint64_t offset, char *out, size_t n)
{
	static const char alphabet[65] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	uint64_t seed = mix64(id), block = offset / 8, x;
	unsigned k = (unsigned)(offset % 8);

	/* one 64-bit hash per aligned 8-byte block, 6 bits of each byte of it */
	x = mix64(seed ^ block);
	for (size_t i = 0; i < n; i++) {
		out[i] = alphabet[(x >> (8 * k)) & 63];
		if (++k == 8) {
			k = 0;
			x = mix64(seed ^ ++block);
		}
	}
}
