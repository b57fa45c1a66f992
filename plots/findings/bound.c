/* bound.c - Makespan against the ideal bound on io at the top level of the main
 * grid. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/util.h"
#include "../../models/model.h"
#include "../kinds.h"
#include "../verdicts/verdicts.h"
#include "findings.h"

/* Makespan against the ideal bound on io at the top level. */
static void say_bound(const struct set *s, struct finding_out *o)
{
	char list[1024] = "", item[160], a[32], b[32], cnt[32];
	double top = plots_top_level(s, 0), bound = NAN;
	size_t n = 0, count = 0;

	for (size_t k = 0; !isnan(top) && k < s->nmodels; k++) {
		const struct cell *c = finding_io_top_cell(s, k, top, M_MAKESPAN, true);

		count += c != NULL;
		if (c && isnan(bound) && c->v[M_BOUND][MED] > 0)
			bound = c->v[M_BOUND][MED];
	}
	if (count < 2 || isnan(bound))
		return;
	for (size_t k = 0; k < s->nmodels; k++) {
		const struct cell *c = finding_io_top_cell(s, k, top, M_MAKESPAN, true);

		if (!c)
			continue;
		snprintf(item, sizeof(item), "%s took %s (%.0f%% of ideal)", c->model,
			 fmt_us(a, sizeof(a), c->v[M_MAKESPAN][MED] * 1e6, FMT_PROSE),
			 100 * bound / c->v[M_MAKESPAN][MED]);
		plots_join(list, sizeof(list), n++, count, item);
	}
	fo_printf(o,
		  "- **Against the bound.** On %s at concurrency %s the ideal bound is %s: %s.\n",
		  finding_io_name(), plots_count(top, cnt, sizeof(cnt)),
		  fmt_us(b, sizeof(b), bound * 1e6, FMT_PROSE), list);
}

const struct finding finding_bound = {
	.key = "bound",
	.section = FINDINGS_SECTION,
	.family = false,
	.fn = say_bound,
};
