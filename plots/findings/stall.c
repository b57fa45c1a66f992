/* stall.c - The inline loop on a blocking call: its makespan against the offload
 * loop's at each level. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/util.h"
#include "../../models/model.h"
#include "../kinds.h"
#include "../verdicts/verdicts.h"
#include "findings.h"

/* The inline loop on a blocking call: its makespan against the offload
 * loop's at each level. */
static void say_stall(const struct set *s, struct finding_out *o)
{
	char a[48], b[48], lv[32];
	bool head = false;

	for (size_t i = 0; i < s->ncells; i++) {
		const struct cell *c = &s->cells[i], *off;

		if (!usable(c) || !wl_blocking_io(c->w) || !m_inline_loop(c->m))
			continue;
		if (!(off = peer(s, c, m_offload_loop)))
			continue;
		if (!head)
			fo_printf(o,
				  "- **The inline loop stalls on a blocking call** (%s workload, "
				  "io %s): %s takes",
				  c->w->label, fmt_us(a, sizeof(a), c->io_us, FMT_PROSE), c->model);
		fo_printf(o, "%s %.1f× %s's makespan at C=%s (%s vs %s; ", head ? ";" : "",
			  c->v[M_MAKESPAN][MED] / off->v[M_MAKESPAN][MED], off->model,
			  plots_count(c->conc, lv, sizeof(lv)),
			  secs(c->v[M_MAKESPAN][MED], a, sizeof(a)),
			  secs(off->v[M_MAKESPAN][MED], b, sizeof(b)));
		fo_vs(o, c, off, M_MAKESPAN);
		fo_printf(o, ")");
		head = true;
	}
	if (head)
		fo_printf(o, ". One task at a time runs while the call blocks: concurrency does "
			     "not help the inline loop.\n");
}

const struct finding finding_stall = {
	.key = "stall",
	.section = FINDINGS_SECTION,
	.family = true,
	.fn = say_stall,
};
