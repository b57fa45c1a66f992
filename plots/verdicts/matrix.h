/* matrix.h - the decision matrix as pure functions.
 *
 * For one criterion where lower is better (makespan, p99 latency, memory
 * per task), decide each cell of the grid (cpu share x concurrency): a
 * winner, equivalent models, or inconclusive (../../lib/verdict.h). The
 * best is the lowest geometric mean of the reps (the center the test
 * compares); it is tested against every other valid model of the cell and
 * wins only if every one of those is a winner. The cell is EQUIVALENT
 * when each comparison is a winner or equivalent within the margin and
 * at least one is equivalent (the best and those equivalent to it are
 * one choice on this criterion), INCONCLUSIVE when any comparison is
 * neither or untested. The cell's largest raw p is its entry in one
 * Benjamini-Hochberg family over the cells of one matrix_decide call;
 * the equivalence tests of all comparisons are a second family. Under the null, best-against-all
 * with the best picked from the data is conservative (about 4.3% false winners at 2 models, 2.1% at
 * 3, single cell uncorrected). No I/O: the caller reads the reps and prints verdicts. */
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

enum matrix_outcome {
	MATRIX_ALONE,	     /* one valid model or none: nothing to test */
	MATRIX_WINNER,	     /* the best beats every other */
	MATRIX_EQUIV,	     /* the best is equivalent to some, beats the rest */
	MATRIX_INCONCLUSIVE, /* some comparison is undecided or untested */
};

/* The rule of one matrix_decide_rule call. */
struct matrix_rule {
	enum verdict_corr corr; /* across the cells (VERDICT_BH) */
	double alpha;		/* each comparison's level (0: VERDICT_ALPHA) */
	double margin;		/* the equivalence margin (0: VERDICT_MARGIN) */
};

struct matrix_verdict {
	double share_pct;   /* the grid cell: cpu share ... */
	double concurrency; /* ... and concurrency level */
	int winner;	    /* index into the input of the best valid cell, -1: none */
	int runner_up;	    /* index of the second best, -1: none */
	enum matrix_outcome outcome;
	bool tie;	    /* no clear winner: some other model is equivalent, undecided or
			       untested (outcome EQUIV or INCONCLUSIVE) */
	int *equiv;	    /* on EQUIV (or INCONCLUSIVE): the best first, then those shown
			       equivalent to it, best first (malloc'd) */
	int nequiv;	    /* entries in equiv (0 when none is) */
	int more;	    /* INCONCLUSIVE: the most reps an undecided comparison needs
			       (verdict_more_reps), -1 when one never would */
	struct verdict vd;  /* winner (a) against runner-up (b), adjusted */
	int *tied;	    /* on a tie: winner first, then those not clearly behind it
			       (equivalent or undecided), best first */
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
/* The same with a level and a margin (a grid's spec_grid_rule). */
int matrix_decide_rule(const struct matrix_cell *cells, size_t n, const struct matrix_rule *rule,
		       struct matrix_verdict **out, size_t *nout);
/* "winner", "equivalent", "inconclusive" or "alone". */
const char *matrix_word(const struct matrix_verdict *v);
void matrix_free(struct matrix_verdict *v, size_t n);

#endif
