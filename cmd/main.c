/* main.c - the cmbench command: the registry of commands, and `run`,
 * `list`, `calibrate`. Every subcommand's output is printed from its own
 * command function or from result.c. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#include "../claims/claims.h"
#include "../harness/ceiling/ceiling.h"
#include "../harness/cli.h"
#include "../lib/verdict_sim.h"
#include "../harness/result.h"
#include "../harness/sweep/sweep.h"
#include "../harness/trial.h"
#include "../models/model.h"
#include "../models/servers/loadgen.h"
#include "../models/servers/srv.h"
#include "../lib/cpus.h"
#include "../lib/sched.h"
#include "../plots/report/main.h"
#include "../server/server.h"
#include "../workloads/workload.h"
#include "commands.h"

#define CMB_VERSION "0.2.0"

const struct command command_table[] = {
	{ "run", "run one trial of a model on a workload and print its figures", run_main },
	{ "serve", "run the latency server (--bind ADDR --port P --idle-timeout D)", server_main },
	{ "list", "list the models and workloads (list models | list workloads: names only)",
	  list_main },
	{ "calibrate", "print the kernel iterations that take DURATION on one core",
	  calibrate_main },
	{ "sweep", "run a sweep spec into a result set (SPEC [-o DIR] [--resume] [--shard i/n])",
	  sweep_main },
	{ "merge", "merge result sets (OUT_DIR DIR...)", merge_main },
	{ "compare", "compare two result sets (DIR_A DIR_B)", compare_main },
	{ "plots", "draw the charts, decision matrix and report of a result set (DIR)",
	  plots_main },
	{ "ceiling",
	  "how many tasks each model holds at once here, and what stops it ([-o DIR] "
	  "[--mem-budget SIZE])",
	  ceiling_main },
	{ "report", "write DIR/report.html: the picker, matrix, lessons and claims, offline (DIR)",
	  report_main },
	{ "claims", "measure the seed article's claims in C and CPython ([-o DIR])", claims_main },
	{ "__worker", "(internal) the worker a model execs for a task (--spawn exec)",
	  worker_main },
	{ "__verdict-sim", "(internal) the stopping rule's false rates, simulated", vsim_main },
	{ "__load", "(internal) the server side's load against a peer's server (PORT run ...)",
	  load_main },
	{ NULL, NULL, NULL },
};

/* cmbench __load PORT run FLAGS...: the load of `run --side server` (its
 * rate, tasks, connections, client CPUs) against any HTTP server on
 * 127.0.0.1:PORT whose 200 answers are any body (a peer: nginx), in this
 * process; one csv row of what it saw (docs/servers.md). */
