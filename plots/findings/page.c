/* plots_report.c - REPORT.md: the host, the findings (sentences computed
 * from the numbers), the charts and the matrix's summary on one page. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/cmdutil.h"
#include "../lib/util.h"
#include "../workloads/workload.h"
#include "plots.h"

/* The io workload's name, for sentences about share 0. */
static const char *io_name(void)
{
	const struct workload_ops *w = workload_by_parts(true, false);

	return w ? w->name : "i/o";
}

/* The concurrent cell of model k on io work at the top level, if usable. */
static const struct cell *io_top_cell(const struct set *s, size_t k, double top, enum metric m,
				      bool log_axis)
{
	const struct cell *c = plots_find_cell(s, s->grid, s->models[k], 0, top, false);

	return c && !c->one_slot && plots_usable(c, m, log_axis) ? c : NULL;
}

/* Memory per task of each concurrent model at the top io level. */
static void finding_memory(const struct set *s, FILE *f)
{
	char list[1024] = "", item[128], v[32], cnt[32];
	double top = plots_top_level(s, 0);
	size_t n = 0, count = 0;

	if (isnan(top) || top <= 1)
		return;
	for (size_t k = 0; k < s->nmodels; k++)
		count += io_top_cell(s, k, top, M_MEM, false) != NULL;
	if (count < 2)
		return;
	for (size_t k = 0; k < s->nmodels; k++) {
		const struct cell *c = io_top_cell(s, k, top, M_MEM, false);

		if (!c)
			continue;
		if (!isnan(c->samples_min) && c->samples_min < PLOTS_MIN_SAMPLES)
			snprintf(item, sizeof(item), "%s not quoted (only %g samples in a run)",
				 c->model, c->samples_min);
		else
			snprintf(item, sizeof(item), "%s %s", c->model,
				 fmt_kib(v, sizeof(v), c->v[M_MEM][MED], FMT_PROSE));
		plots_join(list, sizeof(list), n++, count, item);
	}
	fprintf(f,
		"- **Memory.** At %s concurrent %s tasks, the memory per concurrent task (PSS "
		"growth over the set-up baseline, divided by the concurrency) was: %s.\n",
		plots_count(top, cnt, sizeof(cnt)), io_name(), list);
}

/* Makespan against the ideal bound on io at the top level. */
static void finding_bound(const struct set *s, FILE *f)
{
	char list[1024] = "", item[160], a[32], b[32], cnt[32];
	double top = plots_top_level(s, 0), bound = NAN;
	size_t n = 0, count = 0;

	for (size_t k = 0; !isnan(top) && k < s->nmodels; k++) {
		const struct cell *c = io_top_cell(s, k, top, M_MAKESPAN, true);

		count += c != NULL;
		if (c && isnan(bound) && c->v[M_BOUND][MED] > 0)
			bound = c->v[M_BOUND][MED];
	}
	if (count < 2 || isnan(bound))
		return;
	for (size_t k = 0; k < s->nmodels; k++) {
		const struct cell *c = io_top_cell(s, k, top, M_MAKESPAN, true);

		if (!c)
			continue;
		snprintf(item, sizeof(item), "%s took %s (%.0f%% of ideal)", c->model,
			 fmt_us(a, sizeof(a), c->v[M_MAKESPAN][MED] * 1e6, FMT_PROSE),
			 100 * bound / c->v[M_MAKESPAN][MED]);
		plots_join(list, sizeof(list), n++, count, item);
	}
	fprintf(f, "- **Against the bound.** On %s at concurrency %s the ideal bound is %s: %s.\n",
		io_name(), plots_count(top, cnt, sizeof(cnt)),
		fmt_us(b, sizeof(b), bound * 1e6, FMT_PROSE), list);
}

/* The one-slot baseline of the scaling grid, and the largest parallelism
 * of another cell that the host's cores can serve. */
