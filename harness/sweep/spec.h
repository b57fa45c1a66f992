/* spec.h - sweep specs: the small text file in sweeps/ that names a
 * sweep's grids, and their expansion into cells, one parameter set each.
 * The format is documented in sweeps/default. */
#ifndef CMB_SPEC_H
#define CMB_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SPEC_ERR_MAX 512
#define SPEC_LIST_MAX 32   /* values on one axis */
#define SPEC_GRIDS_MAX 8   /* grids in one spec */
#define SPEC_MODELS_MAX 8  /* models in one grid */
#define SPEC_EXPR_MAX 64   /* one expression, like max(200, C) */
#define SPEC_NAME_MAX 32   /* spec and grid names */
#define SPEC_ID_MAX 192    /* a cell identifier */
#define SPEC_TEXT_MAX 65536 /* a spec file */

enum spec_workload { SPEC_WL_IO, SPEC_WL_CPU, SPEC_WL_MIXED };

struct spec_grid {
	char name[SPEC_NAME_MAX];                  /* grid: NAME */
	int line;                                  /* line of `grid:`, for messages */
	char models[SPEC_MODELS_MAX][32];          /* models: */
	size_t n_models;
	int shares[SPEC_LIST_MAX];                 /* share: percent of the task that is CPU */
	size_t n_shares;                           /* 0: not a share grid */
	uint64_t task_time_us;                     /* task_time: T, split by share */
	enum spec_workload workloads[3];           /* workload: (without share) */
	size_t n_workloads;
	uint64_t io_latency_us[SPEC_LIST_MAX];     /* io_latency: */
	size_t n_io;
	uint64_t cpu_us[SPEC_LIST_MAX];            /* cpu: single-core work per task */
	size_t n_cpu;
	uint64_t payload[SPEC_LIST_MAX];           /* payload: (default 256) */
	size_t n_payload;
	bool keepalive[2];                         /* conn: new keepalive (default new) */
	size_t n_conn;
	char conc[SPEC_LIST_MAX][SPEC_EXPR_MAX];   /* concurrency: expressions of nproc */
	size_t n_conc;
	char workers[SPEC_LIST_MAX][SPEC_EXPR_MAX]; /* workers: expressions of C, nproc */
	size_t n_workers;                          /* 0: the run's default, nproc */
	char tasks[SPEC_EXPR_MAX];                 /* tasks: one expression of C, nproc */
	int conc_line, workers_line, tasks_line;   /* where they were, for messages */
	unsigned seen;                             /* bit per key given in this grid */
};

struct spec {
	char name[SPEC_NAME_MAX];              /* name: (default: the file's name) */
	unsigned reps;                         /* reps: measured runs per cell (3) */
	unsigned warmup;                       /* warmup: unmeasured runs first (1) */
	uint64_t timeout_us;                   /* timeout: per task I/O (5s) */
	struct spec_grid grids[SPEC_GRIDS_MAX];
	size_t n_grids;
};

/* One cell: the parameters of one `cmbench run`, run reps times. */
struct spec_cell {
	char id[SPEC_ID_MAX];    /* stable name of the parameters: resume, merge, compare */
	char grid[SPEC_NAME_MAX]; /* the grid it came from */
	char model[32];
	char workload[8];        /* io, cpu or mixed */
	int share_pct;           /* the share axis value, -1 when not on it */
	uint64_t tasks;
	uint64_t concurrency;    /* 1 for one-slot models (sequential) */
	uint64_t workers;        /* --workers */
	bool keepalive;          /* --conn keepalive */
	uint64_t io_latency_us;  /* 0 for workload cpu */
	uint64_t payload;        /* 0 for workload cpu */
	uint64_t cpu_us;         /* nominal CPU work; 0 for workload io */
	uint64_t cpu_iters;      /* calibrated kernel iterations for cpu_us (sweep) */
};

/* Parse spec text; file names it in messages. 0, or 2 with one line
 * "file:line: problem" in err. */
int spec_parse(const char *file, const char *text, struct spec *spec, char *err, size_t errlen);
/* Read and parse the file at path; the text is kept in *text (malloc'd,
 * the caller frees it) when text is not NULL. 0 or 2 as spec_parse. */
int spec_load(const char *path, struct spec *spec, char **text, char *err, size_t errlen);
/* Expand every grid for a host with nproc usable cores into a malloc'd
 * array of cells, in spec order, without duplicates. 0, or 2 with err. */
int spec_expand(const struct spec *spec, int nproc, struct spec_cell **cells, size_t *n,
		char *err, size_t errlen);
/* Evaluate an expression of numbers, C, nproc, + - * / ( ) and
 * max(a, b), min(a, b). c < 0 means C is not defined. 0, or -1 with err. */
int spec_eval(const char *expr, long long c, long long nproc, long long *out, char *err,
	      size_t errlen);
/* Fill cell->id from its parameters; with_workers adds the workers. */
void spec_cell_id(struct spec_cell *cell, bool with_workers);

#endif
