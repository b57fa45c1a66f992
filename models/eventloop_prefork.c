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
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "evloop.h"
#include "procs.h"

enum { PF_FORKED, PF_READY, PF_DONE };

struct pf_shared {
	uint64_t next_id;	  /* next task to take (atomic), shared by every loop */
	uint64_t t0;		  /* release time, written before go */
	uint32_t *state;	  /* per worker: PF_* */
	struct task_stats *stats; /* one per worker: the harness's, resident already */
};

/* Written by the workers to wake the parent; closed by the parent to say
 * go and stop. */
/* A worker loop's side of the handshake. */
struct pf_ctl {
	struct trial_ctl ctl;  /* what evloop_run calls */
	struct pf_shared *sh;  /* t0 and this worker's state */
	struct procs_pipes *p; /* the worker's ends */
	uint64_t me;	       /* worker index */
};

static void pf_set_state(struct pf_ctl *c, uint32_t st)
{
	__atomic_store_n(&c->sh->state[c->me], st, __ATOMIC_RELEASE);
	procs_poke(c->p->wake[1]);
}

static uint64_t pf_go(struct trial_ctl *ctl)
{
	struct pf_ctl *c = ctl->priv;

	pf_set_state(c, PF_READY);
	procs_drain(c->p->go[0]); /* EOF: go */
	return __atomic_load_n(&c->sh->t0, __ATOMIC_ACQUIRE);
}

static void pf_end(struct trial_ctl *ctl)
{
	struct pf_ctl *c = ctl->priv;

	pf_set_state(c, PF_DONE);
	procs_drain(c->p->stop[0]); /* EOF: the parent has sampled the peak */
}

static void pf_inline_sync(struct el_slot *slot)
{
	slot->ws.sync(&slot->ws);
	evloop_task_done(slot);
}

/* The worker process: never returns. */
static void pf_worker(const struct run_cfg *cfg, const uint64_t *release_off, struct pf_shared *sh,
		      struct procs_pipes *p, uint64_t me, uint64_t slots, pid_t parent)
{
	static const struct el_policy pol = { .sync_part = pf_inline_sync };
	struct pf_ctl c = { .ctl = { .go = pf_go, .end = pf_end, .release_off = release_off },
			    .sh = sh,
			    .p = p,
			    .me = me };
	struct el_tasks tasks = { .shared_next = &sh->next_id, .slots = slots };

	die_with_parent(parent, SIGKILL);
	procs_pipes_worker(p);
	c.ctl.priv = &c;
	_exit(evloop_run(cfg, &c.ctl, &sh->stats[me], &pol, &tasks) == 0 ? 0 : 4);
}

static struct pf_shared *pf_map(uint64_t n, size_t *size)
{
	size_t head = sizeof(struct pf_shared);
	struct pf_shared *sh;

	*size = head + n * sizeof(uint32_t);
	sh = mmap(NULL, *size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		return NULL;
	sh->state = (uint32_t *)((char *)sh + head);
	return sh;
}

/* Fork the n loops; the parent keeps only its ends of the pipes. */
static int pf_spawn(const struct run_cfg *cfg, const struct trial_ctl *ctl, struct pf_shared *sh,
		    struct procs_pipes *p, struct procs *ps, uint64_t n)
{
	pid_t parent = getpid();
	uint64_t c = cfg->concurrency;
	int rc = 0;

	fflush(NULL);
	for (ps->n = 0; ps->n < n; ps->n++) {
		uint64_t slots = c / n + (ps->n < c % n ? 1 : 0);
		pid_t pid = fork();

		if (pid < 0) {
			rc = -errno;
			break;
		}
		if (pid == 0)
			pf_worker(cfg, ctl->release_off, sh, p, ps->n, slots, parent);
		ps->pid[ps->n] = pid;
	}
	procs_pipes_parent(p);
	return rc;
}

/* The tasks the dead loops took and never finished are failed tasks. */
static void pf_count_lost(const struct procs *ps, const struct run_cfg *cfg, struct task_stats *out)
{
	out->workers_lost += ps->ndied;
	if (ps->ndied && out->completed < cfg->tasks) {
		out->errors[TASK_ERR_WORKER] += cfg->tasks - out->completed;
		out->completed = cfg->tasks;
	}
}

static int eventloop_prefork_run(const struct run_cfg *cfg, struct trial_ctl *ctl,
				 struct task_stats *out)
{
	struct procs_pipes p = PROCS_PIPES_INIT;
	uint64_t n = cfg->workers < cfg->concurrency ? cfg->workers : cfg->concurrency;
	struct pf_shared *sh;
	struct procs ps;
	struct task_stats *ws;
	size_t shsize;
	bool own;
	int rc;

	stats_init(out);
	if (procs_init(&ps, n) < 0)
		return -ENOMEM;
	ws = ctl_stats_get(ctl, n, &own);
	sh = ws ? pf_map(n, &shsize) : NULL;
	if (!sh) {
		if (ws)
			ctl_stats_put(ws, n, own);
		procs_free(&ps);
		return -ENOMEM;
	}
	sh->stats = ws;
	rc = procs_pipes_open(&p);
	if (rc)
		goto out_pipes;
	rc = pf_spawn(cfg, ctl, sh, &p, &ps, n);
	if (rc == 0)
		rc = procs_timed(&ps, &p, sh->state, PF_READY, PF_DONE, ctl, &sh->t0);
	else
		procs_kill(&ps, SIGKILL);
out_pipes:
	procs_finish(&ps, &p, sh->state, PF_DONE);
	if (rc == 0) {
		for (uint64_t i = 0; i < n; i++)
			stats_merge(out, &ws[i]);
		pf_count_lost(&ps, cfg, out);
	}
	munmap(sh, shsize);
	ctl_stats_put(ws, n, own);
	procs_free(&ps);
	return rc;
}

const struct model_ops model_eventloop_prefork = {
	.name = "eventloop-prefork",
	.summary = "--workers processes, each a libuv loop on its share of the tasks, CPU inline",
	.label = "loop/proc",
	.color = "#009E73",
	.analog = "asyncio + uvloop per process (Gunicorn + Uvicorn workers)",
	.par = MODEL_PAR_WORKERS,
	.kind = MODEL_KIND_LOOP,
	.open_loop = true,
	.uses_workers = true,
	.wstats = MODEL_WSTATS_WORKERS,
	.run = eventloop_prefork_run,
};
