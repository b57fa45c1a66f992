/* scratch.c - a directory of the run's own (scratch.h). */
#define _GNU_SOURCE
#include "scratch.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/proc.h"
#include "../lib/spawn.h"

const char *scratch_parent(void)
{
	const char *tmp = getenv("TMPDIR");

	return tmp && *tmp ? tmp : "/tmp";
}

/* Every file in dir, then dir. */
static void remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (d) {
		while ((e = readdir(d)))
			if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
				unlinkat(dirfd(d), e->d_name, 0);
		closedir(d);
	}
	rmdir(dir);
}

/* A child that waits for EOF on a pipe whose write ends only the run
 * holds (the monitor, the trial and its forked workers), then removes
 * the directory: it goes away even when the run is killed before it can
 * stop the service. It ignores the terminal's signals and leads a group
 * of its own, so that neither a Ctrl-C nor a SIGKILL of the run's group
 * takes it down before it has cleaned up. */
static int janitor(void *arg)
{
	struct scratch *s = arg;
	char c;

	for (;;) {
		ssize_t r = read(STDIN_FILENO, &c, 1);

		if (r == 0 || (r < 0 && errno != EINTR))
			break;
	}
	remove_dir(s->dir);
	return 0;
}

static void janitor_start(struct scratch *s)
{
	struct spawn sp;
	int p[2];

	s->janitor = 0;
	s->janitor_fd = -1;
	if (pipe2(p, O_CLOEXEC) < 0)
		return;
	/* hold no one's terminal or pipe open while it waits */
	spawn_init(&sp);
	spawn_dup(&sp, STDIN_FILENO, p[0]);
	spawn_null(&sp, STDOUT_FILENO);
	spawn_null(&sp, STDERR_FILENO);
	sp.close_others = true;
	sp.ignore_signals = true;
	sp.group = true; /* a kill of the run's group leaves it to clean up */
	if (spawn_fn(&sp, janitor, s, &s->janitor) != 0) {
		s->janitor = 0;
		close(p[0]);
		close(p[1]);
		return;
	}
	close(p[0]);
	s->janitor_fd = p[1];
}

int scratch_make(struct scratch *s, const char *parent, const char *name, char *err, size_t errlen)
{
	int rc;

	s->janitor = 0;
	s->janitor_fd = -1;
	if (snprintf(s->dir, sizeof(s->dir), "%s/cmbench-%s-XXXXXX", parent, name) >=
	    (int)sizeof(s->dir)) {
		snprintf(err, errlen, "%s: the directory name under %s is too long", name, parent);
		s->dir[0] = '\0';
		return -ENAMETOOLONG;
	}
	if (!mkdtemp(s->dir)) {
		rc = -errno;
		snprintf(err, errlen, "%s: cannot make a directory under %s: %s", name, parent,
			 strerror(errno));
		s->dir[0] = '\0';
		return rc;
	}
	janitor_start(s);
	return 0;
}

void scratch_remove(struct scratch *s)
{
	if (s->dir[0])
		remove_dir(s->dir);
	s->dir[0] = '\0';
	if (s->janitor_fd >= 0)
		close(s->janitor_fd);
	s->janitor_fd = -1;
	if (s->janitor > 0)
		proc_wait(s->janitor, NULL, NULL); /* it removes nothing more: at once */
	s->janitor = 0;
}

int scratch_try(const char *parent)
{
	char dir[PATH_MAX];

	if (snprintf(dir, sizeof(dir), "%s/cmbench-try-XXXXXX", parent) >= (int)sizeof(dir))
		return -ENAMETOOLONG;
	if (!mkdtemp(dir))
		return -errno;
	rmdir(dir);
	return 0;
}
