/* eventloop_prefork.c - --workers processes forked before the clock, each
 * running the libuv loop of evloop.c on its share of the tasks, with a
 * task's synchronous part inline on its own loop. The Python analog: the
 * seed's "asyncio + uvloop per process, behind a load balancer" (Gunicorn
 * with Uvicorn workers): I/O overlapped in each loop, the loops on all
 * cores.
 *
 * The load balancer is a task counter in shared memory that every loop
 * takes its next id from (el_tasks.shared_next), so a loop that runs ahead
 * takes more. --concurrency is split across the loops (el_tasks.slots):
 * worker i gets C/W slots, one more for the first C%W; with fewer slots
 * than workers only C workers are forked.
 *
 * Each loop gets a handshake of its own: its go says "ready" and waits for
 * the parent's go pipe to close (t0 is then in shared memory), its end
 * says "done" and waits for the stop pipe to close. The parent calls the
 * monitor's go once every loop is ready and its end once every loop is
 * done, watching for deaths as forkpool does (procs.c). Each worker's
 * task_stats lives in shared memory and is merged by the parent after it
 * reaped the worker. A worker that dies loses its tasks in flight: they
 * count as errors_worker, and the other loops take the tasks left.
 *
 * Open loop (--rate): the schedule is in shared memory (sched.c), and each
 * loop keeps it for the ids it takes: a loop with a free slot takes the
 * next id and starts it when it is due (evloop.c's timerfd), so the loops
 * dispatch their share on the schedule between them. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "evloop.h"
#include "procs.h"

/* A worker loop's side of the handshake. */
struct pf_ctl {
	struct trial_ctl ctl;  /* what evloop_run calls */
	struct procs_pool *pl; /* t0, the pipes, this worker's state */
	uint64_t me;	       /* worker index */
};

static uint64_t pf_go(struct trial_ctl *ctl)
{
	struct pf_ctl *c = ctl->priv;

	procs_set_state(c->pl, c->me, PROCS_READY);
	procs_drain(c->pl->p.go[0]); /* EOF: go */
	return __atomic_load_n(&c->pl->sh->t0, __ATOMIC_ACQUIRE);
}

static void pf_end(struct trial_ctl *ctl)
{
	struct pf_ctl *c = ctl->priv;

	procs_set_state(c->pl, c->me, PROCS_DONE);
	procs_drain(c->pl->p.stop[0]); /* EOF: the parent has sampled the peak */
}

static void pf_inline_sync(struct el_slot *slot)
{
	slot->ws.sync(&slot->ws);
	evloop_task_done(slot);
}

/* The worker process: never returns. Worker me gets C/W slots, one more
 * for the first C%W. */
static void pf_worker(struct procs_pool *pl, uint64_t me)
{
	static const struct el_policy pol = { .sync_part = pf_inline_sync };
	uint64_t c = pl->cfg->concurrency, n = pl->n;
	struct pf_ctl pc = {
		.ctl = { .go = pf_go, .end = pf_end, .release_off = pl->ctl->release_off },
		.pl = pl,
		.me = me
	};
	struct el_tasks tasks = { .shared_next = &pl->sh->next_id,
				  .slots = c / n + (me < c % n ? 1 : 0) };

	pc.ctl.priv = &pc;
	_exit(evloop_run(pl->cfg, &pc.ctl, &pl->sh->stats[me], &pol, &tasks) == 0 ? 0 : 4);
}

/* The tasks the dead loops took and never finished are failed tasks. */
static void pf_count_lost(const struct procs_pool *pl, struct task_stats *out)
{
	const struct procs *ps = &pl->ps;

	out->workers_lost += ps->ndied;
	if (ps->ndied && out->completed < pl->cfg->tasks) {
		out->errors[TASK_ERR_WORKER] += pl->cfg->tasks - out->completed;
		out->completed = pl->cfg->tasks;
	}
}

static int eventloop_prefork_run(const struct run_cfg *cfg, struct trial_ctl *ctl,
				 struct task_stats *out)
{
	struct procs_pool pl = { .cfg = cfg,
				 .ctl = ctl,
				 .n = cfg->workers < cfg->concurrency ? cfg->workers
								      : cfg->concurrency,
				 .worker = pf_worker,
				 .count_lost = pf_count_lost };

	return procs_pool_run(&pl, ctl, out);
}

const struct model_ops model_eventloop_prefork = {
	.name = "eventloop-prefork",
	.summary = "--workers processes, each a libuv loop on its share of the tasks, CPU inline",
	.label = "loop/proc",
	.color = "#009E73",
	.par = MODEL_PAR_WORKERS,
	.kind = MODEL_KIND_LOOP,
	.open_loop = true,
	.wstats = MODEL_WSTATS_WORKERS,
	.run = eventloop_prefork_run,
};
