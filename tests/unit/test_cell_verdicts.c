/* test_cell_verdicts.c - the decision matrix's three verdicts of a cell
 * (plots/verdicts/matrix.c: winner, equivalent, inconclusive with the
 * reps it needs) and, where time is equivalent, the choice by the next
 * criterion (decide.c, words.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "unit.h"

#include <math.h>
#include <string.h>

#include "plots/verdicts/matrix.h"
#include "plots/set.h"
#include "plots/verdicts/verdicts.h"

/* The three verdicts of a cell: two models equal within 1% are
 * equivalent (and the cell says so), one 3% apart at 3% spread is
 * inconclusive with the reps it needs, 40% apart a winner. */
static void test_cell_three_verdicts(void **state)
{
	static const double a[] = { 1.00, 1.005, 0.995, 1.002, 0.998, 1.001 };
	static const double b[] = { 1.003, 0.999, 1.004, 1.0, 1.002, 0.997 };
	static const double c[] = { 1.00, 1.06, 0.97, 1.05, 1.02, 1.09 };
	static const double d[] = { 1.40, 1.41, 1.39, 1.42, 1.40, 1.38 };
	struct matrix_cell x[] = {
		{ .model = "a",
		  .share_pct = 0,
		  .concurrency = 1,
		  .ok = true,
		  .med = 1,
		  .min = 1,
		  .max = 1,
		  .v = a,
		  .nv = 6 },
		{ .model = "b",
		  .share_pct = 0,
		  .concurrency = 1,
		  .ok = true,
		  .med = 1,
		  .min = 1,
		  .max = 1,
		  .v = b,
		  .nv = 6 },
		{ .model = "d",
		  .share_pct = 0,
		  .concurrency = 1,
		  .ok = true,
		  .med = 1.4,
		  .min = 1.4,
		  .max = 1.4,
		  .v = d,
		  .nv = 6 },
		{ .model = "a",
		  .share_pct = 50,
		  .concurrency = 1,
		  .ok = true,
		  .med = 1,
		  .min = 1,
		  .max = 1,
		  .v = a,
		  .nv = 6 },
		{ .model = "c",
		  .share_pct = 50,
		  .concurrency = 1,
		  .ok = true,
		  .med = 1.03,
		  .min = 1,
		  .max = 1.1,
		  .v = c,
		  .nv = 6 },
		{ .model = "a",
		  .share_pct = 100,
		  .concurrency = 1,
		  .ok = true,
		  .med = 1,
		  .min = 1,
		  .max = 1,
		  .v = a,
		  .nv = 6 },
		{ .model = "d",
		  .share_pct = 100,
		  .concurrency = 1,
		  .ok = true,
		  .med = 1.4,
		  .min = 1.4,
		  .max = 1.4,
		  .v = d,
		  .nv = 6 },
	};
	struct matrix_rule r = { VERDICT_BH, 0.005, 0.05 };
	struct matrix_verdict *v;
	size_t n;

	(void)state;
	assert_int_equal(matrix_decide_rule(x, 7, &r, &v, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(v[0].outcome, MATRIX_EQUIV); /* a ≈ b, both ahead of d */
	assert_string_equal(matrix_word(&v[0]), "equivalent");
	assert_int_equal(v[0].nequiv, 2);
	assert_true(v[0].tie);
	assert_int_equal(v[1].outcome, MATRIX_INCONCLUSIVE);
	assert_true(v[1].more > 0);
	assert_int_equal(v[2].outcome, MATRIX_WINNER);
	assert_false(v[2].tie);
	matrix_free(v, n);
	r.margin = 0.001; /* within 0.1%: a and b are no longer shown equivalent */
	assert_int_equal(matrix_decide_rule(x, 7, &r, &v, &n), 0);
	assert_int_equal(v[0].outcome, MATRIX_INCONCLUSIVE);
	matrix_free(v, n);
}

/* Where time is equivalent, the next criterion names the choice: p99
 * first (here equal, so no choice), then memory (20% apart: a winner). */
static void test_next_criterion(void **state)
{
	static double p99[] = { 10, 10.1, 9.9, 10.05, 9.95, 10 };
	static double p99b[] = { 10.02, 9.98, 10.03, 10, 10.01, 9.97 };
	static double mem_a[] = { 100, 101, 99, 100.5, 99.5, 100 };
	static double mem_b[] = { 120, 121, 119, 120.5, 119.5, 120 };
	struct cell ca = { .model = "a", .nrep = 6 }, cb = { .model = "b", .nrep = 6 };
	struct cell *src[] = { &ca, &cb };
	int equiv[] = { 0, 1 };
	struct matrix_verdict v = { .winner = 0,
				    .runner_up = 1,
				    .outcome = MATRIX_EQUIV,
				    .tie = true,
				    .equiv = equiv,
				    .nequiv = 2 };
	struct set s;
	struct verdict vd;
	char b[256];
	size_t by = 0;
	int idx = -1;

	(void)state;
	memset(&s, 0, sizeof(s));
	s.mc_src = src;
	ca.rep[M_P99] = p99;
	cb.rep[M_P99] = p99b;
	ca.rep[M_MEM] = mem_b; /* b needs less memory */
	cb.rep[M_MEM] = mem_a;
	assert_int_equal(plots_next_choice(&s, &v, &idx, &by, &vd), 1);
	assert_int_equal(idx, 1);
	assert_string_equal(plots_criteria[by].key, "memory");
	assert_true(vd.ratio > 1.19 && vd.ratio < 1.21);
	plots_next_text(&s, &v, b, sizeof(b));
	assert_non_null(strstr(b, "**b**: equivalent on time, 1.20\xc3\x97 ["));
	assert_non_null(strstr(b, "] less memory"));
	ca.rep[M_MEM] = mem_a; /* memory equal too: no choice */
	assert_int_equal(plots_next_choice(&s, &v, &idx, &by, &vd), 0);
	v.outcome = MATRIX_INCONCLUSIVE; /* never for an undecided cell */
	ca.rep[M_MEM] = mem_b;
	assert_int_equal(plots_next_choice(&s, &v, &idx, &by, &vd), 0);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cell_three_verdicts),
		cmocka_unit_test(test_next_criterion),
	};

	return unit_run(argc, argv, tests, NULL, NULL);
}
