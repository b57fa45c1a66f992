/* memory.c - Memory per task of each concurrent model at the top io level of the
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

/* Memory per task of each concurrent model at the top io level. */
static void say_memory(const struct set *s, struct finding_out *o)
{
	char list[1024] = "", item[128], v[32], cnt[32];
	double top = plots_top_level(s, 0);
	size_t n = 0, count = 0;

	if (isnan(top) || top <= 1)
		return;
	for (size_t k = 0; k < s->nmodels; k++)
		count += finding_io_top_cell(s, k, top, M_MEM, false) != NULL;
	if (count < 2)
		return;
	for (size_t k = 0; k < s->nmodels; k++) {
		const struct cell *c = finding_io_top_cell(s, k, top, M_MEM, false);

		if (!c)
			continue;
		if (!isnan(c->samples_min) && c->samples_min < PLOTS_MIN_SAMPLES)
			snprintf(item, sizeof(item), "%s not quoted (only %g samples in a run)",
				 c->model, c->samples_min);
		else
			snprintf(item, sizeof(item), "%s %s", c->model,
				 fmt_kib(v, sizeof(v), c->v[M_MEM][MED], FMT_PROSE));
		plots_join(list, sizeof(list), n++, count, item);
	}
	fo_printf(o,
		  "- **Memory.** At %s concurrent %s tasks, the memory per concurrent task (PSS "
		  "growth over the set-up baseline, divided by the concurrency) was: %s.\n",
		  plots_count(top, cnt, sizeof(cnt)), finding_io_name(), list);
}

const struct finding finding_memory = {
	.key = "memory",
	.section = FINDINGS_SECTION,
	.family = false,
	.fn = say_memory,
};
