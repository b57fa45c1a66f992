/* request.h - the latency server's HTTP/1.x request-head parser.
 *
 * A pure function over a byte buffer: no libuv, no allocation, no global
 * state, so that a fuzzer (tests/fuzz/fuzz_server_request.c) can build this
 * one file on its own. server_parse_request() in server.h is the public
 * face of it; the connection code needs the finer verdicts below. */
#ifndef CMB_SERVER_REQUEST_H
#define CMB_SERVER_REQUEST_H

#include <stddef.h>

#include "server.h"

/* What request_parse() found at the start of a buffer. */
enum request_rc {
	REQ_MORE = 0,	    /* no complete head yet, nothing wrong so far */
	REQ_DONE = 1,	    /* a complete, valid GET or HEAD request head */
	REQ_BAD = -1,	    /* malformed: answer 400 */
	REQ_METHOD = -2,    /* well-formed, but not GET or HEAD: answer 405 */
	REQ_TOO_LARGE = -3, /* the head is longer than SERVER_HEAD_MAX: answer 431 */
};

/* server_parse_request() with the verdicts above. buf may be NULL when len
 * is 0. On REQ_DONE, *out and *consumed are set; on anything else neither
 * is touched. */
enum request_rc request_parse(const char *buf, size_t len, struct server_req *out,
			      size_t *consumed);

#endif
