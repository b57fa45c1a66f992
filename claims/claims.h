/* claims.h - `cmbench claims`: every numeric claim of the seed article,
 * measured on this machine in C and in CPython, and judged by the article's
 * own numbers.
 *
 * claims.c runs the measurements listed in claims/runs.txt, one at a time,
 * each a `cmbench run` child process writing its csv row to a file, or a
 * probe (a small program of models/python/ printing a csv row of its own),
 * and writes claims.md. table.c is the list of claims: the article's words
 * and numbers, what is measured; verdicts.c how each claim's figures are
 * read (figures.h names them); rule.c turns the figures into a verdict by
 * the one rule below. None of them names a model or a run: a claim
 * reads its figures by role ("py.many", "spawn.few"), and the `claim` lines
 * of runs.txt bind each of its roles to a run. */
#ifndef CMB_CLAIMS_H
#define CMB_CLAIMS_H

#include <stdbool.h>
#include <stddef.h>

#include "../harness/result.h"

/* --- the rule: one for every claim ------------------------------------------
 *
 * A claim holds when the measured figure falls in the range the article
 * states ("30–100 MB", "100–500 ms", "2–4×"), both ends included, and with
 * no tolerance added: the range is the article's own. A claim that states a
 * single figure ("~500 seconds", "roughly 200 bytes", "8 MB") holds when the
 * figure is within CLAIM_TOL of it, relative: |figure - point| <= CLAIM_TOL *
 * |point|. The tolerance is the same for every claim (claims.md says so); a
 * stated zero leaves no room. Otherwise the claim does not hold. A claim
 * about several subjects ("with spawn", "with fork") holds only for those
 * whose own figure passes this rule. The figure judged is the one the
 * article's words are about (its wall-clock "takes", its "throughput"), in
 * the unit of lo, hi and point. */
#define CLAIM_TOL 0.25 /* ±25%: room for "~" and "roughly", none for a miss by 2× */

enum claim_verdict {
	CLAIM_UNMEASURED = -1, /* the figure is not finite: a run it needs failed */
	CLAIM_FAILS = 0,       /* measured, outside the article's range or tolerance */
	CLAIM_HOLDS = 1,       /* measured, inside (for a claim: for every subject) */
	CLAIM_PARTLY = 2,      /* a claim: for some of its subjects, not all */
};

/* figure in [lo, hi]. */
enum claim_verdict claim_judge_range(double figure, double lo, double hi);
/* figure within tol (pass CLAIM_TOL) of point, relative to point. */
enum claim_verdict claim_judge_point(double figure, double point, double tol);

/* --- the runs ------------------------------------------------------------------ */

#define CLAIMS_PROBE_FIGS 24 /* figures a probe may print */

/* One measurement: a line of runs.txt and what it gave. */
struct claims_run {
	char name[64];			  /* NAME, or NAME.N for the Nth repetition */
	char args[512];			  /* the arguments of `cmbench run`, or of a probe */
	bool probe;			  /* `--probe PROGRAM ARGS`: a program of models/python/ */
	struct result_row row;		  /* a cmbench run's row, when it could be read */
	char keys[CLAIMS_PROBE_FIGS][32]; /* a probe's figures: its csv header */
	double vals[CLAIMS_PROBE_FIGS];	  /* and its row */
	size_t nvals;
	bool ok;       /* it ran clean: exit 0 and a row */
	double wall_s; /* how long the child took, start-up included */
	char why[256]; /* why not ok: the first line of its stderr */
};

/* A `claim ID ROLE=RUN ...` line of runs.txt: which run plays a role. */
struct claims_bind {
	char claim[32], role[32], run[64];
};

struct claims_set {
	struct claims_run *runs;
	size_t n;
	struct claims_bind *binds;
	size_t nbinds;
};

/* Read a runs file into s (zeroed first): NAME ARGS... lines and claim
 * lines; # comments and blank lines skipped. 0, -errno, or -EINVAL with
 * the line's number in *bad_line for a line that cannot be read. */
