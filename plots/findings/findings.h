/* findings.h - the floor of findings: REPORT.md's sentences, computed from
 * the numbers. One table (registry.c), one file per finding, each
 * exporting a struct finding. Every finding is built once per command
 * (findings_build) into a struct finding_out: runs of markdown, and the
 * comparisons of two cells whose words wait for the adjusted p. The
 * comparisons of the findings in the family are one Benjamini-Hochberg
 * family, adjusted once when every finding is built; REPORT.md
 * (page.c) and report.html (../report/) are written from the structs. */
#ifndef CMB_PLOTS_FINDINGS_H
#define CMB_PLOTS_FINDINGS_H

#include <stdbool.h>
#include <stdio.h>

#include "../set.h"
#include "../../workloads/workload.h"

struct finding_out;

struct finding {
	const char *key;     /* the page's lessons name it */
	const char *section; /* REPORT.md's section (## heading) it is written under */
	bool family;	     /* its comparisons are in the one BH family */
	void (*fn)(const struct set *s, struct finding_out *o);
};

/* registry.c: the findings in the order REPORT.md writes them (each file
 * exports one struct finding); finding_count() of them. */
extern const struct finding *const finding_table[];
size_t finding_count(void);
/* The section of the findings list, the first of REPORT.md. */
#define FINDINGS_SECTION "Findings"

/* family.c: what a finding writes */
void fo_printf(struct finding_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The comparison of a and b on metric m by the verdict rule, in words
 * ("a 1.41× [1.30, 1.52] ahead of b", "a ≈ b (1.03× ...)"), adjusted
 * within the family when the finding is in it, else uncorrected. Returns
 * its id for fo_if_clear. */
int fo_vs(struct finding_out *o, const struct cell *a, const struct cell *b, enum metric m);
/* fo_vs with the two cells called name_a and name_b, not by their models
 * (two cells of one model: "py-asyncio with aiofiles"). */
int fo_vs_as(struct finding_out *o, const struct cell *a, const struct cell *b, enum metric m,
	     const char *name_a, const char *name_b);
/* yes when a clearly wins any of the comparisons ids[0..n), else no. */
void fo_if_clear(struct finding_out *o, const int *ids, size_t n, const char *yes, const char *no);

/* A finding's text on its own (findings_build makes those of the table). */
struct finding_out *fo_new(void);
void fo_free(struct finding_out *o);
/* Comparison id of o is a clear win of its a (after the family, if any). */
bool fo_clear(const struct finding_out *o, int id);
/* The one family: the testable comparisons of found[i] for every in[i],
 * the same comparison once, adjusted together (Benjamini-Hochberg); each
 * takes its adjusted p and outcome. 0 or -ENOMEM (then uncorrected). */
int findings_family(struct finding_out *const *found, const bool *in, size_t n);

/* Every finding of the table into s->found, once; then the family's
 * adjustment. 0 or -ENOMEM. */
int findings_build(struct set *s);
void findings_free(struct set *s);
/* The finding called key (NULL: none such, or not built). */
const struct finding_out *finding_of(const struct set *s, const char *key);
/* The same, of the table's entry f. */
const struct finding_out *finding_out_of(const struct set *s, const struct finding *f);
/* The two findings whose cells the page's lessons show beside them. */
extern const struct finding finding_creation, finding_prefork;
bool finding_empty(const struct finding_out *o);
/* Whether one of its comparisons is of a cell of grid. */
bool finding_cites_grid(const struct finding_out *o, const char *grid);
/* Its markdown. */
void finding_md(const struct finding_out *o, FILE *f);

/* page.c: DIR/REPORT.md */
int plots_write_report(const struct set *s);

/* The io workload's name, for sentences about share 0. */
static inline const char *finding_io_name(void)
{
	const struct workload_ops *w = workload_by_parts(true, false);

	return w ? w->name : "i/o";
}

/* The concurrent cell of model k on io work at the top level, if usable. */
static inline const struct cell *finding_io_top_cell(const struct set *s, size_t k, double top,
						     enum metric m, bool log_axis)
{
	const struct cell *c = plots_find_cell(s, s->grid, s->models[k], 0, top, false);

	return c && !c->one_slot && plots_usable(c, m, log_axis) ? c : NULL;
}

#endif
