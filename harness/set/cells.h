/* cells.h - the tables of a result set, and the per-cell summary:
 * results.csv (one row per trial) is folded into cells.csv (one row per
 * cell: median, min, max and sample stddev of every measured figure). */
#ifndef CMB_CELLS_H
#define CMB_CELLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "../spec/spec.h"

#define CELLS_MAX_REPS SPEC_REPS_MAX /* the most reps a spec may ask for */

/* A csv file held in memory: the fields point into buf. No quoting: no
 * field cmbench writes holds a comma or a newline. */
struct cells_csv {
	char *buf;  /* the file's text, split in place */
	char **hdr; /* column names */
	size_t ncols;
	char ***rows;	/* rows[i][j]: field j of data row i */
	size_t nrows;	/* rows with ncols fields; others are dropped */
	size_t dropped; /* rows with another number of fields */
};

/* What hyperfine measured for one cell (its --export-json). */
struct cells_hf {
	double times[CELLS_MAX_REPS]; /* wall seconds per measured run */
	int codes[CELLS_MAX_REPS];    /* exit status per measured run */
	size_t ntimes, ncodes;
};

/* One figure of a cell over its reps. */
struct cells_fig {
	double med, min, max, sd;
};

/* The metrics whose median gets a 95% interval in cells.csv
 * (<name>_ci_lo, <name>_ci_hi); the first one's ends the rounds. */
#define CELLS_NCI 3
extern const char *const cells_ci_metric[CELLS_NCI];

/* One row of cells.csv. */
struct cells_summary {
	struct spec_cell cell;	 /* the parameters */
	unsigned reps;		 /* trials found */
	bool ok;		 /* all complete, no errors, one checksum */
	char checksum[24];	 /* the first trial's checksum */
	struct cells_fig *fig;	 /* per metric, cells_metric() order (malloc'd) */
	double ci[CELLS_NCI][2]; /* 95% interval of the geometric mean of cells_ci_metric[i] */
	bool ci_met;		 /* the makespan's is within +-cell.ci_pct */
	char stop[12];		 /* why its rounds stopped, as the sweep saw it ("":
				    derived from the reps, cells_ci_stop) */
};

/* Whether a 95% interval [lo, hi] of a median (geometric mean) center
 * lies within +-pct percent of it. */
bool cells_ci_within(double center, double lo, double hi, double pct);

/* The metrics of cells.csv: the measured columns of a run, then
 * hyperfine's wall_s. The number of them, and the name of metric i. */
size_t cells_nmetrics(void);
const char *cells_metric(size_t i);
/* The index of the metric called name, or -1. */
int cells_metric_index(const char *name);

/* Read a csv file. 0, or -errno (-ENOENT when it does not exist). */
int cells_csv_read(const char *path, struct cells_csv *t);
/* The same from a malloc'd text, which the table takes over. */
int cells_csv_parse(char *text, struct cells_csv *t);
void cells_csv_free(struct cells_csv *t);
/* The index of a column, or -1. */
int cells_csv_col(const struct cells_csv *t, const char *name);

/* Read the times and exit codes of a hyperfine JSON export. 0 or -errno. */
int cells_hf_read(const char *path, struct cells_hf *hf);
/* The same from JSON text. 0, or -EINVAL when it has no times. */
int cells_hf_parse(const char *json, struct cells_hf *hf);
/* Merge the result of command name from the exports of a point's rounds
 * (paths[0..n), in order; missing ones skipped) into one export at out:
 * that command's result alone, with every round's times and exit codes,
 * its mean, median, min, max and stddev restated, and "rounds": n. 0,
 * -ENOENT (none readable) or -errno. */
int cells_hf_merge(const char *const *paths, size_t n, const char *name, const char *out);

/* Median, min, max and sample standard deviation (0 for one value) of n
 * values; v is sorted in place. n must be at least 1. */
void cells_stats(double *v, size_t n, struct cells_fig *out);

/* Fold the rows of results table res (columns cell, rep and the run
 * columns) that belong to cell into s; hf may be NULL. A rep given twice
 * counts once, its last row. Returns the number of trials (0: none), or
 * -ENOMEM. cells_summary_free releases s. */
int cells_summarize(const struct spec_cell *cell, const struct cells_csv *res,
		    const struct cells_hf *hf, struct cells_summary *s);
void cells_summary_free(struct cells_summary *s);

/* Why a cell's rounds stopped: "decided" (every verdict of its point
 * decided), "target" (stop: ci - the interval reached ci:), "max" (MAX
 * rounds), "budget" (the grid's budget, past MIN), "short" (fewer than
 * MIN: failed or cut), "" unknown. The sweep's own word (s->stop) when it
 * has one; else derived from the reps: a cell of stop: decided that
 * stopped between MIN and MAX in a set read back says "early" (decided,
 * or the budget: the set does not say which). */
const char *cells_ci_stop(const struct cells_summary *s);

/* Write cells.csv whole (setio_replace). 0 or -errno. */
int cells_write(const char *path, const struct cells_summary *s, size_t n);

/* The cell parameters of a cells.csv table, as a malloc'd array. 0,
 * -EINVAL (not a cells table, a model or workload cmbench does not know,
 * or a cell id or grid that is not a plain name) or -ENOMEM. */
int cells_params(const struct cells_csv *t, struct spec_cell **cells, size_t *n);

#endif
