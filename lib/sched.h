/* sched.h - the release schedule of an open-loop run (--rate): when each
 * task is due, as an offset from t0. Latency is measured from that
 * intended release, so a model that falls behind pays for every task it
 * delayed (no coordinated omission). In batch mode there is no schedule:
 * every task is due at t0. */
#ifndef CMB_SCHED_H
#define CMB_SCHED_H

#include <stdint.h>

#include "config.h"

#define SCHED_MAX_TASKS 20000000 /* an open-loop run keeps 8 bytes per task */

/* The offsets of cfg's tasks in shared memory (so forked workers see
 * them), or NULL in batch mode; 0 or -errno. const: task i at i/R;
 * poisson: exponential gaps of mean 1/R from cfg->seed. */
int sched_make(const struct run_cfg *cfg, uint64_t **offsets);
void sched_free(const struct run_cfg *cfg, uint64_t *offsets);
/* Sleep until the absolute CLOCK_MONOTONIC time, with no drift. */
void sched_sleep_until(uint64_t abs_ns);

#endif
