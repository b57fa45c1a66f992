/* python_loops.c - The Python loops on io against the first of them, and C's loop. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/util.h"
#include "../../models/model.h"
#include "../kinds.h"
#include "../verdicts/verdicts.h"
#include "findings.h"

/* The Python loops on io against the first of them, and C's loop. */
static void say_python_loops(const struct set *s, struct finding_out *o)
{
	char a[48], b[48], lv[32], n1[96];

	for (size_t i = 0; i < s->ncells; i++) {
		const struct cell *c = &s->cells[i], *cl;
		bool head = false;

		if (!usable(c) || !c->m->foreign || c->m->kind != MODEL_KIND_LOOP ||
		    c->m->offload || !wl_plain(c->w, true, false))
			continue;
		/* c: the first foreign loop cell at this grid and level */
		bool first = true;
		for (size_t j = 0; j < i; j++) {
			const struct cell *d = &s->cells[j];
			if (usable(d) && d->m->foreign && d->m->kind == MODEL_KIND_LOOP &&
			    !d->m->offload && strcmp(d->grid, c->grid) == 0 && d->conc == c->conc &&
			    d->w == c->w)
				first = false;
		}
		if (!first)
			continue;
		for (size_t j = i + 1; j < s->ncells; j++) {
			const struct cell *d = &s->cells[j];

			if (!usable(d) || !d->m->foreign || d->m->kind != MODEL_KIND_LOOP ||
			    d->m->offload || strcmp(d->grid, c->grid) != 0 || d->conc != c->conc ||
			    d->w != c->w)
				continue;
			if (!head)
				fo_printf(o,
					  "- **Python event loops on I/O** (grid %s, C=%s, %s): %s "
					  "%s",
					  c->grid, plots_count(c->conc, lv, sizeof(lv)),
					  fmt_us(a, sizeof(a), c->io_us, FMT_PROSE), c->model,
					  secs(c->v[M_MAKESPAN][MED], b, sizeof(b)));
			head = true;
			fo_printf(o, "; %s %s (", mname(d, n1, sizeof(n1)),
				  secs(d->v[M_MAKESPAN][MED], a, sizeof(a)));
			fo_vs(o, d, c, M_MAKESPAN);
			fo_printf(o, ")");
		}
		if (head && (cl = peer(s, c, m_inline_loop))) {
			fo_printf(o, "; C's %s %s (", cl->model,
				  secs(cl->v[M_MAKESPAN][MED], a, sizeof(a)));
			fo_vs(o, cl, c, M_MAKESPAN);
			fo_printf(o, ")");
		}
		if (head)
			fo_printf(o, ".\n");
	}
}

const struct finding finding_python_loops = {
	.key = "python_loops",
	.section = FINDINGS_SECTION,
	.family = true,
	.fn = say_python_loops,
};
