/* spec.h - sweep specs: the small text file in sweeps/ that names a sweep's
 * grids, and their expansion into cells, each one `cmbench run` parameter
 * set (a struct run_cfg). The format is documented at the top of
 * sweeps/default. Every function returns 0 or a negative errno: -EINVAL
 * with one line "file:line: problem" in err for a bad spec. */
#ifndef CMB_SPEC_H
#define CMB_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../lib/config.h"

#define SPEC_ERR_MAX 512
#define SPEC_LIST_MAX 32	  /* values on one numeric axis */
#define SPEC_EXPR_MAX 64	  /* one expression, like max(200, C) */
#define SPEC_NAME_MAX 32	  /* spec and grid names */
#define SPEC_ID_MAX 192		  /* a cell identifier */
#define SPEC_TEXT_MAX 65536	  /* a spec file */
#define SPEC_SAYS_MAX 96	  /* what a folklore line says */
#define SPEC_DURATION_US 1000000  /* duration: of an open-loop cell, by default */
#define SPEC_SLO_US 100000	  /* slo: the p99 target, by default */
#define SPEC_OPEN_MIN_TASKS 10	  /* an open-loop cell runs at least these */
#define SPEC_CURVE_MIN_TASKS 1000 /* a point of a searched grid's curve: at least these */
#define SPEC_FLAGS_MAX 8	  /* flags: of one grid */
#define SPEC_FLAG_MAX 64	  /* one flag's name or value */
#define SPEC_REPS_MAX 100	  /* reps: the most a spec may ask for */

/* One `folklore:` line of a grid: what common wisdom answers for a range
 * of cpu shares, and the models that answer means. */
struct spec_folklore {
	int lo, hi;			 /* the shares it speaks of, in percent */
	char at[SPEC_EXPR_MAX];		 /* SHARES@LEVEL: the concurrency it speaks of, an
					  * expression of nproc; "" = the grid's top level */
	char says[SPEC_SAYS_MAX];	 /* like "event loop with offload" */
	const struct model_ops **models; /* the models that agree with it */
	size_t n_models;
};

struct spec_grid {
	char name[SPEC_NAME_MAX];	 /* grid: NAME */
	char role[SPEC_NAME_MAX];	 /* role: what the charts use it for, or "" */
	int line;			 /* line of `grid:`, for messages */
	const struct model_ops **models; /* models: */
	size_t n_models;
	int shares[SPEC_LIST_MAX];	       /* share: percent of the task that is CPU */
	size_t n_shares;		       /* 0: not a share grid */
	uint64_t task_time_us;		       /* task_time: T, split by share */
	const struct workload_ops **workloads; /* workload: (without share) */
	size_t n_workloads;
	uint64_t io_latency_us[SPEC_LIST_MAX]; /* io_latency: */
	size_t n_io;
	uint64_t cpu_us[SPEC_LIST_MAX]; /* cpu: single-core work per task */
	size_t n_cpu;
	uint64_t payload[SPEC_LIST_MAX]; /* payload: (default 256) */
	size_t n_payload;
	bool keepalive[2]; /* conn: new keepalive (default new) */
	size_t n_conn;
	char conc[SPEC_LIST_MAX][SPEC_EXPR_MAX]; /* concurrency: expressions of nproc */
	size_t n_conc;
	char workers[SPEC_LIST_MAX][SPEC_EXPR_MAX];   /* workers: expressions of C, nproc */
	size_t n_workers;			      /* 0: the run's default, nproc */
	char tasks[SPEC_EXPR_MAX];		      /* tasks: one expression of C, nproc */
	char flags[SPEC_FLAGS_MAX][2][SPEC_FLAG_MAX]; /* flags: NAME=VALUE, the workload's own */
	size_t n_flags;
	uint64_t plateau_samples; /* plateau_samples: N (cmbench run --plateau-samples) */
	bool spawn_exec[2]; /* spawn: fork exec (models with the spawns trait; default fork) */
	size_t n_spawn;
	struct spec_folklore *folklore; /* folklore: lines, in order */
	size_t n_folklore;
	/* open loop (see "rate:" in sweeps/default) */
	double rates[SPEC_LIST_MAX];   /* rate: tasks/s, or percent of capacity */
	bool rate_rel[SPEC_LIST_MAX];  /* rates[i] is a percent of the measured capacity */
	size_t n_rates;		       /* 0: a batch grid */
	bool rate_search;	       /* rate: search - percents are of the searched capacity */
	bool slo_given;		       /* slo: was given (search needs it) */
	bool poisson;		       /* arrivals: poisson (default const) */
	uint64_t duration_us;	       /* duration: of one open-loop run (default 1s) */
	uint64_t slo_us;	       /* slo: the p99 target (default 100ms) */
	char (*labels)[SPEC_NAME_MAX]; /* models: LABEL=MODEL: label i of models[i] ("" none) */
	double *cpu_scale;	       /* cpu_scale: LABEL=F: per models[i] (1 = as given) */
	unsigned reps, reps_max;       /* reps: MIN..MAX of this grid, when own_reps */
	unsigned warmup;	       /* warmup: of this grid, when own_warmup */
	double ci_pct;		       /* ci: P% of this grid, when own_ci */
	uint64_t budget_us;	       /* budget: of this grid, when own_budget (0: none) */
	unsigned search_reps;	       /* search_reps: of this grid, when own_search_reps */
	double equiv_pct;	       /* equiv: M% of this grid, when own_equiv */
	bool stop_ci;		       /* stop: ci of this grid, when own_stop */
	bool own_reps, own_warmup, own_ci, own_budget; /* given in the grid */
	bool own_search_reps, own_equiv, own_stop;
	int equiv_line, stop_line;		 /* where they were, for messages (0: not given) */
	int conc_line, workers_line, tasks_line; /* where they were, for messages */
	unsigned seen;				 /* bit per key given in this grid */
};

