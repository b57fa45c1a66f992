/* test_matrix.c - the decision-matrix rules (plots/verdicts/matrix.c) on
 * synthetic cells: winner and ratio, best against all, untested apart, both tie rules, failed
 * cells, sequential at every level, ordering, and empty input. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "unit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plots/verdicts/matrix.h"
#include "plots/set.h"
#include "plots/findings/findings.h"
#include "plots/verdicts/verdicts.h"

/* Five reps spread (a fraction) around med, from a pool that lives as
 * long as the test program. */
static const double *reps5(double med, double spread)
{
	static double pool[4096];
	static size_t used;
	const double k[5] = { -1, -0.5, 0, 0.5, 1 };
	double *v = &pool[used];

	assert_true(used + 5 <= sizeof(pool) / sizeof(pool[0]));
	for (int i = 0; i < 5; i++)
		v[i] = med * (1 + spread * k[i]);
	used += 5;
	return v;
}

/* Give c five reps within spread of its median (and min, max to match). */
static void give_reps(struct matrix_cell *c, double spread)
{
	c->v = reps5(c->med, spread);
	c->nv = 5;
	c->min = c->v[0];
	c->max = c->v[4];
}

/* A valid cell whose reps spread 1% around med. */
static struct matrix_cell cell(const char *model, double share, double conc, double med)
{
	struct matrix_cell c = { .model = model,
				 .share_pct = share,
				 .concurrency = conc,
				 .ok = true,
				 .med = med,
				 .min = med * 0.99,
				 .max = med * 1.01 };

	if (isfinite(med))
		give_reps(&c, 0.01);
	return c;
}

/* A cell whose reps are exactly v[0..n). */
static struct matrix_cell cell_v(const char *model, double share, double conc, const double *v,
				 size_t n, double med)
{
	struct matrix_cell c = cell(model, share, conc, med);

	c.v = v;
	c.nv = n;
	return c;
}

/* Decide cells and return the verdicts (asserting success). */
static struct matrix_verdict *decide(const struct matrix_cell *c, size_t n, size_t *nv)
{
	struct matrix_verdict *v = NULL;

	assert_int_equal(matrix_decide(c, n, &v, nv), 0);
	return v;
}

static void test_winner_and_margin(void **state)
{
	struct matrix_cell c[] = {
		cell("threadpool", 0, 100, 0.9),
		cell("eventloop", 0, 100, 0.5),
		cell("forkpool", 0, 100, 1.2),
	};
	struct matrix_verdict *v;
	size_t n;

	(void)state;
	v = decide(c, 3, &n);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].winner, 1);
	assert_int_equal(v[0].runner_up, 0);
	assert_false(v[0].tie);
	assert_int_equal(v[0].ntied, 0);
	assert_int_equal(v[0].nvalid, 3);
	assert_int_equal(v[0].nfailed, 0);
	assert_true(fabs(v[0].vd.ratio - 1.8) < 0.01); /* 0.9 / 0.5 */
	assert_true(v[0].share_pct == 0 && v[0].concurrency == 100);
	matrix_free(v, n);
}

/* Medians 20% apart, but the reps are too noisy for the test: a tie. */
static void test_tie_by_overlap(void **state)
{
	static const double a[] = { 0.8, 0.9, 1.0, 1.2, 1.5 }, b[] = { 1.1, 1.15, 1.2, 1.25, 1.3 };
	struct matrix_cell c[] = {
		cell_v("threadpool", 100, 10, a, 5, 1.0),
		cell_v("forkpool", 100, 10, b, 5, 1.2),
	};
	struct matrix_verdict *v;
	size_t n;

	(void)state;
	assert_true(matrix_is_tie(&c[0], &c[1]));
	assert_true(matrix_is_tie(&c[1], &c[0]));
	v = decide(c, 2, &n);
	assert_true(v[0].tie);
	assert_int_equal(v[0].winner, 0);
	assert_int_equal(v[0].ntied, 2);
	assert_int_equal(v[0].tied[0], 0);
	assert_int_equal(v[0].tied[1], 1);
	matrix_free(v, n);
}

