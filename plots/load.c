/* load.c - what `cmbench plots` and `cmbench report` read: cells.csv
 * (every name in it checked, since they end up in file names and chart
 * labels), the reps of results.csv, meta.json and the spec it holds. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../harness/result.h"
#include "../lib/cmdutil.h"
#include "../models/model.h"
#include "../workloads/workload.h"
#include "set.h"

#define NAME_MAX_LEN 64 /* a model or workload name read from cells.csv */

const char *const plots_metric_col[NMETRIC] = { "makespan_s", "bound_s", "lat_p99_us",
						"mem_per_task_kib" };

const struct criterion plots_criteria[NCRIT] = {
	{ "time", "time (makespan)", M_MAKESPAN },
	{ "p99", "p99 latency", M_P99 },
	{ "memory", "memory per task (PSS)", M_MEM },
};

/* The columns of cells.csv a row is read from. */
struct cols {
	int id, grid, model, wl, share, conc, work, io, tasks, reps, ok;
	int sum, payload, iters; /* checksum, payload, cpu_iters: -1 when absent */
	int samples, eff, pss;	 /* samples_min, efficiency_max, pss_peak_kib_med: -1 when absent */
	int harness;		 /* harness_kib_med: -1 when absent */
	int v[NMETRIC][3];
	int ci[NMETRIC][2]; /* <metric>_ci_lo, _ci_hi: -1 when absent */
	int ci_met, ci_stop, ci_pct;
	int label; /* the model's name in its grid (models: LABEL=MODEL); -1 absent */
};

/* Only [a-z0-9] and the characters in extra, and shorter than max. */
static bool plain_name(const char *s, const char *extra, size_t max)
{
	size_t n = strlen(s);

	if (n == 0 || n >= max)
		return false;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) &&
		    !strchr(extra, *s))
			return false;
	return true;
}

/* Field col of data row r; "" when the column is absent. */
static const char *str_at(const struct cells_csv *t, size_t r, int col)
{
	return col < 0 ? "" : t->rows[r][col];
}

/* The field as a number; NAN when absent, empty or not wholly numeric. */
static double num_at(const struct cells_csv *t, size_t r, int col)
{
	const char *f = str_at(t, r, col);
	char *end;
	double v;

	if (!*f)
		return NAN;
	v = strtod(f, &end);
	return *end ? NAN : v;
}

/* The line type of a model: its place in the list, added when new. */
static int model_lt(struct set *s, const char *model)
{
	const char **nv;

	for (size_t i = 0; i < s->nmodels; i++)
		if (strcmp(s->models[i], model) == 0)
			return (int)i + 1;
	nv = realloc(s->models, (s->nmodels + 1) * sizeof(*nv));
	if (!nv)
		return -ENOMEM;
	s->models = nv;
	s->models[s->nmodels++] = model;
	return (int)s->nmodels;
}

/* The table's columns, checked; -CMD_EUSAGE said when one is missing. */
static int find_cols(const struct set *s, const char *path, struct cols *c)
{
	static const char *const need[] = { "cell",	   "grid", "model",	    "workload",
					    "concurrency", "ok",   "makespan_s_med" };
	static const char *const suffix[3] = { "med", "min", "max" };
	const struct cells_csv *t = &s->tab;
	char name[96];

	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++)
		if (cells_csv_col(t, need[i]) < 0) {
			cmd_say(s->cmd ? s->cmd : "plots", "%s: no column '%s'", path, need[i]);
			return -CMD_EUSAGE;
		}
	c->id = cells_csv_col(t, "cell");
	c->grid = cells_csv_col(t, "grid");
	c->model = cells_csv_col(t, "model");
	c->wl = cells_csv_col(t, "workload");
	c->share = cells_csv_col(t, "share_pct");
	c->conc = cells_csv_col(t, "concurrency");
	c->work = cells_csv_col(t, "workers");
	c->io = cells_csv_col(t, "io_latency_us");
	c->tasks = cells_csv_col(t, "tasks");
	c->reps = cells_csv_col(t, "reps");
	c->ok = cells_csv_col(t, "ok");
	c->sum = cells_csv_col(t, "checksum");
	c->payload = cells_csv_col(t, "payload");
	c->iters = cells_csv_col(t, "cpu_iters");
	c->samples = cells_csv_col(t, "samples_min");
	c->eff = cells_csv_col(t, "efficiency_max");
	c->pss = cells_csv_col(t, "pss_peak_kib_med");
	c->harness = cells_csv_col(t, "harness_kib_med");
	for (int m = 0; m < NMETRIC; m++)
		for (int k = 0; k < 3; k++) {
			snprintf(name, sizeof(name), "%s_%s", plots_metric_col[m], suffix[k]);
			c->v[m][k] = cells_csv_col(t, name);
		}
	for (int m = 0; m < NMETRIC; m++) {
		snprintf(name, sizeof(name), "%s_ci_lo", plots_metric_col[m]);
		c->ci[m][0] = cells_csv_col(t, name);
		snprintf(name, sizeof(name), "%s_ci_hi", plots_metric_col[m]);
		c->ci[m][1] = cells_csv_col(t, name);
	}
	c->ci_met = cells_csv_col(t, "ci_met");
	c->ci_pct = cells_csv_col(t, "ci_pct");
	c->label = cells_csv_col(t, "label");
	c->ci_stop = cells_csv_col(t, "ci_stop");
	return 0;
}

