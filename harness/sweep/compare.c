/* compare.c - `cmbench compare DIR_A DIR_B`: per-cell ratios B/A of
 * makespan, p99 latency and memory per task, their geometric means, the
 * makespan verdict of each cell by the verdict rule (lib/verdict.h: Welch
 * on the reps of results.csv, Benjamini-Hochberg over the cells); then,
 * per model pair of each grid point in both sets, whether the sets
 * contradict (the two 95% intervals of the pair's ratio are disjoint) and
 * whether their verdicts differ; and what differs between the two
 * machines (meta.json: clock source, kernel, hypervisor, THP, CPU
 * mitigations, governor) or builds. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sweep.h"
#include "../../models/model.h"
#include "../result.h"
#include "../set/cells.h"
#include "../../lib/cmdutil.h"
#include "../set/meta.h"
#include "../set/setio.h"
#include "../../lib/verdict.h"

#define USAGE "usage: cmbench compare DIR_A DIR_B"

/* The figures compared, as result columns; cells.csv has their medians. */
static const char *const cmp_cols[] = { "makespan_s", "lat_p99_us", "mem_per_task_kib" };
#define NCMP 3

struct field_diff {
	const char *name;  /* as printed */
	const char *a, *b; /* the two values */
};

/* One warning line listing the fields that differ, if any. */
static void warn_diff(const char *what, const struct field_diff *d, size_t n)
{
	char line[2048];
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		if (strcmp(d[i].a, d[i].b) == 0)
			continue;
		o += (size_t)snprintf(line + o, o < sizeof(line) ? sizeof(line) - o : 0,
				      "%s%s '%s' vs '%s'", o ? "; " : "", d[i].name, d[i].a,
				      d[i].b);
	}
	if (o)
		cmd_say("compare", "WARNING: the %s differ, ratios mix them: %s", what, line);
}

static void compare_warn(const struct meta *a, const struct meta *b)
{
	char ca[16], cb[16];
	const char *da = a->git_dirty ? "yes" : "no", *db = b->git_dirty ? "yes" : "no";

	snprintf(ca, sizeof(ca), "%d", a->cores);
	snprintf(cb, sizeof(cb), "%d", b->cores);
	const struct field_diff host[] = {
		{ "cpu model", a->cpu_model, b->cpu_model },
		{ "cores", ca, cb },
		{ "kernel", a->kernel, b->kernel },
		{ "clock source", a->clocksource, b->clocksource },
		{ "hypervisor", a->hypervisor, b->hypervisor },
		{ "transparent huge pages", a->thp, b->thp },
		{ "cpu mitigations", a->mitigations, b->mitigations },
		{ "cpu governor", a->governor, b->governor },
	};
	const struct field_diff build[] = {
		{ "git", a->git_rev, b->git_rev },	  { "dirty", da, db },
		{ "compiler", a->compiler, b->compiler }, { "cflags", a->cflags, b->cflags },
		{ "libuv", a->libuv, b->libuv },
	};
	warn_diff("hosts", host, sizeof(host) / sizeof(host[0]));
	warn_diff("builds", build, sizeof(build) / sizeof(build[0]));
	if (a->git_dirty || b->git_dirty)
		cmd_say("compare", "note: a build from a dirty tree is not reproducible from its "
				   "git commit");
}

static int load_cells(const char *dir, struct cells_csv *t)
{
	char path[PATH_MAX];

	setio_path(path, sizeof(path), dir, "cells.csv");
	if (cells_csv_read(path, t) != 0 || cells_csv_col(t, "cell") < 0) {
		cmd_say("compare", "%s: cannot read a cells table", path);
		cells_csv_free(t);
		return -CMD_EUSAGE;
	}
	return 0;
}

/* The geometric means of the ratios, column by column. */
struct means {
	double logsum[NCMP];
	int n[NCMP];
};

