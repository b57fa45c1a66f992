/* plots_openloop.c - the open-loop side of `cmbench plots`: the cells of
 * a grid with a rate: axis (arrivals not batch), per regime (workload) and
 * model.
 *   latency.gp           p50 and p99 latency against the offered rate,
 *                        the SLO as a line (the hockey stick)
 *   latency-spectrum.gp  each model's percentile spectrum at one load
 *   decision-matrix.md   the fourth criterion: the highest rate a model
 *                        sustains with p99 under the SLO: the searched
 *                        rate of capacity.csv with its bracket (`rate:
 *                        search`; brackets that overlap tie), else the
 *                        highest rate of the grid it sustained (ties as in
 *                        plots/matrix.c)
 *   REPORT.md            each model's sustainable rate, and the load at
 *                        which its p99 leaves twice its unloaded p99, the
 *                        unloaded p99 taken at the lowest load with at
 *                        least OL_BASE_N samples (no finding without one)
 * "Sustains" is harness/sweep/sustain.h's rule: clean, p99 (latency from
 * each task's intended release) at most the SLO, keeping up, and no
 * growing backlog. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../harness/set/sustain.h"
#include "plots.h"

#define OL_MAX_WL 4	   /* regimes (workloads) drawn */
#define OL_MAX_PTS 64	   /* rates of one model in one regime */
#define OL_MAX_REPS 100	   /* searches per model kept (search_reps:) */
#define OL_SPECTRUM_PCT 70 /* the load of the spectrum chart, percent of capacity */
#define OL_KNEE 2.0	   /* p99 over the unloaded p99 that marks the knee */
#define OL_BASE_N 1000	   /* samples the unloaded p99 needs */
#define OL_P99_N 100	   /* samples a p99 needs to be called one */

struct ol_point {
	double rate, achieved, p50, p99; /* tasks/s, tasks/s, us, us */
	double p99_lo, p99_hi;		 /* p99's interval over the reps, us */
	double tasks, samples, makespan; /* tasks, ok tasks (median rep), s */
	double p50_first, p50_last;	 /* the backlog test's figures, us */
	int load_pct;			 /* percent of capacity, 0: absolute rate */
	bool ok;
	size_t row; /* in cells.csv */
};

struct ol_series {
	struct ol_point p[OL_MAX_PTS]; /* sorted by rate */
	size_t n;
	double capacity;	  /* batch throughput from capacity.csv, NAN if unknown */
	bool searched;		  /* capacity.csv has its search (rate: search) */
	bool none;		  /* the search found no sustained rate */
	double sustained, lo, hi; /* the searched rate and its bracket (hi NAN: open) */
	double probes;		  /* probes the search ran */
	double rep[OL_MAX_REPS];  /* each search's sustained rate (search_reps:), 0: none */
	size_t nrep;
	struct verdict v; /* the regime's verdict, on the best series (tested) */
	bool tested;	  /* v holds a test of it against the runner-up */
};

struct ol {
	const char *wl[OL_MAX_WL]; /* regimes, in order of appearance */
	size_t nwl;
	double io_us[OL_MAX_WL], cpu_us[OL_MAX_WL];
	double slo_us[OL_MAX_WL];
	struct ol_series *s; /* [wl * nmodels + model] */
	size_t nmodels;
};

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
static int ol_collect(const struct set *s, struct ol *o)
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

static void ol_free(struct ol *o)
{
	free(o->s);
}

static const struct ol_series *series(const struct ol *o, size_t w, size_t k)
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
static double sustainable(const struct ol_series *ser, double slo_us)
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
static const struct ol_point *baseline(const struct ol_series *ser)
{
	for (size_t i = 0; i < ser->n; i++)
		if (ser->p[i].ok && ser->p[i].samples >= OL_BASE_N)
			return &ser->p[i];
	return NULL;
}

/* The first point above the baseline whose p99 is over OL_KNEE x its;
 * NULL if none (or no baseline). */
