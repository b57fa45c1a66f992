/* main.c - the cmbench command: dispatch, `run`, `list`, `calibrate`.
 * Every subcommand's output is printed from here or from result.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "../models/model.h"
#include "../workloads/workload.h"
#include "cli.h"
#include "commands.h"
#include "result.h"
#include "../server/server.h"
#include "trial.h"

#define CMB_VERSION "0.1.0"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: cmbench run   --model M --workload W [--tasks N] [--concurrency C] "
		"[--workers W]\n"
		"                     [--io-latency 50ms] [--payload 256] [--conn new|keepalive]\n"
		"                     [--cpu 200us | --cpu-iters N] [--timeout 5s] [--target URL]\n"
		"                     [--format text|csv|json] [--append FILE] [--spectrum FILE]\n"
		"       cmbench serve [--bind ADDR] [--port P]\n"
		"       cmbench list\n"
		"       cmbench calibrate DURATION\n"
		"       cmbench sweep SPEC [-o DIR] [--resume] [--shard i/n]\n"
		"       cmbench merge OUT_DIR DIR...\n"
		"       cmbench compare DIR_A DIR_B\n"
		"       cmbench plots DIR\n"
		"       cmbench --help | --version\n"
		"Defaults: --tasks 1000 --concurrency 100 (sequential: 1) --workers <CPUs>\n"
		"          --io-latency 50ms --payload 256 --conn new --cpu-iters %d --timeout 5s\n"
		"Exit status: 0 ok, 1 the run failed, 2 bad usage.\n",
		CLI_DEFAULT_CPU_ITERS);
}

static int cmd_list(void)
{
	printf("models:\n");
	for (size_t i = 0; model_table[i]; i++)
		printf("  %-18s %s\n", model_table[i]->name, model_table[i]->summary);
	printf("workloads:\n");
	for (size_t i = 0; workload_table[i]; i++)
		printf("  %-18s %s\n", workload_table[i]->name, workload_table[i]->summary);
	return 0;
}

static int cmd_calibrate(int argc, char **argv)
{
	char err[CLI_ERR_MAX];
	uint64_t us, iters;

	if (argc != 2) {
		fprintf(stderr, "cmbench calibrate: needs one duration, like 200us\n");
		return 2;
	}
	if (cli_parse_duration_us("calibrate", argv[1], 1, 60000000, &us, err, sizeof(err))) {
		fprintf(stderr, "cmbench: %s\n", err);
		return 2;
	}
	iters = cpu_calibrate(us);
	printf("%llu\n", (unsigned long long)iters);
	return 0;
}

/* The run's self-check: every released task completed, none failed. */
static int run_verdict(const struct result_row *row)
{
	if (row->completed != row->tasks) {
		fprintf(stderr, "cmbench: self-check failed: %.0f tasks released, %.0f completed\n",
			row->tasks, row->completed);
		return 1;
	}
	if (row->errors > 0) {
		fprintf(stderr,
			"cmbench: %.0f of %.0f tasks failed (connect %.0f, timeout %.0f, io %.0f, "
			"http %.0f)\n",
			row->errors, row->tasks, row->errors_connect, row->errors_timeout,
			row->errors_io, row->errors_http);
		return 1;
	}
	return 0;
}

static int cmd_run(int argc, char **argv)
{
	struct run_cfg cfg;
	struct trial_report *rep;
	struct result_row row;
	char err[CLI_ERR_MAX];
	int rc;

	rc = cli_parse_run(argc, argv, &cfg, err, sizeof(err));
	if (rc == 1) {
		usage(stdout);
		return 0;
	}
	if (rc == 0)
		rc = cli_check_fd_limit(&cfg, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "cmbench: %s\n", err);
		return 2;
	}
	rep = calloc(1, sizeof(*rep));
	if (!rep) {
		fprintf(stderr, "cmbench: out of memory\n");
		return 1;
	}
	if (trial_run(&cfg, rep) != 0) {
		fprintf(stderr, "cmbench: %s\n", rep->fail);
		free(rep);
		return 1;
	}
	result_row(&cfg, rep, &row);
	result_print(stdout, cfg.format, &row);
	fflush(stdout);
	rc = run_verdict(&row);
	if (cfg.append_path && result_append(cfg.append_path, &row) < 0) {
		fprintf(stderr, "cmbench: --append %s: cannot write\n", cfg.append_path);
		rc = 1;
	}
	if (cfg.spectrum_path && result_spectrum(cfg.spectrum_path, rep) < 0) {
		fprintf(stderr, "cmbench: --spectrum %s: cannot write\n", cfg.spectrum_path);
		rc = 1;
	}
	free(rep);
	return rc;
}

static const struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
} commands[] = {
	{ "run", cmd_run }, { "serve", server_main }, { "calibrate", cmd_calibrate }, COMMANDS_MORE
};

int main(int argc, char **argv)
{
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
	if (strcmp(argv[1], "list") == 0)
		return cmd_list();
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "cmbench: unknown command '%s' (see cmbench --help)\n", argv[1]);
	return 2;
}
