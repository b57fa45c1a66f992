/* trial_int.h - what trial.c (the trial process, the run) and
 * trial_monitor.c (the monitor: sampling, the wave hold, the handshake's
 * answers) share; internal to harness/trial*.c. */
#ifndef CMB_TRIAL_INT_H
#define CMB_TRIAL_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "trial.h"

#define SAMPLE_MIN_MS 10

struct wl_service;
struct tsrv;

/* The trial's shared memory: what it hands back to the monitor. */
struct trial_shared {
	struct task_stats stats; /* the model's merged result */
	struct rusage self_ru;	 /* the trial process's own, once model->run returned */
	uint64_t t0_ns;		 /* set by the go of the handshake */
	int model_rc;		 /* what model->run returned */
	int ran;		 /* model->run returned at all */
	int port;		 /* a server model's, at go */
	char why[256];		 /* a failed set-up in the model's words, or "" */
};

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
	/* --plateau-samples: the wave is held (the service's answers are)
	 * from go until the tasks are all in flight and that many samples
	 * were taken of them, or until hold_until_ns */
	const struct wl_service *svc;
	void *svc_state;
	uint64_t want;		/* samples wanted in the plateau; 0: no hold */
	uint64_t in_flight;	/* tasks in flight at the plateau: min(C, N) */
	bool holding, plateau;	/* answers held; the plateau reached */
	uint64_t hold_until_ns; /* when the hold gives up */
	struct tsrv *srv;	/* --side server: the generator, or NULL */
	struct trial_shared *shm;
};

/* Answer the trial (from_trial, to_trial: the monitor's ends of the pipes)
 * and sample its tree until it closes its pipe, with the stop signals
 * blocked but in the wait. 0; -ETIMEDOUT when it ran past its deadline,
 * -EINTR on a stop signal (it is then killed, and the wave's hold, if any,
 * ended). */
int trial_monitor(struct mon_state *m, int from_trial, int to_trial);

#endif
