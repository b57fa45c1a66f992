/* ceiling_probe.c - one probe of `cmbench ceiling`: a `cmbench run` child
 * with --tasks = --concurrency = C and every task held by a long wait, in
 * its own process group with a deadline (SIGTERM to the group, SIGKILL
 * after a grace), its output kept and its csv row read; probed again with a
 * longer hold while its tasks were not all in flight at once. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../models/model.h"
#include "../../workloads/workload.h"
#include "ceiling.h"
#include "../set/cells.h"
#include "../../lib/clock.h"
#include "../../lib/proc.h"
#include "../../lib/spawn.h"
#include "../cli.h"
#include "../set/setio.h"

#define CEIL_FD_RESERVE 64 /* a process's fds that are not connections (cli.c's) */

/* The hold of a probe at C: every task waits this long. */
static unsigned long long hold_us(const struct ceiling *cl, unsigned long long c)
{
	double per = cl->start_us > 0 ? cl->start_us : CEIL_HOLD_PER_TASK_US;

	return ((cl->hold_us ? cl->hold_us : CEIL_HOLD_US) +
		(unsigned long long)((double)c * per)) *
	       (cl->hold_mul ? cl->hold_mul : 1);
}

static double deadline_s(const struct ceiling *cl, unsigned long long c)
{
	if (cl->probe_timeout_us)
		return (double)cl->probe_timeout_us / 1e6;
	return 60.0 + 4.0 * (double)hold_us(cl, c) / 1e6;
}

/* Run argv in its own process group, stdout to out, stderr to err, until
 * it exits or the deadline (then SIGTERM to its group, SIGKILL 5 s later;
 * a stop signal does the same); p's exit fields. -EINTR on a stop signal. */
static int spawn_wait(char **argv, const char *out, const char *err, struct ceiling_probe *p)
{
	struct proc_wait w = { .deadline_ns = clock_now_ns() + (uint64_t)(p->deadline_s * 1e9),
			       .grace_ms = 5000,
			       .group = true,
			       .sweep = true, /* anything of its group left behind */
			       .stop = PROC_STOP_TERM };
	struct proc_end e = { .code = -1 };
	struct spawn sp;
	pid_t pid;
	int rc;

	spawn_init(&sp);
	sp.group = true;
	sp.death_sig = SIGKILL;
	rc = spawn_to_files(&sp, argv, out, err, &pid);
	if (rc)
		return rc;
	proc_wait(pid, &w, &e);
	p->timed_out = e.timed_out;
	p->exit_code = e.code;
	p->signal = e.sig;
	return proc_stop_sig() ? -EINTR : 0;
}

/* What the probe printed, stderr first, into p->output. */
static void keep_output(struct ceiling_probe *p, const char *err, const char *out)
{
	char *e = NULL, *o = NULL;

	setio_slurp(err, &e);
	setio_slurp(out, &o);
	snprintf(p->output, sizeof(p->output), "%s%s", e ? e : "", o ? o : "");
	free(e);
	free(o);
}

static double col(const struct cells_csv *t, const char *name)
{
	int c = cells_csv_col(t, name);

	return c >= 0 && t->nrows == 1 ? strtod(t->rows[0][c], NULL) : 0;
}

/* The figures of the probe's csv row. */
static void read_row(struct ceiling_probe *p, const char *out)
{
	struct cells_csv t;

	if (cells_csv_read(out, &t) != 0)
		return;
	p->pss_kib = col(&t, "pss_peak_kib");
	p->base_kib = col(&t, "pss_base_kib");
	p->makespan_s = col(&t, "makespan_s");
	p->threads = (unsigned long long)col(&t, "threads");
	p->processes = (unsigned long long)col(&t, "processes");
	p->samples = (unsigned long long)col(&t, "samples");
	p->errors_connect = (unsigned long long)col(&t, "errors_connect");
	p->errors_timeout = (unsigned long long)col(&t, "errors_timeout");
	p->errors_worker = (unsigned long long)col(&t, "errors_worker");
	p->kernel_kib = col(&t, "kernel_kib");
	if (!(p->kernel_kib > 0)) /* nan: unreadable */
		p->kernel_kib = 0;
	p->kmem_kib = col(&t, "pte_kib") + col(&t, "kstack_kib") + col(&t, "sock_kib");
	p->kmem_per_task_kib = col(&t, "kmem_per_task_kib");
	p->sockets = col(&t, "sockets");
	cells_csv_free(&t);
}

/* A loop per worker process holds its share of the connections in its own
 * fds: on io, enough workers that each share stays under the open-file
 * limit, when the default's would not (into buf; false: the default). */
