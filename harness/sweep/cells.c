/* cells.c - read result-set tables and fold trials into per-cell summaries.
 * results.csv holds one row per trial; cells.csv holds one row per cell
 * with the median, min, max and sample stddev of every figure. */
#include "cells.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *const cells_metrics[CELLS_NMETRICS] = {
	"makespan_s",	   "throughput_tps", "bound_s",	    "efficiency",
	"cpu_us_per_task", "lat_p50_us",     "lat_p90_us",   "lat_p99_us",
	"lat_p999_us",	   "lat_max_us",     "svc_p50_us",   "svc_p99_us",
	"cpu_user_s",	   "cpu_sys_s",	     "ctx_voluntary", "ctx_involuntary",
	"rss_peak_kib",	   "pss_peak_kib",   "pss_base_kib", "mem_per_task_kib",
	"processes",	   "threads",	     "errors",	    "setup_s",
	"wall_s",
};
#define WALL (CELLS_NMETRICS - 1)

/* ---- csv ----------------------------------------------------------------- */

/* Split one line at commas into a malloc'd array of fields. */
static char **split_fields(char *line, size_t *n)
{
	size_t count = 1, i = 0;
	char **f;

	for (char *p = line; *p; p++)
		count += *p == ',';
	f = malloc(count * sizeof(*f));
	if (!f)
		return NULL;
	f[i++] = line;
	for (char *p = line; *p; p++)
		if (*p == ',') {
			*p = '\0';
			f[i++] = p + 1;
		}
	*n = count;
	return f;
}

int cells_csv_parse(char *text, struct cells_csv *t)
{
	char *line = text, *nl;
	size_t cap = 0, nf;
	char **f;

	memset(t, 0, sizeof(*t));
	t->buf = text;
	for (; *line; line = nl ? nl + 1 : line + strlen(line)) {
		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		line[strcspn(line, "\r")] = '\0';
		if (!*line)
			continue;
		f = split_fields(line, &nf);
		if (!f)
			goto out_nomem;
		if (!t->hdr) {
			t->hdr = f;
			t->ncols = nf;
			continue;
		}
		if (nf != t->ncols) {
			free(f);
			t->dropped++;
			continue;
		}
		if (t->nrows == cap) {
			char ***nr;

			cap = cap ? 2 * cap : 64;
			nr = realloc(t->rows, cap * sizeof(*nr));
			if (!nr) {
				free(f);
				goto out_nomem;
			}
			t->rows = nr;
		}
		t->rows[t->nrows++] = f;
		if (!nl)
			break;
	}
	return 0;
out_nomem:
	cells_csv_free(t);
	return -ENOMEM;
}

/* The whole file as a malloc'd string. 0 or -errno. */
static int slurp(const char *path, char **out)
{
	FILE *f = fopen(path, "r");
	size_t cap = 65536, n = 0, got;
	char *buf, *nb;

	if (!f)
		return -errno;
	buf = malloc(cap + 1);
	if (!buf)
		goto out_close;
	while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			cap *= 2;
			nb = realloc(buf, cap + 1);
			if (!nb)
				goto out_free;
			buf = nb;
		}
	}
	fclose(f);
	buf[n] = '\0';
	*out = buf;
	return 0;
out_free:
	free(buf);
out_close:
	fclose(f);
	return -ENOMEM;
}

int cells_csv_read(const char *path, struct cells_csv *t)
{
	char *text;
	int rc = slurp(path, &text);

	if (rc) {
		memset(t, 0, sizeof(*t));
		return rc;
	}
	return cells_csv_parse(text, t);
}

void cells_csv_free(struct cells_csv *t)
{
	for (size_t i = 0; i < t->nrows; i++)
		free(t->rows[i]);
	free(t->rows);
	free(t->hdr);
	free(t->buf);
	memset(t, 0, sizeof(*t));
}

int cells_csv_col(const struct cells_csv *t, const char *name)
{
	for (size_t i = 0; i < t->ncols; i++)
		if (strcmp(t->hdr[i], name) == 0)
			return (int)i;
	return -1;
}

/* ---- hyperfine ----------------------------------------------------------- */

