/* ceiling.c - `cmbench ceiling`: for each model on each workload, the most
 * tasks it holds in flight at once on this machine, and the limit that
 * stops it. A search of probes, each one `cmbench run` with --tasks =
 * --concurrency = C and every task waiting long enough (a long
 * --io-latency, or the workload's own wait) that all C are held together:
 * C doubles from --from until a probe fails, the memory budget would be
 * passed, or --cap is reached; then C is bisected between the last clean
 * probe and the first failing one. Every probe is a row of DIR/ceiling.csv,
 * and each search ends with a `ceiling` row: the largest clean C, the first
 * failing one, the limit and the figures behind it (ceiling_limits.c).
 * The flags are ceiling_flags.c's, one probe ceiling_probe.c's; this file
 * is the search, the set it writes and the command. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "../../models/model.h"
#include "../../workloads/workload.h"
#include "ceiling.h"
#include "../set/cells.h"
#include "../../lib/cmdutil.h"
#include "../../lib/proc.h"
#include "../set/meta.h"
#include "../set/setio.h"

#define CEIL_BISECT_MAX 6 /* bisection probes at most */
#define CEIL_FIT_MAX 64	  /* clean probes of one search kept for the fit */
#define CEIL_HEADER                                                                                \
	"row,model,workload,concurrency,ok,pss_peak_kib,pss_base_kib,threads,processes,"           \
	"makespan_s,hold_s,first_fail,limit,detail,kib_per_task,slope_kib,kmem_kib,"               \
	"kmem_per_task_kib,sockets,kernel_kib,nofile_before,nofile_after,nproc_before,"            \
	"nproc_after,lift\n"

/* A limit for a csv cell: "inf" for none. */
static const char *lim_str(char *buf, size_t len, unsigned long long v)
{
	if (v == RLIMIT_LIFT_INF)
		snprintf(buf, len, "inf");
	else
		snprintf(buf, len, "%llu", v);
	return buf;
}

/* PSS per task above the base at C: the memory of one task held. */
static double per_task(const struct ceiling_probe *p)
{
	return p->concurrency ? (p->pss_kib - p->base_kib) / (double)p->concurrency : NAN;
}

/* A row; slope: the fit's KiB a task (NAN on a probe row). */
static int put_row(struct ceiling *cl, const char *row, const struct model_ops *m,
		   const struct workload_ops *w, const struct ceiling_probe *p,
		   unsigned long long first_fail, const struct ceiling_verdict *v, double slope)
{
	const struct ceiling_lifted *l = &cl->lifted;
	char line[2048], a[24], b[24], c[24], d[24];
	int len;

	len = snprintf(
		line, sizeof(line),
		"%s,%s,%s,%llu,%d,%.0f,%.0f,%llu,%llu,%.6g,%.6g,%llu,%s,%s,%.4g,%.4g,%.0f,%.4g,"
		"%.0f,%.0f,%s,%s,%s,%s,%s\n",
		row, m->name, w->name, p->concurrency, p->ok, p->pss_kib, p->base_kib, p->threads,
		p->processes, p->makespan_s, p->hold_s, first_fail, v ? v->limit : "",
		v ? v->detail : "", per_task(p), slope, p->kmem_kib, p->kmem_per_task_kib,
		p->sockets, p->kernel_kib, lim_str(a, sizeof(a), l->nofile.soft_before),
		lim_str(b, sizeof(b), l->nofile.soft_after),
		lim_str(c, sizeof(c), l->nproc.soft_before),
		lim_str(d, sizeof(d), l->nproc.soft_after), v ? v->lift : "");
	if (len <= 0 || len >= (int)sizeof(line))
		return -EOVERFLOW;
	return setio_append(cl->csv_fd, line, (size_t)len);
}