int load_main(int argc, char **argv)
{
	char err[CLI_ERR_MAX];
	struct loadgen_out *g;
	struct run_cfg cfg;
	uint64_t *off = NULL, port;
	struct rusage ru;
	double span, cpu_us;

	if (argc < 3 || strcmp(argv[2], "run") != 0 ||
	    cli_parse_u64("__load PORT", argv[1], 1, 65535, &port, err, sizeof(err)) < 0 ||
	    cli_parse_run(argc - 2, argv + 2, &cfg, err, sizeof(err)) != 0) {
		fprintf(stderr, "cmbench __load: internal; usage: __load PORT run --side server "
				"--model M --workload W --rate R ... (docs/servers.md)\n");
		return 2;
	}
	g = calloc(1, sizeof(*g));
	if (!g || sched_make(&cfg, &off) < 0 || cpus_pin(cfg.client_cpus) < 0) {
		fprintf(stderr, "cmbench __load: set-up failed\n");
		free(g);
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	loadgen_run(&cfg, (int)port, true, off, g);
	sched_free(&cfg, off);
	getrusage(RUSAGE_SELF, &ru);
	cpu_us = ((double)ru.ru_utime.tv_sec + (double)ru.ru_stime.tv_sec) * 1e6 +
		 (double)ru.ru_utime.tv_usec + (double)ru.ru_stime.tv_usec;
	span = g->stats.last_done_ns > g->t0_ns ? (double)(g->stats.last_done_ns - g->t0_ns) / 1e9
						: 0;
	printf("rate_tps,tasks,completed,errors,achieved_tps,lat_p50_us,lat_p99_us,lat_max_us,"
	       "send_lag_p99_us,gen_behind,gen_cpu_us_per_req\n");
	printf("%.17g,%llu,%llu,%llu,%.6g,%.6g,%.6g,%.6g,%.6g,%d,%.6g\n", cfg.rate_tps,
	       (unsigned long long)cfg.tasks, (unsigned long long)g->stats.completed,
	       (unsigned long long)stats_errors(&g->stats),
	       span > 0 ? (double)g->stats.completed / span : 0,
	       (double)hist_quantile(&g->stats.lat, 0.5) / 1e3,
	       (double)hist_quantile(&g->stats.lat, 0.99) / 1e3, (double)g->stats.lat.max / 1e3,
	       (double)hist_quantile(&g->lag, 0.99) / 1e3,
	       hist_quantile(&g->lag, 0.99) > LOADGEN_LAG_MAX_US * 1000ull,
	       g->stats.completed ? cpu_us / (double)g->stats.completed : 0);
	free(g);
	return fflush(stdout) == 0 ? 0 : 1;
}

/* cmbench __worker ARG... run FLAGS...: the child a model execs for a task
 * (process-per-task --spawn exec). FLAGS are parsed here; the ARGs before
 * "run" go to the model's child entry. */
int worker_main(int argc, char **argv)
{
	char err[CLI_ERR_MAX];
	struct run_cfg cfg;
	int run = 1, rc;

	while (run < argc && strcmp(argv[run], "run") != 0)
		run++;
	if (run == argc) {
		fprintf(stderr,
			"cmbench __worker: internal; usage: __worker ARG... run FLAGS...\n");
		return 2;
	}
	rc = cli_parse_run(argc - run, argv + run, &cfg, err, sizeof(err));
	if (rc != 0) {
		fprintf(stderr, "cmbench __worker: %s\n", rc == 1 ? "no --help here" : err);
		return 2;
	}
	if (!cfg.model->child) {
		fprintf(stderr, "cmbench __worker: --model %s execs no worker\n", cfg.model->name);
		return 2;
	}
	rc = cfg.model->child(&cfg, run - 1, argv + 1, err, sizeof(err));
	if (rc == -EINVAL)
		fprintf(stderr, "cmbench %s\n", err);
	return rc == 0 ? 0 : rc == -EINVAL ? 2 : 4;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: cmbench COMMAND [ARGS]   (cmbench COMMAND --help for its flags)\n");
	for (const struct command *c = command_table; c->name; c++)
		fprintf(f, "  %-10s %s\n", c->name, c->summary);
	fprintf(f, "  --help | --version\n\n");
	cli_run_usage(f);
	fprintf(f, "Exit status: 0 ok, 1 the run failed, 2 bad usage.\n");
}

/* The server models, under their own heading (names: one a line). */
static void list_servers(bool names)
{
	if (!names)
		printf("server models (--side server):\n");
	for (size_t i = 0; server_table[i]; i++)
		printf(names ? "%s\n" : "  %-18s %s\n", server_table[i]->base.name,
		       server_table[i]->base.summary);
}

int list_main(int argc, char **argv)
{
	bool names = argc == 2, models = names && strcmp(argv[1], "models") == 0;

	if (names && strcmp(argv[1], "servers") == 0) {
		list_servers(true);
		return 0;
	}
	if (argc > 2 || (names && !models && strcmp(argv[1], "workloads") != 0)) {
		fprintf(stderr,
			"cmbench list: takes nothing, 'models', 'servers' or 'workloads'\n");
		return 2;
	}
	if (!names || models) {
		if (!names)
			printf("models:\n");
		for (size_t i = 0; model_table[i]; i++)
			printf(names ? "%s\n" : "  %-18s %s%s\n", model_table[i]->name,
			       model_table[i]->summary,
			       model_table[i]->foreign ? " (foreign)" : "");
	}
	if (!names || !models) {
		if (!names)
			printf("workloads:\n");
		for (size_t i = 0; workload_table[i]; i++)
			printf(names ? "%s\n" : "  %-18s %s%s\n", workload_table[i]->name,
			       workload_table[i]->summary,
			       workload_table[i]->blocking_only ? " (blocking only)" : "");
	}
	if (!names)
		list_servers(false);
	return 0;
}

/* cmbench calibrate [--model M] D: the kernel iterations that take D on
 * one core. A foreign model's kernel runs in its own runtime: --model asks
 * its program (the sweep calibrates each runtime once, so every model of
 * it runs the same iterations and their checksums agree). */
int calibrate_main(int argc, char **argv)
{
	char err[CLI_ERR_MAX];
	const struct model_ops *m = NULL;
	uint64_t us;

	if (argc == 4 && strcmp(argv[1], "--model") == 0) {
		m = model_find(argv[2]);
		if (!m || !m->cpu_cost) {
			fprintf(stderr, "cmbench calibrate: --model %s: %s\n", argv[2],
				m ? "its kernel is cmbench's own (no --model needed)"
				  : "no such model (cmbench list models)");
			return 2;
		}
		argv += 2;
		argc -= 2;
	}
	if (argc != 2) {
		fprintf(stderr, "cmbench calibrate: needs one duration, like 200us "
				"(cmbench calibrate [--model M] D)\n");
		return 2;
	}
	if (cli_parse_duration_us("calibrate", argv[1], 1, 60000000, &us, err, sizeof(err))) {
		fprintf(stderr, "cmbench: %s\n", err);
		return 2;
	}
	if (m) {
		struct run_cfg cfg;
		double w;

		cli_run_defaults(&cfg);
		cfg.model = m;
		cfg.workload = workload_by_parts(false, true);
		cfg.cpu_target_us = us;
		cfg.cpu_iters = 0;
		if (!cfg.workload || m->cpu_cost(&cfg, &w, err, sizeof(err))) {
			fprintf(stderr, "cmbench: %s\n", cfg.workload ? err : "no cpu workload");
			return 1;
		}
		printf("%llu\n", (unsigned long long)cfg.cpu_iters);
		return 0;
	}
	printf("%llu\n", (unsigned long long)cpu_calibrate(us));
	return 0;
}

/* The run's self-check: every released task completed, none failed, no
 * worker died. */
static int run_verdict(const struct result_row *row)
{
	if (row->completed != row->tasks) {
		fprintf(stderr, "cmbench: self-check failed: %.0f tasks released, %.0f completed\n",
			row->tasks, row->completed);
		return 1;
	}
	if (row->errors > 0 || row->workers_lost > 0) {
		fprintf(stderr, "cmbench: %.0f of %.0f tasks failed", row->errors, row->tasks);
		result_print_error_kinds(stderr, row);
		return 1;
	}
	/* the server side: every request answered once, by the server's own
	 * count and fold as by the load's */
	if (row->side[0] == 's' &&
	    (row->served != row->completed || strcmp(row->served_checksum, row->checksum) != 0)) {
		fprintf(stderr,
			"cmbench: self-check failed: the load got %.0f answers (checksum %s), the "
			"server recorded %.0f (checksum %s)\n",
			row->completed, row->checksum, row->served, row->served_checksum);
		return 1;
	}
	return 0;
}

/* An output file must be writable before the run, not found out after. */
static int check_writable(const char *flag, const char *path, char *err, size_t errlen)
{
	int fd;

	if (!path)
		return 0;
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0) {
		snprintf(err, errlen, "%s %s: cannot write: %s", flag, path, strerror(errno));
		return -errno;
	}
	close(fd);
	return 0;
}

