/* srv_percpu.c - a server made of one worker thread per server CPU, each
 * pinned to its CPU with a listener of its own on one port (SO_REUSEPORT):
 * the kernel spreads new connections over the listeners by a hash of the
 * connection's addresses and ports. loop_reuseport.c and uring.c give
 * only what one worker runs. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "srv.h"

/* One go and one end for all the workers: the last to be ready tells the
 * monitor, and they all start together. */
struct percore {
	struct trial_ctl *ctl; /* the trial's */
	pthread_barrier_t bar;
	uint64_t t0;
};

struct core_arg {
	const struct run_cfg *cfg;
	struct percore *pc;
	struct trial_ctl sub; /* this loop's handshake */
	struct task_stats *out;
	srv_core_fn fn;
	int lfd, k, rc;
};

static uint64_t sub_go(struct trial_ctl *c)
{
	struct percore *pc = c->priv;

	if (pthread_barrier_wait(&pc->bar) == PTHREAD_BARRIER_SERIAL_THREAD)
		pc->t0 = pc->ctl->go(pc->ctl);
	pthread_barrier_wait(&pc->bar);
	return pc->t0;
}

static void sub_end(struct trial_ctl *c)
{
	struct percore *pc = c->priv;

	if (pthread_barrier_wait(&pc->bar) == PTHREAD_BARRIER_SERIAL_THREAD)
		pc->ctl->end(pc->ctl);
	pthread_barrier_wait(&pc->bar);
}

static void *core_thread(void *p)
{
	struct core_arg *a = p;

	srv_pin_thread(a->k);
	stats_init(a->out);
	a->rc = a->fn(a->cfg, &a->sub, a->out, a->lfd, a->k);
	return NULL;
}

/* n listeners on one port: the first picks it. */
static int open_listeners(const struct run_cfg *cfg, struct core_arg *a, int n, int *port)
{
	*port = (int)cfg->port;
	for (int i = 0; i < n; i++) {
		a[i].lfd = srv_listen(port, true, true);
		if (a[i].lfd < 0)
			return a[i].lfd;
	}
	return 0;
}

int srv_run_per_cpu(const struct run_cfg *cfg, struct trial_ctl *ctl, struct task_stats *out,
		    srv_core_fn fn)
{
	int n = srv_cpu_count(), port = 0, rc, started = 0;
	struct core_arg *a = calloc((size_t)n, sizeof(*a));
	pthread_t *th = calloc((size_t)n, sizeof(*th));
	struct percore pc = { .ctl = ctl };
	struct task_stats *st = NULL;
	bool own = false;

	stats_init(out);
	for (int i = 0; a && i < n; i++)
		a[i].lfd = -1;
	rc = a && th ? open_listeners(cfg, a, n, &port) : -ENOMEM;
	if (rc == 0 && !(st = ctl_stats_get(ctl, (uint64_t)n, &own)))
		rc = -ENOMEM;
	if (rc < 0)
		goto out;
	ctl->port = port;
	pthread_barrier_init(&pc.bar, NULL, (unsigned)n);
	for (; started < n; started++) {
		a[started] = (struct core_arg){ .cfg = cfg,
						.pc = &pc,
						.out = &st[started],
						.lfd = a[started].lfd,
						.k = started,
						.fn = fn };
		a[started].sub = *ctl;
		a[started].sub.go = sub_go;
		a[started].sub.end = sub_end;
		a[started].sub.priv = &pc;
		if (pthread_create(&th[started], NULL, core_thread, &a[started]) != 0)
			break; /* the others wait at the barrier: the monitor's deadline ends it */
	}
	for (int i = 0; i < started; i++) {
		pthread_join(th[i], NULL);
		if (a[i].rc < 0)
			rc = a[i].rc;
		stats_merge(out, &st[i]);
	}
	pthread_barrier_destroy(&pc.bar);
out:
	if (st)
		ctl_stats_put(st, (uint64_t)n, own);
	for (int i = 0; a && i < n; i++)
		if (a[i].lfd >= 0)
			close(a[i].lfd);
	free(a);
	free(th);
	return rc;
}
