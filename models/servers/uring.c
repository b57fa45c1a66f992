/* uring.c - one io_uring per server CPU (liburing), each on a thread
 * pinned to its CPU with its own SO_REUSEPORT listener (srv_percpu.c).
 * Accept, recv and send are ring operations; a request's task walks the
 * workload's state machine on one of the ring's --connections slots, its
 * waits turned into poll operations on the ring (a stale one, after a
 * timeout or a closed fd, is told apart by a generation number) and its
 * synchronous part run inline on the ring's thread. Deadlines are swept
 * every 10 ms. Refused in one line where io_uring is disabled. The
 * analog: a completion-based server (liburing's examples, Seastar). */
#define _GNU_SOURCE
#include <errno.h>
#include <liburing.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "../../lib/clock.h"
#include "../../server/request.h"
#include "srv.h"

enum { U_ACCEPT = 1, U_RECV, U_SEND, U_POLL, U_STOP };
#define NONE UINT32_MAX
#define CONN_HEAD_MAX 1024

struct uconn {
	int fd;
	uint32_t next; /* free list, or the FIFO of requests waiting for a slot */
	uint64_t id;   /* the request's task */
	bool busy, close_after;
	size_t len, out_len, out_off;
	char buf[CONN_HEAD_MAX];
	char out[SRV_RESP_MAX];
};

struct uslot {
	struct wl_slot ws;
	struct uring_w *w;
	uint32_t conn, next, gen; /* the request it answers; free list; poll generation */
	bool armed;		  /* a poll is out for ws.fd */
	int armed_fd;
	uint64_t start_ns;
};

struct uring_w {
	struct io_uring ring;
	const struct run_cfg *cfg;
	struct task_stats *out;
	int lfd, stop_fd;
	bool stopping;
	struct uconn *conns;
	uint32_t nconns, conn_free;
	struct uslot *slots;
	uint32_t nslots, slot_free, wait_head, wait_tail;
	uint64_t running;
};

static uint64_t ud(int type, uint32_t idx, uint32_t gen)
{
	return (uint64_t)type << 56 | (uint64_t)idx << 24 | (gen & 0xffffff);
}

static struct io_uring_sqe *sqe_get(struct uring_w *w)
{
	struct io_uring_sqe *s = io_uring_get_sqe(&w->ring);

	if (!s) { /* full: hand what is there to the kernel first */
		io_uring_submit(&w->ring);
		s = io_uring_get_sqe(&w->ring);
	}
	return s;
}

static void arm_accept(struct uring_w *w)
{
	struct io_uring_sqe *s = sqe_get(w);

	io_uring_prep_accept(s, w->lfd, NULL, NULL, SOCK_CLOEXEC);
	io_uring_sqe_set_data64(s, ud(U_ACCEPT, 0, 0));
}

static void arm_recv(struct uring_w *w, uint32_t ci)
{
	struct uconn *c = &w->conns[ci];
	struct io_uring_sqe *s = sqe_get(w);

	io_uring_prep_recv(s, c->fd, c->buf + c->len, sizeof(c->buf) - c->len, 0);
	io_uring_sqe_set_data64(s, ud(U_RECV, ci, 0));
}

static void arm_send(struct uring_w *w, uint32_t ci)
{
	struct uconn *c = &w->conns[ci];
	struct io_uring_sqe *s = sqe_get(w);

	io_uring_prep_send(s, c->fd, c->out + c->out_off, c->out_len - c->out_off, MSG_NOSIGNAL);
	io_uring_sqe_set_data64(s, ud(U_SEND, ci, 0));
}

static void conn_close(struct uring_w *w, uint32_t ci)
{
	close(w->conns[ci].fd);
	w->conns[ci].fd = -1;
	w->conns[ci].next = w->conn_free;
	w->conn_free = ci;
}

/* Stop watching the slot's fd: its poll's completion will be stale. */
static void disarm(struct uslot *u)
{
	struct io_uring_sqe *s;

	if (!u->armed)
		return;
	s = sqe_get(u->w);
	io_uring_prep_poll_remove(s, ud(U_POLL, (uint32_t)(u - u->w->slots), u->gen));
	io_uring_sqe_set_data64(s, 0);
	u->gen++;
	u->armed = false;
}

static void forget_fd(struct wl_slot *ws, int fd)
{
	struct uslot *u = ws->driver;

	if (u->armed && u->armed_fd == fd)
		disarm(u);
}

static void try_request(struct uring_w *w, uint32_t ci);
static void start_task(struct uring_w *w, uint32_t ci);