/* Tight reps, medians 4% apart: a tie (ratio below 1.05); 6%: not. */
static void test_tie_by_close_medians(void **state)
{
	struct matrix_cell a = cell("a", 50, 10, 100), b = cell("b", 50, 10, 104);
	struct matrix_cell d = cell("d", 50, 10, 106);
	struct matrix_cell c[] = { d, a };
	struct matrix_verdict *v;
	size_t n;

	(void)state;
	assert_true(matrix_is_tie(&a, &b));
	assert_false(matrix_is_tie(&a, &d));
	v = decide(c, 2, &n);
	assert_false(v[0].tie);
	assert_int_equal(v[0].winner, 1);
	assert_int_equal(v[0].runner_up, 0);
	matrix_free(v, n);
	c[0] = b;
	v = decide(c, 2, &n);
	assert_true(v[0].tie);
	assert_int_equal(v[0].winner, 1);
	matrix_free(v, n);
}

/* A failed cell never wins, however fast; nor one with no figure. */
static void test_failed_never_wins(void **state)
{
	struct matrix_cell c[] = {
		cell("forkpool", 0, 1000, 0.01),
		cell("threadpool", 0, 1000, 0.8),
		cell("eventloop", 0, 1000, NAN),
		cell("eventloop-offload", 0, 1000, 0.4),
	};
	struct matrix_verdict *v;
	size_t n;

	(void)state;
	c[0].ok = false;
	v = decide(c, 4, &n);
	assert_int_equal(v[0].winner, 3);
	assert_int_equal(v[0].runner_up, 1);
	assert_int_equal(v[0].nvalid, 2);
	assert_int_equal(v[0].nfailed, 2);
	matrix_free(v, n);
	/* every contender failed: no winner at all */
	c[1].ok = c[3].ok = false;
	v = decide(c, 4, &n);
	assert_int_equal(v[0].winner, -1);
	assert_int_equal(v[0].runner_up, -1);
	assert_false(v[0].tie);
	assert_int_equal(v[0].nfailed, 4);
	matrix_free(v, n);
}

/* A one-slot model's one cell (at concurrency 1, any_level) competes at
 * every level of its share, and only of its share. */
static void test_sequential_at_every_level(void **state)
{
	struct matrix_cell c[] = {
		cell("one-slot", 100, 1, 1.0),	 cell("eventloop", 100, 1, 1.5),
		cell("eventloop", 100, 10, 1.6), cell("threadpool", 100, 10, 0.5),
		cell("eventloop", 0, 10, 2.0),
	};
	struct matrix_verdict *v;
	size_t n;

	(void)state;
	c[0].any_level = true;
	v = decide(c, 5, &n);
	assert_int_equal(n, 3); /* (0,10), (100,1), (100,10) */
	assert_true(v[0].share_pct == 0 && v[0].concurrency == 10);
	assert_int_equal(v[0].winner, 4);
	assert_int_equal(v[0].nvalid, 1); /* the one-slot model ran share 100 only */
	assert_int_equal(v[0].runner_up, -1);
	assert_true(v[1].share_pct == 100 && v[1].concurrency == 1);
	assert_int_equal(v[1].winner, 0);
	assert_int_equal(v[1].runner_up, 1);
	assert_true(v[2].share_pct == 100 && v[2].concurrency == 10);
	assert_int_equal(v[2].winner, 3);
	assert_int_equal(v[2].runner_up, 0); /* the one-slot model beats eventloop here */
	assert_int_equal(v[2].nvalid, 3);
	assert_true(fabs(v[2].vd.ratio - 2.0) < 0.01);
	matrix_free(v, n);
}

/* Three models within 5% of each other: all are listed, best first. */
static void test_tie_lists_everyone_close(void **state)
{
	struct matrix_cell c[] = {
		cell("c", 0, 1, 103),
		cell("a", 0, 1, 100),
		cell("far", 0, 1, 200),
		cell("b", 0, 1, 101),
	};
	struct matrix_verdict *v;
	size_t n;

	(void)state;
	v = decide(c, 4, &n);
	assert_true(v[0].tie);
	assert_int_equal(v[0].ntied, 3);
	assert_int_equal(v[0].tied[0], 1);
	assert_int_equal(v[0].tied[1], 3);
	assert_int_equal(v[0].tied[2], 0);
	matrix_free(v, n);
}

