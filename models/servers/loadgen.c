/* loadgen.c - the open-loop load generator (see loadgen.h). Its request
 * is the io workload's GET (workloads/http_client.c) with no delay and no
 * body asked of the server; its result is the answer's body read as hex,
 * so the run's checksum is the handler workload's, as on the client
 * side. */
#include "loadgen.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "../../lib/clock.h"
#include "../../workloads/http.h"
#include "../evloop.h"

/* The answer's body is the result: anything else fails the request. */
static enum wl_status result_of(struct wl_slot *s, enum wl_status st, int events)
{
	struct http_conn *c = s->priv;
	uint64_t v;

	if (st != WL_DONE || s->err != TASK_OK || (events & WL_EV_IDLE))
		return st;
	if (!http_resp_hex(&c->resp, &v))
		return wl_done(s, TASK_ERR_HTTP, 0);
	s->result = v;
	return st;
}

static enum wl_status gen_start(struct wl_slot *s)
{
	return result_of(s, http_start(s, s->priv), 0);
}

static enum wl_status gen_step(struct wl_slot *s, int events)
{
	return result_of(s, http_step(s, s->priv, events), events);
}

/* Not in the workload table: the generator's own request. */
static const struct workload_ops gen_request = {
	.name = "server-request",
	.summary = "a GET of a server model; its body is the task's result",
	.label = "req",
	.slot_size = sizeof(struct http_conn),
	.slot_open = http_slot_open,
	.slot_close = http_slot_close,
	.start = gen_start,
	.step = gen_step,
};

struct gen_ctl {
	struct trial_ctl ctl;
	struct loadgen_out *out;
};

static uint64_t gen_go(struct trial_ctl *ctl)
{
	struct gen_ctl *g = ctl->priv;

	g->out->t0_ns = clock_now_ns();
	return g->out->t0_ns;
}

static void gen_end(struct trial_ctl *ctl)
{
	(void)ctl;
}

static void inline_sync(struct el_slot *slot)
{
	slot->ws.sync(&slot->ws);
	evloop_task_done(slot);
}

int loadgen_run(const struct run_cfg *cfg, int port, const uint64_t *release_off,
		struct loadgen_out *out)
{
	static const struct el_policy pol = { .sync_part = inline_sync };
	struct run_cfg g = *cfg;
	struct sockaddr_in *a = (struct sockaddr_in *)&g.target_addr;
	struct gen_ctl gc = { .out = out };
	struct el_tasks t = { .send_lag = &out->lag };

	memset(out, 0, sizeof(*out));
	hist_init(&out->lag);
	g.workload = &gen_request;
	g.server = NULL;
	g.keepalive = !cfg->client_new;
	g.io_latency_us = 0;
	g.payload = 0;
	g.hold_kib = 0;
	memset(&g.target_addr, 0, sizeof(g.target_addr));
	a->sin_family = AF_INET;
	a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a->sin_port = htons((uint16_t)port);
	g.target_addrlen = sizeof(*a);
	snprintf(g.target_host, sizeof(g.target_host), "127.0.0.1");
	snprintf(g.target_port, sizeof(g.target_port), "%d", port);
	snprintf(g.target_path, sizeof(g.target_path), "/");
	gc.ctl.go = gen_go;
	gc.ctl.end = gen_end;
	gc.ctl.priv = &gc;
	gc.ctl.release_off = release_off;
	gc.ctl.stop_fd = -1;
	stats_fifths(cfg->rate_tps > 0 ? cfg->tasks : 0); /* the backlog test */
	out->rc = evloop_run(&g, &gc.ctl, &out->stats, &pol, &t);
	return out->rc;
}
