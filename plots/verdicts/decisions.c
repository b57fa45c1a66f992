/* decisions.c - DIR/decisions.json: the decision matrix for
 * programs, from the very verdicts that write decision-matrix.md
 * (plots_decide_all, matrix.c): per grid cell and criterion
 * the verdict (winner, equivalent, inconclusive, alone), the winner, the
 * runner-up, the tie and its members (equivalent ones apart), the reps an
 * inconclusive cell needs, the choice by the next criterion where time is
 * equivalent, the ratio, the
 * figures behind them and the cell's sentence exactly as decision-matrix.md
 * has it. `cmbench report` embeds the same JSON in report.html, where the
 * picker only looks answers up. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../../lib/cmdutil.h"
#include "verdicts.h"

/* The 95% interval of a verdict's ratio, NAN when the rule gives none. */
static void ratio_interval(const struct matrix_verdict *v, double *lo, double *hi)
{
	bool tested = v->runner_up >= 0 && v->vd.outcome != VERDICT_NA;

	*lo = tested ? v->vd.ci_lo : NAN;
	*hi = tested ? v->vd.ci_hi : NAN;
}

static void num(FILE *f, double v)
{
	if (isfinite(v))
		fprintf(f, "%.6g", v);
	else
		fputs("null", f);
}

/* A model's figures for criterion k: "med", "min", "max", "reps", "value". */
static void figures(FILE *f, const struct set *s, size_t k, int idx)
{
	const struct cell *c = s->mc_src[idx];
	enum metric m = plots_criteria[k].m;
	char val[48];

	fputs("{\"model\":", f);
	json_str(f, c->model);
	fputs(",\"med\":", f);
	num(f, c->v[m][MED]);
	fputs(",\"min\":", f);
	num(f, c->v[m][MIN]);
	fputs(",\"max\":", f);
	num(f, c->v[m][MAX]);
	fputs(",\"reps\":", f);
	num(f, c->reps);
	fputs(",\"value\":", f);
	json_str(f, plots_cell_value(c, k, c->v[m][MED], val, sizeof(val)));
	fputs(",\"range\":", f);
	json_str(f, plots_cell_value(c, k, c->v[m][MIN], val, sizeof(val)));
	fputs(",\"range_hi\":", f);
	json_str(f, plots_cell_value(c, k, c->v[m][MAX], val, sizeof(val)));
	fputs("}", f);
}

static void verdict(FILE *f, const struct set *s, size_t k, const struct matrix_verdict *v)
{
	char text[1024];
	double lo, hi;

	fputs("{\"text\":", f);
	json_str(f, plots_verdict_text(s, k, v, text, sizeof(text)));
	if (!v) {
		fputs("}", f);
		return;
	}
	fputs(",\"winner\":", f);
	if (v->winner >= 0)
		figures(f, s, k, v->winner);
	else
		fputs("null", f);
	fputs(",\"runner_up\":", f);
	if (v->runner_up >= 0)
		figures(f, s, k, v->runner_up);
	else
		fputs("null", f);
	fputs(",\"verdict\":", f);
	json_str(f, matrix_word(v));
	fputs(",\"more_reps\":", f);
	num(f, v->outcome == MATRIX_INCONCLUSIVE && v->more > 0 ? (double)v->more : NAN);
	fputs(",\"equivalent\":[", f);
	for (int i = 0; i < v->nequiv; i++) {
		fputs(i ? "," : "", f);
		json_str(f, plots_vmodel(s, v->equiv[i]));
	}
	fputs("],\"next\":", f);
	{
		struct verdict nv;
		int idx;
		size_t by;

		if (k == 0 && plots_next_choice(s, v, &idx, &by, &nv) == 1) {
			fputs("{\"model\":", f);
			json_str(f, plots_vmodel(s, idx));
			fputs(",\"by\":", f);
			json_str(f, plots_criteria[by].key);
			fputs(",\"ratio\":", f);
			num(f, nv.ratio);
			fputs(",\"ratio_lo\":", f);
			num(f, nv.ci_lo);
			fputs(",\"ratio_hi\":", f);
			num(f, nv.ci_hi);
			fputs(",\"text\":", f);
			json_str(f, plots_next_text(s, v, text, sizeof(text)));
			fputs("}", f);
		} else {
			fputs("null", f);
		}
	}
	fprintf(f, ",\"tie\":%s,\"tied\":[", v->tie ? "true" : "false");
	for (int i = 0; i < v->ntied; i++) {
		fputs(i ? "," : "", f);
		json_str(f, plots_vmodel(s, v->tied[i]));
	}
	fputs("],\"untested\":[", f);
	for (int i = 0; i < v->nuntested; i++) {
		fputs(i ? "," : "", f);
		json_str(f, plots_vmodel(s, v->untested[i]));
	}
	fputs("],\"ratio\":", f);
	num(f, v->runner_up >= 0 ? v->vd.ratio : NAN);
	ratio_interval(v, &lo, &hi);
	fputs(",\"ratio_lo\":", f);
	num(f, lo);
	fputs(",\"ratio_hi\":", f);
	num(f, hi);
	fputs(",\"p_adj\":", f);
	num(f, v->runner_up >= 0 && v->vd.outcome != VERDICT_NA ? v->vd.p_adj : NAN);
	fprintf(f, ",\"tested\":%s",
		v->runner_up >= 0 && v->vd.outcome != VERDICT_NA ? "true" : "false");
	fprintf(f, ",\"valid\":%d,\"failed\":%d}", v->nvalid, v->nfailed);
}