/* No cap on the models in one tie: 40 models within 1% all listed. */
static void test_tie_without_cap(void **state)
{
	static char names[40][16];
	struct matrix_cell c[40];
	struct matrix_verdict *v;
	size_t n;

	(void)state;
	for (int i = 0; i < 40; i++) {
		snprintf(names[i], sizeof(names[i]), "m%02d", i);
		c[i] = cell(names[i], 0, 10, 1.0 + i * 0.0001);
	}
	v = decide(c, 40, &n);
	assert_true(v[0].tie);
	assert_int_equal(v[0].ntied, 40);
	assert_int_equal(v[0].tied[0], 0);
	assert_int_equal(v[0].tied[39], 39);
	matrix_free(v, n);
}

/* The same verdict whatever the input order; equal medians go by name. */
static void test_order_independent(void **state)
{
	struct matrix_cell c[] = {
		cell("zeta", 0, 1, 5),
		cell("alpha", 0, 1, 5),
	};
	struct matrix_cell r[] = { c[1], c[0] };
	struct matrix_verdict *v, *w;
	size_t n;

	(void)state;
	v = decide(c, 2, &n);
	w = decide(r, 2, &n);
	assert_string_equal(c[v[0].winner].model, "alpha");
	assert_string_equal(r[w[0].winner].model, "alpha");
	assert_true(v[0].tie);
	matrix_free(v, n);
	matrix_free(w, n);
}

/* A model that appears twice at one level counts once: the first. */
static void test_duplicate_counts_once(void **state)
{
	struct matrix_cell c[] = {
		cell("eventloop", 0, 10, 3.0),
		cell("eventloop", 0, 10, 1.0),
		cell("threadpool", 0, 10, 2.0),
	};
	struct matrix_verdict *v;
	size_t n;

	(void)state;
	v = decide(c, 3, &n);
	assert_int_equal(v[0].nvalid, 2);
	assert_int_equal(v[0].winner, 2);
	assert_int_equal(v[0].runner_up, 0);
	matrix_free(v, n);
}

/* The best is tested against every other model, not only the runner-up:
 * b is clearly behind a, but c (behind b by its geometric mean) is so
 * noisy that the test cannot tell it from a, so the cell is a tie of a
 * and c, and b is not listed as tied. */
static void test_best_against_all(void **state)
{
	static const double a[] = { 1.00, 1.01, 0.99, 1.00, 1.00 };
	static const double b[] = { 1.10, 1.11, 1.09, 1.10, 1.10 };
	static const double c3[] = { 0.8, 1.6, 1.0, 1.4, 1.2 };
	struct matrix_cell c[] = {
		cell_v("a", 0, 1, a, 5, 1.0),
		cell_v("b", 0, 1, b, 5, 1.1),
		cell_v("c", 0, 1, c3, 5, 1.2),
	};
	struct matrix_verdict *v;
	size_t n;

	(void)state;
	v = decide(c, 3, &n);
	assert_int_equal(v[0].winner, 0);
	assert_int_equal(v[0].runner_up, 1);
	assert_int_equal(v[0].nvs, 2);
	assert_int_equal(v[0].vd.outcome, VERDICT_A); /* a ahead of b ... */
	assert_true(v[0].tie);			      /* ... but not of c */
	assert_int_equal(v[0].ntied, 2);
	assert_int_equal(v[0].tied[0], 0);
	assert_int_equal(v[0].tied[1], 2);
	assert_true(v[0].fam.p > v[0].vd.p); /* the family gets the cell's largest p */
	matrix_free(v, n);
}

/* Ranked by the geometric mean the test compares, not the median: a's
 * median is lower but two slow reps put its geometric mean above b's. */
