/* runs.c - claims/runs.txt read into a claims_set (its NAME ARGS lines,
 * the runs; its `claim ID ROLE=NAME ...` lines, which run plays each role
 * of a claim), and the figures of a claim looked up in it by role: the
 * median, or the best, over the clean repetitions of the run bound to the
 * role (NAME, NAME.2, ...). */
#define _GNU_SOURCE
#include "claims.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/util.h"

/* --- the runs file ---------------------------------------------------------- */

static int grow(void **v, size_t *cap, size_t n, size_t size)
{
	void *nv;
	size_t ncap;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 64;
	nv = realloc(*v, ncap * size);
	if (!nv)
		return -ENOMEM;
	*v = nv;
	*cap = ncap;
	return 0;
}

/* A run's name goes into a file name: letters, digits, _ . - only. */
static bool good_name(const char *w)
{
	if (!w[0] || w[0] == '.')
		return false;
	for (; *w; w++)
		if (!isalnum((unsigned char)*w) && !strchr("_.-", *w))
			return false;
	return true;
}

/* A probe's program: a file name of models/python/, NAME.py. */
static bool good_program(const char *w)
{
	size_t n = strlen(w);

	if (n < 4 || strcmp(w + n - 3, ".py") != 0)
		return false;
	for (size_t i = 0; i < n - 3; i++)
		if (!islower((unsigned char)w[i]) && !isdigit((unsigned char)w[i]) && w[i] != '_')
			return false;
	return true;
}

static const struct claim *claim_by_id(const char *id)
{
	for (int i = 0; claims_table[i].id; i++)
		if (strcmp(claims_table[i].id, id) == 0)
			return &claims_table[i];
	return NULL;
}

/* Is role one of the blank-separated words of roles? */
static bool has_word(const char *roles, const char *role)
{
	size_t n = strlen(role);

	for (const char *p = roles; n && (p = strstr(p, role)) != NULL; p += n)
		if ((p == roles || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return true;
	return false;
}

/* "claim ID ROLE=RUN ...": one binding per ROLE=RUN, for a role the claim
 * reads. */
static int add_binds(struct claims_set *s, size_t *cap, char *rest)
{
	char *save = NULL, *id = strtok_r(rest, " \t", &save), *w;
	const struct claim *c = id ? claim_by_id(id) : NULL;

	if (!c)
		return -EINVAL;
	while ((w = strtok_r(NULL, " \t", &save)) != NULL) {
		char *eq = strchr(w, '=');
		struct claims_bind *b;

		if (!eq || eq == w || strlen(eq + 1) >= sizeof(b->run) || eq - w >= 32 ||
		    !good_name(eq + 1) || grow((void **)&s->binds, cap, s->nbinds, sizeof(*b)))
			return -EINVAL;
		*eq = '\0';
		if (!has_word(c->roles, w))
			return -EINVAL;
		b = &s->binds[s->nbinds++];
		snprintf(b->claim, sizeof(b->claim), "%s", id);
		snprintf(b->role, sizeof(b->role), "%s", w);
		snprintf(b->run, sizeof(b->run), "%s", eq + 1);
	}
	return 0;
}

/* "NAME ARGS..." or "NAME --probe PROGRAM ARGS...". */
static int add_run(struct claims_set *s, size_t *cap, const char *name, const char *args)
{
	struct claims_run *r;
	char prog[64];
	int rc = grow((void **)&s->runs, cap, s->n, sizeof(*r));

	if (rc < 0)
		return rc;
	if (!good_name(name) || strlen(name) >= sizeof(r->name) || strlen(args) >= sizeof(r->args))
		return -EINVAL;
	r = &s->runs[s->n];
	memset(r, 0, sizeof(*r));
	if (strncmp(args, "--probe", 7) == 0 && strchr(" \t", args[7])) { /* "" too */
		args += 7;
		args += strspn(args, " \t");
		if (sscanf(args, "%63s", prog) != 1 || !good_program(prog))
			return -EINVAL;
		r->probe = true;
	}
	s->n++;
	snprintf(r->name, sizeof(r->name), "%s", name);
	snprintf(r->args, sizeof(r->args), "%s", args);
	return 0;
}

int claims_read_runs(const char *path, struct claims_set *s, int *bad_line)
{
	FILE *f = fopen(path, "r");
	char line[1024], name[64];
	size_t cap = 0, bcap = 0;
	int rc = 0, used, no = 0;

	memset(s, 0, sizeof(*s));
	*bad_line = 0;
	if (!f)
		return -errno;
	while (rc == 0 && fgets(line, sizeof(line), f)) {
		no++;
		if (!strchr(line, '\n') && !feof(f))
			rc = -EINVAL; /* longer than a line may be */
		line[strcspn(line, "\r\n")] = '\0';
		if (rc || line[0] == '#' || sscanf(line, "%63s %n", name, &used) != 1)
			continue;
		if (strcmp(name, "claim") == 0)
			rc = add_binds(s, &bcap, line + used);
		else
			rc = add_run(s, &cap, name, line + used);
	}
	fclose(f);
	if (rc < 0)
		*bad_line = no;
	return rc;
}

void claims_set_free(struct claims_set *s)
{
	free(s->runs);
	free(s->binds);
	memset(s, 0, sizeof(*s));
}

/* --- figures ------------------------------------------------------------------ */

static bool is_rep_of(const char *run, const char *name)
{
	size_t n = strlen(name);

	return strncmp(run, name, n) == 0 && (run[n] == '\0' || run[n] == '.');
}

const char *claims_run_for(const struct claims_set *s, const struct claim *c, const char *role)
{
	if (!has_word(c->roles, role))
		return NULL;
	for (size_t i = 0; i < s->nbinds; i++)
		if (strcmp(s->binds[i].claim, c->id) == 0 && strcmp(s->binds[i].role, role) == 0)
			return s->binds[i].run;
	return NULL;
}

static double run_value(const struct claims_run *r, const char *col)
{
	const struct result_col *c;

	if (r->probe) {
		for (size_t i = 0; i < r->nvals; i++)
			if (strcmp(r->keys[i], col) == 0)
				return r->vals[i];
		return NAN;
	}
	c = result_col_find(col);
	return c ? result_num(&r->row, c) : NAN;
}

/* The values of col over the clean repetitions of the run playing role,
 * sorted. */
static size_t figs(const struct claims_set *s, const struct claim *c, const char *role,
		   const char *col, double *v, size_t cap)
{
	const char *name = claims_run_for(s, c, role);
	size_t n = 0;

	for (size_t i = 0; name && i < s->n && n < cap; i++)
		if (s->runs[i].ok && is_rep_of(s->runs[i].name, name))
			v[n++] = run_value(&s->runs[i], col);
	qsort(v, n, sizeof(v[0]), cmp_double);
	return n;
}

double claims_fig(const struct claims_set *s, const struct claim *c, const char *role,
		  const char *col)
{
	double v[64];
	size_t n = figs(s, c, role, col, v, 64);

	if (n == 0)
		return NAN;
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double claims_best(const struct claims_set *s, const struct claim *c, const char *role,
		   const char *col, bool highest)
{
	double v[64];
	size_t n = figs(s, c, role, col, v, 64);

	return n == 0 ? NAN : highest ? v[n - 1] : v[0];
}
