/* lessons.c - one section per lesson the set supports: its chart (the
 * gnuplot SVG, filtered), how to read it, and the findings of REPORT.md
 * that carry its numbers (their structs, by key: built once with the
 * family adjusted, empty when the set lacks the grid). A lesson with no
 * finding is left out; a chart the set has not drawn is left out. The
 * cells behind a lesson are found by traits, by their grid's role, or as
 * the cells of the grids its finding compared in. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../../models/model.h"
#include "../../workloads/workload.h"
#include "../kinds.h"
#include "report.h"

#define FIG_ROWS 40 /* the most cells a lesson's table lists */

/* Which cells carry a lesson's figures, and in which criterion. */
typedef bool (*pick_fn)(const struct set *s, const struct cell *c);

static bool in_grid(const struct cell *c, const char *grid)
{
	return strcmp(c->grid, grid) == 0;
}

static bool p_stall(const struct set *s, const struct cell *c)
{
	(void)s;
	return c->w && c->w->blocking_only && !wl_embedded_db(c->w) && !wl_db_server(c->w);
}

static bool p_memory(const struct set *s, const struct cell *c)
{
	if (plots_has_grid(s, s->memory_grid))
		return in_grid(c, s->memory_grid);
	return in_grid(c, s->grid) && c->share == 0 && !c->one_slot;
}

static bool p_gil(const struct set *s, const struct cell *c)
{
	(void)s;
	return c->m && c->m->foreign && wl_plain(c->w, false, true);
}

static bool p_pyloops(const struct set *s, const struct cell *c)
{
	(void)s;
	return c->m && c->m->foreign && wl_plain(c->w, true, false);
}

static bool p_scaling(const struct set *s, const struct cell *c)
{
	return in_grid(c, s->scaling_grid);
}

static bool p_creation(const struct set *s, const struct cell *c)
{
	return finding_cites_grid(finding_out_of(s, &finding_creation), c->grid);
}

static bool p_prefork(const struct set *s, const struct cell *c)
{
	return finding_cites_grid(finding_out_of(s, &finding_prefork), c->grid);
}

static bool p_offload(const struct set *s, const struct cell *c)
{
	return in_grid(c, s->offload_grid);
}

static bool p_tail(const struct set *s, const struct cell *c)
{
	return in_grid(c, s->grid) && c->conc == plots_top_level(s, c->share);
}

static bool p_db(const struct set *s, const struct cell *c)
{
	(void)s;
	return c->w && (wl_embedded_db(c->w) || wl_db_server(c->w));
}

struct lesson {
	const char *id;	      /* the section's id */
	const char *title;    /* its heading */
	const char *chart;    /* DIR/<chart>.svg, or NULL */
	const char *read;     /* how to read the chart, one sentence */
	const char *teaches;  /* what it teaches, one sentence */
	const char *finds[4]; /* finding keys (../findings/registry.c), NULL-terminated */
	pick_fn pick;	      /* the cells of its figures, or NULL */
	size_t crit;	      /* their criterion (plots_criteria) */
};

static const struct lesson lessons[] = {
	{ "stall",
	  "An event loop stalls on a blocking call",
	  "stall",
	  "Makespan against tasks in flight for the loop that runs the blocking call inline "
	  "and for the models that keep it off the loop thread; whiskers span the reps.",
	  "A blocking call inside the loop runs one task at a time whatever the concurrency: "
	  "offload it or use threads.",
	  { "stall" },
	  p_stall,
	  0 },
	{ "memory",
	  "Memory per task, by model",
	  "memory",
	  "Memory per concurrent task (PSS growth over the set-up baseline, divided by the "
	  "tasks in flight) against tasks in flight, log scale; whiskers span the reps.",
	  "What a waiting task costs depends on what holds it: a small struct in a loop, "
	  "a stack in a thread, private pages in a process.",
	  { "memory" },
	  p_memory,
	  2 },
	{ "gil",
	  "The GIL on CPU work",
	  NULL,
	  NULL,
	  "In CPython, threads do not run Python code in parallel: CPU work needs processes.",
	  { "python" },
	  p_gil,
	  0 },
	{ "scaling",
	  "CPU work across cores",
	  "speedup",
	  "Speedup over one sequential worker against workers; the diagonal is the ideal.",
	  "CPU work scales with cores, never beyond them.",
	  { "speedup" },
	  p_scaling,
	  0 },
	{ "creation",
	  "Creating a thread or a process per task against a pool",
	  NULL,
	  NULL,
	  "A pool pays for its threads or processes once; a model that creates one per task "
	  "pays every time.",
	  { "creation" },
	  p_creation,
	  0 },
	{ "prefork",
	  "An event loop per core",
	  NULL,
	  NULL,
	  "One loop runs on one core; a loop per core (prefork) can use them all.",
	  { "prefork" },
	  p_prefork,
	  0 },
	{ "lostcore",
	  "Offload's lost core",
	  NULL,
	  NULL,
	  "The loop thread is one more thread than there are cores: with as many tasks as "
	  "workers it costs a core's worth of waiting.",
	  { "offload_pool", "offload" },
	  p_offload,
	  0 },
	{ "knee",
	  "The open-loop knee",
	  "latency",
	  "p99 latency against the offered rate (percent of each model's batch capacity); the "
	  "dashed line is the SLO.",
	  "Latency stays flat until the offered rate nears what a model sustains, then climbs "
	  "steeply: the knee.",
	  { "openloop" },
	  NULL,
	  0 },
	{ "tail",
	  "Makespan, tail latency and the ideal bound",
	  "p99",
	  "p99 latency against tasks in flight, one panel per CPU share; whiskers span the "
	  "reps.",
	  "With enough tasks in flight every model that overlaps waiting ends near the same "
	  "bound; the tail tells them apart.",
	  { "bound", "p99" },
	  p_tail,
	  1 },
	{ "databases",
	  "A blocking library and a database",
	  NULL,
	  NULL,
	  "A library with no non-blocking API blocks whatever runs it; a database server "
	  "rewards a driver that overlaps its queries.",
	  { "embedded_db", "db_server", "flags" },
	  p_db,
	  0 },
	{ "pyloops",
	  "Python event loops on I/O",
	  NULL,
	  NULL,
	  "The loop's implementation sets the cost of each wakeup.",
	  { "python_loops" },
	  p_pyloops,
	  0 },
	{ "folklore",
	  "What the folklore says, against the measurements",
	  "makespan",
	  "Makespan against tasks in flight, one panel per CPU share; whiskers span the reps.",
	  "The folklore holds where the numbers say so, cell by cell in the matrix above.",
	  { "folklore" },
	  NULL,
	  0 },
};

