/* regimes.c - the regimes of the decision table beyond the main grid:
 * every folklore line of the spec's other grids gets a measured verdict
 * (decision-matrix.md, "Regimes beyond the matrix"; the report's page and
 * its picker). The rows are computed once (plots_regimes_build), their
 * comparisons adjusted as one Benjamini-Hochberg family, and written from
 * the structs through doc.h. Models and workloads are known by their
 * traits only (../kinds.h). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/util.h"
#include "../../models/model.h"
#include "../../workloads/workload.h"
#include "../doc.h"
#include "../kinds.h"
#include "verdicts.h"

static bool in_models(const struct spec_folklore *fl, const struct model_ops *m)
{
	for (size_t i = 0; i < fl->n_models; i++)
		if (fl->models[i] == m)
			return true;
	return false;
}

/* The level a folklore line speaks of in grid g: its @LEVEL, else the
 * highest concurrency of the grid's cells. */
static double regime_level(const struct set *s, const struct spec_grid *g,
			   const struct spec_folklore *fl)
{
	double top = NAN;
	long long v;
	char err[SPEC_ERR_MAX];

	if (fl->at[0] && spec_eval(fl->at, -1, isfinite(s->cores) ? (long long)s->cores : 1, &v,
				   err, sizeof(err)) == 0)
		return (double)v;
	for (size_t i = 0; i < s->ncells; i++)
		if (strcmp(s->cells[i].grid, g->name) == 0 && !s->cells[i].one_slot &&
		    !(s->cells[i].conc <= top))
			top = s->cells[i].conc;
	return top;
}

static bool regime_cell(const struct cell *c, const struct spec_grid *g,
			const struct spec_folklore *fl, double level, double io_us)
{
	return strcmp(c->grid, g->name) == 0 && (c->conc == level || c->one_slot) &&
	       (isnan(c->share) || (c->share >= fl->lo && c->share <= fl->hi)) &&
	       (c->io_us == io_us || (isnan(c->io_us) && isnan(io_us)));
}

/* The next comparison of the family: a against b; its index, -1 when out
 * of memory. */
static int add_vd(struct set *s, size_t *cap, const struct cell *a, const struct cell *b)
{
	if (s->nregime_vd == *cap) {
		size_t ncap = *cap ? 2 * *cap : 32;
		struct verdict *v = realloc(s->regime_vd, ncap * sizeof(*v));

		if (!v)
			return -1;
		s->regime_vd = v;
		*cap = ncap;
	}
	plots_compare(a, b, M_MAKESPAN, &s->regime_vd[s->nregime_vd]);
	return (int)s->nregime_vd++;
}

/* One row: the winner among the grid's valid cells at the level, against
 * the runner-up and against the best of the models the folklore names,
 * both by the verdict rule. */
static int build_row(struct set *s, size_t *cap, struct regime_row *r)
{
	const struct spec_folklore *fl = r->fl;
	const struct cell *best = NULL, *second = NULL, *fbest = NULL;
	/* a line whose models are all foreign (or all C) speaks of that
	 * runtime: its contest is among that runtime's models only */
	bool py = fl->n_models && fl->models[0]->foreign, scoped = fl->n_models > 0;

	for (size_t i = 0; i < fl->n_models; i++)
		scoped &= fl->models[i]->foreign == py;
	scoped &= py; /* C lines in a mixed grid still see every model */
	r->scoped = scoped;
	r->failed = 0;
	for (size_t i = 0; i < s->ncells; i++) {
		const struct cell *c = &s->cells[i];

		if (!regime_cell(c, r->g, fl, r->level, r->io_us) ||
		    (scoped && c->m && c->m->foreign != py))
			continue;
		if (!usable(c)) {
			r->failed++;
			continue;
		}
		if (!best || c->v[M_MAKESPAN][MED] < best->v[M_MAKESPAN][MED]) {
			second = best;
			best = c;
		} else if (!second || c->v[M_MAKESPAN][MED] < second->v[M_MAKESPAN][MED]) {
			second = c;
		}
		if (in_models(fl, c->m) &&
		    (!fbest || c->v[M_MAKESPAN][MED] < fbest->v[M_MAKESPAN][MED]))
			fbest = c;
	}
	r->best = best;
	r->second = second;
	r->fbest = fbest;
	r->v2 = r->vf = -1;
	if (best && second && (r->v2 = add_vd(s, cap, best, second)) < 0)
		return -ENOMEM;
	if (best && fbest && fbest != best) /* one test per pair */
		r->vf = fbest == second ? r->v2 : add_vd(s, cap, best, fbest);
	return best && fbest && fbest != best && r->vf < 0 ? -ENOMEM : 0;
}

