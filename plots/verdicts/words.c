/* words.c - every verdict in words, one function per kind, so that how a
 * verdict reads changes in this file alone: a cell of the decision matrix
 * (a winner, equivalent models - named by the next criterion where that
 * decides -, inconclusive, the only valid cell, none) and its margin on
 * the chart and the page, the rules behind them, a
 * regime's fastest model and its word against the folklore, an untested
 * highest rate, and a comparison of two cells in a finding. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../kinds.h"
#include "verdicts.h"

/* Whether tied model idx of v was shown equivalent to the best. */
static bool is_equiv(const struct matrix_verdict *v, int idx)
{
	for (int i = 0; i < v->nequiv; i++)
		if (v->equiv[i] == idx)
			return true;
	return false;
}

/* The cell's models, the best first: "a ≈ b ? c": ≈ those shown
 * equivalent to the best, ? those tested and undecided. */
static size_t members(const struct set *s, const struct matrix_verdict *v, char *b, size_t n)
{
	size_t o = 0;

	for (int i = 0; i < v->ntied && o < n; i++)
		o += (size_t)snprintf(b + o, n - o, "%s%s",
				      i == 0			? ""
				      : is_equiv(v, v->tied[i]) ? " ≈ "
								: " ? ",
				      plots_vmodel(s, v->tied[i]));
	return o < n ? o : n;
}

/* "; untested: d, e" - those too few reps to test, or "". */
static void untested_list(const struct set *s, const struct matrix_verdict *v, char *b, size_t n)
{
	size_t o = 0;

	b[0] = '\0';
	for (int i = 0; i < v->nuntested && o < n; i++)
		o += (size_t)snprintf(b + o, n - o, "%s%s",
				      i ? ", " : "; untested: ", plots_vmodel(s, v->untested[i]));
}

/* "equivalent within ±5%: a ≈ b (runner-up b: 1.01× [0.98, 1.03], 1.2 ms)"
 * or "inconclusive: a ? b ≈ c (runner-up b: 1.05× [0.48, 2.30], 1.2 ms;
 * untested: d; ~40 more reps)"; the interval is the best's against the
 * runner-up, who is named (the report's picker names the same one,
 * tests/it/report.sh). */
static const char *tie_text(const struct set *s, const struct matrix_verdict *v, const char *val,
			    const char *failed, char *b, size_t n)
{
	size_t o;
	char r[96], more[64] = "", un[512];

	if (v->outcome == MATRIX_EQUIV)
		o = (size_t)snprintf(b, n, "equivalent within ±%.3g%%: ", v->vd.margin * 100);
	else
		o = (size_t)snprintf(b, n, "inconclusive: ");
	if (o >= n)
		return b;
	o += members(s, v, b + o, n - o);
	if (o >= n)
		return b;
	untested_list(s, v, un, sizeof(un));
	if (v->outcome == MATRIX_INCONCLUSIVE && v->more > 0)
		snprintf(more, sizeof(more), "; ~%d more reps", v->more);
	else if (v->outcome == MATRIX_INCONCLUSIVE && !v->nuntested)
		snprintf(more, sizeof(more), "; more reps would not decide it");
	if (v->vd.outcome == VERDICT_NA)
		snprintf(b + o, n - o, " (too few reps to test; runner-up %s, %s%s)%s",
			 plots_vmodel(s, v->runner_up), val, un, failed);
	else
		snprintf(b + o, n - o, " (runner-up %s: %s, %s%s%s)%s",
			 plots_vmodel(s, v->runner_up), verdict_ratio_str(&v->vd, r, sizeof(r)),
			 val, un, more, failed);
	return b;
}

const char *plots_next_text(const struct set *s, const struct matrix_verdict *v, char *b, size_t n)
{
	static const char *const less[NCRIT] = { "faster", "lower p99", "less memory" };
	struct verdict vd;
	int idx;
	size_t by;
	char r[96];

	b[0] = '\0';
	if (plots_next_choice(s, v, &idx, &by, &vd) != 1)
		return b;
	snprintf(b, n, "**%s**: equivalent on %s, %s %s", plots_vmodel(s, idx),
		 plots_criteria[0].key, verdict_ratio_str(&vd, r, sizeof(r)), less[by]);
	return b;
}

const char *plots_verdict_text(const struct set *s, size_t k, const struct matrix_verdict *v,
			       char *b, size_t n)
{
	char val[48], mg[256], failed[48] = "";

	if (!v) {
		snprintf(b, n, "not measured");
		return b;
	}
	if (v->nfailed)
		snprintf(failed, sizeof(failed), " [%d failed]", v->nfailed);
	if (v->winner < 0) {
		snprintf(b, n, "no valid cell%s", failed);
		return b;
	}
	plots_cell_value(s->mc_src[v->winner], k, s->mc_src[v->winner]->v[plots_criteria[k].m][MED],
			 val, sizeof(val));
	if (v->runner_up < 0) {
		snprintf(b, n, "%s %s (the only valid cell)%s", plots_vmodel(s, v->winner), val,
			 failed);
		return b;
	}
	if (v->tie && k == 0 && v->outcome == MATRIX_EQUIV &&
	    *plots_next_text(s, v, mg, sizeof(mg))) {
		size_t o =
			(size_t)snprintf(b, n, "%s; ", mg); /* one answer, by the next criterion */

		if (o < n)
			tie_text(s, v, val, failed, b + o, n - o);
		return b;
	}
	if (v->tie)
		return tie_text(s, v, val, failed, b, n);
	snprintf(b, n, "**%s** %s (%s ahead of %s)%s", plots_vmodel(s, v->winner), val,
		 verdict_ratio_str(&v->vd, mg, sizeof(mg)), plots_vmodel(s, v->runner_up), failed);
	return b;
}

