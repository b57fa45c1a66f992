/* ceiling.c - `cmbench ceiling`: for each model on each workload, the most
 * tasks it holds in flight at once on this machine, and the limit that
 * stops it. A search of probes, each one `cmbench run` with --tasks =
 * --concurrency = C and every task waiting long enough (a long
 * --io-latency, or the workload's own wait) that all C are held together:
 * C doubles from --from until a probe fails, the memory budget would be
 * passed, or --cap is reached; then C is bisected between the last clean
 * probe and the first failing one. Every probe is a row of DIR/ceiling.csv,
 * and each search ends with a `ceiling` row: the largest clean C, the first
 * failing one, the limit and the figures behind it (ceiling_limits.c). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../../models/model.h"
#include "../../workloads/workload.h"
#include "../cli.h"
#include "ceiling.h"
#include "cells.h"
#include "../../lib/cmdutil.h"
#include "../../lib/clock.h"
#include "../../lib/proc.h"
#include "../../lib/spawn.h"
#include "meta.h"
#include "setio.h"
#include "sweep.h"

#define CEIL_CAP 100000		 /* --cap: the largest C tried */
#define CEIL_FROM 64		 /* --from: the first probe */
#define CEIL_HOLD_US 2000000	 /* --hold: how long every task waits */
#define CEIL_HOLD_PER_TASK_US 50 /* more hold per task: creating C tasks takes time */
#define CEIL_BISECT_MAX 6	 /* bisection probes at most */
#define CEIL_MODELS_MAX 32
#define CEIL_HEADER                                                                                \
	"row,model,workload,concurrency,ok,pss_peak_kib,pss_base_kib,threads,processes,"           \
	"makespan_s,hold_s,first_fail,limit,detail\n"

struct ceiling {
	const char *out_arg;
	char dir[1024];
	char cmbench[1024];
	const struct model_ops *models[CEIL_MODELS_MAX];
	size_t nmodels;
	const struct workload_ops *wls[CEIL_MODELS_MAX];
	size_t nwls;
	unsigned long long cap, from, budget_kib;
	unsigned long long hold_us, probe_timeout_us; /* 0: automatic */
	struct ceiling_limits lim;
	unsigned hold_mul; /* the hold is longer for a search whose tasks were not all
			    * in flight at once (starting them took longer) */
	int csv_fd, lock_fd;
	unsigned failed_first; /* searches that failed at their first probe */
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: cmbench ceiling [-o DIR] [--models M,M] [--workloads W,W] [--mem-budget "
		"SIZE]\n"
		"                       [--cap N] [--from N] [--hold D] [--probe-timeout D]\n"
		"  -o DIR            the result set to add ceiling.csv to (default "
		"results/<UTC time>-ceiling)\n"
		"  --models LIST     comma-separated (default: every model that holds more than "
		"one "
		"task, C's own)\n"
		"  --workloads LIST  comma-separated workloads that can wait (default: the plain "
		"io "
		"and the timer-only wait)\n"
		"  --mem-budget SIZE the most memory a probe may use, like 4G or 512M (default: "
		"half "
		"of the machine's)\n"
		"  --cap N           the largest concurrency tried (default %d)\n"
		"  --from N          the first probe's concurrency (default %d)\n"
		"  --hold D          how long each task waits (default 2s, plus %d us a task)\n"
		"  --probe-timeout D one probe's deadline (default 60s plus 4 x the hold)\n",
		CEIL_CAP, CEIL_FROM, CEIL_HOLD_PER_TASK_US);
}

/* SIZE: a whole number with K, M, G or T (KiB ... TiB; "iB" may follow). */
static int parse_size_kib(const char *s, unsigned long long *kib)
{
	char *e;
	unsigned long long v;
	double mul;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &e, 10);
	if (errno)
		return -EINVAL;
	switch (*e) {
	case 'K':
		mul = 1;
		break;
	case 'M':
		mul = 1024;
		break;
	case 'G':
		mul = 1024.0 * 1024;
		break;
	case 'T':
		mul = 1024.0 * 1024 * 1024;
		break;
	default:
		return -EINVAL;
	}
	e++;
	if (*e && strcmp(e, "iB") != 0 && strcmp(e, "B") != 0)
		return -EINVAL;
	if ((double)v * mul > 1e15 || v == 0)
		return -EINVAL;
	*kib = (unsigned long long)((double)v * mul);
	return 0;
}

