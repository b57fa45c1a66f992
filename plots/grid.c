/* grid.c - the grids of a set by their spec's `role:`, the main grid with
 * its shares, levels and panels, and the lookups every floor above asks:
 * a cell by grid, model, share and level; a model's label, colour and
 * the first model of some traits. */
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../models/model.h"
#include "../workloads/workload.h"
#include "set.h"

#define OTHER_COLOR "#009E73" /* a model this cmbench does not know */

const char *plots_grid_of_role(const struct set *s, const char *role)
{
	bool any = false;

	for (size_t i = 0; i < s->spec.n_grids; i++) {
		if (strcmp(s->spec.grids[i].role, role) == 0)
			return s->spec.grids[i].name;
		any |= s->spec.grids[i].role[0] != '\0';
	}
	return any ? "" : role;
}

bool plots_has_grid(const struct set *s, const char *grid)
{
	for (size_t i = 0; i < s->ncells; i++)
		if (strcmp(s->cells[i].grid, grid) == 0)
			return true;
	return false;
}

void plots_axis_add(double *axis, size_t *n, double v)
{
	size_t i;

	if (!isfinite(v) || *n == PLOTS_MAX_AXIS)
		return;
	for (i = 0; i < *n && axis[i] < v; i++)
		;
	if (i < *n && axis[i] == v)
		return;
	memmove(axis + i + 1, axis + i, (*n - i) * sizeof(*axis));
	axis[i] = v;
	(*n)++;
}

size_t plots_axis_index(const double *axis, size_t n, double v)
{
	for (size_t i = 0; i < n; i++)
		if (axis[i] == v)
			return i;
	return n;
}

/* A panel for share, keyed by the plain workload of that share. */
static void add_panel(struct set *s, double share)
{
	const struct workload_ops *w = workload_by_parts(share<100, share> 0);
	struct panel *p = &s->panels[s->npanels];

	if (!w)
		return;
	snprintf(p->key, sizeof(p->key), "%s", w->name);
	for (char *c = p->key; *c; c++)
		if (!isalnum((unsigned char)*c))
			*c = '_'; /* a part of gnuplot variable names */
	p->share = share;
	s->npanels++;
}

/* Pick the main grid (role matrix, else the first that is not the scaling one), its
 * shares and levels, and the io / mixed / cpu panels. */
void plots_plan_grid(struct set *s)
{
	double mid = NAN;

	s->scaling_grid = plots_grid_of_role(s, "scaling");
	s->memory_grid = plots_grid_of_role(s, "memory");
	s->offload_grid = plots_grid_of_role(s, "offload");
	s->grid = plots_grid_of_role(s, "matrix");
	for (size_t i = 0; !plots_has_grid(s, s->grid) && i < s->ncells; i++)
		if (strcmp(s->cells[i].grid, s->scaling_grid) != 0)
			s->grid = s->cells[i].grid;
	s->spec_grid = spec_grid_find(&s->spec, s->grid);
	for (size_t i = 0; i < s->ncells; i++) {
		const struct cell *c = &s->cells[i];

		if (strcmp(c->grid, s->grid) != 0 || isnan(c->share))
			continue;
		plots_axis_add(s->shares, &s->nshares, c->share);
		plots_axis_add(s->levels, &s->nlevels, c->conc);
	}
	for (size_t i = 0; i < s->nshares; i++)
		if (s->shares[i] > 0 && s->shares[i] < 100 &&
		    (isnan(mid) || fabs(s->shares[i] - 50) < fabs(mid - 50)))
			mid = s->shares[i];
	if (s->nshares && s->shares[0] == 0)
		add_panel(s, 0);
	if (!isnan(mid))
		add_panel(s, mid);
	if (s->nshares && s->shares[s->nshares - 1] == 100)
		add_panel(s, 100);
}

const struct cell *plots_find_cell(const struct set *s, const char *grid, const char *model,
				   double share, double conc, bool want_failed)
{
	for (size_t i = 0; i < s->ncells; i++) {
		const struct cell *c = &s->cells[i];

		if (strcmp(c->grid, grid) != 0 || strcmp(c->model, model) != 0 ||
		    c->share != share || (c->conc != conc && !c->one_slot))
			continue;
		if (c->ok || want_failed)
			return c;
	}
	return NULL;
}

bool plots_usable(const struct cell *c, enum metric m, bool log_axis)
{
	return c->ok && isfinite(c->v[m][MED]) && (!log_axis || c->v[m][MED] > 0);
}

double plots_parallelism(const struct cell *c)
{
	uint64_t conc = isfinite(c->conc) && c->conc > 0 ? (uint64_t)c->conc : 1;
	uint64_t workers = isfinite(c->workers) && c->workers > 0 ? (uint64_t)c->workers : conc;

	if (!c->m)
		return (double)conc;
	return (double)model_cpu_lanes(c->m, c->one_slot ? 1 : conc, workers);
}

const char *plots_label(const struct set *s, size_t k)
{
	const struct model_ops *m = model_find(s->models[k]);

	return m && m->label ? m->label : s->models[k];
}

const char *plots_color(const struct set *s, size_t k)
{
	const struct model_ops *m = model_find(s->models[k]);

	return m && m->color ? m->color : OTHER_COLOR;
}

const char *plots_one_slot_model(const struct set *s)
{
	for (size_t k = 0; k < s->nmodels; k++) {
		const struct model_ops *m = model_find(s->models[k]);

		if (m && m->one_slot)
			return m->name;
	}
	return "one-slot";
}

const char *plots_loop_model(const struct set *s, bool offload)
{
	for (size_t k = 0; k < s->nmodels; k++) {
		const struct model_ops *m = model_find(s->models[k]);

		if (m && m->kind == MODEL_KIND_LOOP && m->offload == offload &&
		    (offload || m->par == MODEL_PAR_ONE))
			return m->name;
	}
	return NULL;
}
