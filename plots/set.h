/* set.h - the ground floor of plots/: a result set as `cmbench plots` and
 * `cmbench report` read it. Not for use outside plots/.
 *
 * plots/ is four floors over this one (ARCHITECTURE.md):
 *   verdicts/  the decision matrix and every other verdict, in structs
 *              (decision-matrix.md, decisions.json)
 *   data/      the charts: one table (data/registry.c), a writer and a
 *              data/NAME.gp each (plotdata/, gnuplot)
 *   findings/  REPORT.md's findings: one table (findings/registry.c), one
 *              file each, their comparisons one Benjamini-Hochberg family
 *   report/    the two commands and report.html, built from the structs
 * Every table cell and sentence is computed from the numbers. A cell whose
 * ok column is not 1 never wins and is never drawn as a result; the charts
 * name it in a note instead. Models are known by their traits in the model
 * table; what the folklore says comes from the sweep's spec (meta.json).
 *
 * Files here: load.c (cells.csv, the reps, meta.json), grid.c (the grids
 * by role, the main grid's axes, cell lookups), text.c (numbers and
 * words), doc.c (tables and paragraphs written once for markdown, HTML or
 * JSON), memfit.c (memory per task by regression), openloop.c (the
 * open-loop series). */
#ifndef CMB_PLOTS_SET_H
#define CMB_PLOTS_SET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "../harness/set/cells.h"
#include "../harness/set/meta.h"
#include "../harness/spec/spec.h"
#include "../lib/verdict.h"

struct matrix_cell;    /* verdicts/matrix.h */
struct matrix_verdict; /* verdicts/matrix.h */
struct regime_row;     /* verdicts/verdicts.h */
struct finding_out;    /* findings/findings.h */

#define PLOTS_MAX_AXIS 64   /* distinct shares or concurrency levels */
#define PLOTS_PATH_LEN 4096 /* longest path we build */
#define PLOTS_NOTE_LEN 512  /* a chart note */
#define PLOTS_LIST_LEN 4096 /* a list of model names */

/* The figures of cells.csv the charts and the matrix use. */
enum metric { M_MAKESPAN, M_BOUND, M_P99, M_MEM, NMETRIC };
enum figure { MED, MIN, MAX };
extern const char *const plots_metric_col[NMETRIC];

/* The three criteria of the decision matrix; lower is better in each. */
struct criterion {
	const char *key;   /* file names: matrix-<key>.dat */
	const char *title; /* column and panel title */
	enum metric m;	   /* the metric it compares */
};
extern const struct criterion plots_criteria[];
#define NCRIT 3

/* One row of cells.csv, with the figures this command uses. */
struct cell {
	const char *id;		      /* cell column: names spectra/<id>.csv */
	const char *grid;	      /* the spec's grid: matrix, scaling, ... */
	const char *model;	      /* model name */
	const struct model_ops *m;    /* its traits; NULL for a model this cmbench lacks */
	const struct workload_ops *w; /* its workload's traits; NULL when unknown */
	double io_us;		      /* --io-latency in µs (NAN: unknown) */
	bool one_slot;		      /* runs one task at a time: one cell for every level */
	double share;		      /* cpu share in percent (NAN: unknown) */
	double conc;		      /* concurrency */
	double workers;		      /* --workers (offload pool size) */
	double tasks;		      /* tasks per rep */
	double reps;		      /* reps aggregated */
	bool ok;		      /* every rep clean, and its checksum that of its like cells */
	bool sum_mismatch;	      /* its checksum differs from most cells of the same work */
	bool sum_compared;	      /* another cell ran the same work: checksums compared */
	const char *checksum;	      /* "" when the set has none */
	double payload, iters;	      /* payload bytes, cpu_iters: what same work means */
	int lt;			      /* gnuplot line type of the model */
	double v[NMETRIC][3];	      /* med, min, max of each metric */
	double *rep[NMETRIC];	      /* each metric per rep, from results.csv (malloc'd) */
	size_t nrep;		      /* reps in rep[] (0: results.csv lacks the cell) */
	double alpha, margin;	      /* its grid's verdict rule (spec_grid_rule; 0: the
					 defaults, a set without its spec) */
	double ci[NMETRIC][2]; /* cells.csv's 95% interval of the geometric mean (NAN: none) */
	int ci_met;	       /* 1 the interval reached the grid's ci:, 0 not, -1 unknown */
	double ci_pct;	       /* the grid's ci: target (NAN: unknown) */
	bool budget_cut;       /* the grid's budget stopped its rounds short */
	double samples_min;    /* fewest monitor samples of a rep (NAN: unknown) */
	double eff_max;	       /* highest efficiency of a rep (NAN: unknown) */
	double pss_peak;       /* median PSS peak, KiB (NAN: unknown) */
	double harness;	       /* median harness_kib: the harness's own, in the peak */
};

