/* latency.c - the open-loop latency chart (latency.gp): per regime
 * (workload), each model's p50 and p99 latency against the offered rate,
 * the SLO as a line (the hockey stick). The series: ../openloop.c. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../openloop.h"
#include "charts.h"

/* plotdata/latency-W-MODEL.dat; *any: it has a point. 0 or -errno. */
static int series_dat(struct set *s, const struct ol *o, size_t w, size_t k, bool *any)
{
	const struct ol_series *ser = ol_series_at(o, w, k);
	char name[160];
	FILE *f;

	*any = false;
	snprintf(name, sizeof(name), "latency-%s-%s", o->wl[w], s->models[k]);
	f = plots_dat_open(s, name, "open loop: latency against offered rate",
			   "offered_tps  p50_ms  p99_ms  achieved_tps  load_pct  "
			   "p99_lo_ms  p99_hi_ms");
	if (!f)
		return -EIO;
	for (size_t i = 0; i < ser->n; i++) {
		const struct ol_point *p = &ser->p[i];
		/* a p99 of fewer than OL_P99_N samples is no p99 */
		double u = p->samples >= OL_P99_N ? 1e3 : NAN;

		if (!p->ok)
			continue;
		fprintf(f, "%.6g %.6g %.6g %.6g %d %.6g %.6g\n", p->rate, p->p50 / 1e3, p->p99 / u,
			p->achieved, p->load_pct, (isfinite(p->p99_lo) ? p->p99_lo : p->p99) / u,
			(isfinite(p->p99_hi) ? p->p99_hi : p->p99) / u);
		*any = true;
	}
	return fclose(f) != 0 ? -errno : 0;
}

static int write_latency(struct set *s)
{
	struct ol o;
	char wls[PLOTS_LIST_LEN] = "", b[256], var[64];
	int rc = ol_collect(s, &o);

	for (size_t w = 0; rc == 0 && w < o.nwl; w++) {
		char models[PLOTS_LIST_LEN] = "";

		plots_list_add(wls, sizeof(wls), o.wl[w]);
		for (size_t k = 0; rc == 0 && k < o.nmodels; k++) {
			bool any;

			if (!ol_series_at(&o, w, k)->n)
				continue;
			rc = series_dat(s, &o, w, k, &any);
			if (rc == 0 && any)
				plots_list_add(models, sizeof(models), s->models[k]);
		}
		snprintf(var, sizeof(var), "ol_models_%zu", w + 1);
		plots_var_str(s, var, "%s", models);
		snprintf(var, sizeof(var), "ol_title_%zu", w + 1);
		plots_var_str(s, var, "%s", ol_regime(&o, w, b, sizeof(b)));
		fprintf(s->vars, "ol_slo_ms_%zu = %g\n", w + 1, o.slo_us[w] / 1e3);
	}
	if (rc == 0)
		plots_var_str(s, "ol_workloads", "%s", wls);
	if (rc == 0 && !o.nwl)
		rc = CHART_EMPTY;
	ol_free(&o);
	return rc;
}

const struct chart chart_latency = {
	.name = "latency",
	.title = "Open loop: latency vs offered load",
	.write = write_latency,
	.script = "latency.gp",
};
