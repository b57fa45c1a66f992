/* claims.c - `cmbench claims [-o DIR]`: run the measurements of
 * claims/runs.txt (read by runs.c) one after another (each by runner.c)
 * and write DIR/claims.md (see claims.h): the rule, every claim with its
 * figure and verdict, and the runs behind them. The load average of the
 * machine before and after goes into the report: other work on the
 * machine makes the timings noisier. */
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
#include <time.h>
#include <unistd.h>

#include "../lib/clock.h"
#include "../lib/probe.h"
#include "../lib/proc.h"
#include "../lib/util.h"

#define CLAIMS_RUNS "claims/runs.txt"

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
	claims_python_version(dir, env.python, sizeof(env.python));
	env.load_before = load1();
	for (size_t i = 0; i < s.n; i++) {
		claims_run_one(exe, dir, &s.runs[i]);
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