static const struct cell *speedup_target(const struct set *s, double *target)
{
	const struct cell *base = NULL;

	*target = 0;
	for (size_t i = 0; i < s->ncells; i++) {
		const struct cell *c = &s->cells[i];
		double par = plots_parallelism(c);

		if (strcmp(c->grid, s->scaling_grid) != 0 || !plots_usable(c, M_MAKESPAN, true))
			continue;
		if (c->one_slot)
			base = base ? base : c;
		else if (par > *target && (!isfinite(s->cores) || par <= s->cores))
			*target = par;
	}
	return base;
}

/* The scaling cell of model k at parallelism target, if usable. */
static const struct cell *scaling_cell(const struct set *s, size_t k, double target)
{
	for (size_t i = 0; i < s->ncells; i++) {
		const struct cell *c = &s->cells[i];

		if (strcmp(c->grid, s->scaling_grid) == 0 && strcmp(c->model, s->models[k]) == 0 &&
		    !c->one_slot && plots_parallelism(c) == target &&
		    plots_usable(c, M_MAKESPAN, true))
			return c;
	}
	return NULL;
}

/* CPU speedup over the one-slot model at the host's core count (or the
 * largest worker count below it). */
static void finding_speedup(const struct set *s, FILE *f)
{
	char list[1024] = "", item[160], cores[16];
	double target;
	const struct cell *base = speedup_target(s, &target);
	size_t n = 0, count = 0;

	if (!base || target < 2)
		return;
	for (size_t k = 0; k < s->nmodels; k++)
		count += scaling_cell(s, k, target) != NULL;
	for (size_t k = 0; k < s->nmodels; k++) {
		const struct cell *c = scaling_cell(s, k, target);

		if (!c)
			continue;
		snprintf(item, sizeof(item), "%s %.2f×", c->model,
			 base->v[M_MAKESPAN][MED] / c->v[M_MAKESPAN][MED]);
		plots_join(list, sizeof(list), n++, count, item);
	}
	if (!count)
		return;
	fprintf(f,
		"- **CPU scaling.** On pure cpu work with %g workers (the host has %s cores, so "
		"the ideal is %g×), the speedup over %s was: %s.\n",
		target, plots_cores(s, cores, sizeof(cores)),
		isfinite(s->cores) ? fmin(target, s->cores) : target, base->model, list);
}

/* The event loop with CPU inline against offload on mixed work. */
static void finding_offload(const struct set *s, FILE *f)
{
	const char *inl = plots_loop_model(s, false), *offl = plots_loop_model(s, true);
	const struct cell *in, *off;
	char reg[64], cnt[32], a[32], b[32], c1[32], c2[32], vs[VERDICT_FMT_MAX];
	double share = NAN, top;

	for (size_t i = 0; i < s->npanels; i++)
		if (s->panels[i].share > 0 && s->panels[i].share < 100)
			share = s->panels[i].share;
	if (isnan(share) || !inl || !offl)
		return;
	top = plots_top_level(s, share);
	in = plots_find_cell(s, s->grid, inl, share, top, false);
	off = plots_find_cell(s, s->grid, offl, share, top, false);
	if (!in || !off || !plots_usable(in, M_MAKESPAN, true) ||
	    !plots_usable(off, M_MAKESPAN, true))
		return;
	fprintf(f,
		"- **Inline CPU or offload.** On %s work at concurrency %s, the event loop with "
		"CPU inline took %s (p99 %s) and with offload %s (p99 %s): %s.\n",
		plots_regime(share, reg, sizeof(reg)), plots_count(top, cnt, sizeof(cnt)),
		fmt_us(a, sizeof(a), in->v[M_MAKESPAN][MED] * 1e6, FMT_PROSE),
		plots_p99_text(in->v[M_P99][MED], in->tasks, c1, sizeof(c1)),
		fmt_us(b, sizeof(b), off->v[M_MAKESPAN][MED] * 1e6, FMT_PROSE),
		plots_p99_text(off->v[M_P99][MED], off->tasks, c2, sizeof(c2)),
		plots_vs(in, off, M_MAKESPAN, vs, sizeof(vs), NULL));
}

