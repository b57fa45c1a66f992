/* decide.c - the decision matrix: a verdict per criterion for every
 * (share, concurrency) of the main grid (matrix.c decides), and
 * decision-matrix.md, which writes them (words.c) with the regimes of the
 * other grids and the open-loop criterion. What the folklore says for each
 * share comes from the spec's folklore: lines. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/cmdutil.h"
#include "../../models/model.h"
#include "../doc.h"
#include "verdicts.h"

/* The matrix input of criterion k: the main grid's cells with a share. */
static void matrix_input(struct set *s, size_t k)
{
	enum metric m = plots_criteria[k].m;

	s->nmc = 0;
	for (size_t i = 0; i < s->ncells; i++) {
		struct cell *c = &s->cells[i];

		if (strcmp(c->grid, s->grid) != 0 || isnan(c->share))
			continue;
		s->mc_src[s->nmc] = c;
		s->mc[s->nmc++] = (struct matrix_cell){
			.model = c->model,
			.share_pct = c->share,
			.concurrency = c->conc,
			.ok = c->ok,
			.med = c->v[m][MED],
			.min = c->v[m][MIN],
			.max = c->v[m][MAX],
			.any_level = c->one_slot,
			.v = c->rep[m],
			.nv = c->nrep,
		};
	}
}

/* The main grid's rule: its level over the looks its rounds could take
 * and its equivalence margin (spec_grid_rule; the defaults without a
 * spec). */
static struct matrix_rule grid_rule(const struct set *s)
{
	struct matrix_rule r = { VERDICT_BH, VERDICT_ALPHA, VERDICT_MARGIN };

	if (s->spec.n_grids)
		spec_grid_rule(&s->spec, s->spec_grid, &r.alpha, &r.margin);
	return r;
}

int plots_decide_all(struct set *s)
{
	struct matrix_rule r = grid_rule(s);

	s->mc = calloc(s->ncells ? s->ncells : 1, sizeof(*s->mc));
	s->mc_src = calloc(s->ncells ? s->ncells : 1, sizeof(*s->mc_src));
	if (!s->mc || !s->mc_src)
		return -ENOMEM;
	for (size_t k = 0; k < NCRIT; k++) {
		matrix_input(s, k);
		if (matrix_decide_rule(s->mc, s->nmc, &r, &s->verdict[k], &s->nverdict[k]))
			return -ENOMEM;
	}
	return 0;
}

/* The lowest geometric mean of metric m among the cells idx[0..n), and
 * whether it beats each of the others (a winner at the grid's rule); the
 * best's verdict against the next best into *vd. */
static bool choose_among(const struct set *s, const int *idx, int n, enum metric m,
			 const struct matrix_rule *r, int *best, struct verdict *vd)
{
	double cb = INFINITY, cn = INFINITY, c, lo, hi;
	int next = -1;

	*best = -1;
	for (int i = 0; i < n; i++) {
		const struct cell *x = s->mc_src[idx[i]];

		if (!x->rep[m] || x->nrep < VERDICT_MIN_N)
			return false;
		verdict_gmean_ci(x->rep[m], x->nrep, 0.95, &c, &lo, &hi);
		if (!isfinite(c))
			return false;
		if (c < cb) {
			next = *best;
			cn = cb;
			cb = c;
			*best = idx[i];
		} else if (c < cn) {
			cn = c;
			next = idx[i];
		}
	}
	if (*best < 0 || next < 0)
		return false;
	for (int i = 0; i < n; i++) {
		const struct cell *a = s->mc_src[*best], *b = s->mc_src[idx[i]];
		struct verdict v;

		if (idx[i] == *best)
			continue;
		verdict_test(a->rep[m], a->nrep, b->rep[m], b->nrep, &v);
		verdict_rule(&v, r->alpha, r->margin);
		verdict_adjust(&v, 1, VERDICT_NONE);
		if (v.outcome != VERDICT_A)
			return false;
		if (idx[i] == next)
			*vd = v;
	}
	return true;
}

int plots_next_choice(const struct set *s, const struct matrix_verdict *v, int *idx, size_t *by,
		      struct verdict *vd)
{
	struct matrix_rule r = grid_rule(s);

