/* http.h - the HTTP/1.1 client side every model shares: the request bytes
 * and a streaming response parser that hashes the body as it arrives. */
#ifndef CMB_HTTP_H
#define CMB_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../harness/config.h"

#define HTTP_REQ_MAX 1024
#define HTTP_HDR_MAX 2048

enum http_state {
	HTTP_MORE = 0,
	HTTP_DONE = 1,
	HTTP_BAD = -1,
	HTTP_STATUS = -2,
	HTTP_TRUNCATED = -3
};

struct http_resp {
	int state;		 /* HTTP_MORE until done or failed */
	bool in_body;		 /* headers are complete */
	char hdr[HTTP_HDR_MAX];	 /* header bytes gathered so far */
	size_t hdr_len;		 /* bytes in hdr */
	int status;		 /* status code, once parsed */
	uint64_t content_length; /* from the header */
	uint64_t body_got;	 /* body bytes seen */
	uint64_t body_hash;	 /* running FNV-1a of the body */
	bool conn_close;	 /* server said Connection: close */
};

/* Request for task `id` into buf; returns its length. */
size_t http_request(char *buf, size_t cap, const struct run_cfg *cfg, uint64_t id);

void http_resp_init(struct http_resp *r);
/* Feed received bytes. Returns HTTP_MORE, HTTP_DONE or an error state.
 * *used is how many bytes belonged to this response. */
int http_resp_feed(struct http_resp *r, const char *data, size_t len, size_t *used);
/* The peer closed: HTTP_DONE if the response was complete, else HTTP_TRUNCATED. */
int http_resp_eof(struct http_resp *r);
/* The io part's result: the body hash folded with its length. */
uint64_t http_resp_hash(const struct http_resp *r);

#endif