/* The task on u ended: record it, answer, give the slot to a waiting request. */
static void task_done(struct uslot *u)
{
	struct uring_w *w = u->w;
	struct uconn *c = &w->conns[u->conn];

	disarm(u);
	srv_record(w->out, &u->ws, u->start_ns);
	wl_end(&u->ws);
	w->running--;
	c->busy = false;
	c->out_len = srv_answer(c->out, sizeof(c->out), &u->ws, c->close_after);
	c->out_off = 0;
	if (c->out_len)
		arm_send(w, u->conn);
	else
		conn_close(w, u->conn);
	u->next = w->slot_free;
	w->slot_free = (uint32_t)(u - w->slots);
	if (w->wait_head != NONE) {
		uint32_t next = w->wait_head;

		w->wait_head = w->conns[next].next;
		if (w->wait_head == NONE)
			w->wait_tail = NONE;
		start_task(w, next);
	}
}

static void handle(struct uslot *u, enum wl_status st)
{
	struct io_uring_sqe *s;
	unsigned mask;

	for (;;) {
		if (st == WL_DONE) {
			task_done(u);
			return;
		}
		if (st == WL_RUN) { /* inline, on the ring's thread */
			u->ws.sync(&u->ws);
			st = WL_DONE;
			continue;
		}
		break;
	}
	mask = (u->ws.events & WL_EV_READ ? POLLIN : 0) |
	       (u->ws.events & WL_EV_WRITE ? POLLOUT : 0);
	disarm(u);
	s = sqe_get(u->w);
	io_uring_prep_poll_add(s, u->ws.fd, mask);
	io_uring_sqe_set_data64(s, ud(U_POLL, (uint32_t)(u - u->w->slots), u->gen));
	u->armed = true;
	u->armed_fd = u->ws.fd;
}

static void start_task(struct uring_w *w, uint32_t ci)
{
	struct uslot *u = &w->slots[w->slot_free];

	w->slot_free = u->next;
	u->conn = ci;
	u->start_ns = clock_now_ns();
	u->ws.now_ns = u->start_ns;
	w->running++;
	handle(u, wl_begin(&u->ws, w->conns[ci].id));
}

static void try_request(struct uring_w *w, uint32_t ci)
{
	struct uconn *c = &w->conns[ci];
	struct server_req req;
	size_t used;
	int rc = request_parse(c->buf, c->len, &req, &used);

	if (rc == REQ_MORE && c->len < sizeof(c->buf)) {
		arm_recv(w, ci);
		return;
	}
	if (rc != REQ_DONE) {
		conn_close(w, ci);
		return;
	}
	memmove(c->buf, c->buf + used, c->len - used);
	c->len -= used;
	c->busy = true;
	c->id = req.id;
	c->close_after = !req.keepalive;
	if (w->slot_free != NONE) {
		start_task(w, ci);
		return;
	}
	c->next = NONE;
	if (w->wait_tail != NONE)
		w->conns[w->wait_tail].next = ci;
	else
		w->wait_head = ci;
	w->wait_tail = ci;
}

static void on_accept(struct uring_w *w, int fd)
{
	uint32_t ci;

	if (!w->stopping)
		arm_accept(w);
	if (fd < 0)
		return;
	if (w->conn_free == NONE) { /* more connections than the table holds */
		close(fd);
		return;
	}
	ci = w->conn_free;
	w->conn_free = w->conns[ci].next;
	w->conns[ci].fd = fd;
	w->conns[ci].len = 0;
	w->conns[ci].busy = false;
	srv_nodelay(fd);
	arm_recv(w, ci);
}

static void on_cqe(struct uring_w *w, const struct io_uring_cqe *cqe)
{
	uint64_t d = io_uring_cqe_get_data64(cqe);
	uint32_t idx = (uint32_t)(d >> 24) & 0xffffffff, gen = (uint32_t)d & 0xffffff;
	struct uconn *c = idx < w->nconns ? &w->conns[idx] : NULL;
	struct uslot *u;
	int ev = 0;

	switch ((int)(d >> 56)) {
	case U_ACCEPT:
		on_accept(w, cqe->res);
		return;
	case U_STOP:
		w->stopping = true;
		return;
	case U_RECV:
		if (cqe->res <= 0) {
			conn_close(w, idx);
			return;
		}
		c->len += (size_t)cqe->res;
		try_request(w, idx);
		return;
	case U_SEND:
		if (cqe->res <= 0) {
			conn_close(w, idx);
			return;
		}
		c->out_off += (size_t)cqe->res;
		if (c->out_off < c->out_len)
			arm_send(w, idx);
		else if (c->close_after)
			conn_close(w, idx);
		else
			try_request(w, idx);
		return;
	case U_POLL:
		u = idx < w->nslots ? &w->slots[idx] : NULL;
		if (!u || !u->armed || (u->gen & 0xffffff) != gen)
			return; /* stale: the slot moved on */
		u->armed = false;
		if (cqe->res < 0 || (cqe->res & (POLLERR | POLLHUP)))
			ev = WL_EV_READ | WL_EV_WRITE;
		if (cqe->res > 0 && (cqe->res & POLLIN))
			ev |= WL_EV_READ;
		if (cqe->res > 0 && (cqe->res & POLLOUT))
			ev |= WL_EV_WRITE;
		handle(u, u->ws.wl->step(&u->ws, ev ? ev : u->ws.events));
		return;
	}
}

