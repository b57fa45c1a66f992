/* matrix.c - decide the decision matrix: best model per grid cell, its
 * margin, and whether it wins, is equivalent to others or is undecided.
 * See matrix.h for the rules. */
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
	return v.outcome != VERDICT_NA && !verdict_clear(&v); /* equivalent or inconclusive */
}

/* The center the test compares: the geometric mean of the reps (the
 * arithmetic mean when one is not positive), the median without reps. */
static double center(const struct matrix_cell *c)
{
	double m, lo, hi;

	if (!c->v || c->nv == 0)
		return c->med;
	verdict_gmean_ci(c->v, c->nv, 0.95, &m, &lo, &hi);
	return isfinite(m) ? m : c->med;
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

/* Is cells[a] better than cells[b]? Lower center (geometric mean of the
 * reps, as the test has it); the name breaks ties so that the verdict does
 * not depend on input order. */
static bool better(const struct matrix_cell *cells, int a, int b)
{
	double ca = center(&cells[a]), cb = center(&cells[b]);

	if (ca != cb)
		return ca < cb;
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

/* The winner against every other valid contender at lv: v->vs[i] is its
 * test against cells[v->vs_idx[i]], best first; the family entry v->fam
 * carries the largest raw p of them (the cell is won only if every one is
 * clear, so the weakest decides). 0 or -ENOMEM. */
static int test_level(const struct matrix_cell *cells, size_t n, const struct level *lv,
		      const struct matrix_rule *rule, struct matrix_verdict *v)
{
	int m = 0;

	v->vs = calloc((size_t)v->nvalid, sizeof(*v->vs));
	v->vs_idx = calloc((size_t)v->nvalid, sizeof(*v->vs_idx));
	if (!v->vs || !v->vs_idx)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		int k = (int)i, j;

		if (k == v->winner || !contends(cells, i, lv) || !matrix_cell_valid(&cells[i]))
			continue;
		for (j = m; j > 0 && better(cells, k, v->vs_idx[j - 1]); j--) {
			v->vs_idx[j] = v->vs_idx[j - 1];
			v->vs[j] = v->vs[j - 1];
		}
		v->vs_idx[j] = k;
		test_pair(&cells[v->winner], &cells[k], &v->vs[j]);
		verdict_rule(&v->vs[j], rule->alpha, rule->margin);
		m++;
	}
	v->nvs = m;
	v->fam = v->vs[0];
	for (int i = 0; i < m; i++)
		if (v->vs[i].outcome != VERDICT_NA &&
		    (v->fam.outcome == VERDICT_NA || v->vs[i].p > v->fam.p))
			v->fam = v->vs[i];
	return 0;
}

static int decide_level(const struct matrix_cell *cells, size_t n, const struct level *lv,
			const struct matrix_rule *rule, struct matrix_verdict *v)
{
	memset(v, 0, sizeof(*v));
	v->share_pct = lv->share_pct;
	v->concurrency = lv->concurrency;
	v->winner = v->runner_up = -1;
	rank_level(cells, n, lv, v);
	v->more = -1;
	if (v->runner_up < 0)
		return 0;
	return test_level(cells, n, lv, rule, v);
}

/* After the corrections: each comparison of the cell takes the cell's
 * adjustment (its p times the factor by which the family moved the
 * cell's largest p; its p_eq_adj is already set); the winner is clear only
 * when every comparison is. The others split into tied (tested, not
 * clearly behind: equivalent ones also in equiv) and untested (too few
 * reps), and the cell's outcome follows. 0 or -ENOMEM. */
static int settle_level(struct matrix_verdict *v)
{
	double f;

	if (v->runner_up < 0)
		return 0;
	f = v->fam.p > 0 ? v->fam.p_adj / v->fam.p : 1;
	v->tied = calloc((size_t)v->nvalid, sizeof(*v->tied));
	v->untested = calloc((size_t)v->nvalid, sizeof(*v->untested));
	v->equiv = calloc((size_t)v->nvalid, sizeof(*v->equiv));
	if (!v->tied || !v->untested || !v->equiv)
		return -ENOMEM;
	v->tied[v->ntied++] = v->winner;
	v->equiv[v->nequiv++] = v->winner;
	v->more = 0;
	for (int i = 0; i < v->nvs; i++) {
		struct verdict *c = &v->vs[i];

		if (c->outcome != VERDICT_NA) {
			c->p_adj = c->p >= v->fam.p ? v->fam.p_adj : fmin(1, c->p * f);
			verdict_decide(c);
		}
		if (c->outcome == VERDICT_NA)
			v->untested[v->nuntested++] = v->vs_idx[i];
		else if (c->outcome != VERDICT_A)
			v->tied[v->ntied++] = v->vs_idx[i];
		if (c->outcome == VERDICT_EQUIV)
			v->equiv[v->nequiv++] = v->vs_idx[i];
		if (c->outcome != VERDICT_A && c->outcome != VERDICT_EQUIV && v->more >= 0)
			v->more = c->more < 0 || c->outcome == VERDICT_NA
					  ? -1
					  : (c->more > v->more ? c->more : v->more);
	}
	v->vd = v->vs[0]; /* vs[0] is the runner-up */
	v->tie = v->ntied > 1 || v->nuntested > 0;
	v->outcome = !v->tie				      ? MATRIX_WINNER
		     : v->ntied == v->nequiv && !v->nuntested ? MATRIX_EQUIV
							      : MATRIX_INCONCLUSIVE;
	if (v->outcome != MATRIX_INCONCLUSIVE)
		v->more = 0;
	if (v->nequiv < 2)
		v->nequiv = 0;
	if (!v->tie) {
		free(v->tied);
		v->tied = NULL;
		v->ntied = 0;
	}
	return 0;
}

int matrix_decide(const struct matrix_cell *cells, size_t n, struct matrix_verdict **out,
		  size_t *nout)
{
	return matrix_decide_corr(cells, n, VERDICT_BH, out, nout);
}

/* The family: one entry per level, its weakest comparison. */
static int adjust_family(struct matrix_verdict *v, size_t n, enum verdict_corr corr)
{
	struct verdict **pv = calloc(n ? n : 1, sizeof(*pv));
	size_t m = 0;
	int rc;

	if (!pv)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		if (v[i].runner_up >= 0)
			pv[m++] = &v[i].fam;
	rc = verdict_adjust_ptr(pv, m, corr);
	free(pv);
	return rc;
}

/* The second family: the equivalence tests of every tested comparison of
 * every level, adjusted together. 0 or -ENOMEM. */
static int adjust_equiv(struct matrix_verdict *v, size_t n, enum verdict_corr corr)
{
	size_t m = 0, k = 0;
	double *p;

	for (size_t i = 0; i < n; i++)
		m += v[i].runner_up >= 0 ? (size_t)v[i].nvs : 0;
	p = calloc(m ? m : 1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	m = 0;
	for (size_t i = 0; i < n; i++)
		for (int j = 0; v[i].runner_up >= 0 && j < v[i].nvs; j++)
			if (v[i].vs[j].outcome != VERDICT_NA)
				p[m++] = v[i].vs[j].p_eq;
	if (verdict_p_adjust(p, m, corr, p)) {
		free(p);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++)
		for (int j = 0; v[i].runner_up >= 0 && j < v[i].nvs; j++)
			if (v[i].vs[j].outcome != VERDICT_NA)
				v[i].vs[j].p_eq_adj = p[k++];
	free(p);
	return 0;
}

const char *matrix_word(const struct matrix_verdict *v)
{
	static const char *const w[] = { "alone", "winner", "equivalent", "inconclusive" };

	return w[v->outcome];
}

int matrix_decide_corr(const struct matrix_cell *cells, size_t n, enum verdict_corr corr,
		       struct matrix_verdict **out, size_t *nout)
{
	struct matrix_rule r = { corr, VERDICT_ALPHA, VERDICT_MARGIN };

	return matrix_decide_rule(cells, n, &r, out, nout);
}

int matrix_decide_rule(const struct matrix_cell *cells, size_t n, const struct matrix_rule *rule,
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
		if (decide_level(cells, n, &lv[i], rule, &(*out)[i]))
			goto nomem;
	if (adjust_family(*out, nlev, rule->corr) || adjust_equiv(*out, nlev, rule->corr))
		goto nomem;
	for (size_t i = 0; i < nlev; i++)
		if (settle_level(&(*out)[i]))
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
	for (size_t i = 0; v && i < n; i++) {
		free(v[i].tied);
		free(v[i].equiv);
		free(v[i].untested);
		free(v[i].vs);
		free(v[i].vs_idx);
	}
	free(v);
}