static const struct ol_point *knee(const struct ol_series *ser)
{
	const struct ol_point *b = baseline(ser);

	for (size_t i = b ? (size_t)(b - ser->p) + 1 : ser->n; i < ser->n; i++)
		if (!ser->p[i].ok || ser->p[i].p99 > OL_KNEE * b->p99)
			return &ser->p[i];
	return NULL;
}

/* "io (10 ms io)" - the regime as a title. */
static const char *regime(const struct ol *o, size_t w, char *b, size_t n)
{
	char io[32] = "", cpu[32] = "";

	if (o->io_us[w] > 0)
		snprintf(io, sizeof(io), "%.2g ms io", o->io_us[w] / 1e3);
	if (o->cpu_us[w] > 0)
		snprintf(cpu, sizeof(cpu), "%.2g ms cpu", o->cpu_us[w] / 1e3);
	snprintf(b, n, "%s (%s%s%s per task)", o->wl[w], io, *io && *cpu ? " + " : "", cpu);
	return b;
}

/* plotdata/spectrum-ol-W-MODEL.dat from spectra/<cell>.csv; rows or 0. */
static int spectrum_dat(const struct set *s, const char *wl, const char *model, size_t row)
{
	struct cells_csv t;
	char path[PLOTS_PATH_LEN], name[160];
	const char *id = s->tab.rows[row][cells_csv_col(&s->tab, "cell")];
	int cq, cl, rows = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/spectra/%s.csv", s->dir, id);
	if (cells_csv_read(path, &t))
		return 0;
	cq = cells_csv_col(&t, "quantile");
	cl = cells_csv_col(&t, "latency_us");
	snprintf(name, sizeof(name), "olspectrum-%s-%s", wl, model);
	f = cq >= 0 && cl >= 0 ? plots_dat_open(s, name, id, "quantile  1/(1-quantile)  latency_ms")
			       : NULL;
	for (size_t r = 0; f && r < t.nrows; r++) {
		double q = strtod(t.rows[r][cq], NULL), l = strtod(t.rows[r][cl], NULL);

		if (!(q >= 0 && q < 1) || !(l > 0))
			continue;
		fprintf(f, "%.8f %.6g %.6g\n", q, 1 / (1 - q), l / 1e3);
		rows++;
	}
	cells_csv_free(&t);
	if (f && fclose(f) != 0)
		return -errno;
	return rows;
}

/* The spectrum at the load nearest OL_SPECTRUM_PCT (relative rates), or
 * the middle rate. */
static const struct ol_point *spectrum_point(const struct ol_series *ser)
{
	const struct ol_point *best = NULL;

	for (size_t i = 0; i < ser->n; i++)
		if (ser->p[i].load_pct > 0 &&
		    (!best || abs(ser->p[i].load_pct - OL_SPECTRUM_PCT) <
				      abs(best->load_pct - OL_SPECTRUM_PCT)))
			best = &ser->p[i];
	return best ? best : ser->n ? &ser->p[ser->n / 2] : NULL;
}