/* Every waiting task past its deadline gets WL_EV_TIMEOUT. */
static void sweep(struct uring_w *w)
{
	uint64_t now = clock_now_ns();

	for (uint32_t i = 0; i < w->nslots; i++) {
		struct uslot *u = &w->slots[i];

		if (!u->armed || u->ws.deadline_ns > now)
			continue;
		disarm(u);
		handle(u, u->ws.wl->step(&u->ws, WL_EV_TIMEOUT));
	}
}

static void serve(struct uring_w *w)
{
	struct io_uring_sqe *s;

	arm_accept(w);
	s = sqe_get(w);
	io_uring_prep_poll_add(s, w->stop_fd, POLLIN);
	io_uring_sqe_set_data64(s, ud(U_STOP, 0, 0));
	while (!(w->stopping && w->running == 0)) {
		struct __kernel_timespec ts = { .tv_nsec = 10000000 };
		struct io_uring_cqe *cqe;
		unsigned head, n = 0;

		io_uring_submit_and_wait_timeout(&w->ring, &cqe, 1, &ts, NULL);
		io_uring_for_each_cqe(&w->ring, head, cqe)
		{
			on_cqe(w, cqe);
			n++;
		}
		io_uring_cq_advance(&w->ring, n);
		sweep(w);
	}
}

static int uring_setup(struct uring_w *w)
{
	w->nconns = (uint32_t)(2 * srv_conns(w->cfg) + 64);
	w->nslots = (uint32_t)w->cfg->concurrency;
	w->conns = calloc(w->nconns, sizeof(*w->conns));
	w->slots = calloc(w->nslots, sizeof(*w->slots));
	if (!w->conns || !w->slots)
		return -ENOMEM;
	w->conn_free = w->slot_free = w->wait_head = w->wait_tail = NONE;
	for (uint32_t i = w->nconns; i-- > 0;) {
		w->conns[i].fd = -1;
		w->conns[i].next = w->conn_free;
		w->conn_free = i;
	}
	for (uint32_t i = w->nslots; i-- > 0;) {
		struct uslot *u = &w->slots[i];

		u->w = w;
		u->ws.driver = u;
		u->ws.forget_fd = forget_fd;
		if (wl_slot_init(&u->ws, w->cfg) == -ENOMEM)
			return -ENOMEM;
		u->next = w->slot_free;
		w->slot_free = i;
	}
	return io_uring_queue_init(4096, &w->ring, 0);
}

static int core_ring(const struct run_cfg *cfg, struct trial_ctl *sub, struct task_stats *out,
		     int lfd, int k)
{
	struct uring_w w = { .cfg = cfg, .out = out, .lfd = lfd, .stop_fd = sub->stop_fd };
	int rc = uring_setup(&w);

	(void)k;
	if (rc == 0) {
		sub->go(sub);
		serve(&w);
		sub->end(sub);
		io_uring_queue_exit(&w.ring);
	}
	for (uint32_t i = 0; w.conns && i < w.nconns; i++)
		if (w.conns[i].fd >= 0)
			close(w.conns[i].fd);
	for (uint32_t i = 0; w.slots && i < w.nslots; i++)
		wl_slot_fini(&w.slots[i].ws);
	free(w.conns);
	free(w.slots);
	return rc;
}

static int uring_run(const struct run_cfg *cfg, struct trial_ctl *ctl, struct task_stats *out)
{
	return srv_run_per_cpu(cfg, ctl, out, core_ring);
}

/* Refused where the kernel will not make a ring (io_uring_disabled, a
 * seccomp filter, an old kernel). */
static int uring_check(const struct run_cfg *cfg, char *err, size_t errlen)
{
	struct io_uring r;
	struct utsname u;
	int rc = io_uring_queue_init(2, &r, 0);

	(void)cfg;
	if (rc == 0) {
		io_uring_queue_exit(&r);
		return 0;
	}
	if (uname(&u) < 0)
		snprintf(u.release, sizeof(u.release), "?");
	snprintf(err, errlen, "--model io-uring: io_uring is not available on this kernel (%s): %s",
		 u.release, strerror(-rc));
	return -EINVAL;
}

const struct server_ops server_io_uring = {
	.base = {
		.name = "io-uring",
		.summary = "an io_uring per server CPU (liburing), SO_REUSEPORT; sync part inline",
		.label = "uring",
		.color = "#F0E442",
		.par = MODEL_PAR_WORKERS,
		.kind = MODEL_KIND_LOOP,
		.open_loop = true,
		.check = uring_check,
		.run = uring_run,
	},
	.per_cpu = true,
	.queue = "the kernel hashes each connection to one ring's listener; requests past "
		 "--connections slots wait in a FIFO",
};
