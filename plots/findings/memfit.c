/* memfit.c - memory per task by regression: each model's slope and fixed
 * cost as ../memfit.c fitted them. */
#include <stdio.h>

#include "../../lib/util.h"
#include "findings.h"

static void say_memfit(const struct set *s, struct finding_out *o)
{
	char list[2048] = "", item[192], a[32], b[32], c[32];

	for (size_t i = 0; i < s->nfits; i++) {
		const struct memfit *m = &s->fits[i];

		snprintf(item, sizeof(item), "%s %s ± %s per task (fixed %s, %zu levels)", m->model,
			 fmt_kib(a, sizeof(a), m->slope, FMT_PROSE),
			 fmt_kib(b, sizeof(b), m->ci < 0.05 ? 0 : m->ci, FMT_PROSE),
			 fmt_kib(c, sizeof(c), m->fixed, FMT_PROSE), m->n);
		plots_join(list, sizeof(list), i, s->nfits, item);
	}
	if (s->nfits)
		fo_printf(
			o,
			"- **Memory by regression.** PSS peak (less the harness's own, "
			"harness_kib) "
			"against concurrency (grid %s), least squares per model; the slope is what "
			"one more task in flight "
			"costs (± its 95%% interval), the intercept the fixed cost: %s.\n",
			s->fit_grid, list);
}

const struct finding finding_memfit = {
	.key = "memfit",
	.section = FINDINGS_SECTION,
	.family = false,
	.fn = say_memfit,
};
