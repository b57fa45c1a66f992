/* procs.h - worker processes as the process models keep them: forked,
 * watched, reaped. A worker that dies is noticed (waitpid) while the
 * parent waits for the others, so no model waits forever on a pipe that a
 * surviving worker still holds open. */
#ifndef CMB_PROCS_H
#define CMB_PROCS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct procs {
	pid_t *pid;	/* the workers, 0 once reaped */
	int *status;	/* wait status of each reaped worker */
	bool *died;	/* reaped before it said it was done: it died */
	uint64_t n;	/* workers forked */
	uint64_t cap;	/* room in the arrays */
	uint64_t ndied; /* how many died */
};

int procs_init(struct procs *ps, uint64_t cap);
void procs_free(struct procs *ps);
/* Reap whatever has exited without waiting; a worker reaped while
 * state[i] < done_state counts as died. Returns how many were reaped. */
uint64_t procs_reap_some(struct procs *ps, const uint32_t *state, uint32_t done_state);
/* Wait until every worker has state[i] >= want or has died. wake_fd is
 * a pipe the workers write a byte to when their state changes. */
void procs_wait_state(struct procs *ps, int wake_fd, const uint32_t *state, uint32_t want,
		      uint32_t done_state);
void procs_kill(struct procs *ps, int sig);
/* Reap every worker, waiting for each. */
void procs_reap_all(struct procs *ps, const uint32_t *state, uint32_t done_state);
/* One byte to fd, retried on EINTR; read one byte or EOF. */
void procs_poke(int fd);
void procs_drain(int fd);

/* The three pipes between a pool's parent and its workers: wake (a worker
 * writes a byte when its state changes), go (EOF: the clock runs), stop
 * (EOF: the parent has sampled the peak, workers may tear down). */
struct procs_pipes {
	int wake[2], go[2], stop[2];
};
#define PROCS_PIPES_INIT                                                                           \
	{                                                                                          \
		{ -1, -1 }, { -1, -1 },                                                            \
		{                                                                                  \
			-1, -1                                                                     \
		}                                                                                  \
	}
int procs_pipes_open(struct procs_pipes *p); /* 0 or -errno */
/* In a worker: close the parent's ends. */
void procs_pipes_worker(struct procs_pipes *p);
/* In the parent once the workers are forked: close the workers' ends. */
void procs_pipes_parent(struct procs_pipes *p);

struct trial_ctl;
/* A pool's timed region: wait until every worker reaches ready (a worker
 * that died first: -ECHILD), t0 = ctl->go() stored before the gate opens
 * (go closed), wait until every worker is done, ctl->end(). */
int procs_timed(struct procs *ps, struct procs_pipes *p, const uint32_t *state, uint32_t ready,
		uint32_t done, struct trial_ctl *ctl, uint64_t *t0);
/* After the run, whatever happened: release the workers (go and stop
 * closed), reap them all, close the rest. */
void procs_finish(struct procs *ps, struct procs_pipes *p, const uint32_t *state, uint32_t done);

/* The run of a pool of forked workers, the skeleton forkpool and
 * eventloop-prefork share: shared memory, pipes, the fork loop, the timed
 * region, the reaping, the merge of the workers' task_stats. What differs
 * is the worker and how a dead worker's tasks are counted. */
enum { PROCS_FORKED, PROCS_READY, PROCS_DONE }; /* a worker's state */

struct procs_shared {
	uint64_t next_id;	  /* next task to take (atomic) */
	uint64_t t0;		  /* release time, written before go */
	uint32_t *state;	  /* per worker: PROCS_* */
	struct task_stats *stats; /* one per worker: the harness's, resident already */
	void *extra;		  /* per worker: the model's extra_size bytes */
};

struct run_cfg;
struct task_stats;
struct procs_pool {
	const struct run_cfg *cfg;
	const struct trial_ctl *ctl;
	uint64_t n;	   /* workers to fork */
	size_t extra_size; /* shared bytes per worker the model adds (multiple of 8) */
	/* In the child, after die-with-parent and the pipes set: never returns. */
	void (*worker)(struct procs_pool *pl, uint64_t me);
	/* After the merge: count the dead workers' tasks in out. */
	void (*count_lost)(const struct procs_pool *pl, struct task_stats *out);
	/* set by procs_pool_run */
	struct procs_shared *sh;
	struct procs_pipes p;
	struct procs ps;
};

/* In a worker: publish state st and wake the parent. */
void procs_set_state(struct procs_pool *pl, uint64_t me, uint32_t st);
/* 0 or -errno. */
int procs_pool_run(struct procs_pool *pl, struct trial_ctl *ctl, struct task_stats *out);

#endif