int plots_write_openloop(struct set *s)
{
	struct ol o;
	char wls[PLOTS_LIST_LEN] = "", b[256], var[64];
	int rc = ol_collect(s, &o);

	if (rc)
		return rc;
	if (!o.nwl) {
		plots_no_chart(s, "latency");
		plots_no_chart(s, "latency-spectrum");
	}
	for (size_t w = 0; w < o.nwl; w++) {
		char models[PLOTS_LIST_LEN] = "", spec_models[PLOTS_LIST_LEN] = "";
		int spec_pct = -1;

		plots_list_add(wls, sizeof(wls), o.wl[w]);
		for (size_t k = 0; k < o.nmodels; k++) {
			const struct ol_series *ser = series(&o, w, k);
			const struct ol_point *sp = spectrum_point(ser);
			char name[160];
			FILE *f;
			bool any = false;

			if (!ser->n)
				continue;
			snprintf(name, sizeof(name), "latency-%s-%s", o.wl[w], s->models[k]);
			f = plots_dat_open(s, name, "open loop: latency against offered rate",
					   "offered_tps  p50_ms  p99_ms  achieved_tps  load_pct  "
					   "p99_lo_ms  p99_hi_ms");
			if (!f)
				return -EIO;
			for (size_t i = 0; i < ser->n; i++) {
				const struct ol_point *p = &ser->p[i];
				/* a p99 of fewer than OL_P99_N samples is no p99 */
				double k = p->samples >= OL_P99_N ? 1e3 : NAN;

				if (!p->ok)
					continue;
				fprintf(f, "%.6g %.6g %.6g %.6g %d %.6g %.6g\n", p->rate,
					p->p50 / 1e3, p->p99 / k, p->achieved, p->load_pct,
					(isfinite(p->p99_lo) ? p->p99_lo : p->p99) / k,
					(isfinite(p->p99_hi) ? p->p99_hi : p->p99) / k);
				any = true;
			}
			if (fclose(f) != 0)
				return -errno;
			if (any)
				plots_list_add(models, sizeof(models), s->models[k]);
			if (sp && sp->ok &&
			    (rc = spectrum_dat(s, o.wl[w], s->models[k], sp->row)) < 0)
				return rc;
			if (sp && sp->ok && rc > 0) {
				plots_list_add(spec_models, sizeof(spec_models), s->models[k]);
				spec_pct = sp->load_pct > 0 ? sp->load_pct : spec_pct;
			}
		}
		snprintf(var, sizeof(var), "ol_models_%zu", w + 1);
		plots_var_str(s, var, "%s", models);
		snprintf(var, sizeof(var), "ol_spectrum_models_%zu", w + 1);
		plots_var_str(s, var, "%s", spec_models);
		snprintf(var, sizeof(var), "ol_title_%zu", w + 1);
		plots_var_str(s, var, "%s", regime(&o, w, b, sizeof(b)));
		snprintf(var, sizeof(var), "ol_spectrum_title_%zu", w + 1);
		if (spec_pct > 0)
			plots_var_str(s, var, "%s at %d%% of each model's capacity", b, spec_pct);
		else
			plots_var_str(s, var, "%s at a middle rate", b);
		fprintf(s->vars, "ol_slo_ms_%zu = %g\n", w + 1, o.slo_us[w] / 1e3);
	}
	plots_var_str(s, "ol_workloads", "%s", wls);
	ol_free(&o);
	return 0;
}

/* A rate, like 4,500 tasks/s. */
static const char *rate_text(double v, char *b, size_t n)
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
static const char *bracket_text(const struct ol_series *ser, char *b, size_t n)
{
	char r[64], lo[64], hi[64];

	if (ser->none || !isfinite(ser->sustained))
		snprintf(b, n, "none: not even the lowest probe (%.0f probes)", ser->probes);
	else
		snprintf(b, n, "%s [%s, %s], %.0f probes", rate_text(ser->sustained, r, sizeof(r)),
			 plots_count(round(ser->lo), lo, sizeof(lo)),
			 isfinite(ser->hi) ? plots_count(round(ser->hi), hi, sizeof(hi))
					   : "not bracketed",
			 ser->probes);
	return b;
}

/* Every model of regime w was searched. */
static bool regime_searched(const struct ol *o, size_t w)
{
	size_t n = 0;

	for (size_t k = 0; k < o->nmodels; k++) {
		const struct ol_series *ser = series(o, w, k);

		if (ser->n && !ser->searched)
			return false;
		n += ser->n > 0;
	}
	return n > 0;
}

/* A searched regime: the highest sustained rate and the next, with their
 * brackets. One search per model is no sample: the verdict rule cannot
 * test it, so it names no winner and no tie ("untested"). */
