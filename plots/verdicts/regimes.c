/* plots_regimes.c - the regimes of the decision table beyond the main
 * grid: every folklore line of the spec's other grids gets a measured
 * verdict (decision-matrix.md, "Regimes beyond the matrix"), and the data
 * of the stall chart (a blocking call inside an event loop). Their
 * findings are in plots_findings.c. Models and workloads are known by
 * their traits only (plots_kinds.h). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/util.h"
#include "../models/model.h"
#include "../workloads/workload.h"
#include "plots.h"
#include "plots_kinds.h"

/* ---- the regimes table ---------------------------------------------- */

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

/* The regimes table's comparisons are one family for the correction:
 * a first pass collects their raw p values, the second prints with the
 * adjusted ones (the same rows in the same order). */
struct regimes_pass {
	struct verdict *vd; /* two per row: best vs next, best vs the folklore's pick */
	size_t n, cap;
	bool print;
	int nomem;
};

/* The next comparison of the pass: a against b, adjusted on printing. */
static struct verdict *pass_vd(struct regimes_pass *ps, const struct cell *a, const struct cell *b)
{
	static struct verdict none;

	if (ps->print)
		return ps->n < ps->cap ? &ps->vd[ps->n++] : &none;
	if (ps->n == ps->cap) {
		size_t cap = ps->cap ? 2 * ps->cap : 32;
		struct verdict *v = realloc(ps->vd, cap * sizeof(*v));

		if (!v) {
			ps->nomem = 1;
			return &none;
		}
		ps->vd = v;
		ps->cap = cap;
	}
	plots_compare(a, b, M_MAKESPAN, &ps->vd[ps->n]);
	return &ps->vd[ps->n++];
}

/* One row: the winner among the grid's valid cells at the level, against
 * the runner-up and against the best of the models the folklore names,
 * both by the verdict rule. */
static void regime_row(const struct set *s, FILE *f, const struct spec_grid *g,
		       const struct spec_folklore *fl, double level, double io_us, bool show_io,
		       struct regimes_pass *ps)
{
	const struct cell *best = NULL, *second = NULL, *fbest = NULL;
	char a[64], c3[64], n1[96], n2[96], n3[96], lv[32], io[80] = "", r[96];
	size_t failed = 0;
	struct verdict *v2 = NULL, *vf = NULL;
	bool won;
	/* a line whose models are all foreign (or all C) speaks of that
	 * runtime: its contest is among that runtime's models only */
	bool py = fl->n_models && fl->models[0]->foreign, scoped = fl->n_models > 0;

	for (size_t i = 0; i < fl->n_models; i++)
		scoped &= fl->models[i]->foreign == py;
	scoped &= py; /* C lines in a mixed grid still see every model */