int claims_read_runs(const char *path, struct claims_set *s, int *bad_line);
void claims_set_free(struct claims_set *s);
/* Run r (runner.c) with exe as cmbench, its files under dir/runs/: r->ok,
 * r->row or its probe figures, r->wall_s and r->why filled. */
void claims_run_one(const char *exe, const char *dir, struct claims_run *r);
/* The interpreter's version and uvloop's, asked (runner.c), into buf: its
 * output kept in dir/runs/python.txt. */
void claims_python_version(const char *dir, char *buf, size_t len);

struct claim;

/* The run bound to role of claim c, or NULL (also for a role c does not
 * declare in its roles). */
const char *claims_run_for(const struct claims_set *s, const struct claim *c, const char *role);
/* The median of column `col` (a result column, or a probe's figure) over
 * the clean runs playing role for c (its NAME or NAME.N); NAN when none. */
double claims_fig(const struct claims_set *s, const struct claim *c, const char *role,
		  const char *col);
/* The best of them: the highest (a throughput) or the lowest (a time): the
 * least disturbed repetition, for timings on a machine that is not idle. */
double claims_best(const struct claims_set *s, const struct claim *c, const char *role,
		   const char *col, bool highest);

/* --- the claims ------------------------------------------------------------------ */

#define CLAIM_FIGS 16	 /* figures a claim measures */
#define CLAIM_SUBJECTS 4 /* subjects its verdict is on */

/* Whose figure a verdict is on: what the article's words are about. */
struct claim_subject {
	const char *who; /* "CPython with spawn"; NULL ends the list */
	int fig;	 /* its figure: an index into the claim's figures */
};

struct claim {
	const char *id;	     /* its key: runs.txt's `claim ID ROLE=RUN ...` */
	const char *roles;   /* the roles it reads, blank-separated */
	const char *claim;   /* the claim in a few words */
	const char *quote;   /* where the article says it: its own words */
	const char *how;     /* what is measured, and how */
	const char *article; /* the article's figure as a verdict quotes it */
	double lo, hi;	     /* the article's range in the figures' unit; lo == hi: one figure */
	/* a figure in the claim's unit, into buf */
	const char *(*fmt)(char *buf, size_t cap, double v);
	struct claim_subject subjects[CLAIM_SUBJECTS];
	/* v[CLAIM_FIGS] (NAN where not measured), and the figure cell */
	void (*measure)(const struct claim *c, const struct claims_set *s, double *v, char *figure,
			size_t cap);
	/* optional: false (and why) when the figures cannot support a verdict,
	 * e.g. the control did not get the cores the claim is about */
	bool (*usable)(const struct claim *c, const double *v, char *why, size_t cap);
};

extern const struct claim claims_table[]; /* ends with a NULL id */

/* The verdict of c on its figures v: the rule applied to each subject's
 * figure; holds (all), fails (none), partly (some: "holds only for"), or
 * unmeasured (a subject's figure is missing, or c->usable said no). The
 * sentence, with the figures and the article's, goes into verdict. */
enum claim_verdict claim_conclude(const struct claim *c, const double *v, char *verdict,
				  size_t cap);

/* The unit printers claims use for fmt. */
const char *claim_fmt_bytes(char *b, size_t n, double bytes);
const char *claim_fmt_kib(char *b, size_t n, double kib);
const char *claim_fmt_ms(char *b, size_t n, double ms);
const char *claim_fmt_s(char *b, size_t n, double s);
const char *claim_fmt_times(char *b, size_t n, double x);
const char *claim_fmt_pct(char *b, size_t n, double pct);
const char *claim_fmt_count(char *b, size_t n, double x);

/* cmbench claims [-o DIR]: its exit status (0 ok, 1 failed, 2 usage) */
int claims_main(int argc, char **argv);

#endif