static bool prefork_workers(const struct ceiling *cl, const struct model_ops *m,
			    const struct workload_ops *w, unsigned long long c, char *buf,
			    size_t len)
{
	struct run_cfg d;
	unsigned long long per, need;

	if (!w->does_io || m->kind != MODEL_KIND_LOOP || m->wstats != MODEL_WSTATS_WORKERS ||
	    cl->lim.nofile <= 2 * CEIL_FD_RESERVE)
		return false;
	cli_run_defaults(&d);
	per = cl->lim.nofile - 2 * CEIL_FD_RESERVE;
	need = (c + per - 1) / per;
	if (need <= d.workers)
		return false;
	snprintf(buf, len, "%llu", need);
	return true;
}

/* One probe of model m on workload w at concurrency c. */
static int probe(struct ceiling *cl, const struct model_ops *m, const struct workload_ops *w,
		 unsigned long long c, struct ceiling_probe *p)
{
	char cs[32], hold[32], tmo[32], flag[64], out[1200], err[1200], wk[32];
	char *argv[28];
	int n = 0, rc;

	memset(p, 0, sizeof(*p));
	p->concurrency = c;
	p->deadline_s = deadline_s(cl, c);
	p->budget_kib = (double)cl->budget_kib;
	p->hold_s = (double)hold_us(cl, c) / 1e6;
	/* the C client spreads past 20,000 (workloads/http_client.c); the
	 * programs connect from one address */
	p->spread = w->does_io && c > 20000 && !m->foreign;
	p->oom_known = ceiling_oom_kills(&p->oom_before);
	snprintf(cs, sizeof(cs), "%llu", c);
	snprintf(hold, sizeof(hold), "%lluus", hold_us(cl, c));
	/* the I/O deadline is past the hold; a timer wait has no I/O */
	snprintf(tmo, sizeof(tmo), "%lluus",
		 w->does_io ? 2 * hold_us(cl, c) + 30000000ull : 1000000ull);
	argv[n++] = cl->cmbench;
	argv[n++] = "run";
	argv[n++] = "--model";
	argv[n++] = (char *)m->name;
	argv[n++] = "--workload";
	argv[n++] = (char *)w->name;
	argv[n++] = "--tasks";
	argv[n++] = cs;
	argv[n++] = "--concurrency";
	argv[n++] = cs;
	if (w->does_io) {
		argv[n++] = "--io-latency";
		argv[n++] = hold;
	} else {
		snprintf(flag, sizeof(flag), "--%s", w->hold_flag);
		argv[n++] = flag;
		argv[n++] = hold;
	}
	if (prefork_workers(cl, m, w, c, wk, sizeof(wk))) {
		argv[n++] = "--workers";
		argv[n++] = wk;
	}
	argv[n++] = "--timeout";
	argv[n++] = tmo;
	argv[n++] = "--format";
	argv[n++] = "csv";
	argv[n] = NULL;
	snprintf(out, sizeof(out), "%s/.ceiling.%d.out", cl->dir, (int)getpid());
	snprintf(err, sizeof(err), "%s/.ceiling.%d.err", cl->dir, (int)getpid());
	rc = spawn_wait(argv, out, err, p);
	keep_output(p, err, out);
	read_row(p, out);
	unlink(out);
	unlink(err);
	if (rc)
		return rc;
	p->ok = !p->timed_out && p->exit_code == 0 && p->pss_kib > 0 &&
		ceiling_mem_kib(p) <= p->budget_kib;
	return 0;
}

/* A clean probe whose tasks were not all in flight at once: the last one
 * started after the first one ended, since the makespan (the start of the
 * last task plus its hold) is twice the hold or more. Starting C tasks took
 * longer than holding them, so the figure is not "tasks held together". */
static bool held_short(const struct ceiling_probe *p)
{
	return p->ok && p->makespan_s >= 2 * p->hold_s;
}

/* One probe, again with a longer hold (4x, twice at most) while its tasks
 * were not all held at once; then it is a failure of time. */
int ceiling_probe_held(struct ceiling *cl, const struct model_ops *m, const struct workload_ops *w,
		       unsigned long long c, struct ceiling_probe *p)
{
	int rc, tries = 0;

	while ((rc = probe(cl, m, w, c, p)) == 0 && held_short(p) && tries++ < 2) {
		fprintf(stderr,
			"cmbench ceiling: %s on %s, C=%llu: not all held at once (makespan %.2f s, "
			"hold %.2f s); again with a hold of %.1f s\n",
			m->name, w->name, c, p->makespan_s, p->hold_s, 4 * p->hold_s);
		cl->hold_mul = (cl->hold_mul ? cl->hold_mul : 1) * 4;
	}
	if (rc == 0 && held_short(p)) {
		p->ok = false;
		p->timed_out = false;
		p->short_hold = true;
	}
	return rc;
}
