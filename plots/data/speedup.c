/* speedup.c - the speedup chart (speedup.gp): pure cpu work on the grid of
 * role scaling, the one-slot model's makespan over each model's, against
 * the CPUs the model can use, and the ideal min(workers, cores). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "charts.h"

/* The scaling grid's one-slot baseline, its x values and failed cells. */
static const struct cell *scaling_base(const struct set *s, double *xs, size_t *nxs, char *note,
				       size_t notelen)
{
	const struct cell *base = NULL;
	char name[160];

	for (size_t i = 0; i < s->ncells; i++) {
		const struct cell *c = &s->cells[i];

		if (strcmp(c->grid, s->scaling_grid) != 0)
			continue;
		if (c->one_slot && plots_usable(c, M_MAKESPAN, true) && !base)
			base = c;
		plots_axis_add(xs, nxs, plots_parallelism(c));
		if (!c->ok) {
			snprintf(name, sizeof(name), "%s@%g", c->model, plots_parallelism(c));
			plots_list_add(note, notelen, name);
		}
	}
	return base;
}

/* The scaling cell of model k at parallelism x, or NULL. */
static const struct cell *scaling_cell(const struct set *s, size_t k, double x)
{
	for (size_t i = 0; i < s->ncells; i++) {
		const struct cell *c = &s->cells[i];

		if (strcmp(c->grid, s->scaling_grid) == 0 && strcmp(c->model, s->models[k]) == 0 &&
		    plots_parallelism(c) == x && plots_usable(c, M_MAKESPAN, true))
			return c;
	}
	return NULL;
}

/* The speedup points of model k; *drawn says whether there are any. */
static int speedup_points(const struct set *s, size_t k, const struct cell *base, const double *xs,
			  size_t nxs, double *xmax, bool *drawn)
{
	double b = base->v[M_MAKESPAN][MED];
	char name[160];
	FILE *f = NULL;

	for (size_t j = 0; j < nxs; j++) {
		const struct cell *c = scaling_cell(s, k, xs[j]);
		const double *v;

		if (!c)
			continue;
		if (!f) {
			snprintf(name, sizeof(name), "speedup-%s", s->models[k]);
			f = plots_dat_open(
				s, name, s->models[k],
				"workers  speedup  low (at max makespan)  high (at min)");
			if (!f)
				return -EIO;
		}
		v = c->v[M_MAKESPAN];
		fprintf(f, "%g %.4f %.4f %.4f\n", xs[j], b / v[MED], b / fmax(v[MAX], v[MED]),
			b / fmin(v[MIN] > 0 ? v[MIN] : INFINITY, v[MED]));
		*xmax = fmax(*xmax, xs[j]);
	}
	*drawn = f != NULL;
	return f && fclose(f) != 0 ? -errno : 0;
}

/* The ideal line: min(workers, cores), up to xmax. */
static int speedup_ideal(const struct set *s, double xmax)
{
	FILE *f = plots_dat_open(s, "speedup-ideal", "ideal speedup: min(workers, cores)",
				 "workers  speedup");

	if (!f)
		return -EIO;
	fprintf(f, "1 1\n");
	if (isfinite(s->cores) && s->cores > 1 && s->cores < xmax)
		fprintf(f, "%g %g\n", s->cores, s->cores);
	fprintf(f, "%g %g\n", xmax, isfinite(s->cores) ? fmin(xmax, s->cores) : xmax);
	return fclose(f) != 0 ? -errno : 0;
}

static int write_speedup(struct set *s)
{
	char models[PLOTS_LIST_LEN] = "", note[PLOTS_NOTE_LEN] = "";
	double xs[PLOTS_MAX_AXIS], xmax = 1;
	size_t nxs = 0;
	const struct cell *base = scaling_base(s, xs, &nxs, note, sizeof(note));
	bool drawn;
	int rc;

	for (size_t k = 0; base && k < s->nmodels; k++) {
		if ((rc = speedup_points(s, k, base, xs, nxs, &xmax, &drawn)))
			return rc;
		if (drawn)
			plots_list_add(models, sizeof(models), s->models[k]);
	}
	if (isfinite(s->cores) && s->cores > xmax)
		xmax = s->cores;
	if ((rc = speedup_ideal(s, xmax)))
		return rc;
	plots_var_str(s, "speedup_models", "%s", models);
	fprintf(s->vars, "speedup_xmax = %g\n", xmax);
	if (!base && !*s->scaling_grid)
		plots_var_str(s, "speedup_note", "no grid of role scaling: no baseline");
	else if (!base)
		plots_var_str(s, "speedup_note", "no valid %s cell in grid '%s': no baseline",
			      plots_one_slot_model(s), s->scaling_grid);
	else if (*note)
		plots_var_str(s, "speedup_note", "failed, not drawn: %s", note);
	else
		plots_var_str(s, "speedup_note", "%s", "");
	return *models ? 0 : CHART_EMPTY;
}

const struct chart chart_speedup = {
	.name = "speedup",
	.title = "CPU speedup vs workers",
	.write = write_speedup,
	.script = "speedup.gp",
};
