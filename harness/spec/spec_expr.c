/* spec_expr.c - the expressions of a sweep spec: whole numbers, C (the
 * cell's concurrency), nproc (usable cores), + - * / ( ) and max(a, b),
 * min(a, b). A recursive-descent evaluator; no value may pass EXPR_LIMIT. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "spec.h"

#define EXPR_LIMIT 1000000000LL /* no value of an expression may exceed this */

struct expr {
	const char *s;	 /* the whole expression, for messages */
	const char *p;	 /* the next character to read */
	long long c;	 /* the value of C, < 0: undefined */
	long long nproc; /* the value of nproc */
	char *err;	 /* where a problem is described */
	size_t errlen;
};

static int expr_sum(struct expr *x, long long *v);

static int expr_fail(struct expr *x, const char *why)
{
	snprintf(x->err, x->errlen, "'%s': %s", x->s, why);
	return -EINVAL;
}

static void expr_skip(struct expr *x)
{
	while (isspace((unsigned char)*x->p))
		x->p++;
}

static bool expr_word(struct expr *x, const char *w)
{
	size_t n = strlen(w);

	if (strncmp(x->p, w, n) != 0 || isalnum((unsigned char)x->p[n]) || x->p[n] == '_')
		return false;
	x->p += n;
	return true;
}

static int expr_expect(struct expr *x, char c, const char *why)
{
	expr_skip(x);
	if (*x->p != c)
		return expr_fail(x, why);
	x->p++;
	return 0;
}

/* max(a, b) or min(a, b), after the name. */
static int expr_call(struct expr *x, bool is_max, long long *v)
{
	long long a, b;

	if (expr_expect(x, '(', "max and min need (a, b)") || expr_sum(x, &a) ||
	    expr_expect(x, ',', "max and min need (a, b)") || expr_sum(x, &b) ||
	    expr_expect(x, ')', "missing )"))
		return -EINVAL;
	*v = is_max ? (a > b ? a : b) : (a < b ? a : b);
	return 0;
}

static int expr_number(struct expr *x, long long *v)
{
	*v = 0;
	while (isdigit((unsigned char)*x->p)) {
		*v = *v * 10 + (*x->p++ - '0');
		if (*v > EXPR_LIMIT)
			return expr_fail(x, "a number is too large");
	}
	return 0;
}

static int expr_factor(struct expr *x, long long *v)
{
	expr_skip(x);
	if (isdigit((unsigned char)*x->p))
		return expr_number(x, v);
	if (*x->p == '(') {
		x->p++;
		if (expr_sum(x, v))
			return -EINVAL;
		return expr_expect(x, ')', "missing )");
	}
	if (expr_word(x, "C")) {
		if (x->c < 0)
			return expr_fail(x, "C (the concurrency) cannot be used here");
		*v = x->c;
		return 0;
	}
	if (expr_word(x, "nproc")) {
		*v = x->nproc;
		return 0;
	}
	if (expr_word(x, "max"))
		return expr_call(x, true, v);
	if (expr_word(x, "min"))
		return expr_call(x, false, v);
	return expr_fail(x, "expected a number, C, nproc, max(a, b), min(a, b) or (");
}

static int expr_term(struct expr *x, long long *v)
{
	long long r;
	char op;

	if (expr_factor(x, v))
		return -EINVAL;
	for (;;) {
		expr_skip(x);
		op = *x->p;
		if (op != '*' && op != '/')
			return 0;
		x->p++;
		if (expr_factor(x, &r))
			return -EINVAL;
		if (op == '/' && r == 0)
			return expr_fail(x, "division by zero");
		*v = op == '*' ? *v * r : *v / r;
		if (*v > EXPR_LIMIT || *v < -EXPR_LIMIT)
			return expr_fail(x, "the value is too large");
	}
}

static int expr_sum(struct expr *x, long long *v)
{
	long long r;
	char op;

	if (expr_term(x, v))
		return -EINVAL;
	for (;;) {
		expr_skip(x);
		op = *x->p;
		if (op != '+' && op != '-')
			return 0;
		x->p++;
		if (expr_term(x, &r))
			return -EINVAL;
		*v = op == '+' ? *v + r : *v - r;
		if (*v > EXPR_LIMIT || *v < -EXPR_LIMIT)
			return expr_fail(x, "the value is too large");
	}
}

int spec_eval(const char *expr, long long c, long long nproc, long long *out, char *err,
	      size_t errlen)
{
	struct expr x = { expr, expr, c, nproc, err, errlen };

	if (expr_sum(&x, out))
		return -EINVAL;
	expr_skip(&x);
	if (*x.p)
		return expr_fail(&x, "unexpected text after the expression");
	return 0;
}
