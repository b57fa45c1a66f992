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
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../lib/clock.h"
#include "../lib/sched.h"
#include "../workloads/workload.h"
#include "model.h"
#include "procs.h"

enum { FP_FORKED, FP_READY, FP_DONE };

struct fp_shared {
	uint64_t next_id;	  /* next task to take (atomic) */
	uint64_t t0;		  /* release time, written before go */
	uint32_t *state;	  /* per worker: FP_* */
	uint64_t *cur;		  /* per worker: task in flight + 1, or 0 */
	struct task_stats *stats; /* one per worker: the harness's, resident already */
};

static void set_state(struct fp_shared *sh, uint64_t me, uint32_t st, int wake_fd)
{
	__atomic_store_n(&sh->state[me], st, __ATOMIC_RELEASE);
	procs_poke(wake_fd);
}

/* The worker process: never returns. */
static void forkpool_worker(const struct run_cfg *cfg, const struct trial_ctl *ctl,
			    struct fp_shared *sh, uint64_t me, struct procs_pipes *p, pid_t parent)
{
	struct task_stats *st = &sh->stats[me];
	struct wl_slot slot = { 0 };
	uint64_t id, start, due;

	die_with_parent(parent, SIGKILL);
	procs_pipes_worker(p);
	/* st is zeroed shared memory, the harness's: no clearing again */
	if (wl_slot_init(&slot, cfg) == -ENOMEM)
		_exit(4);
	set_state(sh, me, FP_READY, p->wake[1]);
	procs_drain(p->go[0]); /* EOF: go */
	for (;;) {
		id = __atomic_fetch_add(&sh->next_id, 1, __ATOMIC_RELAXED);
		if (id >= cfg->tasks)
			break;
		/* open loop: a free worker takes the next task and waits until
		 * it is due, as a dispatcher would hand it out then */
		due = ctl_release_ns(ctl, sh->t0, id);
		if (due > clock_now_ns())
			sched_sleep_until(due);
		__atomic_store_n(&sh->cur[me], id + 1, __ATOMIC_RELAXED);
		start = clock_now_ns();
		wl_run_task(&slot, id);
		stats_task_done(st, due, start, clock_now_ns(), id, slot.result, slot.err);
		__atomic_store_n(&sh->cur[me], 0, __ATOMIC_RELEASE);
	}
	set_state(sh, me, FP_DONE, p->wake[1]);
	procs_drain(p->stop[0]); /* EOF: the parent has sampled the peak */
	wl_slot_fini(&slot);
	_exit(0);
}

static struct fp_shared *shared_map(uint64_t n, size_t *size)
{
	size_t head = sizeof(struct fp_shared);
	struct fp_shared *sh;

	*size = head + n * (sizeof(uint32_t) + sizeof(uint64_t));
	sh = mmap(NULL, *size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		return NULL;
	sh->cur = (uint64_t *)((char *)sh + head);
	sh->state = (uint32_t *)(sh->cur + n);
	return sh;
}

/* Fork the n workers; the parent keeps only its ends of the pipes. */
static int spawn(const struct run_cfg *cfg, const struct trial_ctl *ctl, struct fp_shared *sh,
		 struct procs_pipes *p, struct procs *ps, uint64_t n)
{
	pid_t parent = getpid();
	int rc = 0;

	fflush(NULL);
	for (ps->n = 0; ps->n < n; ps->n++) {
		pid_t pid = fork();

		if (pid < 0) {
			rc = -errno;
			break;
		}
		if (pid == 0)
			forkpool_worker(cfg, ctl, sh, ps->n, p, parent);
		ps->pid[ps->n] = pid;
	}
	procs_pipes_parent(p);
	return rc;
}

/* The dead workers' tasks in flight are failed tasks. */
static void count_dead(const struct procs *ps, const struct fp_shared *sh, struct task_stats *out)
{
	for (uint64_t i = 0; i < ps->n; i++) {
		if (!ps->died[i])
			continue;
		out->workers_lost++;
		if (__atomic_load_n(&sh->cur[i], __ATOMIC_ACQUIRE)) {
			out->completed++;
			out->errors[TASK_ERR_WORKER]++;
		}
	}
}

static int forkpool_run(const struct run_cfg *cfg, struct trial_ctl *ctl, struct task_stats *out)
{
	struct procs_pipes p = PROCS_PIPES_INIT;
	uint64_t n = cfg->concurrency;
	struct procs ps;
	struct fp_shared *sh;
	struct task_stats *ws;
	size_t shsize;
	bool own;
	int rc;

	stats_init(out);
	if (procs_init(&ps, n) < 0)
		return -ENOMEM;
	ws = ctl_stats_get(ctl, n, &own);
	sh = ws ? shared_map(n, &shsize) : NULL;
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
	rc = spawn(cfg, ctl, sh, &p, &ps, n);
	if (rc == 0)
		rc = procs_timed(&ps, &p, sh->state, FP_READY, FP_DONE, ctl, &sh->t0);
	else
		procs_kill(&ps, SIGKILL);
out_pipes:
	procs_finish(&ps, &p, sh->state, FP_DONE);
	if (rc == 0) {
		for (uint64_t i = 0; i < n; i++)
			stats_merge(out, &sh->stats[i]);
		count_dead(&ps, sh, out);
	}
	munmap(sh, shsize);
	ctl_stats_put(ws, n, own);
	procs_free(&ps);
	return rc;
}

const struct model_ops model_forkpool = {
	.name = "forkpool",
	.summary = "--concurrency prefork worker processes, shared-memory queue and results",
	.label = "procs",
	.color = "#D55E00",
	.analog = "multiprocessing.Pool",
	.par = MODEL_PAR_SLOTS,
	.kind = MODEL_KIND_PROCESSES,
	.wstats = MODEL_WSTATS_SLOTS,
	.open_loop = true,
	.run = forkpool_run,
};
