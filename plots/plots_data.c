/* plots.c - `cmbench plots DIR [--scripts PLOTS_DIR]`.
 *
 * From a result set's cells.csv (and meta.json, spectra/) it writes:
 *   DIR/plotdata/        the plot-ready series and vars.gp, which every
 *                        plots/NAME.gp loads (gnuplot reads nothing else)
 *   DIR/<chart>.png/.svg one gnuplot run per script in PLOTS_DIR
 *   DIR/decision-matrix.md  the measured decision matrix (matrix.c decides)
 *   DIR/REPORT.md        one page: host, charts, matrix, findings
 * Every table cell and sentence is computed from the numbers. A cell whose
 * ok column is not 1 never wins and is never drawn as a result; the charts
 * name it in a note instead. */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../models/model.h"
#include "../harness/sweep/cells.h"
#include "../harness/commands.h"
#include "../harness/sweep/matrix.h"
#include "../harness/util.h"
#include "../harness/sweep/meta.h"

#define MAX_MODELS 8  /* gnuplot line types 1..8 are the models */
#define FAIL_LT 9     /* line type of a grid cell with no valid contender */
#define MAX_AXIS 64   /* distinct shares or concurrency levels */
#define PATH_LEN 4096 /* longest path we build */
#define NOTE_LEN 512  /* a chart note */

static const char *const chart_names[] = { "makespan", "p99", "memory", "speedup", "spectrum",
					   "matrix" };
#define NCHARTS (sizeof(chart_names) / sizeof(chart_names[0]))

enum metric { M_MAKESPAN, M_BOUND, M_EFF, M_P99, M_MEM, M_CTXV, NMETRIC };
static const char *const metric_col[NMETRIC] = { "makespan_s", "bound_s", "efficiency",
						 "lat_p99_us", "mem_per_task_kib",
						 "ctx_voluntary" };
enum figure { MED, MIN, MAX };

/* The three criteria of the decision matrix; lower is better in each. */
struct criterion {
	const char *key;   /* file names: matrix-<key>.dat */
	const char *title; /* column and panel title */
	enum metric m;     /* the metric it compares */
};
static const struct criterion criteria[] = {
	{ "time", "time (makespan)", M_MAKESPAN },
	{ "p99", "p99 latency", M_P99 },
	{ "memory", "memory per task (PSS)", M_MEM },
};
#define NCRIT (sizeof(criteria) / sizeof(criteria[0]))

/* One row of cells.csv, with the figures this command uses. */
struct cell {
	const char *id;           /* cell column: names spectra/<id>.csv */
	const char *grid;         /* the spec's grid: matrix, scaling, ... */
	const char *model;        /* model name */
	const char *workload;     /* io, cpu, mixed */
	double share;             /* cpu share in percent (NAN: unknown) */
	double conc;              /* concurrency */
	double workers;           /* --workers (offload pool size) */
	double tasks;             /* tasks per rep */
	double reps;              /* reps aggregated */
	bool ok;                  /* every rep clean */
	int lt;                   /* gnuplot line type of the model */
	double v[NMETRIC][3];     /* med, min, max of each metric */
};

/* A panel of the per-workload charts: one cpu share of the main grid. */
struct panel {
	const char *key; /* io, mixed or cpu: in file and variable names */
	double share;    /* its cpu share */
};

/* Everything one `cmbench plots` run knows. */
struct set {
	const char *dir;                          /* the result set */
	const char *scripts;                      /* where the *.gp live */
	char run_id[256];                         /* DIR's last component */
	struct cells_csv tab;                     /* cells.csv, fields owned */
	struct cell *cells;                       /* one per row of tab */
	size_t ncells;
	const char *models[MAX_MODELS];           /* line type i+1 is models[i] */
	size_t nmodels;
	struct meta meta;                         /* from meta.json (zeroed if none) */
	bool have_meta;                           /* meta.json was read */
	double cores;                             /* usable CPUs, NAN if unknown */
	char subtitle[1024];                      /* host line under every title */
	const char *grid;                         /* grid of the workload charts */
	struct panel panels[3];                   /* io, mixed, cpu if present */
	size_t npanels;
	double shares[MAX_AXIS];                  /* matrix grid: cpu shares */
	size_t nshares;
	double levels[MAX_AXIS];                  /* matrix grid: concurrency levels */
	size_t nlevels;
	struct matrix_cell *mc;                   /* matrix input, one per grid cell */
	struct cell **mc_src;                     /* the cell behind each mc entry */
	size_t nmc;
	struct matrix_verdict *verdict[NCRIT];    /* per criterion */
	size_t nverdict[NCRIT];
	FILE *vars;                               /* plotdata/vars.gp while writing */
};

/* ---------------------------------------------------------------- text */

static bool is_seq(const struct cell *c)
{
	return strcmp(c->model, MATRIX_ANY_LEVEL_MODEL) == 0;
}

/* A whole number with thousands separators: 1,000. */
static const char *fmt_count(double v, char *b, size_t n)
{
	char raw[32];
	size_t len, o = 0;

	snprintf(raw, sizeof(raw), "%.0f", v);
	len = strlen(raw);
	for (size_t i = 0; i < len && o + 2 < n; i++) {
		if (i > 0 && raw[i - 1] != '-' && (len - i) % 3 == 0)
			b[o++] = ',';
		b[o++] = raw[i];
	}
	b[o] = '\0';
	return b;
}

/* The value of criterion k in its unit. */
static const char *fmt_crit(size_t k, double v, char *b, size_t n)
{
	if (criteria[k].m == M_MAKESPAN)
		return fmt_us(b, n, v * 1e6, FMT_PROSE);
	if (criteria[k].m == M_P99)
		return fmt_us(b, n, v, FMT_PROSE);
	return fmt_kib(b, n, v, FMT_PROSE);
}

/* "1.8× ahead of x" or "12% ahead of x". */
static const char *fmt_margin(double margin, const char *other, char *b, size_t n)
{
	if (!isfinite(margin))
		snprintf(b, n, "far ahead of %s", other);
	else if (margin >= 0.5)
		snprintf(b, n, "%.1f× ahead of %s", 1 + margin, other);
	else
		snprintf(b, n, "%.0f%% ahead of %s", margin * 100, other);
	return b;
}

static const char *regime_name(double share, char *b, size_t n)
{
	if (share <= 0)
		snprintf(b, n, "io-bound (0%% cpu)");
	else if (share >= 100)
		snprintf(b, n, "cpu-bound (100%% cpu)");
	else
		snprintf(b, n, "mixed (%g%% cpu)", share);
	return b;
}

/* Short model names for the heatmap's small cells. */
static const char *short_name(const char *model)
{
	static const char *const map[][2] = {
		{ "sequential", "seq" },	  { "eventloop", "loop" },
		{ "eventloop-offload", "offload" }, { "threadpool", "threads" },
		{ "forkpool", "procs" },
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i][0], model) == 0)
			return map[i][1];
	return model;
}

/* Write s as a gnuplot double-quoted string body. */
static void gp_quote(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		fputc(*s == '\n' ? ' ' : *s, f);
	}
	fputc('"', f);
}

/* name = "formatted" in vars.gp */
static void var_str(struct set *s, const char *name, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fprintf(s->vars, "%s = ", name);
	gp_quote(s->vars, buf);
	fputc('\n', s->vars);
}

/* Append word to a space-separated list of at most n bytes. */
static void list_add(char *list, size_t n, const char *word)
{
	size_t len = strlen(list);

	snprintf(list + len, n - len, "%s%s", len ? " " : "", word);
}