/* "1.234" for b/a, or "-" when either is not positive. */
static const char *ratio(double a, double b, char *buf, size_t len, struct means *g, int k)
{
	if (!(a > 0) || !(b > 0)) {
		snprintf(buf, len, "-");
		return buf;
	}
	snprintf(buf, len, "%.3f", b / a);
	g->logsum[k] += log(b / a);
	g->n[k]++;
	return buf;
}

/* The figure of column k of a row; 0 when the table lacks it. */
static double figure(const struct cells_csv *t, char **row, int k)
{
	char name[96];
	int c;

	snprintf(name, sizeof(name), "%s_med", cmp_cols[k]);
	c = cells_csv_col(t, name);
	return c < 0 ? 0 : strtod(row[c], NULL);
}

/* The row of cell id in t, or NULL. */
static char **row_of(const struct cells_csv *t, const char *id)
{
	int c = cells_csv_col(t, "cell");

	for (size_t j = 0; j < t->nrows; j++)
		if (strcmp(t->rows[j][c], id) == 0)
			return t->rows[j];
	return NULL;
}

static bool row_ok(const struct cells_csv *t, char **row)
{
	int c = cells_csv_col(t, "ok");

	return c < 0 || strcmp(row[c], "1") == 0;
}

/* The makespans of cell id's clean reps in a results table, into v; how
 * many. A failed rep (ok 0, or a makespan of 0 or none) is left out: it
 * measured no makespan. */
static size_t reps_of(const struct cells_csv *t, const char *id, double *v)
{
	int c = cells_csv_col(t, "cell"), m = cells_csv_col(t, cmp_cols[0]);
	size_t n = 0;

	for (size_t j = 0; c >= 0 && m >= 0 && j < t->nrows && n < CELLS_MAX_REPS; j++) {
		double x;

		if (strcmp(t->rows[j][c], id) != 0 || !row_ok(t, t->rows[j]))
			continue;
		x = strtod(t->rows[j][m], NULL);
		if (isfinite(x) && x > 0)
			v[n++] = x;
	}
	return n;
}

/* The makespan verdict of every row of a (B against A), as one family. */
static struct verdict *row_verdicts(const struct cells_csv *a, const struct cells_csv *b,
				    const struct cells_csv *ra, const struct cells_csv *rb)
{
	int id = cells_csv_col(a, "cell");
	struct verdict *v = calloc(a->nrows ? a->nrows : 1, sizeof(*v));
	double va[CELLS_MAX_REPS], vb[CELLS_MAX_REPS], one = 1;

	if (!v)
		return NULL;
	for (size_t i = 0; i < a->nrows; i++) {
		size_t na = reps_of(ra, a->rows[i][id], va), nb = reps_of(rb, a->rows[i][id], vb);

		if (!row_of(b, a->rows[i][id]) || !na || !nb)
			verdict_test(&one, 1, &one, 1, &v[i]); /* untestable */
		else
			verdict_test(va, na, vb, nb, &v[i]);
	}
	if (verdict_adjust(v, a->nrows, VERDICT_BH)) {
		free(v);
		return NULL;
	}
	return v;
}

/* A line per cell in both sets; returns how many. */
static size_t compare_rows(const struct cells_csv *a, const struct cells_csv *b, int width,
			   struct means *g, const struct verdict *v)
{
	int id = cells_csv_col(a, "cell");
	size_t both = 0;
	char r[NCMP][32], vd[VERDICT_FMT_MAX];

	for (size_t i = 0; i < a->nrows; i++) {
		char **ra = a->rows[i], **rb = row_of(b, ra[id]);

		if (!rb)
			continue;
		both++;
		for (int k = 0; k < NCMP; k++)
			ratio(figure(a, ra, k), figure(b, rb, k), r[k], sizeof(r[k]), g, k);
		printf("%-*s  %12s  %12s  %12s  %s%s\n", width, ra[id], r[0], r[1], r[2],
		       v ? verdict_format(&v[i], "A", "B", vd, sizeof(vd)) : "?",
		       row_ok(a, ra) && row_ok(b, rb) ? "" : "  (a failed cell)");
	}
	return both;
}