static int run_parse(int argc, char **argv, struct run_cfg *cfg)
{
	char err[CLI_ERR_MAX];
	int rc = cli_parse_run(argc, argv, cfg, err, sizeof(err));

	if (rc == 1) {
		cli_run_usage(stdout);
		return 0;
	}
	if (rc == 0)
		rc = cli_check_fd_limit(cfg, err, sizeof(err));
	if (rc == 0)
		rc = check_writable("--append", cfg->append_path, err, sizeof(err));
	if (rc == 0)
		rc = check_writable("--spectrum", cfg->spectrum_path, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "cmbench: %s\n", err);
		return 2;
	}
	return -1; /* go on */
}

/* The row's outputs: stdout, --append, --spectrum. */
static int run_output(const struct run_cfg *cfg, const struct trial_report *rep,
		      const struct result_row *row)
{
	int rc = 0, w;

	result_print(stdout, cfg->format, row);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "cmbench: writing the result to stdout: %s\n", strerror(errno));
		rc = 1;
	}
	if (cfg->append_path && (w = result_append(cfg->append_path, row)) < 0) {
		fprintf(stderr, "cmbench: --append %s: cannot write: %s\n", cfg->append_path,
			strerror(-w));
		rc = 1;
	}
	if (cfg->spectrum_path && (w = result_spectrum(cfg->spectrum_path, rep)) < 0) {
		fprintf(stderr, "cmbench: --spectrum %s: cannot write: %s\n", cfg->spectrum_path,
			strerror(-w));
		rc = 1;
	}
	return rc;
}

int run_main(int argc, char **argv)
{
	struct trial_report *rep;
	struct result_row row;
	struct run_cfg cfg;
	int rc = run_parse(argc, argv, &cfg), vrc;

	if (rc >= 0)
		return rc;
	rep = calloc(1, sizeof(*rep));
	if (!rep) {
		fprintf(stderr, "cmbench: out of memory\n");
		return 1;
	}
	if (trial_run(&cfg, rep) != 0) {
		fprintf(stderr, "cmbench: %s\n", rep->fail);
		free(rep);
		/* stopped by a signal: every process of the run is gone */
		return trial_stopped() ? 128 + trial_stopped() : 1;
	}
	result_row(&cfg, rep, &row);
	rc = run_output(&cfg, rep, &row);
	vrc = run_verdict(&row);
	free(rep);
	if (trial_stopped())
		return 128 + trial_stopped();
	return rc ? rc : vrc;
}

int main(int argc, char **argv)
{
	/* a file size limit shows as EFBIG on the write, reported, instead of
	 * killing the command silently */
	signal(SIGXFSZ, SIG_IGN);
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("cmbench %s (git %s%s), libuv %s\n", CMB_VERSION, CMB_GIT_REV,
		       CMB_GIT_DIRTY ? ", dirty" : "", uv_version_string());
		return 0;
	}
	for (const struct command *c = command_table; c->name; c++)
		if (strcmp(argv[1], c->name) == 0)
			return c->fn(argc - 1, argv + 1);
	fprintf(stderr, "cmbench: unknown command '%s' (see cmbench --help)\n", argv[1]);
	return 2;
}
