/* plots_findings.c - REPORT.md's findings from the grids beyond the main
 * one: creation cost per task, the inline loop's stall, a loop per core,
 * SQLite and PostgreSQL throughput, a workload's flags against each other,
 * offload against a pool, C against CPython. Every sentence is computed
 * from cells.csv; models and workloads are known by their traits only. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../lib/util.h"
#include "../models/model.h"
#include "../workloads/workload.h"
#include "plots.h"
#include "plots_kinds.h"

/* Creating a thread or a process per task, against the pool of the same
 * kind in the same grid at the same level. */
static void finding_creation(const struct set *s, FILE *f)
{
	char n1[96], n2[48], a[48], b[48], vs[VERDICT_FMT_MAX];
	bool head = false;

	for (size_t i = 0; i < s->ncells; i++) {
		const struct cell *c = &s->cells[i], *pool;
		double d;

		if (!usable(c) || !c->m->per_task || !c->w || c->w->does_io)
			continue;
		pool = peer(s, c,
			    c->m->kind == MODEL_KIND_THREADS ? m_thread_pool : m_process_pool);
		if (!pool)
			continue;
		if (!head)
			fprintf(f,
				"- **Creating a thread or a process per task** (grid %s, %s tasks "
				"of tiny CPU work at C=%g), against a pool of the same kind:",
				c->grid, plots_count(c->tasks, a, sizeof(a)), c->conc);
		head = true;
		d = (c->v[M_MAKESPAN][MED] / c->tasks - pool->v[M_MAKESPAN][MED] / pool->tasks) *
		    1e6;
		fprintf(f, " %s takes %s of wall time a task, %s %s: %s a task more (%s);",
			mname(c, n1, sizeof(n1)),
			fmt_us(a, sizeof(a), c->v[M_MAKESPAN][MED] / c->tasks * 1e6, FMT_PROSE),
			pool->model,
			fmt_us(b, sizeof(b), pool->v[M_MAKESPAN][MED] / pool->tasks * 1e6,
			       FMT_PROSE),
			fmt_us(n2, sizeof(n2), d, FMT_PROSE),
			plots_vs(pool, c, M_MAKESPAN, vs, sizeof(vs), NULL));
	}
	if (head)
		fprintf(f,
			" a pool pays for its threads or processes once, before the clock "
			"(with %s cores, C tasks in flight share them: the extra wall time a "
			"task is the creation cost divided by the tasks created at once).\n",
			plots_cores(s, a, sizeof(a)));
}

/* The inline loop on a blocking call: its makespan against the offload
 * loop's at each level. */
static void finding_stall(const struct set *s, FILE *f)
{
	char a[48], b[48], lv[32], vs[VERDICT_FMT_MAX];
	bool head = false;

	for (size_t i = 0; i < s->ncells; i++) {
		const struct cell *c = &s->cells[i], *off;

		if (!usable(c) || !wl_blocking_io(c->w) || !m_inline_loop(c->m))
			continue;
		if (!(off = peer(s, c, m_offload_loop)))
			continue;
		if (!head)
			fprintf(f,
				"- **The inline loop stalls on a blocking call** (%s workload, "
				"io %s): %s takes",
				c->w->label, fmt_us(a, sizeof(a), c->io_us, FMT_PROSE), c->model);
		fprintf(f, "%s %.1f× %s's makespan at C=%s (%s vs %s; %s)", head ? ";" : "",
			c->v[M_MAKESPAN][MED] / off->v[M_MAKESPAN][MED], off->model,
			plots_count(c->conc, lv, sizeof(lv)),
			secs(c->v[M_MAKESPAN][MED], a, sizeof(a)),
			secs(off->v[M_MAKESPAN][MED], b, sizeof(b)),
			plots_vs(c, off, M_MAKESPAN, vs, sizeof(vs), NULL));
		head = true;
	}
	if (head)
		fprintf(f, ". One task at a time runs while the call blocks: concurrency does "
			   "not help the inline loop.\n");
}

