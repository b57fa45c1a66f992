/* report.h - `cmbench report DIR`: DIR/report.html, one self-contained
 * page (no request to anything: every chart, style, script and datum is
 * inline). Not for use outside plots/.
 *
 * The top floor of plots/: it holds both commands (main.c: `cmbench
 * plots`, and the set as both open it, plots_open_set), and builds the
 * page from the structs of the floors below: the verdicts (../verdicts/),
 * the findings (../findings/), the charts (../data/). It reads no markdown
 * that plots wrote: a verdict table is written through ../doc.h (the HTML
 * and JSON writers are here, doc_html.c), a finding from its struct. The
 * picker's script only looks answers up in decisions.json
 * (../verdicts/decisions.c), it decides nothing. Nothing from the set is
 * ever executed by the browser: every string is escaped (html.c), and the
 * gnuplot SVGs are parsed and rewritten from a list of harmless elements
 * and attributes (svg.c).
 *
 * Files: main.c (`cmbench plots`: flags, the order of the steps),
 * page.c (`cmbench report`: flags, the page's order, the environment
 * card), html.c (escaping, the markdown subset of the findings and
 * claims.md), doc_html.c (doc.h as HTML and JSON), svg.c (the SVG filter),
 * lessons.c (the lessons), heatmap.c (the heatmap, the picker's form),
 * assets.c (the style and the script). */
#ifndef CMB_REPORT_H
#define CMB_REPORT_H

#include <stdio.h>

#include "../data/charts.h"
#include "../doc.h"
#include "../findings/findings.h"
#include "../verdicts/verdicts.h"
#include "main.h"

/* Text as HTML: & < > " ' escaped; control characters but tab and newline
 * dropped. */
void html_esc(FILE *f, const char *s);
void html_esc_n(FILE *f, const char *s, size_t n);
/* One line of cmbench's markdown (**bold**, `code`, [text](link) as its
 * text) as escaped HTML. */
void html_inline_md(FILE *f, const char *s);
/* Markdown as cmbench writes it (headings, tables, lists, paragraphs):
 * headings become h<level + shift>. */
void html_md(FILE *f, const char *md, int shift);
/* main.c: a set as every command that reads one sees it: cells.csv, the
 * reps, meta.json, the grids, the verdicts and the findings (plots and
 * report take the same steps, so their verdicts are the same). 0 or
 * -errno/-CMD_EUSAGE, said on stderr as cmd. */
int plots_open_set(struct set *s, const char *cmd);
void plots_set_free(struct set *s);

/* A finding's markdown as HTML (headings h<level + shift>). */
void html_finding(FILE *f, const struct finding_out *o, int shift);

/* doc_html.c: doc.h's calls as HTML, in a <section id="ID"><h2>TITLE</h2>
 * (with <p>INTRO</p>) that is opened at the first output and closed by
 * doc_html_end; its level-2 headings are the section's own and left out. */
struct doc_html {
	const char *id, *title, *intro;
	bool open;
};
void doc_html(struct doc *d, FILE *f, struct doc_html *h);
void doc_html_end(struct doc *d);
/* doc.h's body rows as a JSON array of arrays of their cells (markdown
 * as the tables have it): only the rows whose key want accepts (NULL: all),
 * only those of the first table when first_only; prefix writes what comes
 * before a row's array (NULL: nothing), suffix after it. */
struct doc_json {
	const struct set *s;
	bool (*want)(const struct set *s, const char *key);
	void (*prefix)(const struct set *s, const char *key, FILE *f);
	const char *suffix;
	bool first_only;
	bool any;  /* a row written */
	bool keep; /* the current row is written */
};
void doc_json(struct doc *d, FILE *f, struct doc_json *j);
void doc_json_end(struct doc *d);

/* svg.c: DIR/<name>.svg inline, filtered, its ids prefixed with
 * <name>-, labelled by title; 0, or -ENOENT when there is none, or
 * -EINVAL when it does not parse. */
int report_svg(FILE *f, const struct set *s, const char *name, const char *title);

/* heatmap.c */
void report_picker(FILE *f, const struct set *s);
void report_heatmap(FILE *f, const struct set *s);

/* lessons.c */
void report_lessons(FILE *f, const struct set *s);

/* assets.c */
extern const char report_css[];
extern const char report_js[];

#endif
