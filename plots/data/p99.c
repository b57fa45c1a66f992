/* p99.c - the tail latency chart (p99.gp): per panel of the main grid,
 * each model's p99 latency (ms) against concurrency. */
#include <errno.h>

#include "charts.h"

static int write_p99(struct set *s)
{
	for (size_t i = 0; i < s->npanels; i++)
		if (plots_panel_chart(s, &s->panels[i], "p99", M_P99, 1e-3, true, "ms"))
			return -EIO;
	return s->npanels ? 0 : CHART_EMPTY;
}

const struct chart chart_p99 = {
	.name = "p99",
	.title = "p99 latency vs concurrency",
	.write = write_p99,
	.script = "p99.gp",
};
