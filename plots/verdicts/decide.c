/* plots_matrix.c - the decision matrix: a verdict per criterion for every
 * (share, concurrency) of the main grid (plots/matrix.c decides),
 * in words for decision-matrix.md and as heatmap data for matrix.gp. What
 * the folklore says for each share comes from the spec's folklore: lines. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/cmdutil.h"
#include "../models/model.h"
#include "plots.h"

const struct criterion plots_criteria[NCRIT] = {
	{ "time", "time (makespan)", M_MAKESPAN },
	{ "p99", "p99 latency", M_P99 },
	{ "memory", "memory per task (PSS)", M_MEM },
};

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

int plots_decide_all(struct set *s)
{
	s->mc = calloc(s->ncells ? s->ncells : 1, sizeof(*s->mc));
	s->mc_src = calloc(s->ncells ? s->ncells : 1, sizeof(*s->mc_src));
	if (!s->mc || !s->mc_src)
		return -ENOMEM;
	for (size_t k = 0; k < NCRIT; k++) {
		matrix_input(s, k);
		if (matrix_decide(s->mc, s->nmc, &s->verdict[k], &s->nverdict[k]))
			return -ENOMEM;
	}
	return 0;
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
		"gives p < %.2f and the ratio is at least %.2f×; otherwise a **tie**, and a cell "
		"with fewer than %d reps a side is always a tie. "
		"`%s` runs one task at a time, so its one cell per share competes at every "
		"concurrency level. A cell that failed (lost tasks, errors or unequal checksums) "
		"never wins; it is counted in [brackets].\n\n",
		VERDICT_ALPHA, VERDICT_MIN_RATIO, VERDICT_MIN_N, plots_one_slot_model(s));
}

/* "yes", "tie", "**no**" or "n/a" for the folklore column. */
static const char *agrees_text(const struct set *s, const struct matrix_verdict *v)
{
	int ag = plots_folklore_agrees(s, v);

	if (ag < 0)
		return "n/a";
	return ag == 2 ? "tie" : ag ? "yes" : "**no**";
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
		   "of another disagrees, anything else is a tie).\n\n");
	plots_regimes_table(s, f);
	plots_openloop_md(s, f);
	if (fclose(f) != 0) {
		cmd_say("plots", "%s: %s", path, strerror(errno));
		return -errno;
	}
	return 0;
}

/* The two label lines of a heatmap cell: the winner's short label, then
 * its margin (or the runner-up it ties with). */
static int heat_labels(const struct set *s, const struct matrix_verdict *v, char *l1, char *l2,
		       size_t n)
{
	if (v->winner < 0) {
		snprintf(l1, n, "failed");
		snprintf(l2, n, "%d cells", v->nfailed);
		return s->fail_lt;
	}
	snprintf(l1, n, "%s", plots_label(s, (size_t)s->mc_src[v->winner]->lt - 1));
	if (v->runner_up < 0)
		snprintf(l2, n, "only one");
	else if (v->tie)
		snprintf(l2, n, "≈ %s", plots_label(s, (size_t)s->mc_src[v->runner_up]->lt - 1));
	else if (!isfinite(v->vd.ratio))
		snprintf(l2, n, "far ahead");
	else if (v->vd.ratio >= 1.5)
		snprintf(l2, n, "%.1f×", v->vd.ratio);
	else
		snprintf(l2, n, "+%.0f%%", (v->vd.ratio - 1) * 100);
	return s->mc_src[v->winner]->lt;
}

/* plotdata/matrix-<key>.dat of criterion k. */
static int heat_file(struct set *s, size_t k)
{
	char name[64], l1[48], l2[48];
	FILE *f;

	snprintf(name, sizeof(name), "matrix-%s", plots_criteria[k].key);
	f = plots_dat_open(s, name, plots_criteria[k].title,
			   "share_index  level_index  linetype  tie  \"winner\"  \"margin\"");
	if (!f)
		return -EIO;
	for (size_t i = 0; i < s->nverdict[k]; i++) {
		const struct matrix_verdict *v = &s->verdict[k][i];
		int lt = heat_labels(s, v, l1, l2, sizeof(l1));

		fprintf(f, "%zu %zu %d %d \"%s\" \"%s\"\n",
			plots_axis_index(s->shares, s->nshares, v->share_pct),
			plots_axis_index(s->levels, s->nlevels, v->concurrency), lt, v->tie, l1,
			l2);
	}
	return fclose(f) != 0 ? -errno : 0;
}

/* plotdata/matrix-<key>.dat: x index, y index, line type, tie, two label
 * lines; and the tic positions in vars.gp (single-quoted labels). */
int plots_write_heatmap_data(struct set *s)
{
	char tics[1024] = "", labels[1024] = "", item[64], cnt[32];
	int rc;

	if (!s->nverdict[0])
		plots_no_chart(s, "matrix");
	/* the key lists the models that win a cell, no other */
	for (size_t m = 0; m < s->nmodels; m++) {
		bool wins = false;

		for (size_t k = 0; k < NCRIT && !wins; k++)
			for (size_t i = 0; i < s->nverdict[k] && !wins; i++)
				wins = s->verdict[k][i].winner >= 0 &&
				       (size_t)s->mc_src[s->verdict[k][i].winner]->lt == m + 1;
		if (!wins)
			continue;
		plots_list_add(tics, sizeof(tics), s->models[m]);
		snprintf(item, sizeof(item), "%s", plots_label(s, m));
		for (char *p = item; *p; p++)
			if (*p == ' ')
				*p = '_';
		plots_list_add(labels, sizeof(labels), item);
	}
	plots_var_str(s, "matrix_models", "%s", tics);
	plots_var_str(s, "matrix_labels", "%s", labels);
	tics[0] = '\0';
	for (size_t k = 0; k < NCRIT; k++)
		if ((rc = heat_file(s, k)))
			return rc;
	for (size_t i = 0; i < s->nshares; i++) {
		snprintf(item, sizeof(item), "%s'%g%%%%' %zu", i ? ", " : "", s->shares[i], i);
		strncat(tics, item, sizeof(tics) - strlen(tics) - 1);
	}
	plots_var_str(s, "matrix_xtics", "(%s)", tics);
	tics[0] = '\0';
	for (size_t i = 0; i < s->nlevels; i++) {
		snprintf(item, sizeof(item), "%s'%s' %zu", i ? ", " : "",
			 plots_count(s->levels[i], cnt, sizeof(cnt)), i);
		strncat(tics, item, sizeof(tics) - strlen(tics) - 1);
	}
	plots_var_str(s, "matrix_ytics", "(%s)", tics);
	fprintf(s->vars, "matrix_nx = %zu\nmatrix_ny = %zu\nfail_lt = %d\n", s->nshares, s->nlevels,
		s->fail_lt);
	return 0;
}
