/* python.c - C against CPython: the speed-up of threads and processes over their
 * own sequential model on cpu work. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/util.h"
#include "../../models/model.h"
#include "../kinds.h"
#include "../verdicts/verdicts.h"
#include "findings.h"

/* C against CPython: the speed-up of threads and processes over their
 * own sequential model on cpu work, and the Python loops on io. */
static void say_python(const struct set *s, struct finding_out *o)
{
	char lv[32];

	for (size_t i = 0; i < s->ncells; i++) {
		const struct cell *c = &s->cells[i], *seq, *cth, *cseq, *pp, *cpp;

		if (!usable(c) || !m_py_threads(c->m) || !wl_plain(c->w, false, true))
			continue;
		seq = peer(s, c, m_py_seq);
		cth = peer(s, c, m_thread_pool);
		cseq = peer(s, c, m_seq);
		pp = peer(s, c, m_py_procs);
		cpp = peer(s, c, m_process_pool);
		fo_printf(o, "- **C against CPython on CPU work** (grid %s, C=%s): ", c->grid,
			  plots_count(c->conc, lv, sizeof(lv)));
		if (seq) {
			/* the verdict rule decides, not a threshold on the ratio */
			int id = fo_vs(o, c, seq, M_MAKESPAN);

			fo_printf(o, " (");
			fo_if_clear(o, &id, 1, "threads did help here, against the GIL folklore",
				    "threads did not clearly help CPU work here: the GIL");
			fo_printf(o, ")");
		}
		if (seq && pp)
			fo_printf(o, ", %s %.2f×", pp->model,
				  seq->v[M_MAKESPAN][MED] / pp->v[M_MAKESPAN][MED]);
		if (cth && cseq)
			fo_printf(o, "; in C %s runs %.2f× as fast as %s", cth->model,
				  cseq->v[M_MAKESPAN][MED] / cth->v[M_MAKESPAN][MED], cseq->model);
		if (cpp && cseq)
			fo_printf(o, ", %s %.2f×", cpp->model,
				  cseq->v[M_MAKESPAN][MED] / cpp->v[M_MAKESPAN][MED]);
		fo_printf(o,
			  " (each runtime's --cpu is calibrated to its own kernel: a task is the "
			  "same time of work on one core in both).\n");
	}
}

const struct finding finding_python = {
	.key = "python",
	.section = FINDINGS_SECTION,
	.family = true,
	.fn = say_python,
};
