/* cells.c - fold the trials of results.csv into per-cell summaries and
 * write cells.csv: a cell's parameters, whether it is ok, and the median,
 * min, max and sample stddev of every metric. */
#include "cells.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../models/model.h"
#include "../../workloads/workload.h"
#include "../cli.h"
#include "../result.h"
#include "../../lib/util.h"
#include "../../lib/verdict.h"
#include "setio.h"

#define WALL_S "wall_s" /* hyperfine's wall time of a run: the last metric */

/* The metric columns of the core's column table, in its order (found
 * once; NULL and 0 only when out of memory). */
static const struct result_col **metric_cols(size_t *n)
{
	static const struct result_col **cols;
	static size_t ncols;
	size_t nall;
	const struct result_col *all = result_columns(&nall);

	if (!cols && (cols = calloc(nall ? nall : 1, sizeof(*cols))))
		for (size_t i = 0; i < nall; i++)
			if (all[i].flags & COL_METRIC)
				cols[ncols++] = &all[i];
	*n = ncols;
	return cols;
}

size_t cells_nmetrics(void)
{
	size_t n;

	metric_cols(&n);
	return n + 1;
}

const char *cells_metric(size_t i)
{
	size_t n;
	const struct result_col **cols = metric_cols(&n);

	return i < n ? cols[i]->name : i == n ? WALL_S : NULL;
}

int cells_metric_index(const char *name)
{
	for (size_t i = 0; cells_metric(i); i++)
		if (strcmp(cells_metric(i), name) == 0)
			return (int)i;
	return -1;
}

void cells_stats(double *v, size_t n, struct cells_fig *out)
{
	double mean = 0, ss = 0;

	qsort(v, n, sizeof(v[0]), cmp_double);
	out->min = v[0];
	out->max = v[n - 1];
	out->med = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	for (size_t i = 0; i < n; i++)
		mean += v[i];
	mean /= (double)n;
	for (size_t i = 0; i < n; i++)
		ss += (v[i] - mean) * (v[i] - mean);
	out->sd = n > 1 ? sqrt(ss / (double)(n - 1)) : 0;
}

/* The trials of one cell: row per rep, the last one of a rep wins. */
static unsigned pick_rows(const struct spec_cell *cell, const struct cells_csv *res,
			  char **rows[CELLS_MAX_REPS])
{
	int ccell = cells_csv_col(res, "cell"), crep = cells_csv_col(res, "rep");
	unsigned n = 0;

	if (ccell < 0 || crep < 0)
		return 0;
	memset(rows, 0, CELLS_MAX_REPS * sizeof(rows[0]));
	for (size_t i = 0; i < res->nrows; i++) {
		char **r = res->rows[i];
		long rep;

		if (strcmp(r[ccell], cell->id) != 0)
			continue;
		rep = strtol(r[crep], NULL, 10);
		if (rep >= 1 && rep <= CELLS_MAX_REPS)
			rows[rep - 1] = r;
	}
	for (unsigned k = 0; k < CELLS_MAX_REPS; k++)
		if (rows[k])
			rows[n++] = rows[k];
	return n;
}

