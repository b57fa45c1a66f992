/* sequential.c - one task after another on one thread, blocking calls.
 * The Python analog: `for url in urls: requests.get(url)`. */
#include "../harness/clock.h"
#include "../harness/trial.h"
#include "../workloads/io.h"
#include "model.h"

static int sequential_run(const struct run_cfg *cfg, struct task_stats *out)
{
	struct io_slot slot = { .fd = -1 };
	uint64_t t0, start, result = 0;
	int err;

	stats_init(out);
	/* a failed connect here is retried, and counted, by the first task */
	if (cfg->workload->does_io && cfg->keepalive)
		io_connect(cfg, &slot);
	t0 = trial_go();
	for (uint64_t id = 0; id < cfg->tasks; id++) {
		start = clock_now_ns();
		err = io_task_blocking(cfg, &slot, id, &result);
		stats_task_done(out, t0, start, clock_now_ns(), id, result, err);
	}
	trial_end();
	io_close(&slot);
	return 0;
}

const struct model_ops model_sequential = {
	.name = "sequential",
	.summary = "one task after another, one thread, blocking calls",
	.one_slot = true,
	.run = sequential_run,
};
