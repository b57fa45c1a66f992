/* eventloop.c - one libuv loop on one thread, all I/O non-blocking through
 * libuv; a task's cpu part runs on the loop thread, on purpose: it shows
 * what a blocked loop costs. The Python analog: async def + gather with
 * the CPU work inline. --concurrency caps the tasks in flight, as an
 * asyncio.Semaphore would.
 *
 * This file also holds the loop itself (evloop_run), which
 * eventloop_offload.c reuses with another cpu-part policy. A task is a slot
 * walking through: connect (conn new, or a dropped keepalive) -> write the
 * request -> read until the parser says done -> cpu part -> done. Each
 * connection is its own allocation, freed in its close callback, so a slot
 * can start its next task while its old connection is still closing. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../harness/clock.h"
#include "../harness/trial.h"
#include "../workloads/http.h"
#include "evloop.h"

enum { PH_IDLE, PH_SETUP, PH_CONNECT, PH_IO, PH_CPU };

struct el_conn {
	uv_tcp_t tcp;		/* the socket */
	uv_connect_t creq;	/* its connect request */
	uv_write_t wreq;	/* its write request */
	struct el_slot *slot;	/* owner; NULL once abandoned */
	bool connected;		/* connect succeeded */
	struct http_resp resp;	/* the response being parsed */
	size_t req_len;		/* bytes in req */
	char req[HTTP_REQ_MAX]; /* request bytes; live until the write ends */
};

struct el_run {
	uv_loop_t loop;
	uv_idle_t starter; /* starts tasks outside any callback chain */
	const struct run_cfg *cfg;
	const struct el_policy *pol;
	struct task_stats *stats;
	struct el_slot *slots;	/* --concurrency of them */
	struct el_slot *free;	/* slots with no task */
	uint64_t next_id;	/* next task to start */
	uint64_t done;		/* tasks completed */
	uint64_t setup_pending; /* keepalive connects not yet answered */
	uint64_t t0;		/* release time */
};

static char el_rbuf[65536]; /* one read buffer: reads are consumed at once */

static void starter_cb(uv_idle_t *h);

const struct run_cfg *evloop_cfg(const struct el_slot *slot)
{
	return slot->run->cfg;
}

static void on_conn_closed(uv_handle_t *h)
{
	free(h->data);
}

/* Drop the slot's connection; late callbacks of it see slot == NULL. */
static void conn_abandon(struct el_slot *slot)
{
	struct el_conn *c = slot->conn;

	if (!c)
		return;
	c->slot = NULL;
	slot->conn = NULL;
	uv_close((uv_handle_t *)&c->tcp, on_conn_closed);
}

static void slot_free(struct el_slot *slot)
{
	struct el_run *r = slot->run;

	slot->phase = PH_IDLE;
	slot->next_free = r->free;
	r->free = slot;
	if (r->next_id < r->cfg->tasks)
		uv_idle_start(&r->starter, starter_cb);
}

void evloop_task_done(struct el_slot *slot, int err, uint64_t result)
{
	struct el_run *r = slot->run;

	uv_timer_stop(&slot->timer);
	stats_task_done(r->stats, r->t0, slot->start_ns, clock_now_ns(), slot->id, result, err);
	if (++r->done == r->cfg->tasks)
		uv_stop(&r->loop);
	slot_free(slot);
}

static void task_fail(struct el_slot *slot, int err)
{
	conn_abandon(slot);
	evloop_task_done(slot, err, 0);
}

static void io_done(struct el_slot *slot)
{
	struct el_conn *c = slot->conn;
	const struct run_cfg *cfg = slot->run->cfg;

	uv_read_stop((uv_stream_t *)&c->tcp);
	slot->io_hash = http_resp_hash(&c->resp);
	if (!cfg->keepalive || c->resp.conn_close)
		conn_abandon(slot);
	if (cfg->workload->does_cpu) {
		slot->phase = PH_CPU;
		uv_timer_stop(&slot->timer); /* --timeout bounds I/O, not the kernel */
		slot->run->pol->cpu_part(slot);
	} else {
		evloop_task_done(slot, TASK_OK,
				 cfg->workload->finish(cfg, slot->id, slot->io_hash));
	}
}

