/* warnings.c - the self-check warnings of single runs: too few monitor
 * samples in a memory cell (its peak may be missed), efficiency above the
 * bound (RESULT_EFFICIENCY_MAX: w was measured too high). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../../harness/result.h"
#include "findings.h"

static void say_warnings(const struct set *s, struct finding_out *o)
{
	char few[1024] = "", over[1024] = "", item[160];
	size_t nfew = 0, nover = 0;

	for (size_t i = 0; i < s->ncells; i++) {
		const struct cell *c = &s->cells[i];

		if (strcmp(c->grid, s->memory_grid) == 0 && !plots_enough_samples(c)) {
			snprintf(item, sizeof(item), "%s`%s` (%g)", nfew ? ", " : "", c->id,
				 c->samples_min);
			strncat(few, item, sizeof(few) - strlen(few) - 1);
			nfew++;
		}
		if (isfinite(c->eff_max) && c->eff_max > RESULT_EFFICIENCY_MAX) {
			snprintf(item, sizeof(item), "%s`%s` (%.2f)", nover ? ", " : "", c->id,
				 c->eff_max);
			strncat(over, item, sizeof(over) - strlen(over) - 1);
			nover++;
		}
	}
	if (nfew)
		fo_printf(o,
			  "- **Self-check warning: too few samples.** %zu memory cell(s) had a run "
			  "with fewer than %d monitor samples, so the peak may have been missed; "
			  "their peaks are not quoted: %s.\n",
			  nfew, PLOTS_MIN_SAMPLES, few);
	if (nover)
		fo_printf(o,
			  "- **Self-check warning: efficiency above the bound.** %zu cell(s) had a "
			  "run with efficiency above %.2f (efficiency_note above_bound): a run "
			  "cannot beat its lower bound, so w (cpu_us_per_task) was measured too "
			  "high there and those efficiencies are wrong figures: %s.\n",
			  nover, RESULT_EFFICIENCY_MAX, over);
}

const struct finding finding_warnings = {
	.key = "warnings",
	.section = FINDINGS_SECTION,
	.family = false,
	.fn = say_warnings,
};
