/* report_lessons.c - one section per lesson the set supports: its chart
 * (the gnuplot SVG, filtered), how to read it, and the findings of
 * REPORT.md that carry its numbers (plots_finding: computed from cells.csv,
 * empty when the set lacks the grid). A lesson with no finding is left
 * out; a chart the set has not drawn is left out. */
#include <stdlib.h>
#include <string.h>

#include "report.h"

struct lesson {
	const char *id;	      /* the section's id */
	const char *title;    /* its heading */
	const char *chart;    /* DIR/<chart>.svg, or NULL */
	const char *read;     /* how to read the chart, one sentence */
	const char *teaches;  /* what it teaches, one sentence */
	const char *finds[4]; /* plots_finding keys, NULL-terminated */
};

static const struct lesson lessons[] = {
	{ "stall",
	  "An event loop stalls on a blocking call",
	  "stall",
	  "Makespan against tasks in flight for the loop that runs the blocking call inline "
	  "and for the models that keep it off the loop thread; whiskers span the reps.",
	  "A blocking call inside the loop runs one task at a time whatever the concurrency: "
	  "offload it or use threads.",
	  { "stall" } },
	{ "memory",
	  "Memory per task, by model",
	  "memory",
	  "Memory per concurrent task (PSS growth over the set-up baseline, divided by the "
	  "tasks in flight) against tasks in flight, log scale; whiskers span the reps.",
	  "A waiting task costs a few hundred bytes in a loop, a stack in a thread and a "
	  "process in a pool of processes.",
	  { "memory" } },
	{ "gil",
	  "The GIL on CPU work",
	  NULL,
	  NULL,
	  "In CPython, threads do not run Python code in parallel: CPU work needs processes.",
	  { "python" } },
	{ "scaling",
	  "CPU work across cores",
	  "speedup",
	  "Speedup over one sequential worker against workers; the diagonal is the ideal.",
	  "CPU work scales with cores, never beyond them.",
	  { "speedup" } },
	{ "creation",
	  "Creating a thread or a process per task against a pool",
	  NULL,
	  NULL,
	  "A pool pays for its threads or processes once; a model that creates one per task "
	  "pays every time.",
	  { "creation" } },
	{ "prefork",
	  "An event loop per core",
	  NULL,
	  NULL,
	  "One loop uses one core; a loop per core (prefork) uses them all.",
	  { "prefork" } },
	{ "lostcore",
	  "Offload's lost core",
	  NULL,
	  NULL,
	  "The loop thread is one more thread than there are cores: with as many tasks as "
	  "workers it costs a core's worth of waiting.",
	  { "offload_pool", "offload" } },
	{ "knee",
	  "The open-loop knee",
	  "latency",
	  "p99 latency against the offered rate (percent of each model's batch capacity); the "
	  "dashed line is the SLO.",
	  "Latency stays flat until the offered rate nears what a model sustains, then climbs "
	  "steeply: the knee.",
	  { "openloop" } },
	{ "tail",
	  "Makespan, tail latency and the ideal bound",
	  "p99",
	  "p99 latency against tasks in flight, one panel per CPU share; whiskers span the "
	  "reps.",
	  "With enough tasks in flight every model that overlaps waiting ends near the same "
	  "bound; the tail tells them apart.",
	  { "bound", "p99" } },
	{ "databases",
	  "A blocking library and a database",
	  NULL,
	  NULL,
	  "A library with no non-blocking API blocks whatever runs it; a database server "
	  "rewards a driver that overlaps its queries.",
	  { "embedded_db", "db_server", "flags" } },
	{ "pyloops",
	  "Python event loops on I/O",
	  NULL,
	  NULL,
	  "The loop's implementation sets the cost of each wakeup.",
	  { "python_loops" } },
	{ "folklore",
	  "What the folklore says, against the measurements",
	  "makespan",
	  "Makespan against tasks in flight, one panel per CPU share; whiskers span the reps.",
	  "The folklore holds where the numbers say so, cell by cell in the matrix above.",
	  { "folklore" } },
};

static char *findings(const struct set *s, const struct lesson *l)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	if (!m)
		return NULL;
	for (size_t i = 0; i < 4 && l->finds[i]; i++)
		plots_finding(s, l->finds[i], m);
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
		fputs("</section>\n", f);
		free(md);
	}
	if (shown)
		fputs("</section>\n", f);
}
