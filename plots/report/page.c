/* page.c - `cmbench report DIR`: its flags, the page's order, the
 * environment card and the self-check; see report.h. */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../lib/cmdutil.h"
#include "report.h"

#define USAGE "usage: cmbench report DIR"

static int parse_args(int argc, char **argv, struct set *s)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct stat st;
	char path[PLOTS_PATH_LEN];
	int c;

	optind = 0;
	while ((c = cmd_getopt("report", argc, argv, "h", opts)) != -1) {
		if (c != 'h')
			return -CMD_EUSAGE;
		printf(USAGE "\n  writes DIR/report.html: the picker, the matrix, the lessons, "
			     "the claims and the machine, in one offline page\n");
		return 1;
	}
	if (optind + 1 != argc) {
		cmd_say("report", "%s (" USAGE ")",
			optind == argc ? "needs a result directory" : "one result directory only");
		return -CMD_EUSAGE;
	}
	s->dir = argv[optind];
	if (stat(s->dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		cmd_say("report", "%s: %s", s->dir,
			stat(s->dir, &st) ? strerror(errno) : "not a directory");
		return -CMD_EUSAGE;
	}
	snprintf(path, sizeof(path), "%s/cells.csv", s->dir);
	if (access(path, R_OK) != 0) {
		cmd_say("report", "%s: not a result set (no readable cells.csv)", s->dir);
		return -CMD_EUSAGE;
	}
	plots_run_id(s);
	return 0;
}

static void card_row(FILE *f, const char *key, const char *val)
{
	if (!val || !*val)
		return;
	fputs("<tr><th scope=\"row\">", f);
	html_esc(f, key);
	fputs("</th><td>", f);
	html_esc(f, val);
	fputs("</td></tr>\n", f);
}

/* The median and the worst half-range of the reps, relative to the
 * median, over the main grid's makespans: the precision reached. */
static void precision(const struct set *s, char *b, size_t n)
{
	double rel[4096], reps = 0;
	size_t k = 0;

	for (size_t i = 0; i < s->ncells && k < 4096; i++) {
		const struct cell *c = &s->cells[i];
		double med = c->v[M_MAKESPAN][MED];

		if (!c->ok || !(med > 0) ||
		    !isfinite(c->v[M_MAKESPAN][MAX] - c->v[M_MAKESPAN][MIN]))
			continue;
		rel[k++] = (c->v[M_MAKESPAN][MAX] - c->v[M_MAKESPAN][MIN]) / 2 / med;
		reps = fmax(reps, c->reps);
	}
	if (!k) {
		snprintf(b, n, "no valid cell");
		return;
	}
	for (size_t i = 1; i < k; i++)
		for (size_t j = i; j > 0 && rel[j - 1] > rel[j]; j--) {
			double t = rel[j];

			rel[j] = rel[j - 1];
			rel[j - 1] = t;
		}
	snprintf(b, n,
		 "up to %g reps a cell; makespan min–max half-range: median ±%.1f%%, worst ±%.1f%% "
		 "(%zu cells)",
		 reps, 100 * rel[k / 2], 100 * rel[k - 1], k);
}

static void env_card(FILE *f, const struct set *s)
{
	const struct meta *m = &s->meta;
	char b[1024], cores[16];

	fputs("<section id=\"environment\"><h2>The machine and the run</h2>\n"
	      "<table class=\"card\"><tbody>\n",
	      f);
	card_row(f, "result set", s->run_id);
	card_row(f, "CPU", *m->cpu_model ? m->cpu_model : "not recorded");
	snprintf(b, sizeof(b), "%s usable (%d online)", plots_cores(s, cores, sizeof(cores)),
		 m->cores_online);
	card_row(f, "cores", b);
	snprintf(b, sizeof(b), "Linux %s", *m->kernel ? m->kernel : "not recorded");
	card_row(f, "kernel", b);
	card_row(f, "clock source", m->clocksource);
	snprintf(b, sizeof(b), "%s %s", m->compiler, m->cflags);
	card_row(f, "compiler", *m->compiler ? b : "");
	card_row(f, "libuv", m->libuv);
	card_row(f, "hyperfine", m->hyperfine);
	card_row(f, "gnuplot", m->gnuplot);
	snprintf(b, sizeof(b), "%s%s", m->git_rev, m->git_dirty ? " (uncommitted changes)" : "");
	card_row(f, "cmbench", *m->git_rev ? b : "");
	snprintf(b, sizeof(b), "%s, %u reps and %u warm-up per cell, %u cells (%u failed)",
		 m->spec_name, m->reps, m->warmup, m->cells_total, m->cells_failed);
	card_row(f, "sweep", *m->spec_name ? b : "");
	snprintf(b, sizeof(b), "%s to %s", m->start_utc, *m->end_utc ? m->end_utc : "?");
	card_row(f, "ran", *m->start_utc ? b : "");
	precision(s, b, sizeof(b));
	card_row(f, "precision reached", b);
	if (*m->note) {
		fputs("<tr><th scope=\"row\">what they hold for</th><td>", f);
		html_inline_md(f, m->note);
		fputs("</td></tr>\n", f);
	}
	fputs("</tbody></table></section>\n", f);
}

