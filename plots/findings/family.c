/* family.c - a finding's text (struct finding_out) and the one
 * Benjamini-Hochberg family of the findings' comparisons. A finding is
 * built once: its markdown runs are kept as written, its comparisons as
 * verdicts with their raw p. When every finding is built, the comparisons
 * of those in the family are adjusted at once (the same comparison twice
 * counts once), and their words are written from the adjusted verdicts
 * (../verdicts/words.c); the others stay uncorrected. */
#define _GNU_SOURCE /* vasprintf */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../verdicts/verdicts.h"
#include "findings.h"

enum seg_kind { SEG_TEXT, SEG_VS, SEG_IF };

struct seg {
	enum seg_kind kind;
	char *text, *alt;	  /* SEG_TEXT; SEG_IF: yes, no; SEG_VS: names, or NULL */
	const struct cell *a, *b; /* SEG_VS */
	enum metric m;
	struct verdict v;
	bool testable;
	int *ids; /* SEG_IF: the comparisons it reads */
	size_t nids;
};

struct finding_out {
	struct seg *seg;
	size_t n, cap;
};

static struct seg *add_seg(struct finding_out *o, enum seg_kind kind)
{
	if (o->n == o->cap) {
		size_t cap = o->cap ? 2 * o->cap : 8;
		struct seg *s = realloc(o->seg, cap * sizeof(*s));

		if (!s)
			return NULL;
		o->seg = s;
		o->cap = cap;
	}
	memset(&o->seg[o->n], 0, sizeof(o->seg[0]));
	o->seg[o->n].kind = kind;
	return &o->seg[o->n++];
}

void fo_printf(struct finding_out *o, const char *fmt, ...)
{
	struct seg *s = add_seg(o, SEG_TEXT);
	va_list ap;

	if (!s)
		return;
	va_start(ap, fmt);
	if (vasprintf(&s->text, fmt, ap) < 0) {
		s->text = NULL;
		o->n--;
	}
	va_end(ap);
}

int fo_vs(struct finding_out *o, const struct cell *a, const struct cell *b, enum metric m)
{
	struct seg *s = add_seg(o, SEG_VS);

	if (!s)
		return -1;
	s->a = a;
	s->b = b;
	s->m = m;
	plots_compare(a, b, m, &s->v);
	s->testable = s->v.outcome != VERDICT_NA;
	verdict_adjust(&s->v, 1, VERDICT_NONE);
	return (int)(o->n - 1);
}

int fo_vs_as(struct finding_out *o, const struct cell *a, const struct cell *b, enum metric m,
	     const char *name_a, const char *name_b)
{
	int id = fo_vs(o, a, b, m);

	if (id >= 0) { /* a SEG_VS's text and alt: its names (NULL: the models') */
		o->seg[id].text = strdup(name_a);
		o->seg[id].alt = strdup(name_b);
	}
	return id;
}

void fo_if_clear(struct finding_out *o, const int *ids, size_t n, const char *yes, const char *no)
{
	struct seg *s = add_seg(o, SEG_IF);

	if (!s)
		return;
	s->text = strdup(yes);
	s->alt = strdup(no);
	s->ids = n ? malloc(n * sizeof(*ids)) : NULL;
	s->nids = s->ids ? n : 0;
	if (s->ids)
		memcpy(s->ids, ids, n * sizeof(*ids));
}

static bool same_test(const struct seg *x, const struct seg *y)
{
	return x->a == y->a && x->b == y->b && x->m == y->m;
}

struct finding_out *fo_new(void)
{
	return calloc(1, sizeof(struct finding_out));
}

void fo_free(struct finding_out *o)
{
	for (size_t j = 0; o && j < o->n; j++) {
		free(o->seg[j].text);
		free(o->seg[j].alt);
		free(o->seg[j].ids);
	}
	if (o)
		free(o->seg);
	free(o);
}

bool fo_clear(const struct finding_out *o, int id)
{
	return id >= 0 && (size_t)id < o->n && o->seg[id].kind == SEG_VS &&
	       o->seg[id].v.outcome == VERDICT_A;
}

