/* libs_vs.c - the foreign models' libraries against each other. Where two
 * grids of the set fix one library flag (a flags: line with --py-...) to
 * two libraries and are alike in every other flag, each model's cell under
 * the later grid's library is held against its cell under the first
 * grid's, like for like (the workload, C, the work per task): the ratio
 * of the makespans by the verdict rule (in the one BH family), and the
 * difference of wall time per task, what one call through the library
 * costs or saves. The seed's "open() ... will stall the event loop ...
 * aiofiles wraps file operations in a ThreadPoolExecutor" is one of these
 * (sweeps/python's file grids: aiofiles against open().read() inline; at
 * C=1 on a warm cache the difference per task is aiofiles' cost per call,
 * and at C=100 on a cold set the ratio is the stall), and "SQLAlchemy ...
 * wraps async drivers like asyncpg" another (its engines against asyncpg
 * and psycopg2: its cost per query). Nothing when no two grids are alike. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../../lib/util.h"
#include "../../models/model.h"
#include "../kinds.h"
#include "findings.h"

#define LIB_FLAG_PREFIX "py-" /* the library flags: --py-http, --py-pg, --py-file */

/* The index of g's library flag, or -1. */
static int grid_lib(const struct spec_grid *g)
{
	for (size_t i = 0; i < g->n_flags; i++)
		if (strncmp(g->flags[i][0], LIB_FLAG_PREFIX, strlen(LIB_FLAG_PREFIX)) == 0)
			return (int)i;
	return -1;
}

/* g's value of flag name, or NULL. */
static const char *flag_of(const struct spec_grid *g, const char *name)
{
	for (size_t i = 0; i < g->n_flags; i++)
		if (strcmp(g->flags[i][0], name) == 0)
			return g->flags[i][1];
	return NULL;
}

/* The same library flag with another value, every other flag the same. */
static bool alike(const struct spec_grid *a, int la, const struct spec_grid *b, int lb)
{
	if (la < 0 || lb < 0 || a->n_flags != b->n_flags ||
	    strcmp(a->flags[la][0], b->flags[lb][0]) != 0 ||
	    strcmp(a->flags[la][1], b->flags[lb][1]) == 0)
		return false;
	for (size_t i = 0; i < a->n_flags; i++) {
		const char *v = flag_of(b, a->flags[i][0]);

		if ((int)i != la && (!v || strcmp(v, a->flags[i][1]) != 0))
			return false;
	}
	return true;
}

static bool same(double x, double y)
{
	return x == y || (isnan(x) && isnan(y));
}

/* The usable cell of grid g with c's model and work, or NULL. */
static const struct cell *like(const struct set *s, const char *g, const struct cell *c)
{
	for (size_t i = 0; i < s->ncells; i++) {
		const struct cell *d = &s->cells[i];

		if (usable(d) && strcmp(d->grid, g) == 0 && strcmp(d->model, c->model) == 0 &&
		    d->w == c->w && d->conc == c->conc && same(d->io_us, c->io_us) &&
		    d->tasks == c->tasks && same(d->payload, c->payload) &&
		    same(d->iters, c->iters) && !is_exec(d))
			return d;
	}
	return NULL;
}

/* The reference of c, a cell of grid b: its like in the first grid before
 * b that is alike (its library's name in *lib), or NULL. */
static const struct cell *reference(const struct set *s, size_t bi, const struct cell *c,
				    const char **lib)
{
	const struct spec_grid *b = &s->spec.grids[bi];

	for (size_t ai = 0; ai < bi; ai++) {
		const struct spec_grid *a = &s->spec.grids[ai];
		const struct cell *r;

		if (alike(a, grid_lib(a), b, grid_lib(b)) && (r = like(s, a->name, c))) {
			*lib = a->flags[grid_lib(a)][1];
			return r;
		}
	}
	return NULL;
}

/* Each foreign model's cell of grid bi against its reference; the
 * paragraph's opening once, before the first. */
static void say_grid(const struct set *s, struct finding_out *o, size_t bi, bool *opened)
{
	const struct spec_grid *b = &s->spec.grids[bi];
	int lb = grid_lib(b);
	char lv[32], x[48], y[48], na[160], nb[160];
	bool head = false;

	for (size_t i = 0; lb >= 0 && i < s->ncells; i++) {
		const struct cell *c = &s->cells[i], *r;
		const char *lib = NULL;

		if (strcmp(c->grid, b->name) != 0 || !usable(c) || !c->m || !c->m->foreign ||
		    !(r = reference(s, bi, c, &lib)))
			continue;
		if (!*opened)
			fo_printf(o, "\nThe libraries against each other: a grid's library against "
				     "that of the first grid before it alike in all else, for each "
				     "model in both, like for like.\n\n");
		*opened = true;
		if (!head)
			fo_printf(o,
				  "- **--%s %s against the library before it** (%s, grid %s): "
				  "what a task took more, in wall time, and the makespans by the "
				  "rule:",
				  b->flags[lb][0], b->flags[lb][1], c->w ? wl_noun(c->w) : "?",
				  b->name);
		fo_printf(o, "%s %s at C=%s against %s %+.1f µs a task (%s against %s; ",
			  head ? ";" : "", c->model, plots_count(c->conc, lv, sizeof(lv)), lib,
			  (c->v[M_MAKESPAN][MED] - r->v[M_MAKESPAN][MED]) / c->tasks * 1e6,
			  secs(c->v[M_MAKESPAN][MED], x, sizeof(x)),
			  secs(r->v[M_MAKESPAN][MED], y, sizeof(y)));
		snprintf(na, sizeof(na), "%s with %s", c->model, b->flags[lb][1]);
		snprintf(nb, sizeof(nb), "%s with %s", r->model, lib);
		fo_vs_as(o, c, r, M_MAKESPAN, na, nb);
		fo_printf(o, ")");
		head = true;
	}
	if (head)
		fo_printf(o, ".\n");
}

static void say_libs_vs(const struct set *s, struct finding_out *o)
{
	bool opened = false;

	for (size_t bi = 0; bi < s->spec.n_grids; bi++)
		say_grid(s, o, bi, &opened);
}

const struct finding finding_libs_vs = {
	.key = "libs_vs",
	.section = FINDINGS_SECTION,
	.family = true,
	.fn = say_libs_vs,
};
