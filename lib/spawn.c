/* spawn.c - fork, set up, exec or run (spawn.h). */
#define _GNU_SOURCE
#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

#define SPAWN_HIGH 64 /* the fds being moved wait above this */

void spawn_init(struct spawn *s)
{
	memset(s, 0, sizeof(*s));
	for (int i = 0; i < SPAWN_FDS; i++)
		s->from[i] = -1;
}

void spawn_dup(struct spawn *s, int at, int fd)
{
	if (at < 0 || at >= SPAWN_FDS)
		return;
	s->how[at] = SPAWN_DUP;
	s->from[at] = fd;
}

void spawn_null(struct spawn *s, int at)
{
	if (at >= 0 && at < SPAWN_FDS)
		s->how[at] = SPAWN_DEVNULL;
}

/* In the child: the fds as s says. 0, or -1. */
static int child_fds(const struct spawn *s)
{
	int moved[SPAWN_FDS], null = -1, top = 2;

	/* first every source out of the way of every target */
	for (int i = 0; i < SPAWN_FDS; i++) {
		moved[i] = -1;
		if (s->how[i] == SPAWN_DUP &&
		    (moved[i] = fcntl(s->from[i], F_DUPFD_CLOEXEC, SPAWN_HIGH)) < 0)
			return -1;
		if (s->how[i] == SPAWN_DEVNULL && null < 0 &&
		    ((null = open("/dev/null", O_RDWR | O_CLOEXEC)) < 0 ||
		     (null = fcntl(null, F_DUPFD_CLOEXEC, SPAWN_HIGH)) < 0))
			return -1;
	}
	for (int i = 0; i < SPAWN_FDS; i++) {
		int src = s->how[i] == SPAWN_DUP       ? moved[i]
			  : s->how[i] == SPAWN_DEVNULL ? null
						       : -1;

		if (src >= 0 && dup2(src, i) < 0) /* dup2 clears close-on-exec */
			return -1;
		if (s->how[i] == SPAWN_CLOSED)
			close(i);
		if (s->how[i] != SPAWN_INHERIT && s->how[i] != SPAWN_CLOSED)
			top = i > top ? i : top;
	}
	if (s->close_others) {
		for (int i = 3; i <= top; i++)
			if (s->how[i] == SPAWN_INHERIT)
				close(i);
		close_range((unsigned)top + 1, ~0u, 0);
	} else {
		for (int i = 0; i < SPAWN_FDS; i++)
			if (moved[i] >= 0)
				close(moved[i]);
		if (null >= 0)
			close(null);
	}
	return 0;
}

/* In the child, just forked from parent: everything but the exec. */
static void child_setup(const struct spawn *s, pid_t parent)
{
	if (s->group)
		setpgid(0, 0);
	if (child_fds(s) < 0)
		_exit(126);
	if (s->setup && s->setup(s->setup_arg) != 0)
		_exit(126);
	if (s->dir && chdir(s->dir) < 0) {
		dprintf(STDERR_FILENO, "cannot enter %s: %s\n", s->dir, strerror(errno));
		_exit(126);
	}
	if (s->death_sig)
		die_with_parent(parent, s->death_sig);
	if (s->reset_signals) {
		signal(SIGINT, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		signal(SIGPIPE, SIG_DFL);
	}
	if (s->ignore_signals) {
		signal(SIGINT, SIG_IGN);
		signal(SIGTERM, SIG_IGN);
		signal(SIGHUP, SIG_IGN);
	}
}

static int start(const struct spawn *s, char *const argv[], int (*fn)(void *), void *arg,
		 pid_t *pid)
{
	pid_t parent = getpid(), p;

	fflush(NULL); /* nothing buffered is written twice */
	p = fork();
	if (p < 0)
		return -errno;
	if (p == 0) {
		child_setup(s, parent);
		if (fn)
			_exit(fn(arg));
		if (s->path || strchr(argv[0], '/'))
			execv(s->path ? s->path : argv[0], argv);
		else
			execvp(argv[0], argv);
		dprintf(STDERR_FILENO, "cannot run %s: %s\n", s->path ? s->path : argv[0],
			strerror(errno));
		_exit(127);
	}
	if (s->group)
		setpgid(p, p); /* also here: no race with a kill of the group */
	*pid = p;
	return 0;
}

int spawn_exec(const struct spawn *s, char *const argv[], pid_t *pid)
{
	if (!argv || !argv[0])
		return -EINVAL;
	return start(s, argv, NULL, NULL, pid);
}

int spawn_fn(const struct spawn *s, int (*fn)(void *arg), void *arg, pid_t *pid)
{
	if (!fn)
		return -EINVAL;
	return start(s, NULL, fn, arg, pid);
}

int spawn_to_files(struct spawn *s, char *const argv[], const char *out, const char *err,
		   pid_t *pid)
{
	int o = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	int e = open(err, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	int rc = o < 0 || e < 0 ? -errno : 0;

	spawn_null(s, STDIN_FILENO);
	spawn_dup(s, STDOUT_FILENO, o);
	spawn_dup(s, STDERR_FILENO, e);
	if (rc == 0)
		rc = spawn_exec(s, argv, pid);
	if (o >= 0)
		close(o);
	if (e >= 0)
		close(e);
	return rc;
}
