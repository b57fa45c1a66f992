/* trial.h - one measured trial: the monitor and the trial process.
 *
 * The trial runs in a child process of `cmbench run` (in its own process
 * group); the parent (the monitor) samples the trial's process tree and
 * never runs a task. The model gets the handshake (struct trial_ctl of
 * models/model.h) passed in: nothing is timed before every worker is
 * ready; the model calls ctl->go() once its workers and connections exist,
 * the monitor takes its "ready" sample, and only then is the clock
 * started. The monitor kills the trial's group if it runs past a deadline
 * derived from the run's parameters. */
#ifndef CMB_TRIAL_H
#define CMB_TRIAL_H

#include <stdint.h>
#include <sys/resource.h>

#include "../lib/config.h"
#include "../lib/probe.h"
#include "../lib/stats.h"

/* Everything one trial measured, as the monitor saw it. */
struct trial_report {
	struct task_stats stats;   /* merged over every worker */
	uint64_t t0_ns;		   /* release of every task (clock start) */
	double cpu_us_per_task;	   /* single-core time of the cpu part */
	double io_floor_us;	   /* client + server CPU of one request at zero latency */
	struct rusage ru;	   /* the trial process and every child it reaped */
	struct rusage self_ru;	   /* the trial process alone, when the model returned */
	struct probe_sample base;  /* the tree before the model made its workers */
	struct probe_sample peak;  /* the largest of each figure while running */
	uint64_t setup_ns;	   /* base sample to workers ready: creating them */
	uint64_t samples;	   /* memory samples taken, go to end */
	uint64_t plateau_samples;  /* --plateau-samples: samples of the whole wave, held */
	uint64_t hold_max_ns;	   /* --plateau-samples: the longest the wave is held */
	double harness_kib;	   /* the harness's own memory in the tree, resident at base */
	long long kernel_base_kib; /* system-wide kernel memory at base (probe_kernel_kib) */
	long long kernel_peak_kib; /* its largest from base to end; -1: unreadable */
	double monitor_cpu_s;	   /* CPU the monitor spent sampling, go to end */
	uint64_t sock_next_ns;	   /* a sample from then reads the tree's sockets too */
	int cores;		   /* usable CPUs */
	/* --side server: the server model's own records of what it answered
	 * (stats above are the load generator's), the generator's send lag,
	 * its CPU and context switches (never the server's) */
	struct task_stats served;
	struct hist send_lag;
	struct rusage gen_ru;
	uint64_t held;	/* --hold-connections: the idle ones the generator opened */
	char fail[512]; /* why the trial could not run, or "" */
};

/* Run one trial of cfg (monitor side): start the workload's service (the
 * latency server, ...), spawn the trial, measure it, stop the service. 0 when
 * the trial ran (task errors are in the report), -EIO when it could not
 * (the reason is in rep->fail); `cmbench run` makes that exit status 1. */
int trial_run(struct run_cfg *cfg, struct trial_report *rep);
/* The signal (SIGINT, SIGTERM or SIGHUP) that stopped the last trial_run,
 * or 0. trial_run catches them: it kills the trial's process group, reaps
 * every child, stops the service and returns 1; the command then exits
 * 128 + the signal. */
int trial_stopped(void);

#endif