static void say_probe(const struct model_ops *m, const struct workload_ops *w,
		      const struct ceiling_probe *p, const struct ceiling_verdict *v)
{
	char a[32];

	if (p->ok)
		fprintf(stderr,
			"cmbench ceiling: %s on %s, C=%llu: ok, PSS %s, %llu threads, %llu "
			"processes\n",
			m->name, w->name, p->concurrency,
			ceiling_fmt_kib(a, sizeof(a), (unsigned long long)p->pss_kib), p->threads,
			p->processes);
	else
		fprintf(stderr, "cmbench ceiling: %s on %s, C=%llu: failed: %s (%s)%s%s\n", m->name,
			w->name, p->concurrency, v->limit, v->detail,
			v->lift[0] ? "; to lift it: " : "", v->lift);
}

/* The concurrency the budget allows, from the memory of a clean probe:
 * its PSS and the kernel's growth (ceiling_mem_kib) grow by the same
 * amount per task from the base. */
static unsigned long long budget_fit(const struct ceiling *cl, const struct ceiling_probe *ok)
{
	double per = (ceiling_mem_kib(ok) - ok->base_kib) / (double)ok->concurrency;
	double room = (double)cl->budget_kib * 0.95 - ok->base_kib;

	if (per <= 0)
		return cl->cap;
	return room > 0 ? (unsigned long long)(room / per) : 0;
}

/* One probe at C=c, held, classified when it failed, said and written
 * as a "probe" row. 0, -EINTR, or -errno. */
static int probe_step(struct ceiling *cl, const struct model_ops *m, const struct workload_ops *w,
		      unsigned long long c, struct ceiling_probe *p, struct ceiling_verdict *v)
{
	int rc = ceiling_probe_held(cl, m, w, c, p);

	if (rc)
		return rc;
	ceiling_limits_read(&cl->lim);
	if (!p->ok)
		ceiling_classify(p, &cl->lim, m, w, v);
	say_probe(m, w, p, v);
	return put_row(cl, "probe", m, w, p, 0, p->ok ? NULL : v, NAN);
}

/* The clean probes of one search: PSS above the base against C, for the
 * slope (the base holds the harness's per-slot stats, not the model's). */
struct fit {
	double c[CEIL_FIT_MAX], pss[CEIL_FIT_MAX];
	size_t n;
};

static void fit_add(struct fit *f, const struct ceiling_probe *p)
{
	if (f->n < CEIL_FIT_MAX) {
		f->c[f->n] = (double)p->concurrency;
		f->pss[f->n++] = p->pss_kib - p->base_kib;
	}
}

/* The least-squares slope of PSS (above the base) on C, KiB a task: what
 * one more task costs; NAN with fewer than two distinct C. */
static double fit_slope(const struct fit *f)
{
	double mc = 0, mp = 0, sxy = 0, sxx = 0;

	for (size_t i = 0; i < f->n; i++) {
		mc += f->c[i] / (double)f->n;
		mp += f->pss[i] / (double)f->n;
	}
	for (size_t i = 0; i < f->n; i++) {
		sxy += (f->c[i] - mc) * (f->pss[i] - mp);
		sxx += (f->c[i] - mc) * (f->c[i] - mc);
	}
	return sxx > 0 ? sxy / sxx : NAN;
}

/* The per-task part of the next holds, from the clean probe p: twice what
 * starting one task took (the makespan is the last task's start plus its
 * hold), and enough that the next probe, twice as big, is sampled CEIL_SEEN
 * times while its tasks are all held (the monitor's period grows with the
 * tree it reads: p's, makespan over samples, doubled); CEIL_START_US_MIN
 * at least. A model that starts its tasks fast, in a tree quick to read,
 * gets short probes (a million timers held for seconds, not a minute); one
 * that starts them slowly is held long enough to have them all at once. */
#define CEIL_SEEN 4
#define CEIL_START_US_MIN 5.0
static void learn_start(struct ceiling *cl, const struct ceiling_probe *p)
{
	double c = (double)p->concurrency, started_s = p->makespan_s - p->hold_s;
	double start_us = started_s > 0 ? 2e6 * started_s / c : 0;
	double period_s = p->makespan_s / (double)(p->samples > 0 ? p->samples : 1);
	double base_s = (double)(cl->hold_us ? cl->hold_us : CEIL_HOLD_US) / 1e6;
	double seen_us = (CEIL_SEEN * 2 * period_s - base_s) * 1e6 / (2 * c);
	double us = start_us > seen_us ? start_us : seen_us;

	cl->start_us = us > CEIL_START_US_MIN ? us : CEIL_START_US_MIN;
}

