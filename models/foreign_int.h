/* foreign_int.h - what the foreign runner's two files share: the session
 * (foreign.c) and what the program is given (foreign_args.c). Not for use
 * outside models/foreign*.c. */
#ifndef CMB_FOREIGN_INT_H
#define CMB_FOREIGN_INT_H

#include <stdint.h>

#include "../lib/clock.h"
#include "model.h"

#define FOREIGN_FD 3	     /* the protocol's fd in the program */
#define FOREIGN_RELEASE_FD 4 /* the open loop's schedule in the program */
#define FOREIGN_POLL_MS 20   /* how often a waiting runner looks for a death */
#define FOREIGN_ARGS 48	     /* argv entries at most */
#define FOREIGN_ARG_MAX 600  /* bytes per key=value */
#define NS_PER_S 1000000000ull

/* A program's argv, built a word at a time. */
struct foreign_argv {
	char buf[FOREIGN_ARGS][FOREIGN_ARG_MAX]; /* the words */
	char *v[FOREIGN_ARGS + 1];		 /* argv: into buf, NULL-terminated */
	int n;					 /* words so far */
};

/* One more word, printf-style (dropped past FOREIGN_ARGS). */
void foreign_arg(struct foreign_argv *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The interpreter (for a .py) and the program of m (or $CMBENCH_FOREIGN_PROGRAM).
 * 0 or -ENOENT. */
int foreign_program_argv(const struct model_ops *m, struct foreign_argv *a);
/* The run's parameters, as the protocol passes them (mode=run). */
void foreign_run_args(const struct run_cfg *cfg, struct foreign_argv *a);
/* The parameters of mode=cpu: what --cpu D is in the program's runtime. */
void foreign_cpu_args(const struct run_cfg *cfg, struct foreign_argv *a);

/* Milliseconds to poll for until deadline: at most FOREIGN_POLL_MS, so a
 * waiting runner looks for a death that often; 0 once it has passed. */
static inline int foreign_ms_until(uint64_t deadline)
{
	uint64_t now = clock_now_ns();

	if (now >= deadline)
		return 0;
	return (deadline - now) / 1000000 < FOREIGN_POLL_MS ? (int)((deadline - now) / 1000000) + 1
							    : FOREIGN_POLL_MS;
}

#endif
