/* openloop.c - the open-loop criterion of decision-matrix.md: the highest
 * rate a model sustains with p99 under the SLO (../openloop.c reads the
 * series): the searched rate of capacity.csv with its bracket (`rate:
 * search`; with search_reps: N >= 2 the rule tests the two highest on
 * their N searches, Benjamini-Hochberg across the table), else the highest
 * rate of the grid it sustained (ties as in matrix.c). Written once
 * through doc.h: markdown here, HTML and JSON on the report's page. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../harness/set/sustain.h"
#include "../doc.h"
#include "../openloop.h"
#include "verdicts.h"

/* A searched regime: the highest sustained rate and the next, with their
 * brackets. One search per model is no sample: the verdict rule cannot
 * test it, so it names no winner and no tie ("untested"). */
static void decide_searched(const struct set *s, const struct ol *o, size_t w, struct doc *d)
{
	const struct ol_series *best = NULL, *second = NULL;
	size_t kb = 0, ks = 0;
	char b1[160], b2[160], b3[160], vb3[160];

	for (size_t k = 0; k < o->nmodels; k++) {
		const struct ol_series *ser = ol_series_at(o, w, k);

		if (!ser->n || !(ol_sustainable(ser, o->slo_us[w]) > 0))
			continue;
		if (!best || ser->sustained > best->sustained) {
			second = best, ks = kb;
			best = ser, kb = k;
		} else if (!second || ser->sustained > second->sustained) {
			second = ser, ks = k;
		}
	}
	doc_row(d, false, o->wl[w]);
	doc_cell(d, "%s", ol_regime(o, w, b3, sizeof(b3)));
	doc_cell(d, "%g ms", o->slo_us[w] / 1e3);
	if (!best) {
		doc_cell(d, "none: no model sustained a rate");
		doc_cell(d, "%s", "");
		doc_cell(d, "%s", "");
	} else if (best->tested && second) { /* the rule on the searches' rates */
		char vb[VERDICT_FMT_MAX];

		doc_cell(d, "%s", words_vs(&best->v, s->models[kb], s->models[ks], vb, sizeof(vb)));
		doc_cell(d, "%s", ol_bracket_text(best, b1, sizeof(b1)));
		doc_cell(d, "%s, %s", s->models[ks], ol_bracket_text(second, b2, sizeof(b2)));
	} else {
		/* one search per model: no sample to test, so no winner and no tie */
		doc_cell(d, "%s",
			 words_untested(s->models[kb], "one search per model", vb3, sizeof(vb3)));
		doc_cell(d, "%s", ol_bracket_text(best, b1, sizeof(b1)));
		if (second)
			doc_cell(d, "%s, %s (%.2g× less%s)", s->models[ks],
				 ol_bracket_text(second, b2, sizeof(b2)),
				 best->sustained / second->sustained,
				 isfinite(second->hi) && second->hi >= best->lo
					 ? "; brackets overlap"
					 : "");
		else
			doc_cell(d, "no other model sustains a rate");
	}
	doc_row_end(d);
}

/* The best and the runner-up of a searched regime, by median rate. */
static void searched_top(const struct ol *o, size_t w, size_t *kb, size_t *ks)
{
	const struct ol_series *best = NULL, *second = NULL;

	*kb = *ks = SIZE_MAX;
	for (size_t k = 0; k < o->nmodels; k++) {
		const struct ol_series *ser = ol_series_at(o, w, k);

		if (!ser->n || !(ol_sustainable(ser, o->slo_us[w]) > 0))
			continue;
		if (!best || ser->sustained > best->sustained) {
			second = best, *ks = *kb;
			best = ser, *kb = k;
		} else if (!second || ser->sustained > second->sustained) {
			second = ser, *ks = k;
		}
	}
}

/* The searched regimes whose two best models have 2+ searches each: the
 * rule (lib/verdict.h) on seconds per task (1 / rate: lower is better),
 * Benjamini-Hochberg across the table. The verdict lands on the best
 * series (a: the best, b: the runner-up). */
static void test_searched(struct ol *o)
{
	struct verdict *fam[OL_MAX_WL];
	size_t n = 0;

	for (size_t w = 0; w < o->nwl; w++) {
		size_t kb, ks;
		struct ol_series *a, *b;
		double ia[OL_MAX_REPS], ib[OL_MAX_REPS];

		if (!ol_regime_searched(o, w))
			continue;
		searched_top(o, w, &kb, &ks);
		if (kb == SIZE_MAX || ks == SIZE_MAX)
			continue;
		a = &o->s[w * o->nmodels + kb];
		b = &o->s[w * o->nmodels + ks];
		if (a->nrep < 2 || b->nrep < 2)
			continue;
		for (size_t i = 0; i < a->nrep; i++) /* a search that held nothing: no value */
			ia[i] = a->rep[i] > 0 ? 1 / a->rep[i] : NAN;
		for (size_t i = 0; i < b->nrep; i++)
			ib[i] = b->rep[i] > 0 ? 1 / b->rep[i] : NAN;
		if (verdict_test(ia, a->nrep, ib, b->nrep, &a->v))
			continue;
		a->tested = true;
		fam[n++] = &a->v;
	}
	if (n && verdict_adjust_ptr(fam, n, VERDICT_BH))
		for (size_t i = 0; i < n; i++) /* no memory: no adjustment, no winner */
			fam[i]->outcome = VERDICT_INCONCLUSIVE;
}

/* The verdict of one regime through matrix_decide (lower is better: the
 * negated rate). *idx[i] is the model of contender i. */
