/* conn.c - one connection of the latency server: accepting it, reading
 * requests, deciding what each deserves, and closing.
 *
 * A connection reads a request head, answers it, and only then parses the
 * next one, so pipelined requests are answered in order. While a response
 * waits or is being written the connection keeps reading, to see the
 * client go early, but buffers at most about CONN_IN_HIGH bytes before it
 * pauses. A client that sends FIN while its response is delayed is gone as
 * far as the server is concerned (cmbench, curl and wrk never half-close):
 * the connection is closed then, not left in CLOSE-WAIT until the delay
 * ends (only a client that has also piled up CONN_IN_HIGH bytes of
 * pipelined requests, so that reading paused, is noticed late). A FIN
 * while a response is being written lets the write finish.
 *
 * Memory per idle connection is the struct conn (about 0.6 KiB) plus its
 * input buffer (512 bytes for a usual request). All connections share one
 * read buffer. */
#include "internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/clock.h"

#define CONN_IN_MIN 512			   /* first input buffer of a connection */
#define CONN_IN_HIGH (2 * SERVER_HEAD_MAX) /* a busy connection stops reading here */

static void on_read(uv_stream_t *st, ssize_t nread, const uv_buf_t *buf);

static void on_close(uv_handle_t *h)
{
	struct conn *c = container_of(h, struct conn, tcp);

	free(c->in);
	free(c->out);
	free(c);
}

void conn_close(struct conn *c)
{
	if (c->closing)
		return;
	c->closing = true;
	deadlines_remove(&c->srv->deadlines, &c->due);
	idle_leave(&c->srv->idle, &c->idle);
	uv_close((uv_handle_t *)&c->tcp, on_close);
}

static void on_alloc(uv_handle_t *h, size_t hint, uv_buf_t *buf)
{
	struct conn *c = container_of(h, struct conn, tcp);

	(void)hint;
	*buf = uv_buf_init(c->srv->rbuf, sizeof(c->srv->rbuf));
}

void conn_read_start(struct conn *c)
{
	if (c->reading || c->peer_eof || c->closing)
		return;
	if (uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read) < 0) {
		conn_close(c);
		return;
	}
	c->reading = true;
}

static void conn_read_stop(struct conn *c)
{
	if (!c->reading)
		return;
	uv_read_stop((uv_stream_t *)&c->tcp);
	c->reading = false;
}

/* Append received bytes to c->in; 0 or -ENOMEM. */
static int conn_append(struct conn *c, const char *p, size_t n)
{
	if (c->in_len + n > c->in_cap) {
		size_t cap = c->in_cap ? c->in_cap : CONN_IN_MIN;
		char *in;

		while (cap < c->in_len + n)
			cap *= 2;
		in = realloc(c->in, cap);
		if (!in)
			return -ENOMEM;
		c->in = in;
		c->in_cap = cap;
	}
	memcpy(c->in + c->in_len, p, n);
	c->in_len += n;
	return 0;
}

/* Drop the first used bytes of c->in: they were a request now answered. */
static void conn_consume(struct conn *c, size_t used)
{
	c->in_len -= used;
	if (c->in_len > 0) {
		memmove(c->in, c->in + used, c->in_len);
	} else if (c->in_cap > 4 * CONN_IN_MIN) {
		/* after a burst of pipelined requests, idle small again */
		free(c->in);
		c->in = NULL;
		c->in_cap = 0;
	}
}

/* A complete request r: respond now or when its delay has passed. */
static void conn_start(struct conn *c, const struct server_req *r)
{
	idle_leave(&c->srv->idle, &c->idle);
	c->id = r->id;
	c->bytes = r->bytes;
	c->left = r->head ? 0 : r->bytes;
	c->keepalive = r->keepalive;
	if (r->delay_us == 0) {
		conn_respond(c);
		return;
	}
	if (c->peer_eof) {
		conn_close(c); /* no one to wait for (see the top of the file) */
		return;
	}
	c->state = CONN_DELAYED;
	if (deadlines_add(&c->srv->deadlines, &c->due, clock_now_ns() + r->delay_us * 1000) < 0)
		conn_close(c);
}

void conn_process(struct conn *c)
{
	struct server_req r;
	size_t used;
	enum request_rc rc;

	rc = request_parse(c->in, c->in_len, &r, &used);
	if (rc == REQ_MORE) {
		if (c->peer_eof) {
			conn_close(c);
			return;
		}
		if (!idle_on_list(&c->idle))
			idle_touch(&c->srv->idle, &c->idle);
		conn_read_start(c);
		return;
	}
	if (rc < 0) {
		conn_reject(c, rc);
		return;
	}
	conn_consume(c, used);
	conn_start(c, &r);
}

/* The client sent FIN. */
static void conn_eof(struct conn *c)
{
	/* libuv stopped reading */
	c->peer_eof = true;
	c->reading = false;
	if (c->state == CONN_IDLE)
		conn_process(c); /* answers a last complete request, else closes */
	else if (c->state != CONN_WRITING)
		conn_close(c); /* a delayed response has no one to go to; a linger is over */
}

static void on_read(uv_stream_t *st, ssize_t nread, const uv_buf_t *buf)
{
	struct conn *c = container_of(st, struct conn, tcp);

	if (nread == 0)
		return;
	if (nread == UV_EOF) {
		conn_eof(c);
		return;
	}
	if (nread < 0) {
		conn_close(c);
		return;
	}
	if (c->state == CONN_LINGER)
		return;
	if (conn_append(c, buf->base, (size_t)nread) < 0) {
		conn_close(c);
		return;
	}
	if (c->state == CONN_IDLE) {
		idle_touch(&c->srv->idle, &c->idle);
		conn_process(c);
	} else if (c->in_len >= CONN_IN_HIGH) {
		conn_read_stop(c);
	}
}

void conn_on_due(struct deadline *e)
{
	struct conn *c = container_of(e, struct conn, due);

	if (c->state == CONN_DELAYED)
		conn_respond(c);
	else
		conn_close(c); /* the end of a linger */
}

void conn_on_idle(struct idle_link *e)
{
	conn_close(container_of(e, struct conn, idle));
}

int conn_accept(struct server *s)
{
	struct conn *c = calloc(1, sizeof(*c));

	if (!c)
		return -ENOMEM;
	c->srv = s;
	c->state = CONN_IDLE;
	deadline_init(&c->due);
	uv_tcp_init(&s->loop, &c->tcp);
	if (uv_accept((uv_stream_t *)&s->listener, (uv_stream_t *)&c->tcp) < 0) {
		conn_close(c);
		return 0;
	}
	/* a response is one write; with Nagle a body's last chunk could wait
	 * for the client's delayed ACK */
	uv_tcp_nodelay(&c->tcp, 1);
	idle_touch(&s->idle, &c->idle);
	conn_read_start(c);
	return 0;
}
