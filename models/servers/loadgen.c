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
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

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

/* A peer's answer: any 200 body, its hash the result. */
static enum wl_status peer_start(struct wl_slot *s)
{
	return http_start(s, s->priv);
}

static enum wl_status peer_step(struct wl_slot *s, int events)
{
	return http_step(s, s->priv, events);
}

static const struct workload_ops peer_request = {
	.name = "peer-request",
	.summary = "a GET of a peer's server; any 200 body",
	.label = "peer",
	.slot_size = sizeof(struct http_conn),
	.slot_open = http_slot_open,
	.slot_close = http_slot_close,
	.start = peer_start,
	.step = peer_step,
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

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24 /* linux/in.h */
#endif

/* One idle keep-alive connection to dst, the i-th held: its fd, or -1. */
static int hold_one(const struct sockaddr_in *dst, uint64_t i, uint64_t timeout_us)
{
	struct sockaddr_in src = { .sin_family = AF_INET };
	struct timeval tv = { .tv_sec = (time_t)(timeout_us / 1000000),
			      .tv_usec = (suseconds_t)(timeout_us % 1000000) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;

	if (fd < 0)
		return -1;
	src.sin_addr.s_addr = htonl(0x7f000002u + (uint32_t)((i / LOADGEN_PER_SRC) % 250));
	setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)); /* bounds connect() */
	if (bind(fd, (struct sockaddr *)&src, sizeof(src)) < 0 ||
	    connect(fd, (const struct sockaddr *)dst, sizeof(*dst)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* --hold-connections: open them before the clock and keep them idle; the
 * first that cannot be opened ends the opening (out->held says how far). */
static int *hold_open(const struct run_cfg *cfg, const struct sockaddr_in *dst,
		      struct loadgen_out *out)
{
	int *fds = cfg->hold_conns ? calloc(cfg->hold_conns, sizeof(int)) : NULL;

	for (uint64_t i = 0; fds && i < cfg->hold_conns; i++) {
		fds[i] = hold_one(dst, i, cfg->timeout_us);
		if (fds[i] < 0)
			break;
		out->held++;
	}
	return fds;
}

int loadgen_run(const struct run_cfg *cfg, int port, bool any_body, const uint64_t *release_off,
		struct loadgen_out *out)
{
	int *held;
	static const struct el_policy pol = { .sync_part = inline_sync };
	struct run_cfg g = *cfg;
	struct sockaddr_in *a = (struct sockaddr_in *)&g.target_addr;
	struct gen_ctl gc = { .out = out };
	struct el_tasks t = { .send_lag = &out->lag };

	memset(out, 0, sizeof(*out));
	hist_init(&out->lag);
	g.workload = any_body ? &peer_request : &gen_request;
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
	held = hold_open(cfg, a, out);
	out->rc = evloop_run(&g, &gc.ctl, &out->stats, &pol, &t);
	for (uint64_t i = 0; held && i < out->held; i++)
		close(held[i]);
	free(held);
	return out->rc;
}