static void decide(const struct set *s, const struct ol *o, size_t w, struct doc *d)
{
	struct matrix_cell mc[64];
	size_t idx[64], n = 0, nv = 0;
	struct matrix_verdict *v = NULL;
	char b1[64], b2[64], b3[160], vb[160];

	if (ol_regime_searched(o, w)) {
		decide_searched(s, o, w, d);
		return;
	}
	for (size_t k = 0; k < o->nmodels && n < 64; k++) {
		const struct ol_series *ser = ol_series_at(o, w, k);
		double r = ol_sustainable(ser, o->slo_us[w]);

		if (!ser->n)
			continue;
		mc[n] = (struct matrix_cell){ .model = s->models[k],
					      .share_pct = (double)w,
					      .concurrency = 1,
					      .ok = r > 0,
					      .med = -r,
					      .min = -r,
					      .max = -r };
		idx[n++] = k;
	}
	doc_row(d, false, o->wl[w]);
	doc_cell(d, "%s", ol_regime(o, w, b3, sizeof(b3)));
	doc_cell(d, "%g ms", o->slo_us[w] / 1e3);
	if (n == 0 || matrix_decide(mc, n, &v, &nv) || nv == 0) {
		doc_cell(d, "no verdict");
		doc_cell(d, "%s", "");
		doc_cell(d, "%s", "");
	} else if (v[0].winner < 0) {
		doc_cell(d, "none: no model kept p99 under the SLO");
		doc_cell(d, "%s", "");
		doc_cell(d, "%s", "");
	} else {
		/* one figure per model, no reps: never a winner, never a tie */
		double a = -mc[v[0].winner].med;
		double r = v[0].runner_up >= 0 ? -mc[v[0].runner_up].med : 0;

		doc_cell(d, "%s",
			 words_untested(s->models[idx[v[0].winner]], "one run per model", vb,
					sizeof(vb)));
		doc_cell(d, "%s", ol_rate_text(a, b1, sizeof(b1)));
		if (v[0].runner_up >= 0)
			doc_cell(d, "%s, %s (%.2g× less)", s->models[idx[v[0].runner_up]],
				 ol_rate_text(r, b2, sizeof(b2)), a / r);
		else
			doc_cell(d, "no other model sustains a rate");
	}
	doc_row_end(d);
	matrix_free(v, nv);
}

/* The per-model figures of one regime, as table rows. */
static void model_rows(const struct set *s, const struct ol *o, size_t w, struct doc *d)
{
	char b1[64], b2[160], b3[160];

	for (size_t k = 0; k < o->nmodels; k++) {
		const struct ol_series *ser = ol_series_at(o, w, k);

		if (!ser->n)
			continue;
		if (ser->searched)
			ol_bracket_text(ser, b2, sizeof(b2));
		else
			ol_rate_text(ol_sustainable(ser, o->slo_us[w]), b2, sizeof(b2));
		doc_row(d, false, o->wl[w]);
		doc_cell(d, "%s", o->wl[w]);
		doc_cell(d, "%s", s->models[k]);
		doc_cell(d, "%s",
			 isfinite(ser->capacity) ? ol_rate_text(ser->capacity, b1, sizeof(b1))
						 : "?");
		doc_cell(d, "%s", b2);
		doc_cell(d, "%.0f", ser->n ? ser->p[0].samples : 0);
		doc_cell(d, "%s", ol_knee_text(ser, b3, sizeof(b3)));
		doc_row_end(d);
	}
}

int plots_openloop_doc(const struct set *s, struct doc *d)
{
	static const char *const head1[] = { "regime", "SLO", "highest", "sustains", "next" };
	char knee[96];
	const char *head2[] = { "regime",
				"model",
				"batch capacity",
				"sustains at the SLO",
				"samples at the lowest load",
				knee };
	struct ol o;
	int rc = ol_collect(s, &o);

	if (rc || o.nwl == 0) {
		ol_free(&o);
		return rc;
	}
	doc_heading(d, 2, "Open loop: the highest rate with p99 under the SLO");
	doc_para(d,
		 "Tasks arrive at a fixed rate whether or not the model keeps up; latency "
		 "counts from each task's intended release. A model *sustains* a rate when "
		 "its run is clean, its p99 is at most the SLO, it keeps up (completed / "
		 "(makespan - p50) at least %.0f%% of the offered rate) and no backlog grows "
		 "(the p50 of the last fifth of the tasks within %g× the first fifth's). "
		 "With `rate: search` the rate is the highest one a bisection found, with "
		 "its bracket (capacity.csv). Otherwise the rates are the grid's (percent "
		 "of each model's batch capacity). Either way it is one figure per model, "
		 "not a sample of reps, so the verdict rule (lib/verdict.h) cannot test "
		 "it: the table names the highest, *untested*, never a winner nor "
		 "equivalent. With `search_reps: N` (N >= 2) each model is searched N "
		 "times, interleaved, and the rule tests the two highest on their N rates "
		 "(seconds per task, Benjamini-Hochberg across this table): a ratio with "
		 "its 95%% interval, a winner, equivalent or inconclusive.",
		 SUSTAIN_KEEP_UP * 100, SUSTAIN_BACKLOG);
	doc_gap(d);
	doc_table(d);
	doc_head(d, 5, head1);
	test_searched(&o);
	for (size_t w = 0; w < o.nwl; w++)
		decide(s, &o, w, d);
	doc_table_end(d);
	doc_gap(d);
	snprintf(knee, sizeof(knee), "p99 passes %g× its unloaded p99 at", OL_KNEE);
	doc_table(d);
	doc_head(d, 6, head2);
	for (size_t w = 0; w < o.nwl; w++)
		model_rows(s, &o, w, d);
	doc_table_end(d);
	ol_free(&o);
	return 0;
}
