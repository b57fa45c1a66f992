/* memfit.c - memory per task by regression: in the grid of role memory (else
 * the main grid's io cells), each model's PSS peak against concurrency,
 * fitted by least squares (GSL); the harness's own memory in the tree
 * (harness_kib, its workers' stats, resident from the base sample on) is
 * taken off first, so the line is the model's alone. The slope is what one more task in
 * flight costs, with its 95% interval from Student's t on n - 2 degrees
 * of freedom; the intercept is the model's fixed cost. Only cells that
 * passed their self-check and whose every rep took at least
 * PLOTS_MIN_SAMPLES samples count; a fit needs three concurrency levels.
 * The memory chart draws the slopes (data/memory.c), a finding quotes
 * them (findings/memfit.c). */
#include <errno.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_fit.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "set.h"

#define MEMFIT_MIN_LEVELS 3

bool plots_enough_samples(const struct cell *c)
{
	return isnan(c->samples_min) || c->samples_min >= PLOTS_MIN_SAMPLES;
}

/* The grid fitted: that of role memory when the set has its cells, else
 * the main one. */
static const char *fit_grid(const struct set *s)
{
	return plots_has_grid(s, s->memory_grid) ? s->memory_grid : s->grid;
}

/* Fit model k's cells; false when it has too few. */
static bool fit_model(const struct set *s, const char *grid, size_t k, struct memfit *out)
{
	double x[PLOTS_MAX_AXIS], y[PLOTS_MAX_AXIS], c0, c1, cov00, cov01, cov11, sumsq;
	size_t n = 0;

	for (size_t i = 0; i < s->ncells && n < PLOTS_MAX_AXIS; i++) {
		const struct cell *c = &s->cells[i];

		if (strcmp(c->grid, grid) != 0 || strcmp(c->model, s->models[k]) != 0 || !c->ok ||
		    c->one_slot || !plots_enough_samples(c) || !isfinite(c->pss_peak) ||
		    !isfinite(c->conc) || (c->share > 0 && strcmp(grid, s->memory_grid) != 0))
			continue;
		x[n] = c->conc;
		y[n++] = c->pss_peak - (isfinite(c->harness) ? c->harness : 0);
	}
	if (n < MEMFIT_MIN_LEVELS)
		return false;
	out->lo = out->hi = x[0];
	for (size_t i = 1; i < n; i++) {
		out->lo = fmin(out->lo, x[i]);
		out->hi = fmax(out->hi, x[i]);
	}
	if (out->lo == out->hi)
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

	free(s->fits);
	s->fits = NULL;
	s->nfits = 0;
	s->fit_grid = grid;
	if (grid && s->nmodels && !(s->fits = calloc(s->nmodels, sizeof(*s->fits))))
		return -ENOMEM;
	for (size_t k = 0; s->fits && k < s->nmodels; k++)
		s->nfits += fit_model(s, grid, k, &s->fits[s->nfits]);
	return 0;
}
