/* thread_per_task.c - a new pthread for every task, at most --concurrency
 * alive at once, each joined. The Python analog: one
 * threading.Thread(target=fetch).start() per request, the version people
 * write before they meet a pool.
 *
 * Creating and joining the threads is inside the timed region: that cost
 * is what this model measures against threadpool. What a thread works on
 * is not: the model keeps --concurrency slots, opened before the clock
 * like threadpool's (with --conn keepalive each keeps its connection; with
 * sqlite each holds its own database connection), and hands a free slot
 * to every new thread. So threadpool and thread-per-task do the same work
 * on the same slots, and differ only in where the threads come from. A
 * slot is freed by its thread as the task ends; the main thread joins
 * that thread before it gives the slot to the next one.
 *
 * A task's service time starts just before pthread_create: creating the
 * thread is part of serving the task. A thread that cannot be created is
 * a failed task (errors_worker), like Python's "can't start new thread". */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#include "../lib/clock.h"
#include "../lib/sched.h"
#include "../workloads/workload.h"
#include "model.h"

struct tpt_run;

struct tpt_slot {
	struct wl_slot ws;	  /* the workload's slot, opened before the clock */
	struct task_stats *stats; /* tasks run on this slot: one thread at a time */
	struct tpt_run *run;	  /* the run it belongs to */
	pthread_t thread;	  /* the thread running, or last run, on it */
	bool joinable;		  /* thread was created and not yet joined */
	uint64_t id;		  /* the task handed to the thread */
	uint64_t due_ns;	  /* when that task was due (its intended release) */
	uint64_t start_ns;	  /* when its thread was asked for */
};

struct tpt_run {
	pthread_mutex_t lock;
	pthread_cond_t freed;	     /* a slot was freed */
	struct tpt_slot *slots;	     /* n of them */
	uint64_t *free;		     /* indices of free slots (a stack) */
	uint64_t n, nfree;	     /* slots, free slots */
	uint64_t t0;		     /* the clock's start, set before the first thread */
	const struct trial_ctl *ctl; /* the release schedule (open loop) */
};

static void *tpt_thread(void *arg)
{
	struct tpt_slot *sl = arg;
	struct tpt_run *r = sl->run;

	wl_run_task(&sl->ws, sl->id);
	stats_task_done(sl->stats, sl->due_ns, sl->start_ns, clock_now_ns(), sl->id, sl->ws.result,
			sl->ws.err);
	pthread_mutex_lock(&r->lock);
	r->free[r->nfree++] = (uint64_t)(sl - r->slots);
	pthread_cond_signal(&r->freed);
	pthread_mutex_unlock(&r->lock);
	return NULL;
}

/* A free slot, waiting for a thread to end if there is none, with its
 * previous thread joined. */
static struct tpt_slot *tpt_take_slot(struct tpt_run *r)
{
	struct tpt_slot *sl;

	pthread_mutex_lock(&r->lock);
	while (r->nfree == 0)
		pthread_cond_wait(&r->freed, &r->lock);
	sl = &r->slots[r->free[--r->nfree]];
	pthread_mutex_unlock(&r->lock);
	if (sl->joinable) {
		pthread_join(sl->thread, NULL);
		sl->joinable = false;
	}
	return sl;
}

/* Open loop: the thread is created when its task is due, not before; a
 * task that finds no free slot then waits for one, and that wait counts. */
static void tpt_start_task(struct tpt_run *r, uint64_t id)
{
	uint64_t due = ctl_release_ns(r->ctl, r->t0, id);
	struct tpt_slot *sl;

	if (due > clock_now_ns())
		sched_sleep_until(due);
	sl = tpt_take_slot(r);
	sl->id = id;
	sl->due_ns = due;
	sl->start_ns = clock_now_ns();
	if (pthread_create(&sl->thread, NULL, tpt_thread, sl) == 0) {
		sl->joinable = true;
		return;
	}
	stats_task_done(sl->stats, due, sl->start_ns, clock_now_ns(), id, 0, TASK_ERR_WORKER);
	pthread_mutex_lock(&r->lock);
	r->free[r->nfree++] = (uint64_t)(sl - r->slots);
	pthread_mutex_unlock(&r->lock);
}

static void tpt_wait_all(struct tpt_run *r)
{
	pthread_mutex_lock(&r->lock);
	while (r->nfree < r->n)
		pthread_cond_wait(&r->freed, &r->lock);
	pthread_mutex_unlock(&r->lock);
}

/* Open the slots before the clock; -ENOMEM is the only fatal failure (a
 * failed connect is retried, and counted, by the slot's first task). */
static int tpt_open_slots(struct tpt_run *r, const struct run_cfg *cfg, uint64_t *opened)
{
	for (*opened = 0; *opened < r->n; (*opened)++) {
		struct tpt_slot *sl = &r->slots[*opened];

		sl->run = r;
		r->free[r->n - 1 - *opened] = *opened; /* the first task takes slot 0 */
		if (wl_slot_init(&sl->ws, cfg) == -ENOMEM) {
			if (sl->ws.priv)
				(*opened)++; /* its priv is there to free */
			return -ENOMEM;
		}
	}
	r->nfree = r->n;
	return 0;
}

static int thread_per_task_run(const struct run_cfg *cfg, struct trial_ctl *ctl,
			       struct task_stats *out)
{
	struct tpt_run r = { .lock = PTHREAD_MUTEX_INITIALIZER,
			     .freed = PTHREAD_COND_INITIALIZER,
			     .ctl = ctl,
			     .n = cfg->concurrency < cfg->tasks ? cfg->concurrency : cfg->tasks };
	uint64_t opened = 0;
	struct task_stats *ws;
	bool own;
	int rc;

	stats_init(out);
	ws = ctl_stats_get(ctl, r.n, &own); /* the harness's, resident already */
	r.slots = calloc(r.n, sizeof(*r.slots));
	r.free = calloc(r.n, sizeof(*r.free));
	for (uint64_t i = 0; r.slots && ws && i < r.n; i++)
		r.slots[i].stats = &ws[i];
	rc = r.slots && r.free && ws ? tpt_open_slots(&r, cfg, &opened) : -ENOMEM;
	if (rc == 0) {
		r.t0 = ctl->go(ctl);
		for (uint64_t id = 0; id < cfg->tasks; id++)
			tpt_start_task(&r, id);
		tpt_wait_all(&r);
		ctl->end(ctl);
	}
	for (uint64_t i = 0; i < opened; i++) {
		struct tpt_slot *sl = &r.slots[i];

		if (sl->joinable)
			pthread_join(sl->thread, NULL);
		stats_merge(out, sl->stats);
		wl_slot_fini(&sl->ws);
	}
	if (ws)
		ctl_stats_put(ws, r.n, own);
	free(r.free);
	free(r.slots);
	return rc;
}

const struct model_ops model_thread_per_task = {
	.name = "thread-per-task",
	.summary = "a new pthread for every task (at most --concurrency alive), each joined",
	.label = "thread/task",
	.color = "#CC79A7",
	.par = MODEL_PAR_SLOTS,
	.per_task = true,
	.open_loop = true,
	.kind = MODEL_KIND_THREADS,
	.wstats = MODEL_WSTATS_SLOTS,
	.run = thread_per_task_run,
};
