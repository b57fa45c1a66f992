/* http_client.c - one HTTP/1.1 GET as a state machine that never blocks:
 * connect (when the slot has no connection), send the request, read until
 * the parser says the response is complete. Both drivers run it; every
 * wait has the task's deadline (--timeout from the start of the task).
 *
 * A keep-alive connection is checked for stray bytes: a byte after the end
 * of a response, or one that arrives while no request is out, would
 * otherwise be read as the next task's answer. Either fails the task that
 * sees it as an http error, and the connection is dropped. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../lib/clock.h"
#include "http.h"

void http_conn_init(struct http_conn *c)
{
	c->fd = -1;
	c->phase = HTTP_PH_NONE;
	c->junk = false;
	c->sent = 0;
}

void http_conn_close(struct wl_slot *s, struct http_conn *c)
{
	if (c->fd >= 0)
		wl_close_fd(s, c->fd);
	c->fd = -1;
	c->phase = HTTP_PH_NONE;
}

static enum wl_status fail(struct wl_slot *s, struct http_conn *c, int err)
{
	http_conn_close(s, c);
	c->junk = false;
	return wl_done(s, err, 0);
}

static int socket_nonblock(int family)
{
	int fd, one = 1;

	fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	/* requests are one small write: do not let Nagle hold them back */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

/* One source address gives one server port about 28,000 connections (the
 * ephemeral port range). Past HTTP_CONN_PER_SRC tasks in flight to a
 * loopback target, connections take their source round-robin from
 * 127.0.0.2, 127.0.0.3, ..., so ports do not cap the run before its
 * memory or its open files do. The port is still picked at connect()
 * (IP_BIND_ADDRESS_NO_PORT), per (source, destination).
 * CMBENCH_TEST_CONN_PER_SRC=N (tests only) sets the threshold to N, so a
 * test spreads a small run (the hard RLIMIT_NOFILE of a test machine is
 * often below 20,000). */
#define HTTP_CONN_PER_SRC 20000
static uint64_t conn_per_src(void)
{
	static uint64_t v; /* 0: not read yet; the same value whichever thread reads it */
	uint64_t n = __atomic_load_n(&v, __ATOMIC_RELAXED);

	if (n == 0) {
		const char *e = getenv("CMBENCH_TEST_CONN_PER_SRC");
		char *end;
		unsigned long long x = e ? strtoull(e, &end, 10) : 0;

		n = e && *e && !*end && x > 0 ? (uint64_t)x : HTTP_CONN_PER_SRC;
		__atomic_store_n(&v, n, __ATOMIC_RELAXED);
	}
	return n;
}
#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24 /* linux/in.h */
#endif
/* The source of task id: id mod the sources, so that the spread is even
 * whatever runs the tasks (a process-wide counter would start at 0 in
 * every forked worker and put every first connection on 127.0.0.2). */
static void spread_source(const struct run_cfg *cfg, uint64_t id, int fd)
{
	const struct sockaddr_in *dst = (const struct sockaddr_in *)&cfg->target_addr;
	struct sockaddr_in src;
	uint64_t nsrc, per = conn_per_src();
	int one = 1;

	if (cfg->concurrency <= per || dst->sin_family != AF_INET ||
	    (ntohl(dst->sin_addr.s_addr) >> 24) != 127)
		return;
	nsrc = (cfg->concurrency + per - 1) / per;
	if (nsrc > 250)
		nsrc = 250;
	memset(&src, 0, sizeof(src));
	src.sin_family = AF_INET;
	src.sin_addr.s_addr = htonl(0x7f000002u + (uint32_t)(id % nsrc)); /* 127.0.0.2 + k */
	setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof(one));
	/* a failed bind leaves the kernel's own choice: the connect says more */
	(void)bind(fd, (const struct sockaddr *)&src, sizeof(src));
}

/* Start a connect; 0 connected, 1 in progress, or a task_err. */
static int connect_begin(const struct wl_slot *s, struct http_conn *c)
{
	const struct run_cfg *cfg = s->cfg;
	int fd = socket_nonblock(cfg->target_addr.ss_family);

	if (fd < 0)
		return TASK_ERR_CONNECT;
	c->fd = fd;
	spread_source(cfg, s->id, fd);
	if (connect(fd, (const struct sockaddr *)&cfg->target_addr, cfg->target_addrlen) == 0)
		return 0;
	return errno == EINPROGRESS ? 1 : TASK_ERR_CONNECT;
}

static bool connect_ok(int fd)
{
	int err = 0;
	socklen_t len = sizeof(err);

	return getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0;
}

/* Send (the rest of) the request; it is rebuilt from (cfg, id) rather than
 * kept, so a slot holds no request buffer. */
static enum wl_status send_request(struct wl_slot *s, struct http_conn *c)
{
	char req[HTTP_REQ_MAX];
	size_t n = http_request(req, sizeof(req), s->cfg, s->id);
	ssize_t w;