/* The p99 winner on io at the top level. */
static void finding_p99(const struct set *s, FILE *f)
{
	double top = plots_top_level(s, 0);
	const struct matrix_verdict *v = isnan(top) ? NULL : plots_verdict_at(s, 1, 0, top);
	char cnt[32], text[512];

	if (!v || v->winner < 0 || v->runner_up < 0)
		return;
	plots_verdict_text(s, 1, v, text, sizeof(text));
	fprintf(f, "- **Tail latency.** On %s at concurrency %s, the lowest p99 latency %s %s.\n",
		io_name(), plots_count(top, cnt, sizeof(cnt)), v->tie ? "is a" : "belongs to",
		text);
}

/* "io-bound → event loop, ..." from the spec's folklore lines. */
static void folklore_quote(const struct set *s, char *b, size_t n)
{
	char reg[64];
	size_t o = 0;

	b[0] = '\0';
	for (size_t i = 0; s->spec_grid && i < s->spec_grid->n_folklore && o < n; i++) {
		const struct spec_folklore *fl = &s->spec_grid->folklore[i];

		o += (size_t)snprintf(b + o, n - o, "%s%s → %s", i ? ", " : "",
				      plots_regime_range(fl->lo, fl->hi, reg, sizeof(reg)),
				      fl->says);
	}
}

/* How often the measured time winner agrees with the folklore: clear
 * wins only; ties are counted beside them, never as agreement. */
static void finding_folklore(const struct set *s, FILE *f)
{
	char reg[64], list[1024] = "", item[256], quote[512], r[96];
	size_t yes = 0, ties = 0, no = 0;

	for (size_t i = 0; i < s->nshares; i++) {
		const struct matrix_verdict *v =
			plots_verdict_at(s, 0, s->shares[i], plots_top_level(s, s->shares[i]));
		int ag = plots_folklore_agrees(s, v);

		if (ag < 0)
			continue;
		yes += ag == 1;
		ties += ag == 2;
		no += ag == 0;
		if (ag != 0)
			continue;
		snprintf(item, sizeof(item), "%s%s (won by %s, %s ahead of %s)", *list ? "; " : "",
			 plots_regime(s->shares[i], reg, sizeof(reg)), plots_vmodel(s, v->winner),
			 verdict_ratio_str(&v->vd, r, sizeof(r)), plots_vmodel(s, v->runner_up));
		strncat(list, item, sizeof(list) - strlen(list) - 1);
	}
	if (!yes && !ties && !no)
		return;
	folklore_quote(s, quote, sizeof(quote));
	fprintf(f,
		"- **Folklore.** At the highest concurrency, against \"%s\": agrees %zu, ties %zu, "
		"disagrees %zu (a clear win by the test agrees or disagrees; a tie is "
		"neither)%s%s.\n",
		quote, yes, ties, no, *list ? "; it disagrees in: " : "", list);
}

/* Cells whose checksum was compared with another cell's. */
static size_t compared(const struct set *s)
{
	size_t n = 0;

	for (size_t i = 0; i < s->ncells; i++)
		n += s->cells[i].sum_compared;
	return n;
}

static void finding_failures(const struct set *s, FILE *f)
{
	char list[1024] = "", item[160];
	size_t failed = 0;

	for (size_t i = 0; i < s->ncells; i++) {
		if (s->cells[i].ok)
			continue;
		snprintf(item, sizeof(item), "%s`%s`%s", failed ? ", " : "", s->cells[i].id,
			 s->cells[i].sum_mismatch ? " (its checksum differs from the other models' "
						    "on the same work)"
						  : "");
		strncat(list, item, sizeof(list) - strlen(list) - 1);
		failed++;
	}
	if (failed)
		fprintf(f,
			"- **Failures.** %zu of %zu cells failed their self-check (lost tasks, "
			"errors or unequal checksums) and are left out of every comparison: %s.\n",
			failed, s->ncells, list);
	else
		fprintf(f,
			"- **Self-check.** All %zu cells passed: every rep finished every task "
			"with no error and the checksums agree across reps; %zu of them ran the "
			"same work as another cell (another model, or another load of an "
			"open-loop curve), and their checksums agree across those.\n",
			s->ncells, compared(s));
}

