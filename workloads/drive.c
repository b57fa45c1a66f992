/* drive.c - the blocking driver, and the slot life cycle every driver
 * shares. The blocking driver runs a task's steps on the calling thread,
 * waiting in poll() on the task's one fd; the sequential, thread and
 * process models use it. The libuv driver is in models/evloop.c. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../lib/clock.h"
#include "workload.h"

const char *const task_err_names[TASK_ERR_KINDS] = {
	[TASK_OK] = "ok",
	[TASK_ERR_CONNECT] = "connect",
	[TASK_ERR_TIMEOUT] = "timeout",
	[TASK_ERR_IO] = "io",
	[TASK_ERR_HTTP] = "http",
	[TASK_ERR_QUERY] = "query",
	[TASK_ERR_WORKER] = "worker",
};

void wl_service_apply(struct run_cfg *cfg, const struct wl_service_result *res)
{
	if (res->target) {
		cfg->target_addr = res->target_addr;
		cfg->target_addrlen = res->target_addrlen;
		if (res->target_port[0])
			snprintf(cfg->target_port, sizeof(cfg->target_port), "%s",
				 res->target_port);
	}
	for (int i = 0; i < CFG_WL_STR; i++)
		if (res->wl_str_set[i])
			snprintf(cfg->wl_str[i], sizeof(cfg->wl_str[i]), "%s", res->wl_str[i]);
	if (res->conn_set)
		cfg->keepalive = res->keepalive;
	if (res->payload_set)
		cfg->payload = res->payload;
	if (res->note[0])
		snprintf(cfg->wl_note, sizeof(cfg->wl_note), "%s", res->note);
}

int wl_slot_init(struct wl_slot *s, const struct run_cfg *cfg)
{
	const struct workload_ops *wl = cfg->workload;

	s->cfg = cfg;
	s->wl = wl;
	s->fd = -1;
	s->priv = NULL;
	s->hold = NULL;
	if (wl->slot_size) {
		s->priv = calloc(1, wl->slot_size);
		if (!s->priv)
			return -ENOMEM;
	}
	return wl->slot_open ? wl->slot_open(s) : 0;
}

void wl_slot_fini(struct wl_slot *s)
{
	if (s->cfg)
		wl_end(s);
	if (s->wl && s->wl->slot_close)
		s->wl->slot_close(s);
	free(s->priv);
	s->priv = NULL;
}

/* --test-hold-kib K: the task maps K KiB and writes every page of it, and
 * holds it until it ends (through its wait), so each task in flight costs
 * exactly K KiB more: the test of mem_per_task_kib. A map, not malloc: no
 * allocator's arena keeps or shares it. */
static void hold_take(struct wl_slot *s)
{
	size_t len = (size_t)s->cfg->hold_kib * 1024;

	wl_end(s);
	if (!len)
		return;
	s->hold = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (s->hold == MAP_FAILED) {
		s->hold = NULL;
		return;
	}
	for (size_t off = 0; off < len; off += 4096)
		((volatile char *)s->hold)[off] = 1;
}

void wl_end(struct wl_slot *s)
{
	if (s->hold)
		munmap(s->hold, (size_t)s->cfg->hold_kib * 1024);
	s->hold = NULL;
}

enum wl_status wl_begin(struct wl_slot *s, uint64_t id)
{
	hold_take(s);
	s->id = id;
	s->err = TASK_OK;
	s->result = 0;
	if (s->wl->start)
		return s->wl->start(s);
	s->sync = s->wl->run_blocking;
	return WL_RUN;
}

void wl_close_fd(struct wl_slot *s, int fd)
{
	if (s->forget_fd)
		s->forget_fd(s, fd);
	close(fd);
}

int wl_poll_wait(struct wl_slot *s)
{
	struct pollfd p = { .fd = s->fd };
	uint64_t now;
	int ms, rc, ev = 0;

	p.events = (short)((s->events & WL_EV_READ ? POLLIN : 0) |
			   (s->events & WL_EV_WRITE ? POLLOUT : 0));
	for (;;) {
		now = clock_now_ns();
		if (now >= s->deadline_ns)
			return WL_EV_TIMEOUT;
		/* round up so a wait never ends a hair before the deadline */
		ms = (int)((s->deadline_ns - now + 999999) / 1000000);
		rc = poll(&p, 1, ms);
		if (rc > 0)
			break;
		if (rc < 0 && errno != EINTR)
			return s->events; /* let the step's own call see the error */
	}
	if (p.revents & (POLLIN | POLLHUP | POLLERR))
		ev |= WL_EV_READ;
	if (p.revents & (POLLOUT | POLLHUP | POLLERR))
		ev |= WL_EV_WRITE;
	return ev ? ev : s->events;
}

void wl_run_task(struct wl_slot *s, uint64_t id)
{
	const struct workload_ops *wl = s->wl;
	enum wl_status st;

	if (wl->run_blocking) {
		hold_take(s);
		s->id = id;
		s->err = TASK_OK;
		s->result = 0;
		wl->run_blocking(s);
		wl_end(s);
		return;
	}
	st = wl_begin(s, id);
	while (st == WL_WAIT)
		st = wl->step(s, wl_poll_wait(s));
	if (st == WL_RUN)
		s->sync(s);
	wl_end(s);
}