/* A comma-separated list of names through find() into out. */
static int parse_list(const char *flag, const char *s, const void **out, size_t *n,
		      const void *(*find)(const char *))
{
	char buf[1024], *save = NULL, *tok;

	snprintf(buf, sizeof(buf), "%s", s);
	*n = 0;
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		const void *p = find(tok);

		if (!p) {
			cmd_say("ceiling", "%s: no such name '%s' (see cmbench list)", flag, tok);
			return -CMD_EUSAGE;
		}
		if (*n == CEIL_MODELS_MAX) {
			cmd_say("ceiling", "%s: at most %d names", flag, CEIL_MODELS_MAX);
			return -CMD_EUSAGE;
		}
		out[(*n)++] = p;
	}
	if (*n == 0) {
		cmd_say("ceiling", "%s: empty list", flag);
		return -CMD_EUSAGE;
	}
	return 0;
}

static const void *find_model(const char *n)
{
	return model_find(n);
}

static const void *find_wl(const char *n)
{
	return workload_find(n);
}

static int parse_count(const char *flag, const char *s, unsigned long long *out)
{
	char err[256];
	uint64_t v;

	if (cli_parse_u64(flag, s, 1, 10000000, &v, err, sizeof(err))) {
		cmd_say("ceiling", "%s", err);
		return -CMD_EUSAGE;
	}
	*out = v;
	return 0;
}

static int parse_dur(const char *flag, const char *s, unsigned long long *out)
{
	char err[256];
	uint64_t v;

	if (cli_parse_duration_us(flag, s, 1000, 3600000000ull, &v, err, sizeof(err))) {
		cmd_say("ceiling", "%s", err);
		return -CMD_EUSAGE;
	}
	*out = v;
	return 0;
}

static int take_flag(struct ceiling *cl, int c, const char *v)
{
	switch (c) {
	case 'h':
		usage(stdout);
		return 1;
	case 'o':
		cl->out_arg = v;
		return 0;
	case 'm':
		return parse_list("--models", v, (const void **)cl->models, &cl->nmodels,
				  find_model);
	case 'w':
		return parse_list("--workloads", v, (const void **)cl->wls, &cl->nwls, find_wl);
	case 'b':
		if (parse_size_kib(v, &cl->budget_kib) == 0)
			return 0;
		cmd_say("ceiling", "--mem-budget: '%s' is not a size (like 4G, 512M)", v);
		return -CMD_EUSAGE;
	case 'c':
		return parse_count("--cap", v, &cl->cap);
	case 'f':
		return parse_count("--from", v, &cl->from);
	case 'H':
		return parse_dur("--hold", v, &cl->hold_us);
	case 't':
		return parse_dur("--probe-timeout", v, &cl->probe_timeout_us);
	default:
		return -CMD_EUSAGE;
	}
}

/* The defaults by trait: C's own models that hold more than one task,
 * the workloads that wait without working (a wait to hold tasks with, no
 * CPU, no library call). */
static void defaults(struct ceiling *cl)
{
	if (cl->nmodels == 0)
		for (size_t i = 0; model_table[i] && cl->nmodels < CEIL_MODELS_MAX; i++)
			if (!model_table[i]->foreign && !model_table[i]->one_slot)
				cl->models[cl->nmodels++] = model_table[i];
	if (cl->nwls == 0)
		for (size_t i = 0; workload_table[i] && cl->nwls < CEIL_MODELS_MAX; i++) {
			const struct workload_ops *w = workload_table[i];

			if (!w->does_cpu && !w->blocking_only &&
			    (w->hold_flag || (w->does_io && w == workload_by_parts(true, false))))
				cl->wls[cl->nwls++] = w;
		}
}

