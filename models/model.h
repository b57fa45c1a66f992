/* model.h - the one interface every concurrency model implements.
 *
 * A model runs cfg->tasks tasks of cfg->workload with at most
 * cfg->concurrency in flight, and fills `out` with what it measured. It
 * creates its workers and connections first, then calls trial_go() (which
 * starts the clock), and calls trial_end() as soon as the last task is done,
 * before tearing anything down. Models never print. */
#ifndef CMB_MODEL_H
#define CMB_MODEL_H

#include "../harness/config.h"
#include "../harness/stats.h"

struct model_ops {
	const char *name;    /* as given to --model */
	const char *summary; /* one line for `cmbench list` */
	bool one_slot;	     /* runs one task at a time whatever --concurrency says */
	/* 0, or -errno when set-up failed (no task ran). Task failures are
	 * counted in `out`, never returned. */
	int (*run)(const struct run_cfg *cfg, struct task_stats *out);
};

extern const struct model_ops model_sequential;
extern const struct model_ops model_eventloop;
extern const struct model_ops model_eventloop_offload;
extern const struct model_ops model_threadpool;
extern const struct model_ops model_forkpool;
extern const struct model_ops *const model_table[]; /* NULL-terminated */

const struct model_ops *model_find(const char *name);

#endif
