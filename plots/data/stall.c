/* stall.c - the stall chart (stall.gp): a blocking call inside an event
 * loop; makespan and p99 against tasks in flight of each model on the
 * blocking workload's grid (its family: a blocking GET). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../../lib/util.h"
#include "../kinds.h"
#include "charts.h"

/* plotdata/blocking-MODEL.dat: concurrency, makespan med min max (s), p99
 * med min max (ms) of the blocking workload's cells; vars blocking_models,
 * blocking_title, blocking_note. */
static int write_stall(struct set *s)
{
	char models[PLOTS_LIST_LEN] = "", note[PLOTS_NOTE_LEN] = "", name[160], a[48];
	const char *grid = NULL;
	double io = NAN;

	for (size_t k = 0; k < s->nmodels; k++) {
		double lv[PLOTS_MAX_AXIS];
		size_t nlv = 0;
		FILE *f = NULL;

		for (size_t i = 0; i < s->ncells; i++) {
			const struct cell *c = &s->cells[i];

			if (wl_blocking_io(c->w) && strcmp(c->model, s->models[k]) == 0 &&
			    (!grid || strcmp(c->grid, grid) == 0)) {
				grid = c->grid;
				io = c->io_us;
				plots_axis_add(lv, &nlv, c->conc);
			}
		}
		for (size_t j = 0; j < nlv; j++) {
			const struct cell *c = NULL;

			for (size_t i = 0; i < s->ncells && !c; i++)
				if (wl_blocking_io(s->cells[i].w) &&
				    strcmp(s->cells[i].model, s->models[k]) == 0 &&
				    strcmp(s->cells[i].grid, grid) == 0 &&
				    s->cells[i].conc == lv[j])
					c = &s->cells[i];
			if (!c)
				continue;
			if (!usable(c)) {
				snprintf(name, sizeof(name), "%s@%g", c->model, c->conc);
				plots_list_add(note, sizeof(note), name);
				continue;
			}
			if (!f) {
				snprintf(name, sizeof(name), "blocking-%s", s->models[k]);
				f = plots_dat_open(
					s, name, s->models[k],
					"concurrency  makespan_s med min max  p99_ms med min "
					"max");
				if (!f)
					return -EIO;
			}
			fprintf(f, "%g %.6g %.6g %.6g %.6g %.6g %.6g\n", c->conc,
				c->v[M_MAKESPAN][MED], c->v[M_MAKESPAN][MIN], c->v[M_MAKESPAN][MAX],
				c->v[M_P99][MED] / 1e3, c->v[M_P99][MIN] / 1e3,
				c->v[M_P99][MAX] / 1e3);
		}
		if (f) {
			if (fclose(f) != 0)
				return -errno;
			plots_list_add(models, sizeof(models), s->models[k]);
		}
	}
	plots_var_str(s, "blocking_models", "%s", models);
	if (grid)
		plots_var_str(s, "blocking_title",
			      "every task waits %s in a blocking call (grid %s)",
			      fmt_us(a, sizeof(a), io, FMT_PROSE), grid);
	else
		plots_var_str(s, "blocking_title", "%s", "no cells of a blocking workload");
	plots_var_str(s, "blocking_note", "%s%s", *note ? "failed, not drawn: " : "", note);
	return *models ? 0 : CHART_EMPTY;
}

const struct chart chart_stall = {
	.name = "stall",
	.title = "A blocking call inside an event loop",
	.write = write_stall,
	.script = "stall.gp",
};
