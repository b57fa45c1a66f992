/* scratch.h - a directory of the run's own for a workload's service (the
 * SQLite database, the file set): made before the clock under a parent
 * directory, removed after the run whatever happens to it. Removal runs
 * in three places: the service's stop (a normal end, a failed run, a
 * Ctrl-C, which the monitor turns into a stop), and a janitor child that
 * removes it when every process of the run is gone without stopping it
 * (SIGKILL). The directory holds plain files only. */
#ifndef CMB_SCRATCH_H
#define CMB_SCRATCH_H

#include <limits.h>
#include <stddef.h>
#include <sys/types.h>

struct scratch {
	char dir[PATH_MAX]; /* the directory, "" once removed */
	pid_t janitor;	    /* removes dir if the run dies unstopped, or 0 */
	int janitor_fd;	    /* its pipe: EOF tells it to clean up, or -1 */
};

/* The parent directory a run's scratch goes under when none is given:
 * $TMPDIR, or /tmp. */
const char *scratch_parent(void);
/* Make PARENT/cmbench-NAME-XXXXXX and start its janitor. 0, or -errno with
 * one line in err (naming what) and nothing made. */
int scratch_make(struct scratch *s, const char *parent, const char *name, char *err, size_t errlen);
/* Remove the directory and every file in it, and stop the janitor. */
void scratch_remove(struct scratch *s);
/* Can a directory be made in parent? Tried (made and removed at once), so
 * a read-only filesystem or an immutable directory says no even to root.
 * 0, or -errno. */
int scratch_try(const char *parent);

#endif
