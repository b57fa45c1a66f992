/* claims.c - `cmbench claims [-o DIR]`: run the measurements of
 * claims/runs.txt and write DIR/claims.md (see claims.h).
 *
 * Every measurement is a child process, `cmbench run ARGS --format csv`,
 * with its stdout in DIR/runs/NAME.csv and its stderr in DIR/runs/NAME.err;
 * they run one after another, nothing of ours running beside them, and the
 * rows are read back only once each has exited. The load average of the
 * machine before and after goes into the report: other work on the machine
 * makes the timings noisier. */
#define _GNU_SOURCE
#include "claims.h"

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
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../lib/clock.h"
#include "../lib/probe.h"
#include "../lib/spawn.h"
#include "../lib/util.h"
#include "../models/foreign.h"

#define CLAIMS_RUNS "claims/runs.txt"
#define CLAIMS_ARGS_MAX 64 /* words of one run's arguments */

/* --- the runs file ---------------------------------------------------------- */

static int add_run(struct claims_set *s, size_t *cap, const char *name, const char *args)
{
	struct claims_run *r;

	if (s->n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 64;
		struct claims_run *v = realloc(s->runs, ncap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		s->runs = v;
		*cap = ncap;
	}
	r = &s->runs[s->n++];
	memset(r, 0, sizeof(*r));
	snprintf(r->name, sizeof(r->name), "%s", name);
	snprintf(r->args, sizeof(r->args), "%s", args);
	return 0;
}

/* NAME ARGS... lines; # comments and blank lines skipped. */
static int read_runs(const char *path, struct claims_set *s)
{
	FILE *f = fopen(path, "r");
	char line[1024], name[64];
	size_t cap = 0;
	int rc = 0, used;

	if (!f)
		return -errno;
	while (rc == 0 && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '#' || sscanf(line, "%63s %n", name, &used) != 1)
			continue;
		rc = add_run(s, &cap, name, line + used);
	}
	fclose(f);
	return rc;
}

/* --- running one ------------------------------------------------------------ */

/* Run argv with its stdout into out and its stderr into err, the two
 * files made anew; it dies with us. Its wait status, or -1 when it could
 * not be started. */
