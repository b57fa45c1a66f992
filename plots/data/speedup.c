/* plots_scaling.c - the series of the speedup chart (pure cpu work on the
 * scaling grid: the one-slot model's makespan over each model's, against
 * the CPUs the model can use, and the ideal min(workers, cores)) and of
 * the latency spectrum chart (one cell per model). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plots.h"

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

int plots_write_speedup(struct set *s)
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
	if (!*models)
		plots_no_chart(s, "speedup");
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
	return 0;
}

/* Read spectra/<cell>.csv into plotdata/spectrum-<model>.dat: q, 1/(1-q)
 * and latency in ms, for q < 1. Returns rows written, or -errno. */
static int write_one_spectrum(struct set *s, const struct cell *c)
{
	struct cells_csv t;
	char path[PLOTS_PATH_LEN], name[96];
	int cq, cl, rows = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/spectra/%s.csv", s->dir, c->id);
	if (cells_csv_read(path, &t))
		return 0;
	cq = cells_csv_col(&t, "quantile");
	cl = cells_csv_col(&t, "latency_us");
	if (cq < 0 || cl < 0) {
		cells_csv_free(&t);
		return 0;
	}
	snprintf(name, sizeof(name), "spectrum-%s", c->model);
	f = plots_dat_open(s, name, c->id, "quantile  1/(1-quantile)  latency_ms");
	for (size_t r = 0; f && r < t.nrows; r++) {
		double q = strtod(t.rows[r][cq], NULL), l = strtod(t.rows[r][cl], NULL);

		if (!(q >= 0 && q < 1) || !(l > 0))
			continue;
		/* past q = 1 - 1/tasks every quantile is the maximum */
		if (c->tasks > 0 && 1 / (1 - q) > c->tasks * 1.01)
			break;
		fprintf(f, "%.8f %.6g %.6g\n", q, 1 / (1 - q), l / 1e3);
		rows++;
	}
	cells_csv_free(&t);
	if (!f)
		return -EIO;
	return fclose(f) != 0 ? -errno : rows;
}

/* The spectra of every model at one level; how many of them are of a
 * concurrent model, or -errno. */
static int spectra_at(struct set *s, const struct panel *p, double level, char *models, size_t len)
{
	int concurrent = 0, rows;

	models[0] = '\0';
	for (size_t k = 0; k < s->nmodels; k++) {
		const struct cell *c =
			plots_find_cell(s, s->grid, s->models[k], p->share, level, false);

		if (!c)
			continue;
		rows = write_one_spectrum(s, c);
		if (rows < 0)
			return rows;
		if (rows > 0) {
			plots_list_add(models, len, s->models[k]);
			concurrent += !c->one_slot;
		}
	}
	return concurrent;
}

/* The spectrum chart: one cell per model, from the mixed panel (else the
 * first) at the highest concurrency level that has a spectrum. */
int plots_write_spectrum(struct set *s)
{
	const struct panel *p = s->npanels ? &s->panels[0] : NULL;
	char models[PLOTS_LIST_LEN] = "", buf[96], cnt[32];
	double lv[PLOTS_MAX_AXIS];
	size_t nlv = 0;
	int got = 0;

	for (size_t i = 0; i < s->npanels; i++)
		if (s->panels[i].share > 0 && s->panels[i].share < 100)
			p = &s->panels[i];
	for (size_t i = 0; p && i < s->ncells; i++)
		if (strcmp(s->cells[i].grid, s->grid) == 0 && s->cells[i].share == p->share &&
		    !s->cells[i].one_slot)
			plots_axis_add(lv, &nlv, s->cells[i].conc);
	for (size_t j = nlv; j-- > 0 && got == 0;) {
		got = spectra_at(s, p, lv[j], models, sizeof(models));
		if (got < 0)
			return got;
		if (got > 0)
			plots_var_str(s, "spectrum_cell", "%s at concurrency %s (%s: 1)",
				      plots_regime(p->share, buf, sizeof(buf)),
				      plots_count(lv[j], cnt, sizeof(cnt)),
				      plots_one_slot_model(s));
	}
	if (got == 0) {
		models[0] = '\0';
		plots_var_str(s, "spectrum_cell", "%s", "no latency spectra in this result set");
		plots_no_chart(s, "spectrum");
	}
	plots_var_str(s, "spectrum_models", "%s", models);
	return 0;
}
