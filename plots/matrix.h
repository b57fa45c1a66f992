/* matrix.h - the decision matrix as pure functions.
 *
 * For one criterion where lower is better (makespan, p99 latency, memory
 * per task), decide which model wins each cell of the grid (cpu share x
 * concurrency), by how much, and whether the two best are a tie. The two
 * best (lowest medians) are compared by the verdict rule (../verdict.h:
 * Welch on log values, Benjamini-Hochberg over the cells of one
 * matrix_decide call, adjusted p < 0.05 and a ratio >= 1.05); anything
 * else is a tie. No I/O: the caller reads the reps and prints verdicts. */
#ifndef CMB_MATRIX_H
#define CMB_MATRIX_H

#include <stdbool.h>
#include <stddef.h>

#include "../lib/verdict.h"

#define MATRIX_TIE_PCT 5.0 /* a ratio below 1 + this/100 is a tie (VERDICT_MIN_RATIO) */

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
	const double *v;    /* the criterion of every rep (NULL: none known) */
	size_t nv;	    /* reps in v; fewer than 2: no test, a tie */
};

struct matrix_verdict {
	double share_pct;   /* the grid cell: cpu share ... */
	double concurrency; /* ... and concurrency level */
	int winner;	    /* index into the input of the best valid cell, -1: none */
	int runner_up;	    /* index of the second best, -1: none */
	double margin;	    /* runner-up med / winner med - 1 (0 without runner-up) */
	bool tie;	    /* the two best cannot be told apart (no clear verdict) */
	struct verdict vd;  /* winner (a) against runner-up (b), adjusted */
	int *tied;	    /* on a tie: winner first, then all tied with it */
	int ntied;	    /* entries in tied (0 unless tie; malloc'd) */
	int nvalid;	    /* contenders with ok set and finite figures */
	int nfailed;	    /* contenders left out: not ok or not finite */
};

/* True when a cell can compete: ok and its med, min and max are finite. */
bool matrix_cell_valid(const struct matrix_cell *c);

/* The unadjusted verdict rule between a and b (their reps): true when
 * neither is clearly better. Symmetric. Used to list who else ties with
 * a winner. */
bool matrix_is_tie(const struct matrix_cell *a, const struct matrix_cell *b);

/* runner_med / winner_med - 1; INFINITY when the winner's median is not
 * positive and the runner-up's is larger, 0 when neither is. */
double matrix_margin(double winner_med, double runner_med);

/* Decide every (share, concurrency) pair present in cells[0..n). A share's
 * levels are the distinct concurrency values of its cells; an any_level
 * cell of a share is a contender at each of them.
 * A model that appears twice at one level counts once (the first). Cells
 * that are not valid never win; they are counted in nfailed. The
 * winner-against-runner-up tests of all levels are one family for
 * the correction (corr).
 * On success *out is a malloc'd array sorted by share, then concurrency,
 * and *nout its length (0 and NULL for empty input); matrix_free
 * releases it. Returns 0, or -ENOMEM. */
int matrix_decide(const struct matrix_cell *cells, size_t n, struct matrix_verdict **out,
		  size_t *nout);
int matrix_decide_corr(const struct matrix_cell *cells, size_t n, enum verdict_corr corr,
		       struct matrix_verdict **out, size_t *nout);
void matrix_free(struct matrix_verdict *v, size_t n);

#endif
