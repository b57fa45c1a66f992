/* trial_server.h - the server side of a trial (--side server, see
 * docs/servers.md). The trial process runs the server model (its tree is
 * measured as a model's is); once it is ready the monitor starts the load
 * generator (models/servers/loadgen.c) in a process of its own, in its own
 * group and outside the measured tree, pinned to --client-cpus; when the
 * generator has sent its schedule and every answer is in, the monitor
 * closes the server's stop pipe and the server ends. */
#ifndef CMB_TRIAL_SERVER_H
#define CMB_TRIAL_SERVER_H

#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "../lib/config.h"
#include "../models/servers/loadgen.h"
#include "../models/model.h"
#include "trial.h"

struct tsrv {
	const struct run_cfg *cfg;
	const uint64_t *release_off;
	struct loadgen_out *out; /* shared with the generator */
	int stop[2];		 /* the server's stop pipe: [0] is its ctl->stop_fd */
	int done[2];		 /* EOF on [0] once the generator is gone */
	pid_t pid;		 /* the generator, or 0 */
	int status;		 /* its wait status, once reaped */
	struct rusage ru;	 /* its CPU and context switches */
	int reaped;
};

/* Before the trial is spawned: 0 or -errno. */
int tsrv_open(struct tsrv *t, const struct run_cfg *cfg, const uint64_t *release_off);
/* In the trial process: keep only the server's end of the stop pipe (its
 * ctl->stop_fd), no schedule (the generator's), pinned to --server-cpus.
 * 0 or -errno. */
int tsrv_in_trial(struct tsrv *t, struct trial_ctl *ctl);
/* The server listens on port: start the generator. 0 or -errno. */
int tsrv_start(struct tsrv *t, int port);
/* The fd that reads EOF once the generator is gone, or -1. */
int tsrv_done_fd(const struct tsrv *t);
/* The generator is gone (or must not run): tell the server to stop. */
void tsrv_stop_server(struct tsrv *t);
/* Ctrl-C, or the trial's deadline: kill the generator's group (t may be
 * NULL: a client side's trial). */
void tsrv_kill(struct tsrv *t);
/* Reap the generator, killing it past deadline_ns (0: now). */
void tsrv_reap(struct tsrv *t, uint64_t deadline_ns);
/* The trial is over: the server is told to stop (it may have died early:
 * the generator then ends its schedule, failing fast) and the generator is
 * reaped by deadline_ns. t may be NULL. */
void tsrv_end(struct tsrv *t, uint64_t deadline_ns);
/* Into rep: the generator's requests as the row's (stats, t0, send lag,
 * its rusage, the connections it held), the server's own records (served)
 * for the self-check; a failed run's line says what the load saw. */
void tsrv_report(struct tsrv *t, const struct task_stats *served, int ret,
		 struct trial_report *rep);
void tsrv_close(struct tsrv *t);

#endif