/* ---------------------------------------------------------------- input */

static void read_meta(struct set *s)
{
	char path[PATH_LEN];

	snprintf(path, sizeof(path), "%s/meta.json", s->dir);
	s->have_meta = meta_read(path, &s->meta) == 0;
	if (!s->have_meta)
		memset(&s->meta, 0, sizeof(s->meta));
	if (s->meta.cores > 0)
		s->cores = s->meta.cores;
}

/* The host's usable cores as text, "?" when not recorded. */
static const char *cores_text(const struct set *s)
{
	static char buf[16];

	if (s->meta.cores <= 0)
		return "?";
	snprintf(buf, sizeof(buf), "%d", s->meta.cores);
	return buf;
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

/* The line type of a model: its place in model_table, then first seen. */
static int model_lt(struct set *s, const char *model)
{
	for (size_t i = 0; i < s->nmodels; i++)
		if (strcmp(s->models[i], model) == 0)
			return (int)i + 1;
	if (s->nmodels == MAX_MODELS)
		return MAX_MODELS;
	s->models[s->nmodels++] = model;
	return (int)s->nmodels;
}

/* Read cells.csv into s->cells. 0, or 2 with one line on stderr. */
static int load_cells(struct set *s)
{
	static const char *const need[] = { "cell", "grid", "model", "workload", "concurrency",
					    "ok", "makespan_s_med" };
	char path[PATH_LEN], name[64];
	int rc, col[NMETRIC][3], c_id, c_grid, c_model, c_wl, c_share, c_conc, c_work, c_tasks,
		c_reps, c_ok;
	static const char *const suffix[3] = { "med", "min", "max" };

	snprintf(path, sizeof(path), "%s/cells.csv", s->dir);
	rc = cells_csv_read(path, &s->tab);
	if (rc) {
		fprintf(stderr, "cmbench plots: %s: %s\n", path, strerror(-rc));
		return 2;
	}
	if (!s->tab.hdr) {
		fprintf(stderr, "cmbench plots: %s: empty file\n", path);
		return 2;
	}
	if (s->tab.dropped) {
		fprintf(stderr, "cmbench plots: %s: %zu row(s) without the header's %zu fields\n",
			path, s->tab.dropped, s->tab.ncols);
		return 2;
	}
	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++)
		if (cells_csv_col(&s->tab, need[i]) < 0) {
			fprintf(stderr, "cmbench plots: %s: no column '%s'\n", path, need[i]);
			return 2;
		}
	if (s->tab.nrows == 0) {
		fprintf(stderr, "cmbench plots: %s: no cells\n", path);
		return 2;
	}
	c_id = cells_csv_col(&s->tab, "cell");
	c_grid = cells_csv_col(&s->tab, "grid");
	c_model = cells_csv_col(&s->tab, "model");
	c_wl = cells_csv_col(&s->tab, "workload");
	c_share = cells_csv_col(&s->tab, "share_pct");
	c_conc = cells_csv_col(&s->tab, "concurrency");
	c_work = cells_csv_col(&s->tab, "workers");
	c_tasks = cells_csv_col(&s->tab, "tasks");
	c_reps = cells_csv_col(&s->tab, "reps");
	c_ok = cells_csv_col(&s->tab, "ok");
	for (int m = 0; m < NMETRIC; m++)
		for (int k = 0; k < 3; k++) {
			snprintf(name, sizeof(name), "%s_%s", metric_col[m], suffix[k]);
			col[m][k] = cells_csv_col(&s->tab, name);
		}
	for (size_t i = 0; model_table[i] && s->nmodels < MAX_MODELS; i++)
		s->models[s->nmodels++] = model_table[i]->name;
	s->cells = calloc(s->tab.nrows, sizeof(*s->cells));
	if (!s->cells) {
		fprintf(stderr, "cmbench plots: out of memory\n");
		return 2;
	}
	for (size_t r = 0; r < s->tab.nrows; r++) {
		struct cell *c = &s->cells[s->ncells++];

		c->id = str_at(&s->tab, r, c_id);
		c->grid = str_at(&s->tab, r, c_grid);
		c->model = str_at(&s->tab, r, c_model);
		c->workload = str_at(&s->tab, r, c_wl);
		c->share = num_at(&s->tab, r, c_share);
		c->conc = num_at(&s->tab, r, c_conc);
		c->workers = num_at(&s->tab, r, c_work);
		c->tasks = num_at(&s->tab, r, c_tasks);
		c->reps = num_at(&s->tab, r, c_reps);
		c->ok = num_at(&s->tab, r, c_ok) == 1;
		if (isnan(c->share) || c->share < 0) /* -1: not on a share axis */
			c->share = strcmp(c->workload, "io") == 0	 ? 0
				   : strcmp(c->workload, "cpu") == 0 ? 100
								      : NAN;
		if (!*c->model || !isfinite(c->conc)) {
			fprintf(stderr, "cmbench plots: %s: row %zu has no model or concurrency\n",
				path, r + 2);
			return 2;
		}
		c->lt = model_lt(s, c->model);
		for (int m = 0; m < NMETRIC; m++)
			for (int k = 0; k < 3; k++)
				c->v[m][k] = num_at(&s->tab, r, col[m][k]);
	}
	return 0;
}

static bool has_grid(const struct set *s, const char *grid)
{
	for (size_t i = 0; i < s->ncells; i++)
		if (strcmp(s->cells[i].grid, grid) == 0)
			return true;
	return false;
}

/* Add v to a sorted set of doubles. */
static void axis_add(double *axis, size_t *n, double v)
{
	size_t i;

	if (!isfinite(v) || *n == MAX_AXIS)
		return;
	for (i = 0; i < *n && axis[i] < v; i++)
		;
	if (i < *n && axis[i] == v)
		return;
	memmove(axis + i + 1, axis + i, (*n - i) * sizeof(*axis));
	axis[i] = v;
	(*n)++;
}

static size_t axis_index(const double *axis, size_t n, double v)
{
	for (size_t i = 0; i < n; i++)
		if (axis[i] == v)
			return i;
	return n;
}

/* Pick the main grid (matrix, else the first that is not scaling), its
 * shares and levels, and the io / mixed / cpu panels. */
static void plan_grid(struct set *s)
{
	double mid = NAN;

	s->grid = "matrix";
	if (!has_grid(s, s->grid))
		for (size_t i = 0; i < s->ncells; i++)
			if (strcmp(s->cells[i].grid, "scaling") != 0) {
				s->grid = s->cells[i].grid;
				break;
			}
	for (size_t i = 0; i < s->ncells; i++) {
		const struct cell *c = &s->cells[i];

		if (strcmp(c->grid, s->grid) != 0 || isnan(c->share))
			continue;
		axis_add(s->shares, &s->nshares, c->share);
		axis_add(s->levels, &s->nlevels, c->conc);
	}
	for (size_t i = 0; i < s->nshares; i++)
		if (s->shares[i] > 0 && s->shares[i] < 100 &&
		    (isnan(mid) || fabs(s->shares[i] - 50) < fabs(mid - 50)))
			mid = s->shares[i];
	if (s->nshares && s->shares[0] == 0)
		s->panels[s->npanels++] = (struct panel){ "io", 0 };
	if (!isnan(mid))
		s->panels[s->npanels++] = (struct panel){ "mixed", mid };
	if (s->nshares && s->shares[s->nshares - 1] == 100)
		s->panels[s->npanels++] = (struct panel){ "cpu", 100 };
}