/* Fewer monitor samples than this in a run: its peak is not quoted. */
#define PLOTS_MIN_SAMPLES 5

/* A line fitted to PSS peak against concurrency, for one model. */
struct memfit {
	const char *model;
	size_t n;	  /* cells (concurrency levels) fitted */
	double slope, ci; /* KiB per task in flight, and its 95% half-interval */
	double fixed;	  /* the intercept: KiB whatever the concurrency */
	double lo, hi;	  /* the concurrency levels fitted span */
};

/* A panel of the per-workload charts: one cpu share of the main grid. */
struct panel {
	char key[32]; /* the plain workload of that share: in file and variable names */
	double share; /* its cpu share */
};

/* Everything one `cmbench plots` run knows. */
struct set {
	const char *cmd;      /* the command, in messages: plots, report */
	const char *dir;      /* the result set */
	const char *scripts;  /* where the *.gp live */
	char run_id[256];     /* DIR's last component */
	struct cells_csv tab; /* cells.csv, fields owned */
	struct cell *cells;   /* one per row of tab */
	size_t ncells;
	const char **models; /* line type i+1 is models[i] */
	size_t nmodels;
	int fail_lt;			   /* line type of a cell no one won */
	struct meta meta;		   /* from meta.json (zeroed if none) */
	struct spec spec;		   /* its spec, for the folklore (may be empty) */
	const struct spec_grid *spec_grid; /* the main grid there, or NULL */
	double cores;			   /* usable CPUs, NAN if unknown */
	char subtitle[1024];		   /* host line under every title */
	const char *grid;		   /* grid of the workload charts */
	const char *scaling_grid;	   /* the grids of these roles ("": none) */
	const char *memory_grid;
	const char *offload_grid;
	struct panel panels[3]; /* io, mixed, cpu if present */
	size_t npanels;
	double shares[PLOTS_MAX_AXIS]; /* main grid: cpu shares */
	size_t nshares;
	double levels[PLOTS_MAX_AXIS]; /* main grid: concurrency levels */
	size_t nlevels;
	struct matrix_cell *mc; /* matrix input, one per grid cell (verdicts/) */
	struct cell **mc_src;	/* the cell behind each mc entry */
	size_t nmc;
	struct matrix_verdict *verdict[NCRIT]; /* per criterion */
	size_t nverdict[NCRIT];
	struct regime_row *regimes; /* verdicts/regimes.c: the other grids' folklore */
	size_t nregimes;
	struct verdict *regime_vd; /* their comparisons, adjusted as one family */
	size_t nregime_vd;
	FILE *vars;		    /* plotdata/vars.gp while writing (data/) */
	bool *drawn;		    /* by chart table index: the set has data for it (data/) */
	struct finding_out **found; /* by finding table index (findings/) */
	struct memfit *fits;	    /* memfit.c: per model of the memory grid */
	size_t nfits;
	const char *fit_grid; /* the grid fitted, or NULL */
};

