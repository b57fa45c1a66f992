/* verdict.h - the one rule by which cmbench says that one model (or one
 * configuration) beats another: a test on the repetitions, corrected for
 * the number of comparisons made, and a ratio with its 95% interval.
 *
 * The rule (docs/method.md, "How a winner is decided"):
 *  - the test is Welch's two-sample t test on the logarithms of the values
 *    (lower is better: seconds, microseconds, KiB). Times are positive and
 *    their noise is multiplicative, so the log scale makes it symmetric,
 *    and the difference of log means is the log of a ratio: the test and
 *    the printed interval are one model. Unlike an exact rank test it can
 *    reach a small p at 5 against 5 (the smallest exact Mann-Whitney p
 *    there is 0.008), so a clear difference survives a correction.
 *  - the ratio is the slower one's geometric mean over the faster one's
 *    (>= 1), and its 95% interval is the Welch interval of the difference
 *    of log means, exponentiated;
 *  - p values are corrected across the comparisons of one table
 *    (Benjamini-Hochberg by default; Holm is there too);
 *  - a winner needs an adjusted p < VERDICT_ALPHA, a ratio of at least
 *    VERDICT_MIN_RATIO and an interval of the ratio above 1; anything else
 *    is a tie. A tie prints the unadjusted interval, which can exclude 1.
 * Values that are not all positive are compared on the raw scale instead
 * (Welch on the values; ratio of means, delta-method interval).
 *
 * Usage: verdict_test() each pair (raw p), then verdict_adjust() the whole
 * family at once (it sets p_adj and the decision of each), then
 * verdict_format() to print. A single comparison: verdict_test() then
 * verdict_adjust(&v, 1, ...). No I/O, no global state; thread-safe. */
#ifndef CMB_VERDICT_H
#define CMB_VERDICT_H

#include <stdbool.h>
#include <stddef.h>

#define VERDICT_ALPHA 0.05     /* adjusted p below this, and ... */
#define VERDICT_MIN_RATIO 1.05 /* ... a ratio at least this: a winner */
#define VERDICT_MIN_N 2	       /* fewer values on a side: no test (a tie) */
#define VERDICT_FMT_MAX 160    /* verdict_format's longest line */

enum verdict_corr {
	VERDICT_BH,   /* Benjamini-Hochberg step-up (false discovery rate) */
	VERDICT_HOLM, /* Holm-Bonferroni step-down (family-wise error) */
	VERDICT_NONE, /* p_adj = p */
};

enum verdict_outcome {
	VERDICT_TIE = 0, /* no winner: not significant, or the ratio is below 1.05 */
	VERDICT_A = 1,	 /* a is lower (better), clearly */
	VERDICT_B = 2,	 /* b is lower (better), clearly */
	VERDICT_NA = 3,	 /* cannot be tested: fewer than VERDICT_MIN_N values on a side,
			    or no finite values */
};

struct verdict {
	int na, nb;	     /* finite values used on each side */
	bool log_scale;	     /* tested on logs (all values positive) */
	double center_a;     /* geometric mean of a (arithmetic on the raw scale) */
	double center_b;     /* the same of b */
	bool a_lower;	     /* center_a <= center_b: a is the better one */
	double ratio;	     /* worse center / better center, >= 1 (INFINITY if better is 0) */
	double ci_lo, ci_hi; /* 95% interval of ratio (same orientation) */
	double t, df;	     /* Welch's statistic and degrees of freedom */
	double p;	     /* two-sided p of "no difference"; 1 when not testable */
	double p_adj;	     /* p after verdict_adjust (= p before) */
	enum verdict_outcome outcome; /* set by verdict_adjust */
};

/* Compare the samples a[0..na) and b[0..nb) (lower is better). Non-finite
 * values are skipped. Fills *out (outcome VERDICT_NA when either side has
 * fewer than VERDICT_MIN_N values, else VERDICT_TIE until verdict_adjust
 * decides). Returns 0, or -EINVAL when a side is empty. */
int verdict_test(const double *a, size_t na, const double *b, size_t nb, struct verdict *out);

/* Correct the p values of v[0..n) as one family with corr, set each p_adj,
 * and decide each outcome by the rule above. Untestable entries (NA) are
 * not counted in the family. 0, or -ENOMEM. */
int verdict_adjust(struct verdict *v, size_t n, enum verdict_corr corr);
/* The same over pointers: a family whose verdicts live in other structs. */
int verdict_adjust_ptr(struct verdict **v, size_t n, enum verdict_corr corr);

/* The adjustment alone: adj[i] for p[0..n) (adj may be p). 0 or -ENOMEM. */
int verdict_p_adjust(const double *p, size_t n, enum verdict_corr corr, double *adj);

/* Decide one verdict from its p_adj and ratio (what verdict_adjust does
 * for each). */
void verdict_decide(struct verdict *v);

/* True when one side clearly wins. */
bool verdict_clear(const struct verdict *v);

/* One line in buf, naming the sides a and b:
 *   "eventloop 1.41× [1.30, 1.52] ahead of threadpool"   (a clear win)
 *   "threadpool ≈ forkpool (1.03× [0.98, 1.09])"          (a tie)
 *   "threadpool ? forkpool (too few runs)"                (NA)
 * The ratio is better over worse's center the right way round (>= 1).
 * Returns buf. */
char *verdict_format(const struct verdict *v, const char *name_a, const char *name_b, char *buf,
		     size_t len);
/* Only the figures: "1.41× [1.30, 1.52]". Returns buf. */
char *verdict_ratio_str(const struct verdict *v, char *buf, size_t len);

/* A 95% (level) interval for the stopping rule and cells.csv's ci
 * columns: the t interval of the mean of the logs, exponentiated, i.e. the
 * interval of the geometric mean (the center the test compares; the median
 * only if the sample is log-normal), or of the mean on the raw scale when
 * a value is not positive. *center is the geometric mean (the mean).
 * 0; -EINVAL for n < 2 (lo = hi = the value for n = 1). */
int verdict_median_ci(const double *v, size_t n, double level, double *center, double *lo,
		      double *hi);

/* The distribution-free alternative: [x(k), x(n-k+1)] of the sorted
 * values, the widest order-statistic pair whose binomial coverage is at
 * least level; *coverage gets the exact coverage. Needs n >= 6 for 95%;
 * below that it returns the full range, its coverage, and -ERANGE. v is
 * not changed. 0, -ERANGE, -EINVAL (n = 0) or -ENOMEM. */
int verdict_median_ci_os(const double *v, size_t n, double level, double *lo, double *hi,
			 double *coverage);

#endif