	if (!v || v->outcome != MATRIX_EQUIV || v->nequiv < 2)
		return 0;
	for (size_t k = 1; k < NCRIT; k++)
		if (choose_among(s, v->equiv, v->nequiv, plots_criteria[k].m, &r, idx, vd)) {
			*by = k;
			return 1;
		}
	return 0;
}

void plots_verdicts_free(struct set *s)
{
	for (size_t k = 0; k < NCRIT; k++)
		matrix_free(s->verdict[k], s->nverdict[k]);
	free(s->mc);
	free(s->mc_src);
	plots_regimes_free(s);
}

const struct matrix_verdict *plots_verdict_at(const struct set *s, size_t k, double share,
					      double conc)
{
	for (size_t i = 0; i < s->nverdict[k]; i++)
		if (s->verdict[k][i].share_pct == share && s->verdict[k][i].concurrency == conc)
			return &s->verdict[k][i];
	return NULL;
}

const char *plots_vmodel(const struct set *s, int idx)
{
	return s->mc_src[idx]->model;
}

/* Whether the folklore line f names the model. */
static bool folklore_names(const struct spec_folklore *f, const char *model)
{
	for (size_t j = 0; j < f->n_models; j++)
		if (strcmp(f->models[j]->name, model) == 0)
			return true;
	return false;
}

int plots_folklore_agrees(const struct set *s, const struct matrix_verdict *v)
{
	const struct spec_folklore *f;

	if (!v || v->winner < 0)
		return -1;
	f = spec_folklore_at(s->spec_grid, v->share_pct);
	if (!f)
		return -1;
	if (v->tie || v->runner_up < 0) /* only a clear win agrees or disagrees */
		return 2;
	return folklore_names(f, plots_vmodel(s, v->winner)) ? 1 : 0;
}

double plots_top_level(const struct set *s, double share)
{
	double top = NAN;

	for (size_t i = 0; i < s->nverdict[0]; i++)
		if (s->verdict[0][i].share_pct == share)
			top = s->verdict[0][i].concurrency;
	return top;
}

/* The header that says where the numbers come from. */
static void write_provenance(const struct set *s, FILE *f)
{
	const struct meta *m = &s->meta;
	double reps = 0;
	size_t failed = 0, n = 0;
	char cores[16];

	for (size_t i = 0; i < s->ncells; i++) {
		if (strcmp(s->cells[i].grid, s->grid) != 0)
			continue;
		n++;
		failed += !s->cells[i].ok;
		reps = fmax(reps, s->cells[i].reps);
	}
	fprintf(f, "Result set `%s`, measured on %s, %s cores, Linux %s%s%s.\n", s->run_id,
		*m->cpu_model ? m->cpu_model : "an unrecorded CPU",
		plots_cores(s, cores, sizeof(cores)), *m->kernel ? m->kernel : "?",
		*m->git_rev ? ", cmbench " : "", m->git_rev);
	fprintf(f,
		"Computed by `cmbench plots` from `cells.csv` (grid `%s`: %zu cells, up to %g "
		"reps each, %zu failed).\n\n",
		s->grid, n, reps, failed);
	fprintf(f,
		"Each grid cell names the model with the lowest median over reps, its median, and "
		"its ratio to the runner-up with the 95%% interval of that ratio (geometric means "
		"of the reps). It is a **winner** only when Welch's test on the logs of the two "
		"models' reps, corrected by Benjamini–Hochberg over the cells of the criterion, "
		"gives p below the grid's level (%.2g: 0.05 over the looks its rounds could "
		"take) against every other model and the ratio is at least %.2f×; "
		"**equivalent** when two one-sided tests show the others that are not beaten "
		"within ±%.3g%% (where time is equivalent, p99 and then memory name the choice); "
		"otherwise **inconclusive**, with the reps that would decide it "
		"(docs/verdicts.md); "
		"a cell with fewer than %d reps a side is always inconclusive. "
		"`%s` runs one task at a time, so its one cell per share competes at every "
		"concurrency level. A cell that failed (lost tasks, errors or unequal checksums) "
		"never wins; it is counted in [brackets].\n\n",
		grid_rule(s).alpha, VERDICT_MIN_RATIO, grid_rule(s).margin * 100, VERDICT_MIN_N,
		plots_one_slot_model(s));
}

