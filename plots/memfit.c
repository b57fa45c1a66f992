/* plots_memfit.c - memory per task by regression: in the memory grid (else
 * the main grid's io cells), each model's PSS peak against concurrency,
 * fitted by least squares (GSL); the harness's own memory in the tree
 * (harness_kib, its workers' stats, resident from the base sample on) is
 * taken off first, so the line is the model's alone. The slope is what one more task in
 * flight costs, with its 95% interval from Student's t on n - 2 degrees
 * of freedom; the intercept is the model's fixed cost. Only cells that
 * passed their self-check and whose every rep took at least
 * PLOTS_MIN_SAMPLES samples count; a fit needs three concurrency levels.
 * Also the warnings of single runs: too few samples, efficiency above
 * the bound (RESULT_EFFICIENCY_MAX). */
#include <errno.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_fit.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../harness/result.h"
#include "../lib/util.h"
#include "plots.h"

#define MEMFIT_MIN_LEVELS 3

static bool enough_samples(const struct cell *c)
{
	return isnan(c->samples_min) || c->samples_min >= PLOTS_MIN_SAMPLES;
}

/* The grid fitted: "memory" when the set has it, else the main one. */
static const char *fit_grid(const struct set *s)
{
	for (size_t i = 0; i < s->ncells; i++)
		if (strcmp(s->cells[i].grid, "memory") == 0)
			return "memory";
	return s->grid;
}

/* Fit model k's cells; false when it has too few. */
static bool fit_model(const struct set *s, const char *grid, size_t k, struct memfit *out,
		      double *lo, double *hi)
{
	double x[PLOTS_MAX_AXIS], y[PLOTS_MAX_AXIS], c0, c1, cov00, cov01, cov11, sumsq;
	size_t n = 0;

	for (size_t i = 0; i < s->ncells && n < PLOTS_MAX_AXIS; i++) {
		const struct cell *c = &s->cells[i];

		if (strcmp(c->grid, grid) != 0 || strcmp(c->model, s->models[k]) != 0 || !c->ok ||
		    c->one_slot || !enough_samples(c) || !isfinite(c->pss_peak) ||
		    !isfinite(c->conc) || (c->share > 0 && strcmp(grid, "memory") != 0))
			continue;
		x[n] = c->conc;
		y[n++] = c->pss_peak - (isfinite(c->harness) ? c->harness : 0);
	}
	if (n < MEMFIT_MIN_LEVELS)
		return false;
	*lo = *hi = x[0];
	for (size_t i = 1; i < n; i++) {
		*lo = fmin(*lo, x[i]);
		*hi = fmax(*hi, x[i]);
	}
	if (*lo == *hi)
		return false;
	gsl_fit_linear(x, 1, y, 1, n, &c0, &c1, &cov00, &cov01, &cov11, &sumsq);
	out->model = s->models[k];
	out->n = n;
	out->slope = c1;
	out->fixed = c0;
	out->ci = gsl_cdf_tdist_Pinv(0.975, (double)(n - 2)) * sqrt(cov11);
	return true;
}

int plots_memfit(struct set *s)
{
	const char *grid = fit_grid(s);
	char list[PLOTS_LIST_LEN] = "", name[160];
	double lo, hi;

	free(s->fits);
	s->fits = NULL;
	s->nfits = 0;
	s->fit_grid = grid;
	if (grid && s->nmodels)
		s->fits = calloc(s->nmodels, sizeof(*s->fits));
	for (size_t k = 0; s->fits && k < s->nmodels; k++) {
		struct memfit *f = &s->fits[s->nfits];
		FILE *d;

		if (!fit_model(s, grid, k, f, &lo, &hi))
			continue;
		s->nfits++;
		/* memory.png: the slope, KiB per task, across the levels fitted */
		snprintf(name, sizeof(name), "memfit-%s", f->model);
		d = plots_dat_open(s, name, f->model, "concurrency  slope_kib");
		if (!d)
			return -EIO;
		fprintf(d, "%g %.6g\n%g %.6g\n", lo, f->slope, hi, f->slope);
		if (fclose(d) != 0)
			return -errno;
		plots_list_add(list, sizeof(list), f->model);
	}
	if (s->vars)
		plots_var_str(s, "memfit_models", "%s", list);
	return 0;
}

void plots_memfit_report(const struct set *s, FILE *f)
{
	char list[2048] = "", item[192], a[32], b[32], c[32];

	for (size_t i = 0; i < s->nfits; i++) {
		const struct memfit *m = &s->fits[i];

		snprintf(item, sizeof(item), "%s %s ± %s per task (fixed %s, %zu levels)", m->model,
			 fmt_kib(a, sizeof(a), m->slope, FMT_PROSE),
			 fmt_kib(b, sizeof(b), m->ci < 0.05 ? 0 : m->ci, FMT_PROSE),
			 fmt_kib(c, sizeof(c), m->fixed, FMT_PROSE), m->n);
		plots_join(list, sizeof(list), i, s->nfits, item);
	}
	if (s->nfits)
		fprintf(f,
			"- **Memory by regression.** PSS peak (less the harness's own, "
			"harness_kib) "
			"against concurrency (grid %s), least squares per model; the slope is what "
			"one more task in flight "
			"costs (± its 95%% interval), the intercept the fixed cost: %s.\n",
			s->fit_grid, list);
}

void plots_run_warnings(const struct set *s, FILE *f)
{
	char few[1024] = "", over[1024] = "", item[160];
	size_t nfew = 0, nover = 0;

	for (size_t i = 0; i < s->ncells; i++) {
		const struct cell *c = &s->cells[i];

		if (strcmp(c->grid, "memory") == 0 && !enough_samples(c)) {
			snprintf(item, sizeof(item), "%s`%s` (%g)", nfew ? ", " : "", c->id,
				 c->samples_min);
			strncat(few, item, sizeof(few) - strlen(few) - 1);
			nfew++;
		}
		if (isfinite(c->eff_max) && c->eff_max > RESULT_EFFICIENCY_MAX) {
			snprintf(item, sizeof(item), "%s`%s` (%.2f)", nover ? ", " : "", c->id,
				 c->eff_max);
			strncat(over, item, sizeof(over) - strlen(over) - 1);
			nover++;
		}
	}
	if (nfew)
		fprintf(f,
			"- **Self-check warning: too few samples.** %zu memory cell(s) had a run "
			"with fewer than %d monitor samples, so the peak may have been missed; "
			"their peaks are not quoted: %s.\n",
			nfew, PLOTS_MIN_SAMPLES, few);
	if (nover)
		fprintf(f,
			"- **Self-check warning: efficiency above the bound.** %zu cell(s) had a "
			"run with efficiency above %.2f (efficiency_note above_bound): a run "
			"cannot beat its lower bound, so w (cpu_us_per_task) was measured too "
			"high there and those efficiencies are wrong figures: %s.\n",
			nover, RESULT_EFFICIENCY_MAX, over);
}
