/* foreign.h - the runner every foreign model's table entry uses: a program
 * in another language (models/python/) runs the tasks itself and reports
 * them over the protocol of models/python/README.md; cmbench measures its
 * process tree like any other model's. */
#ifndef CMB_FOREIGN_H
#define CMB_FOREIGN_H

#include <stddef.h>

#include "model.h"

/* The interpreter of the programs whose name ends in .py (CMBENCH_PYTHON
 * overrides it). Any other program is executed directly. */
#define FOREIGN_PYTHON "/usr/bin/python3"
/* In place of every foreign model's own program, run this one (tests; or a
 * new program tried before it gets a table line). */
#define FOREIGN_PROGRAM_ENV "CMBENCH_FOREIGN_PROGRAM"

/* model_ops.run of a foreign model: start cfg->model->program, relay its
 * "ready" to ctl->go and go back to it, feed its records to `out`, check
 * that every task was reported exactly once, and reap it. */
int foreign_run(const struct run_cfg *cfg, struct trial_ctl *ctl, struct task_stats *out);
/* Can the program run this? The library flags (--py-http, --py-pg) must
 * name a library that fits the model (a loop's are async); one outside the
 * standard library must import (the program is asked, mode=probe). 0, or
 * -EINVAL with one line in err (cmbench run exits 2). */
int foreign_check(const struct run_cfg *cfg, char *err, size_t errlen);
/* model_ops.cpu_cost of a foreign model: ask the program (mode=cpu) how many
 * of its kernel rounds --cpu D is (into cfg->cpu_iters, when D is given)
 * and how long one task's kernel takes in its runtime. 0, or -errno with
 * one line in err. */
int foreign_cpu_cost(struct run_cfg *cfg, double *us_per_task, char *err, size_t errlen);

/* For a foreign server model's runner (models/servers/foreign_srv.c): the
 * program and the run's key=value words (mode=serve), as foreign_run gives
 * them, in one malloc'd block that free(argv) takes back; NULL when the
 * program is missing or memory is. */
char **foreign_argv(const struct run_cfg *cfg);
/* Kill and reap every process the calling process is subreaper of (what a
 * program left behind). */
void foreign_kill_orphans(void);

#endif
