/* matrix.c - decide the decision matrix: best model per grid cell, its
 * margin, and ties. See matrix.h for the rules. */
#include "matrix.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct level {
	double share_pct;   /* grid cell: cpu share */
	double concurrency; /* grid cell: concurrency */
};

bool matrix_cell_valid(const struct matrix_cell *c)
{
	return c->ok && isfinite(c->med) && isfinite(c->min) && isfinite(c->max);
}

/* The verdict of a against b from their reps (raw p until adjusted). */
static void test_pair(const struct matrix_cell *a, const struct matrix_cell *b, struct verdict *v)
{
	if (!a->v || !b->v || a->nv == 0 || b->nv == 0) {
		double one = 1;

		verdict_test(&one, 1, &one, 1, v); /* untestable: NA */
		return;
	}
	verdict_test(a->v, a->nv, b->v, b->nv, v);
}

bool matrix_is_tie(const struct matrix_cell *a, const struct matrix_cell *b)
{
	struct verdict v;

	test_pair(a, b, &v);
	verdict_decide(&v);
	return !verdict_clear(&v);
}

double matrix_margin(double winner_med, double runner_med)
{
	if (winner_med > 0)
		return runner_med / winner_med - 1.0;
	return runner_med > winner_med ? INFINITY : 0.0;
}

static int level_cmp(const void *pa, const void *pb)
{
	const struct level *a = pa, *b = pb;

	if (a->share_pct != b->share_pct)
		return a->share_pct < b->share_pct ? -1 : 1;
	if (a->concurrency != b->concurrency)
		return a->concurrency < b->concurrency ? -1 : 1;
	return 0;
}

/* The distinct (share, concurrency) pairs of cells, sorted; *nlev set. */
static struct level *collect_levels(const struct matrix_cell *cells, size_t n, size_t *nlev)
{
	struct level *lv = calloc(n ? n : 1, sizeof(*lv));
	size_t k = 0;

	if (!lv)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		lv[k].share_pct = cells[i].share_pct;
		lv[k].concurrency = cells[i].concurrency;
		k++;
	}
	qsort(lv, k, sizeof(*lv), level_cmp);
	*nlev = 0;
	for (size_t i = 0; i < k; i++)
		if (*nlev == 0 || level_cmp(&lv[*nlev - 1], &lv[i]) != 0)
			lv[(*nlev)++] = lv[i];
	return lv;
}

static bool same_model(const struct matrix_cell *a, const struct matrix_cell *b)
{
	if (!a->model || !b->model)
		return a->model == b->model;
	return strcmp(a->model, b->model) == 0;
}

/* Is cells[i] a contender at lv, and the first of its model there? */
static bool contends(const struct matrix_cell *cells, size_t i, const struct level *lv)
{
	const struct matrix_cell *c = &cells[i];

	if (c->share_pct != lv->share_pct)
		return false;
	if (c->concurrency != lv->concurrency && !c->any_level)
		return false;
	for (size_t j = 0; j < i; j++)
		if (same_model(&cells[j], c) && cells[j].share_pct == lv->share_pct &&
		    (cells[j].concurrency == lv->concurrency || cells[j].any_level))
			return false;
	return true;
}

/* Is cells[a] better than cells[b]? Lower median; the name breaks ties so
 * that the verdict does not depend on input order. */
static bool better(const struct matrix_cell *cells, int a, int b)
{
	if (cells[a].med != cells[b].med)
		return cells[a].med < cells[b].med;
	if (cells[a].model && cells[b].model)
		return strcmp(cells[a].model, cells[b].model) < 0;
	return a < b;
}

/* The best and second best valid contenders at lv into v. */
static void rank_level(const struct matrix_cell *cells, size_t n, const struct level *lv,
		       struct matrix_verdict *v)
{
	for (size_t i = 0; i < n; i++) {
		int k = (int)i;

		if (!contends(cells, i, lv))
			continue;
		if (!matrix_cell_valid(&cells[i])) {
			v->nfailed++;
			continue;
		}
		v->nvalid++;
		if (v->winner < 0 || better(cells, k, v->winner)) {
			v->runner_up = v->winner;
			v->winner = k;
		} else if (v->runner_up < 0 || better(cells, k, v->runner_up)) {
			v->runner_up = k;
		}
	}
}