/* An event loop per core against one loop on mixed work. */
static void finding_prefork(const struct set *s, FILE *f)
{
	char a[48], b[48], lv[32], cb[64], vs[VERDICT_FMT_MAX];

	for (size_t i = 0; i < s->ncells; i++) {
		const struct cell *c = &s->cells[i], *one;
		double sp;

		if (!usable(c) || !wl_mixed(c->w) || !m_prefork(c->m) ||
		    (s->grid && strcmp(c->grid, s->grid) == 0))
			continue;
		if (!(one = peer(s, c, m_inline_loop)))
			continue;
		sp = one->v[M_MAKESPAN][MED] / c->v[M_MAKESPAN][MED];
		fprintf(f,
			"- **An event loop per core** (grid %s, mixed work, C=%s, %g "
			"loops): %s runs %.2f× as fast as one %s (%s vs %s) on %s cores",
			c->grid, plots_count(c->conc, lv, sizeof(lv)), c->workers, c->model, sp,
			one->model, secs(c->v[M_MAKESPAN][MED], a, sizeof(a)),
			secs(one->v[M_MAKESPAN][MED], b, sizeof(b)),
			plots_cores(s, cb, sizeof(cb)));
		if (isfinite(s->cores) && s->cores > 0)
			fprintf(f, ": %.0f%% of the ideal %g×", 100 * sp / s->cores, s->cores);
		fprintf(f, " (%s)", plots_vs(c, one, M_MAKESPAN, vs, sizeof(vs), NULL));
		fprintf(f, ".\n");
	}
}

/* Throughput (and p99) per model of a workload kind, at each level. */
static void finding_tput(const struct set *s, FILE *f, bool (*kind)(const struct workload_ops *),
			 bool p99)
{
	char grids[PLOTS_LIST_LEN] = "", a[48], lv[32], n1[96];
	const struct cell *first = NULL;

	for (size_t i = 0; i < s->ncells; i++)
		if (usable(&s->cells[i]) && kind(s->cells[i].w)) {
			bool seen = false;

			for (size_t j = 0; j < i && !seen; j++)
				seen = usable(&s->cells[j]) && kind(s->cells[j].w) &&
				       strcmp(s->cells[j].grid, s->cells[i].grid) == 0;
			first = first ? first : &s->cells[i];
			if (!seen)
				plots_list_add(grids, sizeof(grids), s->cells[i].grid);
		}
	if (!first)
		return;
	fprintf(f, "- **%s** (%s workload; grids %s), tasks per second%s:", wl_noun(first->w),
		first->w->label, grids, p99 ? " and p99 latency" : "");
	for (size_t i = 0, n = 0; i < s->ncells; i++) {
		const struct cell *c = &s->cells[i];

		if (!usable(c) || !kind(c->w))
			continue;
		if (isfinite(c->io_us) && c->w->does_io)
			fprintf(f, "%s %s at C=%s, %s: %.0f/s", n++ ? ";" : "",
				mname(c, n1, sizeof(n1)), plots_count(c->conc, lv, sizeof(lv)),
				io_text(c->io_us, a, sizeof(a)), tput(c));
		else
			fprintf(f, "%s %s at C=%s: %.0f/s", n++ ? ";" : "",
				mname(c, n1, sizeof(n1)), plots_count(c->conc, lv, sizeof(lv)),
				tput(c));
		if (p99 && isfinite(c->v[M_P99][MED]))
			fprintf(f, " (p99 %s)",
				plots_p99_text(c->v[M_P99][MED], c->tasks, a, sizeof(a)));
		if (strcmp(c->grid, first->grid) != 0)
			fprintf(f, " [grid %s]", c->grid);
	}
	fprintf(f, ".\n");
}

/* C against CPython: the speed-up of threads and processes over their
 * own sequential model on cpu work, and the Python loops on io. */
static void finding_python(const struct set *s, FILE *f)
{
	char lv[32], vs[VERDICT_FMT_MAX];

	for (size_t i = 0; i < s->ncells; i++) {
		const struct cell *c = &s->cells[i], *seq, *cth, *cseq, *pp, *cpp;

		if (!usable(c) || !m_py_threads(c->m) || !wl_plain(c->w, false, true))
			continue;
		seq = peer(s, c, m_py_seq);
		cth = peer(s, c, m_thread_pool);
		cseq = peer(s, c, m_seq);
		pp = peer(s, c, m_py_procs);
		cpp = peer(s, c, m_process_pool);
		fprintf(f, "- **C against CPython on CPU work** (grid %s, C=%s): ", c->grid,
			plots_count(c->conc, lv, sizeof(lv)));
		if (seq) {
			bool helped = false;

			/* the verdict rule decides, not a threshold on the ratio */
			plots_vs(c, seq, M_MAKESPAN, vs, sizeof(vs), &helped);
			fprintf(f, "%s (%s)", vs,
				helped ? "threads did help here, against the GIL folklore"
				       : "threads did not clearly help CPU work here: the GIL");
		}
		if (seq && pp)
			fprintf(f, ", %s %.2f×", pp->model,
				seq->v[M_MAKESPAN][MED] / pp->v[M_MAKESPAN][MED]);
		if (cth && cseq)
			fprintf(f, "; in C %s runs %.2f× as fast as %s", cth->model,
				cseq->v[M_MAKESPAN][MED] / cth->v[M_MAKESPAN][MED], cseq->model);
		if (cpp && cseq)
			fprintf(f, ", %s %.2f×", cpp->model,
				cseq->v[M_MAKESPAN][MED] / cpp->v[M_MAKESPAN][MED]);
		fprintf(f, " (each runtime's --cpu is calibrated to its own kernel: a task is the "
			   "same time of work on one core in both).\n");
	}
}

