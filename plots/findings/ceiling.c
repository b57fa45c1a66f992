/* ceiling.c - one line per search of `cmbench ceiling` (ceiling.csv, read
 * by ../data/ceiling.c): the tasks held, the memory then, what stopped it. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/util.h"
#include "../data/ceiling.h"
#include "findings.h"

/* One line per search: the tasks held, the memory then, what stopped it. */
static void say_ceiling(const struct set *s, struct finding_out *o)
{
	struct cells_csv t = { 0 };
	struct crow *r;
	size_t n = ceiling_load(s, &t, &r);
	char a[48], b[48], c[48];
	bool head = false;

	for (size_t i = 0; i < n; i++) {
		const struct crow *x = &r[i];

		if (strcmp(x->row, "ceiling") != 0 || ceiling_final_row(r, i, x->model, x->wl))
			continue;
		if (!head) {
			fo_printf(o, "- **Tasks held at once** (`cmbench ceiling`: all C tasks in "
				     "flight together, C doubled then bisected; ceiling.csv):\n");
			head = true;
		}
		if (x->conc <= 0) {
			fo_printf(o, "  - %s on %s failed at its first probe (C=%s): %s (%s).\n",
				  x->model, x->wl, plots_count(x->first_fail, a, sizeof(a)),
				  x->limit, x->detail);
			continue;
		}
		fo_printf(o, "  - %s on %s held **%s** tasks at %s PSS (%s a task", x->model, x->wl,
			  plots_count(x->conc, a, sizeof(a)),
			  fmt_kib(b, sizeof(b), x->pss, FMT_PROSE),
			  fmt_kib(c, sizeof(c), x->conc > 0 ? (x->pss - x->base) / x->conc : 0,
				  FMT_PROSE));
		if (isfinite(x->slope))
			fo_printf(o, ", %s by the fit", fmt_kib(a, sizeof(a), x->slope, FMT_PROSE));
		if (isfinite(x->kmem))
			fo_printf(o, "; kernel %s beside it",
				  fmt_kib(a, sizeof(a), x->kmem, FMT_PROSE));
		fo_printf(o, ")");
		if (x->first_fail > 0)
			fo_printf(o, "; at C=%s: **%s** (%s)",
				  plots_count(x->first_fail, a, sizeof(a)), x->limit, x->detail);
		else
			fo_printf(o, "; %s (%s)", x->limit, x->detail);
		fo_printf(o, "%s%s%s.\n", *x->lift ? "; to lift it: `" : "", x->lift,
			  *x->lift ? "`" : "");
	}
	free(r);
	cells_csv_free(&t);
}

const struct finding finding_ceiling = {
	.key = "ceiling",
	.section = FINDINGS_SECTION,
	.family = false,
	.fn = say_ceiling,
};
