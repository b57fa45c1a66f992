/* openloop.c - the open-loop finding: each model's sustainable rate, and
 * the load at which its p99 leaves twice its unloaded p99, the unloaded
 * p99 taken at the lowest load with at least OL_BASE_N samples (no finding
 * without one). The series: ../openloop.c. */
#include <math.h>
#include <stdio.h>

#include "../openloop.h"
#include "findings.h"

static void say_openloop(const struct set *s, struct finding_out *o)
{
	struct ol ol;
	char b1[160], b2[64], b3[160];
	int rc = ol_collect(s, &ol);

	if (rc || ol.nwl == 0) {
		ol_free(&ol);
		return;
	}
	fo_printf(o, "\n### Open loop: the rate each model sustains (latency.png)\n\n");
	for (size_t w = 0; w < ol.nwl; w++) {
		fo_printf(o, "- **%s**, SLO p99 ≤ %g ms:\n", ol_regime(&ol, w, b3, sizeof(b3)),
			  ol.slo_us[w] / 1e3);
		for (size_t k = 0; k < ol.nmodels; k++) {
			const struct ol_series *ser = ol_series_at(&ol, w, k);
			const struct ol_point *kn = ol_knee(ser), *base = ol_baseline(ser);

			if (!ser->n)
				continue;
			if (ser->searched)
				fo_printf(o, "  - %s sustains %s", s->models[k],
					  ol_bracket_text(ser, b1, sizeof(b1)));
			else
				fo_printf(o, "  - %s sustains %s", s->models[k],
					  ol_rate_text(ol_sustainable(ser, ol.slo_us[w]), b1,
						       sizeof(b1)));
			if (isfinite(ser->capacity))
				fo_printf(o, " (batch capacity %s)",
					  ol_rate_text(ser->capacity, b2, sizeof(b2)));
			if (!base)
				fo_printf(
					o,
					"; no knee: no load has %d samples for a solid baseline\n",
					OL_BASE_N);
			else if (kn)
				fo_printf(
					o,
					"; its p99 passes %g× the unloaded %.3g ms (at %s, n=%.0f) "
					"at %s\n",
					OL_KNEE, base->p99 / 1e3,
					ol_rate_text(base->rate, b2, sizeof(b2)), base->samples,
					ol_knee_text(ser, b3, sizeof(b3)));
			else
				fo_printf(
					o,
					"; its p99 stays within %g× the unloaded %.3g ms (n=%.0f) "
					"at "
					"every rate tried\n",
					OL_KNEE, base->p99 / 1e3, base->samples);
		}
	}
	ol_free(&ol);
}

const struct finding finding_openloop = {
	.key = "openloop",
	.section = FINDINGS_SECTION,
	.family = false,
	.fn = say_openloop,
};
