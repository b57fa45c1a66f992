/* threadpool.c - --concurrency pthreads fed through a bounded submission
 * queue (one mutex, two condition variables); each worker blocks on its
 * own socket. The Python analog: concurrent.futures.ThreadPoolExecutor.
 *
 * Workers are created, and with --conn keepalive connected, before the
 * clock starts; the submitting thread then queues every task id, waiting
 * whenever the queue is full, as executor.submit() would with a bound. */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#include "../lib/clock.h"
#include "../lib/sched.h"
#include "../workloads/workload.h"
#include "model.h"

struct tp_queue {
	pthread_mutex_t lock;
	pthread_cond_t not_empty; /* a task was queued, or the queue closed */
	pthread_cond_t not_full;  /* a task was taken */
	pthread_cond_t ready;	  /* a worker finished its set-up */
	pthread_cond_t all_done;  /* the last task completed */
	uint64_t *ring;		  /* task ids */
	size_t cap, head, len;	  /* ring capacity, first item, items */
	bool closed;		  /* no more tasks will come */
	uint64_t nready;	  /* workers past set-up */
	uint64_t done, total;	  /* tasks completed (atomic), tasks released */
};

struct tp_worker {
	pthread_t thread;
	const struct run_cfg *cfg;
	struct tp_queue *q;
	const uint64_t *t0;	     /* go's time, set before the first task */
	const struct trial_ctl *ctl; /* when each task is due */
	struct task_stats *stats;    /* this worker's own: no lock to record */
	int setup_rc;		     /* what its slot's set-up returned */
};

/* Take the next task id; false once the queue is closed and empty. */
static bool threadpool_take(struct tp_queue *q, uint64_t *id)
{
	bool got = false;

	pthread_mutex_lock(&q->lock);
	while (q->len == 0 && !q->closed)
		pthread_cond_wait(&q->not_empty, &q->lock);
	if (q->len > 0) {
		*id = q->ring[q->head];
		q->head = (q->head + 1) % q->cap;
		q->len--;
		got = true;
		pthread_cond_signal(&q->not_full);
	}
	pthread_mutex_unlock(&q->lock);
	return got;
}

static void threadpool_submit(struct tp_queue *q, uint64_t id)
{
	pthread_mutex_lock(&q->lock);
	while (q->len == q->cap)
		pthread_cond_wait(&q->not_full, &q->lock);
	q->ring[(q->head + q->len) % q->cap] = id;
	q->len++;
	pthread_cond_signal(&q->not_empty);
	pthread_mutex_unlock(&q->lock);
}

static void threadpool_close(struct tp_queue *q)
{
	pthread_mutex_lock(&q->lock);
	q->closed = true;
	pthread_cond_broadcast(&q->not_empty);
	pthread_mutex_unlock(&q->lock);
}

static void *threadpool_worker(void *arg)
{
	struct tp_worker *w = arg;
	struct wl_slot slot = { 0 };
	uint64_t id, start;

	/* w->stats is the harness's, zeroed and resident before the base
	 * sample: clearing it again is not needed */
	w->setup_rc = wl_slot_init(&slot, w->cfg);
	pthread_mutex_lock(&w->q->lock);
	w->q->nready++;
	pthread_cond_signal(&w->q->ready);
	pthread_mutex_unlock(&w->q->lock);
	while (threadpool_take(w->q, &id)) {
		start = clock_now_ns();
		wl_run_task(&slot, id);
		stats_task_done(w->stats, ctl_release_ns(w->ctl, *w->t0, id), start, clock_now_ns(),
				id, slot.result, slot.err);
		if (__atomic_add_fetch(&w->q->done, 1, __ATOMIC_ACQ_REL) == w->q->total) {
			pthread_mutex_lock(&w->q->lock);
			pthread_cond_signal(&w->q->all_done);
			pthread_mutex_unlock(&w->q->lock);
		}
	}
	wl_slot_fini(&slot);
	return NULL;
}

static int threadpool_run(const struct run_cfg *cfg, struct trial_ctl *ctl, struct task_stats *out)
{
	struct tp_queue q = { .lock = PTHREAD_MUTEX_INITIALIZER,
			      .not_empty = PTHREAD_COND_INITIALIZER,
			      .not_full = PTHREAD_COND_INITIALIZER,
			      .ready = PTHREAD_COND_INITIALIZER,
			      .all_done = PTHREAD_COND_INITIALIZER,
			      .total = cfg->tasks };
	uint64_t n = cfg->concurrency, started = 0, t0 = 0;
	struct tp_worker *w;
	struct task_stats *ws;
	bool own;
	int rc = 0;

	stats_init(out);
	ws = ctl_stats_get(ctl, n, &own);
	q.cap = n < 16 ? 16 : n > 4096 ? 4096 : (size_t)n;
	q.ring = malloc(q.cap * sizeof(*q.ring));
	w = calloc(n, sizeof(*w));
	if (!q.ring || !w || !ws) {
		rc = -ENOMEM;
		goto out_free;
	}
	for (started = 0; started < n; started++) {
		w[started].cfg = cfg;
		w[started].q = &q;
		w[started].t0 = &t0;
		w[started].ctl = ctl;
		w[started].stats = &ws[started];
		rc = -pthread_create(&w[started].thread, NULL, threadpool_worker, &w[started]);
		if (rc)
			goto out_join;
	}
	pthread_mutex_lock(&q.lock);
	while (q.nready < n)
		pthread_cond_wait(&q.ready, &q.lock);
	pthread_mutex_unlock(&q.lock);
	for (uint64_t i = 0; i < n && rc == 0; i++)
		if (w[i].setup_rc == -ENOMEM)
			rc = -ENOMEM;
	if (rc)
		goto out_join;

	/* t0 is written before the first task is queued; the queue's mutex
	 * orders that write before any worker reads it */
	t0 = ctl->go(ctl);
	for (uint64_t id = 0; id < cfg->tasks; id++) {
		uint64_t due = ctl_release_ns(ctl, t0, id);

		/* open loop: the submitter keeps the schedule, an absolute
		 * sleep per due time, so it never drifts */
		if (due > t0 && due > clock_now_ns())
			sched_sleep_until(due);
		threadpool_submit(&q, id);
	}
	threadpool_close(&q);
	/* joining would tear the threads down: the peak is taken first */
	pthread_mutex_lock(&q.lock);
	while (__atomic_load_n(&q.done, __ATOMIC_ACQUIRE) < q.total)
		pthread_cond_wait(&q.all_done, &q.lock);
	pthread_mutex_unlock(&q.lock);
	ctl->end(ctl);
out_join:
	if (rc)
		threadpool_close(&q);
	for (uint64_t i = 0; i < started; i++) {
		pthread_join(w[i].thread, NULL);
		stats_merge(out, w[i].stats);
	}
out_free:
	if (ws)
		ctl_stats_put(ws, n, own);
	free(w);
	free(q.ring);
	return rc;
}

const struct model_ops model_threadpool = {
	.name = "threadpool",
	.summary = "--concurrency pthreads fed through a bounded queue, blocking I/O",
	.label = "threads",
	.color = "#E69F00",
	.par = MODEL_PAR_SLOTS,
	.kind = MODEL_KIND_THREADS,
	.wstats = MODEL_WSTATS_SLOTS,
	.open_loop = true,
	.run = threadpool_run,
};
