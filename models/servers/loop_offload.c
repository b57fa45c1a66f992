/* loop_offload.c - the loop of loop.c, with each task's synchronous part
 * handed to libuv's thread pool (--workers threads, started before the
 * clock); the loop thread only does I/O. The analog: FastAPI's `def`
 * handlers (run in a thread pool), asyncio + run_in_executor. */
#include <unistd.h>

#include "loop_srv.h"

static int loop_offload_run(const struct run_cfg *cfg, struct trial_ctl *ctl,
			    struct task_stats *out)
{
	int port = (int)cfg->port, lfd = srv_listen(&port, false, true), rc;

	stats_init(out);
	if (lfd < 0)
		return lfd;
	ctl->port = port;
	rc = loop_srv_run(cfg, ctl, out, &loop_srv_offload, lfd);
	close(lfd);
	return rc;
}

const struct server_ops server_loop_offload = {
	.base = {
		.name = "loop-offload",
		.summary = "the same loop; the handler's sync part on libuv's pool (--workers)",
		.label = "loop+pool",
		.color = "#56B4E9",
		.par = MODEL_PAR_WORKERS,
		.kind = MODEL_KIND_LOOP,
		.offload = true,
		.open_loop = true,
		.run = loop_offload_run,
	},
	.queue = "requests past --connections slots wait in a FIFO; sync parts in the pool's queue",
};
