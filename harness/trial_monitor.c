/* trial_monitor.c - the monitor's side of a trial: it samples the trial's
 * tree (its sockets at most 1/20 of the monitor's time), answers the
 * handshake's messages, holds the wave for --plateau-samples, and kills the
 * trial's group past its deadline or on a stop signal. The protocol is in
 * trial.c's head. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "../lib/clock.h"
#include "../lib/probe.h"
#include "../lib/proc.h"
#include "../workloads/workload.h"
#include "trial_int.h"
#include "trial_server.h"

/* The tree's sockets into s, when their last read was long enough ago
 * (they cost a read of every fd: at most 1/20 of the monitor's time);
 * the time it took, ns. */
static uint64_t sample_sockets(pid_t pid, struct trial_report *rep, struct probe_sample *s)
{
	uint64_t t = clock_now_ns(), took;

	if (t < rep->sock_next_ns || rep->sock_next_ns == UINT64_MAX)
		return 0;
	if (probe_group_sockets(pid, s) == -EPROTONOSUPPORT) {
		rep->sock_next_ns = UINT64_MAX;
		return 0;
	}
	took = clock_now_ns() - t;
	rep->sock_next_ns = t + 21 * took;
	return took;
}

static void sample(pid_t pid, struct trial_report *rep, struct probe_sample *into, int *cost_ms)
{
	struct probe_sample s;
	uint64_t t = clock_now_ns(), sock_ns = 0;

	/* the trial leads its own process group, and so do none of its
	 * descendants: the group is the tree, read in one pass over /proc */
	if (probe_group(pid, &s) == 0) {
		long long k = probe_kernel_kib();

		sock_ns = sample_sockets(pid, rep, &s);
		if (into)
			*into = s;
		probe_peak(&rep->peak, &s);
		rep->samples++;
		if (k < 0)
			rep->kernel_base_kib = -1; /* unreadable: no figure */
		else if (k > rep->kernel_peak_kib)
			rep->kernel_peak_kib = k;
	}
	/* the sampling period follows the tree's read alone */
	*cost_ms = (int)((clock_now_ns() - t - sock_ns) / 1000000);
}

/* CPU seconds this process (the monitor) has used so far. */
static double self_cpu_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

/* --plateau-samples: hold the service's answers from go on, so that no
 * task in flight completes before the monitor has sampled the wave whole.
 * While held the tasks only wait: sampling as fast as the tree can be
 * read takes nothing from them. */
static void hold_start(struct mon_state *m)
{
	m->holding = m->want && m->svc && m->svc->hold && m->svc->waiting &&
		     m->svc->hold(m->svc_state, true) == 0;
	m->plateau = false;
	m->hold_until_ns = clock_now_ns() + m->rep->hold_max_ns;
	if (m->holding)
		m->interval = SAMPLE_MIN_MS;
}

static void hold_end(struct mon_state *m)
{
	if (!m->holding)
		return;
	m->svc->hold(m->svc_state, false);
	m->holding = false;
	m->interval = m->cost_ms * 50 > SAMPLE_MIN_MS ? m->cost_ms * 50 : SAMPLE_MIN_MS;
}

/* After a sample taken while held: is the wave whole, has it been sampled
 * enough, or has the hold lasted too long? */
static void hold_check(struct mon_state *m)
{
	if (!m->plateau) {
		long n = m->svc->waiting(m->svc_state);

		/* the whole wave is sampled from the next sample on */
		if (n >= 0 && (uint64_t)n >= m->in_flight)
			m->plateau = true;
	} else if (++m->rep->plateau_samples >= m->want) {
		hold_end(m);
		return;
	}
	if (clock_now_ns() >= m->hold_until_ns)
		hold_end(m);
	else
		m->interval = m->cost_ms > SAMPLE_MIN_MS ? m->cost_ms : SAMPLE_MIN_MS;
}

