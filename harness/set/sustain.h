/* sustain.h - when an open-loop run sustains its offered rate, the one
 * definition the capacity search (sweep_capacity.c) and the charts and
 * matrix (plots/verdicts/openloop.c) share. A run sustains rate R when
 *   - it is clean: every task completed, none failed, no worker lost;
 *   - its p99 (latency from each task's intended release) is at most the SLO;
 *   - it kept up: completed / (makespan - p50) >= 99% of R (the makespan
 *     runs to the last completion, so one typical latency is taken off:
 *     a model that keeps up ends about when the schedule does);
 *   - no backlog grew: the p50 of the last fifth of the tasks is within
 *     2x the p50 of the first fifth. */
#ifndef CMB_SUSTAIN_H
#define CMB_SUSTAIN_H

#include <stdbool.h>

#define SUSTAIN_KEEP_UP 0.99 /* achieved / offered */
#define SUSTAIN_BACKLOG 2.0  /* last fifth's p50 / first fifth's, at most */

enum sustain_verdict {
	SUSTAIN_OK,
	SUSTAIN_DIRTY,	 /* a task failed or went missing */
	SUSTAIN_SLO,	 /* p99 over the SLO */
	SUSTAIN_BEHIND,	 /* completed under 99% of the offered rate */
	SUSTAIN_GROWING, /* the last fifth waited over 2x the first */
};

struct sustain_run {
	bool clean;			   /* completed = tasks, 0 errors, 0 lost */
	double rate_tps, tasks;		   /* offered */
	double makespan_s, p50_us, p99_us; /* measured */
	double p50_first_us, p50_last_us;  /* NAN when unknown: not judged */
};

enum sustain_verdict sustain_judge(const struct sustain_run *r, double slo_us);
/* "p99 over the SLO", ... */
const char *sustain_why(enum sustain_verdict v);

#endif
