/* claims.c - `cmbench claims [-o DIR]`: run the measurements of
 * claims/runs.txt and write DIR/claims.md (see claims.h).
 *
 * Every measurement is a child process, `cmbench run ARGS --format csv` or
 * a probe (`--probe PROGRAM ARGS`: PROGRAM of models/python/ run by the
 * interpreter of the foreign models), with its stdout in DIR/runs/NAME.csv
 * and its stderr in DIR/runs/NAME.err; they run one after another, nothing
 * of ours running beside them (proc_wait sleeps on the child's pidfd), each
 * within a deadline, and the rows are read back only once each has exited.
 * The load average of the machine before and after goes into the report:
 * other work on the machine makes the timings noisier. */
#define _GNU_SOURCE
#include "claims.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "../lib/clock.h"
#include "../lib/probe.h"
#include "../lib/proc.h"
#include "../lib/spawn.h"
#include "../lib/util.h"
#include "../models/foreign.h"

#define CLAIMS_RUNS "claims/runs.txt"
#define CLAIMS_ARGS_MAX 64	      /* words of one run's arguments */
#define CLAIMS_PROBES "models/python" /* where a probe's program is */
#define CLAIMS_RUN_S 1800	      /* the longest a run may take: it has its own deadlines */
#define CLAIMS_PROBE_S 300	      /* the longest a probe may take */

/* --- the runs file ---------------------------------------------------------- */

static int grow(void **v, size_t *cap, size_t n, size_t size)
{
	void *nv;
	size_t ncap;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 64;
	nv = realloc(*v, ncap * size);
	if (!nv)
		return -ENOMEM;
	*v = nv;
	*cap = ncap;
	return 0;
}

/* A run's name goes into a file name: letters, digits, _ . - only. */
static bool good_name(const char *w)
{
	if (!w[0] || w[0] == '.')
		return false;
	for (; *w; w++)
		if (!isalnum((unsigned char)*w) && !strchr("_.-", *w))
			return false;
	return true;
}

/* A probe's program: a file name of models/python/, NAME.py. */
static bool good_program(const char *w)
{
	size_t n = strlen(w);

	if (n < 4 || strcmp(w + n - 3, ".py") != 0)
		return false;
	for (size_t i = 0; i < n - 3; i++)
		if (!islower((unsigned char)w[i]) && !isdigit((unsigned char)w[i]) && w[i] != '_')
			return false;
	return true;
}

static const struct claim *claim_by_id(const char *id)
{
	for (int i = 0; claims_table[i].id; i++)
		if (strcmp(claims_table[i].id, id) == 0)
			return &claims_table[i];
	return NULL;
}

static bool has_word(const char *roles, const char *role);

/* "claim ID ROLE=RUN ...": one binding per ROLE=RUN, for a role the claim
 * reads. */
static int add_binds(struct claims_set *s, size_t *cap, char *rest)
{
	char *save = NULL, *id = strtok_r(rest, " \t", &save), *w;
	const struct claim *c = id ? claim_by_id(id) : NULL;

	if (!c)
		return -EINVAL;
	while ((w = strtok_r(NULL, " \t", &save)) != NULL) {
		char *eq = strchr(w, '=');
		struct claims_bind *b;

		if (!eq || eq == w || strlen(eq + 1) >= sizeof(b->run) || eq - w >= 32 ||
		    !good_name(eq + 1) || grow((void **)&s->binds, cap, s->nbinds, sizeof(*b)))
			return -EINVAL;
		*eq = '\0';
		if (!has_word(c->roles, w))
			return -EINVAL;
		b = &s->binds[s->nbinds++];
		snprintf(b->claim, sizeof(b->claim), "%s", id);
		snprintf(b->role, sizeof(b->role), "%s", w);
		snprintf(b->run, sizeof(b->run), "%s", eq + 1);
	}
	return 0;
}

