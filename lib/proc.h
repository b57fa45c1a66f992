/* proc.h - the rest of a child's life, once spawn.h started it: waiting
 * for it with a deadline and a grace, the stop signals, and the path of
 * the running binary. Every wait, every signal handler and every readlink
 * of cmbench is here (tests/it/lifecycle.sh checks it), except the
 * process models' waits for their own workers, which are what those
 * models measure.
 *
 * Waiting (proc_wait). A child is waited for until it ends or its deadline
 * passes. Past the deadline it gets SIGTERM (its whole process group when
 * it leads one), and SIGKILL if it is still there after the grace; a grace
 * of 0 sends SIGKILL at once. A stop signal caught by proc_stop_catch can
 * end the wait the same way (SIGTERM, or the signal that came, passed on).
 * Then it is reaped with wait4, and the caller learns how it ended (a
 * struct proc_end: exited N, killed by signal S, timed out, stopped; and
 * proc_end_text for a row or a message) and, when it asks, its resource
 * usage: the CPU time and context switches of the child and of every
 * descendant it reaped. With a deadline or a stop the waiter sleeps in
 * ppoll on the child's pidfd (nothing of it runs beside the child, and no
 * stop signal is lost between a look and the sleep); without either it is
 * one blocking wait4. On a kernel without pidfds it naps, 1 ms growing to
 * 50 ms.
 *
 * Stop signals (proc_stop_*). SIGINT, SIGTERM and SIGHUP: one handler
 * records the first that came (proc_stop_sig) and calls the caller's hook,
 * if any. Without SA_RESTART by default: a blocking call fails with EINTR
 * and the caller looks at the signal. Each is caught even when it was
 * ignored, unless the caller keeps those ignored (PROC_STOP_KEEP_IGNORED:
 * nohup's SIGHUP, a script's background job's SIGINT). proc_stop_restore
 * puts back what they were (a forked child that must die of them as the
 * command would have).
 *
 * self_exe: the path of the running cmbench binary. */
#ifndef CMB_PROC_H
#define CMB_PROC_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

/* What a stop signal (proc_stop_catch) does to a proc_wait. */
enum proc_on_stop {
	PROC_STOP_IGNORE = 0, /* nothing: the wait goes on */
	PROC_STOP_TERM,	      /* as the deadline: SIGTERM, SIGKILL after the grace */
	PROC_STOP_FORWARD,    /* the signal that came, then SIGKILL after the grace */
};

struct proc_wait {
	uint64_t deadline_ns;	/* CLOCK_MONOTONIC; 0: none */
	uint64_t grace_ms;	/* SIGTERM at the deadline, SIGKILL this much later;
				   0: SIGKILL at the deadline */
	bool group;		/* the signals go to its process group (it leads one) */
	bool sweep;		/* once it ended, SIGKILL what is left of its group
				   before it is reaped (the group's id cannot be reused
				   meanwhile) */
	bool leave;		/* past the deadline send nothing: return -ETIMEDOUT
				   with it still running, unreaped */
	enum proc_on_stop stop; /* what a stop signal does */
	struct rusage *ru;	/* NULL, or wait4's figures */
};

/* How a child ended. */
struct proc_end {
	int status;	/* the wait status */
	int code;	/* it exited: its exit status; otherwise -1 */
	int sig;	/* it was killed: the signal; otherwise 0 */
	bool timed_out; /* its deadline passed before it ended */
	int stop_sig;	/* the stop signal that ended the wait early, or 0 */
};

/* Wait for child pid as w says (NULL: until it exits, no deadline) and reap
 * it. 0: it ended by itself; -ETIMEDOUT: its deadline passed (it was
 * signalled, or with w->leave it still runs); -EINTR: a stop signal ended
 * the wait (w->stop); reaped in both, e (may be NULL) filled whenever it
 * was. -errno when it cannot be waited for (-ECHILD: not our child). */
int proc_wait(pid_t pid, const struct proc_wait *w, struct proc_end *e);
/* Has child pid ended? 1 (reaped when reap, else left a zombie for a
 * later wait; e filled), 0 (it runs), or -errno. Never blocks. */
int proc_ended(pid_t pid, bool reap, struct proc_end *e);
/* SIGKILL child pid (its group when group) unless it already ended, and
 * reap it. 0, or -errno. */
int proc_kill(pid_t pid, bool group, struct proc_end *e);
/* SIGKILL every process of group pgid and reap each that is our child (a
 * subreaper's orphans), until none is left. */
void proc_reap_group(pid_t pgid);
/* Stop child pid (SIGSTOP, and wait until it is stopped) or let it go on
 * (SIGCONT). 0, or -errno (-ESRCH: it ended instead of stopping). */
int proc_hold(pid_t pid, bool stop);
/* How e ended, in words ("exited 3", "killed by SIGKILL", "timed out and
 * killed by SIGTERM", "stopped by SIGINT; exited 0"). Returns buf. */
const char *proc_end_text(const struct proc_end *e, char *buf, size_t cap);

/* proc_stop_catch's flags. PROC_STOP_RESTART: SA_RESTART, interrupted
 * calls resume. PROC_STOP_KEEP_IGNORED: one ignored before the first call
 * stays ignored. PROC_STOP_TERM_ONLY: SIGTERM caught, SIGINT and SIGHUP
 * ignored (a helper that outlives its command's Ctrl-C to clean up, and
 * stops when its parent dies). */
#define PROC_STOP_RESTART 1u
#define PROC_STOP_KEEP_IGNORED 2u
#define PROC_STOP_TERM_ONLY 4u

/* Catch the stop signals (flags: PROC_STOP_*, or 0). The signal recorded so far
 * is forgotten. hook (NULL: none) runs in the handler with the signal
 * after it was recorded: async-signal-safe calls only. Called again, it
 * keeps what they were before the first call. */
void proc_stop_catch(unsigned flags, void (*hook)(int sig));
/* Put the stop signals back to what they were before proc_stop_catch. */
void proc_stop_restore(void);
/* The first stop signal that came since proc_stop_catch, or 0. */
int proc_stop_sig(void);
/* The stop signals, added to set (to block them but in a ppoll). */
void proc_stop_set(sigset_t *set);

/* The path of the running binary into out. 0, or -errno (-ENAMETOOLONG
 * when it does not fit). */
int self_exe(char *out, size_t cap);

#endif
