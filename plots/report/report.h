/* report.h - `cmbench report DIR`: DIR/report.html, one self-contained
 * page (no request to anything: every chart, style, script and datum is
 * inline). Not for use outside plots/.
 *
 * The page reads the result set through the same code as `cmbench plots`
 * (plots_load.c) and takes its verdicts from the same structs that write
 * decision-matrix.md (plots_matrix.c, harness/sweep/matrix.c): the picker's
 * script only looks answers up in decisions.json (plots_decisions.c), it
 * decides nothing. Nothing from the set is ever executed by the browser:
 * every string is escaped (report_html.c), and the gnuplot SVGs are parsed
 * and rewritten from a list of harmless elements and attributes
 * (report_svg.c).
 *
 * Files: report_main.c (flags, the page's order, the environment card),
 * report_html.c (escaping, the markdown subset cmbench writes),
 * report_svg.c (the SVG filter), report_lessons.c (the lessons),
 * report_matrix.c (the heatmap, the picker's form), report_assets.c (the
 * style and the script). */
#ifndef CMB_REPORT_H
#define CMB_REPORT_H

#include <stdio.h>

#include "plots.h"

/* Text as HTML: & < > " ' escaped; control characters but tab and newline
 * dropped. */
void html_esc(FILE *f, const char *s);
void html_esc_n(FILE *f, const char *s, size_t n);
/* A JSON string literal that is also safe inside <script>: < > & and the
 * line separators as \u escapes. */
void json_str(FILE *f, const char *s);
/* One line of cmbench's markdown (**bold**, `code`, [text](link) as its
 * text) as escaped HTML. */
void html_inline_md(FILE *f, const char *s);
/* Markdown as cmbench writes it (headings, tables, lists, paragraphs):
 * headings become h<level + shift>. */
void html_md(FILE *f, const char *md, int shift);
/* What writer(s, mem) prints, as a malloc'd string ("" when nothing;
 * NULL when out of memory). */
char *report_capture(const struct set *s, void (*writer)(const struct set *, FILE *));

/* report_svg.c: DIR/<name>.svg inline, filtered, its ids prefixed with
 * <name>-, labelled by title; 0, or -ENOENT when there is none, or
 * -EINVAL when it does not parse. */
int report_svg(FILE *f, const struct set *s, const char *name, const char *title);

/* report_matrix.c */
void report_picker(FILE *f, const struct set *s);
void report_heatmap(FILE *f, const struct set *s);

/* report_lessons.c */
void report_lessons(FILE *f, const struct set *s);

/* report_assets.c */
extern const char report_css[];
extern const char report_js[];

#endif