/* load.c: cells.csv (0 or -errno/-CMD_EUSAGE, said on stderr as s->cmd) */
int plots_load_cells(struct set *s);
/* The reps of every cell from results.csv (none: cells keep nrep 0, and
 * their verdicts are ties for want of runs). 0 or -ENOMEM. */
int plots_load_reps(struct set *s);
void plots_read_meta(struct set *s);
/* s->run_id from s->dir's last component, the set's name in titles. */
void plots_run_id(struct set *s);
/* What load.c, grid.c and memfit.c allocated. */
void plots_set_free_base(struct set *s);
/* The verdict of cells a and b on metric m (raw p; the caller adjusts). */
void plots_compare(const struct cell *a, const struct cell *b, enum metric m, struct verdict *v);

/* grid.c */
/* The grid of the spec whose `role:` is role; "" when none is. A spec
 * that gives no grid a role (a set made before roles) names grids by their
 * role: the grid called role. */
const char *plots_grid_of_role(const struct set *s, const char *role);
/* The grids by role, the main grid, its shares, levels and panels. */
void plots_plan_grid(struct set *s);
/* The cell of grid/model/share at concurrency conc (any concurrency for a
 * one-slot model); failed ones only when want_failed. */
const struct cell *plots_find_cell(const struct set *s, const char *grid, const char *model,
				   double share, double conc, bool want_failed);
/* Does cell c count as a valid figure for metric m (positive if log)? */
bool plots_usable(const struct cell *c, enum metric m, bool log_axis);
/* How many CPUs a cell's model could use. */
double plots_parallelism(const struct cell *c);
/* Add v to a sorted set of doubles; the index of v in one. */
void plots_axis_add(double *axis, size_t *n, double v);
size_t plots_axis_index(const double *axis, size_t n, double v);
/* The model's short chart label and colour. */
const char *plots_label(const struct set *s, size_t k);
const char *plots_color(const struct set *s, size_t k);
/* The name of the set's first one-slot model ("one-slot" when none). */
const char *plots_one_slot_model(const struct set *s);
/* The first model of the set (in line type order) with these traits:
 * a loop, offloading or not, its CPU parts on one thread or not. */
const char *plots_loop_model(const struct set *s, bool offload);
/* Whether the set has a cell in grid. */
bool plots_has_grid(const struct set *s, const char *grid);

/* text.c */
const char *plots_count(double v, char *b, size_t n);
const char *plots_crit_value(size_t k, double v, char *b, size_t n);
/* plots_crit_value for a figure of cell c: a p99 from fewer than
 * PLOTS_P99_MIN_SAMPLES tasks per rep is their maximum, and says so
 * ("max of n=40: 3.1 ms"). */
#define PLOTS_P99_MIN_SAMPLES 100
const char *plots_cell_value(const struct cell *c, size_t k, double v, char *b, size_t n);
/* A p99 in microseconds from nsamples values: "3.1 ms", or "max of n=40:
 * 3.1 ms" below PLOTS_P99_MIN_SAMPLES (an unknown count: as p99). */
const char *plots_p99_text(double us, double nsamples, char *b, size_t n);
const char *plots_regime(double share, char *b, size_t n);
const char *plots_regime_range(int lo, int hi, char *b, size_t n);
const char *plots_cores(const struct set *s, char *b, size_t n);
void plots_list_add(char *list, size_t n, const char *word);
void plots_join(char *b, size_t n, size_t i, size_t count, const char *item);
/* A JSON string literal that is also safe inside <script>: < > & and the
 * line separators as \u escapes (decisions.json, report.html). */
void json_str(FILE *f, const char *s);

/* memfit.c: memory per task by regression (GSL) over the memory grid
 * (else the main grid's io cells): s->fits, s->fit_grid. 0 or -ENOMEM. */
int plots_memfit(struct set *s);
/* A cell whose every rep took PLOTS_MIN_SAMPLES monitor samples. */
bool plots_enough_samples(const struct cell *c);

#endif
