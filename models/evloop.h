/* evloop.h - the libuv loop shared by the two event-loop models. They differ
 * only in where a task's cpu part runs: on the loop thread (eventloop.c) or
 * on libuv's thread pool (eventloop_offload.c). */
#ifndef CMB_EVLOOP_H
#define CMB_EVLOOP_H

#include <uv.h>

#include "model.h"

struct el_run;

/* One of the --concurrency slots: it runs one task at a time. */
struct el_slot {
	struct el_run *run;	   /* the loop it belongs to */
	struct el_conn *conn;	   /* its connection, or NULL */
	uv_timer_t timer;	   /* the task's --timeout */
	uv_work_t work;		   /* the cpu part, when offloaded */
	struct el_slot *next_free; /* free-list link */
	uint64_t id;		   /* the task it runs */
	uint64_t start_ns;	   /* when that task started */
	uint64_t io_hash;	   /* result of the io part */
	uint64_t result;	   /* result of the task */
	int phase;		   /* what the slot waits for (evloop.c) */
};

/* How a model runs a task's cpu part: it must end, now or later, in one
 * call of evloop_task_done(slot, TASK_OK, result) on the loop thread. */
struct el_policy {
	void (*cpu_part)(struct el_slot *slot);
	/* set-up before the clock starts (e.g. start the pool); 0 or -errno */
	int (*prepare)(uv_loop_t *loop, const struct run_cfg *cfg);
};

int evloop_run(const struct run_cfg *cfg, struct task_stats *out, const struct el_policy *pol);
void evloop_task_done(struct el_slot *slot, int err, uint64_t result);
const struct run_cfg *evloop_cfg(const struct el_slot *slot);

#endif
