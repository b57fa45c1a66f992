/* plots_main.c - `cmbench plots DIR [--scripts PLOTS_DIR]`: its flags and
 * the order of the steps; see plots.h for what each file does. */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/cmdutil.h"
#include "plots.h"

#define USAGE "usage: cmbench plots DIR [--scripts PLOTS_DIR]"

static int usage(const char *msg)
{
	cmd_say("plots", "%s (" USAGE ")", msg);
	return -CMD_EUSAGE;
}

/* Whether a path can go on gnuplot's command line (single-quoted there,
 * but a control character would end the command). */
static bool no_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

void plots_run_id(struct set *s)
{
	size_t len = strlen(s->dir);
	const char *p;
	char cwd[PLOTS_PATH_LEN];

	while (len > 1 && s->dir[len - 1] == '/')
		len--;
	for (p = s->dir + len; p > s->dir && p[-1] != '/'; p--)
		;
	snprintf(s->run_id, sizeof(s->run_id), "%.*s", (int)(s->dir + len - p), p);
	if ((!*s->run_id || strcmp(s->run_id, ".") == 0) && getcwd(cwd, sizeof(cwd)) &&
	    strrchr(cwd, '/'))
		snprintf(s->run_id, sizeof(s->run_id), "%s", strrchr(cwd, '/') + 1);
}

/* Parse argv into s; 0, 1 for --help, or -CMD_EUSAGE. */
static int parse_args(int argc, char **argv, struct set *s)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "scripts", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	s->scripts = "plots";
	optind = 0;
	while ((c = cmd_getopt("plots", argc, argv, "h", opts)) != -1) {
		if (c == 'h') {
			printf(USAGE "\n  draws the charts, decision-matrix.md and REPORT.md of a "
				     "result set\n");
			return 1;
		}
		if (c != 's')
			return -CMD_EUSAGE;
		s->scripts = optarg;
	}
	if (optind == argc)
		return usage("needs a result directory");
	if (optind + 1 < argc)
		return usage("one result directory only");
	s->dir = argv[optind];
	if (!no_control(s->dir) || !no_control(s->scripts))
		return usage("no control characters in DIR or PLOTS_DIR, please");
	plots_run_id(s);
	return 0;
}

/* Every chart's script is there. */
static int check_scripts(const struct set *s)
{
	char script[PLOTS_PATH_LEN];

	for (size_t i = 0; i < PLOTS_NCHARTS; i++) {
		snprintf(script, sizeof(script), "%s/%s.gp", s->scripts, plots_charts[i].name);
		if (access(script, R_OK)) {
			cmd_say("plots", "%s: %s (give --scripts PLOTS_DIR)", script,
				strerror(errno));
			return -CMD_EUSAGE;
		}
	}
	return 0;
}

static int draw(struct set *s)
{
	int rc;

	if (!plots_on_path("gnuplot")) {
		cmd_say("plots", "gnuplot not found; install it with: apt-get install gnuplot-nox");
		return -ENOENT;
	}
	for (size_t i = 0; i < PLOTS_NCHARTS; i++) {
		char old[PLOTS_PATH_LEN];

		if (plots_chart_drawn(s, i))
			continue;
		/* an earlier drawing of a chart the set has no data for now */
		snprintf(old, sizeof(old), "%s/%s.png", s->dir, plots_charts[i].name);
		unlink(old);
		snprintf(old, sizeof(old), "%s/%s.svg", s->dir, plots_charts[i].name);
		unlink(old);
	}
	for (size_t i = 0; i < PLOTS_NCHARTS; i++)
		if (plots_chart_drawn(s, i) && (rc = plots_run_gnuplot(s, plots_charts[i].name))) {
			cmd_say("plots", "gnuplot failed on %s/%s.gp", s->scripts,
				plots_charts[i].name);
			return rc;
		}
	return 0;
}

void plots_set_free(struct set *s)
{
	for (size_t k = 0; k < NCRIT; k++)
		matrix_free(s->verdict[k], s->nverdict[k]);
	free(s->mc);
	free(s->mc_src);
	for (size_t i = 0; s->cells && i < s->ncells; i++)
		for (int m = 0; m < NMETRIC; m++)
			free(s->cells[i].rep[m]);
	free(s->cells);
	free(s->fits);
	free(s->models);
	cells_csv_free(&s->tab);
	meta_free(&s->meta);
	spec_free(&s->spec);
}

int plots_open_set(struct set *s, const char *cmd)
{
	int rc = plots_load_cells(s);

	if (rc == 0 && (rc = plots_load_reps(s)))
		cmd_say(cmd, "out of memory");
	if (rc == 0) {
		plots_read_meta(s);
		plots_plan_grid(s);
		rc = plots_decide_all(s);
		if (rc)
			cmd_say(cmd, "out of memory");
	}
	return rc;
}

int plots_main(int argc, char **argv)
{
	struct set s = { .cores = NAN };
	int rc;

	signal(SIGXFSZ, SIG_IGN); /* past a file size limit: EFBIG, said */
	rc = parse_args(argc, argv, &s);

	if (rc == 0)
		rc = check_scripts(&s);
	if (rc == 0)
		rc = plots_open_set(&s, "plots");
	if (rc == 0)
		rc = plots_write_plotdata(&s);
	if (rc == 0)
		rc = plots_write_matrix_md(&s);
	if (rc == 0)
		rc = plots_write_decisions(&s);
	if (rc == 0)
		rc = draw(&s);
	if (rc == 0)
		rc = plots_write_report(&s);
	plots_set_free(&s);
	return rc == 1 ? 0 : cmd_exit(rc);
}
