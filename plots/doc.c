/* doc.c - the calls of doc.h, and their markdown: "| a | b |" rows (an
 * empty cell "| |"), the head row followed by "|---|" per column, a
 * paragraph as one line, a gap as an empty line. */
#include <stdarg.h>
#include <stdio.h>

#include "doc.h"

#define DOC_TEXT_MAX 4096 /* the longest cell or paragraph */

static void md_heading(struct doc *d, int level, const char *text)
{
	fprintf(d->f, "\n%.*s %s\n\n", level, "######", text);
}

static void md_para(struct doc *d, const char *text)
{
	fprintf(d->f, "%s\n", text);
}

static void md_gap(struct doc *d)
{
	fputc('\n', d->f);
}

static void md_nothing(struct doc *d)
{
	(void)d;
}

static void md_row(struct doc *d, bool head, const char *key)
{
	(void)head;
	(void)key;
	(void)d;
}

static void md_cell(struct doc *d, const char *text)
{
	fprintf(d->f, *text ? "| %s " : "| ", text);
}

static void md_row_end(struct doc *d)
{
	fputs("|\n", d->f);
	if (d->head) {
		for (size_t i = 0; i < d->ncols; i++)
			fputs("|---", d->f);
		fputs("|\n", d->f);
	}
}

static const struct doc_ops md_ops = {
	.heading = md_heading,
	.para = md_para,
	.gap = md_gap,
	.table = md_nothing,
	.row = md_row,
	.cell = md_cell,
	.row_end = md_row_end,
	.table_end = md_nothing,
};

void doc_md(struct doc *d, FILE *f)
{
	*d = (struct doc){ .f = f, .ops = &md_ops };
}

void doc_heading(struct doc *d, int level, const char *text)
{
	d->ops->heading(d, level, text);
}

void doc_para(struct doc *d, const char *fmt, ...)
{
	char b[DOC_TEXT_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(b, sizeof(b), fmt, ap);
	va_end(ap);
	d->ops->para(d, b);
}

void doc_gap(struct doc *d)
{
	d->ops->gap(d);
}

void doc_table(struct doc *d)
{
	d->ntables++;
	d->ops->table(d);
}

void doc_row(struct doc *d, bool head, const char *key)
{
	d->head = head;
	d->ncells = 0;
	d->ops->row(d, head, key ? key : "");
}

void doc_cell(struct doc *d, const char *fmt, ...)
{
	char b[DOC_TEXT_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(b, sizeof(b), fmt, ap);
	va_end(ap);
	d->ncells++;
	d->ops->cell(d, b);
}

void doc_row_end(struct doc *d)
{
	if (d->head)
		d->ncols = d->ncells;
	else
		d->nrows++;
	d->ops->row_end(d);
	d->head = false;
}

void doc_table_end(struct doc *d)
{
	d->ops->table_end(d);
}

void doc_head(struct doc *d, size_t n, const char *const *cells)
{
	doc_row(d, true, NULL);
	for (size_t i = 0; i < n; i++)
		doc_cell(d, "%s", cells[i]);
	doc_row_end(d);
}