/* The cell of grid/model/share at concurrency conc (any concurrency for
 * sequential); failed ones only when want_failed. */
static const struct cell *find_cell(const struct set *s, const char *grid, const char *model,
				    double share, double conc, bool want_failed)
{
	for (size_t i = 0; i < s->ncells; i++) {
		const struct cell *c = &s->cells[i];

		if (strcmp(c->grid, grid) != 0 || strcmp(c->model, model) != 0 ||
		    c->share != share || (c->conc != conc && !is_seq(c)))
			continue;
		if (c->ok || want_failed)
			return c;
	}
	return NULL;
}

/* ---------------------------------------------------------------- plot data */

static FILE *dat_open(const struct set *s, const char *name, const char *what,
		      const char *columns)
{
	char path[PATH_LEN];
	FILE *f;

	snprintf(path, sizeof(path), "%s/plotdata/%s.dat", s->dir, name);
	f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "cmbench plots: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	fprintf(f, "# %s\n# result set %s; written by cmbench plots\n# %s\n", what, s->run_id,
		columns);
	return f;
}

/* Does cell c count as a valid figure for metric m (positive if log)? */
static bool usable(const struct cell *c, enum metric m, bool log_axis)
{
	return c->ok && isfinite(c->v[m][MED]) && (!log_axis || c->v[m][MED] > 0);
}

/* One series per model of a per-workload chart: x = concurrency, y = the
 * metric times scale, with min and max. Sequential is drawn at every level
 * of the panel when spread is set (it ignores the concurrency setting).
 * Sets <chart>_models_<panel> and <chart>_note_<panel> in vars.gp. */
static int write_panel_series(struct set *s, const char *chart, const struct panel *p,
			      enum metric m, double scale, bool spread, const char *unit)
{
	char models[512] = "", note[NOTE_LEN] = "", name[160], var[96];
	double lv[MAX_AXIS];
	size_t nlv = 0, dropped = 0;

	for (size_t i = 0; i < s->ncells; i++)
		if (strcmp(s->cells[i].grid, s->grid) == 0 && s->cells[i].share == p->share)
			axis_add(lv, &nlv, s->cells[i].conc);
	for (size_t k = 0; k < s->nmodels; k++) {
		FILE *f = NULL;
		size_t rows = 0;

		for (size_t j = 0; j < nlv; j++) {
			const struct cell *c = find_cell(s, s->grid, s->models[k], p->share, lv[j], true);
			double lo, hi;

			if (!c || (is_seq(c) && !spread && c->conc != lv[j]))
				continue;
			if (!usable(c, m, true)) {
				if (!c->ok && (!is_seq(c) || c->conc == lv[j])) {
					snprintf(name, sizeof(name), "%s@%g", c->model, c->conc);
					list_add(note, sizeof(note), name);
				} else if (c->ok) {
					dropped++;
				}
				continue;
			}
			if (!f) {
				snprintf(name, sizeof(name), "%s-%s-%s", chart, p->key, s->models[k]);
				f = dat_open(s, name, s->models[k],
					     "concurrency  median  min  max");
				if (!f)
					return -1;
			}
			lo = c->v[m][MIN] > 0 ? c->v[m][MIN] : c->v[m][MED];
			hi = isfinite(c->v[m][MAX]) ? c->v[m][MAX] : c->v[m][MED];
			fprintf(f, "%g %.6g %.6g %.6g\n", lv[j], c->v[m][MED] * scale, lo * scale,
				hi * scale);
			rows++;
		}
		if (f) {
			fclose(f);
			list_add(models, sizeof(models), s->models[k]);
		}
		(void)rows;
	}
	snprintf(var, sizeof(var), "%s_models_%s", chart, p->key);
	var_str(s, var, "%s", models);
	snprintf(var, sizeof(var), "%s_note_%s", chart, p->key);
	if (*note && dropped)
		var_str(s, var, "failed, not drawn: %s; %zu figures <= 0 %s not drawn", note,
			dropped, unit);
	else if (*note)
		var_str(s, var, "failed, not drawn: %s", note);
	else if (dropped)
		var_str(s, var, "%zu figures <= 0 %s not drawn (log scale)", dropped, unit);
	else
		var_str(s, var, "%s", "");
	return 0;
}

/* The ideal bound of a panel: bound_s of each level (model-free; taken
 * from the first valid concurrent cell there). */
static int write_bound(struct set *s, const struct panel *p)
{
	char name[96];
	FILE *f;
	size_t rows = 0;
	double lv[MAX_AXIS];
	size_t nlv = 0;

	for (size_t i = 0; i < s->ncells; i++)
		if (strcmp(s->cells[i].grid, s->grid) == 0 && s->cells[i].share == p->share &&
		    !is_seq(&s->cells[i]))
			axis_add(lv, &nlv, s->cells[i].conc);
	snprintf(name, sizeof(name), "makespan-%s-bound", p->key);
	f = dat_open(s, name, "ideal bound (DESIGN.md)", "concurrency  bound_s");
	if (!f)
		return -1;
	for (size_t j = 0; j < nlv; j++)
		for (size_t i = 0; i < s->ncells; i++) {
			const struct cell *c = &s->cells[i];

			if (strcmp(c->grid, s->grid) == 0 && c->share == p->share &&
			    c->conc == lv[j] && !is_seq(c) && c->v[M_BOUND][MED] > 0) {
				fprintf(f, "%g %.6g\n", lv[j], c->v[M_BOUND][MED]);
				rows++;
				break;
			}
		}
	fclose(f);
	snprintf(name, sizeof(name), "makespan_bound_%s", p->key);
	fprintf(s->vars, "%s = %d\n", name, rows > 0);
	return 0;
}

static int write_workload_charts(struct set *s)
{
	char list[64] = "", var[64], buf[96];
	const struct panel *mem = s->npanels ? &s->panels[0] : NULL;

	for (size_t i = 0; i < s->npanels; i++) {
		const struct panel *p = &s->panels[i];

		list_add(list, sizeof(list), p->key);
		snprintf(var, sizeof(var), "panel_title_%s", p->key);
		var_str(s, var, "%s", regime_name(p->share, buf, sizeof(buf)));
		if (write_panel_series(s, "makespan", p, M_MAKESPAN, 1, true, "s") ||
		    write_bound(s, p) ||
		    write_panel_series(s, "p99", p, M_P99, 1e-3, true, "ms"))
			return -1;
	}
	var_str(s, "panels", "%s", list);
	/* memory: the io panel, where concurrency goes highest */
	var_str(s, "memory_panel", "%s", mem ? mem->key : "");
	var_str(s, "memory_title", "%s",
		mem ? regime_name(mem->share, buf, sizeof(buf)) : "no cells");
	if (mem)
		return write_panel_series(s, "memory", mem, M_MEM, 1, false, "KiB");
	var_str(s, "memory_models_", "%s", "");
	var_str(s, "memory_note_", "%s", "");
	return 0;
}

/* How many CPUs a scaling cell could use: the pool for eventloop-offload,
 * one for sequential, the concurrency for the pools. */
static double parallelism(const struct cell *c)
{
	if (is_seq(c))
		return 1;
	if (strcmp(c->model, "eventloop-offload") == 0 && isfinite(c->workers))
		return c->workers;
	return c->conc;
}

/* Speedup over sequential on the scaling grid, per model, and the ideal
 * min(workers, cores) line. */
