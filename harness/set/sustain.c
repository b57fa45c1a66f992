/* sustain.c - the sustained-rate rule of sustain.h. */
#include "sustain.h"

#include <math.h>

enum sustain_verdict sustain_judge(const struct sustain_run *r, double slo_us)
{
	double span = r->makespan_s - r->p50_us / 1e6;

	if (!r->clean)
		return SUSTAIN_DIRTY;
	if (!(r->p99_us <= slo_us))
		return SUSTAIN_SLO;
	if (!(span > 0) || r->tasks / span < SUSTAIN_KEEP_UP * r->rate_tps)
		return SUSTAIN_BEHIND;
	if (isfinite(r->p50_first_us) && isfinite(r->p50_last_us) &&
	    r->p50_last_us > SUSTAIN_BACKLOG * r->p50_first_us)
		return SUSTAIN_GROWING;
	return SUSTAIN_OK;
}

const char *sustain_why(enum sustain_verdict v)
{
	switch (v) {
	case SUSTAIN_OK:
		return "sustained";
	case SUSTAIN_DIRTY:
		return "tasks failed";
	case SUSTAIN_SLO:
		return "p99 over the SLO";
	case SUSTAIN_BEHIND:
		return "fell behind";
	default:
		return "a growing backlog";
	}
}
