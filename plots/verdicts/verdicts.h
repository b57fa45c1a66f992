/* verdicts.h - the floor of verdicts: the decision matrix of the main
 * grid (decide.c; matrix.c ranks and tests, pure), the regimes of the
 * other grids (regimes.c), the open-loop criterion (openloop.c), all of
 * them in words (words.c: one function per kind of verdict) and for
 * programs (decisions.c: decisions.json). The matrix and the regimes are
 * computed once, into the set's structs, and written from them; the
 * open-loop table is computed from the open-loop series (../openloop.c)
 * each time it is written (the same figures give the same table). */
#ifndef CMB_PLOTS_VERDICTS_H
#define CMB_PLOTS_VERDICTS_H

#include <stdio.h>

#include "../set.h"
#include "matrix.h"

struct doc;

/* decide.c */
/* The verdicts of the main grid, per criterion. 0 or -ENOMEM. */
int plots_decide_all(struct set *s);
void plots_verdicts_free(struct set *s);
const struct matrix_verdict *plots_verdict_at(const struct set *s, size_t k, double share,
					      double conc);
const char *plots_vmodel(const struct set *s, int idx);
/* 1 when the time verdict agrees with the folklore, 2 a tie, 0 no, -1 no
 * verdict or no folklore for the share. */
int plots_folklore_agrees(const struct set *s, const struct matrix_verdict *v);
double plots_top_level(const struct set *s, double share);
void plots_summary_table(const struct set *s, FILE *f);
int plots_write_matrix_md(const struct set *s);

/* words.c */
const char *plots_verdict_text(const struct set *s, size_t k, const struct matrix_verdict *v,
			       char *b, size_t n);
/* The second line of a matrix cell (winner v->winner): "only one", no
 * winner ("≈ label" equivalent or "? label" inconclusive on the chart;
 * "equivalent, N" or "inconclusive" on the page), "far ahead", the ratio
 * ("1.8×" or "+12%" on the chart, "1.21× ahead" on the page). */
const char *words_cell_margin(const struct set *s, const struct matrix_verdict *v, bool chart,
			      char *b, size_t n);
/* The verdict column of a regimes row: v2 is the fastest (a) against the
 * next, vf the fastest (a) against the folklore's pick when that is not
 * the fastest (pick_is_best false). Only a clear win of a (VERDICT_A)
 * agrees or disagrees; a clear win of b is no win of the fastest. */
const char *plots_regime_word(const struct verdict *v2, const struct verdict *vf,
			      bool pick_is_best);
/* "**best** 1.2 s; ahead of next 1.41× [1.30, 1.52]" - a regime's fastest. */
const char *words_regime_best(const struct cell *best, const struct cell *second,
			      const struct verdict *v2, char *b, size_t n);
/* "model, untested (why)" - the highest of figures the rule cannot test. */
const char *words_untested(const char *model, const char *why, char *b, size_t n);
/* A comparison of a and b: "a 1.41× [1.30, 1.52] ahead of b", "a ≈ b
 * (1.03× [0.98, 1.09])" (lib/verdict.c's words). */
const char *words_vs(const struct verdict *v, const char *a, const char *b, char *buf, size_t n);
/* decide.c: where time is equivalent (v a time verdict, outcome
 * MATRIX_EQUIV), the choice among the equivalent models by the next
 * criterion: p99, then memory. 1 with *idx (an index of s->mc_src), *by
 * (the criterion that chose) and *vd (the chosen against the next best of
 * them there, a winner); 0 when neither criterion picks one. */
int plots_next_choice(const struct set *s, const struct matrix_verdict *v, int *idx, size_t *by,
		      struct verdict *vd);
/* words.c: "**eventloop**: equivalent on time, 1.19× [1.16, 1.21] less
 * memory", or "" when plots_next_choice finds no choice. */
const char *plots_next_text(const struct set *s, const struct matrix_verdict *v, char *b, size_t n);
/* The rule behind the three verdicts of a cell, a few sentences. */
const char *plots_tie_rule(char *b, size_t n);

/* regimes.c: one row per folklore line (and io level) of the other grids */
struct regime_row {
	const struct spec_grid *g;
	const struct spec_folklore *fl;
	double level, io_us;
	bool show_io; /* the grid has several io levels: the row names its own */
	bool scoped;  /* a line of foreign models only: among them */
	const struct cell *best, *second, *fbest; /* fastest, next, the folklore's pick */
	int v2, vf; /* best against second, against fbest: s->regime_vd[], -1 none */
	size_t failed;
};
/* The rows and their comparisons, adjusted as one family. 0 or -ENOMEM. */
int plots_regimes_build(struct set *s);
const struct verdict *plots_regime_vd(const struct set *s, int i);
/* The regimes table (or the sentence that there is none). */
void plots_regimes_doc(const struct set *s, struct doc *d);
void plots_regimes_free(struct set *s);

/* openloop.c: decision-matrix.md's open-loop section; nothing when the set
 * has no open-loop cells. 0 or -ENOMEM. */
int plots_openloop_doc(const struct set *s, struct doc *d);

/* decisions.c: decisions.json, the verdicts above for programs (and the
 * page of `cmbench report`) */
void plots_decisions_json(const struct set *s, FILE *f);
int plots_write_decisions(const struct set *s);

#endif
