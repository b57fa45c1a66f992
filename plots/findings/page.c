/* page.c - REPORT.md: the host, the findings (sentences computed from the
 * numbers, findings_build), the charts and the matrix's summary on one
 * page. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/cmdutil.h"
#include "../data/charts.h"
#include "../verdicts/verdicts.h"
#include "findings.h"

static int cmp_dbl(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return (a > b) - (a < b);
}

/* What the sweep ran, not what its spec asked: reps per cell (min /
 * median / max), how many cells reached the interval, where the budget
 * cut rounds short. */
static void write_reps(const struct set *s, FILE *f)
{
	const struct meta *m = &s->meta;
	double *r = calloc(s->ncells ? s->ncells : 1, sizeof(*r)), med;
	size_t n = 0, met = 0, known = 0, cut = 0;
	double ci_lo = INFINITY, ci_hi = -INFINITY; /* the grids' own ci: targets */
	char list[1024] = "", target[64];

	if (!r)
		return;
	for (size_t i = 0; i < s->ncells; i++) {
		const struct cell *c = &s->cells[i];

		if (isfinite(c->reps))
			r[n++] = c->reps;
		known += c->ci_met >= 0;
		met += c->ci_met == 1;
		if (c->ci_met >= 0 && isfinite(c->ci_pct) && c->ci_pct > 0) {
			ci_lo = fmin(ci_lo, c->ci_pct);
			ci_hi = fmax(ci_hi, c->ci_pct);
		}
		if (c->budget_cut && cut++ < 8)
			snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s`%s`",
				 *list ? ", " : "", c->id);
	}
	qsort(r, n, sizeof(*r), cmp_dbl);
	med = n ? (n % 2 ? r[n / 2] : (r[n / 2 - 1] + r[n / 2]) / 2) : NAN;
	if (n)
		fprintf(f,
			"| sweep | %s: reps run per cell %g / %g / %g (min / median / max over %zu "
			"cells) |\n",
			m->spec_name, r[0], med, r[n - 1], n);
	else
		fprintf(f, "| sweep | %s: no reps |\n", m->spec_name);
	if (!(ci_lo <= ci_hi)) /* no cell says: the spec's global one */
		snprintf(target, sizeof(target), "±%g%%", m->ci_pct);
	else if (ci_lo == ci_hi)
		snprintf(target, sizeof(target), "±%g%%", ci_lo);
	else
		snprintf(target, sizeof(target), "its grid's ci: (±%g%% to ±%g%%)", ci_lo, ci_hi);
	if (known)
		fprintf(f,
			"| interval | %zu of %zu cells reached a 95%% interval of the geometric "
			"mean makespan within %s |\n",
			met, known, target);
	if (cut)
		fprintf(f,
			"| budget | the grid's budget stopped %zu cell%s short of the interval: "
			"%s%s |\n",
			cut, cut == 1 ? "" : "s", list, cut > 8 ? ", ..." : "");
	free(r);
}

/* The table of the host, the build and the sweep. */
static void write_host(const struct set *s, FILE *f)
{
	const struct meta *m = &s->meta;
	char cores[16];

	fprintf(f, "| host | |\n|---|---|\n");
	if (*m->host) {
		char h[sizeof(m->host)];

		/* a set's text is untrusted: nothing that ends a table cell */
		snprintf(h, sizeof(h), "%s", m->host);
		for (char *p = h; *p; p++)
			if ((unsigned char)*p < 0x20 || strchr("|<>`[]\\", *p))
				*p = ' ';
		fprintf(f, "| %s | %s |\n", strchr(h, ';') ? "hosts (merged shards)" : "name", h);
	}
	fprintf(f, "| CPU | %s |\n| cores | %s |\n| kernel | Linux %s |\n",
		*m->cpu_model ? m->cpu_model : "not recorded", plots_cores(s, cores, sizeof(cores)),
		*m->kernel ? m->kernel : "not recorded");
	if (*m->clocksource)
		fprintf(f, "| clock source | %s |\n", m->clocksource);
	if (*m->compiler)
		fprintf(f, "| compiler | %s %s |\n", m->compiler, m->cflags);
	if (*m->libuv)
		fprintf(f, "| libuv | %s |\n", m->libuv);
	if (*m->git_rev)
		fprintf(f, "| cmbench | %s%s |\n", m->git_rev,
			m->git_dirty ? " (uncommitted changes)" : "");
	if (*m->spec_name)
		write_reps(s, f);
	if (*m->start_utc)
		fprintf(f, "| started | %s |\n", m->start_utc);
	if (*m->note)
		fprintf(f, "\n%s\n", m->note);
}

/* The findings as the table orders them (built once, the family adjusted:
 * findings_build); a section's heading before its first finding. */
static void write_findings(const struct set *s, FILE *f)
{
	const char *section = FINDINGS_SECTION;

	fprintf(f, "\n## %s\n\n", section);
	for (size_t i = 0; finding_table[i]; i++) {
		const struct finding_out *o = s->found ? s->found[i] : NULL;

		if (finding_empty(o))
			continue;
		if (strcmp(finding_table[i]->section, section) != 0) {
			section = finding_table[i]->section;
			fprintf(f, "\n## %s\n\n", section);
		}
		finding_md(o, f);
	}
}

int plots_write_report(const struct set *s)
{
	char path[PLOTS_PATH_LEN];
	FILE *f;

	snprintf(path, sizeof(path), "%s/REPORT.md", s->dir);
	f = fopen(path, "w");
	if (!f) {
		cmd_say("plots", "%s: %s", path, strerror(errno));
		return -errno;
	}
	fprintf(f, "# cmbench report: %s\n\n", s->run_id);
	write_host(s, f);
	write_findings(s, f);
	fprintf(f, "\n## Charts\n\n");
	for (size_t i = 0; chart_table[i]; i++)
		if (plots_chart_drawn(s, i))
			fprintf(f, "![%s](%s.png)\n\n", chart_table[i]->title,
				chart_table[i]->name);
	fprintf(f, "## Decision matrix (highest concurrency; all cells in "
		   "[decision-matrix.md](decision-matrix.md))\n\n");
	plots_summary_table(s, f);
	if (fclose(f) != 0) {
		cmd_say("plots", "%s: %s", path, strerror(errno));
		return -errno;
	}
	return 0;
}
