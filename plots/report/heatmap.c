/* heatmap.c - the picker's form and the heatmap of the decision
 * matrix: one HTML table per criterion, a cell per (cpu share, tasks in
 * flight) with its winner, and on hover or focus the verdict of
 * decision-matrix.md with the medians, ranges, reps and runner-up. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../../models/model.h"
#include "../../workloads/workload.h"
#include "../kinds.h"
#include "report.h"

/* A "#rrggbb" colour, or grey for anything else. */
static const char *safe_color(const char *c)
{
	if (!c || strlen(c) != 7 || c[0] != '#' || strspn(c + 1, "0123456789abcdefABCDEF") != 6)
		return "#999999";
	return c;
}

/* Black or white text on colour c, whichever contrasts more. */
static const char *ink(const char *c)
{
	unsigned r, g, b;
	double l;

	if (sscanf(c + 1, "%2x%2x%2x", &r, &g, &b) != 3)
		return "#000";
	l = 0.2126 * pow(r / 255.0, 2.2) + 0.7152 * pow(g / 255.0, 2.2) +
	    0.0722 * pow(b / 255.0, 2.2);
	return l > 0.18 ? "#000" : "#fff";
}

/* "name med (min–max, N reps)" of one contender. */
static void contender(FILE *f, const struct set *s, size_t k, int idx)
{
	const struct cell *c = s->mc_src[idx];
	enum metric m = plots_criteria[k].m;
	char a[48], b[48], d[48];

	html_esc(f, c->model);
	fprintf(f, " %s", plots_cell_value(c, k, c->v[m][MED], a, sizeof(a)));
	fprintf(f, " (range %s–%s over %g reps)",
		plots_cell_value(c, k, c->v[m][MIN], b, sizeof(b)),
		plots_cell_value(c, k, c->v[m][MAX], d, sizeof(d)), c->reps);
}

static void heat_cell(FILE *f, const struct set *s, size_t k, size_t si, size_t li)
{
	const struct matrix_verdict *v = plots_verdict_at(s, k, s->shares[si], s->levels[li]);
	char text[1024];
	const char *col = "#ffffff";

	if (!v) {
		fputs("<td class=\"none\">not measured</td>", f);
		return;
	}
	if (v->winner >= 0)
		col = safe_color(plots_color(s, (size_t)s->mc_src[v->winner]->lt - 1));
	fprintf(f,
		"<td id=\"m-%s-%zu-%zu\" tabindex=\"0\" class=\"%s\" "
		"style=\"background:%s;color:%s\">",
		plots_criteria[k].key, si, li,
		!v->tie			     ? "won"
		: v->outcome == MATRIX_EQUIV ? "tie equiv"
					     : "tie inconclusive",
		col, ink(col));
	if (v->winner < 0) {
		fputs("<span class=\"l1\">no winner</span>", f);
	} else {
		fputs("<span class=\"l1\">", f);
		html_esc(f, plots_label(s, (size_t)s->mc_src[v->winner]->lt - 1));
		fputs("</span><span class=\"l2\">", f);
		html_esc(f, words_cell_margin(s, v, false, text, sizeof(text)));
		fputs("</span>", f);
	}
	fputs("<span class=\"tip\" role=\"tooltip\">", f);
	html_inline_md(f, plots_verdict_text(s, k, v, text, sizeof(text)));
	if (v->winner >= 0) {
		fputs("<br>winner: ", f);
		contender(f, s, k, v->winner);
	}
	if (v->runner_up >= 0) {
		fputs("<br>runner-up: ", f);
		contender(f, s, k, v->runner_up);
		fputs("<br>runner-up / winner (geometric means, 95% interval): ", f);
		html_esc(f, verdict_ratio_str(&v->vd, text, sizeof(text)));
		if (v->vd.outcome != VERDICT_NA)
			fprintf(f, "; adjusted p = %.2g", v->vd.p_adj);
	}
	fputs("</span></td>", f);
}

static void legend(FILE *f, const struct set *s)
{
	bool drawn[256] = { false };

	for (size_t k = 0; k < NCRIT; k++)
		for (size_t i = 0; i < s->nverdict[k]; i++) {
			int w = s->verdict[k][i].winner;

			if (w >= 0 && s->mc_src[w]->lt - 1 < 256)
				drawn[s->mc_src[w]->lt - 1] = true;
		}
	fputs("<ul class=\"legend\">", f);
	for (size_t m = 0; m < s->nmodels && m < 256; m++) {
		const char *col = safe_color(plots_color(s, m));

		if (!drawn[m])
			continue;
		fprintf(f, "<li><span class=\"sw\" style=\"background:%s\"></span>", col);
		html_esc(f, plots_label(s, m));
		fputs(" = ", f);
		html_esc(f, s->models[m]);
		fputs("</li>", f);
	}
	fputs("</ul>\n", f);
}