static void compare_table(const struct cells_csv *a, const struct cells_csv *b,
			  const struct cells_csv *ra, const struct cells_csv *rb)
{
	int id = cells_csv_col(a, "cell"), width = 4;
	struct means g = { { 0 }, { 0 } };
	struct verdict *v = row_verdicts(a, b, ra, rb);
	size_t both;
	char r[NCMP][32];

	for (size_t i = 0; i < a->nrows; i++)
		if ((int)strlen(a->rows[i][id]) > width)
			width = (int)strlen(a->rows[i][id]);
	printf("%-*s  %12s  %12s  %12s  %s\n", width, "cell", "makespan B/A", "p99 lat B/A",
	       "mem/task B/A", "makespan verdict (reps; BH over the cells)");
	both = compare_rows(a, b, width, &g, v);
	free(v);
	for (int k = 0; k < NCMP; k++)
		if (g.n[k])
			snprintf(r[k], sizeof(r[k]), "%.3f", exp(g.logsum[k] / g.n[k]));
		else
			snprintf(r[k], sizeof(r[k]), "-");
	printf("%-*s  %12s  %12s  %12s\n", width, "geometric mean", r[0], r[1], r[2]);
	printf("%zu cells in both; %zu only in A, %zu only in B. B/A < 1: B is faster "
	       "(or smaller).\n",
	       both, a->nrows - both, b->nrows - both);
}

/* One set's side of the pair comparison: its tables and verdict rule. */
struct side {
	const struct cells_csv *cells, *reps;
	struct spec spec; /* from meta.json, for each grid's rule (may be empty) */
	bool have_spec;
};

/* The part of a cell's id after GRID-LABEL-: the point's parameters. */
static const char *point_key(const struct cells_csv *t, char **row)
{
	int g = cells_csv_col(t, "grid"), l = cells_csv_col(t, "label"),
	    m = cells_csv_col(t, "model"), id = cells_csv_col(t, "cell");
	const char *lab = l >= 0 && row[l][0] ? row[l] : m >= 0 ? row[m] : "";
	size_t skip = (g >= 0 ? strlen(row[g]) : 0) + strlen(lab) + 2;

	return strlen(row[id]) > skip ? row[id] + skip : "";
}

/* Whether row r of t is a one-slot model's (it runs at C=1 only and
 * competes at every level of its work, as in the matrix). */
static bool one_slot(const struct cells_csv *t, char **row)
{
	int m = cells_csv_col(t, "model");
	const struct model_ops *ops = m >= 0 ? model_find(row[m]) : NULL;

	return ops && ops->one_slot;
}

/* Keys a and b equal but for their first "-cN" (the concurrency). */
static bool same_but_level(const char *a, const char *b)
{
	const char *ca = strstr(a, "-c"), *cb = strstr(b, "-c");

	if (!ca || !cb || ca - a != cb - b || strncmp(a, b, (size_t)(ca - a)) != 0)
		return false;
	ca += 2 + strspn(ca + 2, "0123456789");
	cb += 2 + strspn(cb + 2, "0123456789");
	return strcmp(ca, cb) == 0;
}

/* Whether rows i and j of t are two models of one grid point (a one-slot
 * model's cell is of every point of its work). */
static bool same_point(const struct cells_csv *t, size_t i, size_t j)
{
	int g = cells_csv_col(t, "grid");
	const char *ki = point_key(t, t->rows[i]), *kj = point_key(t, t->rows[j]);
	bool si = one_slot(t, t->rows[i]), sj = one_slot(t, t->rows[j]);

	if (g < 0 || strcmp(t->rows[i][g], t->rows[j][g]) != 0 || !*ki)
		return false;
	if (si != sj)
		return same_but_level(ki, kj);
	return strcmp(ki, kj) == 0;
}

