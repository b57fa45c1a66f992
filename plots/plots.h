/* plots.h - `cmbench plots DIR [--scripts PLOTS_DIR]`: what its files
 * share. Not for use outside plots/.
 *
 * From a result set's cells.csv (and meta.json, spectra/) it writes:
 *   DIR/plotdata/        the plot-ready series and vars.gp, which every
 *                        plots/NAME.gp loads (gnuplot reads nothing else)
 *   DIR/<chart>.png/.svg one gnuplot run per script in PLOTS_DIR
 *   DIR/decision-matrix.md  the measured decision matrix (matrix.c decides)
 *   DIR/decisions.json   the same verdicts for programs (cmbench report)
 *   DIR/REPORT.md        one page: host, charts, matrix, findings
 * Every table cell and sentence is computed from the numbers. A cell whose
 * ok column is not 1 never wins and is never drawn as a result; the charts
 * name it in a note instead. Models are known by their traits in the model
 * table; what the folklore says comes from the sweep's spec (meta.json).
 *
 * Files: plots_main.c (flags, order), plots_load.c (cells.csv, meta.json,
 * the grid), plots_text.c (numbers and words), plots_data.c (the series
 * of the charts), plots_matrix.c (verdicts, decision-matrix.md, heatmap
 * data), plots_report.c (REPORT.md), plots_gnuplot.c (vars.gp, gnuplot). */
#ifndef CMB_PLOTS_H
#define CMB_PLOTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "../harness/set/cells.h"
#include "matrix.h"
#include "../harness/set/meta.h"
#include "../harness/spec/spec.h"
#include "../lib/verdict.h"

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
	struct matrix_cell *mc; /* matrix input, one per grid cell */
	struct cell **mc_src;	/* the cell behind each mc entry */
	size_t nmc;
	struct matrix_verdict *verdict[NCRIT]; /* per criterion */
	size_t nverdict[NCRIT];
	FILE *vars;	     /* plotdata/vars.gp while writing */
	bool no_chart[16];   /* by plots_charts index: the set has nothing to draw */
	struct memfit *fits; /* plots_memfit.c: per model of the memory grid */
	size_t nfits;
	const char *fit_grid; /* the grid fitted, or NULL */
};

/* plots_main.c: a set as every command that reads one sees it: cells.csv,
 * the reps, meta.json, the grid, and the verdicts (plots and report take
 * the same steps, so their verdicts are the same). 0 or -errno/-CMD_EUSAGE,
 * said on stderr as cmd. */
int plots_open_set(struct set *s, const char *cmd);
/* s->run_id from s->dir's last component, the set's name in titles. */
void plots_run_id(struct set *s);
void plots_set_free(struct set *s);

/* plots_load.c */
int plots_load_cells(struct set *s);
/* The reps of every cell from results.csv (none: cells keep nrep 0, and
 * their verdicts are ties for want of runs). 0 or -ENOMEM. */
int plots_load_reps(struct set *s);
/* The verdict of cells a and b on metric m (raw p; the caller adjusts). */
void plots_compare(const struct cell *a, const struct cell *b, enum metric m, struct verdict *v);
/* The findings' comparisons as one Benjamini-Hochberg family, in two
 * passes: COLLECT (write the findings to nowhere; every plots_vs is
 * recorded), APPLY (adjust them; write the findings again: each plots_vs
 * takes its adjusted p), OFF (single comparisons, uncorrected). */
enum plots_family { PLOTS_FAMILY_OFF, PLOTS_FAMILY_COLLECT, PLOTS_FAMILY_APPLY };
void plots_vs_family(enum plots_family mode);
/* A REPORT finding's comparison of a and b on metric m by the verdict
 * rule (within the findings' family when one is open, else uncorrected),
 * in words into b: "a 1.41× [1.30,
 * 1.52] ahead of b", "a ≈ b (1.03× [0.98, 1.09])". *clear_a: a clearly
 * wins (may be NULL). Returns buf. */
const char *plots_vs(const struct cell *a, const struct cell *b, enum metric m, char *buf, size_t n,
		     bool *clear_a);
void plots_read_meta(struct set *s);
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

/* plots_text.c */
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
const char *plots_margin(double margin, const char *other, char *b, size_t n);
const char *plots_regime(double share, char *b, size_t n);
const char *plots_regime_range(int lo, int hi, char *b, size_t n);
const char *plots_cores(const struct set *s, char *b, size_t n);
void plots_list_add(char *list, size_t n, const char *word);
void plots_join(char *b, size_t n, size_t i, size_t count, const char *item);

/* plots_data.c */
int plots_write_workload_charts(struct set *s);
int plots_write_speedup(struct set *s);
int plots_write_spectrum(struct set *s);
FILE *plots_dat_open(const struct set *s, const char *name, const char *what, const char *columns);

