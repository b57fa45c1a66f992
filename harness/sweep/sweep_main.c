/* sweep_main.c - `cmbench sweep SPEC [-o DIR] [--resume] [--shard i/n]
 * [--cmbench PATH]`: its flags, where the spec is found, and the order of
 * the steps. The steps are in sweep_run.c, sweep_set.c and sweep_cell.c. */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../lib/probe.h"
#include "../../lib/cmdutil.h"
#include "../../lib/proc.h"
#include "../set/setio.h"
#include "sweep.h"

#define SPECS_DIR "sweeps" /* where a bare spec name is looked up */

static void usage(FILE *f)
{
	fprintf(f, "usage: cmbench sweep SPEC [-o DIR] [--resume] [--shard i/n] [--cmbench PATH]\n"
		   "  SPEC        a spec file, or a name in " SPECS_DIR "/ (default, quick)\n"
		   "  -o DIR      the result set (default results/<UTC time>-<spec name>)\n"
		   "  --resume    go on with the set in DIR (or results/latest): skip done cells\n"
		   "  --shard i/n run only cells i, i+n, i+2n, ... (1-based); join with merge\n"
		   "  --cmbench P the binary whose `run` is measured (default: this one)\n");
}

static int parse_shard(const char *s, unsigned *i, unsigned *n)
{
	char *e;
	unsigned long a, b;

	a = strtoul(s, &e, 10);
	if (e == s || *e != '/')
		return -EINVAL;
	s = e + 1;
	b = strtoul(s, &e, 10);
	if (e == s || *e || a < 1 || b < 1 || a > b || b > 100000)
		return -EINVAL;
	*i = (unsigned)a;
	*n = (unsigned)b;
	return 0;
}

/* One flag into sw; 0, 1 for --help, or -CMD_EUSAGE. */
static int take_flag(struct sweep *sw, int c, const char *val)
{
	switch (c) {
	case 'h':
		usage(stdout);
		return 1;
	case 'r':
		sw->resume = true;
		return 0;
	case 'o':
		sw->out_arg = val;
		return 0;
	case 'c':
		if (snprintf(sw->cmbench, sizeof(sw->cmbench), "%s", val) <
		    (int)sizeof(sw->cmbench))
			return 0;
		cmd_say("sweep", "--cmbench: path too long");
		return -CMD_EUSAGE;
	case 's':
		if (parse_shard(val, &sw->shard_i, &sw->shard_n) == 0)
			return 0;
		cmd_say("sweep", "--shard: '%s' is not i/n with 1 <= i <= n", val);
		return -CMD_EUSAGE;
	default:
		return -CMD_EUSAGE;
	}
}

/* The flags and SPEC; 0, 1 when --help was asked for, or -CMD_EUSAGE. */
static int parse_args(struct sweep *sw, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "resume", no_argument, NULL, 'r' },
		{ "shard", required_argument, NULL, 's' },
		{ "cmbench", required_argument, NULL, 'c' },
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	int c, rc;

	optind = 0;
	while ((c = cmd_getopt("sweep", argc, argv, "ho:", opts)) != -1)
		if ((rc = take_flag(sw, c, optarg)))
			return rc;
	if (optind + 1 < argc) {
		cmd_say("sweep", "one SPEC only, got '%s' and '%s'", argv[optind],
			argv[optind + 1]);
		return -CMD_EUSAGE;
	}
	if (optind == argc) {
		cmd_say("sweep", "no SPEC (usage: cmbench sweep SPEC [-o DIR] [--resume] ...)");
		return -CMD_EUSAGE;
	}
	sw->spec_arg = argv[optind];
	return 0;
}

static int set_path(char *buf, size_t len, const char *path)
{
	if (snprintf(buf, len, "%s", path) < (int)len)
		return 0;
	cmd_say("sweep", "%s: path too long", path);
	return -CMD_EUSAGE;
}

/* SPEC is a path, or a bare name looked up in sweeps/ here and next to
 * the binary. */
static int find_spec(struct sweep *sw)
{
	char exe[PATH_MAX], cand[PATH_MAX * 2];

	if (strchr(sw->spec_arg, '/') || access(sw->spec_arg, R_OK) == 0)
		return set_path(sw->spec_path, sizeof(sw->spec_path), sw->spec_arg);
	snprintf(cand, sizeof(cand), SPECS_DIR "/%s", sw->spec_arg);
	if (access(cand, R_OK) && self_exe(exe, sizeof(exe)) == 0)
		snprintf(cand, sizeof(cand), "%s/" SPECS_DIR "/%s", dirname(exe), sw->spec_arg);
	if (access(cand, R_OK) != 0) {
		cmd_say("sweep", "%s: no such spec file, nor " SPECS_DIR "/%s", sw->spec_arg,
			sw->spec_arg);
		return -CMD_EUSAGE;
	}
	return set_path(sw->spec_path, sizeof(sw->spec_path), cand);
}

/* The spec, read, parsed and expanded into this shard's cells. */
static int load_spec(struct sweep *sw)
{
	char err[SPEC_ERR_MAX];
	int rc;

	if (!sw->cmbench[0] && self_exe(sw->cmbench, sizeof(sw->cmbench)) != 0)
		snprintf(sw->cmbench, sizeof(sw->cmbench), "cmbench");
	rc = find_spec(sw);
	if (rc)
		return rc;
	rc = spec_load(sw->spec_path, &sw->spec, &sw->spec_text, err, sizeof(err));
	if (rc) {
		cmd_say("sweep", "%s", err);
		return rc == -ENOMEM ? rc : -CMD_EUSAGE;
	}
	sw->meta.cores = probe_cores(); /* sweep_plan() needs it; init_meta fills the rest */
	return sweep_plan(sw);
}

/* A new sweep never writes over a set that holds results. */
static int check_fresh(const struct sweep *sw)
{
	char path[PATH_MAX];

	if (sw->resume || setio_path(path, sizeof(path), sw->dir, "results.csv") ||
	    !setio_nonempty(path))
		return 0;
	cmd_say("sweep", "%s already holds a result set; add --resume to go on with it", sw->dir);
	return -CMD_EUSAGE;
}

static void sweep_free(struct sweep *sw)
{
	if (sw->lock_fd >= 0)
		close(sw->lock_fd);
	free(sw->cells);
	free(sw->done);
	free(sw->ok);
	free(sw->est);
	free(sw->stop);
	free(sw->spec_text);
	spec_free(&sw->spec);
}

int sweep_main(int argc, char **argv)
{
	struct sweep sw = { .shard_i = 1, .shard_n = 1, .lock_fd = -1 };
	int rc;

	/* past a file size limit, write() says EFBIG instead of killing us */
	signal(SIGXFSZ, SIG_IGN);
	rc = parse_args(&sw, argc, argv);
	if (rc == 0)
		rc = load_spec(&sw);
	if (rc == 0)
		rc = sweep_open_dir(&sw);
	if (rc == 0)
		rc = check_fresh(&sw);
	if (rc == 0)
		rc = sweep_init_meta(&sw);
	if (rc == 0)
		rc = sweep_calibrate(&sw);
	if (rc == 0)
		rc = sweep_capacity(&sw);
	if (rc == 0)
		rc = sweep_open_results(&sw);
	if (rc == 0) {
		sweep_install_signals();
		rc = sweep_run(&sw);
	}
	sweep_free(&sw);
	if (rc == 1) /* --help */
		return 0;
	if (rc == -EINTR && proc_stop_sig())
		return 128 + proc_stop_sig();
	return cmd_exit(rc);
}
