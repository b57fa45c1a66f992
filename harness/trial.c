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
 * context switches come from wait4() on the trial (proc_wait's rusage),
 * which covers its threads and every child it reaped, and nothing of the
 * server or the monitor; the trial process's own share (RUSAGE_SELF when
 * the model returns) comes back too: for a foreign model it is cmbench's
 * runner, not the program. The monitor itself (sampling, the answers, the
 * wave's hold) is trial_monitor.c; what the two share is trial_int.h. */
#define _GNU_SOURCE
#include "trial.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../lib/clock.h"
#include "../lib/proc.h"
#include "../lib/sched.h"
#include "../lib/spawn.h"
#include "../models/model.h"
#include "../workloads/workload.h"
#include "cli.h"
#include "request_cpu.h"
#include "trial_int.h"
#include "trial_server.h"

/* The most of the workers' stats made resident before the base sample
 * (about 34,000 workers); past it they are mapped untouched, as the model
 * would, and the pages its workers touch count as its memory again */
#define HARNESS_RESIDENT_MAX (1ull << 30)

/* The workers' stats the trial makes resident before the base sample. */
static bool harness_resident(uint64_t nws)
{
	return nws * sizeof(struct task_stats) <= HARNESS_RESIDENT_MAX;
}

int trial_stopped(void)
{
	return proc_stop_sig();
}

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

	tp->shm->port = tp->ctl.port;
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
	int close_fd[2];  /* the monitor's ends of the pipes */
	struct tsrv *srv; /* --side server, or NULL */
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
	uint64_t nws = model_worker_stats(cfg->model, cfg);

	proc_stop_restore(); /* what they were when cmbench started */
	tp->ctl.go = pipes_go;
	tp->ctl.end = pipes_end;
	tp->ctl.priv = tp;
	tp->ctl.why = tp->shm->why;
	tp->ctl.why_len = sizeof(tp->shm->why);
	tp->ctl.stop_fd = -1;
	if (a->srv && tsrv_in_trial(a->srv, &tp->ctl) < 0)
		return 4; /* a server model: it stops when told, on its own CPUs */
	/* the harness's own memory is resident before the base sample, so
	 * that none of it is counted as the model's: the workers' stats, and
	 * the merged result */
	memset(&tp->shm->stats, 0, sizeof(tp->shm->stats));
	if (nws) {
		tp->ctl.worker_stats = stats_map(nws, harness_resident(nws));
		tp->ctl.n_worker_stats = tp->ctl.worker_stats ? nws : 0;
	}
	say_wait(tp, 'B', 'b');
	stats_fifths(cfg->rate_tps > 0 ? cfg->tasks : 0); /* open loop: the backlog test */
	tp->shm->model_rc = cfg->model->run(cfg, &tp->ctl, &tp->shm->stats);
	getrusage(RUSAGE_SELF, &tp->shm->self_ru);
	tp->shm->ran = 1;
	return 0;
}

static void trial_verdict(const struct run_cfg *cfg, int st, int mon_rc, struct trial_shared *shm,
			  const struct mon_state *m, struct trial_report *rep)
{
	if (mon_rc == -EINTR) {
		snprintf(rep->fail, sizeof(rep->fail), "interrupted by SIG%s: the trial was killed",
			 sigabbrev_np(proc_stop_sig()) ? sigabbrev_np(proc_stop_sig()) : "?");
	} else if (mon_rc == -ETIMEDOUT) {
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
	} else if (shm->model_rc < 0 && shm->why[0]) {
		snprintf(rep->fail, sizeof(rep->fail), "%s: set-up failed: %.*s", cfg->model->name,
			 (int)sizeof(shm->why) - 1, shm->why);
	} else if (shm->model_rc == -ECHILD) {
		snprintf(rep->fail, sizeof(rep->fail),
			 "%s: set-up failed: a worker process died before it was ready",
			 cfg->model->name);
	} else if (shm->model_rc < 0) {
		snprintf(rep->fail, sizeof(rep->fail), "%s: set-up failed: %s", cfg->model->name,
			 strerror(-shm->model_rc));
	}
}