/* A finding as a section of its own: <section id="ID"><h2>TITLE</h2>,
 * nothing when the set has none of it. */
static void finding_section(FILE *f, const struct set *s, const char *id, const char *title,
			    const char *key)
{
	const struct finding_out *o = finding_of(s, key);

	if (finding_empty(o))
		return;
	fprintf(f, "<section id=\"%s\"><h2>", id);
	html_esc(f, title);
	fputs("</h2>\n", f);
	html_finding(f, o, 2);
	fputs("</section>\n", f);
}

static void regimes_section(FILE *f, const struct set *s)
{
	struct doc_html h = { .id = "regimes",
			      .title = "Regimes beyond the matrix",
			      .intro = "The other grids of the set, each against what the folklore "
				       "says (decision-matrix.md)." };
	struct doc d;

	doc_html(&d, f, &h);
	plots_regimes_doc(s, &d);
	doc_html_end(&d);
}

static void openloop_section(FILE *f, const struct set *s)
{
	struct doc_html h = { .id = "openloop",
			      .title = "Open loop: the highest rate with p99 under the SLO" };
	struct doc d;

	doc_html(&d, f, &h);
	plots_openloop_doc(s, &d);
	doc_html_end(&d);
}

static void page(FILE *f, const struct set *s)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	      "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n"
	      "<title>cmbench report: ",
	      f);
	html_esc(f, s->run_id);
	fprintf(f,
		"</title>\n<style>%s</style>\n</head><body>\n<header><h1>Which model for my "
		"workload? <span class=\"set\">result set ",
		report_css);
	html_esc(f, s->run_id);
	fputs("</span></h1>\n<nav aria-label=\"sections\"><a href=\"#picker\">Picker</a> "
	      "<a href=\"#matrix\">Matrix</a> <a href=\"#lessons\">Lessons</a> "
	      "<a href=\"#claims\">Claims</a> <a href=\"#environment\">Machine</a> "
	      "<a href=\"#selfcheck\">Self-check</a></nav></header>\n<main>\n",
	      f);
	report_picker(f, s);
	report_heatmap(f, s);
	report_lessons(f, s);
	regimes_section(f, s);
	openloop_section(f, s);
	finding_section(f, s, "claims", "The article's claims", "claims");
	env_card(f, s);
	finding_section(f, s, "selfcheck", "The self-check", "failures");
	fputs("</main>\n<footer>Written by <code>cmbench report</code> from cells.csv and "
	      "meta.json; every figure is a measurement of this set. The page needs no "
	      "network.</footer>\n<script type=\"application/json\" id=\"decisions\">",
	      f);
	plots_decisions_json(s, f);
	fprintf(f, "</script>\n<script>%s</script>\n</body></html>\n", report_js);
}

static int write_page(const struct set *s)
{
	char path[PLOTS_PATH_LEN], tmp[PLOTS_PATH_LEN + 8];
	FILE *f;

	snprintf(path, sizeof(path), "%s/report.html", s->dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f) {
		cmd_say("report", "%s: %s", tmp, strerror(errno));
		return -errno;
	}
	page(f, s);
	if (fclose(f) != 0 || rename(tmp, path) != 0) {
		cmd_say("report", "%s: %s", path, strerror(errno));
		unlink(tmp);
		return -errno;
	}
	printf("%s\n", path);
	return 0;
}

int report_main(int argc, char **argv)
{
	struct set s = { .cores = NAN, .cmd = "report" };
	int rc;

	signal(SIGXFSZ, SIG_IGN);
	rc = parse_args(argc, argv, &s);
	if (rc == 0)
		rc = plots_open_set(&s, "report");
	if (rc == 0)
		rc = write_page(&s);
	plots_set_free(&s);
	return rc == 1 ? 0 : cmd_exit(rc);
}