/* "NAME ARGS..." or "NAME --probe PROGRAM ARGS...". */
static int add_run(struct claims_set *s, size_t *cap, const char *name, const char *args)
{
	struct claims_run *r;
	char prog[64];
	int rc = grow((void **)&s->runs, cap, s->n, sizeof(*r));

	if (rc < 0)
		return rc;
	if (!good_name(name) || strlen(name) >= sizeof(r->name) || strlen(args) >= sizeof(r->args))
		return -EINVAL;
	r = &s->runs[s->n];
	memset(r, 0, sizeof(*r));
	if (strncmp(args, "--probe", 7) == 0 && strchr(" \t", args[7])) { /* "" too */
		args += 7;
		args += strspn(args, " \t");
		if (sscanf(args, "%63s", prog) != 1 || !good_program(prog))
			return -EINVAL;
		r->probe = true;
	}
	s->n++;
	snprintf(r->name, sizeof(r->name), "%s", name);
	snprintf(r->args, sizeof(r->args), "%s", args);
	return 0;
}

int claims_read_runs(const char *path, struct claims_set *s, int *bad_line)
{
	FILE *f = fopen(path, "r");
	char line[1024], name[64];
	size_t cap = 0, bcap = 0;
	int rc = 0, used, no = 0;

	memset(s, 0, sizeof(*s));
	*bad_line = 0;
	if (!f)
		return -errno;
	while (rc == 0 && fgets(line, sizeof(line), f)) {
		no++;
		if (!strchr(line, '\n') && !feof(f))
			rc = -EINVAL; /* longer than a line may be */
		line[strcspn(line, "\r\n")] = '\0';
		if (rc || line[0] == '#' || sscanf(line, "%63s %n", name, &used) != 1)
			continue;
		if (strcmp(name, "claim") == 0)
			rc = add_binds(s, &bcap, line + used);
		else
			rc = add_run(s, &cap, name, line + used);
	}
	fclose(f);
	if (rc < 0)
		*bad_line = no;
	return rc;
}

void claims_set_free(struct claims_set *s)
{
	free(s->runs);
	free(s->binds);
	memset(s, 0, sizeof(*s));
}

/* --- running one ------------------------------------------------------------ */

/* Start argv with stdin from /dev/null, stdout into out and stderr into
 * err (both made anew). 0 with *pid, or -errno. */
static int start_to_files(char *const argv[], const char *out, const char *err, pid_t *pid)
{
	struct spawn sp;

	spawn_init(&sp);
	return spawn_to_files(&sp, argv, out, err, pid);
}

/* A probe's csv: a header of names and a row of numbers. */
static int read_probe(const char *path, struct claims_run *r)
{
	char hdr[2048], data[2048], *hs = NULL, *ds = NULL;
	FILE *f = fopen(path, "r");
	int rc = -EINVAL;

	if (!f)
		return -errno;
	r->nvals = 0;
	if (fgets(hdr, sizeof(hdr), f) && fgets(data, sizeof(data), f)) {
		char *k = strtok_r(hdr, ",\r\n", &hs), *v = strtok_r(data, ",\r\n", &ds);

		for (; k && v && r->nvals < CLAIMS_PROBE_FIGS;
		     k = strtok_r(NULL, ",\r\n", &hs), v = strtok_r(NULL, ",\r\n", &ds)) {
			char *end;

			snprintf(r->keys[r->nvals], sizeof(r->keys[0]), "%s", k);
			r->vals[r->nvals] = strtod(v, &end);
			if (end == v || *end)
				r->vals[r->nvals] = NAN;
			r->nvals++;
		}
		rc = r->nvals ? 0 : -EINVAL;
	}
	fclose(f);
	return rc;
}

static int read_row(const char *path, struct result_row *row)
{
	char hdr[4096], data[4096];
	FILE *f = fopen(path, "r");
	int rc = -EINVAL;

	if (!f)
		return -errno;
	if (fgets(hdr, sizeof(hdr), f) && fgets(data, sizeof(data), f))
		rc = result_csv_parse(hdr, data, row);
	fclose(f);
	return rc;
}

/* Wait for pid until the deadline, then SIGTERM, and SIGKILL 5 s later
 * (asleep on its pidfd). 0, -ETIMEDOUT (it was killed), or -errno. */
static int wait_child(pid_t pid, int timeout_s, struct proc_end *e)
{
	struct proc_wait w = { .deadline_ns = clock_now_ns() + (uint64_t)timeout_s * 1000000000u,
			       .grace_ms = 5000 };

	return proc_wait(pid, &w, e);
}

/* argv of r: `exe run ARGS --format csv`, or `python -B PROGRAM ARGS`,
 * with its words in buf. */