static const char *grid_of(const struct cells_csv *t, size_t row)
{
	int g = cells_csv_col(t, "grid");

	return g >= 0 ? t->rows[row][g] : "";
}

/* The verdict of cells x against y in one set, by its grid's rule. */
static void pair_verdict(const struct side *sd, const char *grid, const char *x, const char *y,
			 struct verdict *v)
{
	double vx[CELLS_MAX_REPS], vy[CELLS_MAX_REPS], one = 1, alpha, margin;
	size_t nx = reps_of(sd->reps, x, vx), ny = reps_of(sd->reps, y, vy);

	if (!nx || !ny || !row_of(sd->cells, x) || !row_of(sd->cells, y)) {
		verdict_test(&one, 1, &one, 1, v); /* untestable */
		return;
	}
	verdict_test(vx, nx, vy, ny, v);
	spec_grid_rule(&sd->spec, sd->have_spec ? spec_grid_find(&sd->spec, grid) : NULL, &alpha,
		       &margin);
	verdict_rule(v, alpha, margin);
}

/* y's center over x's, and the interval, from a verdict of x against y. */
static void y_over_x(const struct verdict *v, double *r, double *lo, double *hi)
{
	*r = v->a_lower ? v->ratio : 1 / v->ratio;
	*lo = v->a_lower ? v->ci_lo : 1 / v->ci_hi;
	*hi = v->a_lower ? v->ci_hi : 1 / v->ci_lo;
}

/* The pairs: rows of A (x, y) of one point, both cells in B too. */
struct pair {
	size_t x, y;	       /* rows of A */
	struct verdict va, vb; /* x against y in A and in B */
};

static size_t collect_pairs(const struct cells_csv *a, const struct cells_csv *b, struct pair **out)
{
	int id = cells_csv_col(a, "cell");
	size_t n = 0, cap = 0;
	struct pair *p = NULL;

	for (size_t i = 0; i < a->nrows; i++)
		for (size_t j = i + 1; j < a->nrows; j++) {
			if (!same_point(a, i, j) || !row_of(b, a->rows[i][id]) ||
			    !row_of(b, a->rows[j][id]))
				continue;
			if (n == cap) {
				struct pair *q =
					realloc(p, (cap = cap ? 2 * cap : 64) * sizeof(*p));

				if (!q)
					break;
				p = q;
			}
			p[n++] = (struct pair){ .x = i, .y = j };
		}
	*out = p;
	return n;
}

/* Judge every pair in both sets (one BH family per set), and print a line
 * per pair and the counts. */