/* The Python loops on io against the first of them, and C's loop. */
static void finding_python_loops(const struct set *s, FILE *f)
{
	char a[48], b[48], lv[32], n1[96], vs[VERDICT_FMT_MAX];

	for (size_t i = 0; i < s->ncells; i++) {
		const struct cell *c = &s->cells[i], *cl;
		bool head = false;

		if (!usable(c) || !c->m->foreign || c->m->kind != MODEL_KIND_LOOP ||
		    c->m->offload || !wl_plain(c->w, true, false))
			continue;
		/* c: the first foreign loop cell at this grid and level */
		bool first = true;
		for (size_t j = 0; j < i; j++) {
			const struct cell *d = &s->cells[j];
			if (usable(d) && d->m->foreign && d->m->kind == MODEL_KIND_LOOP &&
			    !d->m->offload && strcmp(d->grid, c->grid) == 0 && d->conc == c->conc &&
			    d->w == c->w)
				first = false;
		}
		if (!first)
			continue;
		for (size_t j = i + 1; j < s->ncells; j++) {
			const struct cell *d = &s->cells[j];

			if (!usable(d) || !d->m->foreign || d->m->kind != MODEL_KIND_LOOP ||
			    d->m->offload || strcmp(d->grid, c->grid) != 0 || d->conc != c->conc ||
			    d->w != c->w)
				continue;
			if (!head)
				fprintf(f,
					"- **Python event loops on I/O** (grid %s, C=%s, %s): %s "
					"%s",
					c->grid, plots_count(c->conc, lv, sizeof(lv)),
					fmt_us(a, sizeof(a), c->io_us, FMT_PROSE), c->model,
					secs(c->v[M_MAKESPAN][MED], b, sizeof(b)));
			head = true;
			fprintf(f, "; %s %s (%s)", mname(d, n1, sizeof(n1)),
				secs(d->v[M_MAKESPAN][MED], a, sizeof(a)),
				plots_vs(d, c, M_MAKESPAN, vs, sizeof(vs), NULL));
		}
		if (head && (cl = peer(s, c, m_inline_loop)))
			fprintf(f, "; C's %s %s (%s)", cl->model,
				secs(cl->v[M_MAKESPAN][MED], a, sizeof(a)),
				plots_vs(cl, c, M_MAKESPAN, vs, sizeof(vs), NULL));
		if (head)
			fprintf(f, ".\n");
	}
}

/* eventloop-offload against threadpool on CPU work with a fixed pool
 * (a grid whose offload cells run fewer workers than tasks in flight
 * somewhere): what the loop's hand-off costs when C = workers, and what
 * queueing more tasks than workers buys back. */
static void finding_offload_pool(const struct set *s, FILE *f)
{
	char lv[32], cb[64], vs[VERDICT_FMT_MAX];
	bool head = false, lost = false, tp_ahead;
	const char *offload_model = "";

	for (size_t i = 0; i < s->ncells; i++) {
		const struct cell *c = &s->cells[i], *tp;
		double r;

		if (!usable(c) || !m_offload_loop(c->m) || !wl_plain(c->w, false, true) ||
		    (s->grid && strcmp(c->grid, s->grid) == 0) ||
		    strcmp(c->grid, s->offload_grid) != 0)
			continue;
		if (!(tp = peer(s, c, m_thread_pool)))
			continue;
		if (!head)
			fprintf(f,
				"- **Offload against a thread pool on CPU work** (grid %s, %s "
				"cores): "
				"%s's makespan against %s's at the same "
				"concurrency:",
				c->grid, plots_cores(s, cb, sizeof(cb)), c->model, tp->model);
		r = c->v[M_MAKESPAN][MED] / tp->v[M_MAKESPAN][MED];
		plots_vs(tp, c, M_MAKESPAN, vs, sizeof(vs), &tp_ahead);
		fprintf(f, "%s %.2f× at C=%s with %g workers (%s)", head ? ";" : "", r,
			plots_count(c->conc, lv, sizeof(lv)), c->workers, vs);
		lost |= c->conc <= c->workers && tp_ahead;
		offload_model = c->model;
		head = true;
	}
	if (head && !lost)
		fprintf(f, ".\n");
	if (head && lost)
		fprintf(f,
			". With as many tasks in flight as workers, a worker that finishes "
			"waits for the loop thread to wake, take the result and submit the next "
			"task, and the loop is one more thread than there are cores; with more "
			"tasks in flight than workers the next task is already queued "
			"(README, \"%s and the lost core\").\n",
			offload_model);
}

