/* thread_per_conn.c - a new thread for every accepted connection, at most
 * --connections (plus --hold-connections) alive (past the cap, accepting waits until one ends, so
 * the connections wait in the listen backlog). Each thread has its own
 * handler slot, serves its connection's requests with keep-alive and the
 * blocking driver, and ends when the peer closes. The analog:
 * socketserver.ThreadingTCPServer, a thread per client. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "srv.h"

struct tpc {
	const struct run_cfg *cfg;
	struct trial_ctl *ctl;
	struct task_stats *stats; /* one per index */
	pthread_mutex_t mu;
	pthread_cond_t gone;	   /* a thread ended */
	uint64_t *free_idx, nfree; /* the stats indices not in use */
	uint64_t alive;
};

struct tpc_arg {
	struct tpc *t;
	int fd;
	uint64_t idx;
};

static void *conn_thread(void *p)
{
	struct tpc_arg *a = p;
	struct tpc *t = a->t;
	struct wl_slot slot = { 0 };

	if (wl_slot_init(&slot, t->cfg) != -ENOMEM)
		srv_serve_conn(a->fd, &slot, &t->stats[a->idx], true, t->ctl->stop_fd);
	else
		close(a->fd);
	wl_slot_fini(&slot);
	pthread_mutex_lock(&t->mu);
	t->free_idx[t->nfree++] = a->idx;
	t->alive--;
	pthread_cond_signal(&t->gone);
	pthread_mutex_unlock(&t->mu);
	free(a);
	return NULL;
}

/* Start a thread for fd; the caller holds a free index. */
static void spawn_conn(struct tpc *t, int fd)
{
	struct tpc_arg *a = malloc(sizeof(*a));
	pthread_attr_t at;
	pthread_t th;

	if (!a) {
		close(fd);
		return;
	}
	pthread_mutex_lock(&t->mu);
	while (t->nfree == 0)
		pthread_cond_wait(&t->gone, &t->mu);
	a->t = t;
	a->fd = fd;
	a->idx = t->free_idx[--t->nfree];
	t->alive++;
	pthread_mutex_unlock(&t->mu);
	pthread_attr_init(&at);
	pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&th, &at, conn_thread, a) != 0) {
		pthread_mutex_lock(&t->mu);
		t->free_idx[t->nfree++] = a->idx;
		t->alive--;
		pthread_mutex_unlock(&t->mu);
		close(fd);
		free(a);
	}
	pthread_attr_destroy(&at);
}

/* Accept only while a thread may start: at the cap, wait for one to end. */
static void accept_loop(struct tpc *t, int lfd)
{
	while (srv_wait_accept(lfd, t->ctl->stop_fd) == 1) {
		int fd;

		pthread_mutex_lock(&t->mu);
		while (t->nfree == 0)
			pthread_cond_wait(&t->gone, &t->mu);
		pthread_mutex_unlock(&t->mu);
		fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (fd >= 0)
			spawn_conn(t, fd);
	}
}

static int tpc_run(const struct run_cfg *cfg, struct trial_ctl *ctl, struct task_stats *out)
{
	struct tpc t = { .cfg = cfg, .ctl = ctl };
	uint64_t k = srv_conns(cfg); /* the cap: active and held connections */
	int port = (int)cfg->port, lfd;
	bool own;

	stats_init(out);
	lfd = srv_listen(&port, false, false);
	if (lfd < 0)
		return lfd;
	ctl->port = port;
	t.stats = ctl_stats_get(ctl, k, &own);
	t.free_idx = calloc(k, sizeof(*t.free_idx));
	if (!t.stats || !t.free_idx) {
		free(t.free_idx);
		close(lfd);
		return -ENOMEM;
	}
	for (uint64_t i = 0; i < k; i++)
		t.free_idx[t.nfree++] = k - 1 - i;
	pthread_mutex_init(&t.mu, NULL);
	pthread_cond_init(&t.gone, NULL);
	ctl->go(ctl);
	accept_loop(&t, lfd);
	close(lfd);
	/* stop_fd is readable: every thread's wait ends */
	pthread_mutex_lock(&t.mu);
	while (t.alive)
		pthread_cond_wait(&t.gone, &t.mu);
	pthread_mutex_unlock(&t.mu);
	ctl->end(ctl);
	for (uint64_t i = 0; i < k; i++)
		stats_merge(out, &t.stats[i]);
	ctl_stats_put(t.stats, k, own);
	free(t.free_idx);
	pthread_cond_destroy(&t.gone);
	pthread_mutex_destroy(&t.mu);
	return 0;
}

const struct server_ops server_thread_per_conn = {
	.base = {
		.name = "thread-per-conn",
		.summary = "a new thread per accepted connection (a cap), keep-alive",
		.label = "thr/conn",
		.color = "#D55E00",
		.par = MODEL_PAR_SLOTS,
		.kind = MODEL_KIND_THREADS,
		.per_task = true,
		.open_loop = true,
		.wstats = MODEL_WSTATS_SLOTS,
		.run = tpc_run,
	},
	.queue = "past the cap, connections wait in the listen backlog",
};
