/* openloop.c - the open-loop cells of a set (a grid with a rate: axis:
 * arrivals, not a batch), per regime (workload) and model, with
 * capacity.csv's searched rates; and the rule's words for them: the rate a
 * model sustains, its knee. The chart (data/latency.c), the verdicts
 * (verdicts/openloop.c) and the finding (findings/openloop.c) read them.
 * "Sustains" is harness/set/sustain.h's rule: clean, p99 (latency from
 * each task's intended release) at most the SLO, keeping up, and no
 * growing backlog. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../harness/set/sustain.h"
#include "openloop.h"

/* The column called name of cells.csv, "" when absent. */
static const char *field(const struct set *s, size_t row, int col)
{
	return col >= 0 ? s->tab.rows[row][col] : "";
}

static double num(const struct set *s, size_t row, int col)
{
	return col >= 0 ? strtod(s->tab.rows[row][col], NULL) : NAN;
}

/* The load percent in a cell id (its -l70pct- part), 0 without one. */
static int id_load(const char *id)
{
	for (const char *p = strstr(id, "-l"); p; p = strstr(p + 1, "-l")) {
		int v, used = 0;

		if (sscanf(p, "-l%dpct%n", &v, &used) == 1 && used > 0 && v > 0)
			return v;
	}
	return 0;
}

static int cmp_rate(const void *a, const void *b)
{
	double x = ((const struct ol_point *)a)->rate, y = ((const struct ol_point *)b)->rate;

	return (x > y) - (x < y);
}

static double cap_num(const struct cells_csv *t, size_t r, const char *name)
{
	int c = cells_csv_col(t, name);

	return c >= 0 && t->rows[r][c][0] ? strtod(t->rows[r][c], NULL) : NAN;
}

/* capacity.csv of the set, when the sweep measured one. */
static void read_capacity(const struct set *s, struct ol *o)
{
	char path[PLOTS_PATH_LEN];
	struct cells_csv t;
	int cm, cw, ct, cs;

	snprintf(path, sizeof(path), "%s/capacity.csv", s->dir);
	if (cells_csv_read(path, &t))
		return;
	cm = cells_csv_col(&t, "model");
	cw = cells_csv_col(&t, "workload");
	ct = cells_csv_col(&t, "capacity_tps");
	cs = cells_csv_col(&t, "search");
	int cr = cells_csv_col(&t, "search_rep");

	for (size_t r = 0; cm >= 0 && cw >= 0 && ct >= 0 && r < t.nrows; r++)
		for (size_t w = 0; w < o->nwl; w++)
			for (size_t k = 0; k < o->nmodels; k++) {
				struct ol_series *ser = &o->s[w * o->nmodels + k];
				const char *how = cs >= 0 ? t.rows[r][cs] : "batch";

				const char *sr = cr >= 0 ? t.rows[r][cr] : "";

				if (strcmp(t.rows[r][cw], o->wl[w]) != 0 ||
				    strcmp(t.rows[r][cm], s->models[k]) != 0)
					continue;
				if (sr[0] >= '1' && sr[0] <= '9') { /* one search of several */
					double v = cap_num(&t, r, "sustained_tps");

					if (ser->nrep < OL_MAX_REPS)
						ser->rep[ser->nrep++] = isfinite(v) ? v : 0;
					continue;
				}
				ser->capacity = strtod(t.rows[r][ct], NULL);
				ser->searched = strcmp(how, "ok") == 0 || strcmp(how, "none") == 0;
				ser->none = strcmp(how, "none") == 0;
				ser->sustained = cap_num(&t, r, "sustained_tps");
				ser->lo = cap_num(&t, r, "bracket_lo_tps");
				ser->hi = cap_num(&t, r, "bracket_hi_tps");
				ser->probes = cap_num(&t, r, "probes");
			}
	cells_csv_free(&t);
}

/* The cells.csv columns an open-loop point is read from; -1 when absent. */
struct ol_cols {
	int arr, rate, wl, model, ok, id, grid, io, cpu, ach, p50, p99, p99lo, p99hi, tasks;
	int done, err, ms, f1, f5;
};

