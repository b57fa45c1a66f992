/* verdict.h - the one rule by which cmbench says that one model (or one
 * configuration) beats another, matches it, or cannot tell yet: a test on
 * the repetitions, corrected for the number of comparisons made (and for
 * the looks a sweep took), and a ratio with its 95% interval.
 * docs/verdicts.md says what the three verdicts mean and how often they
 * are wrong.
 *
 * The rule (docs/method.md, "How a winner is decided"; docs/verdicts.md):
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
 *    (Benjamini-Hochberg by default; Holm is there too), the difference
 *    tests and the equivalence tests each as one family;
 *  - a WINNER needs an adjusted p < alpha, a ratio of at least
 *    VERDICT_MIN_RATIO and an interval of the ratio above 1;
 *  - EQUIVALENT: two one-sided Welch tests (TOST) on the logs reject both
 *    "a is below b by the margin or more" and "a is above b by the margin
 *    or more", the margin being +-log(1 + margin) on the log scale; its p
 *    is the larger of the two one-sided ones, adjusted like the other;
 *    equivalently the 1 - 2 alpha interval lies inside [1/(1+m), 1+m].
 *    Equivalence is asked first: a difference inside a declared margin is
 *    one the user called negligible (with margin <= 5% the two exclude
 *    each other anyway);
 *  - INCONCLUSIVE otherwise, with `more`: the reps per side that the
 *    current spread suggests would decide it (verdict_more_reps).
 * alpha is VERDICT_ALPHA for a single look; a sweep that stops a grid
 * point when its verdicts are decided looks up to MAX - MIN + 1 times, and
 * its verdicts are taken at verdict_look_alpha() (Bonferroni over the
 * looks; docs/verdicts.md, "Stopping when decided").
 * Values that are not all positive are compared on the raw scale instead
 * (Welch on the values; ratio of means, delta-method interval, the
 * equivalence tested on that delta-method log ratio).
 *
 * Usage: verdict_test() each pair (raw p), optionally verdict_rule() to
 * set alpha and margin, then verdict_adjust() the whole family at once (it
 * sets p_adj, p_eq_adj and the decision of each), then verdict_format()
 * to print. A single comparison: verdict_test() then verdict_adjust(&v, 1,
 * VERDICT_NONE). No I/O, no global state; thread-safe. */
#ifndef CMB_VERDICT_H
#define CMB_VERDICT_H

#include <stdbool.h>
#include <stddef.h>

#define VERDICT_ALPHA 0.05     /* adjusted p below this, and ... */
#define VERDICT_MIN_RATIO 1.05 /* ... a ratio at least this: a winner */
#define VERDICT_MARGIN 0.05    /* equivalent: within +-5%, unless a grid says (equiv:) */
#define VERDICT_MIN_N 2	       /* fewer values on a side: no test (untestable) */
#define VERDICT_FMT_MAX 200    /* verdict_format's longest line */
#define VERDICT_MORE_MAX 999   /* verdict_more_reps looks no further */
#define VERDICT_POWER 0.8      /* the power verdict_more_reps aims at */

enum verdict_corr {
	VERDICT_BH,   /* Benjamini-Hochberg step-up (false discovery rate) */
	VERDICT_HOLM, /* Holm-Bonferroni step-down (family-wise error) */
	VERDICT_NONE, /* p_adj = p */
};

enum verdict_outcome {
	VERDICT_INCONCLUSIVE = 0, /* neither a winner nor shown equivalent */
	VERDICT_A = 1,		  /* a is lower (better), clearly: a winner */
	VERDICT_B = 2,		  /* b is lower (better), clearly: a winner */
	VERDICT_NA = 3,		  /* cannot be tested: fewer than VERDICT_MIN_N values on a
				     side, or no finite values */
	VERDICT_EQUIV = 4,	  /* equivalent within the margin (TOST) */
};
/* The old name of "no winner" (before equivalence was tested): */
#define VERDICT_TIE VERDICT_INCONCLUSIVE

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
	double lr, se;	     /* log of ratio (>= 0) and its standard error */
	double var_a, var_b; /* per-value variance of a's and b's logs (relative
				variance on the raw scale): the spread */
	double alpha;	     /* the level it is decided at (verdict_rule) */
	double margin;	     /* the equivalence margin, a fraction: 0.05 is +-5%; 0: untested */
	double p_eq;	     /* TOST p of "not within the margin"; 1 when not testable */
	double p_eq_adj;     /* p_eq after verdict_adjust */
	int more;	     /* inconclusive: reps per side that would decide it
				(verdict_more_reps), -1: none would; else 0 */
	enum verdict_outcome outcome; /* set by verdict_adjust / verdict_decide */
};

/* Compare the samples a[0..na) and b[0..nb) (lower is better). Non-finite
 * values are skipped. Fills *out with alpha VERDICT_ALPHA and margin
 * VERDICT_MARGIN (outcome VERDICT_NA when either side has fewer than
 * VERDICT_MIN_N values, else VERDICT_INCONCLUSIVE until verdict_adjust
 * decides). Returns 0, or -EINVAL when a side is empty. */
int verdict_test(const double *a, size_t na, const double *b, size_t nb, struct verdict *out);