/* The verdicts of `cmbench claims -o DIR/claims`, when the set has them:
 * the table of DIR/claims/claims.md (its lines from "| # |" on, while they
 * are table lines), and where the runs behind it are. */
static void section_claims(const struct set *s, FILE *f)
{
	char path[PLOTS_PATH_LEN], line[4096];
	bool in = false;
	FILE *c;

	snprintf(path, sizeof(path), "%s/claims/claims.md", s->dir);
	if (!(c = fopen(path, "r")))
		return;
	while (fgets(line, sizeof(line), c)) {
		if (!in && strncmp(line, "| # |", 5) == 0) {
			fprintf(f,
				"\n## The article's claims\n\n"
				"From `cmbench claims -o %s/claims` (the runs, the machine and its "
				"load: [claims/claims.md](claims/claims.md)).\n\n",
				s->dir);
			in = true;
		}
		if (in && line[0] != '|')
			break;
		if (in)
			fputs(line, f);
	}
	fclose(c);
}

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
	fprintf(f, "\n## Findings\n\n");
	/* the findings that compare two cells are one family: a pass to
	 * nowhere collects their p values, the real one prints them adjusted */
	plots_vs_family(PLOTS_FAMILY_COLLECT);
	{
		FILE *nul = fopen("/dev/null", "w");

		if (nul) {
			finding_offload(s, nul);
			plots_regime_findings(s, nul);
			fclose(nul);
		}
	}
	plots_vs_family(PLOTS_FAMILY_APPLY);
	finding_memory(s, f);
	plots_memfit_report(s, f);
	finding_bound(s, f);
	finding_p99(s, f);
	finding_speedup(s, f);
	finding_offload(s, f);
	finding_folklore(s, f);
	plots_regime_findings(s, f);
	plots_vs_family(PLOTS_FAMILY_OFF);
	plots_libs_report(s, f);
	plots_openloop_report(s, f);
	plots_ceiling_report(s, f);
	finding_failures(s, f);
	plots_run_warnings(s, f);
	section_claims(s, f);
	fprintf(f, "\n## Charts\n\n");
	for (size_t i = 0; i < PLOTS_NCHARTS; i++)
		if (plots_chart_drawn(s, i))
			fprintf(f, "![%s](%s.png)\n\n", plots_charts[i].title,
				plots_charts[i].name);
	fprintf(f, "## Decision matrix (highest concurrency; all cells in "
		   "[decision-matrix.md](decision-matrix.md))\n\n");
	plots_summary_table(s, f);
	if (fclose(f) != 0) {
		cmd_say("plots", "%s: %s", path, strerror(errno));
		return -errno;
	}
	return 0;
}

void plots_finding(const struct set *s, const char *key, FILE *f)
{
	static const struct {
		const char *key;
		void (*fn)(const struct set *, FILE *);
	} t[] = {
		{ "memory", finding_memory },	  { "bound", finding_bound },
		{ "p99", finding_p99 },		  { "speedup", finding_speedup },
		{ "offload", finding_offload },	  { "folklore", finding_folklore },
		{ "failures", finding_failures }, { "claims", section_claims },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strcmp(t[i].key, key) == 0) {
			t[i].fn(s, f);
			return;
		}
	if (strcmp(key, "openloop") == 0)
		plots_openloop_report(s, f);
	else
		plots_regime_finding(s, key, f);
}