/* One search: double, then bisect. 0, -EINTR, or -errno when the set
 * cannot be written. */
static int search(struct ceiling *cl, const struct model_ops *m, const struct workload_ops *w)
{
	struct ceiling_probe p, best = { 0 };
	struct ceiling_verdict v = { "", "", "" }, fail_v = { "", "", "" };
	struct fit fit_pts = { .n = 0 };
	unsigned long long c = cl->from, fail_c = 0, fit;
	bool mem_stop = false;
	int rc, steps = 0;
	char a[32], b[32];

	cl->hold_mul = 1;
	cl->start_us = 0;
	for (;;) {
		if ((rc = probe_step(cl, m, w, c, &p, &v)))
			return rc;
		if (!p.ok) {
			fail_c = c;
			fail_v = v;
			break;
		}
		best = p;
		fit_add(&fit_pts, &p);
		learn_start(cl, &p);
		if (c >= cl->cap)
			break;
		fit = budget_fit(cl, &p);
		if (2 * c > fit) {
			/* the next doubling would pass the budget: probe what fits,
			 * or stop here if that is no more than this */
			if (fit <= c + c / 20) {
				mem_stop = true;
				fail_c = 2 * c < cl->cap ? 2 * c : cl->cap;
				break;
			}
			c = fit < cl->cap ? fit : cl->cap;
			continue;
		}
		c = 2 * c < cl->cap ? 2 * c : cl->cap;
	}
	/* bisect between the largest clean and the first failing probe */
	while (fail_c && !mem_stop && best.concurrency &&
	       fail_c - best.concurrency >
		       (best.concurrency / 20 > 1 ? best.concurrency / 20 : 1) &&
	       steps++ < CEIL_BISECT_MAX) {
		c = best.concurrency + (fail_c - best.concurrency) / 2;
		if ((rc = probe_step(cl, m, w, c, &p, &v)))
			return rc;
		if (p.ok) {
			best = p;
			fit_add(&fit_pts, &p);
		} else {
			fail_c = c;
			fail_v = v;
		}
	}
	if (mem_stop) {
		snprintf(fail_v.limit, sizeof(fail_v.limit), "memory");
		snprintf(fail_v.detail, sizeof(fail_v.detail),
			 "the budget %s: C=%llu would need about %.0f MiB (PSS and the kernel's "
			 "growth)",
			 ceiling_fmt_kib(a, sizeof(a), cl->budget_kib), fail_c,
			 (best.base_kib + (ceiling_mem_kib(&best) - best.base_kib) *
						  (double)fail_c / (double)best.concurrency) /
				 1024.0);
		ceiling_clean(fail_v.detail);
		snprintf(fail_v.lift, sizeof(fail_v.lift), "--mem-budget up to the machine's %s",
			 ceiling_fmt_kib(a, sizeof(a), cl->lim.mem_total_kib));
		ceiling_clean(fail_v.lift);
	} else if (!fail_c) {
		snprintf(fail_v.limit, sizeof(fail_v.limit), "cap");
		snprintf(fail_v.detail, sizeof(fail_v.detail), "no limit reached up to --cap %llu",
			 cl->cap);
		snprintf(fail_v.lift, sizeof(fail_v.lift), "--cap N higher");
	}
	if (!best.concurrency) {
		best = p; /* the first probe failed: its figures, C 0 held */
		best.concurrency = 0;
		cl->failed_first++;
		cmd_say("ceiling", "%s on %s failed at its first probe (C=%llu): %s: %s", m->name,
			w->name, fail_c, fail_v.limit, fail_v.detail);
	} else {
		fprintf(stderr,
			"cmbench ceiling: %s on %s holds %llu tasks (PSS %s, %.3g KiB a task, "
			"%.3g KiB a task by the fit; kernel %s); %s%llu: %s (%s)%s%s\n",
			m->name, w->name, best.concurrency,
			ceiling_fmt_kib(a, sizeof(a), (unsigned long long)best.pss_kib),
			per_task(&best), fit_slope(&fit_pts),
			ceiling_fmt_kib(b, sizeof(b), (unsigned long long)best.kmem_kib),
			fail_c ? "first failing C=" : "cap ", fail_c ? fail_c : cl->cap,
			fail_v.limit, fail_v.detail, fail_v.lift[0] ? "; to lift it: " : "",
			fail_v.lift);
	}
	return put_row(cl, "ceiling", m, w, &best, fail_c, &fail_v, fit_slope(&fit_pts));
}

