/* words.c - every verdict in words, one function per kind, so that how a
 * verdict reads changes in this file alone: a cell of the decision matrix
 * (a winner, a tie, the only valid cell, none) and its margin on the chart
 * and the page, the rule behind a tie, a
 * regime's fastest model and its word against the folklore, an untested
 * highest rate, and a comparison of two cells in a finding. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../kinds.h"
#include "verdicts.h"

/* "tie: a ≈ b ≈ c ? d (runner-up b: 1.03× [0.98, 1.09], 1.2 ms)" into b:
 * ≈ those the adjusted test cannot tell from the winner, ? those too few
 * reps to test; the interval is the winner's against the runner-up, who is
 * named (the report's picker names the same one, tests/it/report.sh). */
static const char *tie_text(const struct set *s, const struct matrix_verdict *v, const char *val,
			    const char *failed, char *b, size_t n)
{
	size_t o = (size_t)snprintf(b, n, "tie: ");
	char r[96];

	for (int i = 0; i < v->ntied && o < n; i++)
		o += (size_t)snprintf(b + o, n - o, "%s%s", i ? " ≈ " : "",
				      plots_vmodel(s, v->tied[i]));
	for (int i = 0; i < v->nuntested && o < n; i++) /* too few reps: untested */
		o += (size_t)snprintf(b + o, n - o, " ? %s", plots_vmodel(s, v->untested[i]));
	if (o >= n)
		return b;
	if (v->vd.outcome == VERDICT_NA)
		snprintf(b + o, n - o, " (too few reps to test; runner-up %s, %s)%s",
			 plots_vmodel(s, v->runner_up), val, failed);
	else
		snprintf(b + o, n - o, " (runner-up %s: %s, %s)%s", plots_vmodel(s, v->runner_up),
			 verdict_ratio_str(&v->vd, r, sizeof(r)), val, failed);
	return b;
}

const char *plots_verdict_text(const struct set *s, size_t k, const struct matrix_verdict *v,
			       char *b, size_t n)
{
	char val[48], mg[160], failed[48] = "";

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
	else if (v->tie && chart)
		snprintf(b, n, "≈ %s", plots_label(s, (size_t)s->mc_src[v->runner_up]->lt - 1));
	else if (v->tie)
		snprintf(b, n, "tie of %d", v->ntied);
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
		return v2 && v2->outcome == VERDICT_A ? "**agrees**" : "tie";
	/* the fastest is another model: disagrees only if it is clearly ahead */
	return vf && vf->outcome == VERDICT_A ? "disagrees" : "tie";
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
		snprintf(b + o, n - o, "; %s %s %s", won ? "ahead of" : "≈",
			 mname(second, n2, sizeof(n2)),
			 v2->outcome == VERDICT_NA ? "(too few reps to test)"
						   : verdict_ratio_str(v2, r, sizeof(r)));
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
	snprintf(
		b, n,
		"A cell has a winner only when Welch's test on the logs of the reps of the best "
		"model against those of every other model, corrected by Benjamini–Hochberg over "
		"the cells of the criterion, gives p < %.2f and the ratio of their geometric means "
		"is at least %.2f× each time; otherwise it is a tie. A model with fewer than %d "
		"reps cannot be tested: it is shown apart (? name, untested) and leaves no winner.",
		VERDICT_ALPHA, VERDICT_MIN_RATIO, VERDICT_MIN_N);
	return b;
}
