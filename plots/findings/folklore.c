/* folklore.c - How often the measured time winner agrees with the folklore: clear
 * wins only; ties are counted beside them, never as agreement. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/util.h"
#include "../../models/model.h"
#include "../kinds.h"
#include "../verdicts/verdicts.h"
#include "findings.h"

/* "io-bound → event loop, ..." from the spec's folklore lines. */
static void folklore_quote(const struct set *s, char *b, size_t n)
{
	char reg[64];
	size_t o = 0;

	b[0] = '\0';
	for (size_t i = 0; s->spec_grid && i < s->spec_grid->n_folklore && o < n; i++) {
		const struct spec_folklore *fl = &s->spec_grid->folklore[i];

		o += (size_t)snprintf(b + o, n - o, "%s%s → %s", i ? ", " : "",
				      plots_regime_range(fl->lo, fl->hi, reg, sizeof(reg)),
				      fl->says);
	}
}

/* How often the measured time winner agrees with the folklore: clear
 * wins only; ties are counted beside them, never as agreement. */
static void say_folklore(const struct set *s, struct finding_out *o)
{
	char reg[64], list[1024] = "", item[256], quote[512], r[96];
	size_t yes = 0, ties = 0, no = 0;

	for (size_t i = 0; i < s->nshares; i++) {
		const struct matrix_verdict *v =
			plots_verdict_at(s, 0, s->shares[i], plots_top_level(s, s->shares[i]));
		int ag = plots_folklore_agrees(s, v);

		if (ag < 0)
			continue;
		yes += ag == 1;
		ties += ag == 2;
		no += ag == 0;
		if (ag != 0)
			continue;
		snprintf(item, sizeof(item), "%s%s (won by %s, %s ahead of %s)", *list ? "; " : "",
			 plots_regime(s->shares[i], reg, sizeof(reg)), plots_vmodel(s, v->winner),
			 verdict_ratio_str(&v->vd, r, sizeof(r)), plots_vmodel(s, v->runner_up));
		strncat(list, item, sizeof(list) - strlen(list) - 1);
	}
	if (!yes && !ties && !no)
		return;
	folklore_quote(s, quote, sizeof(quote));
	fo_printf(o,
		  "- **Folklore.** At the highest concurrency, against \"%s\": agrees %zu, no "
		  "winner %zu (equivalent or inconclusive), disagrees %zu (a clear win by the test "
		  "agrees or disagrees; no winner is neither)%s%s.\n",
		  quote, yes, ties, no, *list ? "; it disagrees in: " : "", list);
}

const struct finding finding_folklore = {
	.key = "folklore",
	.section = FINDINGS_SECTION,
	.family = false,
	.fn = say_folklore,
};