static int write_speedup(struct set *s)
{
	const struct cell *base = NULL;
	char models[512] = "", note[NOTE_LEN] = "", name[160];
	double xs[MAX_AXIS], xmax = 1;
	size_t nxs = 0;
	FILE *f;

	for (size_t i = 0; i < s->ncells; i++) {
		const struct cell *c = &s->cells[i];

		if (strcmp(c->grid, "scaling") != 0)
			continue;
		if (is_seq(c) && usable(c, M_MAKESPAN, true) && !base)
			base = c;
		axis_add(xs, &nxs, parallelism(c));
		if (!c->ok) {
			snprintf(name, sizeof(name), "%s@%g", c->model, parallelism(c));
			list_add(note, sizeof(note), name);
		}
	}
	for (size_t k = 0; base && k < s->nmodels; k++) {
		f = NULL;
		for (size_t j = 0; j < nxs; j++)
			for (size_t i = 0; i < s->ncells; i++) {
				const struct cell *c = &s->cells[i];
				double b = base->v[M_MAKESPAN][MED];

				if (strcmp(c->grid, "scaling") != 0 ||
				    strcmp(c->model, s->models[k]) != 0 || parallelism(c) != xs[j] ||
				    !usable(c, M_MAKESPAN, true))
					continue;
				if (!f) {
					snprintf(name, sizeof(name), "speedup-%s", s->models[k]);
					f = dat_open(s, name, s->models[k],
						     "workers  speedup  low (at max makespan)  high (at min)");
					if (!f)
						return -1;
				}
				fprintf(f, "%g %.4f %.4f %.4f\n", xs[j], b / c->v[M_MAKESPAN][MED],
					b / fmax(c->v[M_MAKESPAN][MAX], c->v[M_MAKESPAN][MED]),
					b / fmin(c->v[M_MAKESPAN][MIN] > 0 ? c->v[M_MAKESPAN][MIN]
									   : INFINITY,
						 c->v[M_MAKESPAN][MED]));
				if (xs[j] > xmax)
					xmax = xs[j];
				break;
			}
		if (f) {
			fclose(f);
			list_add(models, sizeof(models), s->models[k]);
		}
	}
	if (isfinite(s->cores) && s->cores > xmax)
		xmax = s->cores;
	f = dat_open(s, "speedup-ideal", "ideal speedup: min(workers, cores)", "workers  speedup");
	if (!f)
		return -1;
	fprintf(f, "1 1\n");
	if (isfinite(s->cores) && s->cores > 1 && s->cores < xmax)
		fprintf(f, "%g %g\n", s->cores, s->cores);
	fprintf(f, "%g %g\n", xmax,
		isfinite(s->cores) ? fmin(xmax, s->cores) : xmax);
	fclose(f);
	var_str(s, "speedup_models", "%s", models);
	fprintf(s->vars, "speedup_xmax = %g\n", xmax);
	if (!base)
		var_str(s, "speedup_note", "%s", "no valid sequential cell in grid 'scaling': no baseline");
	else if (*note)
		var_str(s, "speedup_note", "failed, not drawn: %s", note);
	else
		var_str(s, "speedup_note", "%s", "");
	return 0;
}

/* Read spectra/<cell>.csv into plotdata/spectrum-<model>.dat: q, 1/(1-q)
 * and latency in ms, for q < 1. Returns rows written, -1 on write error. */
static int write_one_spectrum(struct set *s, const struct cell *c)
{
	struct cells_csv t;
	char path[PATH_LEN], name[96];
	int cq, cl, rows = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/spectra/%s.csv", s->dir, c->id);
	if (cells_csv_read(path, &t))
		return 0;
	cq = cells_csv_col(&t, "quantile");
	cl = cells_csv_col(&t, "latency_us");
	snprintf(name, sizeof(name), "spectrum-%s", c->model);
	f = dat_open(s, name, c->id, "quantile  1/(1-quantile)  latency_ms");
	if (!f) {
		cells_csv_free(&t);
		return -1;
	}
	for (size_t r = 0; r < t.nrows; r++) {
		double q = num_at(&t, r, cq), l = num_at(&t, r, cl);

		if (!(q >= 0 && q < 1) || !(l > 0))
			continue;
		/* past q = 1 - 1/tasks every quantile is the maximum */
		if (c->tasks > 0 && 1 / (1 - q) > c->tasks * 1.01)
			break;
		fprintf(f, "%.8f %.6g %.6g\n", q, 1 / (1 - q), l / 1e3);
		rows++;
	}
	fclose(f);
	cells_csv_free(&t);
	return rows;
}

/* The spectrum chart: one cell per model, from the mixed panel (else the
 * first) at the highest concurrency level that has a spectrum. */
static int write_spectrum(struct set *s)
{
	const struct panel *p = NULL;
	char models[512] = "", buf[96], cnt[32];
	double lv[MAX_AXIS];
	size_t nlv = 0;

	for (size_t i = 0; i < s->npanels; i++)
		if (!p || strcmp(s->panels[i].key, "mixed") == 0)
			p = &s->panels[i];
	if (p)
		for (size_t i = 0; i < s->ncells; i++)
			if (strcmp(s->cells[i].grid, s->grid) == 0 && s->cells[i].share == p->share &&
			    !is_seq(&s->cells[i]))
				axis_add(lv, &nlv, s->cells[i].conc);
	for (size_t j = nlv; j-- > 0 && !*models;) {
		size_t concurrent = 0;

		for (size_t k = 0; k < s->nmodels; k++) {
			const struct cell *c = find_cell(s, s->grid, s->models[k], p->share, lv[j], false);
			int rows;

			if (!c)
				continue;
			rows = write_one_spectrum(s, c);
			if (rows < 0)
				return -1;
			if (rows > 0) {
				list_add(models, sizeof(models), s->models[k]);
				concurrent += !is_seq(c);
			}
		}
		if (!concurrent) {
			models[0] = '\0';
			continue;
		}
		var_str(s, "spectrum_cell", "%s at concurrency %s (sequential: 1)",
			regime_name(p->share, buf, sizeof(buf)), fmt_count(lv[j], cnt, sizeof(cnt)));
	}
	if (!*models)
		var_str(s, "spectrum_cell", "%s", "no latency spectra in this result set");
	var_str(s, "spectrum_models", "%s", models);
	return 0;
}

/* ---------------------------------------------------------------- matrix */

/* Build the matrix input from the main grid and decide each criterion. */
static int decide_all(struct set *s)
{
	s->mc = calloc(s->ncells ? s->ncells : 1, sizeof(*s->mc));
	s->mc_src = calloc(s->ncells ? s->ncells : 1, sizeof(*s->mc_src));
	if (!s->mc || !s->mc_src)
		return -ENOMEM;
	for (size_t k = 0; k < NCRIT; k++) {
		enum metric m = criteria[k].m;

		s->nmc = 0;
		for (size_t i = 0; i < s->ncells; i++) {
			struct cell *c = &s->cells[i];

			if (strcmp(c->grid, s->grid) != 0 || isnan(c->share))
				continue;
			s->mc_src[s->nmc] = c;
			s->mc[s->nmc++] = (struct matrix_cell){
				.model = c->model,
				.share_pct = c->share,
				.concurrency = c->conc,
				.ok = c->ok,
				.med = c->v[m][MED],
				.min = c->v[m][MIN],
				.max = c->v[m][MAX],
			};
		}
		if (matrix_decide(s->mc, s->nmc, &s->verdict[k], &s->nverdict[k]))
			return -ENOMEM;
	}
	return 0;
}

