/* flags.c - Two grids of one workload that differ in its flags (pg-conn pool and
 * new, say): each model at the same level and io in both, side by side. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/util.h"
#include "../../models/model.h"
#include "../kinds.h"
#include "../verdicts/verdicts.h"
#include "findings.h"

/* A grid's workload flags as "name=value ...", or "its defaults". */
static const char *grid_flags(const struct spec_grid *g, char *b, size_t n)
{
	size_t o = 0;

	b[0] = '\0';
	for (size_t i = 0; g && i < g->n_flags && o < n; i++)
		o += (size_t)snprintf(b + o, n - o, "%s%s=%s", i ? " " : "", g->flags[i][0],
				      g->flags[i][1]);
	if (!b[0])
		snprintf(b, n, "its defaults");
	return b;
}

/* Two grids of one workload that differ in its flags (pg-conn pool and
 * new, say): each model at the same level and io in both, side by side. */
static void say_flags(const struct set *s, struct finding_out *o)
{
	char fa[160], fb[160], lv[32], io[64], p1[48], p2[48];

	for (size_t i = 0; i < s->ncells; i++) {
		const struct cell *c = &s->cells[i], *d = NULL;
		const struct spec_grid *gc = spec_grid_find(&s->spec, c->grid), *gd;

		if (!usable(c) || !c->w || !c->w->flags || !gc)
			continue;
		for (size_t j = 0; j < i && !d; j++) {
			const struct cell *e = &s->cells[j];

			if (usable(e) && e->w == c->w && strcmp(e->grid, c->grid) != 0 &&
			    e->m == c->m && e->conc == c->conc && e->io_us == c->io_us)
				d = e;
		}
		if (!d || !(gd = spec_grid_find(&s->spec, d->grid)))
			continue;
		grid_flags(gd, fa, sizeof(fa));
		grid_flags(gc, fb, sizeof(fb));
		if (strcmp(fa, fb) == 0)
			continue;
		fo_printf(o,
			  "- **%s with %s against %s** (%s at C=%s, %s): %.0f tasks/s against "
			  "%.0f (makespan: ",
			  c->w->label, fb, fa, c->model, plots_count(c->conc, lv, sizeof(lv)),
			  io_text(c->io_us, io, sizeof(io)), tput(c), tput(d));
		fo_vs(o, c, d, M_MAKESPAN);
		fo_printf(o, "), p99 %s against %s.\n",
			  plots_p99_text(c->v[M_P99][MED], c->tasks, p1, sizeof(p1)),
			  plots_p99_text(d->v[M_P99][MED], d->tasks, p2, sizeof(p2)));
	}
}

const struct finding finding_flags = {
	.key = "flags",
	.section = FINDINGS_SECTION,
	.family = true,
	.fn = say_flags,
};