/* Spawn the trial and measure it until it exits. 0 or -EIO as trial_run. */
static int trial_measure(struct run_cfg *cfg, struct trial_shared *shm, const uint64_t *release_off,
			 void *svc_state, struct tsrv *srv, struct trial_report *rep)
{
	int to_mon[2] = { -1, -1 }, from_mon[2] = { -1, -1 }, mon_rc, rc;
	struct proc_wait w = { .deadline_ns = 0 };
	struct proc_end end = { .status = 0 };
	uint64_t nws;
	struct mon_state m = { .rep = rep,
			       .interval = SAMPLE_MIN_MS,
			       .svc = cfg->workload->service,
			       .svc_state = svc_state,
			       .want = cfg->plateau_samples,
			       .in_flight = cfg->concurrency < cfg->tasks ? cfg->concurrency
									  : cfg->tasks,
			       .srv = srv,
			       .shm = shm };
	struct trial_child_args child;
	struct spawn sp;
	pid_t pid;

	trial_deadlines(cfg, rep->cpu_us_per_task, &m.setup_ms, &m.run_ms);
	nws = model_worker_stats(cfg->model, cfg);
	rep->harness_kib = (double)((harness_resident(nws) ? nws : 0) + 1) *
			   (double)sizeof(struct task_stats) / 1024;
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
	child.srv = srv;
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
	mon_rc = trial_monitor(&m, to_mon[0], from_mon[1]);
	/* one blocking wait4: the CPU time and context switches of the trial
	 * and of every child it reaped */
	w.ru = &rep->ru;
	proc_wait(pid, &w, &end);
	/* anything of the trial's group still alive: the monitor is their
	 * subreaper, so it reaps them itself and leaves no zombie behind */
	proc_reap_group(pid);
	tsrv_end(srv, mon_rc < 0 ? 0 : m.deadline_ns); /* a server's generator */
	trial_verdict(cfg, end.status, mon_rc, shm, &m, rep);
out:
	for (int i = 0; i < 2; i++) {
		if (to_mon[i] >= 0)
			close(to_mon[i]);
		if (from_mon[i] >= 0)
			close(from_mon[i]);
	}
	return rep->fail[0] ? -EIO : 0;
}

/* A stop signal came: say so; the caller stops what it started. */
static bool stopped(struct trial_report *rep)
{
	int sig = proc_stop_sig();

	if (!sig)
		return false;
	snprintf(rep->fail, sizeof(rep->fail), "interrupted by SIG%s",
		 sigabbrev_np(sig) ? sigabbrev_np(sig) : "?");
	return true;
}

int trial_run(struct run_cfg *cfg, struct trial_report *rep)
{
	const struct wl_service *svc = cfg->workload->service;
	struct trial_shared *shm;
	struct tsrv srv;
	void *svc_state = NULL;
	uint64_t *release_off = NULL;
	int ret = -EIO, rc;

	memset(rep, 0, sizeof(*rep));
	rep->cores = probe_cores();
	signal(SIGPIPE, SIG_IGN);
	/* no SA_RESTART: a wait sees EINTR. One ignored when the command
	 * started stays ignored (nohup's SIGHUP, a background job's SIGINT) */
	proc_stop_catch(PROC_STOP_KEEP_IGNORED, NULL);
	if (cfg->workload->does_cpu && cfg->model->cpu_cost) { /* another runtime's kernel */
		if (cfg->model->cpu_cost(cfg, &rep->cpu_us_per_task, rep->fail, sizeof(rep->fail)))
			return -EIO;
	} else {
		if (cfg->cpu_target_us)
			cfg->cpu_iters = cpu_calibrate(cfg->cpu_target_us);
		rep->cpu_us_per_task = cfg->workload->does_cpu ? cpu_measure_us(cfg->cpu_iters) : 0;
	}
	if (stopped(rep))
		return 1;
	if (svc) { /* the service says what it decided; the run's cfg is ours */
		struct wl_service_result res = { .target = false };

		if (svc->start(cfg, &res, &svc_state, rep->fail, sizeof(rep->fail)) < 0)
			return -EIO;
		wl_service_apply(cfg, &res);
	}
	if (stopped(rep))
		goto out_service;
	if (cfg->workload->does_io)
		rep->io_floor_us = request_cpu_us(cfg, svc_state);
	if (stopped(rep))
		goto out_service;
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
	/* the longest the wave is held: half the tasks' I/O timeout, so that
	 * holding it fails none */
	rep->hold_max_ns = cfg->timeout_us * 1000 / 2;
	if (cfg->server && (rc = tsrv_open(&srv, cfg, release_off)) < 0) {
		snprintf(rep->fail, sizeof(rep->fail), "the server's pipes: %s", strerror(-rc));
		tsrv_close(&srv);
		sched_free(cfg, release_off);
		goto out_shm;
	}
	ret = stopped(rep) ? 1
			   : trial_measure(cfg, shm, release_off, svc_state,
					   cfg->server ? &srv : NULL, rep);
	sched_free(cfg, release_off);
	if (ret == 0) {
		rep->stats = shm->stats;
		rep->self_ru = shm->self_ru;
		rep->t0_ns = shm->t0_ns;
	}
	if (cfg->server) {
		tsrv_report(&srv, &shm->stats, ret, rep);
		tsrv_close(&srv);
	}
out_shm:
	munmap(shm, sizeof(*shm));
out_service:
	if (svc)
		svc->stop(svc_state);
	return ret;
}
