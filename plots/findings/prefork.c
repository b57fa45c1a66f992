/* prefork.c - An event loop per core against one loop on mixed work. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/util.h"
#include "../../models/model.h"
#include "../kinds.h"
#include "../verdicts/verdicts.h"
#include "findings.h"

/* An event loop per core against one loop on mixed work. */
static void say_prefork(const struct set *s, struct finding_out *o)
{
	char a[48], b[48], lv[32], cb[64];

	for (size_t i = 0; i < s->ncells; i++) {
		const struct cell *c = &s->cells[i], *one;
		double sp;

		if (!usable(c) || !wl_mixed(c->w) || !m_prefork(c->m) ||
		    (s->grid && strcmp(c->grid, s->grid) == 0))
			continue;
		if (!(one = peer(s, c, m_inline_loop)))
			continue;
		sp = one->v[M_MAKESPAN][MED] / c->v[M_MAKESPAN][MED];
		fo_printf(o,
			  "- **An event loop per core** (grid %s, mixed work, C=%s, %g "
			  "loops): %s runs %.2f× as fast as one %s (%s vs %s) on %s cores",
			  c->grid, plots_count(c->conc, lv, sizeof(lv)), c->workers, c->model, sp,
			  one->model, secs(c->v[M_MAKESPAN][MED], a, sizeof(a)),
			  secs(one->v[M_MAKESPAN][MED], b, sizeof(b)),
			  plots_cores(s, cb, sizeof(cb)));
		if (isfinite(s->cores) && s->cores > 0)
			fo_printf(o, ": %.0f%% of the ideal %g×", 100 * sp / s->cores, s->cores);
		fo_printf(o, " (");
		fo_vs(o, c, one, M_MAKESPAN);
		fo_printf(o, ")");
		fo_printf(o, ".\n");
	}
}

const struct finding finding_prefork = {
	.key = "prefork",
	.section = FINDINGS_SECTION,
	.family = true,
	.fn = say_prefork,
};