/* Set the level (alpha, 0 < alpha < 1; 0: VERDICT_ALPHA) and the
 * equivalence margin (a fraction, 0 < margin < 1; 0: VERDICT_MARGIN) of a
 * tested verdict, and recompute its TOST p (p_eq_adj = p_eq). */
void verdict_rule(struct verdict *v, double alpha, double margin);

/* The level of each look of a point that may stop after any of rounds
 * min..max: VERDICT_ALPHA / (max - min + 1), Bonferroni over the looks (so
 * a false verdict at any look has probability at most VERDICT_ALPHA).
 * VERDICT_ALPHA when max <= min (one look). */
double verdict_look_alpha(unsigned min, unsigned max);

/* Correct the p values (and the TOST p values, as a second family) of
 * v[0..n) with corr, set each p_adj and p_eq_adj, and decide each outcome
 * by the rule above. Untestable entries (NA) are not counted in the
 * family. 0, or -ENOMEM. */
int verdict_adjust(struct verdict *v, size_t n, enum verdict_corr corr);
/* The same over pointers: a family whose verdicts live in other structs. */
int verdict_adjust_ptr(struct verdict **v, size_t n, enum verdict_corr corr);

/* The adjustment alone: adj[i] for p[0..n) (adj may be p). 0 or -ENOMEM. */
int verdict_p_adjust(const double *p, size_t n, enum verdict_corr corr, double *adj);

/* Decide one verdict from its p_adj, p_eq_adj, ratio and alpha (what
 * verdict_adjust does for each), and set its `more`. */
void verdict_decide(struct verdict *v);

/* True when one side clearly wins. */
bool verdict_clear(const struct verdict *v);
/* True when it is decided: a winner or equivalent. */
bool verdict_decided(const struct verdict *v);
/* "winner", "equivalent", "inconclusive" or "untested": the word for
 * json and tables. */
const char *verdict_word(const struct verdict *v);

/* The reps per side to add before the verdict would be decided, if the
 * ratio stayed what it is and the spread (var_a, var_b) too: the least k
 * (up to VERDICT_MORE_MAX) with
 *     lr / se(k)            >= z(1 - alpha/2) + z(VERDICT_POWER)  (a winner,
 *                                                 when ratio >= MIN_RATIO), or
 *     (log(1+m) - lr)/se(k) >= z(1 - alpha)   + z(VERDICT_POWER)  (equivalent,
 *                                                 when ratio < 1 + margin),
 * se(k)^2 = var_a / (na + k) + var_b / (nb + k): the normal approximation
 * of the power of each test at the observed ratio. 0 when decided; -1
 * when neither can be reached (the ratio lies between 1 + margin and
 * MIN_RATIO, or past VERDICT_MORE_MAX) or it was not tested. */
int verdict_more_reps(const struct verdict *v);

/* One line in buf, naming the sides a and b:
 *   "eventloop 1.41× [1.30, 1.52] ahead of threadpool"            (winner)
 *   "threadpool ≈ forkpool, equivalent within ±5% (1.01× [0.98, 1.03])"
 *   "threadpool ? forkpool, inconclusive (1.05× [0.48, 2.30]; ~40 more reps)"
 *   "threadpool ? forkpool (too few runs)"                        (NA)
 * The ratio is better over worse's center the right way round (>= 1).
 * Returns buf. */
char *verdict_format(const struct verdict *v, const char *name_a, const char *name_b, char *buf,
		     size_t len);
/* Only the figures: "1.41× [1.30, 1.52]". Returns buf. */
char *verdict_ratio_str(const struct verdict *v, char *buf, size_t len);
/* What follows a verdict's figures: "" for a winner, "equivalent within
 * ±5%", "inconclusive, ~40 more reps" / "inconclusive, more reps would
 * not decide it", "too few runs". Returns buf. */
char *verdict_note(const struct verdict *v, char *buf, size_t len);

/* The stopping rule of a grid point: k samples v[i][0..n[i]) (lower is
 * better). Decided when every pair of them (all_pairs) or the best (the
 * lowest geometric mean) against each other is decided at level alpha and
 * margin, each pair on its own (the tables correct across cells
 * afterwards). *more (may be NULL) gets the largest verdict_more_reps of
 * the undecided pairs (-1 if one can never be decided). */
bool verdict_point_decided(const double *const *v, const size_t *n, size_t k, double alpha,
			   double margin, bool all_pairs, int *more);

/* A 95% (level) interval for the stopping rule and cells.csv's ci
 * columns: the t interval of the mean of the logs, exponentiated, i.e. the
 * interval of the geometric mean (the center the test compares; the median
 * only if the sample is log-normal), or of the mean on the raw scale when
 * a value is not positive. *center is the geometric mean (the mean).
 * 0; -EINVAL for n < 2 (lo = hi = the value for n = 1). */
int verdict_gmean_ci(const double *v, size_t n, double level, double *center, double *lo,
		     double *hi);

/* The distribution-free alternative: [x(k), x(n-k+1)] of the sorted
 * values, the widest order-statistic pair whose binomial coverage is at
 * least level; *coverage gets the exact coverage. Needs n >= 6 for 95%;
 * below that it returns the full range, its coverage, and -ERANGE. v is
 * not changed. 0, -ERANGE, -EINVAL (n = 0) or -ENOMEM. */
int verdict_median_ci_os(const double *v, size_t n, double level, double *lo, double *hi,
			 double *coverage);

#endif
