/* loop_srv.c - the HTTP side of the loop servers. A connection is a
 * uv_tcp_t read into a small buffer; a whole request head (parsed by
 * server/request.c) starts its task on a free slot of the evloop driver
 * (evloop_serve_task), or waits in a FIFO when every slot is busy; the
 * task's end answers it (uv_write), and the connection reads on. A peer
 * that closes while its task runs is closed when the task ends (the slot
 * still points at it). */
#include "loop_srv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../server/request.h"

#define CONN_HEAD_MAX 1024 /* request head bytes a connection buffers */

struct lsrv;

struct lconn {
	uv_tcp_t tcp;
	struct lsrv *s;
	struct lconn *prev, *next; /* every open connection */
	struct lconn *next_wait;   /* the FIFO of requests waiting for a slot */
	uint64_t id;		   /* the request's task */
	bool busy;		   /* its task is running or waiting */
	bool writing;		   /* its answer is being written */
	bool gone;		   /* the peer closed, or a read failed */
	bool close_after;	   /* the answer ends the connection */
	size_t len;
	char buf[CONN_HEAD_MAX];
	uv_write_t wr;
	char out[SRV_RESP_MAX];
};

struct lsrv {
	const struct run_cfg *cfg;
	struct el_run *run;
	int lfd;
	uv_tcp_t listener;
	uv_idle_t drain; /* starts waiting requests once slots are free */
	struct lconn *all, *wait_head, *wait_tail;
};

static void on_conn_closed(uv_handle_t *h)
{
	free(h->data);
}

static void conn_close(struct lconn *c)
{
	if (c->busy) { /* its slot still points at it: closed when the task ends */
		c->gone = true;
		return;
	}
	if (c->prev)
		c->prev->next = c->next;
	else
		c->s->all = c->next;
	if (c->next)
		c->next->prev = c->prev;
	uv_close((uv_handle_t *)&c->tcp, on_conn_closed);
}

static void wait_push(struct lsrv *s, struct lconn *c)
{
	c->next_wait = NULL;
	if (s->wait_tail)
		s->wait_tail->next_wait = c;
	else
		s->wait_head = c;
	s->wait_tail = c;
}

/* A whole request head in c->buf starts its task (or queues it). */
static void try_request(struct lconn *c)
{
	struct server_req req;
	size_t used;
	int rc;

	if (c->busy || c->writing || c->gone)
		return;
	rc = request_parse(c->buf, c->len, &req, &used);
	if (rc == REQ_MORE && c->len < sizeof(c->buf))
		return;
	if (rc != REQ_DONE) {
		conn_close(c);
		return;
	}
	memmove(c->buf, c->buf + used, c->len - used);
	c->len -= used;
	c->busy = true;
	c->id = req.id;
	c->close_after = !req.keepalive;
	if (evloop_serve_task(c->s->run, req.id, c) < 0)
		wait_push(c->s, c);
}

static void on_alloc(uv_handle_t *h, size_t hint, uv_buf_t *buf)
{
	struct lconn *c = h->data;

	(void)hint;
	*buf = uv_buf_init(c->buf + c->len, (unsigned)(sizeof(c->buf) - c->len));
}

static void on_read(uv_stream_t *st, ssize_t n, const uv_buf_t *buf)
{
	struct lconn *c = st->data;

	(void)buf;
	if (n < 0) {
		uv_read_stop(st);
		c->gone = true;
		if (!c->writing)
			conn_close(c);
		return;
	}
	c->len += (size_t)n;
	try_request(c);
}

static void on_written(uv_write_t *w, int status)
{
	struct lconn *c = w->data;

	c->writing = false;
	if (status < 0 || c->close_after || c->gone) {
		conn_close(c);
		return;
	}
	try_request(c); /* bytes that came meanwhile */
}

/* el_serve.answer: the task of slot ended; write its answer. */
static void answer(struct el_slot *slot, void *arg)
{
	struct lconn *c = slot->cookie;
	uv_buf_t b;
	size_t n;

	(void)arg;
	c->busy = false;
	if (c->gone) {
		conn_close(c);
		return;
	}
	n = srv_answer(c->out, sizeof(c->out), &slot->ws, c->close_after);
	b = uv_buf_init(c->out, (unsigned)n);
	c->wr.data = c;
	c->writing = true;
	if (n == 0 || uv_write(&c->wr, (uv_stream_t *)&c->tcp, &b, 1, on_written) < 0) {
		c->writing = false;
		conn_close(c);
	}
}