/* A share for a row off the share axis: that of its workload's parts. */
static double workload_share(const char *name)
{
	const struct workload_ops *w = workload_find(name);

	if (!w || w->does_io == w->does_cpu)
		return NAN;
	return w->does_io ? 0 : 100;
}

/* Why row r's names cannot be used, or NULL: they go into file names and
 * chart labels, so each must be a name this cmbench knows or a plain one. */
static const char *bad_names(const struct cell *c, const char *workload)
{
	if (!plain_name(c->id, "-_.", SPEC_ID_MAX))
		return "a cell id other than [a-z0-9._-]";
	if (!plain_name(c->grid, "_", SPEC_NAME_MAX))
		return "a grid name other than [a-z0-9_]";
	if (!model_find(c->model) && !plain_name(c->model, "-", NAME_MAX_LEN))
		return "a model name other than [a-z0-9-]";
	if (!workload_find(workload) && !plain_name(workload, "-", NAME_MAX_LEN))
		return "a workload name other than [a-z0-9-]";
	return NULL;
}

/* Row r of the table into c. */
static int read_row(struct set *s, const struct cols *k, size_t r, struct cell *c, const char *path)
{
	const struct cells_csv *t = &s->tab;
	const char *workload = str_at(t, r, k->wl), *why;

	c->id = str_at(t, r, k->id);
	c->grid = str_at(t, r, k->grid);
	c->model = str_at(t, r, k->model);
	c->m = model_find(c->model);
	if (*str_at(t, r, k->label)) /* an alias is known by its label, with its model's traits */
		c->model = str_at(t, r, k->label);
	c->one_slot = c->m && c->m->one_slot;
	c->share = num_at(t, r, k->share);
	c->conc = num_at(t, r, k->conc);
	c->workers = num_at(t, r, k->work);
	c->w = workload_find(workload);
	c->io_us = num_at(t, r, k->io);
	c->tasks = num_at(t, r, k->tasks);
	c->reps = num_at(t, r, k->reps);
	c->ok = num_at(t, r, k->ok) == 1;
	c->checksum = k->sum >= 0 ? str_at(t, r, k->sum) : "";
	c->payload = num_at(t, r, k->payload);
	c->iters = num_at(t, r, k->iters);
	c->samples_min = num_at(t, r, k->samples);
	c->eff_max = num_at(t, r, k->eff);
	c->pss_peak = num_at(t, r, k->pss);
	c->harness = num_at(t, r, k->harness);
	if (isnan(c->share) || c->share < 0) /* -1: not on a share axis */
		c->share = workload_share(workload);
	if (!*c->model || !isfinite(c->conc)) {
		cmd_say(s->cmd ? s->cmd : "plots", "%s: row %zu has no model or concurrency", path,
			r + 2);
		return -CMD_EUSAGE;
	}
	if ((why = bad_names(c, workload))) {
		cmd_say(s->cmd ? s->cmd : "plots", "%s: row %zu has %s", path, r + 2, why);
		return -CMD_EUSAGE;
	}
	for (int m = 0; m < NMETRIC; m++) {
		for (int j = 0; j < 3; j++)
			c->v[m][j] = num_at(t, r, k->v[m][j]);
		c->ci[m][0] = num_at(t, r, k->ci[m][0]);
		c->ci[m][1] = num_at(t, r, k->ci[m][1]);
	}
	c->ci_met = k->ci_met < 0 ? -1 : num_at(t, r, k->ci_met) == 1;
	c->ci_pct = k->ci_pct < 0 ? NAN : num_at(t, r, k->ci_pct);
	c->budget_cut = strcmp(str_at(t, r, k->ci_stop), "budget") == 0;
	c->lt = model_lt(s, c->model);
	return c->lt < 0 ? c->lt : 0;
}