static void on_alloc(uv_handle_t *h, size_t hint, uv_buf_t *buf)
{
	(void)h;
	(void)hint;
	*buf = uv_buf_init(el_rbuf, sizeof(el_rbuf));
}

static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
	struct el_conn *c = s->data;
	struct el_slot *slot = c->slot;
	size_t used;
	int st;

	if (!slot || nread == 0)
		return;
	if (nread < 0) {
		if (nread == UV_EOF && http_resp_eof(&c->resp) == HTTP_DONE)
			io_done(slot);
		else
			task_fail(slot, TASK_ERR_IO);
		return;
	}
	st = http_resp_feed(&c->resp, buf->base, (size_t)nread, &used);
	if (st == HTTP_DONE)
		io_done(slot);
	else if (st != HTTP_MORE)
		task_fail(slot, st == HTTP_TRUNCATED ? TASK_ERR_IO : TASK_ERR_HTTP);
}

static void on_write(uv_write_t *req, int status)
{
	struct el_conn *c = req->data;

	if (c->slot && status < 0)
		task_fail(c->slot, TASK_ERR_IO);
}

static void send_request(struct el_slot *slot)
{
	struct el_conn *c = slot->conn;
	uv_buf_t b;

	slot->phase = PH_IO;
	c->req_len = http_request(c->req, sizeof(c->req), slot->run->cfg, slot->id);
	http_resp_init(&c->resp);
	b = uv_buf_init(c->req, (unsigned)c->req_len);
	c->wreq.data = c;
	if (c->req_len == 0 || uv_write(&c->wreq, (uv_stream_t *)&c->tcp, &b, 1, on_write) < 0 ||
	    uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read) < 0)
		task_fail(slot, TASK_ERR_IO);
}

static void on_connect(uv_connect_t *req, int status)
{
	struct el_conn *c = req->data;
	struct el_slot *slot = c->slot;

	if (!slot)
		return;
	if (slot->phase == PH_SETUP) {
		slot->run->setup_pending--;
		uv_timer_stop(&slot->timer);
		if (status < 0)
			conn_abandon(slot); /* the first task retries, and counts */
		else
			c->connected = true;
		slot->phase = PH_IDLE;
		if (slot->run->setup_pending == 0)
			uv_stop(&slot->run->loop);
		return;
	}
	if (status < 0) {
		task_fail(slot, TASK_ERR_CONNECT);
		return;
	}
	c->connected = true;
	send_request(slot);
}

static int conn_open(struct el_slot *slot)
{
	struct el_run *r = slot->run;
	struct el_conn *c = malloc(sizeof(*c));

	if (!c)
		return -ENOMEM;
	c->slot = slot;
	c->connected = false;
	if (uv_tcp_init(&r->loop, &c->tcp) < 0) {
		free(c);
		return -EIO;
	}
	c->tcp.data = c;
	c->creq.data = c;
	slot->conn = c;
	uv_tcp_nodelay(&c->tcp, 1);
	if (uv_tcp_connect(&c->creq, &c->tcp, (const struct sockaddr *)&r->cfg->target_addr,
			   on_connect) < 0) {
		conn_abandon(slot);
		return -ECONNREFUSED;
	}
	return 0;
}

static void on_timeout(uv_timer_t *t)
{
	struct el_slot *slot = t->data;

	if (slot->phase == PH_SETUP) {
		slot->run->setup_pending--;
		conn_abandon(slot);
		slot->phase = PH_IDLE;
		if (slot->run->setup_pending == 0)
			uv_stop(&slot->run->loop);
		return;
	}
	task_fail(slot, TASK_ERR_TIMEOUT);
}

