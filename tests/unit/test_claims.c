/* test_claims.c - the rule of claims.h: a range holds at both ends and not
 * a hair outside; a single figure holds within CLAIM_TOL on each side and
 * not beyond; a zero leaves no room; a figure not measured is no verdict. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "claims/claims.h"

static void test_range(void **state)
{
	(void)state;
	assert_int_equal(claim_judge_range(100, 100, 500), CLAIM_HOLDS);
	assert_int_equal(claim_judge_range(500, 100, 500), CLAIM_HOLDS);
	assert_int_equal(claim_judge_range(250, 100, 500), CLAIM_HOLDS);
	assert_int_equal(claim_judge_range(99.9, 100, 500), CLAIM_FAILS);
	assert_int_equal(claim_judge_range(500.1, 100, 500), CLAIM_FAILS);
	assert_int_equal(claim_judge_range(87.1, 100, 500), CLAIM_FAILS); /* issue 15's spawn */
	assert_int_equal(claim_judge_range(NAN, 100, 500), CLAIM_UNMEASURED);
}

static void test_point(void **state)
{
	(void)state;
	assert_int_equal(claim_judge_point(200, 200, CLAIM_TOL), CLAIM_HOLDS);
	assert_int_equal(claim_judge_point(200 * (1 + CLAIM_TOL) - 0.01, 200, CLAIM_TOL),
			 CLAIM_HOLDS);
	assert_int_equal(claim_judge_point(200 * (1 - CLAIM_TOL) + 0.01, 200, CLAIM_TOL),
			 CLAIM_HOLDS);
	assert_int_equal(claim_judge_point(200 * (1 + CLAIM_TOL) + 0.01, 200, CLAIM_TOL),
			 CLAIM_FAILS);
	assert_int_equal(claim_judge_point(200 * (1 - CLAIM_TOL) - 0.01, 200, CLAIM_TOL),
			 CLAIM_FAILS);
	assert_int_equal(claim_judge_point(0, 0, CLAIM_TOL), CLAIM_HOLDS);
	assert_int_equal(claim_judge_point(0.01, 0, CLAIM_TOL), CLAIM_FAILS);
	assert_int_equal(claim_judge_point(INFINITY, 200, CLAIM_TOL), CLAIM_UNMEASURED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_range),
		cmocka_unit_test(test_point),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