static void ol_cols_find(const struct set *s, struct ol_cols *c)
{
	const struct cells_csv *t = &s->tab;

	c->arr = cells_csv_col(t, "arrivals");
	c->rate = cells_csv_col(t, "rate_tps");
	c->wl = cells_csv_col(t, "workload");
	c->model = cells_csv_col(t, "model");
	c->ok = cells_csv_col(t, "ok");
	c->id = cells_csv_col(t, "cell");
	c->grid = cells_csv_col(t, "grid");
	c->io = cells_csv_col(t, "io_latency_us");
	c->cpu = cells_csv_col(t, "cpu_us_per_task_med");
	c->ach = cells_csv_col(t, "achieved_tps_med");
	c->p50 = cells_csv_col(t, "lat_p50_us_med");
	c->p99 = cells_csv_col(t, "lat_p99_us_med");
	/* the p99's interval: the median's confidence interval when the set
	 * has one (reps until an interval is reached), else min to max */
	c->p99lo = cells_csv_col(t, "lat_p99_us_ci_lo");
	c->p99hi = cells_csv_col(t, "lat_p99_us_ci_hi");
	if (c->p99lo < 0 || c->p99hi < 0) {
		c->p99lo = cells_csv_col(t, "lat_p99_us_min");
		c->p99hi = cells_csv_col(t, "lat_p99_us_max");
	}
	c->tasks = cells_csv_col(t, "tasks");
	c->done = cells_csv_col(t, "completed_med");
	c->err = cells_csv_col(t, "errors_med");
	c->ms = cells_csv_col(t, "makespan_s_med");
	c->f1 = cells_csv_col(t, "lat_p50_first_us_med");
	c->f5 = cells_csv_col(t, "lat_p50_last_us_med");
}

/* The index of row r's workload in o, added when new; o->nwl when full. */
static size_t ol_workload(struct ol *o, const struct set *s, size_t r, const struct ol_cols *c)
{
	const char *wl = field(s, r, c->wl);
	const struct spec_grid *g;
	size_t w;

	for (w = 0; w < o->nwl && strcmp(o->wl[w], wl) != 0; w++)
		;
	if (w < o->nwl || o->nwl == OL_MAX_WL)
		return w;
	o->wl[o->nwl] = wl;
	o->io_us[w] = num(s, r, c->io);
	o->cpu_us[w] = num(s, r, c->cpu);
	g = spec_grid_find(&s->spec, field(s, r, c->grid));
	o->slo_us[w] = g && g->slo_us ? (double)g->slo_us : SPEC_SLO_US;
	o->nwl++;
	return w;
}

/* Row r of cells.csv as a point of its series. */
static void ol_point_read(const struct set *s, size_t r, const struct ol_cols *c,
			  struct ol_point *p)
{
	p->rate = num(s, r, c->rate);
	p->achieved = num(s, r, c->ach);
	p->p50 = num(s, r, c->p50);
	p->p99 = num(s, r, c->p99);
	p->p99_lo = num(s, r, c->p99lo);
	p->p99_hi = num(s, r, c->p99hi);
	p->tasks = num(s, r, c->tasks);
	p->samples = num(s, r, c->done) - (c->err >= 0 ? num(s, r, c->err) : 0);
	if (!isfinite(p->samples))
		p->samples = p->tasks;
	p->makespan = num(s, r, c->ms);
	p->p50_first = num(s, r, c->f1);
	p->p50_last = num(s, r, c->f5);
	p->ok = strcmp(field(s, r, c->ok), "1") == 0 && isfinite(p->p99) && p->p99 > 0;
	p->load_pct = id_load(field(s, r, c->id));
	p->row = r;
}

/* Gather the open-loop cells of the set. 0 or -ENOMEM; o->nwl 0: none. */
int ol_collect(const struct set *s, struct ol *o)
{
	struct ol_cols c;

	ol_cols_find(s, &c);
	memset(o, 0, sizeof(*o));
	o->nmodels = s->nmodels;
	if (c.arr < 0 || c.rate < 0 || c.wl < 0 || c.model < 0 || !s->nmodels)
		return 0;
	o->s = calloc(OL_MAX_WL * s->nmodels, sizeof(*o->s));
	if (!o->s)
		return -ENOMEM;
	for (size_t i = 0; i < OL_MAX_WL * s->nmodels; i++)
		o->s[i].capacity = o->s[i].sustained = o->s[i].lo = o->s[i].hi = NAN;
	for (size_t r = 0; r < s->tab.nrows; r++) {
		struct ol_series *ser;
		size_t w, k;

		if (strcmp(field(s, r, c.arr), "batch") == 0 || !(num(s, r, c.rate) > 0))
			continue;
		w = ol_workload(o, s, r, &c);
		if (w == o->nwl)
			continue;
		for (k = 0; k < s->nmodels && strcmp(s->models[k], field(s, r, c.model)); k++)
			;
		ser = k < s->nmodels ? &o->s[w * s->nmodels + k] : NULL;
		if (!ser || ser->n == OL_MAX_PTS)
			continue;
		ol_point_read(s, r, &c, &ser->p[ser->n++]);
	}
	for (size_t i = 0; i < OL_MAX_WL * s->nmodels; i++)
		qsort(o->s[i].p, o->s[i].n, sizeof(o->s[i].p[0]), cmp_rate);
	read_capacity(s, o);
	return 0;
}

void ol_free(struct ol *o)
{
	free(o->s);
}

const struct ol_series *ol_series_at(const struct ol *o, size_t w, size_t k)
{
	return &o->s[w * o->nmodels + k];
}

