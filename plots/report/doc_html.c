/* doc_html.c - doc.h's calls as HTML (the markup html_md gives the same
 * markdown: a table in <div class="scroll">, its head row in <thead>, a
 * paragraph in <p>, every cell's inline markdown escaped by
 * html_inline_md) and as JSON (the picker's rows). */
#include <string.h>

#include "report.h"

static void html_open(struct doc *d)
{
	struct doc_html *h = d->arg;

	if (h->open)
		return;
	h->open = true;
	fprintf(d->f, "<section id=\"%s\"><h2>", h->id);
	html_esc(d->f, h->title);
	fputs("</h2>\n", d->f);
	if (h->intro)
		fprintf(d->f, "<p>%s</p>\n", h->intro);
}

static void html_heading(struct doc *d, int level, const char *text)
{
	if (level <= 2) /* the section's own */
		return;
	html_open(d);
	fprintf(d->f, "<h%d>", level > 4 ? 6 : level + 2);
	html_inline_md(d->f, text);
	fprintf(d->f, "</h%d>\n", level > 4 ? 6 : level + 2);
}

static void html_para(struct doc *d, const char *text)
{
	html_open(d);
	fputs("<p>", d->f);
	html_inline_md(d->f, text);
	fputs("</p>\n", d->f);
}

static void html_gap(struct doc *d)
{
	(void)d;
}

static void html_table(struct doc *d)
{
	html_open(d);
	fputs("<div class=\"scroll\"><table><thead>", d->f);
}

static void html_row(struct doc *d, bool head, const char *key)
{
	(void)head;
	(void)key;
	fputs("<tr>", d->f);
}

static void html_cell(struct doc *d, const char *text)
{
	fputs(d->head ? "<th scope=\"col\">" : "<td>", d->f);
	html_inline_md(d->f, text);
	fputs(d->head ? "</th>" : "</td>", d->f);
}

static void html_row_end(struct doc *d)
{
	fputs("</tr>\n", d->f);
	if (d->head)
		fputs("</thead><tbody>\n", d->f);
}

static void html_table_end(struct doc *d)
{
	fputs("</tbody></table></div>\n", d->f);
}

static const struct doc_ops html_ops = {
	.heading = html_heading,
	.para = html_para,
	.gap = html_gap,
	.table = html_table,
	.row = html_row,
	.cell = html_cell,
	.row_end = html_row_end,
	.table_end = html_table_end,
};

void doc_html(struct doc *d, FILE *f, struct doc_html *h)
{
	*d = (struct doc){ .f = f, .ops = &html_ops, .arg = h };
	h->open = false;
}

void doc_html_end(struct doc *d)
{
	struct doc_html *h = d->arg;

	if (h->open)
		fputs("</section>\n", d->f);
	h->open = false;
}

static void json_nothing(struct doc *d)
{
	(void)d;
}

static void json_text(struct doc *d, const char *text)
{
	(void)d;
	(void)text;
}

static void json_heading(struct doc *d, int level, const char *text)
{
	(void)level;
	json_text(d, text);
}

static void json_row(struct doc *d, bool head, const char *key)
{
	struct doc_json *j = d->arg;

	j->keep = !head && (!j->first_only || d->ntables == 1) && (!j->want || j->want(j->s, key));
	if (!j->keep)
		return;
	fputs(j->any ? ",\n" : "", d->f);
	j->any = true;
	if (j->prefix)
		j->prefix(j->s, key, d->f);
	fputs("[", d->f);
}

static void json_cell(struct doc *d, const char *text)
{
	struct doc_json *j = d->arg;

	if (!j->keep)
		return;
	fputs(d->ncells > 1 ? "," : "", d->f);
	json_str(d->f, text);
}

static void json_row_end(struct doc *d)
{
	struct doc_json *j = d->arg;

	if (j->keep)
		fprintf(d->f, "]%s", j->suffix ? j->suffix : "");
	j->keep = false;
}

static const struct doc_ops json_ops = {
	.heading = json_heading,
	.para = json_text,
	.gap = json_nothing,
	.table = json_nothing,
	.row = json_row,
	.cell = json_cell,
	.row_end = json_row_end,
	.table_end = json_nothing,
};

void doc_json(struct doc *d, FILE *f, struct doc_json *j)
{
	*d = (struct doc){ .f = f, .ops = &json_ops, .arg = j };
	j->any = j->keep = false;
	fputs("[", f);
}

void doc_json_end(struct doc *d)
{
	fputs("]", d->f);
}
