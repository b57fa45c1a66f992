/* sweep_stop.c - when a grid point's rounds stop: at MIN at the
 * earliest, at MAX at the latest, and in between once every verdict
 * between its models on the makespan is decided (a winner, or equivalent
 * within the grid's equiv:), each look taken at verdict_look_alpha(MIN,
 * MAX) so that the looks together keep the false rates (docs/verdicts.md);
 * with stop: ci, once every model's 95% interval is within its ci:
 * instead; or when the grid's budget has no room for another round. */
#include <stdlib.h>

#include "../../lib/verdict.h"
#include "../set/cells.h"
#include "sweep.h"

/* The makespans of the last n rows of a scratch file into v; how many.
 * The scratch holds measured runs only (the warm-ups ran apart), so a
 * failed run is a row short, never a warm-up in its place. */
static size_t last_makespans(const char *scratch, unsigned n, double *v)
{
	struct cells_csv t;
	size_t k = 0;
	int col;

	if (cells_csv_read(scratch, &t) != 0)
		return 0;
	col = cells_csv_col(&t, "makespan_s");
	for (size_t i = t.nrows > n ? t.nrows - n : 0; col >= 0 && i < t.nrows; i++) {
		char *end;
		double x = strtod(t.rows[i][col], &end);

		if (end != t.rows[i][col] && !*end)
			v[k++] = x;
	}
	cells_csv_free(&t);
	return k;
}

/* Whether cell c's makespan interval after r rounds is within its ci:. */
static bool cell_clear(const struct spec_cell *c, const char *scratch, unsigned r)
{
	double v[CELLS_MAX_REPS], center, lo, hi;
	size_t n = last_makespans(scratch, r, v);

	if (n < r || verdict_gmean_ci(v, n, 0.95, &center, &lo, &hi) != 0)
		return false;
	return cells_ci_within(center, lo, hi, c->ci_pct);
}

/* Whether every verdict between the point's cells on the makespan after
 * r rounds is decided: each pair a winner or equivalent at the look's
 * level (verdict_look_alpha over the rounds MIN..MAX). A cell short of
 * rows (a failed run) leaves the point undecided. */
static bool point_decided(struct spec_cell *const *cells, size_t n, const char *const *sc,
			  unsigned r)
{
	double(*v)[CELLS_MAX_REPS] = calloc(n ? n : 1, sizeof(*v));
	const double **pv = calloc(n ? n : 1, sizeof(*pv));
	size_t *nv = calloc(n ? n : 1, sizeof(*nv));
	bool decided = v && pv && nv;

	for (size_t i = 0; decided && i < n; i++) {
		nv[i] = last_makespans(sc[i], r, v[i]);
		pv[i] = v[i];
		decided = nv[i] == r;
	}
	if (decided)
		decided = verdict_point_decided(
			pv, nv, n, verdict_look_alpha(cells[0]->reps, cells[0]->reps_max),
			cells[0]->equiv_pct / 100, true, NULL);
	free(v);
	free(pv);
	free(nv);
	return decided;
}

bool sweep_more_rounds(struct spec_cell *const *cells, size_t n, const char *const *sc, unsigned r,
		       double spent_s, double last_s, double allow_s, bool *cut, const char **why)
{
	bool clear = true;

	*cut = false;
	*why = "short";
	if (r < cells[0]->reps)
		return true;
	*why = "max";
	if (r >= cells[0]->reps_max)
		return false;
	if (cells[0]->stop_ci)
		for (size_t i = 0; i < n && clear; i++)
			clear = cell_clear(cells[i], sc[i], r);
	else
		clear = n < 2 || point_decided(cells, n, sc, r);
	*why = cells[0]->stop_ci ? "target" : "decided";
	if (clear)
		return false;
	if (allow_s >= 0 && spent_s + last_s > allow_s) {
		*cut = true;
		*why = "budget";
		return false;
	}
	return true;
}