/* Whether DIR/ceiling.csv already ends a search of m on w (a resume). */
static bool searched(const char *path, const struct model_ops *m, const struct workload_ops *w)
{
	struct cells_csv t;
	int cr, cm, cw;
	bool found = false;

	if (cells_csv_read(path, &t) != 0)
		return false;
	cr = cells_csv_col(&t, "row");
	cm = cells_csv_col(&t, "model");
	cw = cells_csv_col(&t, "workload");
	for (size_t i = 0; cr >= 0 && cm >= 0 && cw >= 0 && i < t.nrows && !found; i++)
		found = strcmp(t.rows[i][cr], "ceiling") == 0 &&
			strcmp(t.rows[i][cm], m->name) == 0 && strcmp(t.rows[i][cw], w->name) == 0;
	cells_csv_free(&t);
	return found;
}

/* Whether path's first line is this cmbench's header (a resume appends
 * rows of these columns). */
static bool header_current(const char *path)
{
	char line[1024] = "";
	FILE *f = fopen(path, "re");
	bool same;

	if (!f)
		return false;
	same = fgets(line, sizeof(line), f) && strcmp(line, CEIL_HEADER) == 0;
	fclose(f);
	return same;
}

/* The set: -o DIR (made if need be) or a new results/<time>-ceiling;
 * locked; ceiling.csv opened for appending, its header written once. */
static int open_set(struct ceiling *cl, char *path, size_t len)
{
	char utc[32];
	int rc;

	if (cl->out_arg) {
		if (!setio_path_safe(cl->out_arg)) {
			cmd_say("ceiling", "-o: '%s' holds a quote, backquote, backslash or $",
				cl->out_arg);
			return -CMD_EUSAGE;
		}
		snprintf(cl->dir, sizeof(cl->dir), "%s", cl->out_arg);
	} else {
		meta_utc_now(utc, sizeof(utc));
		snprintf(cl->dir, sizeof(cl->dir), "results/%.4s%.2s%.2s-%.2s%.2s%.2s-ceiling", utc,
			 utc + 5, utc + 8, utc + 11, utc + 14, utc + 17);
	}
	if ((rc = setio_mkdir_p(cl->dir))) {
		cmd_say("ceiling", "cannot make %s: %s", cl->dir, strerror(-rc));
		return rc;
	}
	cl->lock_fd = setio_lock(cl->dir);
	if (cl->lock_fd < 0) {
		cmd_say("ceiling", "%s is in use by another sweep, merge or ceiling (%s/.lock)",
			cl->dir, cl->dir);
		return -CMD_EUSAGE;
	}
	setio_path(path, len, cl->dir, "ceiling.csv");
	setio_repair_tail(path, &(size_t){ 0 });
	cl->csv_fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (cl->csv_fd < 0) {
		cmd_say("ceiling", "cannot open %s: %s", path, strerror(errno));
		return -errno;
	}
	if (setio_nonempty(path) && !header_current(path)) {
		cmd_say("ceiling",
			"%s has the columns of an older cmbench: move it away to start "
			"again",
			path);
		return -CMD_EUSAGE;
	}
	if (!setio_nonempty(path) &&
	    (rc = setio_append(cl->csv_fd, CEIL_HEADER, strlen(CEIL_HEADER)))) {
		cmd_say("ceiling", "cannot write %s: %s", path, strerror(-rc));
		return rc;
	}
	return 0;
}