static int check_input(struct ceiling *cl)
{
	char a[32], b[32];

	for (size_t i = 0; i < cl->nwls; i++)
		if (cl->wls[i]->does_cpu || cl->wls[i]->blocking_only ||
		    !(cl->wls[i]->does_io || cl->wls[i]->hold_flag)) {
			cmd_say("ceiling",
				"--workloads: %s cannot hold a task without working (no wait of "
				"its "
				"own)",
				cl->wls[i]->name);
			return -CMD_EUSAGE;
		}
	for (size_t i = 0; i < cl->nmodels; i++)
		if (cl->models[i]->one_slot) {
			cmd_say("ceiling", "--models: %s holds one task at a time",
				cl->models[i]->name);
			return -CMD_EUSAGE;
		}
	if (cl->lim.mem_total_kib == 0) {
		cmd_say("ceiling", "cannot read MemTotal from /proc/meminfo");
		return -EIO;
	}
	if (cl->budget_kib == 0)
		cl->budget_kib = cl->lim.mem_total_kib / 2;
	if (cl->budget_kib > cl->lim.mem_total_kib) {
		cmd_say("ceiling", "--mem-budget: %s is more than this machine's memory (%s)",
			ceiling_fmt_kib(a, sizeof(a), cl->budget_kib),
			ceiling_fmt_kib(b, sizeof(b), cl->lim.mem_total_kib));
		return -CMD_EUSAGE;
	}
	if (cl->from > cl->cap) {
		cmd_say("ceiling", "--from %llu is above --cap %llu", cl->from, cl->cap);
		return -CMD_EUSAGE;
	}
	return 0;
}

static int parse_args(struct ceiling *cl, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "output", required_argument, NULL, 'o' },
		{ "models", required_argument, NULL, 'm' },
		{ "workloads", required_argument, NULL, 'w' },
		{ "mem-budget", required_argument, NULL, 'b' },
		{ "cap", required_argument, NULL, 'c' },
		{ "from", required_argument, NULL, 'f' },
		{ "hold", required_argument, NULL, 'H' },
		{ "probe-timeout", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	int c, rc;

	optind = 0;
	while ((c = cmd_getopt("ceiling", argc, argv, "ho:", opts)) != -1)
		if ((rc = take_flag(cl, c, optarg)))
			return rc;
	if (optind < argc) {
		cmd_say("ceiling", "unexpected argument '%s'", argv[optind]);
		return -CMD_EUSAGE;
	}
	defaults(cl);
	return check_input(cl);
}

/* The hold of a probe at C: every task waits this long. */
static unsigned long long hold_us(const struct ceiling *cl, unsigned long long c)
{
	return ((cl->hold_us ? cl->hold_us : CEIL_HOLD_US) + c * CEIL_HOLD_PER_TASK_US) *
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
	p->errors_connect = (unsigned long long)col(&t, "errors_connect");
	p->errors_timeout = (unsigned long long)col(&t, "errors_timeout");
	p->errors_worker = (unsigned long long)col(&t, "errors_worker");
	cells_csv_free(&t);
}

/* One probe of model m on workload w at concurrency c. */
static int probe(struct ceiling *cl, const struct model_ops *m, const struct workload_ops *w,
		 unsigned long long c, struct ceiling_probe *p)
{
	char cs[32], hold[32], tmo[32], flag[64], out[1200], err[1200];
	char *argv[24];
	int n = 0, rc;

	memset(p, 0, sizeof(*p));
	p->concurrency = c;
	p->deadline_s = deadline_s(cl, c);
	p->budget_kib = (double)cl->budget_kib;
	p->hold_s = (double)hold_us(cl, c) / 1e6;
	p->spread = w->does_io && c > 20000;
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
	p->ok = !p->timed_out && p->exit_code == 0 && p->pss_kib > 0 && p->pss_kib <= p->budget_kib;
	return 0;
}

static int put_row(struct ceiling *cl, const char *row, const struct model_ops *m,
		   const struct workload_ops *w, const struct ceiling_probe *p,
		   unsigned long long first_fail, const struct ceiling_verdict *v)
{
	char line[1024];
	int len;

	len = snprintf(line, sizeof(line),
		       "%s,%s,%s,%llu,%d,%.0f,%.0f,%llu,%llu,%.6g,%.6g,%llu,%s,%s\n", row, m->name,
		       w->name, p->concurrency, p->ok, p->pss_kib, p->base_kib, p->threads,
		       p->processes, p->makespan_s, p->hold_s, first_fail, v ? v->limit : "",
		       v ? v->detail : "");
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
		fprintf(stderr, "cmbench ceiling: %s on %s, C=%llu: failed: %s (%s)\n", m->name,
			w->name, p->concurrency, v->limit, v->detail);
}