/* The numbers of the array after "key": in json; null reads as -1. */
static size_t json_numbers(const char *json, const char *key, double *v, size_t max)
{
	char pat[64];
	const char *p;
	char *end;
	size_t n = 0;

	snprintf(pat, sizeof(pat), "\"%s\"", key);
	p = strstr(json, pat);
	if (!p)
		return 0;
	p = strchr(p + strlen(pat), '[');
	if (!p)
		return 0;
	for (p++; *p && *p != ']';) {
		if (strchr(" \t\r\n,", *p)) {
			p++;
		} else if (strncmp(p, "null", 4) == 0) {
			if (n < max)
				v[n++] = -1;
			p += 4;
		} else {
			double d = strtod(p, &end);

			if (end == p)
				break;
			if (n < max)
				v[n++] = d;
			p = end;
		}
	}
	return n;
}

int cells_hf_parse(const char *json, struct cells_hf *hf)
{
	double codes[CELLS_MAX_REPS];

	memset(hf, 0, sizeof(*hf));
	hf->ntimes = json_numbers(json, "times", hf->times, CELLS_MAX_REPS);
	hf->ncodes = json_numbers(json, "exit_codes", codes, CELLS_MAX_REPS);
	for (size_t i = 0; i < hf->ncodes; i++)
		hf->codes[i] = (int)codes[i];
	return hf->ntimes ? 0 : -EINVAL;
}

int cells_hf_read(const char *path, struct cells_hf *hf)
{
	char *text;
	int rc = slurp(path, &text);

	if (rc) {
		memset(hf, 0, sizeof(*hf));
		return rc;
	}
	rc = cells_hf_parse(text, hf);
	free(text);
	return rc;
}

/* ---- summary ------------------------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

void cells_stats(double *v, size_t n, double *med, double *min, double *max, double *sd)
{
	double mean = 0, ss = 0;

	qsort(v, n, sizeof(v[0]), cmp_double);
	*min = v[0];
	*max = v[n - 1];
	*med = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	for (size_t i = 0; i < n; i++)
		mean += v[i];
	mean /= (double)n;
	for (size_t i = 0; i < n; i++)
		ss += (v[i] - mean) * (v[i] - mean);
	*sd = n > 1 ? sqrt(ss / (double)(n - 1)) : 0;
}

/* The trials of one cell: row per rep, the last one of a rep wins. */
static unsigned pick_rows(const struct spec_cell *cell, const struct cells_csv *res,
			  char **rows[CELLS_MAX_REPS])
{
	int ccell = cells_csv_col(res, "cell"), crep = cells_csv_col(res, "rep");
	unsigned n = 0, k = 0;

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
	for (k = 0; k < CELLS_MAX_REPS; k++)
		if (rows[k])
			rows[n++] = rows[k];
	return n;
}

static double field(const struct cells_csv *res, char **row, const char *name)
{
	int c = cells_csv_col(res, name);

	return c < 0 ? 0 : strtod(row[c], NULL);
}

unsigned cells_summarize(const struct spec_cell *cell, const struct cells_csv *res,
			 const struct cells_hf *hf, struct cells_summary *s)
{
	char **rows[CELLS_MAX_REPS];
	double v[CELLS_MAX_REPS];
	int csum = cells_csv_col(res, "checksum");
	unsigned n = pick_rows(cell, res, rows);

	memset(s, 0, sizeof(*s));
	s->cell = *cell;
	s->reps = n;
	if (n == 0)
		return 0;
	snprintf(s->checksum, sizeof(s->checksum), "%s", csum < 0 ? "" : rows[0][csum]);
	s->ok = csum >= 0;
	for (unsigned i = 0; i < n; i++) {
		double tasks = field(res, rows[i], "tasks");

		if (field(res, rows[i], "completed") != tasks ||
		    field(res, rows[i], "errors") != 0 || tasks <= 0)
			s->ok = false;
		if (csum >= 0 && strcmp(rows[i][csum], s->checksum) != 0)
			s->ok = false;
	}
	for (size_t i = 0; hf && i < hf->ncodes; i++)
		if (hf->codes[i] != 0)
			s->ok = false;
	for (int m = 0; m < WALL; m++) {
		for (unsigned i = 0; i < n; i++)
			v[i] = field(res, rows[i], cells_metrics[m]);
		cells_stats(v, n, &s->med[m], &s->min[m], &s->max[m], &s->sd[m]);
	}
	if (hf && hf->ntimes) {
		memcpy(v, hf->times, hf->ntimes * sizeof(v[0]));
		cells_stats(v, hf->ntimes, &s->med[WALL], &s->min[WALL], &s->max[WALL],
			    &s->sd[WALL]);
	}
	return n;
}

