/* respond.c - the write side of a latency-server connection: the 200
 * response with its generated body, the error responses, and the linger
 * after the last response.
 *
 * A body is generated in CHUNK-sized pieces into a buffer that lives only
 * while the response is being written, so an idle connection holds no
 * output buffer and a 1 GiB body costs 64 KiB of memory. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#include "../lib/clock.h"

#define CHUNK (64 * 1024)	/* body bytes per write */
#define HDR_ROOM 256		/* room for the response header */
#define LINGER_NS 1000000000ull /* drain time after the last response */

static const char resp_400[] = "HTTP/1.1 400 Bad Request\r\n"
			       "Content-Type: text/plain\r\n"
			       "Content-Length: 12\r\n"
			       "Connection: close\r\n"
			       "\r\n"
			       "bad request\n";
static const char resp_405[] = "HTTP/1.1 405 Method Not Allowed\r\n"
			       "Allow: GET, HEAD\r\n"
			       "Content-Type: text/plain\r\n"
			       "Content-Length: 19\r\n"
			       "Connection: close\r\n"
			       "\r\n"
			       "method not allowed\n";
static const char resp_431[] = "HTTP/1.1 431 Request Header Fields Too Large\r\n"
			       "Content-Type: text/plain\r\n"
			       "Content-Length: 23\r\n"
			       "Connection: close\r\n"
			       "\r\n"
			       "request head too large\n";

static void on_write(uv_write_t *w, int status);

/* Write buf[0..n) as the next piece of the current response. */
static void conn_write(struct conn *c, const char *buf, size_t n)
{
	uv_buf_t b = uv_buf_init((char *)buf, (unsigned)n);

	c->state = CONN_WRITING;
	if (uv_write(&c->req.write, (uv_stream_t *)&c->tcp, &b, 1, on_write) < 0)
		conn_close(c);
}

/* Fill the body from c->off into out; returns the bytes filled. */
static size_t conn_fill_body(struct conn *c, char *out)
{
	size_t n = c->left < CHUNK ? (size_t)c->left : CHUNK;

	server_body(c->id, c->off, out, n);
	c->off += n;
	c->left -= n;
	return n;
}

/* The 200 response's header for a body of `bytes` into out (HDR_ROOM
 * bytes); returns its length. Written by hand: snprintf cost more than
 * the rest of a small response. */
static size_t put_header(char *out, uint64_t bytes, bool keepalive)
{
	static const char head[] = "HTTP/1.1 200 OK\r\n"
				   "Content-Type: text/plain\r\n"
				   "Content-Length: ";
	static const char keep[] = "\r\nConnection: keep-alive\r\n\r\n";
	static const char close[] = "\r\nConnection: close\r\n\r\n";
	char digits[20];
	size_t n = sizeof(head) - 1, d = 0;

	memcpy(out, head, n);
	do
		digits[d++] = (char)('0' + bytes % 10);
	while ((bytes /= 10) > 0);
	while (d > 0)
		out[n++] = digits[--d];
	if (keepalive) {
		memcpy(out + n, keep, sizeof(keep) - 1);
		return n + sizeof(keep) - 1;
	}
	memcpy(out + n, close, sizeof(close) - 1);
	return n + sizeof(close) - 1;
}

void conn_respond(struct conn *c)
{
	size_t first = c->left < CHUNK ? (size_t)c->left : CHUNK, n;

	c->out = malloc(HDR_ROOM + first);
	if (!c->out) {
		conn_close(c);
		return;
	}
	n = put_header(c->out, c->bytes, c->keepalive);
	c->off = 0;
	conn_write(c, c->out, n + conn_fill_body(c, c->out + n));
}

void conn_reject(struct conn *c, enum request_rc why)
{
	const char *resp = resp_400;
	size_t n = sizeof(resp_400) - 1;

	if (why == REQ_METHOD) {
		resp = resp_405;
		n = sizeof(resp_405) - 1;
	} else if (why == REQ_TOO_LARGE) {
		resp = resp_431;
		n = sizeof(resp_431) - 1;
	}
	idle_leave(&c->srv->idle, &c->idle);
	c->keepalive = false;
	c->left = 0;
	c->in_len = 0;
	conn_write(c, resp, n);
}

static void on_shutdown(uv_shutdown_t *req, int status)
{
	struct conn *c = container_of(req, struct conn, req.shutdown);

	if (status < 0)
		conn_close(c);
}

/* After the last response: send FIN, then read and drop what the client
 * still sends until it closes (or LINGER_NS), so that the close does not
 * turn into a reset that could destroy the response in flight. */
static void conn_linger(struct conn *c)
{
	if (c->peer_eof) {
		conn_close(c);
		return;
	}
	c->state = CONN_LINGER;
	c->in_len = 0;
	if (uv_shutdown(&c->req.shutdown, (uv_stream_t *)&c->tcp, on_shutdown) < 0 ||
	    deadlines_add(&c->srv->deadlines, &c->due, clock_now_ns() + LINGER_NS) < 0) {
		conn_close(c);
		return;
	}
	conn_read_start(c);
}

static void on_write(uv_write_t *w, int status)
{
	struct conn *c = container_of(w, struct conn, req.write);

	if (status < 0 || c->closing) {
		conn_close(c);
		return;
	}
	if (c->left > 0) {
		conn_write(c, c->out, conn_fill_body(c, c->out));
		return;
	}
	free(c->out);
	c->out = NULL;
	if (!c->keepalive) {
		conn_linger(c);
		return;
	}
	c->state = CONN_IDLE;
	conn_process(c);
}
