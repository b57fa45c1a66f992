/* sweep.h - `cmbench sweep`, `merge` and `compare`: what the files of
 * harness/sweep/ share, and the three mains for cmd/.
 *
 * A sweep expands a spec (spec_*.c) into cells and runs each cell as one
 * hyperfine invocation of `cmbench run`: warm-up runs, then reps measured
 * runs, each a fresh process that appends its csv row to a scratch file.
 * When hyperfine is done the cell's measured rows are appended to
 * results.csv in one write (all or none), and cells.csv and meta.json are
 * replaced whole, so an interrupted sweep keeps every finished cell and
 * --resume goes on from there. Only one sweep or merge writes a set at a
 * time (DIR/.lock). */
#ifndef CMB_SWEEP_H
#define CMB_SWEEP_H

#include <limits.h>
#include <signal.h>
#include <stdbool.h>

#include "../set/meta.h"
#include "../spec/spec.h"

#define SWEEP_PATH_MAX 1024 /* the set, the spec, the binary: room for names under them */

struct sweep {
	const char *spec_arg;		/* SPEC as given */
	char spec_path[SWEEP_PATH_MAX]; /* the file read */
	char *spec_text;		/* its text */
	struct spec spec;
	const char *out_arg;	      /* -o DIR, or NULL */
	bool resume;		      /* --resume */
	unsigned shard_i, shard_n;    /* --shard i/n (1/1: all) */
	char cmbench[SWEEP_PATH_MAX]; /* the binary the runs use */
	char dir[SWEEP_PATH_MAX];     /* the result set */
	bool update_latest;	      /* dir is results/<run-id>: keep results/latest */
	int lock_fd;		      /* holds DIR/.lock, -1 before */
	struct spec_cell *cells;      /* this shard's cells, in spec order */
	size_t ncells;
	bool *done;	  /* cell has all its trials in results.csv */
	bool *ok;	  /* and they are good */
	double *est;	  /* estimated seconds per cell */
	char (*stop)[12]; /* why each cell's rounds stopped, this run ("": not run) */
	struct meta meta; /* meta.json */
};

/* sweep_set.c: the result set's files */
int sweep_open_dir(struct sweep *sw);
int sweep_open_results(struct sweep *sw);
int sweep_init_meta(struct sweep *sw);
int sweep_write_meta(struct sweep *sw);
/* Fold results.csv into cells.csv and note which cells are done. */
int sweep_refresh_cells(struct sweep *sw);
void sweep_update_latest(const struct sweep *sw);
/* The results.csv header: "cell,rep," and the run columns, with newline. */
char *sweep_results_header(void);

/* sweep_cell.c: one grid point, cells[0..n) (the same parameters but the
 * model), in interleaved rounds through hyperfine, each round in an order
 * drawn from meta.json's seed and the point's cell ids; allow_s is the time the point may take in
 * all (its MIN rounds run regardless; < 0: no budget). 0; -EINTR when a stop signal came (nothing
 * of the point is kept); -errno when the set cannot be written or
 * hyperfine cannot run (said; the sweep stops). */
struct sweep_point_out {
	unsigned rounds; /* rounds run */
	bool budget_cut; /* the budget stopped it before the interval was reached */
	const char *why; /* decided, target, max or budget (cells.csv's ci_stop) */
	double seconds;	 /* how long the point took */
};
int sweep_run_point(struct sweep *sw, struct spec_cell *const *cells, size_t n, double allow_s,
		    struct sweep_point_out *out);
/* sweep_stop.c: whether the point cells[0..n) (sc[i]: cell i's scratch
 * rows) runs another round after r: below MIN yes; at MAX no; else while
 * a verdict is undecided (stop: ci: a cell's interval is too wide) and
 * its grid's budget (allow_s, < 0: none) has room for a round like the
 * last (last_s) after spent_s. *cut: the budget stopped it; *why: "short",
 * "max", "decided", "target" or "budget" (cells.csv's ci_stop). */
bool sweep_more_rounds(struct spec_cell *const *cells, size_t n, const char *const *sc, unsigned r,
		       double spent_s, double last_s, double allow_s, bool *cut, const char **why);
/* Keep the log of a failed cell in logs/, drop the others. */
void sweep_keep_log(const struct sweep *sw, const struct spec_cell *c, bool ok);
/* sweep_rows.c: append the cell's rows (the last c->reps of its scratch
 * file, a failure row for each run that left none) to results.csv in one
 * piece. 0, -CMD_EUSAGE when the runs wrote other columns, or -errno. */
int sweep_keep_rows(struct sweep *sw, const struct spec_cell *c, const char *scratch);

/* sweep_run.c: calibrate, plan and run the cells */
int sweep_plan(struct sweep *sw);
int sweep_calibrate(struct sweep *sw);
/* sweep_capacity.c: measure (or read back) the capacity behind relative
 * rates and set those cells' rates and tasks. 0 or -errno (said). */
int sweep_capacity(struct sweep *sw);
int sweep_run(struct sweep *sw);
/* Catch the stop signals (lib/proc.h; proc_stop_sig() says which came): the
 * cell in flight is stopped and the sweep ends after it. */
void sweep_install_signals(void);

/* the offline commands' mains (their exit status: 0 ok, 1 failed, 2 usage) */
int sweep_main(int argc, char **argv);	 /* cmbench sweep SPEC ... */
int merge_main(int argc, char **argv);	 /* cmbench merge OUT DIR... */
int compare_main(int argc, char **argv); /* cmbench compare A B */

#endif