/* Fields joined by commas: a csv line again. */
static char *join(char **f, size_t n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	if (!m)
		return NULL;
	for (size_t i = 0; i < n; i++)
		fprintf(m, "%s%s", i ? "," : "", f[i]);
	if (fclose(m) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* A results.csv row as a result row: the columns the column table knows
 * (cell and rep are not among them). 0, -EINVAL or -ENOMEM. */
static int parse_trial(const struct cells_csv *res, char **fields, struct result_row *row)
{
	char *hdr = join(res->hdr, res->ncols), *line = join(fields, res->ncols);
	int rc = hdr && line ? result_csv_parse(hdr, line, row) : -ENOMEM;

	free(hdr);
	free(line);
	return rc;
}

/* Every trial completed every task without error, with one checksum, and
 * hyperfine saw every measured run exit 0. */
static bool trials_ok(const struct result_row *t, unsigned n, const struct cells_hf *hf)
{
	bool ok = true;

	for (unsigned i = 0; i < n; i++)
		if (t[i].completed != t[i].tasks || t[i].errors != 0 || t[i].tasks <= 0 ||
		    strcmp(t[i].checksum, t[0].checksum) != 0)
			ok = false;
	for (size_t i = 0; hf && i < hf->ncodes; i++)
		if (hf->codes[i] != 0)
			ok = false;
	return ok;
}

const char *const cells_ci_metric[CELLS_NCI] = { "makespan_s", "lat_p99_us", "mem_per_task_kib" };

bool cells_ci_within(double center, double lo, double hi, double pct)
{
	double tol = fabs(center) * pct / 100;

	return isfinite(lo) && isfinite(hi) && lo >= center - tol && hi <= center + tol;
}

/* The 95% intervals of the geometric means (verdict_gmean_ci: the center
 * the verdicts compare), and whether the makespan's reached the cell's ci:. */
static void summarize_ci(const struct result_row *t, unsigned n, struct cells_summary *s)
{
	double v[CELLS_MAX_REPS], c = NAN;

	for (size_t k = 0; k < CELLS_NCI; k++) {
		const struct result_col *col = result_col_find(cells_ci_metric[k]);
		double center;

		s->ci[k][0] = s->ci[k][1] = NAN;
		if (!col)
			continue;
		for (unsigned i = 0; i < n; i++)
			v[i] = result_num(&t[i], col);
		if (verdict_gmean_ci(v, n, 0.95, &center, &s->ci[k][0], &s->ci[k][1]) != 0)
			s->ci[k][0] = s->ci[k][1] = NAN;
		if (k == 0)
			c = center;
	}
	s->ci_met =
		s->cell.ci_pct > 0 && cells_ci_within(c, s->ci[0][0], s->ci[0][1], s->cell.ci_pct);
}

/* The figures of the trials, and hyperfine's wall times, into s->fig. */
static void summarize_figures(const struct result_row *t, unsigned n, const struct cells_hf *hf,
			      struct cells_summary *s)
{
	double v[CELLS_MAX_REPS];
	size_t ncols;
	const struct result_col **cols = metric_cols(&ncols);

	for (size_t m = 0; m < ncols; m++) {
		for (unsigned i = 0; i < n; i++)
			v[i] = result_num(&t[i], cols[m]);
		cells_stats(v, n, &s->fig[m]);
	}
	summarize_ci(t, n, s);
	if (hf && hf->ntimes) {
		memcpy(v, hf->times, hf->ntimes * sizeof(v[0]));
		cells_stats(v, hf->ntimes, &s->fig[ncols]);
	}
}

int cells_summarize(const struct spec_cell *cell, const struct cells_csv *res,
		    const struct cells_hf *hf, struct cells_summary *s)
{
	char **rows[CELLS_MAX_REPS];
	struct result_row *t;
	unsigned n = pick_rows(cell, res, rows);
	bool parsed = cells_csv_col(res, "checksum") >= 0;

	memset(s, 0, sizeof(*s));
	s->cell = *cell;
	s->reps = n;
	if (n == 0)
		return 0;
	t = calloc(n, sizeof(*t));
	s->fig = calloc(cells_nmetrics(), sizeof(*s->fig));
	if (!t || !s->fig) {
		free(t);
		cells_summary_free(s);
		return -ENOMEM;
	}
	for (unsigned i = 0; i < n; i++)
		if (parse_trial(res, rows[i], &t[i]) != 0)
			parsed = false; /* a row this cmbench cannot read is no good trial */
	snprintf(s->checksum, sizeof(s->checksum), "%s", t[0].checksum);
	s->ok = parsed && trials_ok(t, n, hf);
	summarize_figures(t, n, hf, s);
	free(t);
	return (int)n;
}

void cells_summary_free(struct cells_summary *s)
{
	free(s->fig);
	s->fig = NULL;
}

/* cells.csv: the cell and its grid, the run's parameter columns (those
 * of the column table marked COL_PARAM), the share, then reps, ok and the
 * checksum, then four columns per metric. */
static const char *const head_cols[] = { "cell", "grid" };
static const char *const tail_cols[] = { "share_pct", "reps", "ok", "checksum" };

/* The run of a result row's parameters: the inverse of result_params. */
static int param_cfg(const struct result_row *r, struct run_cfg *cfg)
{
	cli_run_defaults(cfg);
	cfg->model = model_find(r->model);
	cfg->workload = workload_find(r->workload);
	if (!cfg->model || !cfg->workload)
		return -EINVAL;
	cfg->format = FMT_CSV;
	cfg->keepalive = strcmp(r->conn, "keepalive") == 0;
	cfg->tasks = (uint64_t)r->tasks;
	cfg->concurrency = (uint64_t)r->concurrency;
	cfg->workers = (uint64_t)r->workers;
	cfg->io_latency_us = (uint64_t)r->io_latency_us;
	cfg->payload = (uint64_t)r->payload;
	cfg->cpu_iters = (uint64_t)r->cpu_iters;
	cfg->cpu_target_us = 0;
	cfg->rate_tps = r->rate_tps > 0 ? r->rate_tps : 0;
	cfg->poisson = strcmp(r->arrivals, "poisson") == 0;
	return 0;
}

/* A value as result_csv_row prints it. */
static void put_value(FILE *f, const struct result_row *r, const struct result_col *c)
{
	double v = result_num(r, c);

	if (c->kind == COL_STR)
		fprintf(f, ",%s", result_str(r, c));
	else
		fprintf(f, c->kind == COL_INT ? ",%.0f" : ",%.6g", v);
}

static void write_header(FILE *f)
{
	size_t ncols;
	const struct result_col *cols = result_columns(&ncols);
	const char *m;

	fprintf(f, "%s,%s", head_cols[0], head_cols[1]);
	for (size_t i = 0; i < ncols; i++)
		if (cols[i].flags & COL_PARAM)
			fprintf(f, ",%s", cols[i].name);
	for (size_t i = 0; i < sizeof(tail_cols) / sizeof(tail_cols[0]); i++)
		fprintf(f, ",%s", tail_cols[i]);
	for (size_t i = 0; (m = cells_metric(i)); i++)
		fprintf(f, ",%s_med,%s_min,%s_max,%s_sd", m, m, m, m);
	fprintf(f, ",label,reps_min,reps_max,ci_pct,ci_met,ci_stop");
	for (size_t i = 0; i < CELLS_NCI; i++)
		fprintf(f, ",%s_ci_lo,%s_ci_hi", cells_ci_metric[i], cells_ci_metric[i]);
	fputc('\n', f);
}

const char *cells_ci_stop(const struct cells_summary *s)
{
	if (s->reps == 0 || s->cell.reps_max == 0)
		return "";
	if (s->stop[0])
		return s->stop;
	if (!s->cell.stop_ci)
		return s->reps >= s->cell.reps_max ? "max"
		       : s->reps >= s->cell.reps   ? "early"
						   : "short";
	if (s->ci_met && s->reps >= s->cell.reps)
		return "target";
	return s->reps >= s->cell.reps_max ? "max" : s->reps >= s->cell.reps ? "budget" : "short";
}

static void write_row(FILE *f, const struct cells_summary *s)
{
	const struct spec_cell *c = &s->cell;
	static const struct cells_fig none;
	size_t ncols;
	const struct result_col *cols = result_columns(&ncols);
	struct result_row r;

	result_params(&c->cfg, &r);
	fprintf(f, "%s,%s", c->id, c->grid);
	for (size_t i = 0; i < ncols; i++)
		if (cols[i].flags & COL_PARAM)
			put_value(f, &r, &cols[i]);
	fprintf(f, ",%d,%u,%d,%s", c->share_pct, s->reps, s->ok ? 1 : 0, s->checksum);
	for (size_t m = 0; m < cells_nmetrics(); m++) {
		const struct cells_fig *x = s->fig ? &s->fig[m] : &none;

		fprintf(f, ",%.6g,%.6g,%.6g,%.6g", x->med, x->min, x->max, x->sd);
	}
	fprintf(f, ",%s,%u,%u,%g,%d,%s", c->label[0] ? c->label : c->cfg.model->name, c->reps,
		c->reps_max, c->ci_pct, s->ci_met ? 1 : 0, cells_ci_stop(s));
	for (size_t i = 0; i < CELLS_NCI; i++)
		fprintf(f, ",%.6g,%.6g", s->ci[i][0], s->ci[i][1]);
	fputc('\n', f);
}

struct cells_table {
	const struct cells_summary *s; /* the rows */
	size_t n;		       /* how many */
};

static int put_cells(FILE *f, const void *arg)
{
	const struct cells_table *t = arg;

	write_header(f);
	for (size_t i = 0; i < t->n; i++)
		write_row(f, &t->s[i]);
	return ferror(f) ? -ENOMEM : 0;
}

int cells_write(const char *path, const struct cells_summary *s, size_t n)
{
	struct cells_table t = { s, n };

	return setio_replace(path, put_cells, &t);
}

/* Whether s is a name cmbench makes (a cell id, a grid): [a-z0-9._-],
 * not starting with a dot, shorter than max. It names files of the set. */
static bool plain(const char *s, size_t max)
{
	size_t n = strlen(s);

	return n > 0 && n < max && s[0] != '.' &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789._-") == n;
}

/* Row i of a cells table as a cell: its parameters through the column
 * table, then the columns of cells.csv's own. */
static int param_row(const struct cells_csv *t, size_t i, const int *own, struct spec_cell *c)
{
	struct result_row r;
	int rc;

	memset(c, 0, sizeof(*c));
	rc = parse_trial(t, t->rows[i], &r);
	if (rc == 0)
		rc = param_cfg(&r, &c->cfg);
	if (rc)
		return rc;
	if (!plain(t->rows[i][own[0]], sizeof(c->id)) ||
	    !plain(t->rows[i][own[1]], sizeof(c->grid)))
		return -EINVAL;
	snprintf(c->id, sizeof(c->id), "%s", t->rows[i][own[0]]);
	snprintf(c->grid, sizeof(c->grid), "%s", t->rows[i][own[1]]);
	c->share_pct = (int)strtol(t->rows[i][own[2]], NULL, 10);
	if (own[3] >= 0 && plain(t->rows[i][own[3]], sizeof(c->label)))
		snprintf(c->label, sizeof(c->label), "%s", t->rows[i][own[3]]);
	return 0;
}

int cells_params(const struct cells_csv *t, struct spec_cell **cells, size_t *n)
{
	size_t ncols;
	const struct result_col *cols = result_columns(&ncols);
	int own[4] = { cells_csv_col(t, head_cols[0]), cells_csv_col(t, head_cols[1]),
		       cells_csv_col(t, tail_cols[0]), cells_csv_col(t, "label") };
	struct spec_cell *v;
	int rc = 0;

	for (size_t i = 0; i < ncols; i++)
		if ((cols[i].flags & COL_PARAM) && cells_csv_col(t, cols[i].name) < 0)
			return -EINVAL;
	if (own[0] < 0 || own[1] < 0 || own[2] < 0)
		return -EINVAL;
	v = calloc(t->nrows ? t->nrows : 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (size_t i = 0; rc == 0 && i < t->nrows; i++)
		rc = param_row(t, i, own, &v[i]);
	if (rc) {
		free(v);
		return rc;
	}
	*cells = v;
	*n = t->nrows;
	return 0;
}