/* A grid's workload flags as "name=value ...", or "its defaults". */
static const char *grid_flags(const struct spec_grid *g, char *b, size_t n)
{
	size_t o = 0;

	b[0] = '\0';
	for (size_t i = 0; g && i < g->n_flags && o < n; i++)
		o += (size_t)snprintf(b + o, n - o, "%s%s=%s", i ? " " : "", g->flags[i][0],
				      g->flags[i][1]);
	if (!b[0])
		snprintf(b, n, "its defaults");
	return b;
}

/* Two grids of one workload that differ in its flags (pg-conn pool and
 * new, say): each model at the same level and io in both, side by side. */
static void finding_flags(const struct set *s, FILE *f)
{
	char fa[160], fb[160], lv[32], io[64], p1[48], p2[48], vs[VERDICT_FMT_MAX];

	for (size_t i = 0; i < s->ncells; i++) {
		const struct cell *c = &s->cells[i], *d = NULL;
		const struct spec_grid *gc = spec_grid_find(&s->spec, c->grid), *gd;

		if (!usable(c) || !c->w || !c->w->flags || !gc)
			continue;
		for (size_t j = 0; j < i && !d; j++) {
			const struct cell *e = &s->cells[j];

			if (usable(e) && e->w == c->w && strcmp(e->grid, c->grid) != 0 &&
			    e->m == c->m && e->conc == c->conc && e->io_us == c->io_us)
				d = e;
		}
		if (!d || !(gd = spec_grid_find(&s->spec, d->grid)))
			continue;
		grid_flags(gd, fa, sizeof(fa));
		grid_flags(gc, fb, sizeof(fb));
		if (strcmp(fa, fb) == 0)
			continue;
		fprintf(f,
			"- **%s with %s against %s** (%s at C=%s, %s): %.0f tasks/s against "
			"%.0f (makespan: %s), p99 %s against %s.\n",
			c->w->label, fb, fa, c->model, plots_count(c->conc, lv, sizeof(lv)),
			io_text(c->io_us, io, sizeof(io)), tput(c), tput(d),
			plots_vs(c, d, M_MAKESPAN, vs, sizeof(vs), NULL),
			plots_p99_text(c->v[M_P99][MED], c->tasks, p1, sizeof(p1)),
			plots_p99_text(d->v[M_P99][MED], d->tasks, p2, sizeof(p2)));
	}
}

void plots_regime_findings(const struct set *s, FILE *f)
{
	finding_offload_pool(s, f);
	finding_creation(s, f);
	finding_stall(s, f);
	finding_prefork(s, f);
	finding_tput(s, f, wl_embedded_db, false);
	finding_tput(s, f, wl_db_server, true);
	finding_flags(s, f);
	finding_python(s, f);
	finding_python_loops(s, f);
}

bool plots_regime_finding(const struct set *s, const char *key, FILE *f)
{
	if (strcmp(key, "offload_pool") == 0)
		finding_offload_pool(s, f);
	else if (strcmp(key, "creation") == 0)
		finding_creation(s, f);
	else if (strcmp(key, "stall") == 0)
		finding_stall(s, f);
	else if (strcmp(key, "prefork") == 0)
		finding_prefork(s, f);
	else if (strcmp(key, "embedded_db") == 0)
		finding_tput(s, f, wl_embedded_db, false);
	else if (strcmp(key, "db_server") == 0)
		finding_tput(s, f, wl_db_server, true);
	else if (strcmp(key, "flags") == 0)
		finding_flags(s, f);
	else if (strcmp(key, "python") == 0)
		finding_python(s, f);
	else if (strcmp(key, "python_loops") == 0)
		finding_python_loops(s, f);
	else
		return false;
	return true;
}
