/* libs.c - REPORT.md's "Python libraries" section: the grids of the
 * set that fix a library of the foreign models (a flags: line with --py-http
 * or --py-pg, as sweeps/python has), the same work through each library,
 * side by side. Nothing when the set has none. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../../models/model.h"
#include "../../workloads/workload.h"
#include "findings.h"

#define LIB_FLAG_PREFIX "py-" /* the library flags: --py-http, --py-pg */

/* The grid's library flag as NAME=VALUE into buf; false when it has none. */
static bool grid_lib(const struct spec_grid *g, char *buf, size_t cap)
{
	for (size_t i = 0; i < g->n_flags; i++)
		if (strncmp(g->flags[i][0], LIB_FLAG_PREFIX, strlen(LIB_FLAG_PREFIX)) == 0) {
			snprintf(buf, cap, "--%s %s", g->flags[i][0], g->flags[i][1]);
			return true;
		}
	return false;
}

static void say_libs(const struct set *s, struct finding_out *o)
{
	bool head = false;

	for (size_t gi = 0; gi < s->spec.n_grids; gi++) {
		const struct spec_grid *g = &s->spec.grids[gi];
		char lib[2 * SPEC_FLAG_MAX + 8];

		if (!grid_lib(g, lib, sizeof(lib)))
			continue;
		for (size_t i = 0; i < s->ncells; i++) {
			const struct cell *c = &s->cells[i];
			double mk = c->v[M_MAKESPAN][MED], p99 = c->v[M_P99][MED];

			if (strcmp(c->grid, g->name) != 0)
				continue;
			if (!head) {
				fo_printf(o,
					  "\n### Python libraries\n\n"
					  "The grids that fix the foreign models' library (a "
					  "`flags:` line with --py-http or --py-pg): the same work "
					  "through each library, medians of the cells.\n\n"
					  "| grid | library | model | workload | C | tasks/s | p99 "
					  "| clean |\n|---|---|---|---|---:|---:|---:|---|\n");
				head = true;
			}
			fo_printf(o, "| %s | %s | %s | %s | %.0f | ", g->name,
				  c->m && c->m->foreign ? lib : "(C: none)", c->model,
				  c->w ? c->w->name : "?", c->conc);
			if (isfinite(mk) && mk > 0)
				fo_printf(o, "%.0f | ", c->tasks / mk);
			else
				fo_printf(o, "- | ");
			if (isfinite(p99))
				fo_printf(o, "%.1f ms | ", p99 / 1000);
			else
				fo_printf(o, "- | ");
			fo_printf(o, "%s |\n", c->ok ? "yes" : "no");
		}
	}
}

const struct finding finding_libs = {
	.key = "libs",
	.section = FINDINGS_SECTION,
	.family = false,
	.fn = say_libs,
};
