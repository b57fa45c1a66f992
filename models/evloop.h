/* evloop.h - the libuv driver: one loop that runs --concurrency slots of a
 * workload's state machine, waiting on each task's fd with a uv_poll_t;
 * one periodic uv_timer_t checks the deadlines of every waiting task
 * (evloop.c). The loop models differ in where a task's synchronous part
 * (WL_RUN: the CPU kernel, a blocking library call) runs: on the loop
 * thread (eventloop.c, and each process of eventloop_prefork.c) or on
 * libuv's thread pool (eventloop_offload.c). */
#ifndef CMB_EVLOOP_H
#define CMB_EVLOOP_H

#include <uv.h>

#include "../workloads/workload.h"
#include "model.h"

struct el_run;
struct el_watch;

/* One of the --concurrency slots: it runs one task at a time. */
struct el_slot {
	struct wl_slot ws;	   /* the workload's view of the slot */
	struct el_run *run;	   /* the loop it belongs to */
	struct el_watch *watch;	   /* the uv_poll_t on ws.fd, or NULL */
	uv_work_t work;		   /* the synchronous part, when offloaded */
	struct el_slot *next_free; /* free-list link */
	uint64_t start_ns;	   /* when its task started */
	uint64_t armed_ns;	   /* the task's deadline while it waits, 0: none */
	int phase;		   /* EL_* in evloop.c */
};

/* How a model runs a task's synchronous part: it must end, now or later,
 * in one call of evloop_task_done(slot) on the loop thread. */
struct el_policy {
	void (*sync_part)(struct el_slot *slot);
	/* set-up before the clock starts (e.g. start the pool); 0 or -errno */
	int (*prepare)(uv_loop_t *loop, const struct run_cfg *cfg);
};

/* Where a loop takes its task ids from: by default 0 .. cfg->tasks-1; a
 * prefork worker takes them from a counter it shares with its siblings. */
struct el_tasks {
	uint64_t *shared_next; /* atomic counter, or NULL */
	uint64_t slots;	       /* concurrency of this loop (0: cfg->concurrency) */
};

int evloop_run(const struct run_cfg *cfg, struct trial_ctl *ctl, struct task_stats *out,
	       const struct el_policy *pol, const struct el_tasks *tasks);
/* The task on slot is over (ws.err, ws.result are set): record it. */
void evloop_task_done(struct el_slot *slot);
uv_loop_t *evloop_loop(struct el_slot *slot);
/* Start the tasks that are due on free slots now, from a callback that is
 * not inside another task's steps (so it cannot recurse): saves the loop
 * iteration the idle starter would otherwise take. */
void evloop_refill(struct el_slot *slot);

#endif