static void compare_pairs(const struct side *sa, const struct side *sb)
{
	const struct cells_csv *a = sa->cells;
	int id = cells_csv_col(a, "cell"), g = cells_csv_col(a, "grid"),
	    l = cells_csv_col(a, "label");
	struct pair *p = NULL;
	size_t n = collect_pairs(a, sb->cells, &p), contra = 0, differ = 0, tested = 0;
	struct verdict **fa = calloc(n ? n : 1, sizeof(*fa)), **fb = calloc(n ? n : 1, sizeof(*fb));
	char wa[VERDICT_FMT_MAX], wb[VERDICT_FMT_MAX];

	for (size_t k = 0; fa && fb && k < n; k++) {
		const char *grid = g >= 0 ? a->rows[p[k].x][g] : "";

		pair_verdict(sa, grid, a->rows[p[k].x][id], a->rows[p[k].y][id], &p[k].va);
		pair_verdict(sb, grid, a->rows[p[k].x][id], a->rows[p[k].y][id], &p[k].vb);
		fa[k] = &p[k].va;
		fb[k] = &p[k].vb;
	}
	if (!fa || !fb || verdict_adjust_ptr(fa, n, VERDICT_BH) ||
	    verdict_adjust_ptr(fb, n, VERDICT_BH))
		n = 0;
	printf("\nModel pairs of the grid points in both sets (each set's verdict, BH over its "
	       "pairs; contradict: the two 95%% intervals of the ratio are disjoint):\n");
	for (size_t k = 0; k < n; k++) {
		const char *x = l >= 0 ? a->rows[p[k].x][l] : "x",
			   *y = l >= 0 ? a->rows[p[k].y][l] : "y";
		double ra, la, ha, rb, lb, hb;
		bool both = p[k].va.outcome != VERDICT_NA && p[k].vb.outcome != VERDICT_NA;
		bool dis, dif;

		y_over_x(&p[k].va, &ra, &la, &ha);
		y_over_x(&p[k].vb, &rb, &lb, &hb);
		dis = both && (ha < lb || hb < la);
		dif = strcmp(verdict_word(&p[k].va), verdict_word(&p[k].vb)) != 0 ||
		      (verdict_clear(&p[k].va) && p[k].va.outcome != p[k].vb.outcome);
		tested += both;
		contra += dis;
		differ += dif;
		size_t at = one_slot(a, a->rows[p[k].x]) ? p[k].y : p[k].x;

		printf("%s:%s: A %s | B %s%s%s\n", grid_of(a, at), point_key(a, a->rows[at]),
		       verdict_format(&p[k].va, x, y, wa, sizeof(wa)),
		       verdict_format(&p[k].vb, x, y, wb, sizeof(wb)), dis ? "  CONTRADICT" : "",
		       dif ? "  VERDICTS DIFFER" : "");
	}
	printf("%zu model pairs in both sets (%zu tested in both): %zu contradict (disjoint "
	       "intervals), %zu verdicts differ\n",
	       n, tested, contra, differ);
	free(fa);
	free(fb);
	free(p);
}

/* What differs between the two sets' machines, as one line. */
static void name_differences(const char *dir_a, const char *dir_b)
{
	struct meta ma, mb;
	char path[PATH_MAX], line[4096];
	size_t o = 0;
	int ra, rb;

	setio_path(path, sizeof(path), dir_a, "meta.json");
	ra = meta_read(path, &ma);
	setio_path(path, sizeof(path), dir_b, "meta.json");
	rb = meta_read(path, &mb);
	if (ra || rb) {
		printf("what differs between the machines: unknown (no meta.json in %s)\n",
		       ra ? dir_a : dir_b);
	} else {
		const struct field_diff f[] = {
			{ "cpu model", ma.cpu_model, mb.cpu_model },
			{ "kernel", ma.kernel, mb.kernel },
			{ "clock source", ma.clocksource, mb.clocksource },
			{ "hypervisor", ma.hypervisor, mb.hypervisor },
			{ "transparent huge pages", ma.thp, mb.thp },
			{ "cpu mitigations", ma.mitigations, mb.mitigations },
			{ "cpu governor", ma.governor, mb.governor },
			{ "host", ma.host, mb.host },
			{ "git", ma.git_rev, mb.git_rev },
		};

		for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
			if (strcmp(f[i].a, f[i].b) != 0 && o < sizeof(line))
				o += (size_t)snprintf(line + o, sizeof(line) - o,
						      "%s%s '%s' vs '%s'", o ? "; " : "", f[i].name,
						      f[i].a[0] ? f[i].a : "?",
						      f[i].b[0] ? f[i].b : "?");
		printf("what differs between the machines: %s\n",
		       o ? line : "nothing meta.json records");
	}
	if (!ra)
		meta_free(&ma);
	if (!rb)
		meta_free(&mb);
}

