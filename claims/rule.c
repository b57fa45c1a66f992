/* rule.c - the one rule that turns a claim's figure into a verdict (see
 * claims.h): in the article's range, or within CLAIM_TOL of its single
 * figure. Nothing here knows a claim. */
#include <math.h>

#include "claims.h"

enum claim_verdict claim_judge_range(double figure, double lo, double hi)
{
	if (!isfinite(figure) || !isfinite(lo) || !isfinite(hi))
		return CLAIM_UNMEASURED;
	return figure >= lo && figure <= hi ? CLAIM_HOLDS : CLAIM_FAILS;
}

enum claim_verdict claim_judge_point(double figure, double point, double tol)
{
	if (!isfinite(figure) || !isfinite(point) || !isfinite(tol))
		return CLAIM_UNMEASURED;
	return fabs(figure - point) <= fabs(tol * point) ? CLAIM_HOLDS : CLAIM_FAILS;
}
