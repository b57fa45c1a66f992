/* forkpool.c - --concurrency worker processes made with fork() before the
 * clock starts. The Python analog: multiprocessing.Pool.
 *
 * Tasks go out through a counter in shared memory that every worker takes
 * the next id from (an atomic fetch-and-add: the queue of a pool whose
 * tasks are numbered). Results come back in shared memory too: each worker
 * owns one task_stats slot, which the parent merges after the workers
 * exit. Each worker publishes its state (ready, done) and the task it is
 * running; a byte on the `wake` pipe tells the parent to look. Two pipes
 * that the parent closes are the barriers: `go` (t0 is published) and
 * `stop` (the peak has been sampled; exit). A worker that dies is noticed
 * by waitpid while the parent waits: its task in flight is counted as
 * failed (errors_worker) and the others finish the rest. Every child dies
 * with the trial (PR_SET_PDEATHSIG) and every child is reaped. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "../lib/clock.h"
#include "../lib/sched.h"
#include "../workloads/workload.h"
#include "model.h"
#include "procs.h"

/* The worker process: never returns. Its shared extra is the task in
 * flight + 1, or 0. */
static void forkpool_worker(struct procs_pool *pl, uint64_t me)
{
	const struct run_cfg *cfg = pl->cfg;
	struct procs_shared *sh = pl->sh;
	uint64_t *cur = &((uint64_t *)sh->extra)[me];
	struct task_stats *st = &sh->stats[me];
	struct wl_slot slot = { 0 };
	uint64_t id, start, due;

	/* st is zeroed shared memory, the harness's: no clearing again */
	if (wl_slot_init(&slot, cfg) == -ENOMEM)
		_exit(4);
	procs_set_state(pl, me, PROCS_READY);
	procs_drain(pl->p.go[0]); /* EOF: go */
	for (;;) {
		id = __atomic_fetch_add(&sh->next_id, 1, __ATOMIC_RELAXED);
		if (id >= cfg->tasks)
			break;
		/* open loop: a free worker takes the next task and waits until
		 * it is due, as a dispatcher would hand it out then */
		due = ctl_release_ns(pl->ctl, sh->t0, id);
		if (due > clock_now_ns())
			sched_sleep_until(due);
		__atomic_store_n(cur, id + 1, __ATOMIC_RELAXED);
		start = clock_now_ns();
		wl_run_task(&slot, id);
		stats_task_done(st, due, start, clock_now_ns(), id, slot.result, slot.err);
		__atomic_store_n(cur, 0, __ATOMIC_RELEASE);
	}
	procs_set_state(pl, me, PROCS_DONE);
	procs_drain(pl->p.stop[0]); /* EOF: the parent has sampled the peak */
	wl_slot_fini(&slot);
	_exit(0);
}

/* The dead workers' tasks in flight are failed tasks. */
static void count_dead(const struct procs_pool *pl, struct task_stats *out)
{
	const uint64_t *cur = pl->sh->extra;

	for (uint64_t i = 0; i < pl->ps.n; i++) {
		if (!pl->ps.died[i])
			continue;
		out->workers_lost++;
		if (__atomic_load_n(&cur[i], __ATOMIC_ACQUIRE)) {
			out->completed++;
			out->errors[TASK_ERR_WORKER]++;
		}
	}
}

static int forkpool_run(const struct run_cfg *cfg, struct trial_ctl *ctl, struct task_stats *out)
{
	struct procs_pool pl = { .cfg = cfg,
				 .ctl = ctl,
				 .n = cfg->concurrency,
				 .extra_size = sizeof(uint64_t),
				 .worker = forkpool_worker,
				 .count_lost = count_dead };

	return procs_pool_run(&pl, ctl, out);
}

const struct model_ops model_forkpool = {
	.name = "forkpool",
	.summary = "--concurrency prefork worker processes, shared-memory queue and results",
	.label = "procs",
	.color = "#D55E00",
	.par = MODEL_PAR_SLOTS,
	.kind = MODEL_KIND_PROCESSES,
	.wstats = MODEL_WSTATS_SLOTS,
	.open_loop = true,
	.run = forkpool_run,
};
