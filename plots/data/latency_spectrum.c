/* latency_spectrum.c - the open-loop spectrum chart
 * (latency-spectrum.gp): per regime, each model's percentile spectrum at
 * the load nearest OL_SPECTRUM_PCT of its capacity (spectra/<cell>.csv). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../openloop.h"
#include "charts.h"

/* plotdata/spectrum-ol-W-MODEL.dat from spectra/<cell>.csv; rows or 0. */
static int spectrum_dat(const struct set *s, const char *wl, const char *model, size_t row)
{
	struct cells_csv t;
	char path[PLOTS_PATH_LEN], name[160];
	const char *id = s->tab.rows[row][cells_csv_col(&s->tab, "cell")];
	int cq, cl, rows = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/spectra/%s.csv", s->dir, id);
	if (cells_csv_read(path, &t))
		return 0;
	cq = cells_csv_col(&t, "quantile");
	cl = cells_csv_col(&t, "latency_us");
	snprintf(name, sizeof(name), "olspectrum-%s-%s", wl, model);
	f = cq >= 0 && cl >= 0 ? plots_dat_open(s, name, id, "quantile  1/(1-quantile)  latency_ms")
			       : NULL;
	for (size_t r = 0; f && r < t.nrows; r++) {
		double q = strtod(t.rows[r][cq], NULL), l = strtod(t.rows[r][cl], NULL);

		if (!(q >= 0 && q < 1) || !(l > 0))
			continue;
		fprintf(f, "%.8f %.6g %.6g\n", q, 1 / (1 - q), l / 1e3);
		rows++;
	}
	cells_csv_free(&t);
	if (f && fclose(f) != 0)
		return -errno;
	return rows;
}

/* The spectrum at the load nearest OL_SPECTRUM_PCT (relative rates), or
 * the middle rate. */
static const struct ol_point *spectrum_point(const struct ol_series *ser)
{
	const struct ol_point *best = NULL;

	for (size_t i = 0; i < ser->n; i++)
		if (ser->p[i].load_pct > 0 &&
		    (!best || abs(ser->p[i].load_pct - OL_SPECTRUM_PCT) <
				      abs(best->load_pct - OL_SPECTRUM_PCT)))
			best = &ser->p[i];
	return best ? best : ser->n ? &ser->p[ser->n / 2] : NULL;
}

static int write_latency_spectrum(struct set *s)
{
	struct ol o;
	char b[256], var[64];
	int rc = ol_collect(s, &o);

	for (size_t w = 0; rc == 0 && w < o.nwl; w++) {
		char spec_models[PLOTS_LIST_LEN] = "";
		int spec_pct = -1;

		for (size_t k = 0; rc == 0 && k < o.nmodels; k++) {
			const struct ol_series *ser = ol_series_at(&o, w, k);
			const struct ol_point *sp = spectrum_point(ser);
			int rows;

			if (!ser->n || !sp || !sp->ok)
				continue;
			rows = spectrum_dat(s, o.wl[w], s->models[k], sp->row);
			if (rows < 0)
				rc = rows;
			else if (rows > 0) {
				plots_list_add(spec_models, sizeof(spec_models), s->models[k]);
				spec_pct = sp->load_pct > 0 ? sp->load_pct : spec_pct;
			}
		}
		snprintf(var, sizeof(var), "ol_spectrum_models_%zu", w + 1);
		plots_var_str(s, var, "%s", spec_models);
		ol_regime(&o, w, b, sizeof(b));
		snprintf(var, sizeof(var), "ol_spectrum_title_%zu", w + 1);
		if (spec_pct > 0)
			plots_var_str(s, var, "%s at %d%% of each model's capacity", b, spec_pct);
		else
			plots_var_str(s, var, "%s at a middle rate", b);
	}
	if (rc == 0 && !o.nwl)
		rc = CHART_EMPTY;
	ol_free(&o);
	return rc;
}

const struct chart chart_latency_spectrum = {
	.name = "latency-spectrum",
	.title = "Open loop: latency spectrum under load",
	.write = write_latency_spectrum,
	.script = "latency-spectrum.gp",
};
