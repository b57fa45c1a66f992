/* proc.c - wait with a deadline and a grace, the stop signals, self_exe
 * (proc.h). */
#define _GNU_SOURCE
#include "proc.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "util.h"

#define NS_PER_MS 1000000ull
#define NAP_MAX_NS 50000000L /* without a pidfd: the longest nap */

/* --- waiting ------------------------------------------------------------- */

static void fill(struct proc_end *e, int st)
{
	e->status = st;
	e->code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	e->sig = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
}

/* The blocking reap: wait4 until it is reaped. 0, or -errno. */
static int reap(pid_t pid, struct rusage *ru, struct proc_end *e)
{
	int st = 0;
	pid_t w;

	while ((w = wait4(pid, &st, 0, ru)) < 0 && errno == EINTR)
		;
	if (w < 0)
		return -errno;
	fill(e, st);
	return 0;
}

int proc_ended(pid_t pid, bool reap_it, struct proc_end *e)
{
	siginfo_t si;

	if (pid <= 0)
		return -EINVAL;
	memset(&si, 0, sizeof(si));
	if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | (reap_it ? 0 : WNOWAIT)) < 0)
		return -errno;
	if (si.si_pid != pid)
		return 0;
	if (e) {
		memset(e, 0, sizeof(*e));
		fill(e, si.si_code == CLD_EXITED
				? W_EXITCODE(si.si_status, 0)
				: W_EXITCODE(0, si.si_status) |
					  (si.si_code == CLD_DUMPED ? WCOREFLAG : 0));
	}
	return 1;
}

static void send(pid_t pid, bool group, int sig)
{
	if (group)
		kill(-pid, sig);
	kill(pid, sig); /* the group may not be formed yet, or it left it */
}

/* Sleep until pid ends, a signal comes or ns pass (ns 0: no limit). With
 * a pidfd, in ppoll under mask (NULL: the current one); without, a nap
 * that grows on each call. */
static void doze(int pfd, uint64_t ns, const sigset_t *mask, long *nap)
{
	struct pollfd p = { .fd = pfd, .events = POLLIN };
	struct timespec ts = { (time_t)(ns / 1000000000u), (long)(ns % 1000000000u) };

	if (pfd >= 0) {
		ppoll(&p, 1, ns ? &ts : NULL, mask);
		return;
	}
	if (!ns || ns > (uint64_t)*nap)
		ts = (struct timespec){ 0, *nap };
	nanosleep(&ts, NULL);
	if (*nap < NAP_MAX_NS)
		*nap *= 2;
}

int proc_wait(pid_t pid, const struct proc_wait *w, struct proc_end *e)
{
	static const struct proc_wait plain;
	struct proc_end end = { .code = -1 };
	uint64_t kill_at = 0, now, left;
	bool termed = false;
	sigset_t stops, old;
	long nap = 1000000; /* 1 ms */
	int pfd = -1, rc = 0, r;

	if (!w)
		w = &plain;
	if (pid <= 0)
		return -EINVAL;
	if (!w->deadline_ns && !w->stop && !w->sweep) {
		rc = reap(pid, w->ru, &end);
		if (rc == 0 && e)
			*e = end;
		return rc;
	}
	pfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (w->stop && pfd >= 0) { /* the stop signals come only in the ppoll */
		sigemptyset(&stops);
		proc_stop_set(&stops);
		sigprocmask(SIG_BLOCK, &stops, &old);
	}
	for (;;) {
		r = proc_ended(pid, false, NULL);
		if (r != 0)
			break;
		now = clock_now_ns();
		if (w->deadline_ns && now >= w->deadline_ns && !end.timed_out) {
			end.timed_out = true;
			if (w->leave) {
				r = -ETIMEDOUT;
				break;
			}
		}
		if (w->stop && !end.stop_sig)
			end.stop_sig = proc_stop_sig();
		if (!termed && (end.timed_out || end.stop_sig)) {
			int sig = !w->grace_ms ? SIGKILL
				  : end.stop_sig && !end.timed_out && w->stop == PROC_STOP_FORWARD
					  ? end.stop_sig
					  : SIGTERM;

			send(pid, w->group, sig);
			termed = true;
			kill_at = sig == SIGKILL ? 0 : now + w->grace_ms * NS_PER_MS;
		} else if (kill_at && now >= kill_at) {
			send(pid, w->group, SIGKILL);
			kill_at = 0;
		}
		left = kill_at			   ? kill_at - now
		       : !termed && w->deadline_ns ? w->deadline_ns - now
						   : 0;
		doze(pfd, left, w->stop && pfd >= 0 ? &old : NULL, &nap);
	}
	if (r > 0) {
		if (w->sweep)
			kill(-pid, SIGKILL); /* it is a zombie: the group is still its */
		r = reap(pid, w->ru, &end);
	}
	if (w->stop && pfd >= 0)
		sigprocmask(SIG_SETMASK, &old, NULL);
	if (pfd >= 0)
		close(pfd);
	if (r < 0 && r != -ETIMEDOUT)
		return r;
	if (e)
		*e = end;
	return end.stop_sig ? -EINTR : end.timed_out ? -ETIMEDOUT : 0;
}

