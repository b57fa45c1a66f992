/* body.c - the latency server's response body: a deterministic function of
 * the request id and the byte offset, so that every client (and every
 * chunking of the write) sees the same bytes for the same id. */
#include "server.h"

#include "../lib/util.h"

static const char alphabet[65] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* The first m (at most 8) bytes of a block from x, lowest byte of x first. */
static inline void put_bytes(char *out, uint64_t x, size_t m)
{
	for (size_t i = 0; i < m; i++, x >>= 8)
		out[i] = alphabet[x & 63];
}

/* A whole block, spelled out: compilers at -O2 keep the 8-step loop. */
static inline void put_block(char *out, uint64_t x)
{
	out[0] = alphabet[x & 63];
	out[1] = alphabet[(x >> 8) & 63];
	out[2] = alphabet[(x >> 16) & 63];
	out[3] = alphabet[(x >> 24) & 63];
	out[4] = alphabet[(x >> 32) & 63];
	out[5] = alphabet[(x >> 40) & 63];
	out[6] = alphabet[(x >> 48) & 63];
	out[7] = alphabet[(x >> 56) & 63];
}

void server_body(uint64_t id, uint64_t offset, char *out, size_t n)
{
	uint64_t seed = mix64(id), block = offset / 8;
	unsigned k = (unsigned)(offset % 8);

	/* one 64-bit hash per aligned 8-byte block, 6 bits of each byte of it */
	if (k > 0 && n > 0) {
		size_t m = n < 8 - k ? n : 8 - k;

		put_bytes(out, mix64(seed ^ block++) >> (8 * k), m);
		out += m;
		n -= m;
	}
	for (; n >= 8; n -= 8, out += 8)
		put_block(out, mix64(seed ^ block++));
	if (n > 0)
		put_bytes(out, mix64(seed ^ block), n);
}