static bool sustains(const struct ol_point *p, double slo_us)
{
	struct sustain_run r = { .clean = p->ok,
				 .rate_tps = p->rate,
				 .tasks = p->tasks,
				 .makespan_s = p->makespan,
				 .p50_us = p->p50,
				 .p99_us = p->p99,
				 .p50_first_us = p->p50_first,
				 .p50_last_us = p->p50_last };

	return sustain_judge(&r, slo_us) == SUSTAIN_OK;
}

/* The highest rate the model sustains: the searched one, else the highest
 * of the grid's rates; 0 when none. */
double ol_sustainable(const struct ol_series *ser, double slo_us)
{
	double best = 0;

	if (ser->searched)
		return ser->none || !isfinite(ser->sustained) ? 0 : ser->sustained;
	for (size_t i = 0; i < ser->n; i++)
		if (sustains(&ser->p[i], slo_us) && ser->p[i].rate > best)
			best = ser->p[i].rate;
	return best;
}

/* The unloaded baseline: the lowest load that is ok with at least
 * OL_BASE_N samples; NULL when there is none (no knee is then found). */
const struct ol_point *ol_baseline(const struct ol_series *ser)
{
	for (size_t i = 0; i < ser->n; i++)
		if (ser->p[i].ok && ser->p[i].samples >= OL_BASE_N)
			return &ser->p[i];
	return NULL;
}

/* The first point above the baseline whose p99 is over OL_KNEE x its;
 * NULL if none (or no baseline). */
const struct ol_point *ol_knee(const struct ol_series *ser)
{
	const struct ol_point *b = ol_baseline(ser);

	for (size_t i = b ? (size_t)(b - ser->p) + 1 : ser->n; i < ser->n; i++)
		if (!ser->p[i].ok || ser->p[i].p99 > OL_KNEE * b->p99)
			return &ser->p[i];
	return NULL;
}

/* "io (10 ms io)" - the regime as a title. */
const char *ol_regime(const struct ol *o, size_t w, char *b, size_t n)
{
	char io[32] = "", cpu[32] = "";

	if (o->io_us[w] > 0)
		snprintf(io, sizeof(io), "%.2g ms io", o->io_us[w] / 1e3);
	if (o->cpu_us[w] > 0)
		snprintf(cpu, sizeof(cpu), "%.2g ms cpu", o->cpu_us[w] / 1e3);
	snprintf(b, n, "%s (%s%s%s per task)", o->wl[w], io, *io && *cpu ? " + " : "", cpu);
	return b;
}

/* A rate, like 4,500 tasks/s. */
const char *ol_rate_text(double v, char *b, size_t n)
{
	char c[64];

	if (!(v > 0))
		snprintf(b, n, "none of the rates tried");
	else if (v < 100)
		snprintf(b, n, "%.3g tasks/s", v);
	else
		snprintf(b, n, "%s tasks/s", plots_count(round(v), c, sizeof(c)));
	return b;
}

/* "9,400 tasks/s [9,200, 9,650], 5 probes" - a searched rate. */
const char *ol_bracket_text(const struct ol_series *ser, char *b, size_t n)
{
	char r[64], lo[64], hi[64];

	if (ser->none || !isfinite(ser->sustained))
		snprintf(b, n, "none: not even the lowest probe (%.0f probes)", ser->probes);
	else
		snprintf(b, n, "%s [%s, %s], %.0f probes",
			 ol_rate_text(ser->sustained, r, sizeof(r)),
			 plots_count(round(ser->lo), lo, sizeof(lo)),
			 isfinite(ser->hi) ? plots_count(round(ser->hi), hi, sizeof(hi))
					   : "not bracketed",
			 ser->probes);
	return b;
}

/* Every model of regime w was searched. */
bool ol_regime_searched(const struct ol *o, size_t w)
{
	size_t n = 0;

	for (size_t k = 0; k < o->nmodels; k++) {
		const struct ol_series *ser = ol_series_at(o, w, k);

		if (ser->n && !ser->searched)
			return false;
		n += ser->n > 0;
	}
	return n > 0;
}

/* "30% (4,500 tasks/s)" - where the knee is, or why there is none. */
const char *ol_knee_text(const struct ol_series *ser, char *b, size_t n)
{
	const struct ol_point *kn = ol_knee(ser), *base = ol_baseline(ser);
	char r[64];

	if (!base)
		snprintf(b, n, "no finding: no load with %d samples for the baseline", OL_BASE_N);
	else if (kn && kn->load_pct > 0)
		snprintf(b, n, "%d%% (%s)", kn->load_pct, ol_rate_text(kn->rate, r, sizeof(r)));
	else if (kn)
		snprintf(b, n, "%s", ol_rate_text(kn->rate, r, sizeof(r)));
	else
		snprintf(b, n, "not within the rates tried");
	return b;
}
