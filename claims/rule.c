/* rule.c - the one rule that turns a claim's figure into a verdict (see
 * claims.h): in the article's range, or within CLAIM_TOL of its single
 * figure; a claim's verdict over its subjects; the units figures print in.
 * Nothing here knows a particular claim. */
#include <math.h>
#include <stdio.h>

#include "../lib/util.h"
#include "claims.h"

enum claim_verdict claim_judge_range(double figure, double lo, double hi)
{
	if (!isfinite(figure) || !isfinite(lo) || !isfinite(hi))
		return CLAIM_UNMEASURED;
	return figure >= lo && figure <= hi ? CLAIM_HOLDS : CLAIM_FAILS;
}

enum claim_verdict claim_judge_point(double figure, double point, double tol)
{
	if (!isfinite(figure) || !isfinite(point) || !isfinite(tol))
		return CLAIM_UNMEASURED;
	return fabs(figure - point) <= fabs(tol * point) ? CLAIM_HOLDS : CLAIM_FAILS;
}

/* The subjects' figures, "who fig, who fig", into b. */
static void subjects_text(const struct claim *c, const double *v, int n, char *b, size_t cap)
{
	size_t len = 0;

	b[0] = '\0';
	for (int i = 0; i < n && len < cap; i++) {
		char f[48];

		c->fmt(f, sizeof(f), v[c->subjects[i].fig]);
		len += (size_t)snprintf(b + len, cap - len, "%s%s %s", i ? ", " : "",
					c->subjects[i].who, f);
	}
}

/* The names of the subjects that held, "A and B", into b. */
static void held_text(const struct claim *c, const enum claim_verdict *each, int n, char *b,
		      size_t cap)
{
	size_t len = 0;
	int k = 0;

	b[0] = '\0';
	for (int i = 0; i < n && len < cap; i++)
		if (each[i] == CLAIM_HOLDS)
			len += (size_t)snprintf(b + len, cap - len, "%s%s", k++ ? " and " : "",
						c->subjects[i].who);
}

enum claim_verdict claim_conclude(const struct claim *c, const double *v, char *out, size_t cap)
{
	enum claim_verdict each[CLAIM_SUBJECTS];
	char figs[256], held[128], why[160], tol[32] = "";
	int n, nheld = 0;

	for (n = 0; n < CLAIM_SUBJECTS && c->subjects[n].who; n++) {
		double f = v[c->subjects[n].fig];

		each[n] = c->lo == c->hi ? claim_judge_point(f, c->lo, CLAIM_TOL)
					 : claim_judge_range(f, c->lo, c->hi);
		if (each[n] == CLAIM_UNMEASURED) {
			snprintf(out, cap, "not measured: a run it reads failed or is not listed");
			return CLAIM_UNMEASURED;
		}
		nheld += each[n] == CLAIM_HOLDS;
	}
	if (n == 0) {
		snprintf(out, cap, "not measured: the claim names no subject");
		return CLAIM_UNMEASURED;
	}
	if (c->usable && !c->usable(c, v, why, sizeof(why))) {
		snprintf(out, cap, "not measured: %s", why);
		return CLAIM_UNMEASURED;
	}
	subjects_text(c, v, n, figs, sizeof(figs));
	if (c->lo == c->hi && c->lo != 0) /* a zero has no room to print */
		snprintf(tol, sizeof(tol), " ±%.0f%%", CLAIM_TOL * 100);
	if (nheld == n) {
		snprintf(out, cap, "holds: %s; the article: %s%s", figs, c->article, tol);
		return CLAIM_HOLDS;
	}
	if (nheld == 0) {
		snprintf(out, cap, "doesn't hold here: %s; the article: %s%s", figs, c->article,
			 tol);
		return CLAIM_FAILS;
	}
	held_text(c, each, n, held, sizeof(held));
	snprintf(out, cap, "holds only for %s: %s; the article: %s%s", held, figs, c->article, tol);
	return CLAIM_PARTLY;
}

/* --- the units ------------------------------------------------------------------ */

const char *claim_fmt_bytes(char *b, size_t n, double bytes)
{
	if (isfinite(bytes) && fabs(bytes) < 1024) {
		snprintf(b, n, "%.0f B", bytes);
		return b;
	}
	return fmt_kib(b, n, bytes / 1024, FMT_PROSE);
}

const char *claim_fmt_kib(char *b, size_t n, double kib)
{
	return fmt_kib(b, n, kib, FMT_PROSE);
}

const char *claim_fmt_ms(char *b, size_t n, double ms)
{
	return fmt_us(b, n, ms * 1000, FMT_PROSE);
}

const char *claim_fmt_s(char *b, size_t n, double s)
{
	snprintf(b, n, "%.3g s", s);
	return b;
}

const char *claim_fmt_times(char *b, size_t n, double x)
{
	snprintf(b, n, "%.2f×", x);
	return b;
}

const char *claim_fmt_pct(char *b, size_t n, double pct)
{
	snprintf(b, n, "%.3g%%", pct);
	return b;
}

const char *claim_fmt_count(char *b, size_t n, double x)
{
	snprintf(b, n, "%.3g", x);
	return b;
}