/* Two cells that ran the same work: same grid, workload, tasks, io
 * latency, payload and kernel iterations (the grid fixes the workload's
 * own flags). Their checksums must agree, whatever the model. */
static bool same_work(const struct cell *a, const struct cell *b)
{
	return strcmp(a->grid, b->grid) == 0 && a->w && a->w == b->w && a->tasks == b->tasks &&
	       a->io_us == b->io_us && a->payload == b->payload && a->iters == b->iters;
}

/* The self-check across models: in each group of cells that ran the same
 * work, the checksum most of them have is the right one; a cell with
 * another fails (ok = false, sum_mismatch), and REPORT.md names it. */
static void check_sums(struct set *s)
{
	for (size_t i = 0; i < s->ncells; i++) {
		struct cell *c = &s->cells[i];
		size_t agree = 0, differ = 0;

		if (!*c->checksum)
			continue;
		for (size_t j = 0; j < s->ncells; j++) {
			const struct cell *d = &s->cells[j];

			if (j == i || !*d->checksum || !same_work(c, d))
				continue;
			if (strcmp(c->checksum, d->checksum) == 0)
				agree++;
			else
				differ++;
		}
		c->sum_compared = agree + differ > 0;
		if (differ > agree) {
			c->sum_mismatch = true;
			c->ok = false;
		}
	}
}

/* cells.csv whole, with the shape a cells table has. */
/* A set of `cmbench ceiling` alone: no cells, a ceiling.csv. */
static bool ceiling_only(const struct set *s)
{
	char path[PLOTS_PATH_LEN];

	snprintf(path, sizeof(path), "%s/ceiling.csv", s->dir);
	return access(path, R_OK) == 0;
}

static int read_table(struct set *s, const char *path)
{
	int rc = cells_csv_read(path, &s->tab);

	if (rc)
		cmd_say(s->cmd ? s->cmd : "plots", "%s: %s", path, strerror(-rc));
	else if (!s->tab.hdr)
		cmd_say(s->cmd ? s->cmd : "plots", "%s: empty file", path);
	else if (s->tab.dropped)
		cmd_say(s->cmd ? s->cmd : "plots", "%s: %zu row(s) without the header's %zu fields",
			path, s->tab.dropped, s->tab.ncols);
	else if (s->tab.nrows == 0 && !ceiling_only(s))
		cmd_say(s->cmd ? s->cmd : "plots", "%s: no cells", path);
	else
		return 0;
	return rc == -ENOMEM ? rc : -CMD_EUSAGE;
}

int plots_load_cells(struct set *s)
{
	char path[PLOTS_PATH_LEN];
	struct cols k;
	int rc;

	for (size_t i = 0; i < NMETRIC; i++)
		if (!result_col_find(plots_metric_col[i])) {
			cmd_say(s->cmd ? s->cmd : "plots", "the result columns have no %s any more",
				plots_metric_col[i]);
			return -EINVAL;
		}
	snprintf(path, sizeof(path), "%s/cells.csv", s->dir);
	if ((rc = read_table(s, path)) || (rc = find_cols(s, path, &k)))
		return rc;
	for (size_t i = 0; model_table[i]; i++)
		if ((rc = model_lt(s, model_table[i]->name)) < 0)
			return rc;
	s->cells = calloc(s->tab.nrows, sizeof(*s->cells));
	rc = s->cells ? 0 : -ENOMEM;
	for (size_t r = 0; rc == 0 && r < s->tab.nrows; r++)
		rc = read_row(s, &k, r, &s->cells[s->ncells++], path);
	if (rc == -ENOMEM)
		cmd_say(s->cmd ? s->cmd : "plots", "out of memory");
	if (rc)
		return rc;
	check_sums(s);
	s->fail_lt = (int)s->nmodels + 1;
	return 0;
}

static int cell_by_id(const struct set *s, const char *id)
{
	for (size_t i = 0; i < s->ncells; i++)
		if (strcmp(s->cells[i].id, id) == 0)
			return (int)i;
	return -1;
}

/* Row r of results.csv into its cell's reps, at its rep number (a rep
 * given twice counts once, its last row: as cells.csv counts it). */
