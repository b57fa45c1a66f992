/* loop_reuseport.c - a libuv loop per server CPU, each on a thread pinned
 * to its CPU with a listener of its own on the same port (SO_REUSEPORT):
 * the kernel spreads new connections over the listeners by a hash of the
 * connection's addresses and ports, so a connection stays on one loop.
 * The handler's synchronous part runs inline on its loop. The analog:
 * Uvicorn/uvloop workers per core, nginx's `reuseport`. */
#include "loop_srv.h"

static int core_loop(const struct run_cfg *cfg, struct trial_ctl *sub, struct task_stats *out,
		     int lfd, int k)
{
	(void)k;
	return loop_srv_run(cfg, sub, out, &loop_srv_inline, lfd);
}

static int reuseport_run(const struct run_cfg *cfg, struct trial_ctl *ctl, struct task_stats *out)
{
	return srv_run_per_cpu(cfg, ctl, out, core_loop);
}

const struct server_ops server_loop_reuseport = {
	.base = {
		.name = "loop-reuseport",
		.summary = "a libuv loop per server CPU, each its own SO_REUSEPORT listener",
		.label = "loop/core",
		.color = "#CC79A7",
		.par = MODEL_PAR_WORKERS,
		.kind = MODEL_KIND_LOOP,
		.open_loop = true,
		.run = reuseport_run,
	},
	.per_cpu = true,
	.queue = "the kernel hashes each connection to one loop's listener",
};