static void drain_cb(uv_idle_t *h)
{
	struct lsrv *s = h->data;

	while (s->wait_head) {
		struct lconn *c = s->wait_head;

		if (evloop_serve_task(s->run, c->id, c) < 0)
			return;
		s->wait_head = c->next_wait;
		if (!s->wait_head)
			s->wait_tail = NULL;
	}
	uv_idle_stop(h);
}

static void freed(struct el_run *r, void *arg)
{
	struct lsrv *s = arg;

	(void)r;
	if (s->wait_head)
		uv_idle_start(&s->drain, drain_cb);
}

static void on_connection(uv_stream_t *l, int status)
{
	struct lsrv *s = l->data;
	struct lconn *c;

	if (status < 0)
		return;
	c = calloc(1, sizeof(*c));
	if (!c)
		return;
	c->s = s;
	c->tcp.data = c;
	uv_tcp_init(l->loop, &c->tcp);
	if (uv_accept(l, (uv_stream_t *)&c->tcp) < 0) {
		uv_close((uv_handle_t *)&c->tcp, on_conn_closed);
		return;
	}
	uv_tcp_nodelay(&c->tcp, 1);
	c->next = s->all;
	if (s->all)
		s->all->prev = c;
	s->all = c;
	uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read);
}

static int open_listener(struct el_run *r, void *arg)
{
	struct lsrv *s = arg;
	uv_loop_t *loop = evloop_run_loop(r);
	int rc;

	s->run = r;
	uv_idle_init(loop, &s->drain);
	s->drain.data = s;
	uv_tcp_init(loop, &s->listener);
	s->listener.data = s;
	rc = uv_tcp_open(&s->listener, s->lfd);
	if (rc == 0)
		rc = uv_listen((uv_stream_t *)&s->listener, 4096, on_connection);
	return rc;
}

static void close_all(struct el_run *r, void *arg)
{
	struct lsrv *s = arg;

	(void)r;
	while (s->all) {
		s->all->busy = false;
		conn_close(s->all);
	}
	if (!uv_is_closing((uv_handle_t *)&s->drain))
		uv_close((uv_handle_t *)&s->drain, NULL);
	if (!uv_is_closing((uv_handle_t *)&s->listener))
		uv_close((uv_handle_t *)&s->listener, NULL);
}

int loop_srv_run(const struct run_cfg *cfg, struct trial_ctl *ctl, struct task_stats *out,
		 const struct el_policy *pol, int lfd)
{
	struct lsrv s = { .cfg = cfg, .lfd = lfd };
	struct el_serve sv = { .open = open_listener,
			       .answer = answer,
			       .freed = freed,
			       .close = close_all,
			       .arg = &s,
			       .stop_fd = ctl->stop_fd };
	struct el_tasks t = { .serve = &sv };

	return evloop_run(cfg, ctl, out, pol, &t);
}

/* The synchronous part inline, on the loop thread. */
static void inline_sync(struct el_slot *slot)
{
	slot->ws.sync(&slot->ws);
	evloop_task_done(slot);
}

const struct el_policy loop_srv_inline = { .sync_part = inline_sync };

static void offload_work(uv_work_t *w)
{
	struct el_slot *slot = w->data;

	slot->ws.sync(&slot->ws); /* on a pool thread: writes only ws.result, ws.err */
}

static void offload_after(uv_work_t *w, int status)
{
	struct el_slot *slot = w->data;

	if (status < 0)
		slot->ws.err = TASK_ERR_IO;
	evloop_task_done(slot);
}

static void offload_sync(struct el_slot *slot)
{
	slot->work.data = slot;
	if (uv_queue_work(evloop_loop(slot), &slot->work, offload_work, offload_after) < 0) {
		slot->ws.err = TASK_ERR_IO;
		evloop_task_done(slot);
	}
}

static void noop_work(uv_work_t *w)
{
	(void)w;
}

static void noop_after(uv_work_t *w, int status)
{
	(void)w;
	(void)status;
}

/* Size libuv's pool (--workers) and start its threads before the clock. */
static int offload_prepare(uv_loop_t *loop, const struct run_cfg *cfg)
{
	char n[24];
	uv_work_t w;
	int rc;

	snprintf(n, sizeof(n), "%llu", (unsigned long long)cfg->workers);
	setenv("UV_THREADPOOL_SIZE", n, 1);
	rc = uv_queue_work(loop, &w, noop_work, noop_after);
	if (rc < 0)
		return rc;
	return uv_run(loop, UV_RUN_DEFAULT) < 0 ? -1 : 0;
}

const struct el_policy loop_srv_offload = { .sync_part = offload_sync, .prepare = offload_prepare };
