/* offload.c - The event loop with CPU inline against offload on mixed work of the
 * main grid. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/util.h"
#include "../../models/model.h"
#include "../kinds.h"
#include "../verdicts/verdicts.h"
#include "findings.h"

/* The event loop with CPU inline against offload on mixed work. */
static void say_offload(const struct set *s, struct finding_out *o)
{
	const char *inl = plots_loop_model(s, false), *offl = plots_loop_model(s, true);
	const struct cell *in, *off;
	char reg[64], cnt[32], a[32], b[32], c1[32], c2[32];
	double share = NAN, top;

	for (size_t i = 0; i < s->npanels; i++)
		if (s->panels[i].share > 0 && s->panels[i].share < 100)
			share = s->panels[i].share;
	if (isnan(share) || !inl || !offl)
		return;
	top = plots_top_level(s, share);
	in = plots_find_cell(s, s->grid, inl, share, top, false);
	off = plots_find_cell(s, s->grid, offl, share, top, false);
	if (!in || !off || !plots_usable(in, M_MAKESPAN, true) ||
	    !plots_usable(off, M_MAKESPAN, true))
		return;
	fo_printf(o,
		  "- **Inline CPU or offload.** On %s work at concurrency %s, the event loop with "
		  "CPU inline took %s (p99 %s) and with offload %s (p99 %s): ",
		  plots_regime(share, reg, sizeof(reg)), plots_count(top, cnt, sizeof(cnt)),
		  fmt_us(a, sizeof(a), in->v[M_MAKESPAN][MED] * 1e6, FMT_PROSE),
		  plots_p99_text(in->v[M_P99][MED], in->tasks, c1, sizeof(c1)),
		  fmt_us(b, sizeof(b), off->v[M_MAKESPAN][MED] * 1e6, FMT_PROSE),
		  plots_p99_text(off->v[M_P99][MED], off->tasks, c2, sizeof(c2)));
	fo_vs(o, in, off, M_MAKESPAN);
	fo_printf(o, ".\n");
}

const struct finding finding_offload = {
	.key = "offload",
	.section = FINDINGS_SECTION,
	.family = true,
	.fn = say_offload,
};
