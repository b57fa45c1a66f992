/* trial.c - one measured trial: the monitor, the trial process, and the
 * embedded latency server around them.
 *
 *   cmbench run (monitor) --fork--> latency server   (not measured)
 *                         --fork--> trial: model->run (measured)
 *
 * The trial and the monitor talk over two pipes, one byte per message:
 *   trial: 'B' set-up done        monitor: samples the base,   answers 'b'
 *   trial: 'R' workers ready      monitor: samples,            answers 'G'
 *   trial: 'E' last task done     monitor: samples,            answers 'e'
 * Between 'G' and 'E' the monitor samples the tree on a timer. CPU time and
 * context switches come from wait4() on the trial, which covers its threads
 * and every child it reaped, and nothing of the server or the monitor; the
 * trial process's own share (RUSAGE_SELF when the model returns) comes back
 * too: for a foreign model it is cmbench's runner, not the program. */
#define _GNU_SOURCE
#include "trial.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../lib/clock.h"
#include "../lib/sched.h"
#include "../lib/spawn.h"
#include "../models/model.h"
#include "../workloads/workload.h"
#include "cli.h"
#include "floor.h"

#define SAMPLE_MIN_MS 10

struct trial_shared {
	struct task_stats stats; /* the model's merged result */
	struct rusage self_ru;	 /* the trial process's own, once model->run returned */
	uint64_t t0_ns;		 /* set by the go of the handshake */
	int model_rc;		 /* what model->run returned */
	int ran;		 /* model->run returned at all */
};

/* The trial's side of the handshake: two pipes to the monitor. */
struct trial_pipes {
	struct trial_ctl ctl;
	int to_mon, from_mon;
	struct trial_shared *shm;
};

static void say_wait(struct trial_pipes *tp, char say, char expect)
{
	char c = 0;
	ssize_t r;

	while (write(tp->to_mon, &say, 1) < 0 && errno == EINTR)
		;
	do
		r = read(tp->from_mon, &c, 1);
	while (r < 0 && errno == EINTR);
	if (r != 1 || c != expect)
		_exit(3); /* the monitor is gone: nobody is measuring */
}

static uint64_t pipes_go(struct trial_ctl *ctl)
{
	struct trial_pipes *tp = ctl->priv;

	say_wait(tp, 'R', 'G');
	tp->shm->t0_ns = clock_now_ns();
	return tp->shm->t0_ns;
}

static void pipes_end(struct trial_ctl *ctl)
{
	say_wait(ctl->priv, 'E', 'e');
}

/* Longest a trial may take before the monitor kills it: generous, from the
 * run's own parameters, so that no bug can hang a run or a sweep. */
static void trial_deadlines(const struct run_cfg *cfg, double cpu_us_per_task, uint64_t *setup_ms,
			    uint64_t *run_ms)
{
	double c = cfg->concurrency ? (double)cfg->concurrency : 1;
	double rounds = ceil((double)cfg->tasks / c);
	/* µs, at a slow 200 iterations/µs, or as measured in a slower runtime */
	double w = fmax((double)cfg->cpu_iters / 200.0, 2 * cpu_us_per_task);
	double us = rounds * ((double)cfg->timeout_us + (double)cfg->io_latency_us) +
		    (double)cfg->tasks * w;

	if (cfg->rate_tps > 0) /* open loop: the schedule itself takes this long */
		us += (double)cfg->tasks / cfg->rate_tps * 1e6;
	*setup_ms = 60000 + (uint64_t)(c * 20);
	*run_ms = 60000 + (uint64_t)(4 * us / 1000);
}

/* The trial process: never returns. */
struct trial_child_args {
	const struct run_cfg *cfg;
	struct trial_pipes tp;
	int close_fd[2]; /* the monitor's ends of the pipes */
};

/* The trial's process (spawned in a group of its own, so a deadline kills
 * every process of it; it dies with the monitor). */
static int trial_child(void *arg)
{
	struct trial_child_args *a = arg;
	const struct run_cfg *cfg = a->cfg;
	struct trial_pipes *tp = &a->tp;

	close(a->close_fd[0]);
	close(a->close_fd[1]);
	tp->ctl.go = pipes_go;
	tp->ctl.end = pipes_end;
	tp->ctl.priv = tp;
	say_wait(tp, 'B', 'b');
	stats_fifths(cfg->rate_tps > 0 ? cfg->tasks : 0); /* open loop: the backlog test */
	tp->shm->model_rc = cfg->model->run(cfg, &tp->ctl, &tp->shm->stats);
	getrusage(RUSAGE_SELF, &tp->shm->self_ru);
	tp->shm->ran = 1;
	return 0;
}