int findings_family(struct finding_out *const *found, const bool *in, size_t nf)
{
	struct seg **uniq = NULL, **all = NULL;
	size_t nu = 0, na = 0, cap = 0;
	double *p = NULL;
	int rc = 0;

	for (size_t i = 0; i < nf; i++)
		if (in[i] && found[i])
			cap += found[i]->n;
	uniq = calloc(cap + 1, sizeof(*uniq));
	all = calloc(cap + 1, sizeof(*all));
	p = calloc(cap + 1, sizeof(*p));
	if (!uniq || !all || !p)
		rc = -ENOMEM;
	for (size_t i = 0; rc == 0 && i < nf; i++) {
		struct finding_out *o = found[i];

		if (!in[i] || !o)
			continue;
		for (size_t j = 0; j < o->n; j++) {
			struct seg *g = &o->seg[j];
			size_t u;

			if (g->kind != SEG_VS || !g->testable)
				continue;
			all[na++] = g;
			for (u = 0; u < nu && !same_test(uniq[u], g); u++)
				;
			if (u == nu) {
				uniq[nu] = g;
				p[nu++] = g->v.p;
			}
		}
	}
	/* no memory: every comparison stays uncorrected */
	if (rc == 0 && nu && verdict_p_adjust(p, nu, VERDICT_BH, p) == 0)
		for (size_t i = 0; i < na; i++)
			for (size_t u = 0; u < nu; u++)
				if (same_test(uniq[u], all[i])) {
					all[i]->v.p_adj = p[u];
					verdict_decide(&all[i]->v);
					break;
				}
	free(uniq);
	free(all);
	free(p);
	return rc;
}

int findings_build(struct set *s)
{
	size_t n = finding_count();
	bool *in;
	int rc;

	findings_free(s);
	s->found = calloc(n + 1, sizeof(*s->found));
	in = calloc(n + 1, sizeof(*in));
	if (!s->found || !in) {
		free(in);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		if (!(s->found[i] = fo_new())) {
			free(in);
			return -ENOMEM;
		}
		finding_table[i]->fn(s, s->found[i]);
		in[i] = finding_table[i]->family;
	}
	rc = findings_family(s->found, in, n);
	free(in);
	return rc;
}

void findings_free(struct set *s)
{
	for (size_t i = 0; s->found && s->found[i]; i++)
		fo_free(s->found[i]);
	free(s->found);
	s->found = NULL;
}

const struct finding_out *finding_of(const struct set *s, const char *key)
{
	for (size_t i = 0; s->found && finding_table[i]; i++)
		if (strcmp(finding_table[i]->key, key) == 0)
			return s->found[i];
	return NULL;
}

const struct finding_out *finding_out_of(const struct set *s, const struct finding *f)
{
	for (size_t i = 0; s->found && finding_table[i]; i++)
		if (finding_table[i] == f)
			return s->found[i];
	return NULL;
}

bool finding_cites_grid(const struct finding_out *o, const char *grid)
{
	for (size_t i = 0; o && i < o->n; i++)
		if (o->seg[i].kind == SEG_VS &&
		    (strcmp(o->seg[i].a->grid, grid) == 0 || strcmp(o->seg[i].b->grid, grid) == 0))
			return true;
	return false;
}

bool finding_empty(const struct finding_out *o)
{
	for (size_t i = 0; o && i < o->n; i++)
		if (o->seg[i].kind != SEG_TEXT || o->seg[i].text[strspn(o->seg[i].text, " \n")])
			return false;
	return true;
}

static bool any_clear(const struct finding_out *o, const struct seg *g)
{
	for (size_t i = 0; i < g->nids; i++)
		if (g->ids[i] >= 0 && (size_t)g->ids[i] < o->n &&
		    o->seg[g->ids[i]].v.outcome == VERDICT_A)
			return true;
	return false;
}

void finding_md(const struct finding_out *o, FILE *f)
{
	char vs[VERDICT_FMT_MAX];

	for (size_t i = 0; o && i < o->n; i++) {
		const struct seg *g = &o->seg[i];

		if (g->kind == SEG_TEXT)
			fputs(g->text, f);
		else if (g->kind == SEG_VS)
			fputs(words_vs(&g->v, g->text ? g->text : g->a->model,
				       g->alt ? g->alt : g->b->model, vs, sizeof(vs)),
			      f);
		else
			fputs(any_clear(o, g) ? g->text : g->alt, f);
	}
}
