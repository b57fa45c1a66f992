/* failures.c - The self-check: the cells that failed it, or that all passed. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/util.h"
#include "../../models/model.h"
#include "../kinds.h"
#include "../verdicts/verdicts.h"
#include "findings.h"

/* Cells whose checksum was compared with another cell's. */
static size_t compared(const struct set *s)
{
	size_t n = 0;

	for (size_t i = 0; i < s->ncells; i++)
		n += s->cells[i].sum_compared;
	return n;
}

static void say_failures(const struct set *s, struct finding_out *o)
{
	char list[1024] = "", item[160];
	size_t failed = 0;

	for (size_t i = 0; i < s->ncells; i++) {
		if (s->cells[i].ok)
			continue;
		snprintf(item, sizeof(item), "%s`%s`%s", failed ? ", " : "", s->cells[i].id,
			 s->cells[i].sum_mismatch ? " (its checksum differs from the other models' "
						    "on the same work)"
						  : "");
		strncat(list, item, sizeof(list) - strlen(list) - 1);
		failed++;
	}
	if (failed)
		fo_printf(
			o,
			"- **Failures.** %zu of %zu cells failed their self-check (lost tasks, "
			"errors or unequal checksums) and are left out of every comparison: %s.\n",
			failed, s->ncells, list);
	else
		fo_printf(o,
			  "- **Self-check.** All %zu cells passed: every rep finished every task "
			  "with no error and the checksums agree across reps; %zu of them ran the "
			  "same work as another cell (another model, or another load of an "
			  "open-loop curve), and their checksums agree across those.\n",
			  s->ncells, compared(s));
}

const struct finding finding_failures = {
	.key = "failures",
	.section = FINDINGS_SECTION,
	.family = false,
	.fn = say_failures,
};