static int add_row(struct set *s, size_t *rcap, size_t *vcap, const struct spec_grid *g,
		   const struct spec_folklore *fl, double level, double io_us, bool show_io)
{
	struct regime_row *r;

	if (s->nregimes == *rcap) {
		size_t ncap = *rcap ? 2 * *rcap : 16;
		struct regime_row *nr = realloc(s->regimes, ncap * sizeof(*nr));

		if (!nr)
			return -ENOMEM;
		s->regimes = nr;
		*rcap = ncap;
	}
	r = &s->regimes[s->nregimes++];
	*r = (struct regime_row){
		.g = g, .fl = fl, .level = level, .io_us = io_us, .show_io = show_io
	};
	return build_row(s, vcap, r);
}

int plots_regimes_build(struct set *s)
{
	size_t rcap = 0, vcap = 0;
	int rc = 0;

	for (size_t gi = 0; rc == 0 && gi < s->spec.n_grids; gi++) {
		const struct spec_grid *g = &s->spec.grids[gi];

		if (g == s->spec_grid)
			continue;
		for (size_t k = 0; rc == 0 && k < g->n_folklore; k++) {
			const struct spec_folklore *fl = &g->folklore[k];
			double level = regime_level(s, g, fl), ios[PLOTS_MAX_AXIS];
			size_t nio = 0;
			bool any_nan = false;

			for (size_t i = 0; i < s->ncells; i++) {
				const struct cell *c = &s->cells[i];

				if (strcmp(c->grid, g->name) != 0)
					continue;
				if (isnan(c->io_us))
					any_nan = true;
				else
					plots_axis_add(ios, &nio, c->io_us);
			}
			if (any_nan || nio == 0)
				rc = add_row(s, &rcap, &vcap, g, fl, level, NAN, false);
			for (size_t i = 0; rc == 0 && i < nio; i++)
				rc = add_row(s, &rcap, &vcap, g, fl, level, ios[i], nio > 1);
		}
	}
	if (rc == 0 && verdict_adjust(s->regime_vd, s->nregime_vd, VERDICT_BH) != 0)
		rc = -ENOMEM;
	if (rc) /* out of memory: no rows, as for a set without them */
		s->nregimes = 0;
	return rc;
}

const struct verdict *plots_regime_vd(const struct set *s, int i)
{
	return i >= 0 ? &s->regime_vd[i] : NULL;
}

static void regime_row_doc(const struct set *s, const struct regime_row *r, struct doc *d)
{
	const struct verdict *v2 = plots_regime_vd(s, r->v2), *vf = plots_regime_vd(s, r->vf);
	char a[64], c3[64], n3[96], lv[32], io[80] = "", r3[96], w[320];

	if (r->show_io && isfinite(r->io_us))
		snprintf(io, sizeof(io), ", %s", io_text(r->io_us, a, sizeof(a)));
	doc_row(d, false, r->g->name);
	doc_cell(d, "%s (grid %s%s, C=%s%s)", r->best && r->best->w ? r->best->w->label : "?",
		 r->g->name, io, plots_count(r->level, lv, sizeof(lv)),
		 r->scoped ? ", among the foreign models" : "");
	doc_cell(d, "%s", r->fl->says);
	if (!r->best) {
		doc_cell(d, "no valid cell (%zu failed)", r->failed);
		doc_cell(d, "-");
		doc_cell(d, "-");
	} else {
		doc_cell(d, "%s", words_regime_best(r->best, r->second, v2, w, sizeof(w)));
		if (!r->fbest) {
			doc_cell(d, "not measured");
			doc_cell(d, "no verdict");
		} else if (r->fbest == r->best) {
			doc_cell(d, "%s is fastest", mname(r->fbest, n3, sizeof(n3)));
			doc_cell(d, "%s", plots_regime_word(v2, vf, true));
		} else {
			doc_cell(d, "%s %s, %s behind", mname(r->fbest, n3, sizeof(n3)),
				 secs(r->fbest->v[M_MAKESPAN][MED], c3, sizeof(c3)),
				 vf->outcome == VERDICT_NA ? "?"
							   : verdict_ratio_str(vf, r3, sizeof(r3)));
			doc_cell(d, "%s", plots_regime_word(v2, vf, false));
		}
	}
	doc_row_end(d);
}

void plots_regimes_doc(const struct set *s, struct doc *d)
{
	static const char *const head[] = {
		"regime (where measured)", "the folklore says",
		"measured winner (makespan, median; ratio to the next [95% interval])",
		"the folklore's pick", "verdict"
	};

	if (!s->nregimes) {
		doc_para(d, "No grid besides the main one has folklore: lines.");
		return;
	}
	doc_table(d);
	doc_head(d, 5, head);
	for (size_t i = 0; i < s->nregimes; i++)
		regime_row_doc(s, &s->regimes[i], d);
	doc_table_end(d);
}

void plots_regimes_free(struct set *s)
{
	free(s->regimes);
	free(s->regime_vd);
	s->regimes = NULL;
	s->regime_vd = NULL;
	s->nregimes = s->nregime_vd = 0;
}