static int run_to_files(char *const argv[], const char *out, const char *err)
{
	int o = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	int e = open(err, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	int st = -1;
	struct spawn sp;
	pid_t pid;

	spawn_init(&sp);
	spawn_dup(&sp, STDOUT_FILENO, o);
	spawn_dup(&sp, STDERR_FILENO, e);
	sp.death_sig = SIGKILL;
	if (o >= 0 && e >= 0 && spawn_exec(&sp, argv, &pid) == 0 &&
	    spawn_reap(pid, 0, false, &st) != 0)
		st = -1;
	if (o >= 0)
		close(o);
	if (e >= 0)
		close(e);
	return st;
}

/* The first line of a file, into buf. */
static void first_line(const char *path, char *buf, size_t cap)
{
	FILE *f = fopen(path, "r");

	buf[0] = '\0';
	if (!f)
		return;
	if (!fgets(buf, (int)cap, f))
		buf[0] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	fclose(f);
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

/* Run r as `exe run ARGS --format csv`; its files go under dir/runs. */
static void run_one(const char *exe, const char *dir, struct claims_run *r)
{
	char buf[sizeof(r->args)], out[PATH_MAX], err[PATH_MAX], *argv[CLAIMS_ARGS_MAX + 5];
	int argc = 0, st = 0;
	uint64_t t = clock_now_ns();

	snprintf(buf, sizeof(buf), "%s", r->args);
	argv[argc++] = (char *)exe;
	argv[argc++] = "run";
	for (char *w = strtok(buf, " \t"); w && argc < CLAIMS_ARGS_MAX; w = strtok(NULL, " \t"))
		argv[argc++] = w;
	argv[argc++] = "--format";
	argv[argc++] = "csv";
	argv[argc] = NULL;
	if (snprintf(out, sizeof(out), "%s/runs/%s.csv", dir, r->name) >= (int)sizeof(out) ||
	    snprintf(err, sizeof(err), "%s/runs/%s.err", dir, r->name) >= (int)sizeof(err)) {
		snprintf(r->why, sizeof(r->why), "the output directory's name is too long");
		return;
	}
	st = run_to_files(argv, out, err);
	r->wall_s = (double)(clock_now_ns() - t) / 1e9;
	r->ok = st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0 && read_row(out, &r->row) == 0;
	if (!r->ok) {
		first_line(err, r->why, sizeof(r->why));
		if (!r->why[0])
			snprintf(r->why, sizeof(r->why), "exit status %d",
				 WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	}
}

/* --- figures ------------------------------------------------------------------ */

static bool is_rep_of(const char *run, const char *name)
{
	size_t n = strlen(name);

	return strncmp(run, name, n) == 0 && (run[n] == '\0' || run[n] == '.');
}

/* The values of col over the clean repetitions of name, sorted. */
static size_t figs(const struct claims_set *s, const char *name, const char *col, double *v,
		   size_t cap)
{
	const struct result_col *c = result_col_find(col);
	size_t n = 0;

	for (size_t i = 0; c && i < s->n && n < cap; i++)
		if (s->runs[i].ok && is_rep_of(s->runs[i].name, name))
			v[n++] = result_num(&s->runs[i].row, c);
	qsort(v, n, sizeof(v[0]), cmp_double);
	return n;
}

double claims_fig(const struct claims_set *s, const char *name, const char *col)
{
	double v[64];
	size_t n = figs(s, name, col, v, 64);

	if (n == 0)
		return NAN;
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double claims_best(const struct claims_set *s, const char *name, const char *col, bool highest)
{
	double v[64];
	size_t n = figs(s, name, col, v, 64);

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

	snprintf(out, sizeof(out), "%s/runs/python.txt", dir);
	snprintf(err, sizeof(err), "%s/runs/python.err", dir);
	run_to_files(argv, out, err);
	first_line(out, env->python, sizeof(env->python));
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

static void write_claims(FILE *f, const struct claims_set *s)
{
	fprintf(f, "| # | claim | the article says | measured, and how | figure | verdict |\n");
	fprintf(f, "|---|---|---|---|---|---|\n");
	for (int i = 0; claims_table[i].claim; i++) {
		const struct claim *c = &claims_table[i];
		struct claim_result r = { .figure = "", .verdict = "" };

		c->judge(s, &r);
		fprintf(f, "| %d | %s | \"%s\" | %s | %s | **%s** |\n", i + 1, c->claim, c->quote,
			c->how, r.figure, r.verdict);
		printf("%2d. %s: %s\n", i + 1, c->claim, r.verdict);
	}
}

static void write_runs(FILE *f, const struct claims_set *s)
{
	char a[32];

	fprintf(f, "\n## The runs\n\nEvery figure above comes from these runs, made in this "
		   "order, one at a time: `cmbench run ARGUMENTS --format csv`, its row in "
		   "`runs/NAME.csv`. NAME.N are repetitions: a figure is their median, or their "
		   "best where the claim says so (the least disturbed run, for timings on a busy "
		   "machine).\n\n");
	fprintf(f, "| run | arguments | makespan | throughput | PSS peak | set-up | status |\n");
	fprintf(f, "|---|---|---|---|---|---|---|\n");
	for (size_t i = 0; i < s->n; i++) {
		const struct claims_run *r = &s->runs[i];

		if (!r->ok) {
			fprintf(f, "| %s | `%s` | | | | | failed: %s |\n", r->name, r->args,
				r->why);
			continue;
		}
		fprintf(f, "| %s | `%s` | %.3f s | %.0f tasks/s | %s | %.3f s | ok |\n", r->name,
			r->args, r->row.makespan_s, r->row.throughput_tps,
			fmt_kib(a, sizeof(a), r->row.pss_peak_kib, FMT_PROSE), r->row.setup_s);
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
	ssize_t n;
	size_t failed = 0;
	int rc = parse_args(argc, argv, dir, sizeof(dir), &runs);

	if (rc >= 0)
		return rc;
	if (runs)
		snprintf(runs_path, sizeof(runs_path), "%s", runs);
	else if (path_beside_binary(CLAIMS_RUNS, runs_path, sizeof(runs_path)) < 0)
		snprintf(runs_path, sizeof(runs_path), "%s", CLAIMS_RUNS);
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	rc = n > 0 ? read_runs(runs_path, &s) : -ENOENT;
	if (rc < 0 || s.n == 0) {
		fprintf(stderr, "cmbench claims: %s: %s\n", runs_path,
			rc < 0 ? strerror(-rc) : "no runs listed");
		free(s.runs);
		return 1;
	}
	exe[n] = '\0';
	snprintf(sub, sizeof(sub), "%s/runs", dir);
	if (mkdir_p(sub) < 0) {
		fprintf(stderr, "cmbench claims: cannot create %s: %s\n", sub, strerror(errno));
		free(s.runs);
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
	free(s.runs);
	return rc < 0 || failed ? 1 : 0;
}