	if (n == 0)
		return fail(s, c, TASK_ERR_HTTP);
	c->phase = HTTP_PH_SENDING;
	while (c->sent < n) {
		w = send(c->fd, req + c->sent, n - c->sent, MSG_NOSIGNAL);
		if (w > 0) {
			c->sent += (uint32_t)w;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return wl_wait(s, c->fd, WL_EV_WRITE, c->deadline_ns);
		return fail(s, c, TASK_ERR_IO);
	}
	c->phase = HTTP_PH_READING;
	http_resp_init(&c->resp);
	return wl_wait(s, c->fd, WL_EV_READ, c->deadline_ns);
}

static enum wl_status response_done(struct wl_slot *s, struct http_conn *c)
{
	uint64_t hash = http_resp_hash(&c->resp);

	if (!s->cfg->keepalive || c->resp.conn_close)
		http_conn_close(s, c);
	else
		c->phase = HTTP_PH_IDLE;
	return wl_done(s, TASK_OK, hash);
}

static int parse_err(int st)
{
	return st == HTTP_TRUNCATED ? TASK_ERR_IO : TASK_ERR_HTTP;
}

static enum wl_status read_response(struct wl_slot *s, struct http_conn *c)
{
	char buf[16384];
	size_t used;
	ssize_t r;
	int st;

	for (;;) {
		r = recv(c->fd, buf, sizeof(buf), 0);
		if (r > 0) {
			st = http_resp_feed(&c->resp, buf, (size_t)r, &used);
			if (st == HTTP_DONE && used < (size_t)r)
				return fail(s, c, TASK_ERR_HTTP); /* bytes past the response */
			if (st == HTTP_DONE)
				return response_done(s, c);
			if (st != HTTP_MORE)
				return fail(s, c, parse_err(st));
			continue;
		}
		if (r == 0) {
			st = http_resp_eof(&c->resp);
			if (st != HTTP_DONE)
				return fail(s, c, parse_err(st));
			c->resp.conn_close = true;
			return response_done(s, c);
		}
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return wl_wait(s, c->fd, WL_EV_READ, c->deadline_ns);
		return fail(s, c, TASK_ERR_IO);
	}
}

/* The idle connection fired: EOF means the server closed it (the next task
 * reconnects); bytes mean it spoke unasked (the next task fails). */
static enum wl_status idle_event(struct wl_slot *s, struct http_conn *c)
{
	char buf[512];
	ssize_t r = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT);

	if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		return WL_DONE;
	if (r > 0)
		c->junk = true;
	http_conn_close(s, c);
	return WL_DONE;
}

/* A kept connection that is not watched while idle is checked before use,
 * with one non-blocking peek. */
static void idle_check(struct wl_slot *s, struct http_conn *c)
{
	if (c->fd >= 0 && !s->idle_watched)
		idle_event(s, c);
}

enum wl_status http_start(struct wl_slot *s, struct http_conn *c)
{
	int rc;

	c->deadline_ns = (s->now_ns ? s->now_ns : clock_now_ns()) + s->cfg->timeout_us * 1000;
	c->sent = 0;
	idle_check(s, c);
	if (c->junk)
		return fail(s, c, TASK_ERR_HTTP);
	if (c->fd >= 0)
		return send_request(s, c);
	rc = connect_begin(s, c);
	if (rc == 0)
		return send_request(s, c);
	if (rc != 1)
		return fail(s, c, rc);
	c->phase = HTTP_PH_CONNECTING;
	return wl_wait(s, c->fd, WL_EV_WRITE, c->deadline_ns);
}

enum wl_status http_step(struct wl_slot *s, struct http_conn *c, int events)
{
	if (events & WL_EV_IDLE)
		return c->fd >= 0 ? idle_event(s, c) : WL_DONE;
	if (events & WL_EV_TIMEOUT)
		return fail(s, c, TASK_ERR_TIMEOUT);
	switch (c->phase) {
	case HTTP_PH_CONNECTING:
		if (!connect_ok(c->fd))
			return fail(s, c, TASK_ERR_CONNECT);
		return send_request(s, c);
	case HTTP_PH_SENDING:
		return send_request(s, c);
	case HTTP_PH_READING:
		return read_response(s, c);
	default:
		return fail(s, c, TASK_ERR_IO);
	}
}

int http_conn_open(struct wl_slot *s, struct http_conn *c)
{
	uint64_t deadline = clock_now_ns() + s->cfg->timeout_us * 1000;
	int rc = connect_begin(s, c), ev;

	if (rc == 1) {
		s->fd = c->fd;
		s->events = WL_EV_WRITE;
		s->deadline_ns = deadline;
		ev = wl_poll_wait(s);
		rc = (ev & WL_EV_WRITE) && connect_ok(c->fd) ? 0 : TASK_ERR_CONNECT;
	}
	if (rc != 0) {
		http_conn_close(s, c);
		return -ECONNREFUSED;
	}
	c->phase = HTTP_PH_IDLE;
	return 0;
}

void http_fetch_blocking(struct wl_slot *s, struct http_conn *c)
{
	enum wl_status st = http_start(s, c);

	while (st == WL_WAIT)
		st = http_step(s, c, wl_poll_wait(s));
}

int http_slot_open(struct wl_slot *s)
{
	struct http_conn *c = s->priv;

	http_conn_init(c);
	return s->cfg->keepalive ? http_conn_open(s, c) : 0;
}

void http_slot_close(struct wl_slot *s)
{
	http_conn_close(s, s->priv);
}