static const char *const param_cols[] = {
	"cell", "grid", "model", "workload", "tasks", "concurrency", "workers", "conn",
	"io_latency_us", "payload", "cpu_iters", "share_pct", "reps", "ok", "checksum",
};
#define NPARAMS (sizeof(param_cols) / sizeof(param_cols[0]))

static void write_header(FILE *f)
{
	for (size_t i = 0; i < NPARAMS; i++)
		fprintf(f, "%s%s", i ? "," : "", param_cols[i]);
	for (int m = 0; m < CELLS_NMETRICS; m++)
		fprintf(f, ",%s_med,%s_min,%s_max,%s_sd", cells_metrics[m], cells_metrics[m],
			cells_metrics[m], cells_metrics[m]);
	fputc('\n', f);
}

static void write_row(FILE *f, const struct cells_summary *s)
{
	const struct spec_cell *c = &s->cell;

	fprintf(f, "%s,%s,%s,%s,%llu,%llu,%llu,%s,%llu,%llu,%llu,%d,%u,%d,%s", c->id, c->grid,
		c->model, c->workload, (unsigned long long)c->tasks,
		(unsigned long long)c->concurrency, (unsigned long long)c->workers,
		c->keepalive ? "keepalive" : "new", (unsigned long long)c->io_latency_us,
		(unsigned long long)c->payload, (unsigned long long)c->cpu_iters, c->share_pct,
		s->reps, s->ok ? 1 : 0, s->checksum);
	for (int m = 0; m < CELLS_NMETRICS; m++)
		fprintf(f, ",%.6g,%.6g,%.6g,%.6g", s->med[m], s->min[m], s->max[m], s->sd[m]);
	fputc('\n', f);
}

int cells_replace_file(const char *path, void (*put)(FILE *f, const void *arg), const void *arg)
{
	char tmp[4096];
	FILE *f;
	int rc = 0;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	f = fopen(tmp, "w");
	if (!f)
		return -errno;
	put(f, arg);
	if (fflush(f) != 0 || ferror(f))
		rc = -EIO;
	if (fclose(f) != 0 && rc == 0)
		rc = -EIO;
	if (rc == 0 && rename(tmp, path) != 0)
		rc = -errno;
	if (rc)
		unlink(tmp);
	return rc;
}

struct cells_table {
	const struct cells_summary *s; /* the rows */
	size_t n;                      /* how many */
};

static void put_cells(FILE *f, const void *arg)
{
	const struct cells_table *t = arg;

	write_header(f);
	for (size_t i = 0; i < t->n; i++)
		write_row(f, &t->s[i]);
}

int cells_write(const char *path, const struct cells_summary *s, size_t n)
{
	struct cells_table t = { s, n };

	return cells_replace_file(path, put_cells, &t);
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
	for (size_t i = 0; i < t->nrows; i++) {
		char **r = t->rows[i];
		struct spec_cell *c = &v[i];

		snprintf(c->id, sizeof(c->id), "%s", r[col[0]]);
		snprintf(c->grid, sizeof(c->grid), "%s", r[col[1]]);
		snprintf(c->model, sizeof(c->model), "%s", r[col[2]]);
		snprintf(c->workload, sizeof(c->workload), "%s", r[col[3]]);
		c->tasks = strtoull(r[col[4]], NULL, 10);
		c->concurrency = strtoull(r[col[5]], NULL, 10);
		c->workers = strtoull(r[col[6]], NULL, 10);
		c->keepalive = strcmp(r[col[7]], "keepalive") == 0;
		c->io_latency_us = strtoull(r[col[8]], NULL, 10);
		c->payload = strtoull(r[col[9]], NULL, 10);
		c->cpu_iters = strtoull(r[col[10]], NULL, 10);
		c->share_pct = (int)strtol(r[col[11]], NULL, 10);
	}
	*cells = v;
	*n = t->nrows;
	return 0;
}