/* One message from the trial: take the sample it asks for, and answer. */
static int mon_message(struct mon_state *m, char c, char *answer)
{
	struct trial_report *rep = m->rep;
	uint64_t now = clock_now_ns();

	switch (c) {
	case 'B':
		rep->kernel_base_kib = rep->kernel_peak_kib = probe_kernel_kib();
		sample(m->pid, rep, &rep->base, &m->cost_ms);
		m->setup_start = clock_now_ns();
		memset(&rep->peak, 0, sizeof(rep->peak));
		rep->samples = 0;
		m->deadline_ns = now + m->setup_ms * 1000000;
		*answer = 'b';
		return 0;
	case 'R':
		rep->setup_ns = now - m->setup_start;
		sample(m->pid, rep, NULL, &m->cost_ms);
		/* a tree this slow to read is read less often while it runs */
		m->interval = m->cost_ms * 50 > SAMPLE_MIN_MS ? m->cost_ms * 50 : SAMPLE_MIN_MS;
		m->running = 1;
		rep->samples = 0;
		m->cpu_at_go = self_cpu_s();
		m->deadline_ns = clock_now_ns() + m->run_ms * 1000000;
		hold_start(m);
		/* a server: the load starts now; without it, the server stops */
		if (m->srv && tsrv_start(m->srv, m->shm->port) < 0)
			tsrv_stop_server(m->srv);
		*answer = 'G';
		return 0;
	case 'E':
		hold_end(m);
		/* what the monitor took from the trial while it ran: the final
		 * sample is taken after the clock stopped */
		rep->monitor_cpu_s = self_cpu_s() - m->cpu_at_go;
		sample(m->pid, rep, NULL, &m->cost_ms);
		m->running = 0;
		m->deadline_ns = clock_now_ns() + 60000000000ull; /* teardown */
		*answer = 'e';
		return 0;
	default:
		return -EPROTO;
	}
}

static int mon_timeout_ms(const struct mon_state *m)
{
	uint64_t now = clock_now_ns(), left;

	if (now >= m->deadline_ns)
		return 0;
	left = (m->deadline_ns - now) / 1000000 + 1;
	if (m->running && left > (uint64_t)m->interval)
		return m->interval;
	return left > 1000 ? 1000 : (int)left;
}

/* Monitor loop: answer the trial and sample its tree until it closes its
 * pipe. -ETIMEDOUT when it ran past its deadline (it is then killed). */
static int monitor_loop(struct mon_state *m, int from_trial, int to_trial,
			const sigset_t *wait_mask)
{
	struct pollfd p[2] = { { .fd = from_trial, .events = POLLIN },
			       { .fd = -1, .events = POLLIN } };
	char c, answer;
	ssize_t r;

	for (;;) {
		struct timespec ts;
		int rc, ms;

		if (proc_stop_sig()) { /* Ctrl-C: the whole trial goes, now */
			kill(-m->pid, SIGKILL);
			kill(m->pid, SIGKILL);
			tsrv_kill(m->srv);
			return -EINTR;
		}
		ms = mon_timeout_ms(m);
		ts.tv_sec = ms / 1000;
		ts.tv_nsec = (long)(ms % 1000) * 1000000;
		/* the stop signals are blocked but here: none is lost between
		 * the check above and the wait */
		if (m->srv && p[1].fd != -2)
			p[1].fd = tsrv_done_fd(m->srv);
		rc = ppoll(p, 2, &ts, wait_mask);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc == 0 && clock_now_ns() >= m->deadline_ns) {
			kill(-m->pid, SIGKILL);
			kill(m->pid, SIGKILL);
			tsrv_kill(m->srv);
			return -ETIMEDOUT;
		}
		if (rc > 0 && p[1].fd >= 0 && p[1].revents) {
			/* the generator is done: the server stops */
			tsrv_stop_server(m->srv);
			p[1].fd = -2;
			if (!p[0].revents)
				continue;
		}
		if (rc == 0) {
			if (m->running) {
				sample(m->pid, m->rep, NULL, &m->cost_ms);
				/* keep the monitor's share of the CPU under 2% even
				 * when reading a big tree is slow */
				m->interval = m->cost_ms * 50 > SAMPLE_MIN_MS ? m->cost_ms * 50
									      : SAMPLE_MIN_MS;
				if (m->holding)
					hold_check(m);
			}
			continue;
		}
		if (!p[0].revents)
			continue;
		r = read(from_trial, &c, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0 || mon_message(m, c, &answer) < 0)
			return 0;
		while (write(to_trial, &answer, 1) < 0 && errno == EINTR)
			;
	}
}

int trial_monitor(struct mon_state *m, int from_trial, int to_trial)
{
	sigset_t block, old;
	int rc;

	sigemptyset(&block);
	proc_stop_set(&block);
	sigprocmask(SIG_BLOCK, &block, &old);
	rc = monitor_loop(m, from_trial, to_trial, &old);
	hold_end(m); /* whatever happened: the service answers again */
	sigprocmask(SIG_SETMASK, &old, NULL);
	return rc;
}