int proc_kill(pid_t pid, bool group, struct proc_end *e)
{
	struct proc_wait w = { .deadline_ns = clock_now_ns(), .group = group };
	int rc = proc_wait(pid, &w, e);

	return rc == -ETIMEDOUT ? 0 : rc;
}

void proc_reap_group(pid_t pgid)
{
	if (pgid <= 0)
		return;
	kill(-pgid, SIGKILL);
	while (waitpid(-pgid, NULL, 0) > 0 || errno == EINTR)
		;
}

int proc_hold(pid_t pid, bool stop)
{
	pid_t r;
	int st;

	if (pid <= 0)
		return -EINVAL;
	if (kill(pid, stop ? SIGSTOP : SIGCONT) < 0)
		return -errno;
	if (!stop)
		return 0;
	do
		r = waitpid(pid, &st, WUNTRACED);
	while (r < 0 && errno == EINTR);
	return r == pid && WIFSTOPPED(st) ? 0 : -ESRCH;
}

static const char *sig_name(int sig, char *buf, size_t cap)
{
	const char *abbrev = sigabbrev_np(sig);

	if (abbrev)
		snprintf(buf, cap, "SIG%s", abbrev);
	else
		snprintf(buf, cap, "signal %d", sig);
	return buf;
}

const char *proc_end_text(const struct proc_end *e, char *buf, size_t cap)
{
	char a[32], b[32];
	int n = 0;

	if (!cap)
		return buf;
	buf[0] = '\0';
	if (e->stop_sig)
		n = snprintf(buf, cap, "stopped by %s; ", sig_name(e->stop_sig, a, sizeof(a)));
	else if (e->timed_out)
		n = snprintf(buf, cap, "timed out and ");
	if (n < 0 || (size_t)n >= cap)
		return buf;
	if (e->sig)
		snprintf(buf + n, cap - (size_t)n, "killed by %s", sig_name(e->sig, b, sizeof(b)));
	else if (e->code >= 0)
		snprintf(buf + n, cap - (size_t)n, "exited %d", e->code);
	else
		snprintf(buf + n, cap - (size_t)n, "still running");
	return buf;
}

/* --- stop signals ---------------------------------------------------------- */

static const int stop_signals[] = { SIGINT, SIGTERM, SIGHUP };
#define NSTOP (sizeof(stop_signals) / sizeof(stop_signals[0]))

static volatile sig_atomic_t stop_sig;
static void (*volatile stop_hook)(int sig);
static struct sigaction stop_was[NSTOP];
static bool stop_saved[NSTOP];

static void on_stop(int sig)
{
	void (*hook)(int) = stop_hook;

	if (!stop_sig)
		stop_sig = sig;
	if (hook)
		hook(sig);
}

void proc_stop_catch(unsigned flags, void (*hook)(int sig))
{
	struct sigaction sa, now;

	stop_sig = 0;
	stop_hook = hook;
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_stop;
	sa.sa_flags = flags & PROC_STOP_RESTART ? SA_RESTART : 0;
	for (size_t i = 0; i < NSTOP; i++) {
		bool only_term = flags & PROC_STOP_TERM_ONLY;

		sigaction(stop_signals[i], NULL, &now);
		if (!stop_saved[i]) { /* what it was before the first call */
			stop_was[i] = now;
			stop_saved[i] = true;
		}
		if (only_term && stop_signals[i] != SIGTERM)
			signal(stop_signals[i], SIG_IGN);
		else if (only_term || !(flags & PROC_STOP_KEEP_IGNORED) ||
			 stop_was[i].sa_handler != SIG_IGN)
			sigaction(stop_signals[i], &sa, NULL);
	}
}

void proc_stop_restore(void)
{
	for (size_t i = 0; i < NSTOP; i++) {
		if (!stop_saved[i])
			continue;
		sigaction(stop_signals[i], &stop_was[i], NULL);
		stop_saved[i] = false;
	}
	stop_hook = NULL;
}

int proc_stop_sig(void)
{
	return stop_sig;
}

void proc_stop_set(sigset_t *set)
{
	for (size_t i = 0; i < NSTOP; i++)
		sigaddset(set, stop_signals[i]);
}

/* --- the binary ------------------------------------------------------------ */

int self_exe(char *out, size_t cap)
{
	return read_link("/proc/self/exe", out, cap);
}