/* One side: its tables, and its spec from meta.json for the grids' rules. */
static void side_open(struct side *sd, const char *dir, const struct cells_csv *cells,
		      const struct cells_csv *reps)
{
	char path[PATH_MAX], err[SPEC_ERR_MAX];
	struct meta m;

	memset(sd, 0, sizeof(*sd));
	sd->cells = cells;
	sd->reps = reps;
	sd->spec.reps = sd->spec.reps_max = 3; /* the parser's defaults */
	sd->spec.equiv_pct = VERDICT_MARGIN * 100;
	setio_path(path, sizeof(path), dir, "meta.json");
	if (meta_read(path, &m) != 0)
		return;
	if (m.spec_text && spec_parse(m.spec_file, m.spec_text, &sd->spec, err, sizeof(err)) == 0)
		sd->have_spec = true;
	meta_free(&m);
}

/* The two sets' meta.json: a warning when they differ or one is missing;
 * -1 (said in one line) when their checksums hash the work differently. */
static int compare_meta(const char *dir_a, const char *dir_b)
{
	struct meta ma, mb;
	char path[PATH_MAX];
	int ra, rb, rc = 0;

	setio_path(path, sizeof(path), dir_a, "meta.json");
	ra = meta_read(path, &ma);
	setio_path(path, sizeof(path), dir_b, "meta.json");
	rb = meta_read(path, &mb);
	if (ra || rb)
		cmd_say("compare",
			"WARNING: %s has no readable meta.json; cannot tell whether the "
			"hosts or builds differ",
			ra ? dir_a : dir_b);
	else if (strcmp(ma.checksum_scheme, mb.checksum_scheme) != 0) {
		cmd_say("compare",
			"%s (checksums by %s) and %s (by %s): the same work has different "
			"checksums in them, so no cell can be checked to be the same work in "
			"both; rerun the older set with this cmbench",
			dir_a, ma.checksum_scheme, dir_b, mb.checksum_scheme);
		rc = -1;
	} else
		compare_warn(&ma, &mb);
	meta_free(&ma);
	meta_free(&mb);
	return rc;
}

int compare_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cells_csv a, b;
	int c;

	optind = 0;
	while ((c = cmd_getopt("compare", argc, argv, "h", opts)) != -1) {
		if (c != 'h')
			return 2;
		printf(USAGE "\n  per-cell ratios B/A of makespan, p99 latency and memory per "
			     "task; per model pair of each shared grid point, whether the sets "
			     "contradict and whether their verdicts differ; what differs between "
			     "the machines\n");
		return 0;
	}
	if (argc - optind != 2) {
		cmd_say("compare", USAGE);
		return 2;
	}
	for (int k = 0; k < NCMP; k++)
		if (!result_col_find(cmp_cols[k]))
			return cmd_exit(-EINVAL);
	if (load_cells(argv[optind], &a))
		return 2;
	if (load_cells(argv[optind + 1], &b)) {
		cells_csv_free(&a);
		return 2;
	}
	if (compare_meta(argv[optind], argv[optind + 1]) < 0) {
		cells_csv_free(&a);
		cells_csv_free(&b);
		return 2;
	}
	printf("A = %s\nB = %s\n", argv[optind], argv[optind + 1]);
	{
		struct cells_csv ra = { 0 }, rb = { 0 };
		char path[PATH_MAX];

		setio_path(path, sizeof(path), argv[optind], "results.csv");
		if (cells_csv_read(path, &ra) != 0)
			memset(&ra, 0, sizeof(ra)); /* no reps: every verdict "?" */
		setio_path(path, sizeof(path), argv[optind + 1], "results.csv");
		if (cells_csv_read(path, &rb) != 0)
			memset(&rb, 0, sizeof(rb));
		struct side sa, sb;

		compare_table(&a, &b, &ra, &rb);
		side_open(&sa, argv[optind], &a, &ra);
		side_open(&sb, argv[optind + 1], &b, &rb);
		compare_pairs(&sa, &sb);
		name_differences(argv[optind], argv[optind + 1]);
		if (sa.have_spec)
			spec_free(&sa.spec);
		if (sb.have_spec)
			spec_free(&sb.spec);
		cells_csv_free(&ra);
		cells_csv_free(&rb);
	}
	cells_csv_free(&a);
	cells_csv_free(&b);
	return 0;
}