static void task_start(struct el_slot *slot, uint64_t id)
{
	struct el_run *r = slot->run;
	const struct run_cfg *cfg = r->cfg;

	slot->id = id;
	slot->io_hash = 0;
	slot->start_ns = clock_now_ns();
	if (!cfg->workload->does_io) {
		slot->phase = PH_CPU;
		r->pol->cpu_part(slot);
		return;
	}
	uv_timer_start(&slot->timer, on_timeout, (cfg->timeout_us + 999) / 1000, 0);
	if (slot->conn && slot->conn->connected) {
		send_request(slot);
		return;
	}
	slot->phase = PH_CONNECT;
	if (conn_open(slot) < 0)
		task_fail(slot, TASK_ERR_CONNECT);
}

/* Starts tasks while slots are free; runs as an idle callback so that a
 * task finishing inside another's callback never recurses into the next. */
static void starter_cb(uv_idle_t *h)
{
	struct el_run *r = h->data;
	struct el_slot *slot;

	while (r->free && r->next_id < r->cfg->tasks) {
		slot = r->free;
		r->free = slot->next_free;
		task_start(slot, r->next_id++);
	}
	if (r->next_id >= r->cfg->tasks || !r->free)
		uv_idle_stop(h);
}

static void close_any(uv_handle_t *h, void *arg)
{
	(void)arg;
	if (!uv_is_closing(h))
		uv_close(h, h->type == UV_TCP ? on_conn_closed : NULL);
}

/* Keepalive: every slot connects before the clock starts. */
static void setup_connect(struct el_run *r)
{
	for (uint64_t i = 0; i < r->cfg->concurrency; i++) {
		struct el_slot *slot = &r->slots[i];

		slot->phase = PH_SETUP;
		if (conn_open(slot) < 0) {
			slot->phase = PH_IDLE;
			continue;
		}
		r->setup_pending++;
		uv_timer_start(&slot->timer, on_timeout, (r->cfg->timeout_us + 999) / 1000, 0);
	}
	if (r->setup_pending)
		uv_run(&r->loop, UV_RUN_DEFAULT);
}

int evloop_run(const struct run_cfg *cfg, struct task_stats *out, const struct el_policy *pol)
{
	struct el_run *r;
	uint64_t n = cfg->concurrency;
	int rc;

	stats_init(out);
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->slots = calloc(n, sizeof(*r->slots));
	if (!r->slots) {
		free(r);
		return -ENOMEM;
	}
	r->cfg = cfg;
	r->pol = pol;
	r->stats = out;
	rc = uv_loop_init(&r->loop);
	if (rc < 0)
		goto out_free;
	uv_idle_init(&r->loop, &r->starter);
	r->starter.data = r;
	/* slots are pushed in reverse so the first task takes slot 0 */
	for (uint64_t i = n; i-- > 0;) {
		struct el_slot *slot = &r->slots[i];

		slot->run = r;
		uv_timer_init(&r->loop, &slot->timer);
		slot->timer.data = slot;
		slot->next_free = r->free;
		r->free = slot;
	}
	rc = pol->prepare ? pol->prepare(&r->loop, cfg) : 0;
	if (rc < 0)
		goto out_close;
	if (cfg->workload->does_io && cfg->keepalive)
		setup_connect(r);

	r->t0 = trial_go();
	uv_idle_start(&r->starter, starter_cb);
	uv_run(&r->loop, UV_RUN_DEFAULT);
	trial_end();
out_close:
	uv_walk(&r->loop, close_any, NULL);
	uv_run(&r->loop, UV_RUN_DEFAULT);
	uv_loop_close(&r->loop);
out_free:
	free(r->slots);
	free(r);
	return rc;
}

static void inline_cpu(struct el_slot *slot)
{
	const struct run_cfg *cfg = slot->run->cfg;

	evloop_task_done(slot, TASK_OK, cfg->workload->finish(cfg, slot->id, slot->io_hash));
}

static int eventloop_run(const struct run_cfg *cfg, struct task_stats *out)
{
	static const struct el_policy pol = { .cpu_part = inline_cpu };

	return evloop_run(cfg, out, &pol);
}

const struct model_ops model_eventloop = {
	.name = "eventloop",
	.summary = "one libuv loop, one thread, non-blocking I/O; CPU part on the loop thread",
	.one_slot = false,
	.run = eventloop_run,
};
