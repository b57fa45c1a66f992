/* offload_pool.c - Offload against a thread pool on CPU work with a fixed pool (the grid
 * of role offload): what the loop's hand-off costs when C = workers. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/util.h"
#include "../../models/model.h"
#include "../kinds.h"
#include "../verdicts/verdicts.h"
#include "findings.h"

/* eventloop-offload against threadpool on CPU work with a fixed pool
 * (a grid whose offload cells run fewer workers than tasks in flight
 * somewhere): what the loop's hand-off costs when C = workers, and what
 * queueing more tasks than workers buys back. */
static void say_offload_pool(const struct set *s, struct finding_out *o)
{
	char lv[32], cb[64], lost[640];
	int at_workers[64]; /* the comparisons at C = workers: a loss there is the lost core */
	size_t nat = 0;
	bool head = false;
	const char *offload_model = "";

	for (size_t i = 0; i < s->ncells; i++) {
		const struct cell *c = &s->cells[i], *tp;
		double r;

		if (!usable(c) || !m_offload_loop(c->m) || !wl_plain(c->w, false, true) ||
		    (s->grid && strcmp(c->grid, s->grid) == 0) ||
		    strcmp(c->grid, s->offload_grid) != 0)
			continue;
		if (!(tp = peer(s, c, m_thread_pool)))
			continue;
		if (!head)
			fo_printf(o,
				  "- **Offload against a thread pool on CPU work** (grid %s, %s "
				  "cores): "
				  "%s's makespan against %s's at the same "
				  "concurrency:",
				  c->grid, plots_cores(s, cb, sizeof(cb)), c->model, tp->model);
		r = c->v[M_MAKESPAN][MED] / tp->v[M_MAKESPAN][MED];
		fo_printf(o, "%s %.2f× at C=%s with %g workers (", head ? ";" : "", r,
			  plots_count(c->conc, lv, sizeof(lv)), c->workers);
		{
			int id = fo_vs(o, tp, c, M_MAKESPAN);

			if (c->conc <= c->workers && nat < sizeof(at_workers) / sizeof(*at_workers))
				at_workers[nat++] = id;
		}
		fo_printf(o, ")");
		offload_model = c->model;
		head = true;
	}
	snprintf(lost, sizeof(lost),
		 ". With as many tasks in flight as workers, a worker that finishes "
		 "waits for the loop thread to wake, take the result and submit the next "
		 "task, and the loop is one more thread than there are cores; with more "
		 "tasks in flight than workers the next task is already queued "
		 "(docs/method.md, \"%s and the lost core\").\n",
		 offload_model);
	if (head) /* the thread pool clearly ahead where C = workers: the lost core */
		fo_if_clear(o, at_workers, nat, lost, ".\n");
}

const struct finding finding_offload_pool = {
	.key = "offload_pool",
	.section = FINDINGS_SECTION,
	.family = true,
	.fn = say_offload_pool,
};