const char *words_cell_margin(const struct set *s, const struct matrix_verdict *v, bool chart,
			      char *b, size_t n)
{
	if (v->runner_up < 0)
		snprintf(b, n, "only one");
	else if (v->tie && chart) /* ≈ equivalent, ? undecided */
		snprintf(b, n, "%s %s", v->outcome == MATRIX_EQUIV ? "≈" : "?",
			 plots_label(s, (size_t)s->mc_src[v->runner_up]->lt - 1));
	else if (v->outcome == MATRIX_EQUIV)
		snprintf(b, n, "equivalent, %d", v->nequiv);
	else if (v->tie)
		snprintf(b, n, "inconclusive");
	else if (!isfinite(v->vd.ratio))
		snprintf(b, n, "far ahead");
	else if (!chart)
		snprintf(b, n, "%.2f× ahead", v->vd.ratio);
	else if (v->vd.ratio >= 1.5)
		snprintf(b, n, "%.1f×", v->vd.ratio);
	else
		snprintf(b, n, "+%.0f%%", (v->vd.ratio - 1) * 100);
	return b;
}

const char *plots_regime_word(const struct verdict *v2, const struct verdict *vf, bool pick_is_best)
{
	if (pick_is_best) /* the folklore's pick is fastest: agrees if it clearly wins */
		return v2 && v2->outcome == VERDICT_A	    ? "**agrees**"
		       : v2 && v2->outcome == VERDICT_EQUIV ? "equivalent"
							    : "inconclusive";
	/* the fastest is another model: disagrees only if it is clearly ahead */
	return vf && vf->outcome == VERDICT_A	    ? "disagrees"
	       : vf && vf->outcome == VERDICT_EQUIV ? "equivalent"
						    : "inconclusive";
}

const char *words_regime_best(const struct cell *best, const struct cell *second,
			      const struct verdict *v2, char *b, size_t n)
{
	/* the best by median wins only when the test says it is ahead (a);
	 * the other way round (b clearly ahead by the means) is no win */
	bool won = v2 && v2->outcome == VERDICT_A;
	char a[64], n1[96], n2[96], r[96];
	size_t o;

	o = (size_t)snprintf(b, n, "%s%s%s %s", won ? "**" : "", mname(best, n1, sizeof(n1)),
			     won ? "**" : "", secs(best->v[M_MAKESPAN][MED], a, sizeof(a)));
	if (v2 && o < n)
		snprintf(b + o, n - o, "; %s %s %s%s",
			 won				? "ahead of"
			 : v2->outcome == VERDICT_EQUIV ? "≈"
							: "?",
			 mname(second, n2, sizeof(n2)),
			 v2->outcome == VERDICT_NA ? "(too few reps to test)"
						   : verdict_ratio_str(v2, r, sizeof(r)),
			 won || v2->outcome == VERDICT_NA ? ""
			 : v2->outcome == VERDICT_EQUIV	  ? ", equivalent"
							  : ", inconclusive");
	return b;
}

const char *words_untested(const char *model, const char *why, char *b, size_t n)
{
	snprintf(b, n, "%s, untested (%s)", model, why);
	return b;
}

const char *words_vs(const struct verdict *v, const char *a, const char *b, char *buf, size_t n)
{
	return verdict_format(v, a, b, buf, n);
}

const char *plots_tie_rule(char *b, size_t n)
{
	snprintf(b, n,
		 "A cell has a winner only when Welch's test on the logs of the reps of the best "
		 "model against those of every other model, corrected by Benjamini–Hochberg over "
		 "the cells of the criterion, gives p below the grid's level (%.2f over the looks "
		 "its rounds took) and the ratio of their geometric means is at least %.2f× each "
		 "time. Models are equivalent when two one-sided tests show their ratio within the "
		 "grid's margin (±%.0f%% by default); a cell where some comparison is neither is "
		 "inconclusive, and says how many more reps would decide it: the runs cannot tell "
		 "the models apart yet, which is not the same as equal. A model with fewer than %d "
		 "reps cannot be tested: it is shown apart (? name, untested) and leaves the cell "
		 "inconclusive.",
		 VERDICT_ALPHA, VERDICT_MIN_RATIO, VERDICT_MARGIN * 100, VERDICT_MIN_N);
	return b;
}
