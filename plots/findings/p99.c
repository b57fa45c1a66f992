/* p99.c - The p99 winner on io at the top level (the main grid's verdict). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/util.h"
#include "../../models/model.h"
#include "../kinds.h"
#include "../verdicts/verdicts.h"
#include "findings.h"

/* The p99 winner on io at the top level. */
static void say_p99(const struct set *s, struct finding_out *o)
{
	double top = plots_top_level(s, 0);
	const struct matrix_verdict *v = isnan(top) ? NULL : plots_verdict_at(s, 1, 0, top);
	char cnt[32], text[512];

	if (!v || v->winner < 0 || v->runner_up < 0)
		return;
	plots_verdict_text(s, 1, v, text, sizeof(text));
	fo_printf(o, "- **Tail latency.** On %s at concurrency %s, the lowest p99 latency %s %s.\n",
		  finding_io_name(), plots_count(top, cnt, sizeof(cnt)),
		  v->tie ? "is" : "belongs to",
		  text); /* "is equivalent within ..., "is inconclusive: ..." */
}

const struct finding finding_p99 = {
	.key = "p99",
	.section = FINDINGS_SECTION,
	.family = false,
	.fn = say_p99,
};
