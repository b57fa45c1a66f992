/* compare.c - `cmbench compare DIR_A DIR_B`: per-cell ratios B/A of
 * makespan, p99 latency and memory per task, their geometric means, the
 * makespan verdict of each cell by the verdict rule (lib/verdict.h: Welch
 * on the reps of results.csv, Benjamini-Hochberg over the cells), and a
 * warning when the two sets come from different hosts or builds. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sweep.h"
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
			     "task\n");
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
		compare_table(&a, &b, &ra, &rb);
		cells_csv_free(&ra);
		cells_csv_free(&rb);
	}
	cells_csv_free(&a);
	cells_csv_free(&b);
	return 0;
}
