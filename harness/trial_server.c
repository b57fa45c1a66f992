/* trial_server.c - the server side of a trial (see trial_server.h).
 *
 *   cmbench run (monitor) --fork--> latency server     (not measured)
 *                         --fork--> trial: server model (measured)
 *                         --fork--> load generator      (not measured; at 'R')
 */
#define _GNU_SOURCE
#include "trial_server.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../lib/clock.h"
#include "../lib/cpus.h"
#include "../lib/proc.h"
#include "../lib/spawn.h"

int tsrv_open(struct tsrv *t, const struct run_cfg *cfg, const uint64_t *release_off)
{
	memset(t, 0, sizeof(*t));
	t->cfg = cfg;
	t->release_off = release_off;
	t->stop[0] = t->stop[1] = t->done[0] = t->done[1] = -1;
	t->out = mmap(NULL, sizeof(*t->out), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1,
		      0);
	if (t->out == MAP_FAILED) {
		t->out = NULL;
		return -errno;
	}
	return pipe2(t->stop, O_CLOEXEC) < 0 ? -errno : 0;
}

int tsrv_in_trial(struct tsrv *t, struct trial_ctl *ctl)
{
	close(t->stop[1]);
	t->stop[1] = -1;
	ctl->stop_fd = t->stop[0];
	ctl->release_off = NULL;
	return cpus_pin(t->cfg->server_cpus);
}

struct gen_arg {
	struct tsrv *t;
	int port;
};

/* The generator's process: fd 3 is the write end of the done pipe. */
static int gen_child(void *p)
{
	struct gen_arg *a = p;
	struct tsrv *t = a->t;

	if (cpus_pin(t->cfg->client_cpus) < 0)
		return 4;
	return loadgen_run(t->cfg, a->port, false, t->release_off, t->out) == 0 ? 0 : 4;
}

int tsrv_start(struct tsrv *t, int port)
{
	struct gen_arg a = { .t = t, .port = port };
	struct spawn sp;
	int rc;

	if (pipe2(t->done, O_CLOEXEC) < 0)
		return -errno;
	spawn_init(&sp);
	sp.close_others = true; /* above all the server's stop pipe */
	spawn_dup(&sp, 3, t->done[1]);
	sp.group = true;
	sp.death_sig = SIGKILL;
	rc = spawn_fn(&sp, gen_child, &a, &t->pid);
	close(t->done[1]);
	t->done[1] = -1;
	if (rc < 0)
		t->pid = 0;
	return rc;
}

int tsrv_done_fd(const struct tsrv *t)
{
	return t->pid > 0 ? t->done[0] : -1;
}

void tsrv_stop_server(struct tsrv *t)
{
	if (t->stop[1] >= 0)
		close(t->stop[1]);
	t->stop[1] = -1;
}

void tsrv_kill(struct tsrv *t)
{
	if (t && t->pid > 0 && !t->reaped) {
		kill(-t->pid, SIGKILL);
		kill(t->pid, SIGKILL);
	}
}

void tsrv_reap(struct tsrv *t, uint64_t deadline_ns)
{
	/* SIGKILL to its group past the deadline (now, with 0) */
	struct proc_wait w = { .deadline_ns = deadline_ns ? deadline_ns : 1,
			       .group = true,
			       .sweep = true,
			       .ru = &t->ru };
	struct proc_end e;

	if (t->pid <= 0 || t->reaped)
		return;
	proc_wait(t->pid, &w, &e);
	t->status = e.status;
	t->reaped = 1;
}

void tsrv_end(struct tsrv *t, uint64_t deadline_ns)
{
	if (!t)
		return;
	tsrv_stop_server(t);
	tsrv_reap(t, deadline_ns);
}

void tsrv_report(struct tsrv *t, const struct task_stats *served, int ret, struct trial_report *rep)
{
	const struct task_stats *g = &t->out->stats;
	size_t n = strlen(rep->fail);

	rep->served = *served;
	rep->stats = *g;
	rep->send_lag = t->out->lag;
	rep->gen_ru = t->ru;
	rep->held = t->out->held;
	rep->t0_ns = t->out->t0_ns;
	if (ret != 0 && n && t->pid > 0)
		snprintf(rep->fail + n, sizeof(rep->fail) - n,
			 "; the load generator saw %llu of %llu requests fail",
			 (unsigned long long)(stats_errors(g) + (t->cfg->tasks - g->completed)),
			 (unsigned long long)t->cfg->tasks);
}

void tsrv_close(struct tsrv *t)
{
	tsrv_kill(t);
	tsrv_reap(t, 0);
	for (int i = 0; i < 2; i++) {
		if (t->stop[i] >= 0)
			close(t->stop[i]);
		if (t->done[i] >= 0)
			close(t->done[i]);
	}
	if (t->out)
		munmap(t->out, sizeof(*t->out));
	t->out = NULL;
}