static void test_rank_by_geometric_mean(void **state)
{
	static const double a[] = { 1.0, 1.0, 1.0, 3.0, 3.0 };
	static const double b[] = { 1.2, 1.21, 1.19, 1.2, 1.2 };
	struct matrix_cell c[] = {
		cell_v("a", 0, 1, a, 5, 1.0),
		cell_v("b", 0, 1, b, 5, 1.2),
	};
	struct matrix_verdict *v;
	size_t n;

	(void)state;
	v = decide(c, 2, &n);
	assert_int_equal(v[0].winner, 1);
	assert_true(v[0].vd.a_lower);
	matrix_free(v, n);
}

/* A model with one rep is untested, not tied: listed apart, and the cell
 * has no winner; matrix_is_tie says false for it. */
static void test_untested_apart(void **state)
{
	static const double one[] = { 3.0 };
	struct matrix_cell c[] = {
		cell("a", 0, 1, 1.0),
		cell("b", 0, 1, 2.0),
		cell_v("c", 0, 1, one, 1, 3.0),
	};
	struct matrix_verdict *v;
	size_t n;

	(void)state;
	assert_false(matrix_is_tie(&c[0], &c[2]));
	v = decide(c, 3, &n);
	assert_int_equal(v[0].winner, 0);
	assert_true(v[0].tie);
	assert_int_equal(v[0].ntied, 1); /* b is clearly behind */
	assert_int_equal(v[0].nuntested, 1);
	assert_int_equal(v[0].untested[0], 2);
	matrix_free(v, n);
}

/* The regimes table's verdict: a clear win of the second side (the one
 * ranked behind by its median) is no win of the fastest, and no
 * disagreement either; an equivalence says so. */
static void test_regime_word(void **state)
{
	struct verdict a = { .na = 5, .nb = 5, .outcome = VERDICT_A };
	struct verdict b = { .na = 5, .nb = 5, .outcome = VERDICT_B };
	struct verdict t = { .na = 5, .nb = 5, .outcome = VERDICT_INCONCLUSIVE };
	struct verdict e = { .na = 5, .nb = 5, .outcome = VERDICT_EQUIV };

	(void)state;
	assert_string_equal(plots_regime_word(&a, NULL, true), "**agrees**");
	assert_string_equal(plots_regime_word(&b, NULL, true), "inconclusive");
	assert_string_equal(plots_regime_word(&t, NULL, true), "inconclusive");
	assert_string_equal(plots_regime_word(&e, NULL, true), "equivalent");
	assert_string_equal(plots_regime_word(NULL, NULL, true), "inconclusive");
	assert_string_equal(plots_regime_word(&t, &a, false), "disagrees");
	assert_string_equal(plots_regime_word(&t, &b, false), "inconclusive");
	assert_string_equal(plots_regime_word(&t, &e, false), "equivalent");
}

/* A p99 from fewer than 100 tasks is their maximum, and says so. */
static void test_p99_few_samples(void **state)
{
	char b[64];

	(void)state;
	assert_non_null(strstr(plots_p99_text(3100, 40, b, sizeof(b)), "max of n=40"));
	assert_null(strstr(plots_p99_text(3100, 1000, b, sizeof(b)), "max of"));
	assert_null(strstr(plots_p99_text(3100, NAN, b, sizeof(b)), "max of"));
}

/* The findings' comparisons are one family, adjusted once when every
 * finding is built: a comparison clear on its own (p about 0.03) is a tie
 * once adjusted together with an A/A pair (the same comparison twice
 * counting once), and stays clear in a finding outside the family. */