static const struct matrix_verdict *verdict_at(const struct set *s, size_t k, double share,
					       double conc)
{
	for (size_t i = 0; i < s->nverdict[k]; i++)
		if (s->verdict[k][i].share_pct == share && s->verdict[k][i].concurrency == conc)
			return &s->verdict[k][i];
	return NULL;
}

static const char *vmodel(const struct set *s, int idx)
{
	return s->mc_src[idx]->model;
}

/* The verdict as one table cell of decision-matrix.md. */
static const char *verdict_text(const struct set *s, size_t k, const struct matrix_verdict *v,
				char *b, size_t n)
{
	char val[48], mg[160], failed[48] = "";
	size_t o;

	if (!v) {
		snprintf(b, n, "not measured");
		return b;
	}
	if (v->nfailed)
		snprintf(failed, sizeof(failed), " [%d failed]", v->nfailed);
	if (v->winner < 0) {
		snprintf(b, n, "no valid cell%s", failed);
		return b;
	}
	fmt_crit(k, s->mc_src[v->winner]->v[criteria[k].m][MED], val, sizeof(val));
	if (v->runner_up < 0) {
		snprintf(b, n, "%s %s (the only valid cell)%s", vmodel(s, v->winner), val, failed);
		return b;
	}
	if (!v->tie) {
		fmt_margin(v->margin, vmodel(s, v->runner_up), mg, sizeof(mg));
		snprintf(b, n, "**%s** %s (%s)%s", vmodel(s, v->winner), val, mg, failed);
		return b;
	}
	o = (size_t)snprintf(b, n, "tie: ");
	for (int i = 0; i < v->ntied && o < n; i++)
		o += (size_t)snprintf(b + o, n - o, "%s%s", i ? " ≈ " : "", vmodel(s, v->tied[i]));
	if (o >= n)
		return b;
	if (v->margin * 100 < MATRIX_TIE_PCT)
		snprintf(b + o, n - o, " (within %.0f%%, %s)%s", fmax(1, ceil(v->margin * 100)), val,
			 failed);
	else
		snprintf(b + o, n - o, " (ranges overlap, %.0f%% apart)%s", v->margin * 100, failed);
	return b;
}

/* What the folklore table says for a share, and which models agree. */
static const char *folklore(double share, const char **agree, size_t *nagree)
{
	static const char *const loop[] = { "eventloop", "eventloop-offload" };
	static const char *const par[] = { "forkpool", "threadpool" };
	static const char *const off[] = { "eventloop-offload" };

	if (share <= 0) {
		memcpy(agree, loop, sizeof(loop));
		*nagree = 2;
		return "event loop";
	}
	if (share >= 100) {
		memcpy(agree, par, sizeof(par));
		*nagree = 2;
		return "processes or threads";
	}
	memcpy(agree, off, sizeof(off));
	*nagree = 1;
	return "event loop with offload";
}

/* Does the time verdict agree with the folklore? 1 yes, 0 no, -1 no verdict. */
static int folklore_agrees(const struct set *s, const struct matrix_verdict *v)
{
	const char *agree[2];
	size_t na;
	int first, count;

	if (!v || v->winner < 0)
		return -1;
	folklore(v->share_pct, agree, &na);
	first = v->tie ? 0 : -1;
	count = v->tie ? v->ntied : 1;
	for (int i = 0; i < count; i++) {
		const char *m = vmodel(s, first < 0 ? v->winner : v->tied[i]);

		for (size_t j = 0; j < na; j++)
			if (strcmp(m, agree[j]) == 0)
				return 1;
	}
	return 0;
}

static double top_level(const struct set *s, double share)
{
	double top = NAN;

	for (size_t i = 0; i < s->nverdict[0]; i++)
		if (s->verdict[0][i].share_pct == share)
			top = s->verdict[0][i].concurrency;
	return top;
}

/* The header that says where the numbers come from. */
static void write_provenance(const struct set *s, FILE *f)
{
	double reps = 0;
	size_t failed = 0, n = 0;

	for (size_t i = 0; i < s->ncells; i++) {
		if (strcmp(s->cells[i].grid, s->grid) != 0)
			continue;
		n++;
		failed += !s->cells[i].ok;
		if (s->cells[i].reps > reps)
			reps = s->cells[i].reps;
	}
	fprintf(f, "Result set `%s`, measured on %s, %s cores, Linux %s%s%s.\n", s->run_id,
		*s->meta.cpu_model ? s->meta.cpu_model : "an unrecorded CPU", cores_text(s),
		*s->meta.kernel ? s->meta.kernel : "?", *s->meta.git_rev ? ", cmbench " : "",
		s->meta.git_rev);
	fprintf(f,
		"Computed by `cmbench plots` from `cells.csv` (grid `%s`: %zu cells, up to %g "
		"reps each, %zu failed).\n\n",
		s->grid, n, reps, failed);
	fprintf(f,
		"Each grid cell names the model with the lowest median over reps, its median, and "
		"how far the runner-up's median is behind. It is a **tie** when the two best "
		"models' min–max ranges overlap or their medians differ by less than %.0f%%. "
		"`sequential` runs one task at a time, so its one cell per share competes at "
		"every concurrency level. A cell that failed (lost tasks, errors or unequal "
		"checksums) never wins; it is counted in [brackets].\n\n",
		MATRIX_TIE_PCT);
}

/* The regime summary at the highest concurrency of each share. */
static void write_summary_table(const struct set *s, FILE *f)
{
	char b[NCRIT][512], reg[64], cnt[32];
	const char *agree[2];
	size_t na;

	fprintf(f, "| regime | at concurrency | time | p99 | memory | folklore says | time agrees? |\n");
	fprintf(f, "|---|---|---|---|---|---|---|\n");
	for (size_t i = 0; i < s->nshares; i++) {
		double top = top_level(s, s->shares[i]);
		const struct matrix_verdict *tv = verdict_at(s, 0, s->shares[i], top);
		int ag = folklore_agrees(s, tv);

		for (size_t k = 0; k < NCRIT; k++)
			verdict_text(s, k, verdict_at(s, k, s->shares[i], top), b[k], sizeof(b[k]));
		fprintf(f, "| %s | %s | %s | %s | %s | %s | %s |\n",
			regime_name(s->shares[i], reg, sizeof(reg)), fmt_count(top, cnt, sizeof(cnt)),
			b[0], b[1], b[2], folklore(s->shares[i], agree, &na),
			ag < 0 ? "n/a" : ag ? (tv->tie ? "yes (tie)" : "yes") : "**no**");
	}
}

static void write_detail_table(const struct set *s, FILE *f)
{
	char b[NCRIT][512], reg[64], cnt[32];

	fprintf(f, "| regime | concurrency | time | p99 | memory |\n|---|---|---|---|---|\n");
	for (size_t i = 0; i < s->nverdict[0]; i++) {
		const struct matrix_verdict *v = &s->verdict[0][i];

		for (size_t k = 0; k < NCRIT; k++)
			verdict_text(s, k, verdict_at(s, k, v->share_pct, v->concurrency), b[k],
				     sizeof(b[k]));
		fprintf(f, "| %s | %s | %s | %s | %s |\n",
			regime_name(v->share_pct, reg, sizeof(reg)),
			fmt_count(v->concurrency, cnt, sizeof(cnt)), b[0], b[1], b[2]);
	}
}

