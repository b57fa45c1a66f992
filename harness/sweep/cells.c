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
#include "../util.h"
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

static double field(const struct cells_csv *res, char **row, const char *name)
{
	int c = cells_csv_col(res, name);

	return c < 0 ? 0 : strtod(row[c], NULL);
}

/* Every trial completed every task without error, with one checksum, and
 * hyperfine saw every measured run exit 0. */
static bool trials_ok(const struct cells_csv *res, char **rows[], unsigned n,
		      const struct cells_hf *hf, const char *checksum)
{
	int csum = cells_csv_col(res, "checksum");
	bool ok = csum >= 0;

	for (unsigned i = 0; i < n; i++) {
		double tasks = field(res, rows[i], "tasks");

		if (field(res, rows[i], "completed") != tasks ||
		    field(res, rows[i], "errors") != 0 || tasks <= 0)
			ok = false;
		if (csum >= 0 && strcmp(rows[i][csum], checksum) != 0)
			ok = false;
	}
	for (size_t i = 0; hf && i < hf->ncodes; i++)
		if (hf->codes[i] != 0)
			ok = false;
	return ok;
}

int cells_summarize(const struct spec_cell *cell, const struct cells_csv *res,
		    const struct cells_hf *hf, struct cells_summary *s)
{
	char **rows[CELLS_MAX_REPS];
	double v[CELLS_MAX_REPS];
	int csum = cells_csv_col(res, "checksum");
	unsigned n = pick_rows(cell, res, rows);
	size_t wall = cells_nmetrics() - 1;

	memset(s, 0, sizeof(*s));
	s->cell = *cell;
	s->reps = n;
	if (n == 0)
		return 0;
	s->fig = calloc(wall + 1, sizeof(*s->fig));
	if (!s->fig)
		return -ENOMEM;
	snprintf(s->checksum, sizeof(s->checksum), "%s", csum < 0 ? "" : rows[0][csum]);
	s->ok = trials_ok(res, rows, n, hf, s->checksum);
	for (size_t m = 0; m < wall; m++) {
		for (unsigned i = 0; i < n; i++)
			v[i] = field(res, rows[i], cells_metric(m));
		cells_stats(v, n, &s->fig[m]);
	}
	if (hf && hf->ntimes) {
		memcpy(v, hf->times, hf->ntimes * sizeof(v[0]));
		cells_stats(v, hf->ntimes, &s->fig[wall]);
	}
	return (int)n;
}

void cells_summary_free(struct cells_summary *s)
{
	free(s->fig);
	s->fig = NULL;
}

static const char *const param_cols[] = {
	"cell",	   "grid", "model",	    "workload", "tasks",     "concurrency",
	"workers", "conn", "io_latency_us", "payload",	"cpu_iters", "share_pct",
	"reps",	   "ok",   "checksum",
};
#define NPARAMS (sizeof(param_cols) / sizeof(param_cols[0]))

static void write_header(FILE *f)
{
	const char *m;

	for (size_t i = 0; i < NPARAMS; i++)
		fprintf(f, "%s%s", i ? "," : "", param_cols[i]);
	for (size_t i = 0; (m = cells_metric(i)); i++)
		fprintf(f, ",%s_med,%s_min,%s_max,%s_sd", m, m, m, m);
	fputc('\n', f);
}

static void write_row(FILE *f, const struct cells_summary *s)
{
	const struct spec_cell *c = &s->cell;
	const struct run_cfg *r = &c->cfg;
	static const struct cells_fig none;

	fprintf(f, "%s,%s,%s,%s,%llu,%llu,%llu,%s,%llu,%llu,%llu,%d,%u,%d,%s", c->id, c->grid,
		r->model->name, r->workload->name, (unsigned long long)r->tasks,
		(unsigned long long)r->concurrency, (unsigned long long)r->workers,
		r->keepalive ? "keepalive" : "new", (unsigned long long)r->io_latency_us,
		(unsigned long long)r->payload, (unsigned long long)r->cpu_iters, c->share_pct,
		s->reps, s->ok ? 1 : 0, s->checksum);
	for (size_t m = 0; m < cells_nmetrics(); m++) {
		const struct cells_fig *x = s->fig ? &s->fig[m] : &none;

		fprintf(f, ",%.6g,%.6g,%.6g,%.6g", x->med, x->min, x->max, x->sd);
	}
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

/* Row r of t (columns col, in param_cols order) as a cell. */
static int param_row(char **r, const int *col, struct spec_cell *c)
{
	struct run_cfg *cfg = &c->cfg;

	memset(c, 0, sizeof(*c));
	cli_run_defaults(cfg);
	cfg->model = model_find(r[col[2]]);
	cfg->workload = workload_find(r[col[3]]);
	if (!cfg->model || !cfg->workload)
		return -EINVAL;
	snprintf(c->id, sizeof(c->id), "%s", r[col[0]]);
	snprintf(c->grid, sizeof(c->grid), "%s", r[col[1]]);
	cfg->format = FMT_CSV;
	cfg->tasks = strtoull(r[col[4]], NULL, 10);
	cfg->concurrency = strtoull(r[col[5]], NULL, 10);
	cfg->workers = strtoull(r[col[6]], NULL, 10);
	cfg->keepalive = strcmp(r[col[7]], "keepalive") == 0;
	cfg->io_latency_us = strtoull(r[col[8]], NULL, 10);
	cfg->payload = strtoull(r[col[9]], NULL, 10);
	cfg->cpu_iters = strtoull(r[col[10]], NULL, 10);
	cfg->cpu_target_us = 0;
	c->share_pct = (int)strtol(r[col[11]], NULL, 10);
	return 0;
}

int cells_params(const struct cells_csv *t, struct spec_cell **cells, size_t *n)
{
	int col[NPARAMS];
	struct spec_cell *v;

	for (size_t i = 0; i < NPARAMS; i++) {
		col[i] = cells_csv_col(t, param_cols[i]);
		if (col[i] < 0)
			return -EINVAL;
	}
	v = calloc(t->nrows ? t->nrows : 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < t->nrows; i++)
		if (param_row(t->rows[i], col, &v[i])) {
			free(v);
			return -EINVAL;
		}
	*cells = v;
	*n = t->nrows;
	return 0;
}