static void decide_searched(const struct set *s, const struct ol *o, size_t w, FILE *f)
{
	const struct ol_series *best = NULL, *second = NULL;
	size_t kb = 0, ks = 0;
	char b1[160], b2[160], b3[160];

	for (size_t k = 0; k < o->nmodels; k++) {
		const struct ol_series *ser = series(o, w, k);

		if (!ser->n || !(sustainable(ser, o->slo_us[w]) > 0))
			continue;
		if (!best || ser->sustained > best->sustained) {
			second = best, ks = kb;
			best = ser, kb = k;
		} else if (!second || ser->sustained > second->sustained) {
			second = ser, ks = k;
		}
	}
	fprintf(f, "| %s | %g ms | ", regime(o, w, b3, sizeof(b3)), o->slo_us[w] / 1e3);
	if (!best) {
		fprintf(f, "none: no model sustained a rate | | |\n");
		return;
	}
	if (best->tested && second) { /* the rule on the searches' rates */
		char vb[VERDICT_FMT_MAX];

		fprintf(f, "%s | %s | %s, %s |\n",
			verdict_format(&best->v, s->models[kb], s->models[ks], vb, sizeof(vb)),
			bracket_text(best, b1, sizeof(b1)), s->models[ks],
			bracket_text(second, b2, sizeof(b2)));
		return;
	}
	/* one search per model: no sample to test, so no winner and no tie */
	fprintf(f, "%s, untested (one search per model) | %s | ", s->models[kb],
		bracket_text(best, b1, sizeof(b1)));
	if (second)
		fprintf(f, "%s, %s (%.2g× less%s) |\n", s->models[ks],
			bracket_text(second, b2, sizeof(b2)), best->sustained / second->sustained,
			isfinite(second->hi) && second->hi >= best->lo ? "; brackets overlap" : "");
	else
		fprintf(f, "no other model sustains a rate |\n");
}

/* The best and the runner-up of a searched regime, by median rate. */
static void searched_top(const struct ol *o, size_t w, size_t *kb, size_t *ks)
{
	const struct ol_series *best = NULL, *second = NULL;

	*kb = *ks = SIZE_MAX;
	for (size_t k = 0; k < o->nmodels; k++) {
		const struct ol_series *ser = series(o, w, k);

		if (!ser->n || !(sustainable(ser, o->slo_us[w]) > 0))
			continue;
		if (!best || ser->sustained > best->sustained) {
			second = best, *ks = *kb;
			best = ser, *kb = k;
		} else if (!second || ser->sustained > second->sustained) {
			second = ser, *ks = k;
		}
	}
}

/* The searched regimes whose two best models have 2+ searches each: the
 * rule (lib/verdict.h) on seconds per task (1 / rate: lower is better),
 * Benjamini-Hochberg across the table. The verdict lands on the best
 * series (a: the best, b: the runner-up). */
static void test_searched(struct ol *o)
{
	struct verdict *fam[OL_MAX_WL];
	size_t n = 0;

	for (size_t w = 0; w < o->nwl; w++) {
		size_t kb, ks;
		struct ol_series *a, *b;
		double ia[OL_MAX_REPS], ib[OL_MAX_REPS];

		if (!regime_searched(o, w))
			continue;
		searched_top(o, w, &kb, &ks);
		if (kb == SIZE_MAX || ks == SIZE_MAX)
			continue;
		a = &o->s[w * o->nmodels + kb];
		b = &o->s[w * o->nmodels + ks];
		if (a->nrep < 2 || b->nrep < 2)
			continue;
		for (size_t i = 0; i < a->nrep; i++) /* a search that held nothing: no value */
			ia[i] = a->rep[i] > 0 ? 1 / a->rep[i] : NAN;
		for (size_t i = 0; i < b->nrep; i++)
			ib[i] = b->rep[i] > 0 ? 1 / b->rep[i] : NAN;
		if (verdict_test(ia, a->nrep, ib, b->nrep, &a->v))
			continue;
		a->tested = true;
		fam[n++] = &a->v;
	}
	if (n && verdict_adjust_ptr(fam, n, VERDICT_BH))
		for (size_t i = 0; i < n; i++) /* no memory: no adjustment, no winner */
			fam[i]->outcome = VERDICT_TIE;
}