static int write_matrix_md(const struct set *s)
{
	char path[PATH_LEN];
	FILE *f;

	snprintf(path, sizeof(path), "%s/decision-matrix.md", s->dir);
	f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "cmbench plots: %s: %s\n", path, strerror(errno));
		return -1;
	}
	fprintf(f, "# Decision matrix: %s\n\n", s->run_id);
	write_provenance(s, f);
	fprintf(f, "## At the highest concurrency of each regime\n\n");
	write_summary_table(s, f);
	fprintf(f, "\n## Every cell of the grid\n\n");
	write_detail_table(s, f);
	return fclose(f) == 0 ? 0 : -1;
}

/* plotdata/matrix-<key>.dat: x index, y index, line type, tie, two label
 * lines; and the tic positions in vars.gp. */
static int write_heatmap_data(struct set *s)
{
	char tics[1024] = "", item[64], name[64], l1[48], l2[48];

	for (size_t k = 0; k < NCRIT; k++) {
		FILE *f;

		snprintf(name, sizeof(name), "matrix-%s", criteria[k].key);
		f = dat_open(s, name, criteria[k].title,
			     "share_index  level_index  linetype  tie  \"winner\"  \"margin\"");
		if (!f)
			return -1;
		for (size_t i = 0; i < s->nverdict[k]; i++) {
			const struct matrix_verdict *v = &s->verdict[k][i];
			size_t x = axis_index(s->shares, s->nshares, v->share_pct);
			size_t y = axis_index(s->levels, s->nlevels, v->concurrency);
			int lt = FAIL_LT;

			if (v->winner < 0) {
				snprintf(l1, sizeof(l1), "failed");
				snprintf(l2, sizeof(l2), "%d cells", v->nfailed);
			} else {
				lt = s->mc_src[v->winner]->lt;
				snprintf(l1, sizeof(l1), "%s", short_name(vmodel(s, v->winner)));
				if (v->runner_up < 0)
					snprintf(l2, sizeof(l2), "only one");
				else if (v->tie)
					snprintf(l2, sizeof(l2), "≈ %s",
						 short_name(vmodel(s, v->runner_up)));
				else if (!isfinite(v->margin))
					snprintf(l2, sizeof(l2), "far ahead");
				else if (v->margin >= 0.5)
					snprintf(l2, sizeof(l2), "%.1f×", 1 + v->margin);
				else
					snprintf(l2, sizeof(l2), "+%.0f%%", v->margin * 100);
			}
			fprintf(f, "%zu %zu %d %d \"%s\" \"%s\"\n", x, y, lt, v->tie, l1, l2);
		}
		fclose(f);
	}
	for (size_t i = 0; i < s->nshares; i++) {
		snprintf(item, sizeof(item), "%s\"%g%%%%\" %zu", i ? ", " : "", s->shares[i], i);
		strncat(tics, item, sizeof(tics) - strlen(tics) - 1);
	}
	var_str(s, "matrix_xtics", "(%s)", tics);
	tics[0] = '\0';
	for (size_t i = 0; i < s->nlevels; i++) {
		char cnt[32];

		snprintf(item, sizeof(item), "%s\"%s\" %zu", i ? ", " : "",
			 fmt_count(s->levels[i], cnt, sizeof(cnt)), i);
		strncat(tics, item, sizeof(tics) - strlen(tics) - 1);
	}
	var_str(s, "matrix_ytics", "(%s)", tics);
	fprintf(s->vars, "matrix_nx = %zu\nmatrix_ny = %zu\nfail_lt = %d\n", s->nshares,
		s->nlevels, FAIL_LT);
	return 0;
}

/* ---------------------------------------------------------------- vars.gp */

static void write_host_vars(struct set *s)
{
	const struct meta *m = &s->meta;
	char models[512] = "";

	snprintf(s->subtitle, sizeof(s->subtitle), "%s · %s cores · Linux %s · result set %s",
		 *m->cpu_model ? m->cpu_model : "unknown CPU", cores_text(s),
		 *m->kernel ? m->kernel : "?", s->run_id);
	for (size_t i = 0; i < s->nmodels; i++)
		list_add(models, sizeof(models), s->models[i]);
	fprintf(s->vars, "# vars.gp - written by `cmbench plots`; every plots/NAME.gp loads it.\n");
	var_str(s, "models", "%s", models);
	models[0] = '\0';
	for (size_t i = 0; i < s->nmodels; i++)
		for (size_t j = 0; j < s->ncells; j++)
			if (s->cells[j].ok && strcmp(s->cells[j].model, s->models[i]) == 0) {
				list_add(models, sizeof(models), s->models[i]);
				break;
			}
	var_str(s, "present_models", "%s", models);
	var_str(s, "subtitle", "%s", s->subtitle);
	var_str(s, "run_id", "%s", s->run_id);
	fprintf(s->vars, "cores = %g\n", isfinite(s->cores) ? s->cores : 0);
}

static int write_plotdata(struct set *s)
{
	char path[PATH_LEN];
	int rc;

	snprintf(path, sizeof(path), "%s/plotdata", s->dir);
	if (mkdir(path, 0777) && errno != EEXIST) {
		fprintf(stderr, "cmbench plots: %s: %s\n", path, strerror(errno));
		return -1;
	}
	snprintf(path, sizeof(path), "%s/plotdata/vars.gp", s->dir);
	s->vars = fopen(path, "w");
	if (!s->vars) {
		fprintf(stderr, "cmbench plots: %s: %s\n", path, strerror(errno));
		return -1;
	}
	write_host_vars(s);
	rc = write_workload_charts(s);
	if (!rc)
		rc = write_speedup(s);
	if (!rc)
		rc = write_spectrum(s);
	if (!rc)
		rc = write_heatmap_data(s);
	if (fclose(s->vars) && !rc) {
		fprintf(stderr, "cmbench plots: %s: %s\n", path, strerror(errno));
		rc = -1;
	}
	s->vars = NULL;
	return rc;
}

/* ---------------------------------------------------------------- gnuplot */

static bool on_path(const char *prog)
{
	const char *path = getenv("PATH");
	char dir[PATH_LEN];

	if (!path || !*path)
		path = "/usr/bin:/bin";
	while (*path) {
		size_t n = strcspn(path, ":");

		snprintf(dir, sizeof(dir), "%.*s/%s", (int)n, n ? path : ".", prog);
		if (access(dir, X_OK) == 0)
			return true;
		path += n + (path[n] == ':');
	}
	return false;
}

/* s as a gnuplot single-quoted string ('' is a quote inside). */
static void sq_append(char *b, size_t n, const char *s)
{
	size_t o = strlen(b);

	if (o + 1 < n)
		b[o++] = '\'';
	for (; *s && o + 3 < n; s++) {
		if (*s == '\'')
			b[o++] = '\'';
		b[o++] = *s;
	}
	b[o++] = '\'';
	b[o] = '\0';
}

/* gnuplot -e "dir='DIR'; scripts='SCRIPTS'" SCRIPTS/<name>.gp; 0 when it
 * exited 0. Its messages go to our stderr. */
