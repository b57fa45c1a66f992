/* eventloop.c - one libuv loop on one thread, all I/O non-blocking; a
 * task's synchronous part (the CPU kernel, a blocking call) runs on the
 * loop thread, on purpose: it shows what a blocked loop costs. The Python
 * analog: async def + gather with the CPU work inline. --concurrency caps
 * the tasks in flight, as an asyncio.Semaphore would. The loop itself is
 * the libuv driver in evloop.c. */
#include "evloop.h"

static void inline_sync(struct el_slot *slot)
{
	slot->ws.sync(&slot->ws);
	evloop_task_done(slot);
}

static int eventloop_run(const struct run_cfg *cfg, struct trial_ctl *ctl, struct task_stats *out)
{
	static const struct el_policy pol = { .sync_part = inline_sync };

	return evloop_run(cfg, ctl, out, &pol, NULL);
}

const struct model_ops model_eventloop = {
	.name = "eventloop",
	.summary = "one libuv loop, one thread, non-blocking I/O; CPU part on the loop thread",
	.label = "loop",
	.color = "#0072B2",
	.par = MODEL_PAR_ONE,
	.kind = MODEL_KIND_LOOP,
	.open_loop = true,
	.run = eventloop_run,
};
