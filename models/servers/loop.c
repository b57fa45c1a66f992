/* loop.c - one libuv loop on one thread serves every connection; each
 * request's task runs on the loop's slots (models/evloop.c) and its
 * synchronous part (the CPU kernel, a blocking call) inline on the loop
 * thread, which stalls every other connection meanwhile: the lesson. The
 * analog: an asyncio server with `async def` handlers, Node.js. */
#include <unistd.h>

#include "loop_srv.h"

static int loop_run(const struct run_cfg *cfg, struct trial_ctl *ctl, struct task_stats *out)
{
	int port = (int)cfg->port, lfd = srv_listen(&port, false, true), rc;

	stats_init(out);
	if (lfd < 0)
		return lfd;
	ctl->port = port;
	rc = loop_srv_run(cfg, ctl, out, &loop_srv_inline, lfd);
	close(lfd);
	return rc;
}

const struct server_ops server_loop = {
	.base = {
		.name = "loop-inline",
		.summary = "one libuv loop, one thread; the handler's sync part inline on it",
		.label = "loop",
		.color = "#0072B2",
		.par = MODEL_PAR_ONE,
		.kind = MODEL_KIND_LOOP,
		.open_loop = true,
		.run = loop_run,
	},
	.queue = "requests past --connections slots wait in a FIFO on the loop",
};
