/* registry.c - the table of charts, in the order they are written, drawn
 * and listed in REPORT.md. Adding a chart is one file in data/ (its writer
 * and its struct chart) with its script data/NAME.gp, and its extern and
 * its entry here. */
#include <stddef.h>

#include "charts.h"

/* each chart file exports one of these */
extern const struct chart chart_makespan;
extern const struct chart chart_p99;
extern const struct chart chart_memory;
extern const struct chart chart_speedup;
extern const struct chart chart_spectrum;
extern const struct chart chart_matrix;
extern const struct chart chart_latency;
extern const struct chart chart_latency_spectrum;
extern const struct chart chart_stall;
extern const struct chart chart_ceiling;
#ifdef CMB_FIXTURES /* the fixture build only (tests/fixtures/src/) */
extern const struct chart chart_fixture;
#endif

const struct chart *const chart_table[] = {
	&chart_makespan,
	&chart_p99,
	&chart_memory,
	&chart_speedup,
	&chart_spectrum,
	&chart_matrix,
	&chart_latency,
	&chart_latency_spectrum,
	&chart_stall,
	&chart_ceiling,
#ifdef CMB_FIXTURES
	&chart_fixture,
#endif
	NULL,
};

size_t chart_count(void)
{
	size_t n = 0;

	while (chart_table[n])
		n++;
	return n;
}
