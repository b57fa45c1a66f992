/* spawn.h - one way to start a child process (proc.h waits for it).
 *
 * A child is described in a struct spawn: what each of its low fds
 * (0..SPAWN_FDS-1) is (the parent's same fd, /dev/null, or one of the
 * parent's fds put there), whether every other fd is closed, whether it
 * leads a process group of its own, the signal it gets when the parent
 * dies, the signals it resets or ignores, a directory, and a hook that
 * runs in the child before the rest (dropping privileges). Then it execs
 * a program (spawn_exec) or runs a function and exits with what it
 * returns (spawn_fn). proc_wait (proc.h) waits for it with a deadline.
 *
 * In the child the order is: own group, fds, setup hook, directory,
 * die-with-parent (after the hook: setuid clears it), signals, then exec
 * or the function. A child that cannot be set up exits 126; an exec that
 * fails writes one line on the child's stderr and exits 127.
 *
 * Every fork of cmbench goes through here, except the process models'
 * own workers, which are what those models measure. */
#ifndef CMB_SPAWN_H
#define CMB_SPAWN_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#define SPAWN_FDS 8 /* the child fds a spawn can set: 0..7 */

enum spawn_fd_how {
	SPAWN_INHERIT = 0, /* the parent's fd of that number (unless close-on-exec) */
	SPAWN_DEVNULL,	   /* /dev/null, read-write */
	SPAWN_DUP,	   /* one of the parent's fds, put at that number */
	SPAWN_CLOSED,	   /* closed */
};

struct spawn {
	enum spawn_fd_how how[SPAWN_FDS]; /* per child fd */
	int from[SPAWN_FDS];		  /* SPAWN_DUP: the parent's fd */
	bool close_others;		  /* close every fd above 2 that is not set here */
	bool group;			  /* its own process group (set in both processes) */
	int death_sig;			  /* 0, or the signal it gets when the parent dies */
	bool reset_signals;		  /* SIGINT, SIGHUP, SIGPIPE back to SIG_DFL */
	bool ignore_signals;		  /* SIGINT, SIGTERM, SIGHUP ignored (a helper that
					     waits for its parent to say it is done) */
	const char *dir;		  /* chdir there first (NULL: stay) */
	const char *path;		  /* spawn_exec: run this program, argv[0] being only
					     the name it sees (NULL: argv[0]) */
	/* NULL, or run first in the child: 0, or it exits 126 */
	int (*setup)(void *arg);
	void *setup_arg;
};

/* Everything inherited, nothing else done. */
void spawn_init(struct spawn *s);
/* The child's fd `at` is the parent's fd `fd` (at < SPAWN_FDS). */
void spawn_dup(struct spawn *s, int at, int fd);
/* The child's fd `at` is /dev/null. */
void spawn_null(struct spawn *s, int at);

/* fork, set the child up and exec argv[0] (searched in PATH when it has no
 * '/'). The parent's stdio is flushed first. 0 with *pid, or -errno. */
int spawn_exec(const struct spawn *s, char *const argv[], pid_t *pid);
/* spawn_exec with stdin from /dev/null and stdout, stderr into the files
 * out and err (made anew, 0644); the rest of s as set. 0 with *pid, or
 * -errno. */
int spawn_to_files(struct spawn *s, char *const argv[], const char *out, const char *err,
		   pid_t *pid);
/* The same, but the child runs fn(arg) and exits with what it returns. */
int spawn_fn(const struct spawn *s, int (*fn)(void *arg), void *arg, pid_t *pid);

#endif
