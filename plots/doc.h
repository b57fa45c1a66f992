/* doc.h - a table or a paragraph written once, for any of three readers:
 * markdown (decision-matrix.md, REPORT.md; doc.c), HTML and JSON
 * (report.html; report/doc_html.c). A verdict table is written from its
 * structs through these calls, so the page never reads markdown back. */
#ifndef CMB_PLOTS_DOC_H
#define CMB_PLOTS_DOC_H

#include <stdbool.h>
#include <stdio.h>

struct doc;

struct doc_ops {
	void (*heading)(struct doc *d, int level, const char *text);
	void (*para)(struct doc *d, const char *text); /* inline markdown */
	void (*gap)(struct doc *d);		       /* between two blocks */
	void (*table)(struct doc *d);		       /* a table begins */
	/* a row begins: the head row, or a body row about key (a grid, a
	 * workload: what a reader may pick rows by) */
	void (*row)(struct doc *d, bool head, const char *key);
	void (*cell)(struct doc *d, const char *text); /* inline markdown */
	void (*row_end)(struct doc *d);
	void (*table_end)(struct doc *d);
};

struct doc {
	FILE *f;
	const struct doc_ops *ops;
	/* the writer's state */
	bool head;	/* in the head row */
	size_t ncells;	/* cells of the row so far */
	size_t ncols;	/* cells of the head row */
	size_t ntables; /* tables begun */
	size_t nrows;	/* body rows written (all tables) */
	bool skip;	/* the backend leaves this row out */
	void *arg;	/* the backend's own */
};

/* A markdown writer on f. */
void doc_md(struct doc *d, FILE *f);

void doc_heading(struct doc *d, int level, const char *text);
void doc_para(struct doc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void doc_gap(struct doc *d);
void doc_table(struct doc *d);
void doc_row(struct doc *d, bool head, const char *key);
void doc_cell(struct doc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void doc_row_end(struct doc *d);
void doc_table_end(struct doc *d);
/* A head row of n cells. */
void doc_head(struct doc *d, size_t n, const char *const *cells);

#endif
