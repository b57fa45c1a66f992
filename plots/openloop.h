/* openloop.h - the open-loop series of a set (openloop.c). */
#ifndef CMB_PLOTS_OPENLOOP_H
#define CMB_PLOTS_OPENLOOP_H

#include "set.h"

#define OL_MAX_WL 4	   /* regimes (workloads) drawn */
#define OL_MAX_PTS 64	   /* rates of one model in one regime */
#define OL_MAX_REPS 100	   /* searches per model kept (search_reps:) */
#define OL_SPECTRUM_PCT 70 /* the load of the spectrum chart, percent of capacity */
#define OL_KNEE 2.0	   /* p99 over the unloaded p99 that marks the knee */
#define OL_BASE_N 1000	   /* samples the unloaded p99 needs */
#define OL_P99_N 100	   /* samples a p99 needs to be called one */

struct ol_point {
	double rate, achieved, p50, p99; /* tasks/s, tasks/s, us, us */
	double p99_lo, p99_hi;		 /* p99's interval over the reps, us */
	double tasks, samples, makespan; /* tasks, ok tasks (median rep), s */
	double p50_first, p50_last;	 /* the backlog test's figures, us */
	int load_pct;			 /* percent of capacity, 0: absolute rate */
	bool ok;
	size_t row; /* in cells.csv */
};

struct ol_series {
	struct ol_point p[OL_MAX_PTS]; /* sorted by rate */
	size_t n;
	double capacity;	  /* batch throughput from capacity.csv, NAN if unknown */
	bool searched;		  /* capacity.csv has its search (rate: search) */
	bool none;		  /* the search found no sustained rate */
	double sustained, lo, hi; /* the searched rate and its bracket (hi NAN: open) */
	double probes;		  /* probes the search ran */
	double rep[OL_MAX_REPS];  /* each search's sustained rate (search_reps:), 0: none */
	size_t nrep;
	struct verdict v; /* the regime's verdict, on the best series (tested) */
	bool tested;	  /* v holds a test of it against the runner-up */
};

struct ol {
	const char *wl[OL_MAX_WL]; /* regimes, in order of appearance */
	size_t nwl;
	double io_us[OL_MAX_WL], cpu_us[OL_MAX_WL];
	double slo_us[OL_MAX_WL];
	struct ol_series *s; /* [wl * nmodels + model] */
	size_t nmodels;
};

/* Gather the open-loop cells of the set. 0 or -ENOMEM; o->nwl 0: none.
 * ol_free releases them (after a failure too). */
int ol_collect(const struct set *s, struct ol *o);
void ol_free(struct ol *o);
const struct ol_series *ol_series_at(const struct ol *o, size_t w, size_t k);
/* The highest rate the model sustains: the searched one, else the highest
 * of the grid's rates; 0 when none. */
double ol_sustainable(const struct ol_series *ser, double slo_us);
/* The unloaded baseline: the lowest load that is ok with at least
 * OL_BASE_N samples; NULL when there is none (no knee is then found). */
const struct ol_point *ol_baseline(const struct ol_series *ser);
/* The first point above the baseline whose p99 is over OL_KNEE x its. */
const struct ol_point *ol_knee(const struct ol_series *ser);
/* "io (10 ms io per task)" - the regime as a title. */
const char *ol_regime(const struct ol *o, size_t w, char *b, size_t n);
/* A rate, like 4,500 tasks/s. */
const char *ol_rate_text(double v, char *b, size_t n);
/* "9,400 tasks/s [9,200, 9,650], 5 probes" - a searched rate. */
const char *ol_bracket_text(const struct ol_series *ser, char *b, size_t n);
/* Every model of regime w was searched. */
bool ol_regime_searched(const struct ol *o, size_t w);
/* "30% (4,500 tasks/s)" - where the knee is, or why there is none. */
const char *ol_knee_text(const struct ol_series *ser, char *b, size_t n);

#endif