/* "yes", "equivalent", "inconclusive", "**no**" or "n/a" for the folklore
 * column. */
static const char *agrees_text(const struct set *s, const struct matrix_verdict *v)
{
	int ag = plots_folklore_agrees(s, v);

	if (ag < 0)
		return "n/a";
	if (ag == 2)
		return v->outcome == MATRIX_EQUIV ? "equivalent" : "inconclusive";
	return ag ? "yes" : "**no**";
}

void plots_summary_table(const struct set *s, FILE *f)
{
	char b[NCRIT][512], reg[64], cnt[32];

	fprintf(f, "| regime | at concurrency | time | p99 | memory | folklore says | "
		   "time agrees? |\n");
	fprintf(f, "|---|---|---|---|---|---|---|\n");
	for (size_t i = 0; i < s->nshares; i++) {
		double top = plots_top_level(s, s->shares[i]);
		const struct spec_folklore *fl = spec_folklore_at(s->spec_grid, s->shares[i]);

		for (size_t k = 0; k < NCRIT; k++)
			plots_verdict_text(s, k, plots_verdict_at(s, k, s->shares[i], top), b[k],
					   sizeof(b[k]));
		fprintf(f, "| %s | %s | %s | %s | %s | %s | %s |\n",
			plots_regime(s->shares[i], reg, sizeof(reg)),
			plots_count(top, cnt, sizeof(cnt)), b[0], b[1], b[2],
			fl ? fl->says : "not in the spec",
			agrees_text(s, plots_verdict_at(s, 0, s->shares[i], top)));
	}
}

static void write_detail_table(const struct set *s, FILE *f)
{
	char b[NCRIT][512], reg[64], cnt[32];

	fprintf(f, "| regime | concurrency | time | p99 | memory |\n|---|---|---|---|---|\n");
	for (size_t i = 0; i < s->nverdict[0]; i++) {
		const struct matrix_verdict *v = &s->verdict[0][i];

		for (size_t k = 0; k < NCRIT; k++)
			plots_verdict_text(s, k,
					   plots_verdict_at(s, k, v->share_pct, v->concurrency),
					   b[k], sizeof(b[k]));
		fprintf(f, "| %s | %s | %s | %s | %s |\n",
			plots_regime(v->share_pct, reg, sizeof(reg)),
			plots_count(v->concurrency, cnt, sizeof(cnt)), b[0], b[1], b[2]);
	}
}

int plots_write_matrix_md(const struct set *s)
{
	char path[PLOTS_PATH_LEN];
	FILE *f;

	snprintf(path, sizeof(path), "%s/decision-matrix.md", s->dir);
	f = fopen(path, "w");
	if (!f) {
		cmd_say("plots", "%s: %s", path, strerror(errno));
		return -errno;
	}
	fprintf(f, "# Decision matrix: %s\n\n", s->run_id);
	write_provenance(s, f);
	fprintf(f, "## At the highest concurrency of each regime\n\n");
	plots_summary_table(s, f);
	fprintf(f, "\n## Every cell of the grid\n\n");
	write_detail_table(s, f);
	fprintf(f, "\n## Regimes beyond the matrix\n\n"
		   "The seed's other rows, one grid each: the fastest model of the grid's "
		   "cells at the level the folklore line speaks of, against the best of the "
		   "models it names, by the same test (a clear win of a named model agrees, a "
		   "clear win "
		   "of another disagrees, an equivalence or an inconclusive test is "
		   "neither).\n\n");
	{
		struct doc doc;

		doc_md(&doc, f);
		plots_regimes_doc(s, &doc);
		plots_openloop_doc(s, &doc);
	}
	if (fclose(f) != 0) {
		cmd_say("plots", "%s: %s", path, strerror(errno));
		return -errno;
	}
	return 0;
}
