/* eventloop_offload.c - the loop of evloop.c, with each task's synchronous part
 * handed to libuv's thread pool through uv_queue_work. The pool has
 * --workers threads (UV_THREADPOOL_SIZE, set before the pool's first use)
 * and is started before the clock. The Python analog: asyncio with
 * loop.run_in_executor for the CPU work. */
#include <stdio.h>
#include <stdlib.h>

#include "evloop.h"

static void offload_work(uv_work_t *w)
{
	struct el_slot *slot = w->data;

	/* on a pool thread: the part writes only ws.result and ws.err */
	slot->ws.sync(&slot->ws);
}

static void offload_after(uv_work_t *w, int status)
{
	struct el_slot *slot = w->data;

	if (status < 0)
		slot->ws.err = TASK_ERR_IO;
	evloop_task_done(slot);
	/* hand the freed pool thread its next task at once, not one loop
	 * iteration later */
	evloop_refill(slot);
}

static void offload_sync(struct el_slot *slot)
{
	slot->work.data = slot;
	if (uv_queue_work(evloop_loop(slot), &slot->work, offload_work, offload_after) < 0) {
		slot->ws.err = TASK_ERR_IO;
		evloop_task_done(slot);
	}
}

static void noop_work(uv_work_t *w)
{
	(void)w;
}

static void noop_after(uv_work_t *w, int status)
{
	(void)w;
	(void)status;
}

/* Size the pool and make libuv start its threads now, not inside the
 * timed region: the first uv_queue_work creates all of them. */
static int offload_prepare(uv_loop_t *loop, const struct run_cfg *cfg)
{
	char n[24];
	uv_work_t w;
	int rc;

	snprintf(n, sizeof(n), "%llu", (unsigned long long)cfg->workers);
	setenv("UV_THREADPOOL_SIZE", n, 1);
	rc = uv_queue_work(loop, &w, noop_work, noop_after);
	if (rc < 0)
		return rc;
	return uv_run(loop, UV_RUN_DEFAULT) < 0 ? -1 : 0;
}

static int eventloop_offload_run(const struct run_cfg *cfg, struct trial_ctl *ctl,
				 struct task_stats *out)
{
	static const struct el_policy pol = {
		.sync_part = offload_sync,
		.prepare = offload_prepare,
	};

	return evloop_run(cfg, ctl, out, &pol, NULL);
}

const struct model_ops model_eventloop_offload = {
	.name = "eventloop-offload",
	.summary = "the same loop; each task's CPU part goes to libuv's thread pool (--workers)",
	.label = "offload",
	.color = "#56B4E9",
	.par = MODEL_PAR_WORKERS,
	.kind = MODEL_KIND_LOOP,
	.open_loop = true,
	.offload = true,
	.run = eventloop_offload_run,
};
