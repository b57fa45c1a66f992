/* speedup.c - CPU speedup over the one-slot model at the host's core count (or the
 * largest worker count below it), on the grid of role scaling. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/util.h"
#include "../../models/model.h"
#include "../kinds.h"
#include "../verdicts/verdicts.h"
#include "findings.h"

/* The one-slot baseline of the scaling grid, and the largest parallelism
 * of another cell that the host's cores can serve. */
static const struct cell *speedup_target(const struct set *s, double *target)
{
	const struct cell *base = NULL;

	*target = 0;
	for (size_t i = 0; i < s->ncells; i++) {
		const struct cell *c = &s->cells[i];
		double par = plots_parallelism(c);

		if (strcmp(c->grid, s->scaling_grid) != 0 || !plots_usable(c, M_MAKESPAN, true))
			continue;
		if (c->one_slot)
			base = base ? base : c;
		else if (par > *target && (!isfinite(s->cores) || par <= s->cores))
			*target = par;
	}
	return base;
}

/* The scaling cell of model k at parallelism target, if usable. */
static const struct cell *scaling_cell(const struct set *s, size_t k, double target)
{
	for (size_t i = 0; i < s->ncells; i++) {
		const struct cell *c = &s->cells[i];

		if (strcmp(c->grid, s->scaling_grid) == 0 && strcmp(c->model, s->models[k]) == 0 &&
		    !c->one_slot && plots_parallelism(c) == target &&
		    plots_usable(c, M_MAKESPAN, true))
			return c;
	}
	return NULL;
}

/* CPU speedup over the one-slot model at the host's core count (or the
 * largest worker count below it). */
static void say_speedup(const struct set *s, struct finding_out *o)
{
	char list[1024] = "", item[160], cores[16];
	double target;
	const struct cell *base = speedup_target(s, &target);
	size_t n = 0, count = 0;

	if (!base || target < 2)
		return;
	for (size_t k = 0; k < s->nmodels; k++)
		count += scaling_cell(s, k, target) != NULL;
	for (size_t k = 0; k < s->nmodels; k++) {
		const struct cell *c = scaling_cell(s, k, target);

		if (!c)
			continue;
		snprintf(item, sizeof(item), "%s %.2f×", c->model,
			 base->v[M_MAKESPAN][MED] / c->v[M_MAKESPAN][MED]);
		plots_join(list, sizeof(list), n++, count, item);
	}
	if (!count)
		return;
	fo_printf(o,
		  "- **CPU scaling.** On pure cpu work with %g workers (the host has %s cores, so "
		  "the ideal is %g×), the speedup over %s was: %s.\n",
		  target, plots_cores(s, cores, sizeof(cores)),
		  isfinite(s->cores) ? fmin(target, s->cores) : target, base->model, list);
}

const struct finding finding_speedup = {
	.key = "speedup",
	.section = FINDINGS_SECTION,
	.family = false,
	.fn = say_speedup,
};
