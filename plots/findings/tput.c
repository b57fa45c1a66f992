/* tput.c - throughput (and p99) per model of a workload kind, at each
 * level: a library in the process (embedded_db) or a database server over
 * a socket (db_server), known by the workload's family. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../../lib/util.h"
#include "../kinds.h"
#include "findings.h"

/* Throughput (and p99) per model of a workload kind, at each level. */
static void say_tput(const struct set *s, struct finding_out *o,
		     bool (*kind)(const struct workload_ops *), bool p99)
{
	char grids[PLOTS_LIST_LEN] = "", a[48], lv[32], n1[96];
	const struct cell *first = NULL;

	for (size_t i = 0; i < s->ncells; i++)
		if (usable(&s->cells[i]) && kind(s->cells[i].w)) {
			bool seen = false;

			for (size_t j = 0; j < i && !seen; j++)
				seen = usable(&s->cells[j]) && kind(s->cells[j].w) &&
				       strcmp(s->cells[j].grid, s->cells[i].grid) == 0;
			first = first ? first : &s->cells[i];
			if (!seen)
				plots_list_add(grids, sizeof(grids), s->cells[i].grid);
		}
	if (!first)
		return;
	fo_printf(o, "- **%s** (%s workload; grids %s), tasks per second%s:", wl_noun(first->w),
		  first->w->label, grids, p99 ? " and p99 latency" : "");
	for (size_t i = 0, n = 0; i < s->ncells; i++) {
		const struct cell *c = &s->cells[i];

		if (!usable(c) || !kind(c->w))
			continue;
		if (isfinite(c->io_us) && c->w->does_io)
			fo_printf(o, "%s %s at C=%s, %s: %.0f/s", n++ ? ";" : "",
				  mname(c, n1, sizeof(n1)), plots_count(c->conc, lv, sizeof(lv)),
				  io_text(c->io_us, a, sizeof(a)), tput(c));
		else
			fo_printf(o, "%s %s at C=%s: %.0f/s", n++ ? ";" : "",
				  mname(c, n1, sizeof(n1)), plots_count(c->conc, lv, sizeof(lv)),
				  tput(c));
		if (p99 && isfinite(c->v[M_P99][MED]))
			fo_printf(o, " (p99 %s)",
				  plots_p99_text(c->v[M_P99][MED], c->tasks, a, sizeof(a)));
		if (strcmp(c->grid, first->grid) != 0)
			fo_printf(o, " [grid %s]", c->grid);
	}
	fo_printf(o, ".\n");
}

static void say_embedded_db(const struct set *s, struct finding_out *o)
{
	say_tput(s, o, wl_embedded_db, false);
}

static void say_db_server(const struct set *s, struct finding_out *o)
{
	say_tput(s, o, wl_db_server, true);
}

const struct finding finding_embedded_db = {
	.key = "embedded_db",
	.section = FINDINGS_SECTION,
	.family = true,
	.fn = say_embedded_db,
};

const struct finding finding_db_server = {
	.key = "db_server",
	.section = FINDINGS_SECTION,
	.family = true,
	.fn = say_db_server,
};
