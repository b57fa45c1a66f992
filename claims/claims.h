/* claims.h - `cmbench claims`: every numeric claim of the seed article,
 * measured on this machine in C and in CPython.
 *
 * claims.c runs the measurements listed in claims/runs.txt, one at a time,
 * each a `cmbench run` child process writing its csv row to a file, and
 * writes claims.md; verdicts.c is the list of claims: the article's words,
 * what is measured and how, and the rule that turns figures into a
 * verdict. Neither names a model: the runs file does. */
#ifndef CMB_CLAIMS_H
#define CMB_CLAIMS_H

#include <stdbool.h>
#include <stddef.h>

#include "../harness/result.h"

/* --- the rule: one for every claim ------------------------------------------
 *
 * A claim holds when the measured figure falls in the range the article
 * states ("30–100 MB", "100–500 ms", "2–4×"), both ends included, and with
 * no tolerance added: the range is the article's own. A claim that states a
 * single figure ("~500 seconds", "roughly 200 bytes", "8 MB") holds when the
 * figure is within CLAIM_TOL of it, relative: |figure - point| <= CLAIM_TOL *
 * |point|. The tolerance is the same for every claim (claims.md says so); a
 * stated zero leaves no room. Otherwise the claim does not hold. A claim
 * about several subjects ("with spawn", "with fork") holds only for those
 * whose own figure passes this rule. The figure judged is the one the
 * article's words are about (its wall-clock "takes", its "throughput"), in
 * the unit of lo, hi and point. */
#define CLAIM_TOL 0.25 /* ±25%: room for "~" and "roughly", none for a miss by 2× */

enum claim_verdict {
	CLAIM_UNMEASURED = -1, /* the figure is not finite: a run it needs failed */
	CLAIM_FAILS = 0,       /* measured, outside the article's range or tolerance */
	CLAIM_HOLDS = 1,       /* measured, inside */
};

/* figure in [lo, hi]. */
enum claim_verdict claim_judge_range(double figure, double lo, double hi);
/* figure within tol (pass CLAIM_TOL) of point, relative to point. */
enum claim_verdict claim_judge_point(double figure, double point, double tol);

/* One measurement: a line of runs.txt and what it gave. */
struct claims_run {
	char name[64];	       /* NAME, or NAME.N for the Nth repetition */
	char args[512];	       /* the arguments of `cmbench run` */
	struct result_row row; /* its row, when it could be read */
	bool ok;	       /* it ran clean: exit 0 and a row */
	double wall_s;	       /* how long the child took, start-up included */
	char why[256];	       /* why not ok: the first line of its stderr */
};

struct claims_set {
	struct claims_run *runs;
	size_t n;
};

/* The median of column `col` over the clean runs named `name` or
 * `name.N`; NAN when there is none. */
double claims_fig(const struct claims_set *s, const char *name, const char *col);
/* The best of them: the highest (a throughput) or the lowest (a time): the
 * least disturbed repetition, for timings on a machine that is not idle. */
double claims_best(const struct claims_set *s, const char *name, const char *col, bool highest);

/* What a claim comes to. */
struct claim_result {
	char figure[1024]; /* the measured figures, one markdown table cell */
	char verdict[160]; /* holds / doesn't hold here / holds only for CPython, and why */
};

struct claim {
	const char *claim; /* the claim in a few words */
	const char *quote; /* where the article says it: its own words */
	const char *how;   /* what is measured, and how */
	void (*judge)(const struct claims_set *s, struct claim_result *r);
};

extern const struct claim claims_table[]; /* ends with a NULL claim */

#endif