static int run_gnuplot(const struct set *s, const char *name)
{
	char script[PATH_LEN], expr[2 * PATH_LEN + 64] = "dir=";
	int status;
	pid_t pid;

	snprintf(script, sizeof(script), "%s/%s.gp", s->scripts, name);
	sq_append(expr, sizeof(expr), s->dir);
	strcat(expr, "; scripts=");
	sq_append(expr, sizeof(expr), s->scripts);
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		execlp("gnuplot", "gnuplot", "-e", expr, script, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* ---------------------------------------------------------------- REPORT.md */

/* A list like "a, b and c" built by the caller one item at a time. */
static void join_item(char *b, size_t n, size_t i, size_t count, const char *item)
{
	size_t o = strlen(b);

	snprintf(b + o, n - o, "%s%s", i == 0 ? "" : i + 1 == count ? " and " : ", ", item);
}

/* Memory per task of each concurrent model at the top io level. */
static void finding_memory(const struct set *s, FILE *f)
{
	const char *ms[MAX_MODELS];
	char list[1024] = "", item[128], v[32], cnt[32];
	double top = top_level(s, 0);
	size_t n = 0;

	if (isnan(top) || top <= 1)
		return;
	for (size_t k = 0; k < s->nmodels; k++) {
		const struct cell *c = find_cell(s, s->grid, s->models[k], 0, top, false);

		if (c && !is_seq(c) && isfinite(c->v[M_MEM][MED]))
			ms[n++] = s->models[k];
	}
	if (n < 2)
		return;
	for (size_t i = 0; i < n; i++) {
		const struct cell *c = find_cell(s, s->grid, ms[i], 0, top, false);

		snprintf(item, sizeof(item), "%s %s", ms[i], fmt_kib(v, sizeof(v), c->v[M_MEM][MED], FMT_PROSE));
		join_item(list, sizeof(list), i, n, item);
	}
	fprintf(f,
		"- **Memory.** At %s concurrent io tasks, the memory per concurrent task (PSS "
		"growth over the set-up baseline, divided by the concurrency) was: %s.\n",
		fmt_count(top, cnt, sizeof(cnt)), list);
}

/* Makespan against the ideal bound on io at the top level. */
static void finding_bound(const struct set *s, FILE *f)
{
	char list[1024] = "", item[160], a[32], b[32], cnt[32];
	double top = top_level(s, 0), bound = NAN;
	size_t n = 0, count = 0;

	if (isnan(top))
		return;
	for (size_t k = 0; k < s->nmodels; k++) {
		const struct cell *c = find_cell(s, s->grid, s->models[k], 0, top, false);

		if (c && !is_seq(c) && usable(c, M_MAKESPAN, true)) {
			count++;
			if (isnan(bound) && c->v[M_BOUND][MED] > 0)
				bound = c->v[M_BOUND][MED];
		}
	}
	if (count < 2 || isnan(bound))
		return;
	for (size_t k = 0; k < s->nmodels; k++) {
		const struct cell *c = find_cell(s, s->grid, s->models[k], 0, top, false);

		if (!c || is_seq(c) || !usable(c, M_MAKESPAN, true))
			continue;
		snprintf(item, sizeof(item), "%s took %s (%.0f%% of ideal)", c->model,
			 fmt_us(a, sizeof(a), c->v[M_MAKESPAN][MED] * 1e6, FMT_PROSE),
			 100 * bound / c->v[M_MAKESPAN][MED]);
		join_item(list, sizeof(list), n++, count, item);
	}
	fprintf(f, "- **Against the bound.** On io at concurrency %s the ideal bound is %s: %s.\n",
		fmt_count(top, cnt, sizeof(cnt)), fmt_us(b, sizeof(b), bound * 1e6, FMT_PROSE), list);
}

/* CPU speedup over sequential at the host's core count (or the largest
 * worker count below it). */
static void finding_speedup(const struct set *s, FILE *f)
{
	const struct cell *base = NULL;
	char list[1024] = "", item[160];
	double target = 0;
	size_t n = 0, count = 0;

	for (size_t i = 0; i < s->ncells; i++) {
		const struct cell *c = &s->cells[i];

		if (strcmp(c->grid, "scaling") != 0 || !usable(c, M_MAKESPAN, true))
			continue;
		if (is_seq(c))
			base = base ? base : c;
		else if (parallelism(c) > target &&
			 (!isfinite(s->cores) || parallelism(c) <= s->cores))
			target = parallelism(c);
	}
	if (!base || target < 2)
		return;
	for (int pass = 0; pass < 2; pass++)
		for (size_t k = 0; k < s->nmodels; k++)
			for (size_t i = 0; i < s->ncells; i++) {
				const struct cell *c = &s->cells[i];

				if (strcmp(c->grid, "scaling") != 0 ||
				    strcmp(c->model, s->models[k]) != 0 || is_seq(c) ||
				    parallelism(c) != target || !usable(c, M_MAKESPAN, true))
					continue;
				if (pass == 0) {
					count++;
				} else {
					snprintf(item, sizeof(item), "%s %.2f×", c->model,
						 base->v[M_MAKESPAN][MED] / c->v[M_MAKESPAN][MED]);
					join_item(list, sizeof(list), n++, count, item);
				}
				break;
			}
	if (!count)
		return;
	fprintf(f,
		"- **CPU scaling.** On pure cpu work with %g workers (the host has %s cores, so "
		"the ideal is %g×), the speedup over sequential was: %s.\n",
		target, cores_text(s),
		isfinite(s->cores) ? fmin(target, s->cores) : target, list);
}

/* The event loop with CPU inline against offload on mixed work. */
static void finding_offload(const struct set *s, FILE *f)
{
	const struct cell *in, *off;
	char reg[64], cnt[32], a[32], b[32], c1[32], c2[32];
	double share = NAN, top, r;

	for (size_t i = 0; i < s->npanels; i++)
		if (strcmp(s->panels[i].key, "mixed") == 0)
			share = s->panels[i].share;
	if (isnan(share))
		return;
	top = top_level(s, share);
	in = find_cell(s, s->grid, "eventloop", share, top, false);
	off = find_cell(s, s->grid, "eventloop-offload", share, top, false);
	if (!in || !off || !usable(in, M_MAKESPAN, true) || !usable(off, M_MAKESPAN, true))
		return;
	r = in->v[M_MAKESPAN][MED] / off->v[M_MAKESPAN][MED];
	fprintf(f,
		"- **Inline CPU or offload.** On %s work at concurrency %s, the event loop with "
		"CPU inline took %s (p99 %s) and with offload %s (p99 %s): %s was %.2f× faster.\n",
		regime_name(share, reg, sizeof(reg)), fmt_count(top, cnt, sizeof(cnt)),
		fmt_us(a, sizeof(a), in->v[M_MAKESPAN][MED] * 1e6, FMT_PROSE),
		fmt_us(c1, sizeof(c1), in->v[M_P99][MED], FMT_PROSE),
		fmt_us(b, sizeof(b), off->v[M_MAKESPAN][MED] * 1e6, FMT_PROSE),
		fmt_us(c2, sizeof(c2), off->v[M_P99][MED], FMT_PROSE), r >= 1 ? "offload" : "inline",
		r >= 1 ? r : 1 / r);
}

/* The p99 winner on io at the top level. */
static void finding_p99(const struct set *s, FILE *f)
{
	double top = top_level(s, 0);
	const struct matrix_verdict *v = isnan(top) ? NULL : verdict_at(s, 1, 0, top);
	char cnt[32], text[512];

	if (!v || v->winner < 0 || v->runner_up < 0)
		return;
	verdict_text(s, 1, v, text, sizeof(text));
	fprintf(f, "- **Tail latency.** On io at concurrency %s, the lowest p99 latency %s %s.\n",
		fmt_count(top, cnt, sizeof(cnt)), v->tie ? "is a" : "belongs to", text);
}

/* How often the measured time winner agrees with the folklore table. */
static void finding_folklore(const struct set *s, FILE *f)
{
	char reg[64], list[1024] = "", item[160];
	size_t yes = 0, n = 0;

	for (size_t i = 0; i < s->nshares; i++) {
		const struct matrix_verdict *v =
			verdict_at(s, 0, s->shares[i], top_level(s, s->shares[i]));
		int ag = folklore_agrees(s, v);

		if (ag < 0)
			continue;
		n++;
		yes += ag;
		if (!ag) {
			snprintf(item, sizeof(item), "%s%s (won by %s)", *list ? "; " : "",
				 regime_name(s->shares[i], reg, sizeof(reg)), vmodel(s, v->winner));
			strncat(list, item, sizeof(list) - strlen(list) - 1);
		}
	}
	if (!n)
		return;
	fprintf(f,
		"- **Folklore.** At the highest concurrency, the fastest model agrees with "
		"\"I/O-bound → event loop, CPU-bound → processes or threads, mixed → event loop "
		"with offload\" in %zu of %zu regimes%s%s.\n",
		yes, n, *list ? "; it does not in: " : "", list);
}

static void finding_failures(const struct set *s, FILE *f)
{
	char list[1024] = "", item[160];
	size_t failed = 0;

	for (size_t i = 0; i < s->ncells; i++) {
		if (s->cells[i].ok)
			continue;
		snprintf(item, sizeof(item), "%s`%s`", failed ? ", " : "", s->cells[i].id);
		strncat(list, item, sizeof(list) - strlen(list) - 1);
		failed++;
	}
	if (failed)
		fprintf(f,
			"- **Failures.** %zu of %zu cells failed their self-check (lost tasks, "
			"errors or unequal checksums) and are left out of every comparison: %s.\n",
			failed, s->ncells, list);
	else
		fprintf(f,
			"- **Self-check.** All %zu cells passed: every rep finished every task "
			"with no error, and the checksums agree.\n",
			s->ncells);
}

static int write_report(const struct set *s)
{
	static const char *const titles[] = {
		"Makespan vs concurrency", "p99 latency vs concurrency",
		"Memory per concurrent task", "CPU speedup vs workers",
		"Latency percentile spectrum", "Decision matrix",
	};
	const struct meta *m = &s->meta;
	char path[PATH_LEN];
	FILE *f;

	snprintf(path, sizeof(path), "%s/REPORT.md", s->dir);
	f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "cmbench plots: %s: %s\n", path, strerror(errno));
		return -1;
	}
	fprintf(f, "# cmbench report: %s\n\n", s->run_id);
	fprintf(f, "| host | |\n|---|---|\n");
	fprintf(f, "| CPU | %s |\n| cores | %s |\n| kernel | Linux %s |\n",
		*m->cpu_model ? m->cpu_model : "not recorded", cores_text(s),
		*m->kernel ? m->kernel : "not recorded");
	if (*m->clocksource)
		fprintf(f, "| clock source | %s |\n", m->clocksource);
	if (*m->compiler)
		fprintf(f, "| compiler | %s %s |\n", m->compiler, m->cflags);
	if (*m->libuv)
		fprintf(f, "| libuv | %s |\n", m->libuv);
	if (*m->git_rev)
		fprintf(f, "| cmbench | %s%s |\n", m->git_rev, m->git_dirty ? " (uncommitted changes)" : "");
	if (*m->spec_name)
		fprintf(f, "| sweep | %s, %u reps per cell |\n", m->spec_name, m->reps);
	if (*m->start_utc)
		fprintf(f, "| started | %s |\n", m->start_utc);
	if (*m->note)
		fprintf(f, "\n%s\n", m->note);
	fprintf(f, "\n## Findings\n\n");
	finding_memory(s, f);
	finding_bound(s, f);
	finding_p99(s, f);
	finding_speedup(s, f);
	finding_offload(s, f);
	finding_folklore(s, f);
	finding_failures(s, f);
	fprintf(f, "\n## Charts\n\n");
	for (size_t i = 0; i < NCHARTS; i++)
		fprintf(f, "![%s](%s.png)\n\n", titles[i], chart_names[i]);
	fprintf(f, "## Decision matrix (highest concurrency; all cells in "
		   "[decision-matrix.md](decision-matrix.md))\n\n");
	write_summary_table(s, f);
	return fclose(f) == 0 ? 0 : -1;
}

