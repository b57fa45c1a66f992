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
	uint64_t freed_ns;	   /* when it last became free (0: free from the start) */
	void *cookie;		   /* a server's: the request the task answers */
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
	/* or NULL: each task's send lag, how late it started past the later
	 * of its due time and the time its slot became free (the load
	 * generator's own lateness, models/servers/loadgen.c) */
	struct hist *send_lag;
	const struct el_serve *serve; /* or NULL: a server's loop (below) */
};

/* A server's loop (models/servers/): no task is taken from a counter; the
 * server starts each with evloop_serve_task as its request arrives, and
 * answers it when it ends. The loop runs until stop_fd is readable and no
 * task runs. */
struct el_serve {
	int (*open)(struct el_run *r, void *arg);	 /* before go: its listener(s) */
	void (*answer)(struct el_slot *slot, void *arg); /* a task ended (recorded) */
	void (*freed)(struct el_run *r, void *arg);	 /* or NULL: a slot became free */
	void (*close)(struct el_run *r, void *arg);	 /* after the loop: its own handles */
	void *arg;
	int stop_fd;
};
/* Start task id now on a free slot, cookie in slot->cookie: 0, or -EBUSY
 * when every slot is taken. */
int evloop_serve_task(struct el_run *r, uint64_t id, void *cookie);
uv_loop_t *evloop_run_loop(struct el_run *r);

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