/* plots_matrix.c */
int plots_decide_all(struct set *s);
const struct matrix_verdict *plots_verdict_at(const struct set *s, size_t k, double share,
					      double conc);
const char *plots_vmodel(const struct set *s, int idx);
const char *plots_verdict_text(const struct set *s, size_t k, const struct matrix_verdict *v,
			       char *b, size_t n);
/* 1 when the time verdict agrees with the folklore, 0 no, -1 no verdict
 * or no folklore for the share. */
int plots_folklore_agrees(const struct set *s, const struct matrix_verdict *v);
double plots_top_level(const struct set *s, double share);
void plots_summary_table(const struct set *s, FILE *f);
int plots_write_matrix_md(const struct set *s);
int plots_write_heatmap_data(struct set *s);

/* plots_decisions.c: decisions.json, the verdicts above for programs
 * (and the page of `cmbench report`) */
void plots_decisions_json(const struct set *s, FILE *f);
/* The rule that makes a cell a tie, one sentence. */
const char *plots_tie_rule(char *b, size_t n);
int plots_write_decisions(const struct set *s);

/* plots_regimes.c: the regimes beyond the main grid (the folklore lines
 * of the other grids) and the stall chart's data; plots_findings.c: their
 * REPORT.md findings */
void plots_regimes_table(const struct set *s, FILE *f);
/* The verdict column of a regimes row: v2 is the fastest (a) against the
 * next, vf the fastest (a) against the folklore's pick when that is not
 * the fastest (pick_is_best false). Only a clear win of a (VERDICT_A)
 * agrees or disagrees; a clear win of b is no win of the fastest. */
const char *plots_regime_word(const struct verdict *v2, const struct verdict *vf,
			      bool pick_is_best);
int plots_write_blocking(struct set *s);
void plots_regime_findings(const struct set *s, FILE *f);
/* plots_libs.c: REPORT.md's section on the grids that fix a Python
 * library (--py-http, --py-pg); nothing when the set has none */
void plots_libs_report(const struct set *s, FILE *f);

/* plots_ceiling.c: the set's ceiling.csv (cmbench ceiling) */
int plots_write_ceiling(struct set *s);
void plots_ceiling_report(const struct set *s, FILE *f);

/* plots_memfit.c: memory per task by regression (GSL), and the
 * self-check warnings of single runs (samples, efficiency) */
int plots_memfit(struct set *s);
void plots_memfit_report(const struct set *s, FILE *f);
void plots_run_warnings(const struct set *s, FILE *f);

/* plots_report.c */
int plots_write_report(const struct set *s);
/* One finding of REPORT.md by key (memory, bound, p99, speedup, offload,
 * folklore, failures, claims, openloop, and the regime findings' keys):
 * nothing when the set lacks its grid. */
void plots_finding(const struct set *s, const char *key, FILE *f);
/* plots_findings.c: creation, stall, prefork, offload_pool, embedded_db, db_server,
 * flags, python, python_loops; false for another key. */
bool plots_regime_finding(const struct set *s, const char *key, FILE *f);

/* plots_openloop.c: the open-loop cells (a grid with rate:) */
int plots_write_openloop(struct set *s);		 /* plotdata and vars of latency*.gp */
int plots_openloop_md(const struct set *s, FILE *f);	 /* decision-matrix.md section */
int plots_openloop_report(const struct set *s, FILE *f); /* REPORT.md findings */

/* plots_gnuplot.c */
/* The charts: plots/<name>.gp draws <name>.png and .svg. */
struct chart {
	const char *name;  /* the script and the image */
	const char *title; /* in REPORT.md */
};
#define PLOTS_NCHARTS 10
extern const struct chart plots_charts[PLOTS_NCHARTS];
/* name = 'formatted' in vars.gp, a single-quoted string: gnuplot expands
 * nothing in it, whatever a result set holds. */
void plots_var_str(struct set *s, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int plots_write_plotdata(struct set *s);
bool plots_on_path(const char *prog);
/* The set has nothing for chart name: it is not drawn (nor listed). */
void plots_no_chart(struct set *s, const char *name);
bool plots_chart_drawn(const struct set *s, size_t i);
int plots_run_gnuplot(const struct set *s, const char *name);

/* The grid of the spec whose `role:` is role; "" when none is. A spec
 * that gives no grid a role (a set made before roles) names grids by their
 * role: the grid called role. */
const char *plots_grid_of_role(const struct set *s, const char *role);

/* cmbench plots DIR: its exit status (0 ok, 1 failed, 2 usage) */
int plots_main(int argc, char **argv);
int report_main(int argc, char **argv); /* report_main.c: cmbench report DIR */

#endif