static int add_rep(struct set *s, const struct cells_csv *t, size_t r, int idc, int idr,
		   const int *col)
{
	int i = cell_by_id(s, t->rows[r][idc]);
	double rep = num_at(t, r, idr);
	struct cell *c;
	size_t k;

	if (i < 0 || !(rep >= 1 && rep <= CELLS_MAX_REPS))
		return 0;
	c = &s->cells[i];
	k = (size_t)rep - 1;
	for (int m = 0; m < NMETRIC; m++) {
		if (!c->rep[m]) {
			c->rep[m] = malloc(CELLS_MAX_REPS * sizeof(double));
			if (!c->rep[m])
				return -ENOMEM;
			for (size_t j = 0; j < CELLS_MAX_REPS; j++)
				c->rep[m][j] = NAN;
		}
		c->rep[m][k] = col[m] >= 0 ? num_at(t, r, col[m]) : NAN;
	}
	if (k + 1 > c->nrep)
		c->nrep = k + 1;
	return 0;
}

int plots_load_reps(struct set *s)
{
	char path[PLOTS_PATH_LEN];
	struct cells_csv t;
	int col[NMETRIC], idc, idr, rc = 0;

	snprintf(path, sizeof(path), "%s/results.csv", s->dir);
	if (cells_csv_read(path, &t) != 0)
		return 0; /* no reps: every verdict a tie for want of runs */
	idc = cells_csv_col(&t, "cell");
	idr = cells_csv_col(&t, "rep");
	for (int m = 0; m < NMETRIC; m++)
		col[m] = cells_csv_col(&t, plots_metric_col[m]);
	for (size_t r = 0; idc >= 0 && idr >= 0 && rc == 0 && r < t.nrows; r++)
		rc = add_rep(s, &t, r, idc, idr, col);
	cells_csv_free(&t);
	return rc;
}

void plots_compare(const struct cell *a, const struct cell *b, enum metric m, struct verdict *v)
{
	double one = 1;

	if (a->nrep == 0 || b->nrep == 0 || !a->rep[m] || !b->rep[m]) {
		verdict_test(&one, 1, &one, 1, v); /* untestable: NA */
		return;
	}
	verdict_test(a->rep[m], a->nrep, b->rep[m], b->nrep, v);
	verdict_rule(v, a->alpha, a->margin); /* a's grid's (0: the defaults) */
}

void plots_read_meta(struct set *s)
{
	char path[PLOTS_PATH_LEN], err[SPEC_ERR_MAX];

	snprintf(path, sizeof(path), "%s/meta.json", s->dir);
	if (meta_read(path, &s->meta) != 0)
		memset(&s->meta, 0, sizeof(s->meta));
	if (s->meta.cores > 0)
		s->cores = s->meta.cores;
	if (s->meta.spec_text &&
	    spec_parse(s->meta.spec_file, s->meta.spec_text, &s->spec, err, sizeof(err)) != 0)
		memset(&s->spec, 0, sizeof(s->spec));
	for (size_t i = 0; s->spec.n_grids && i < s->ncells; i++) /* each grid's own rule */
		spec_grid_rule(&s->spec, spec_grid_find(&s->spec, s->cells[i].grid),
			       &s->cells[i].alpha, &s->cells[i].margin);
}

void plots_run_id(struct set *s)
{
	size_t len = strlen(s->dir);
	const char *p;
	char cwd[PLOTS_PATH_LEN];

	while (len > 1 && s->dir[len - 1] == '/')
		len--;
	for (p = s->dir + len; p > s->dir && p[-1] != '/'; p--)
		;
	snprintf(s->run_id, sizeof(s->run_id), "%.*s", (int)(s->dir + len - p), p);
	if ((!*s->run_id || strcmp(s->run_id, ".") == 0) && getcwd(cwd, sizeof(cwd)) &&
	    strrchr(cwd, '/'))
		snprintf(s->run_id, sizeof(s->run_id), "%s", strrchr(cwd, '/') + 1);
}

void plots_set_free_base(struct set *s)
{
	for (size_t i = 0; s->cells && i < s->ncells; i++)
		for (int m = 0; m < NMETRIC; m++)
			free(s->cells[i].rep[m]);
	free(s->cells);
	free(s->fits);
	free(s->models);
	cells_csv_free(&s->tab);
	meta_free(&s->meta);
	spec_free(&s->spec);
}
