/* matrix.h - the decision matrix as pure functions.
 *
 * For one criterion where lower is better (makespan, p99 latency, memory
 * per task), decide which model wins each cell of the grid (cpu share x
 * concurrency), by how much, and whether the two best are a tie. No I/O:
 * the caller reads cells.csv and prints the verdicts. */
#ifndef CMB_MATRIX_H
#define CMB_MATRIX_H

#include <stdbool.h>
#include <stddef.h>

#define MATRIX_TIE_PCT 5.0 /* medians closer than this (percent) tie */

struct matrix_cell {
	const char *model;  /* model name */
	double share_pct;   /* cpu share of a task: 0 (io) .. 100 (cpu) */
	double concurrency; /* the level the cell ran at */
	bool ok;	    /* every rep finished every task cleanly */
	double med;	    /* criterion: median over reps (lower is better) */
	double min;	    /* criterion: smallest rep */
	double max;	    /* criterion: largest rep */
	bool any_level;	    /* a one-slot model's cell: it competes at every level
			       of its share (it runs one task at a time anyway) */
};

struct matrix_verdict {
	double share_pct;   /* the grid cell: cpu share ... */
	double concurrency; /* ... and concurrency level */
	int winner;	    /* index into the input of the best valid cell, -1: none */
	int runner_up;	    /* index of the second best, -1: none */
	double margin;	    /* runner-up med / winner med - 1 (0 without runner-up) */
	bool tie;	    /* the two best cannot be told apart */
	int *tied;	    /* on a tie: winner first, then all tied with it */
	int ntied;	    /* entries in tied (0 unless tie; malloc'd) */
	int nvalid;	    /* contenders with ok set and finite figures */
	int nfailed;	    /* contenders left out: not ok or not finite */
};

/* True when a cell can compete: ok and its med, min and max are finite. */
bool matrix_cell_valid(const struct matrix_cell *c);

/* True when a and b cannot be told apart: their [min, max] ranges overlap,
 * or their medians differ by less than MATRIX_TIE_PCT percent of the
 * larger magnitude. Symmetric. */
bool matrix_is_tie(const struct matrix_cell *a, const struct matrix_cell *b);

/* runner_med / winner_med - 1; INFINITY when the winner's median is not
 * positive and the runner-up's is larger, 0 when neither is. */
double matrix_margin(double winner_med, double runner_med);

/* Decide every (share, concurrency) pair present in cells[0..n). A share's
 * levels are the distinct concurrency values of its cells; an any_level
 * cell of a share is a contender at each of them.
 * A model that appears twice at one level counts once (the first). Cells
 * that are not valid never win; they are counted in nfailed.
 * On success *out is a malloc'd array sorted by share, then concurrency,
 * and *nout its length (0 and NULL for empty input); matrix_free
 * releases it. Returns 0, or -ENOMEM. */
int matrix_decide(const struct matrix_cell *cells, size_t n, struct matrix_verdict **out,
		  size_t *nout);
void matrix_free(struct matrix_verdict *v, size_t n);

#endif