/* The verdict of one regime through matrix_decide (lower is better: the
 * negated rate). *idx[i] is the model of contender i. */
static void decide(const struct set *s, const struct ol *o, size_t w, FILE *f)
{
	struct matrix_cell mc[64];
	size_t idx[64], n = 0, nv = 0;
	struct matrix_verdict *v = NULL;
	char b1[64], b2[64], b3[160];

	if (regime_searched(o, w)) {
		decide_searched(s, o, w, f);
		return;
	}
	for (size_t k = 0; k < o->nmodels && n < 64; k++) {
		const struct ol_series *ser = series(o, w, k);
		double r = sustainable(ser, o->slo_us[w]);

		if (!ser->n)
			continue;
		mc[n] = (struct matrix_cell){ .model = s->models[k],
					      .share_pct = (double)w,
					      .concurrency = 1,
					      .ok = r > 0,
					      .med = -r,
					      .min = -r,
					      .max = -r };
		idx[n++] = k;
	}
	if (n == 0 || matrix_decide(mc, n, &v, &nv) || nv == 0) {
		fprintf(f, "| %s | %g ms | no verdict | | |\n", regime(o, w, b3, sizeof(b3)),
			o->slo_us[w] / 1e3);
		return;
	}
	fprintf(f, "| %s | %g ms | ", regime(o, w, b3, sizeof(b3)), o->slo_us[w] / 1e3);
	if (v[0].winner < 0) {
		fprintf(f, "none: no model kept p99 under the SLO | | |\n");
	} else {
		/* one figure per model, no reps: never a winner, never a tie */
		double a = -mc[v[0].winner].med;
		double r = v[0].runner_up >= 0 ? -mc[v[0].runner_up].med : 0;

		fprintf(f, "%s, untested (one run per model) | %s | ", s->models[idx[v[0].winner]],
			rate_text(a, b1, sizeof(b1)));
		if (v[0].runner_up >= 0)
			fprintf(f, "%s, %s (%.2g× less) |\n", s->models[idx[v[0].runner_up]],
				rate_text(r, b2, sizeof(b2)), a / r);
		else
			fprintf(f, "no other model sustains a rate |\n");
	}
	matrix_free(v, nv);
}

/* "30% (4,500 tasks/s)" - where the knee is, or why there is none. */
static const char *knee_text(const struct ol_series *ser, char *b, size_t n)
{
	const struct ol_point *kn = knee(ser), *base = baseline(ser);
	char r[64];

	if (!base)
		snprintf(b, n, "no finding: no load with %d samples for the baseline", OL_BASE_N);
	else if (kn && kn->load_pct > 0)
		snprintf(b, n, "%d%% (%s)", kn->load_pct, rate_text(kn->rate, r, sizeof(r)));
	else if (kn)
		snprintf(b, n, "%s", rate_text(kn->rate, r, sizeof(r)));
	else
		snprintf(b, n, "not within the rates tried");
	return b;
}

/* The per-model figures of one regime, as table rows. */
static void model_rows(const struct set *s, const struct ol *o, size_t w, FILE *f)
{
	char b1[64], b2[160], b3[160];

	for (size_t k = 0; k < o->nmodels; k++) {
		const struct ol_series *ser = series(o, w, k);

		if (!ser->n)
			continue;
		if (ser->searched)
			bracket_text(ser, b2, sizeof(b2));
		else
			rate_text(sustainable(ser, o->slo_us[w]), b2, sizeof(b2));
		fprintf(f, "| %s | %s | %s | %s | %.0f | %s |\n", o->wl[w], s->models[k],
			isfinite(ser->capacity) ? rate_text(ser->capacity, b1, sizeof(b1)) : "?",
			b2, ser->n ? ser->p[0].samples : 0, knee_text(ser, b3, sizeof(b3)));
	}
}

