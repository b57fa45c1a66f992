/* rlimit.h - raising this process's own resource limits before a run that
 * needs many fds or tasks (`cmbench ceiling`): the soft limit up to what
 * is asked, the hard limit too where the process may (root, or
 * CAP_SYS_RESOURCE), never past the kernel's own bound (fs.nr_open for
 * RLIMIT_NOFILE). No sysctl is read for writing, none is changed. The
 * children started afterwards inherit what was set. */
#ifndef CMB_RLIMIT_H
#define CMB_RLIMIT_H

#include <stdbool.h>
#include <stddef.h>

#define RLIMIT_LIFT_INF (~0ull) /* RLIM_INFINITY, "unlimited" */

/* One limit before and after rlimit_lift(). */
struct rlimit_lift {
	const char *name;			     /* "RLIMIT_NOFILE" */
	unsigned long long soft_before, hard_before; /* RLIMIT_LIFT_INF: unlimited */
	unsigned long long soft_after, hard_after;   /* what getrlimit says afterwards */
	bool hard_raised;			     /* the hard limit went up */
	int err; /* 0, or -errno of the raise that was refused (the hard one: -EPERM) */
};

/* Raise resource (RLIMIT_NOFILE, RLIMIT_NPROC, ...) towards want: first
 * soft = hard = want when that raises the hard limit (refused without
 * the privilege: out->err = -EPERM, and then) soft = min(want, hard). A
 * limit already at or above want is left alone. 0, or -errno when even
 * the soft limit could not be set or the limit cannot be read. */
int rlimit_lift(int resource, const char *name, unsigned long long want, struct rlimit_lift *out);
/* RLIMIT_NOFILE towards fs.nr_open (the most a process may have; 1048576
 * where it cannot be read), RLIMIT_NPROC towards unlimited: what
 * `cmbench ceiling` lifts, into nofile and nproc. 0 or the first -errno. */
int rlimit_lift_tasks(struct rlimit_lift *nofile, struct rlimit_lift *nproc);
/* "RLIMIT_NOFILE 1024/4096 -> 1048576/1048576" (soft/hard before -> after;
 * "unlimited" for no limit) into buf; buf. */
const char *rlimit_lift_fmt(char *buf, size_t len, const struct rlimit_lift *l);

#endif