struct spec {
	char name[SPEC_NAME_MAX];  /* name: (default: the file's name) */
	unsigned reps;		   /* reps: MIN..MAX measured rounds per cell: MIN (3) */
	unsigned reps_max;	   /* ... and MAX (= MIN when one number is given) */
	double ci_pct;		   /* ci: P%: stop when every model's 95% interval of the
				      median makespan is within +-P% (3) */
	uint64_t budget_us;	   /* budget: a grid's time for rounds past MIN (0: none) */
	unsigned warmup;	   /* warmup: unmeasured runs first (1) */
	unsigned search_reps;	   /* search_reps: N searches per model of `rate: search` (1) */
	double equiv_pct;	   /* equiv: M%: the margin of "equivalent" (5) */
	bool stop_ci;		   /* stop: ci (the rounds stop on ci:), not decided */
	int equiv_line, stop_line; /* where they were given (0: not) */
	uint64_t timeout_us;	   /* timeout: per task I/O (5s) */
	struct spec_grid *grids;   /* grid: blocks, in order */
	size_t n_grids;
};

/* One cell: the parameters of one `cmbench run`, run reps times. */
struct spec_cell {
	char id[SPEC_ID_MAX];	   /* stable name of the parameters: resume, merge, compare */
	char grid[SPEC_NAME_MAX];  /* the grid it came from */
	int share_pct;		   /* the share axis value, -1 when not on it */
	uint64_t cpu_us;	   /* nominal CPU work per task; 0 without a cpu part */
	char label[SPEC_NAME_MAX]; /* the model's name in this grid (an alias, or its name) */
	unsigned reps, warmup;	   /* the least measured runs (MIN) and warm-up runs */
	unsigned reps_max;	   /* the most measured runs (MAX) */
	double ci_pct;		   /* the interval it aims for, +-percent of the median */
	double equiv_pct;	   /* its grid's equivalence margin, percent */
	bool stop_ci;		   /* its rounds stop on ci_pct (stop: ci), not when decided */
	uint64_t budget_us;	   /* its grid's budget for rounds past MIN (0: none) */
	double cpu_scale;	   /* cpu work factor of its label (1: as the grid says) */
	uint64_t duration_us;	   /* an open-loop cell's length; 0: a batch cell */
	int load_pct;		   /* rate as percent of the measured capacity; 0: absolute */
	uint64_t batch_tasks;	   /* tasks of the capacity run (load_pct > 0) */
	bool search;		   /* load_pct is of the searched sustained rate, and the
				      cell runs max(batch_tasks, SPEC_CURVE_MIN_TASKS) tasks
				      at every load: the same tasks, so checksums compare */
	struct run_cfg cfg;	   /* the run; cfg.cpu_iters is set by the sweep's calibration */
};

/* Parse spec text; file names it in messages. 0, or -EINVAL / -ENOMEM
 * with err saying why (the spec is then empty). spec_free releases it. */
int spec_parse(const char *file, const char *text, struct spec *spec, char *err, size_t errlen);
/* Read and parse the file at path; the text is kept in *text (malloc'd,
 * the caller frees it) when text is not NULL. 0 or -errno as spec_parse. */
int spec_load(const char *path, struct spec *spec, char **text, char *err, size_t errlen);
void spec_free(struct spec *spec);
/* Expand every grid for a host with nproc usable cores into a malloc'd
 * array of cells, in spec order, without duplicates. 0, -EINVAL with err,
 * or -ENOMEM. */
int spec_expand(const struct spec *spec, int nproc, struct spec_cell **cells, size_t *n, char *err,
		size_t errlen);
/* Evaluate an expression of numbers, C, nproc, + - * / ( ) and
 * max(a, b), min(a, b). c < 0 means C is not defined. 0, or -EINVAL with
 * err. */
int spec_eval(const char *expr, long long c, long long nproc, long long *out, char *err,
	      size_t errlen);
/* Fill cell->id from its parameters; with_workers adds the workers. */
void spec_cell_id(struct spec_cell *cell, bool with_workers);
/* The id of the batch run that measures the capacity of c's work (c an
 * open-loop cell with load_pct > 0) into id (SPEC_ID_MAX). */
void spec_capacity_id(const struct spec_cell *c, char *id);
/* Rate and tasks of open-loop cell c at capacity cap_tps (tasks/s). */
void spec_cell_set_rate(struct spec_cell *c, double cap_tps);
/* The grid called name, or NULL. */
const struct spec_grid *spec_grid_find(const struct spec *spec, const char *name);
/* The verdict rule of grid g's cells (g NULL: the spec's defaults): the
 * level of its looks (verdict_look_alpha over reps MIN..MAX when its
 * rounds stop when decided; VERDICT_ALPHA with stop: ci, whose looks do
 * not depend on the verdicts) and its equivalence margin as a fraction. */
void spec_grid_rule(const struct spec *spec, const struct spec_grid *g, double *alpha,
		    double *margin);
/* The first folklore line of g that speaks of share_pct, or NULL. */
const struct spec_folklore *spec_folklore_at(const struct spec_grid *g, double share_pct);

#endif