/* The figures behind a lesson: each picked cell's median, min–max over
 * its reps, and the reps, in a table folded under a summary. */
static void figures(FILE *f, const struct set *s, const struct lesson *l)
{
	enum metric m = plots_criteria[l->crit].m;
	char a[48], b[48], c2[48], cnt[32];
	size_t rows = 0, total = 0;

	if (!l->pick)
		return;
	for (size_t i = 0; i < s->ncells; i++)
		total += l->pick(s, &s->cells[i]);
	if (!total)
		return;
	fputs("<details><summary>The figures: ", f);
	html_esc(f, plots_criteria[l->crit].title);
	fprintf(f,
		", median and min–max over the reps (%zu cells)</summary><div class=\"scroll\">"
		"<table><thead><tr><th scope=\"col\">grid</th><th scope=\"col\">model</th>"
		"<th scope=\"col\">workload</th><th scope=\"col\">tasks in flight</th>"
		"<th scope=\"col\">median</th><th scope=\"col\">min–max</th>"
		"<th scope=\"col\">reps</th></tr></thead><tbody>\n",
		total);
	for (size_t i = 0; i < s->ncells && rows < FIG_ROWS; i++) {
		const struct cell *c = &s->cells[i];

		if (!l->pick(s, c))
			continue;
		rows++;
		fputs("<tr><td>", f);
		html_esc(f, c->grid);
		fputs("</td><td>", f);
		html_esc(f, c->model);
		fputs("</td><td>", f);
		html_esc(f, c->w ? c->w->name : "?");
		if (!isnan(c->share))
			fprintf(f, " (%g%% cpu)", c->share);
		fprintf(f, "</td><td>%s</td>",
			c->one_slot ? "1" : plots_count(c->conc, cnt, sizeof(cnt)));
		if (!c->ok)
			fputs("<td colspan=\"2\">failed: not a result</td>", f);
		else
			fprintf(f, "<td>%s</td><td>%s–%s</td>",
				plots_crit_value(l->crit, c->v[m][MED], a, sizeof(a)),
				plots_crit_value(l->crit, c->v[m][MIN], b, sizeof(b)),
				plots_crit_value(l->crit, c->v[m][MAX], c2, sizeof(c2)));
		fprintf(f, "<td>%g</td></tr>\n", c->reps);
	}
	fputs("</tbody></table></div>", f);
	if (rows < total)
		fprintf(f, "<p>The first %zu of %zu cells; all of them are in cells.csv.</p>", rows,
			total);
	fputs("</details>\n", f);
}

static char *findings(const struct set *s, const struct lesson *l)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	if (!m)
		return NULL;
	for (size_t i = 0; i < 4 && l->finds[i]; i++)
		finding_md(finding_of(s, l->finds[i]), m);
	if (fclose(m) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

void report_lessons(FILE *f, const struct set *s)
{
	size_t shown = 0;

	for (size_t i = 0; i < sizeof(lessons) / sizeof(lessons[0]); i++) {
		const struct lesson *l = &lessons[i];
		char *md = findings(s, l);

		if (!md || !md[strspn(md, " \n")]) {
			free(md);
			continue;
		}
		if (!shown++)
			fputs("<section id=\"lessons\"><h2>Lessons, with their evidence</h2>\n", f);
		fprintf(f, "<section class=\"lesson\" id=\"lesson-%s\"><h3>", l->id);
		html_esc(f, l->title);
		fputs("</h3>\n", f);
		if (l->chart) {
			fprintf(f, "<figure id=\"chart-%s\"><div class=\"chartbox\">", l->chart);
			if (report_svg(f, s, l->chart, l->title) == 0) {
				fputs("</div><figcaption>", f);
				html_esc(f, l->read);
				fputs("</figcaption></figure>\n", f);
			} else {
				fputs("</div><figcaption>(chart not drawn: run cmbench plots on "
				      "the "
				      "set)</figcaption></figure>\n",
				      f);
			}
		}
		fputs("<p class=\"teaches\">", f);
		html_esc(f, l->teaches);
		fputs("</p>\n", f);
		html_md(f, md, 3);
		figures(f, s, l);
		fputs("</section>\n", f);
		free(md);
	}
	if (shown)
		fputs("</section>\n", f);
}