int plots_openloop_md(const struct set *s, FILE *f)
{
	struct ol o;
	int rc = ol_collect(s, &o);

	if (rc || o.nwl == 0) {
		ol_free(&o);
		return rc;
	}
	fprintf(f,
		"\n## Open loop: the highest rate with p99 under the SLO\n\n"
		"Tasks arrive at a fixed rate whether or not the model keeps up; latency "
		"counts from each task's intended release. A model *sustains* a rate when "
		"its run is clean, its p99 is at most the SLO, it keeps up (completed / "
		"(makespan - p50) at least %.0f%% of the offered rate) and no backlog grows "
		"(the p50 of the last fifth of the tasks within %g× the first fifth's). "
		"With `rate: search` the rate is the highest one a bisection found, with "
		"its bracket (capacity.csv). Otherwise the rates are the grid's (percent "
		"of each model's batch capacity). Either way it is one figure per model, "
		"not a sample of reps, so the verdict rule (lib/verdict.h) cannot test "
		"it: the table names the highest, *untested*, never a winner or a "
		"tie. With `search_reps: N` (N >= 2) each model is searched N times, "
		"interleaved, and the rule tests the two highest on their N rates "
		"(seconds per task, Benjamini-Hochberg across this table): a ratio with "
		"its 95%% interval, a winner or a tie.\n\n"
		"| regime | SLO | highest | sustains | next |\n|---|---|---|---|---|\n",
		SUSTAIN_KEEP_UP * 100, SUSTAIN_BACKLOG);
	test_searched(&o);
	for (size_t w = 0; w < o.nwl; w++)
		decide(s, &o, w, f);
	fprintf(f,
		"\n| regime | model | batch capacity | sustains at the SLO | samples at the "
		"lowest load | p99 passes %g× its unloaded p99 at |\n|---|---|---|---|---|---|\n",
		OL_KNEE);
	for (size_t w = 0; w < o.nwl; w++)
		model_rows(s, &o, w, f);
	ol_free(&o);
	return 0;
}

int plots_openloop_report(const struct set *s, FILE *f)
{
	struct ol o;
	char b1[160], b2[64], b3[160];
	int rc = ol_collect(s, &o);

	if (rc || o.nwl == 0) {
		ol_free(&o);
		return rc;
	}
	fprintf(f, "\n### Open loop: the rate each model sustains (latency.png)\n\n");
	for (size_t w = 0; w < o.nwl; w++) {
		fprintf(f, "- **%s**, SLO p99 ≤ %g ms:\n", regime(&o, w, b3, sizeof(b3)),
			o.slo_us[w] / 1e3);
		for (size_t k = 0; k < o.nmodels; k++) {
			const struct ol_series *ser = series(&o, w, k);
			const struct ol_point *kn = knee(ser), *base = baseline(ser);

			if (!ser->n)
				continue;
			if (ser->searched)
				fprintf(f, "  - %s sustains %s", s->models[k],
					bracket_text(ser, b1, sizeof(b1)));
			else
				fprintf(f, "  - %s sustains %s", s->models[k],
					rate_text(sustainable(ser, o.slo_us[w]), b1, sizeof(b1)));
			if (isfinite(ser->capacity))
				fprintf(f, " (batch capacity %s)",
					rate_text(ser->capacity, b2, sizeof(b2)));
			if (!base)
				fprintf(f,
					"; no knee: no load has %d samples for a solid baseline\n",
					OL_BASE_N);
			else if (kn)
				fprintf(f,
					"; its p99 passes %g× the unloaded %.3g ms (at %s, n=%.0f) "
					"at %s\n",
					OL_KNEE, base->p99 / 1e3,
					rate_text(base->rate, b2, sizeof(b2)), base->samples,
					knee_text(ser, b3, sizeof(b3)));
			else
				fprintf(f,
					"; its p99 stays within %g× the unloaded %.3g ms (n=%.0f) "
					"at "
					"every rate tried\n",
					OL_KNEE, base->p99 / 1e3, base->samples);
		}
	}
	ol_free(&o);
	return 0;
}
