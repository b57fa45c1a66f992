/* spectrum.c - the latency spectrum chart (spectrum.gp): one cell per
 * model, from the mixed panel (else the first) at the highest concurrency
 * level that has a spectrum (spectra/<cell>.csv). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "charts.h"

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
static int write_spectrum(struct set *s)
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
	}
	plots_var_str(s, "spectrum_models", "%s", models);
	return got ? 0 : CHART_EMPTY;
}

const struct chart chart_spectrum = {
	.name = "spectrum",
	.title = "Latency percentile spectrum",
	.write = write_spectrum,
	.script = "spectrum.gp",
};