/* The concurrency the budget allows, from the memory of a clean probe:
 * PSS grows by the same amount per task from its base. */
static unsigned long long budget_fit(const struct ceiling *cl, const struct ceiling_probe *ok)
{
	double per = (ok->pss_kib - ok->base_kib) / (double)ok->concurrency;
	double room = (double)cl->budget_kib * 0.95 - ok->base_kib;

	if (per <= 0)
		return cl->cap;
	return room > 0 ? (unsigned long long)(room / per) : 0;
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
static int probe_held(struct ceiling *cl, const struct model_ops *m, const struct workload_ops *w,
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

/* One probe at C=c, held, classified when it failed, said and written
 * as a "probe" row. 0, -EINTR, or -errno. */
static int probe_step(struct ceiling *cl, const struct model_ops *m, const struct workload_ops *w,
		      unsigned long long c, struct ceiling_probe *p, struct ceiling_verdict *v)
{
	int rc = probe_held(cl, m, w, c, p);

	if (rc)
		return rc;
	ceiling_limits_read(&cl->lim);
	if (!p->ok)
		ceiling_classify(p, &cl->lim, m, w, v);
	say_probe(m, w, p, v);
	return put_row(cl, "probe", m, w, p, 0, p->ok ? NULL : v);
}

/* One search: double, then bisect. 0, -EINTR, or -errno when the set
 * cannot be written. */
static int search(struct ceiling *cl, const struct model_ops *m, const struct workload_ops *w)
{
	struct ceiling_probe p, best = { 0 };
	struct ceiling_verdict v = { "", "", "" }, fail_v = { "", "", "" };
	unsigned long long c = cl->from, fail_c = 0, fit;
	bool mem_stop = false;
	int rc, steps = 0;
	char a[32];

	cl->hold_mul = 1;
	for (;;) {
		if ((rc = probe_step(cl, m, w, c, &p, &v)))
			return rc;
		if (!p.ok) {
			fail_c = c;
			fail_v = v;
			break;
		}
		best = p;
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
		if (p.ok)
			best = p;
		else {
			fail_c = c;
			fail_v = v;
		}
	}
	if (mem_stop) {
		snprintf(fail_v.limit, sizeof(fail_v.limit), "memory");
		snprintf(fail_v.detail, sizeof(fail_v.detail),
			 "the budget %s: C=%llu would need about %.0f MiB",
			 ceiling_fmt_kib(a, sizeof(a), cl->budget_kib), fail_c,
			 (best.base_kib + (best.pss_kib - best.base_kib) * (double)fail_c /
						  (double)best.concurrency) /
				 1024.0);
		ceiling_clean(fail_v.detail);
	} else if (!fail_c) {
		snprintf(fail_v.limit, sizeof(fail_v.limit), "cap");
		snprintf(fail_v.detail, sizeof(fail_v.detail), "no limit reached up to --cap %llu",
			 cl->cap);
	}
	if (!best.concurrency) {
		best = p; /* the first probe failed: its figures, C 0 held */
		best.concurrency = 0;
		cl->failed_first++;
		cmd_say("ceiling", "%s on %s failed at its first probe (C=%llu): %s: %s", m->name,
			w->name, fail_c, fail_v.limit, fail_v.detail);
	} else {
		fprintf(stderr,
			"cmbench ceiling: %s on %s holds %llu tasks (PSS %s); %s%llu: %s (%s)\n",
			m->name, w->name, best.concurrency,
			ceiling_fmt_kib(a, sizeof(a), (unsigned long long)best.pss_kib),
			fail_c ? "first failing C=" : "cap ", fail_c ? fail_c : cl->cap,
			fail_v.limit, fail_v.detail);
	}
	return put_row(cl, "ceiling", m, w, &best, fail_c, &fail_v);
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
	ceiling_raise_limits(&(struct ceiling_lifted){ 0 });
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
	rc = parse_args(&cl, argc, argv);
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
