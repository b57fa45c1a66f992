/* matrix.h - the decision matrix as pure functions.
 *
 * For one criterion where lower is better (makespan, p99 latency, memory
 * per task), decide which model wins each cell of the grid (cpu share x
 * concurrency), by how much, and who ties with it. The best is the lowest
 * geometric mean of the reps (the center the test compares); it is tested
 * against every other valid model of the cell by the verdict rule
 * (../lib/verdict.h: Welch on log values, adjusted p < 0.05 and a ratio
 * >= 1.05) and wins only if every one of those is clear. The cell's
 * largest raw p is its entry in one Benjamini-Hochberg family over the
 * cells of one matrix_decide call. Under the null, best-against-all with
 * the best picked from the data is conservative (about 4.3% false winners
 * at 2 models, 2.1% at 3, single cell uncorrected). No I/O: the caller
 * reads the reps and prints verdicts. */
#ifndef CMB_MATRIX_H
#define CMB_MATRIX_H

#include <stdbool.h>
#include <stddef.h>

#include "../../lib/verdict.h"

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
	bool tie;	    /* no clear winner: some other model is tied or untested */
	struct verdict vd;  /* winner (a) against runner-up (b), adjusted */
	int *tied;	    /* on a tie: winner first, then those the test cannot
			       tell from it (adjusted), best first */
	int ntied;	    /* entries in tied (0 unless tie; malloc'd) */
	int *untested;	    /* on a tie: valid models too few reps to test */
	int nuntested;	    /* entries in untested (malloc'd) */
	struct verdict *vs; /* the winner against each other valid model ... */
	int *vs_idx;	    /* ... cells[vs_idx[i]], best first (vs[0]: runner-up) */
	int nvs;	    /* entries in vs */
	struct verdict fam; /* the cell's entry in the family: its largest p */
	int nvalid;	    /* contenders with ok set and finite figures */
	int nfailed;	    /* contenders left out: not ok or not finite */
};

/* True when a cell can compete: ok and its med, min and max are finite. */
bool matrix_cell_valid(const struct matrix_cell *c);

/* The unadjusted verdict rule between a and b (their reps): true when
 * both were tested and neither is clearly better (false when either has
 * too few reps: untested is not a tie). Symmetric. */
bool matrix_is_tie(const struct matrix_cell *a, const struct matrix_cell *b);

/* Decide every (share, concurrency) pair present in cells[0..n). A share's
 * levels are the distinct concurrency values of its cells; an any_level
 * cell of a share is a contender at each of them.
 * A model that appears twice at one level counts once (the first). Cells
 * that are not valid never win; they are counted in nfailed. The
 * levels' largest p values are one family for the correction (corr).
 * On success *out is a malloc'd array sorted by share, then concurrency,
 * and *nout its length (0 and NULL for empty input); matrix_free
 * releases it. Returns 0, or -ENOMEM. */
int matrix_decide(const struct matrix_cell *cells, size_t n, struct matrix_verdict **out,
		  size_t *nout);
int matrix_decide_corr(const struct matrix_cell *cells, size_t n, enum verdict_corr corr,
		       struct matrix_verdict **out, size_t *nout);
void matrix_free(struct matrix_verdict *v, size_t n);

#endif
