/* makespan.c - the makespan chart (makespan.gp): per panel of the main
 * grid, each model's makespan against concurrency, and the ideal bound. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../../lib/util.h"
#include "charts.h"

/* The ideal bound of a panel: bound_s of each level (model-free; taken
 * from the first valid concurrent cell there). */
static int write_bound(struct set *s, const struct panel *p)
{
	char name[96];
	double lv[PLOTS_MAX_AXIS];
	size_t nlv = plots_panel_levels(s, p, false, lv), rows = 0;
	FILE *f;

	snprintf(name, sizeof(name), "makespan-%s-bound", p->key);
	f = plots_dat_open(s, name, "ideal bound (DESIGN.md)", "concurrency  bound_s");
	if (!f)
		return -EIO;
	for (size_t j = 0; j < nlv; j++)
		for (size_t i = 0; i < s->ncells; i++) {
			const struct cell *c = &s->cells[i];

			if (strcmp(c->grid, s->grid) == 0 && c->share == p->share &&
			    c->conc == lv[j] && !c->one_slot && c->v[M_BOUND][MED] > 0) {
				fprintf(f, "%g %.6g\n", lv[j], c->v[M_BOUND][MED]);
				rows++;
				break;
			}
		}
	if (fclose(f) != 0)
		return -errno;
	fprintf(s->vars, "makespan_bound_%s = %d\n", p->key, rows > 0);
	return 0;
}

static int write_makespan(struct set *s)
{
	for (size_t i = 0; i < s->npanels; i++)
		if (plots_panel_chart(s, &s->panels[i], "makespan", M_MAKESPAN, 1, true, "s") ||
		    write_bound(s, &s->panels[i]))
			return -EIO;
	return s->npanels ? 0 : CHART_EMPTY;
}

const struct chart chart_makespan = {
	.name = "makespan",
	.title = "Makespan vs concurrency",
	.write = write_makespan,
	.script = "makespan.gp",
};
