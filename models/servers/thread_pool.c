/* thread_pool.c - --workers threads fed by a queue of requests: the main
 * thread watches the listener and every idle kept connection with epoll
 * (one-shot); a connection that becomes readable (a request has arrived)
 * goes on the queue (mutex + condvar), a worker takes it, reads that one
 * request, runs its task with the blocking driver on its own slot,
 * answers, and hands the connection back to epoll. So requests are
 * queued, not connections: a kept connection holds no thread between its
 * requests. The analog: a Java NIO connector (Tomcat, Jetty) in front of
 * a worker pool; concurrent.futures.ThreadPoolExecutor behind a
 * selector. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "srv.h"

struct pool {
	const struct run_cfg *cfg;
	struct trial_ctl *ctl;
	int ep; /* epoll: listener, stop_fd, idle connections */
	pthread_mutex_t mu;
	pthread_cond_t ready;  /* the queue has a connection, or stop */
	pthread_cond_t set_up; /* a worker has opened its slot */
	uint64_t opened;       /* workers whose slot is open */
	int *q;		       /* ring of connections with a request waiting */
	uint64_t cap, head, len;
	bool stop;
	struct task_stats *stats; /* one per worker */
	uint64_t nworkers;
};

struct worker_arg {
	struct pool *p;
	uint64_t idx;
};

/* (Re)arm fd in epoll for one readable event. */
static int arm(struct pool *p, int fd, bool add)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLONESHOT, .data.fd = fd };

	return epoll_ctl(p->ep, add ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, fd, &ev);
}

static int take(struct pool *p)
{
	int fd;

	pthread_mutex_lock(&p->mu);
	while (!p->len && !p->stop)
		pthread_cond_wait(&p->ready, &p->mu);
	if (!p->len) {
		pthread_mutex_unlock(&p->mu);
		return -1;
	}
	fd = p->q[p->head];
	p->head = (p->head + 1) % p->cap;
	p->len--;
	pthread_mutex_unlock(&p->mu);
	return fd;
}

static void *worker(void *a_)
{
	struct worker_arg *a = a_;
	struct pool *p = a->p;
	struct wl_slot slot = { 0 };
	int fd;

	wl_slot_init(&slot, p->cfg); /* before the clock: pg's pooled connection */
	pthread_mutex_lock(&p->mu);
	p->opened++;
	pthread_cond_signal(&p->set_up);
	pthread_mutex_unlock(&p->mu);
	while ((fd = take(p)) >= 0) {
		/* the request is there: the whole head gets --timeout */
		if (!srv_serve_one(fd, &slot, &p->stats[a->idx], true, -1, p->cfg->timeout_us) ||
		    arm(p, fd, false) < 0)
			close(fd);
	}
	wl_slot_fini(&slot);
	return NULL;
}

static void put(struct pool *p, int fd)
{
	pthread_mutex_lock(&p->mu);
	if (p->len == p->cap) { /* more connections than the ring holds */
		pthread_mutex_unlock(&p->mu);
		close(fd);
		return;
	}
	p->q[(p->head + p->len) % p->cap] = fd;
	p->len++;
	pthread_cond_signal(&p->ready);
	pthread_mutex_unlock(&p->mu);
}

/* The main thread: accept, and queue every connection that has a request. */
static void poll_loop(struct pool *p, int lfd)
{
	struct epoll_event evs[64];

	for (;;) {
		int n = epoll_wait(p->ep, evs, 64, 1000);

		if (n < 0 && errno != EINTR)
			return;
		for (int i = 0; i < n; i++) {
			int fd = evs[i].data.fd;

			if (fd == p->ctl->stop_fd)
				return;
			if (fd != lfd) {
				put(p, fd);
				continue;
			}
			while ((fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC)) >= 0) {
				srv_nodelay(fd);
				if (arm(p, fd, true) < 0)
					close(fd);
			}
		}
	}
}

static int pool_setup(struct pool *p, int lfd, pthread_t *th, struct worker_arg *args)
{
	struct epoll_event ev = { .events = EPOLLIN };
	uint64_t i;

	ev.data.fd = lfd;
	if (epoll_ctl(p->ep, EPOLL_CTL_ADD, lfd, &ev) < 0)
		return -errno;
	ev.data.fd = p->ctl->stop_fd;
	if (epoll_ctl(p->ep, EPOLL_CTL_ADD, p->ctl->stop_fd, &ev) < 0)
		return -errno;
	for (i = 0; i < p->nworkers; i++) {
		args[i] = (struct worker_arg){ .p = p, .idx = i };
		if (pthread_create(&th[i], NULL, worker, &args[i]) != 0)
			break;
	}
	p->nworkers = i;
	pthread_mutex_lock(&p->mu);
	while (p->opened < i)
		pthread_cond_wait(&p->set_up, &p->mu);
	pthread_mutex_unlock(&p->mu);
	return i ? 0 : -EAGAIN;
}

static int pool_run(const struct run_cfg *cfg, struct trial_ctl *ctl, struct task_stats *out)
{
	struct pool p = { .cfg = cfg, .ctl = ctl, .nworkers = cfg->workers };
	uint64_t want = cfg->workers;
	struct worker_arg *args = calloc(want, sizeof(*args));
	pthread_t *th = calloc(want, sizeof(*th));
	int port = (int)cfg->port, lfd, rc = -ENOMEM;
	bool own = false;

	stats_init(out);
	lfd = srv_listen(&port, false, true);
	if (lfd < 0) {
		rc = lfd;
		goto out_free;
	}
	ctl->port = port;
	p.cap = srv_conns(cfg) * 2 + 1024;
	p.q = calloc(p.cap, sizeof(*p.q));
	p.stats = ctl_stats_get(ctl, want, &own);
	p.ep = epoll_create1(EPOLL_CLOEXEC);
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.ready, NULL);
	pthread_cond_init(&p.set_up, NULL);
	if (!args || !th || !p.q || !p.stats || p.ep < 0 ||
	    (rc = pool_setup(&p, lfd, th, args)) < 0)
		goto out_close;
	ctl->go(ctl);
	poll_loop(&p, lfd);
	pthread_mutex_lock(&p.mu);
	p.stop = true;
	pthread_cond_broadcast(&p.ready);
	pthread_mutex_unlock(&p.mu);
	for (uint64_t i = 0; i < p.nworkers; i++)
		pthread_join(th[i], NULL);
	ctl->end(ctl);
	for (uint64_t i = 0; i < p.nworkers; i++)
		stats_merge(out, &p.stats[i]);
	rc = 0;
out_close:
	if (p.stats)
		ctl_stats_put(p.stats, want, own);
	if (p.ep >= 0)
		close(p.ep); /* the idle connections are closed with the process */
	close(lfd);
	pthread_cond_destroy(&p.ready);
	pthread_cond_destroy(&p.set_up);
	pthread_mutex_destroy(&p.mu);
out_free:
	free(p.q);
	free(args);
	free(th);
	return rc;
}

const struct server_ops server_thread_pool = {
	.base = {
		.name = "thread-pool",
		.summary = "--workers threads; epoll hands each request's connection over a queue",
		.label = "pool",
		.color = "#E69F00",
		.par = MODEL_PAR_WORKERS,
		.kind = MODEL_KIND_THREADS,
		.open_loop = true,
		.wstats = MODEL_WSTATS_WORKERS,
		.run = pool_run,
	},
	.queue = "requests: a connection with a request waiting is queued for a worker",
};
