/* mixed.c - the mixed workload: the io part (one GET), then the cpu kernel
 * seeded with the body hash, in the same task: fetch, then process. */
#include "workload.h"

static uint64_t mixed_finish(const struct run_cfg *cfg, uint64_t id, uint64_t io_hash)
{
	(void)id;
	return cpu_kernel(io_hash, cfg->cpu_iters);
}

const struct workload_ops workload_mixed = {
	.name = "mixed",
	.summary = "one GET, then the cpu kernel over its body hash, in the same task",
	.does_io = true,
	.does_cpu = true,
	.finish = mixed_finish,
};