static void sample(pid_t pid, struct trial_report *rep, struct probe_sample *into, int *cost_ms)
{
	struct probe_sample s;
	uint64_t t = clock_now_ns();

	/* the trial leads its own process group, and so do none of its
	 * descendants: the group is the tree, read in one pass over /proc */
	if (probe_group(pid, &s) == 0) {
		if (into)
			*into = s;
		probe_peak(&rep->peak, &s);
		rep->samples++;
	}
	*cost_ms = (int)((clock_now_ns() - t) / 1000000);
}

/* What the monitor is doing, between the trial's messages. */
struct mon_state {
	pid_t pid; /* the trial */
	struct trial_report *rep;
	int running;	       /* between go and end: sample on a timer */
	int cost_ms, interval; /* last sample's cost, sampling period */
	uint64_t setup_start;  /* when the base sample was taken */
	uint64_t deadline_ns;  /* the trial is killed past this */
	uint64_t setup_ms, run_ms;
	double cpu_at_go; /* the monitor's own CPU time at go */
};

/* CPU seconds this process (the monitor) has used so far. */
static double self_cpu_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

/* One message from the trial: take the sample it asks for, and answer. */
static int mon_message(struct mon_state *m, char c, char *answer)
{
	struct trial_report *rep = m->rep;
	uint64_t now = clock_now_ns();

	switch (c) {
	case 'B':
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
		*answer = 'G';
		return 0;
	case 'E':
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
static int monitor(struct mon_state *m, int from_trial, int to_trial)
{
	struct pollfd p = { .fd = from_trial, .events = POLLIN };
	char c, answer;
	ssize_t r;

	for (;;) {
		int rc = poll(&p, 1, mon_timeout_ms(m));

		if (rc < 0 && errno == EINTR)
			continue;
		if (rc == 0 && clock_now_ns() >= m->deadline_ns) {
			kill(-m->pid, SIGKILL);
			kill(m->pid, SIGKILL);
			return -ETIMEDOUT;
		}
		if (rc == 0) {
			if (m->running) {
				sample(m->pid, m->rep, NULL, &m->cost_ms);
				/* keep the monitor's share of the CPU under 2% even
				 * when reading a big tree is slow */
				m->interval = m->cost_ms * 50 > SAMPLE_MIN_MS ? m->cost_ms * 50
									      : SAMPLE_MIN_MS;
			}
			continue;
		}
		r = read(from_trial, &c, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0 || mon_message(m, c, &answer) < 0)
			return 0;
		while (write(to_trial, &answer, 1) < 0 && errno == EINTR)
			;
	}
}

static void trial_verdict(const struct run_cfg *cfg, int st, int mon_rc, struct trial_shared *shm,
			  const struct mon_state *m, struct trial_report *rep)
{
	if (mon_rc == -ETIMEDOUT) {
		snprintf(rep->fail, sizeof(rep->fail),
			 "the trial did not finish within its deadline (%llu s set-up, %llu s "
			 "run) and was killed",
			 (unsigned long long)(m->setup_ms / 1000),
			 (unsigned long long)(m->run_ms / 1000));
	} else if (WIFSIGNALED(st)) {
		snprintf(rep->fail, sizeof(rep->fail), "the trial process died of signal %d (%s)",
			 WTERMSIG(st), strsignal(WTERMSIG(st)));
	} else if (!WIFEXITED(st) || WEXITSTATUS(st) != 0 || !shm->ran) {
		snprintf(rep->fail, sizeof(rep->fail), "the trial process exited with status %d",
			 WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	} else if (shm->model_rc == -ECHILD) {
		snprintf(rep->fail, sizeof(rep->fail),
			 "%s: set-up failed: a worker process died before it was ready",
			 cfg->model->name);
	} else if (shm->model_rc < 0) {
		snprintf(rep->fail, sizeof(rep->fail), "%s: set-up failed: %s", cfg->model->name,
			 strerror(-shm->model_rc));
	}
}

/* Fork the trial and measure it until it exits. 0 or 1 as trial_run. */
static int trial_measure(struct run_cfg *cfg, struct trial_shared *shm, const uint64_t *release_off,
			 struct trial_report *rep)
{
	int to_mon[2] = { -1, -1 }, from_mon[2] = { -1, -1 }, st = 0, mon_rc, rc;
	struct mon_state m = { .rep = rep, .interval = SAMPLE_MIN_MS };
	struct trial_child_args child;
	struct spawn sp;
	pid_t pid;

	trial_deadlines(cfg, rep->cpu_us_per_task, &m.setup_ms, &m.run_ms);
	m.deadline_ns = clock_now_ns() + m.setup_ms * 1000000;
	if (pipe2(to_mon, O_CLOEXEC) < 0 || pipe2(from_mon, O_CLOEXEC) < 0) {
		snprintf(rep->fail, sizeof(rep->fail), "pipe: %s", strerror(errno));
		goto out;
	}
	/* orphans of the trial (its workers, when it dies first) are
	 * reparented to the monitor, not to init */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	child.cfg = cfg;
	child.tp = (struct trial_pipes){ .to_mon = to_mon[1], .from_mon = from_mon[0], .shm = shm };
	child.tp.ctl.release_off = release_off;
	child.tp.ctl.format_run = cli_format_run;
	child.close_fd[0] = to_mon[0];
	child.close_fd[1] = from_mon[1];
	spawn_init(&sp);
	sp.group = true;
	sp.death_sig = SIGKILL;
	rc = spawn_fn(&sp, trial_child, &child, &pid);
	if (rc != 0) {
		snprintf(rep->fail, sizeof(rep->fail), "fork of the trial: %s", strerror(-rc));
		goto out;
	}
	close(to_mon[1]);
	close(from_mon[0]);
	to_mon[1] = from_mon[0] = -1;
	m.pid = pid;
	mon_rc = monitor(&m, to_mon[0], from_mon[1]);
	while (wait4(pid, &st, 0, &rep->ru) < 0 && errno == EINTR)
		;
	/* anything of the trial's group still alive: the monitor is their
	 * subreaper, so it reaps them itself and leaves no zombie behind */
	kill(-pid, SIGKILL);
	while (waitpid(-pid, NULL, 0) > 0 || errno == EINTR)
		;
	trial_verdict(cfg, st, mon_rc, shm, &m, rep);
out:
	for (int i = 0; i < 2; i++) {
		if (to_mon[i] >= 0)
			close(to_mon[i]);
		if (from_mon[i] >= 0)
			close(from_mon[i]);
	}
	return rep->fail[0] ? 1 : 0;
}

int trial_run(struct run_cfg *cfg, struct trial_report *rep)
{
	const struct wl_service *svc = cfg->workload->service;
	struct trial_shared *shm;
	void *svc_state = NULL;
	uint64_t *release_off = NULL;
	int ret = 1, rc;

	memset(rep, 0, sizeof(*rep));
	rep->cores = probe_cores();
	signal(SIGPIPE, SIG_IGN);
	if (cfg->workload->does_cpu && cfg->model->cpu_cost) { /* another runtime's kernel */
		if (cfg->model->cpu_cost(cfg, &rep->cpu_us_per_task, rep->fail, sizeof(rep->fail)))
			return 1;
	} else {
		if (cfg->cpu_target_us)
			cfg->cpu_iters = cpu_calibrate(cfg->cpu_target_us);
		rep->cpu_us_per_task = cfg->workload->does_cpu ? cpu_measure_us(cfg->cpu_iters) : 0;
	}
	if (svc) { /* the service says what it decided; the run's cfg is ours */
		struct wl_service_result res = { .target = false };

		if (svc->start(cfg, &res, &svc_state, rep->fail, sizeof(rep->fail)) < 0)
			return 1;
		wl_service_apply(cfg, &res);
	}
	if (cfg->workload->does_io)
		rep->io_floor_us = floor_io_us(cfg, svc_state);
	shm = mmap(NULL, sizeof(*shm), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shm == MAP_FAILED) {
		snprintf(rep->fail, sizeof(rep->fail), "mmap: %s", strerror(errno));
		goto out_service;
	}
	rc = sched_make(cfg, &release_off);
	if (rc < 0) {
		snprintf(rep->fail, sizeof(rep->fail), "the release schedule: %s", strerror(-rc));
		goto out_shm;
	}
	ret = trial_measure(cfg, shm, release_off, rep);
	sched_free(cfg, release_off);
	if (ret == 0) {
		rep->stats = shm->stats;
		rep->self_ru = shm->self_ru;
		rep->t0_ns = shm->t0_ns;
	}
out_shm:
	munmap(shm, sizeof(*shm));
out_service:
	if (svc)
		svc->stop(svc_state);
	return ret;
}
