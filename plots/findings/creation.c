/* creation.c - Creating a thread or a process per task, against the pool of the same
 * kind in the same grid at the same level. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/util.h"
#include "../../models/model.h"
#include "../kinds.h"
#include "../verdicts/verdicts.h"
#include "findings.h"

/* Creating a thread or a process per task, against the pool of the same
 * kind in the same grid at the same level. */
static void say_creation(const struct set *s, struct finding_out *o)
{
	char n1[96], n2[48], a[48], b[48];
	bool head = false;

	for (size_t i = 0; i < s->ncells; i++) {
		const struct cell *c = &s->cells[i], *pool;
		double d;

		if (!usable(c) || !c->m->per_task || !c->w || c->w->does_io)
			continue;
		pool = peer(s, c,
			    c->m->kind == MODEL_KIND_THREADS ? m_thread_pool : m_process_pool);
		if (!pool)
			continue;
		if (!head)
			fo_printf(
				o,
				"- **Creating a thread or a process per task** (grid %s, %s tasks "
				"of tiny CPU work at C=%g), against a pool of the same kind:",
				c->grid, plots_count(c->tasks, a, sizeof(a)), c->conc);
		head = true;
		d = (c->v[M_MAKESPAN][MED] / c->tasks - pool->v[M_MAKESPAN][MED] / pool->tasks) *
		    1e6;
		fo_printf(o, " %s takes %s of wall time a task, %s %s: %s a task more (",
			  mname(c, n1, sizeof(n1)),
			  fmt_us(a, sizeof(a), c->v[M_MAKESPAN][MED] / c->tasks * 1e6, FMT_PROSE),
			  pool->model,
			  fmt_us(b, sizeof(b), pool->v[M_MAKESPAN][MED] / pool->tasks * 1e6,
				 FMT_PROSE),
			  fmt_us(n2, sizeof(n2), d, FMT_PROSE));
		fo_vs(o, pool, c, M_MAKESPAN);
		fo_printf(o, ");");
	}
	if (head)
		fo_printf(o,
			  " a pool pays for its threads or processes once, before the clock "
			  "(with %s cores, C tasks in flight share them: the extra wall time a "
			  "task is the creation cost divided by the tasks created at once).\n",
			  plots_cores(s, a, sizeof(a)));
}

const struct finding finding_creation = {
	.key = "creation",
	.section = FINDINGS_SECTION,
	.family = true,
	.fn = say_creation,
};