static int run_argv(const char *exe, struct claims_run *r, char *buf, size_t cap, char **argv,
		    char *prog, size_t pcap)
{
	const char *py = getenv("CMBENCH_PYTHON");
	char rel[PATH_MAX];
	int argc = 0;
	char *w, *save = NULL;

	snprintf(buf, cap, "%s", r->args);
	w = strtok_r(buf, " \t", &save);
	if (r->probe) {
		argv[argc++] = py && *py ? (char *)py : FOREIGN_PYTHON;
		argv[argc++] = "-B";
		snprintf(rel, sizeof(rel), "%s/%s", CLAIMS_PROBES, w);
		if (path_beside_binary(rel, prog, pcap) < 0)
			return -ENOENT;
		argv[argc++] = prog;
		w = strtok_r(NULL, " \t", &save);
	} else {
		argv[argc++] = (char *)exe;
		argv[argc++] = "run";
	}
	for (; w && argc < CLAIMS_ARGS_MAX; w = strtok_r(NULL, " \t", &save))
		argv[argc++] = w;
	if (!r->probe) {
		argv[argc++] = "--format";
		argv[argc++] = "csv";
	}
	argv[argc] = NULL;
	return 0;
}

/* Run r; its files go under dir/runs. */
static void run_one(const char *exe, const char *dir, struct claims_run *r)
{
	char buf[sizeof(r->args)], out[PATH_MAX], err[PATH_MAX], prog[PATH_MAX];
	char *argv[CLAIMS_ARGS_MAX + 5];
	struct proc_end e = { .code = -1 };
	int rc;
	uint64_t t = clock_now_ns();
	pid_t pid;

	if (snprintf(out, sizeof(out), "%s/runs/%s.csv", dir, r->name) >= (int)sizeof(out) ||
	    snprintf(err, sizeof(err), "%s/runs/%s.err", dir, r->name) >= (int)sizeof(err)) {
		snprintf(r->why, sizeof(r->why), "the output directory's name is too long");
		return;
	}
	if (run_argv(exe, r, buf, sizeof(buf), argv, prog, sizeof(prog)) < 0) {
		snprintf(r->why, sizeof(r->why), "no program %.64s in %s", buf, CLAIMS_PROBES);
		return;
	}
	rc = start_to_files(argv, out, err, &pid);
	if (rc == 0)
		rc = wait_child(pid, r->probe ? CLAIMS_PROBE_S : CLAIMS_RUN_S, &e);
	r->wall_s = (double)(clock_now_ns() - t) / 1e9;
	r->ok = rc == 0 && e.code == 0 &&
		(r->probe ? read_probe(out, r) : read_row(out, &r->row)) == 0;
	if (r->ok)
		return;
	if (rc == -ETIMEDOUT) {
		snprintf(r->why, sizeof(r->why), "killed after %d s",
			 r->probe ? CLAIMS_PROBE_S : CLAIMS_RUN_S);
		return;
	}
	read_first_line(err, r->why, sizeof(r->why));
	if (!r->why[0])
		snprintf(r->why, sizeof(r->why), "exit status %d", e.code);
}

/* --- figures ------------------------------------------------------------------ */

static bool is_rep_of(const char *run, const char *name)
{
	size_t n = strlen(name);

	return strncmp(run, name, n) == 0 && (run[n] == '\0' || run[n] == '.');
}