	for (size_t i = 0; i < s->ncells; i++) {
		const struct cell *c = &s->cells[i];

		if (!regime_cell(c, g, fl, level, io_us) || (scoped && c->m && c->m->foreign != py))
			continue;
		if (!usable(c)) {
			failed++;
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
	if (best && second)
		v2 = pass_vd(ps, best, second);
	if (best && fbest && fbest != best)
		vf = fbest == second ? v2 : pass_vd(ps, best, fbest); /* one test per pair */
	if (!ps->print)
		return;
	if (show_io && isfinite(io_us))
		snprintf(io, sizeof(io), ", %s", io_text(io_us, a, sizeof(a)));
	fprintf(f, "| %s (grid %s%s, C=%s%s) | %s | ", best && best->w ? best->w->label : "?",
		g->name, io, plots_count(level, lv, sizeof(lv)),
		scoped ? ", among the foreign models" : "", fl->says);
	if (!best) {
		fprintf(f, "no valid cell (%zu failed) | - | - |\n", failed);
		return;
	}
	/* the best by median wins only when the test says it is ahead (a);
	 * the other way round (b clearly ahead by the means) is no win */
	won = v2 && v2->outcome == VERDICT_A;
	fprintf(f, "%s%s%s %s", won ? "**" : "", mname(best, n1, sizeof(n1)), won ? "**" : "",
		secs(best->v[M_MAKESPAN][MED], a, sizeof(a)));
	if (v2)
		fprintf(f, "; %s %s %s", won ? "ahead of" : "≈", mname(second, n2, sizeof(n2)),
			v2->outcome == VERDICT_NA ? "(too few reps to test)"
						  : verdict_ratio_str(v2, r, sizeof(r)));
	fprintf(f, " | ");
	if (!fbest)
		fprintf(f, "not measured | no verdict |\n");
	else if (fbest == best)
		fprintf(f, "%s is fastest | %s |\n", mname(fbest, n3, sizeof(n3)),
			plots_regime_word(v2, vf, true));
	else
		fprintf(f, "%s %s, %s behind | %s |\n", mname(fbest, n3, sizeof(n3)),
			secs(fbest->v[M_MAKESPAN][MED], c3, sizeof(c3)),
			vf->outcome == VERDICT_NA ? "?" : verdict_ratio_str(vf, r, sizeof(r)),
			plots_regime_word(v2, vf, false));
}

const char *plots_regime_word(const struct verdict *v2, const struct verdict *vf, bool pick_is_best)
{
	if (pick_is_best) /* the folklore's pick is fastest: agrees if it clearly wins */
		return v2 && v2->outcome == VERDICT_A ? "**agrees**" : "tie";
	/* the fastest is another model: disagrees only if it is clearly ahead */
	return vf && vf->outcome == VERDICT_A ? "disagrees" : "tie";
}

static void regimes_rows(const struct set *s, FILE *f, struct regimes_pass *ps, size_t *rows)
{
	for (size_t gi = 0; gi < s->spec.n_grids; gi++) {
		const struct spec_grid *g = &s->spec.grids[gi];

		if (g == s->spec_grid)
			continue;
		for (size_t k = 0; k < g->n_folklore; k++) {
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
			if (ps->print && !(*rows)++)
				fprintf(f, "| regime (where measured) | the folklore says | "
					   "measured winner (makespan, median; ratio to the next "
					   "[95%% interval]) | the folklore's pick | "
					   "verdict |\n|---|---|---|---|---|\n");
			if (any_nan || nio == 0)
				regime_row(s, f, g, fl, level, NAN, false, ps);
			for (size_t i = 0; i < nio; i++)
				regime_row(s, f, g, fl, level, ios[i], nio > 1, ps);
		}
	}
}

void plots_regimes_table(const struct set *s, FILE *f)
{
	struct regimes_pass ps = { 0 };
	size_t rows = 0;

	regimes_rows(s, f, &ps, &rows);
	if (!ps.nomem && verdict_adjust(ps.vd, ps.n, VERDICT_BH) == 0) {
		ps.cap = ps.n;
		ps.n = 0;
		ps.print = true;
		regimes_rows(s, f, &ps, &rows);
	}
	free(ps.vd);
	if (!rows)
		fprintf(f, "No grid besides the main one has folklore: lines.\n");
}

/* ---- the blocking chart ------------------------------------------------ */

/* plotdata/blocking-MODEL.dat: concurrency, makespan med min max (s), p99
 * med min max (ms) of the blocking workload's cells; vars blocking_models,
 * blocking_title, blocking_note. */
int plots_write_blocking(struct set *s)
{
	char models[PLOTS_LIST_LEN] = "", note[PLOTS_NOTE_LEN] = "", name[160], a[48];
	const char *grid = NULL;
	double io = NAN;

	for (size_t k = 0; k < s->nmodels; k++) {
		double lv[PLOTS_MAX_AXIS];
		size_t nlv = 0;
		FILE *f = NULL;

		for (size_t i = 0; i < s->ncells; i++) {
			const struct cell *c = &s->cells[i];

			if (wl_blocking_io(c->w) && strcmp(c->model, s->models[k]) == 0 &&
			    (!grid || strcmp(c->grid, grid) == 0)) {
				grid = c->grid;
				io = c->io_us;
				plots_axis_add(lv, &nlv, c->conc);
			}
		}
		for (size_t j = 0; j < nlv; j++) {
			const struct cell *c = NULL;

			for (size_t i = 0; i < s->ncells && !c; i++)
				if (wl_blocking_io(s->cells[i].w) &&
				    strcmp(s->cells[i].model, s->models[k]) == 0 &&
				    strcmp(s->cells[i].grid, grid) == 0 &&
				    s->cells[i].conc == lv[j])
					c = &s->cells[i];
			if (!c)
				continue;
			if (!usable(c)) {
				snprintf(name, sizeof(name), "%s@%g", c->model, c->conc);
				plots_list_add(note, sizeof(note), name);
				continue;
			}
			if (!f) {
				snprintf(name, sizeof(name), "blocking-%s", s->models[k]);
				f = plots_dat_open(
					s, name, s->models[k],
					"concurrency  makespan_s med min max  p99_ms med min "
					"max");
				if (!f)
					return -EIO;
			}
			fprintf(f, "%g %.6g %.6g %.6g %.6g %.6g %.6g\n", c->conc,
				c->v[M_MAKESPAN][MED], c->v[M_MAKESPAN][MIN], c->v[M_MAKESPAN][MAX],
				c->v[M_P99][MED] / 1e3, c->v[M_P99][MIN] / 1e3,
				c->v[M_P99][MAX] / 1e3);
		}
		if (f) {
			if (fclose(f) != 0)
				return -errno;
			plots_list_add(models, sizeof(models), s->models[k]);
		}
	}
	plots_var_str(s, "blocking_models", "%s", models);
	if (!*models)
		plots_no_chart(s, "stall");
	if (grid)
		plots_var_str(s, "blocking_title",
			      "every task waits %s in a blocking call (grid %s)",
			      fmt_us(a, sizeof(a), io, FMT_PROSE), grid);
	else
		plots_var_str(s, "blocking_title", "%s", "no cells of a blocking workload");
	plots_var_str(s, "blocking_note", "%s%s", *note ? "failed, not drawn: " : "", note);
	return 0;
}