void report_heatmap(FILE *f, const struct set *s)
{
	char cnt[32], reg[64], rule[1024];

	if (!s->nverdict[0])
		return;
	fputs("<section id=\"matrix\"><h2>The decision matrix</h2>\n<p class=\"rule\">", f);
	fputs("Each cell names the model with the lowest median over the reps; a cell "
	      "without a winner is outlined and says “equivalent, N” (N models shown "
	      "equivalent) or “inconclusive” (the runs cannot tell yet). ",
	      f);
	html_esc(f, plots_tie_rule(rule, sizeof(rule)));
	fputc(' ', f);
	html_esc(f, plots_one_slot_model(s));
	fputs(" runs one task at a time, so its cell competes at every level. Hover over or "
	      "focus (Tab) a cell for its figures; the same verdicts are in decision-matrix.md "
	      "and decisions.json.</p>\n",
	      f);
	legend(f, s);
	for (size_t k = 0; k < NCRIT; k++) {
		fprintf(f, "<figure id=\"heat-%s\"><figcaption>", plots_criteria[k].key);
		html_esc(f, plots_criteria[k].title);
		fputs(": lower is better</figcaption><div class=\"scroll\"><table class=\"heat\">"
		      "<thead><tr><th scope=\"col\">tasks in flight</th>",
		      f);
		for (size_t i = 0; i < s->nshares; i++) {
			fputs("<th scope=\"col\">", f);
			html_esc(f, plots_regime(s->shares[i], reg, sizeof(reg)));
			fputs("</th>", f);
		}
		fputs("</tr></thead><tbody>\n", f);
		for (size_t li = 0; li < s->nlevels; li++) {
			fprintf(f, "<tr><th scope=\"row\">%s</th>",
				plots_count(s->levels[li], cnt, sizeof(cnt)));
			for (size_t si = 0; si < s->nshares; si++)
				heat_cell(f, s, k, si, li);
			fputs("</tr>\n", f);
		}
		fputs("</tbody></table></div></figure>\n", f);
	}
	fputs("</section>\n", f);
}

/* Whether grid g of the set runs work that calls a blocking library or a
 * database: its regimes rows are the picker's blocking answers. */
static bool blocking_grid(const struct set *s, const char *g)
{
	for (size_t i = 0; i < s->ncells; i++) {
		const struct workload_ops *w = s->cells[i].w;

		if (strcmp(s->cells[i].grid, g) == 0 && w &&
		    (w->blocking_only || wl_embedded_db(w) || wl_db_server(w)))
			return true;
	}
	return false;
}

/* The rows of the regimes table about blocking work, as a JSON array of
 * arrays of cell strings (markdown as decision-matrix.md has it), from the
 * same structs and writer as that table. */
static void blocking_rows(FILE *f, const struct set *s)
{
	struct doc_json j = { .s = s, .want = blocking_grid };
	struct doc d;

	doc_json(&d, f, &j);
	plots_regimes_doc(s, &d);
	doc_json_end(&d);
}

/* The CPU share class of a workload ("wait": 0%, "compute": 100%,
 * "both": between; from its traits), before the row's cells. */
static void class_prefix(const struct set *s, const char *wl, FILE *f)
{
	const struct workload_ops *w = workload_find(wl);
	const char *cls = !w			       ? ""
			  : w->does_io && !w->does_cpu ? "wait"
			  : !w->does_io		       ? "compute"
						       : "both";

	(void)s;
	fputs("{\"class\":", f);
	json_str(f, cls);
	fputs(",\"cells\":", f);
}

/* The open-loop verdicts (the first table of that section of
 * decision-matrix.md), each with the CPU share class of its workload, as a
 * JSON array of {class, cells}. */
static void openloop_rows(FILE *f, const struct set *s)
{
	struct doc_json j = { .s = s, .prefix = class_prefix, .suffix = "}", .first_only = true };
	struct doc d;

	doc_json(&d, f, &j);
	plots_openloop_doc(s, &d);
	doc_json_end(&d);
}

void report_picker(FILE *f, const struct set *s)
{
	fputs("<section id=\"picker\"><h2>Your workload</h2>\n"
	      "<form id=\"pick\" autocomplete=\"off\"><div class=\"grid\">\n"
	      "<label>CPU share of each task (%)<input id=\"share\" name=\"share\" "
	      "type=\"number\" min=\"0\" max=\"100\" step=\"any\" value=\"0\"></label>\n"
	      "<label>or: wait per task (ms)<input id=\"wait\" type=\"number\" min=\"0\" "
	      "step=\"any\"></label>\n"
	      "<label>and CPU per task (ms)<input id=\"cpu\" type=\"number\" min=\"0\" "
	      "step=\"any\"></label>\n"
	      "<label>tasks in flight<input id=\"concurrency\" name=\"concurrency\" "
	      "type=\"number\" min=\"1\" step=\"any\" value=\"100\"></label>\n"
	      "<label>what matters most<select id=\"criterion\" name=\"criterion\">"
	      "<option value=\"time\">makespan (time for the batch)</option>"
	      "<option value=\"p99\">p99 latency</option>"
	      "<option value=\"memory\">memory per task</option>"
	      "<option value=\"rate\">sustained rate (open loop)</option></select></label>\n"
	      "<label class=\"check\"><input id=\"blocking\" type=\"checkbox\"> it calls a "
	      "blocking library or a database</label>\n"
	      "</div></form>\n"
	      "<div id=\"answer\" aria-live=\"polite\"><p>The picker needs JavaScript; the "
	      "matrix below has every answer.</p></div>\n"
	      "<script type=\"application/json\" id=\"blocking-rows\">",
	      f);
	blocking_rows(f, s);
	fputs("</script>\n<script type=\"application/json\" id=\"openloop-rows\">", f);
	openloop_rows(f, s);
	fputs("</script>\n</section>\n", f);
}