/* Is role one of the blank-separated words of roles? */
static bool has_word(const char *roles, const char *role)
{
	size_t n = strlen(role);

	for (const char *p = roles; n && (p = strstr(p, role)) != NULL; p += n)
		if ((p == roles || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return true;
	return false;
}

const char *claims_run_for(const struct claims_set *s, const struct claim *c, const char *role)
{
	if (!has_word(c->roles, role))
		return NULL;
	for (size_t i = 0; i < s->nbinds; i++)
		if (strcmp(s->binds[i].claim, c->id) == 0 && strcmp(s->binds[i].role, role) == 0)
			return s->binds[i].run;
	return NULL;
}

static double run_value(const struct claims_run *r, const char *col)
{
	const struct result_col *c;

	if (r->probe) {
		for (size_t i = 0; i < r->nvals; i++)
			if (strcmp(r->keys[i], col) == 0)
				return r->vals[i];
		return NAN;
	}
	c = result_col_find(col);
	return c ? result_num(&r->row, c) : NAN;
}

/* The values of col over the clean repetitions of the run playing role,
 * sorted. */
static size_t figs(const struct claims_set *s, const struct claim *c, const char *role,
		   const char *col, double *v, size_t cap)
{
	const char *name = claims_run_for(s, c, role);
	size_t n = 0;

	for (size_t i = 0; name && i < s->n && n < cap; i++)
		if (s->runs[i].ok && is_rep_of(s->runs[i].name, name))
			v[n++] = run_value(&s->runs[i], col);
	qsort(v, n, sizeof(v[0]), cmp_double);
	return n;
}

double claims_fig(const struct claims_set *s, const struct claim *c, const char *role,
		  const char *col)
{
	double v[64];
	size_t n = figs(s, c, role, col, v, 64);

	if (n == 0)
		return NAN;
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double claims_best(const struct claims_set *s, const struct claim *c, const char *role,
		   const char *col, bool highest)
{
	double v[64];
	size_t n = figs(s, c, role, col, v, 64);

	return n == 0 ? NAN : highest ? v[n - 1] : v[0];
}

/* --- the report ------------------------------------------------------------------ */

struct claims_env {
	char when[64], host[160], kernel[128], python[128];
	double load_before, load_after, total_s;
	int cores;
};

static double load1(void)
{
	double l[1];

	return getloadavg(l, 1) == 1 ? l[0] : NAN;
}

/* The interpreter's version and uvloop's, into env->python. */
static void python_version(const char *dir, struct claims_env *env)
{
	char out[PATH_MAX], err[PATH_MAX];
	char *argv[] = { FOREIGN_PYTHON, "-c",
			 "import sys\ntry:\n import uvloop; u = ', uvloop ' + uvloop.__version__\n"
			 "except ImportError:\n u = ', no uvloop'\n"
			 "print('CPython', sys.version.split()[0] + u)",
			 NULL };
	pid_t pid;

	snprintf(out, sizeof(out), "%s/runs/python.txt", dir);
	snprintf(err, sizeof(err), "%s/runs/python.err", dir);
	if (start_to_files(argv, out, err, &pid) == 0)
		wait_child(pid, 30, NULL);
	read_first_line(out, env->python, sizeof(env->python));
	if (!env->python[0])
		snprintf(env->python, sizeof(env->python), "no %s", FOREIGN_PYTHON);
}

static void write_header(FILE *f, const struct claims_env *env)
{
	fprintf(f, "# The article's claims, measured\n\n");
	fprintf(f, "The seed article (\"Async Python: asyncio, Coroutines, and Event Loops Without "
		   "the Confusion\") makes numeric claims about threads, coroutines, processes and "
		   "event loops. `cmbench claims` measured each on this machine, with the C models "
		   "and with the article's own kind of programs in CPython (the `py-*` models, "
		   "`models/python/`), on the same workloads against the same latency server.\n\n");
	fprintf(f,
		"- machine: %s, %d cores, Linux %s; %s\n- when: %s; %.0f s in all\n"
		"- load average (1 min): %.2f before, %.2f after%s\n\n",
		env->host, env->cores, env->kernel, env->python, env->when, env->total_s,
		env->load_before, env->load_after,
		env->load_before > env->cores
			? " - **the machine was busy with other work**: the timings (not the "
			  "memory figures) are noisier than on an idle machine"
			: " (the load after counts these runs' own threads and processes)");
}

static void write_rule(FILE *f)
{
	fprintf(f,
		"**How a claim is judged.** By the article's own numbers, one rule for all: a "
		"claim holds when the figure falls in the range the article states (\"30–100 "
		"MB\", \"100–500 ms\", \"2–4×\"), both ends included and nothing added; where "
		"it states a single figure (\"~500 seconds\", \"roughly 200 bytes\", \"8 "
		"MB\"), when the figure is within **±%.0f%%** of it, the same tolerance for every "
		"claim (a stated zero leaves no room). Otherwise it does not hold. \"Holds only "
		"for X\" means X's own figure passed and the others' did not. The figure judged "
		"is the one the article's words are about: a process's spawn \"takes\" "
		"wall-clock time, uvloop's claim is about throughput, a coroutine *object*'s size "
		"is the object's; the other figures of a row are context. The article's MB and "
		"GB are read as MiB and GiB (its 8 MB stack is Linux's 8 MiB default). Timings "
		"are the least disturbed of their repetitions.\n\n",
		CLAIM_TOL * 100);
	fprintf(f, "**The runner's share is measured and taken off.** A CPython program runs "
		   "as a child of cmbench's runner (the trial process), which reads its records "
		   "and wakes every 20 ms to see that it lives. The CPU time and context switches "
		   "of a `py-*` row are the program's processes alone: the trial's totals "
		   "(`wait4`) minus the runner's own (`getrusage(RUSAGE_SELF)` in the trial "
		   "process once the program has exited).\n\n");
}

static void write_claims(FILE *f, const struct claims_set *s)
{
	fprintf(f, "| # | claim | the article says | measured, and how | figure | verdict |\n");
	fprintf(f, "|---|---|---|---|---|---|\n");
	for (int i = 0; claims_table[i].id; i++) {
		const struct claim *c = &claims_table[i];
		char figure[1024] = "", verdict[512];
		double v[CLAIM_FIGS];

		for (int k = 0; k < CLAIM_FIGS; k++)
			v[k] = NAN;
		c->measure(c, s, v, figure, sizeof(figure));
		claim_conclude(c, v, verdict, sizeof(verdict));
		fprintf(f, "| %d | %s | \"%s\" | %s | %s | **%s** |\n", i + 1, c->claim, c->quote,
			c->how, figure, verdict);
		printf("%2d. %s: %s\n", i + 1, c->claim, verdict);
	}
}

/* A probe's figures, "key=value, ...". */
static void probe_figures(FILE *f, const struct claims_run *r)
{
	for (size_t i = 0; i < r->nvals; i++)
		fprintf(f, "%s%s=%.6g", i ? ", " : "", r->keys[i], r->vals[i]);
}

static void write_runs(FILE *f, const struct claims_set *s)
{
	char a[32];

	fprintf(f, "\n## The runs\n\nEvery figure above comes from these runs, made in this "
		   "order, one at a time: `cmbench run ARGUMENTS --format csv`, its row in "
		   "`runs/NAME.csv`, or a probe (`--probe PROGRAM`, a program of "
		   "`models/python/`), its figures in `runs/NAME.csv`. NAME.N are repetitions: "
		   "a figure is their median, or their best where the claim says so (the least "
		   "disturbed run, for timings on a busy machine). The `claim` lines of "
		   "`claims/runs.txt` say which run plays which part of which claim.\n\n");
	fprintf(f, "| run | arguments | makespan | throughput | PSS peak | set-up | status |\n");
	fprintf(f, "|---|---|---|---|---|---|---|\n");
	for (size_t i = 0; i < s->n; i++) {
		const struct claims_run *r = &s->runs[i];

		if (!r->ok) {
			fprintf(f, "| %s | `%s%s` | | | | | failed: %s |\n", r->name,
				r->probe ? "--probe " : "", r->args, r->why);
		} else if (r->probe) {
			fprintf(f, "| %s | `--probe %s` | | | | | ok: ", r->name, r->args);
			probe_figures(f, r);
			fprintf(f, " |\n");
		} else {
			fprintf(f, "| %s | `%s` | %.3f s | %.0f tasks/s | %s | %.3f s | ok |\n",
				r->name, r->args, r->row.makespan_s, r->row.throughput_tps,
				fmt_kib(a, sizeof(a), r->row.pss_peak_kib, FMT_PROSE),
				r->row.setup_s);
		}
	}
}

static int write_report(const char *dir, const struct claims_set *s, const struct claims_env *env)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/claims.md", dir);
	f = fopen(path, "w");
	if (!f)
		return -errno;
	write_header(f, env);
	write_rule(f);
	write_claims(f, s);
	write_runs(f, s);
	if (fclose(f) != 0)
		return -errno;
	printf("wrote %s\n", path);
	return 0;
}

/* --- the command ---------------------------------------------------------------- */

static int mkdir_p(const char *path)
{
	char buf[PATH_MAX];

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0777) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	return mkdir(buf, 0777) < 0 && errno != EEXIST ? -errno : 0;
}

static void env_init(struct claims_env *env)
{
	struct utsname u;
	time_t now = time(NULL);

	memset(env, 0, sizeof(*env));
	strftime(env->when, sizeof(env->when), "%Y-%m-%d %H:%M:%S %Z", localtime(&now));
	if (uname(&u) == 0) {
		snprintf(env->host, sizeof(env->host), "%s (%s)", u.nodename, u.machine);
		snprintf(env->kernel, sizeof(env->kernel), "%s", u.release);
	}
	env->cores = probe_cores();
}

static int parse_args(int argc, char **argv, char *dir, size_t cap, const char **runs)
{
	static const struct option opts[] = { { "output", required_argument, NULL, 'o' },
					      { "runs", required_argument, NULL, 'r' },
					      { "help", no_argument, NULL, 'h' },
					      { NULL, 0, NULL, 0 } };
	time_t now = time(NULL);
	char stamp[32];
	int c;

	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", localtime(&now));
	snprintf(dir, cap, "results/claims-%s", stamp);
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:o:h", opts, NULL)) != -1) {
		if (c == 'h') {
			printf("usage: cmbench claims [-o DIR] [--runs FILE]\n"
			       "Measures the seed article's numeric claims in C and CPython and "
			       "writes DIR/claims.md (default: results/claims-DATE-TIME).\n"
			       "--runs FILE measures the runs listed there instead of %s.\n",
			       CLAIMS_RUNS);
			return 0;
		}
		if (c == 'r') {
			*runs = optarg;
			continue;
		}
		if (c != 'o') {
			fprintf(stderr, "cmbench claims: %s: unknown flag or missing value\n",
				argv[optind - 1]);
			return 2;
		}
		snprintf(dir, cap, "%s", optarg);
	}
	if (optind < argc) {
		fprintf(stderr, "cmbench claims: unexpected argument '%s'\n", argv[optind]);
		return 2;
	}
	return -1;
}

