/* main.c - `cmbench plots DIR [--scripts PLOTS_DIR]`: its flags and the
 * order of the steps, and a set as both commands open it (plots_open_set);
 * see ../set.h for the floors. It writes:
 *   DIR/plotdata/        the plot-ready series and vars.gp, which every
 *                        chart's script loads (gnuplot reads nothing else)
 *   DIR/<chart>.png/.svg one gnuplot run per chart of ../data/registry.c
 *   DIR/decision-matrix.md  the measured decision matrix
 *   DIR/decisions.json   the same verdicts for programs (cmbench report)
 *   DIR/REPORT.md        one page: host, findings, charts, matrix */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../lib/cmdutil.h"
#include "report.h"

#define USAGE "usage: cmbench plots DIR [--scripts PLOTS_DIR]"
#define PLOTS_SCRIPTS "plots/data" /* the charts' scripts, from the source tree */

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

/* Parse argv into s; 0, 1 for --help, or -CMD_EUSAGE. */
static int parse_args(int argc, char **argv, struct set *s)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "scripts", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	s->scripts = PLOTS_SCRIPTS;
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

	for (size_t i = 0; chart_table[i]; i++) {
		plots_chart_script(s, i, script, sizeof(script));
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
	for (size_t i = 0; chart_table[i]; i++) {
		char old[PLOTS_PATH_LEN];

		if (plots_chart_drawn(s, i))
			continue;
		/* an earlier drawing of a chart the set has no data for now */
		snprintf(old, sizeof(old), "%s/%s.png", s->dir, chart_table[i]->name);
		unlink(old);
		snprintf(old, sizeof(old), "%s/%s.svg", s->dir, chart_table[i]->name);
		unlink(old);
	}
	for (size_t i = 0; chart_table[i]; i++)
		if (plots_chart_drawn(s, i) && (rc = plots_run_gnuplot(s, i))) {
			char script[PLOTS_PATH_LEN];

			cmd_say("plots", "gnuplot failed on %s",
				plots_chart_script(s, i, script, sizeof(script)));
			return rc;
		}
	return 0;
}

void plots_set_free(struct set *s)
{
	findings_free(s);
	plots_verdicts_free(s);
	free(s->drawn);
	plots_set_free_base(s);
}

int plots_open_set(struct set *s, const char *cmd)
{
	int rc = plots_load_cells(s);

	if (rc == 0 && (rc = plots_load_reps(s)))
		cmd_say(cmd, "out of memory");
	if (rc == 0) {
		plots_read_meta(s);
		plots_plan_grid(s);
		if ((rc = plots_decide_all(s)) == 0 && (rc = plots_regimes_build(s)) == 0 &&
		    (rc = plots_memfit(s)) == 0)
			rc = findings_build(s);
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