/* A set of its own gets a meta.json, so plots and merge know the host. */
static void write_meta(const struct ceiling *cl)
{
	char path[1100];
	struct meta m;

	/* an empty cells table, so plots draws a set of the ceiling alone */
	setio_path(path, sizeof(path), cl->dir, "cells.csv");
	if (!setio_nonempty(path))
		cells_write(path, NULL, 0);
	setio_path(path, sizeof(path), cl->dir, "meta.json");
	if (setio_nonempty(path))
		return;
	memset(&m, 0, sizeof(m));
	meta_probe(&m);
	meta_utc_now(m.start_utc, sizeof(m.start_utc));
	snprintf(m.spec_name, sizeof(m.spec_name), "ceiling");
	snprintf(m.shard, sizeof(m.shard), "1/1");
	snprintf(m.cmbench, sizeof(m.cmbench), "%s", cl->cmbench);
	meta_write(path, &m);
}

static int run_all(struct ceiling *cl)
{
	char path[1100], a[32];
	int rc = 0;

	if ((rc = open_set(cl, path, sizeof(path))))
		return rc;
	write_meta(cl);
	if (cl->keep_limits) {
		cmd_say("ceiling",
			"--keep-limits: RLIMIT_NOFILE and RLIMIT_NPROC left as they are");
		rlimit_lift(RLIMIT_NOFILE, "RLIMIT_NOFILE", 0, &cl->lifted.nofile);
		rlimit_lift(RLIMIT_NPROC, "RLIMIT_NPROC", 0, &cl->lifted.nproc);
	} else {
		ceiling_raise_limits(&cl->lifted);
	}
	ceiling_limits_read(&cl->lim);
	cmd_say("ceiling",
		"%zu models x %zu workloads, C from %llu doubling to %llu at most, memory budget "
		"%s; "
		"into %s",
		cl->nmodels, cl->nwls, cl->from, cl->cap,
		ceiling_fmt_kib(a, sizeof(a), cl->budget_kib), path);
	for (size_t i = 0; i < cl->nwls && rc == 0 && !proc_stop_sig(); i++)
		for (size_t k = 0; k < cl->nmodels && rc == 0 && !proc_stop_sig(); k++) {
			if (searched(path, cl->models[k], cl->wls[i])) {
				cmd_say("ceiling", "%s on %s: already in %s", cl->models[k]->name,
					cl->wls[i]->name, path);
				continue;
			}
			rc = search(cl, cl->models[k], cl->wls[i]);
		}
	if (rc == -EINTR || proc_stop_sig()) {
		cmd_say("ceiling", "stopped; the finished searches are kept in %s", path);
		return -EINTR;
	}
	if (rc) {
		cmd_say("ceiling", "cannot write %s: %s", path, strerror(-rc));
		return rc;
	}
	return cl->failed_first ? -CMD_EFAILED : 0;
}

int ceiling_main(int argc, char **argv)
{
	struct ceiling cl = { .cap = CEIL_CAP, .from = CEIL_FROM, .csv_fd = -1, .lock_fd = -1 };
	int rc;

	ceiling_limits_read(&cl.lim);
	rc = ceiling_parse_args(&cl, argc, argv);
	if (rc == 1)
		return 0;
	if (rc)
		return cmd_exit(rc);
	rc = self_exe(cl.cmbench, sizeof(cl.cmbench));
	if (rc) {
		cmd_say("ceiling", "cannot find its own binary: %s", strerror(-rc));
		return 1;
	}
	proc_stop_catch(0, NULL);
	rc = run_all(&cl);
	if (cl.csv_fd >= 0)
		close(cl.csv_fd);
	if (cl.lock_fd >= 0)
		close(cl.lock_fd);
	if (rc == -EINTR)
		return 128 + (proc_stop_sig() ? proc_stop_sig() : SIGINT);
	return cmd_exit(rc);
}