static void test_findings_family(void **state)
{
	static double a[] = { 1.0, 1.1, 1.2, 1.05 }, b[] = { 1.2, 1.3, 1.4, 1.15 };
	static double x[] = { 1.0, 1.1, 1.2, 1.05 };
	struct cell ca = { .model = "a", .nrep = 4 }, cb = { .model = "b", .nrep = 4 };
	struct cell cx = { .model = "x", .nrep = 4 };
	struct finding_out *o[3] = { fo_new(), fo_new(), fo_new() };
	bool in[3] = { true, true, false };
	struct verdict v;
	char *md = NULL;
	size_t len = 0;
	FILE *m;
	int id[4];

	(void)state;
	ca.rep[M_MAKESPAN] = a;
	cb.rep[M_MAKESPAN] = b;
	cx.rep[M_MAKESPAN] = x;
	plots_compare(&ca, &cb, M_MAKESPAN, &v);
	assert_true(v.p > 0.025 && v.p < 0.05);
	id[0] = fo_vs(o[0], &ca, &cb, M_MAKESPAN);
	assert_true(fo_clear(o[0], id[0]));	   /* alone: uncorrected */
	id[1] = fo_vs(o[1], &ca, &cb, M_MAKESPAN); /* the same comparison: once */
	id[2] = fo_vs(o[1], &ca, &cx, M_MAKESPAN);
	id[3] = fo_vs(o[2], &ca, &cb, M_MAKESPAN);
	fo_if_clear(o[0], &id[0], 1, " yes", " no");
	assert_int_equal(findings_family(o, in, 3), 0);
	assert_false(fo_clear(o[0], id[0])); /* 2 x p > 0.05 */
	assert_false(fo_clear(o[1], id[1]));
	assert_false(fo_clear(o[1], id[2]));
	assert_true(fo_clear(o[2], id[3])); /* outside the family */
	m = open_memstream(&md, &len);
	assert_non_null(m);
	finding_md(o[0], m);
	fclose(m);
	assert_non_null(strstr(md, "inconclusive"));
	assert_non_null(strstr(md, " no"));
	free(md);
	for (int i = 0; i < 3; i++)
		fo_free(o[i]);
}

/* One rep each cannot be tested: a tie however far apart; and the
 * correction: one clear cell among many equal ones still wins. */
static void test_one_rep_and_family(void **state)
{
	static const double one[] = { 1.0 }, two[] = { 2.0 };
	struct matrix_cell c[42];
	struct matrix_verdict *v;
	size_t n;

	(void)state;
	c[0] = cell_v("a", 0, 1, one, 1, 1.0);
	c[1] = cell_v("b", 0, 1, two, 1, 2.0);
	v = decide(c, 2, &n);
	assert_true(v[0].tie);
	assert_int_equal(v[0].vd.outcome, VERDICT_NA);
	matrix_free(v, n);
	for (int i = 0; i < 20; i++) {
		c[2 * i] = cell("a", 0, i + 1, 1.0);
		c[2 * i + 1] = cell("b", 0, i + 1, i == 7 ? 1.2 : 1.0 + 0.001 * i);
		give_reps(&c[2 * i + 1], 0.02);
	}
	v = decide(c, 40, &n);
	assert_int_equal(n, 20);
	for (size_t i = 0; i < n; i++)
		assert_true(v[i].tie == (i != 7));
	assert_true(v[7].vd.p_adj >= v[7].vd.p);
	assert_true(v[7].vd.ratio > 1.15 && v[7].vd.ci_lo > 1);
	matrix_free(v, n);
}

static void test_empty_input(void **state)
{
	struct matrix_verdict *v = (void *)1;
	size_t n = 99;

	(void)state;
	assert_int_equal(matrix_decide(NULL, 0, &v, &n), 0);
	assert_null(v);
	assert_int_equal(n, 0);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_winner_and_margin),
		cmocka_unit_test(test_tie_by_overlap),
		cmocka_unit_test(test_tie_by_close_medians),
		cmocka_unit_test(test_failed_never_wins),
		cmocka_unit_test(test_sequential_at_every_level),
		cmocka_unit_test(test_tie_lists_everyone_close),
		cmocka_unit_test(test_tie_without_cap),
		cmocka_unit_test(test_order_independent),
		cmocka_unit_test(test_duplicate_counts_once),
		cmocka_unit_test(test_best_against_all),
		cmocka_unit_test(test_rank_by_geometric_mean),
		cmocka_unit_test(test_untested_apart),
		cmocka_unit_test(test_regime_word),
		cmocka_unit_test(test_p99_few_samples),
		cmocka_unit_test(test_findings_family),
		cmocka_unit_test(test_one_rep_and_family),
		cmocka_unit_test(test_empty_input),
	};

	return unit_run(argc, argv, tests, NULL, NULL);
}