/* ---------------------------------------------------------------- main */

static void set_free(struct set *s)
{
	for (size_t k = 0; k < NCRIT; k++)
		free(s->verdict[k]);
	free(s->mc);
	free(s->mc_src);
	free(s->cells);
	cells_csv_free(&s->tab);
	meta_free(&s->meta);
}

static int usage(const char *msg)
{
	fprintf(stderr, "cmbench plots: %s (usage: cmbench plots DIR [--scripts PLOTS_DIR])\n",
		msg);
	return 2;
}

/* Parse argv into s; 0 or the exit status. */
static int parse_args(int argc, char **argv, struct set *s)
{
	const char *p;
	size_t len;

	s->scripts = "plots";
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--scripts") == 0) {
			if (++i == argc)
				return usage("--scripts needs a directory");
			s->scripts = argv[i];
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return usage("unknown flag");
		} else if (s->dir) {
			return usage("one result directory only");
		} else {
			s->dir = argv[i];
		}
	}
	if (!s->dir)
		return usage("needs a result directory");
	len = strlen(s->dir);
	while (len > 1 && s->dir[len - 1] == '/')
		len--;
	for (p = s->dir + len; p > s->dir && p[-1] != '/'; p--)
		;
	snprintf(s->run_id, sizeof(s->run_id), "%.*s", (int)(s->dir + len - p), p);
	if (!*s->run_id || strcmp(s->run_id, ".") == 0) {
		char cwd[PATH_LEN];

		if (getcwd(cwd, sizeof(cwd)) && strrchr(cwd, '/'))
			snprintf(s->run_id, sizeof(s->run_id), "%s", strrchr(cwd, '/') + 1);
	}
	return 0;
}

int plots_main(int argc, char **argv)
{
	struct set s = { .cores = NAN };
	char script[PATH_LEN];
	int rc;

	rc = parse_args(argc, argv, &s);
	if (rc)
		return rc;
	for (size_t i = 0; i < NCHARTS; i++) {
		snprintf(script, sizeof(script), "%s/%s.gp", s.scripts, chart_names[i]);
		if (access(script, R_OK)) {
			fprintf(stderr, "cmbench plots: %s: %s (give --scripts PLOTS_DIR)\n", script,
				strerror(errno));
			return 2;
		}
	}
	rc = load_cells(&s);
	if (rc)
		goto out;
	read_meta(&s);
	plan_grid(&s);
	rc = 1;
	if (decide_all(&s)) {
		fprintf(stderr, "cmbench plots: out of memory\n");
		goto out;
	}
	if (write_plotdata(&s) || write_matrix_md(&s))
		goto out;
	if (!on_path("gnuplot")) {
		fprintf(stderr, "cmbench plots: gnuplot not found; install it with: "
				"apt-get install gnuplot-nox\n");
		goto out;
	}
	for (size_t i = 0; i < NCHARTS; i++)
		if (run_gnuplot(&s, chart_names[i])) {
			fprintf(stderr, "cmbench plots: gnuplot failed on %s/%s.gp\n", s.scripts,
				chart_names[i]);
			goto out;
		}
	if (write_report(&s))
		goto out;
	rc = 0;
out:
	set_free(&s);
	return rc;
}
