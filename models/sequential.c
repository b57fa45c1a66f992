/* sequential.c - one task after another on one thread, blocking calls.
 * The Python analog: `for url in urls: requests.get(url)`. */
#include <errno.h>

#include "../lib/clock.h"
#include "../lib/sched.h"
#include "../workloads/workload.h"
#include "model.h"

static int sequential_run(const struct run_cfg *cfg, struct trial_ctl *ctl, struct task_stats *out)
{
	struct wl_slot slot = { 0 };
	uint64_t t0, start, release;
	int rc;

	stats_init(out);
	/* a failed keep-alive connect here is retried, and counted, by the
	 * first task */
	rc = wl_slot_init(&slot, cfg);
	if (rc == -ENOMEM)
		return rc;
	t0 = ctl->go(ctl);
	for (uint64_t id = 0; id < cfg->tasks; id++) {
		release = ctl_release_ns(ctl, t0, id);
		start = clock_now_ns();
		if (release > start) { /* open loop: not due yet */
			sched_sleep_until(release);
			start = clock_now_ns();
		}
		wl_run_task(&slot, id);
		stats_task_done(out, release, start, clock_now_ns(), id, slot.result, slot.err);
	}
	ctl->end(ctl);
	wl_slot_fini(&slot);
	return 0;
}

const struct model_ops model_sequential = {
	.name = "sequential",
	.summary = "one task after another, one thread, blocking calls",
	.label = "seq",
	.color = "#555555",
	.one_slot = true,
	.par = MODEL_PAR_ONE,
	.kind = MODEL_KIND_SEQUENTIAL,
	.open_loop = true,
	.run = sequential_run,
};