/* Everyone tied with the winner into v->tied: winner, runner-up, then the
 * others best first. 0 or -ENOMEM. */
static int list_tied(const struct matrix_cell *cells, size_t n, const struct level *lv,
		     struct matrix_verdict *v)
{
	v->tied = calloc((size_t)v->nvalid, sizeof(*v->tied));
	if (!v->tied)
		return -ENOMEM;
	v->tied[v->ntied++] = v->winner;
	v->tied[v->ntied++] = v->runner_up;
	for (size_t i = 0; i < n && v->ntied < v->nvalid; i++) {
		int k = (int)i, j;

		if (k == v->winner || k == v->runner_up || !contends(cells, i, lv) ||
		    !matrix_cell_valid(&cells[i]) || !matrix_is_tie(&cells[v->winner], &cells[i]))
			continue;
		for (j = v->ntied; j > 2 && better(cells, k, v->tied[j - 1]); j--)
			v->tied[j] = v->tied[j - 1];
		v->tied[j] = k;
		v->ntied++;
	}
	return 0;
}

static void decide_level(const struct matrix_cell *cells, size_t n, const struct level *lv,
			 struct matrix_verdict *v)
{
	memset(v, 0, sizeof(*v));
	v->share_pct = lv->share_pct;
	v->concurrency = lv->concurrency;
	v->winner = v->runner_up = -1;
	rank_level(cells, n, lv, v);
	if (v->runner_up < 0)
		return;
	v->margin = matrix_margin(cells[v->winner].med, cells[v->runner_up].med);
	test_pair(&cells[v->winner], &cells[v->runner_up], &v->vd);
}

/* After the correction: a tie unless the winner is clearly ahead (the
 * runner-up clearly ahead cannot happen with the lower median, but if
 * the means say so it is a tie too). */
static int settle_level(const struct matrix_cell *cells, size_t n, const struct level *lv,
			struct matrix_verdict *v)
{
	if (v->runner_up < 0)
		return 0;
	v->tie = v->vd.outcome != VERDICT_A;
	return v->tie ? list_tied(cells, n, lv, v) : 0;
}

int matrix_decide(const struct matrix_cell *cells, size_t n, struct matrix_verdict **out,
		  size_t *nout)
{
	return matrix_decide_corr(cells, n, VERDICT_BH, out, nout);
}

/* The family: every level's winner-against-runner-up test. */
static int adjust_family(struct matrix_verdict *v, size_t n, enum verdict_corr corr)
{
	struct verdict **pv = calloc(n ? n : 1, sizeof(*pv));
	size_t m = 0;
	int rc;

	if (!pv)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		if (v[i].runner_up >= 0)
			pv[m++] = &v[i].vd;
	rc = verdict_adjust_ptr(pv, m, corr);
	free(pv);
	return rc;
}

int matrix_decide_corr(const struct matrix_cell *cells, size_t n, enum verdict_corr corr,
		       struct matrix_verdict **out, size_t *nout)
{
	struct level *lv;
	size_t nlev = 0;

	*out = NULL;
	*nout = 0;
	if (n == 0)
		return 0;
	lv = collect_levels(cells, n, &nlev);
	if (!lv)
		return -ENOMEM;
	*out = calloc(nlev, sizeof(**out));
	if (!*out) {
		free(lv);
		return -ENOMEM;
	}
	for (size_t i = 0; i < nlev; i++)
		decide_level(cells, n, &lv[i], &(*out)[i]);
	if (adjust_family(*out, nlev, corr))
		goto nomem;
	for (size_t i = 0; i < nlev; i++)
		if (settle_level(cells, n, &lv[i], &(*out)[i]))
			goto nomem;
	*nout = nlev;
	free(lv);
	return 0;
nomem:
	matrix_free(*out, nlev);
	*out = NULL;
	free(lv);
	return -ENOMEM;
}

void matrix_free(struct matrix_verdict *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i].tied);
	free(v);
}