void plots_decisions_json(const struct set *s, FILE *f)
{
	char reg[64], rule[1024];

	fputs("{\"set\":", f);
	json_str(f, s->run_id);
	fputs(",\"grid\":", f);
	json_str(f, s->grid ? s->grid : "");
	{
		double alpha = VERDICT_ALPHA, margin = VERDICT_MARGIN;

		if (s->spec.n_grids)
			spec_grid_rule(&s->spec, s->spec_grid, &alpha, &margin);
		fprintf(f, ",\"alpha\":%g,\"margin\":%g,\"min_ratio\":%g,\"tie_rule\":", alpha,
			margin, VERDICT_MIN_RATIO);
	}
	json_str(f, plots_tie_rule(rule, sizeof(rule)));
	fputs(",\"one_slot\":", f);
	json_str(f, plots_one_slot_model(s));
	fputs(",\"shares\":[", f);
	for (size_t i = 0; i < s->nshares; i++)
		fprintf(f, "%s%g", i ? "," : "", s->shares[i]);
	fputs("],\"regimes\":[", f);
	for (size_t i = 0; i < s->nshares; i++) {
		fputs(i ? "," : "", f);
		json_str(f, plots_regime(s->shares[i], reg, sizeof(reg)));
	}
	fputs("],\"levels\":[", f);
	for (size_t i = 0; i < s->nlevels; i++)
		fprintf(f, "%s%g", i ? "," : "", s->levels[i]);
	fputs("],\"criteria\":[", f);
	for (size_t k = 0; k < NCRIT; k++) {
		fputs(k ? "," : "", f);
		fputs("{\"key\":", f);
		json_str(f, plots_criteria[k].key);
		fputs(",\"title\":", f);
		json_str(f, plots_criteria[k].title);
		fputs("}", f);
	}
	fputs("],\"cells\":[", f);
	for (size_t i = 0; i < s->nverdict[0]; i++) {
		const struct matrix_verdict *v = &s->verdict[0][i];

		fprintf(f, "%s\n{\"share\":%g,\"concurrency\":%g", i ? "," : "", v->share_pct,
			v->concurrency);
		for (size_t k = 0; k < NCRIT; k++) {
			fputs(",", f);
			json_str(f, plots_criteria[k].key);
			fputs(":", f);
			verdict(f, s, k, plots_verdict_at(s, k, v->share_pct, v->concurrency));
		}
		fputs("}", f);
	}
	fputs("]}\n", f);
}

int plots_write_decisions(const struct set *s)
{
	char path[PLOTS_PATH_LEN];
	FILE *f;

	snprintf(path, sizeof(path), "%s/decisions.json", s->dir);
	f = fopen(path, "w");
	if (!f) {
		cmd_say("plots", "%s: %s", path, strerror(errno));
		return -errno;
	}
	plots_decisions_json(s, f);
	if (fclose(f) != 0) {
		cmd_say("plots", "%s: %s", path, strerror(errno));
		return -errno;
	}
	return 0;
}