int claims_main(int argc, char **argv)
{
	char dir[PATH_MAX - 64], runs_path[PATH_MAX], sub[PATH_MAX], exe[PATH_MAX];
	const char *runs = NULL;
	struct claims_set s = { 0 };
	struct claims_env env;
	uint64_t t0 = clock_now_ns();
	size_t failed = 0;
	int bad = 0, rc = parse_args(argc, argv, dir, sizeof(dir), &runs);

	if (rc >= 0)
		return rc;
	if (runs)
		snprintf(runs_path, sizeof(runs_path), "%s", runs);
	else if (path_beside_binary(CLAIMS_RUNS, runs_path, sizeof(runs_path)) < 0)
		snprintf(runs_path, sizeof(runs_path), "%s", CLAIMS_RUNS);
	rc = self_exe(exe, sizeof(exe)) == 0 ? claims_read_runs(runs_path, &s, &bad) : -ENOENT;
	if (rc == -EINVAL) { /* bad input */
		fprintf(stderr,
			"cmbench claims: %s:%d: not NAME ARGS, NAME --probe PROGRAM.py ARGS or "
			"claim ID ROLE=RUN... (a claim and its roles; names of [A-Za-z0-9_.-])\n",
			runs_path, bad);
		claims_set_free(&s);
		return 2;
	}
	if (rc < 0 || s.n == 0) {
		fprintf(stderr, "cmbench claims: %s: %s\n", runs_path,
			rc < 0 ? strerror(-rc) : "no runs listed");
		claims_set_free(&s);
		return 1;
	}
	snprintf(sub, sizeof(sub), "%s/runs", dir);
	if (mkdir_p(sub) < 0) {
		fprintf(stderr, "cmbench claims: cannot create %s: %s\n", sub, strerror(errno));
		claims_set_free(&s);
		return 1;
	}
	env_init(&env);
	python_version(dir, &env);
	env.load_before = load1();
	for (size_t i = 0; i < s.n; i++) {
		run_one(exe, dir, &s.runs[i]);
		failed += !s.runs[i].ok;
		fprintf(stderr, "claims: [%zu/%zu] %-26s %6.1f s  %s\n", i + 1, s.n, s.runs[i].name,
			s.runs[i].wall_s, s.runs[i].ok ? "ok" : s.runs[i].why);
	}
	env.load_after = load1();
	env.total_s = (double)(clock_now_ns() - t0) / 1e9;
	rc = write_report(dir, &s, &env);
	if (rc < 0)
		fprintf(stderr, "cmbench claims: writing %s/claims.md: %s\n", dir, strerror(-rc));
	if (failed)
		fprintf(stderr, "cmbench claims: %zu of %zu runs failed (see %s/runs/*.err)\n",
			failed, s.n, dir);
	claims_set_free(&s);
	return rc < 0 || failed ? 1 : 0;
}
