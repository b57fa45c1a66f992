/* kinds.h - what kind of work and what kind of model a cell has, from the
 * tables' traits only (never a name), and the little helpers the regimes
 * table, the findings and the report share (verdicts/regimes.c,
 * findings/, report/). Static inline: each file keeps its own copy. */
#ifndef CMB_PLOTS_KINDS_H
#define CMB_PLOTS_KINDS_H

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "../lib/util.h"
#include "../models/model.h"
#include "../workloads/workload.h"
#include "set.h"

/* What kind of work a cell's workload is: its table's family. */
static inline bool wl_blocking_io(const struct workload_ops *w) /* a blocking GET */
{
	return w && w->family == WL_FAMILY_BLOCKING_IO;
}

static inline bool wl_embedded_db(const struct workload_ops *w) /* a library in the process */
{
	return w && w->family == WL_FAMILY_EMBEDDED_DB;
}

static inline bool wl_db_server(const struct workload_ops *w) /* a server over a socket */
{
	return w && w->family == WL_FAMILY_DB_SERVER;
}

static inline bool wl_plain(const struct workload_ops *w, bool io, bool cpu)
{
	return w && w->family == WL_FAMILY_PLAIN && w->does_io == io && w->does_cpu == cpu;
}

static inline bool wl_mixed(const struct workload_ops *w)
{
	return wl_plain(w, true, true);
}

/* What the findings call a workload. */
static inline const char *wl_noun(const struct workload_ops *w)
{
	return w->noun ? w->noun : w->label;
}

static inline bool usable(const struct cell *c)
{
	return c->ok && c->m && isfinite(c->v[M_MAKESPAN][MED]) && c->v[M_MAKESPAN][MED] > 0;
}

static inline bool is_exec(const struct cell *c)
{
	size_t n = strlen(c->id);

	return c->m && c->m->spawns && n > 5 && strcmp(c->id + n - 5, "-exec") == 0;
}

static inline double tput(const struct cell *c)
{
	return c->tasks / c->v[M_MAKESPAN][MED];
}

/* A cell of the same grid, work and level as ref whose model passes want. */
static inline const struct cell *peer(const struct set *s, const struct cell *ref,
				      bool (*want)(const struct model_ops *m))
{
	for (size_t i = 0; i < s->ncells; i++) {
		const struct cell *c = &s->cells[i];

		if (usable(c) && strcmp(c->grid, ref->grid) == 0 && c->w == ref->w &&
		    (c->io_us == ref->io_us || (isnan(c->io_us) && isnan(ref->io_us))) &&
		    (c->conc == ref->conc || c->one_slot) && want(c->m) && !is_exec(c))
			return c;
	}
	return NULL;
}

static inline bool m_inline_loop(const struct model_ops *m)
{
	return !m->foreign && m->kind == MODEL_KIND_LOOP && m->par == MODEL_PAR_ONE;
}

static inline bool m_offload_loop(const struct model_ops *m)
{
	return !m->foreign && m->kind == MODEL_KIND_LOOP && m->offload;
}

static inline bool m_prefork(const struct model_ops *m)
{
	return !m->foreign && m->kind == MODEL_KIND_LOOP && !m->offload &&
	       m->par == MODEL_PAR_WORKERS;
}

static inline bool m_thread_pool(const struct model_ops *m)
{
	return !m->foreign && m->kind == MODEL_KIND_THREADS && !m->per_task;
}

static inline bool m_process_pool(const struct model_ops *m)
{
	return !m->foreign && m->kind == MODEL_KIND_PROCESSES && !m->per_task && !m->spawns;
}

static inline bool m_seq(const struct model_ops *m)
{
	return !m->foreign && m->kind == MODEL_KIND_SEQUENTIAL;
}

static inline bool m_py_seq(const struct model_ops *m)
{
	return m->foreign && m->kind == MODEL_KIND_SEQUENTIAL;
}

static inline bool m_py_threads(const struct model_ops *m)
{
	return m->foreign && m->kind == MODEL_KIND_THREADS;
}

static inline bool m_py_procs(const struct model_ops *m)
{
	return m->foreign && m->kind == MODEL_KIND_PROCESSES;
}

/* The name of a cell's model, "(exec)" added for an exec'd spawn. */
static inline const char *mname(const struct cell *c, char *b, size_t n)
{
	snprintf(b, n, "%s%s", c->model, is_exec(c) ? " (exec)" : "");
	return b;
}

/* "io 2 ms" of server wait, or "no server wait" */
static inline const char *io_text(double io_us, char *b, size_t n)
{
	char t[48];

	if (io_us == 0)
		snprintf(b, n, "no server wait");
	else
		snprintf(b, n, "io %s", fmt_us(t, sizeof(t), io_us, FMT_PROSE));
	return b;
}

static inline const char *secs(double v, char *b, size_t n)
{
	return fmt_us(b, n, v * 1e6, FMT_PROSE);
}

#endif
