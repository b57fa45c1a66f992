/* verdict.c - Welch's test on log values, Benjamini-Hochberg and Holm
 * corrections, the ratio and its interval, and the median's interval for
 * the stopping rule. The distributions come from GSL. See verdict.h. */
#include "verdict.h"

#include <errno.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Mean and sample variance of the finite values of v (logs when logs),
 * their count into *n. */
static void moments(const double *v, size_t nv, bool logs, int *n, double *mean, double *var)
{
	double s = 0, ss = 0;
	int k = 0;

	for (size_t i = 0; i < nv; i++)
		if (isfinite(v[i])) {
			s += logs ? log(v[i]) : v[i];
			k++;
		}
	*n = k;
	*mean = k ? s / k : NAN;
	for (size_t i = 0; i < nv; i++)
		if (isfinite(v[i])) {
			double d = (logs ? log(v[i]) : v[i]) - *mean;

			ss += d * d;
		}
	*var = k > 1 ? ss / (k - 1) : 0;
}

static bool all_positive(const double *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (isfinite(v[i]) && v[i] <= 0)
			return false;
	return true;
}

/* Welch: t, df, two-sided p and the 95% half-width of the difference of
 * means ma - mb, from the moments. */
static void welch(double ma, double va, int na, double mb, double vb, int nb, struct verdict *o,
		  double *diff, double *half)
{
	double sa = va / na, sb = vb / nb, se = sqrt(sa + sb);
	double den = sa * sa / (na - 1) + sb * sb / (nb - 1);

	*diff = ma - mb;
	o->df = den > 0 ? (sa + sb) * (sa + sb) / den : (double)(na + nb - 2);
	if (se > 0) {
		o->t = *diff / se;
		o->p = 2 * gsl_cdf_tdist_Q(fabs(o->t), o->df);
		*half = gsl_cdf_tdist_Qinv(0.025, o->df) * se;
	} else {
		o->t = *diff == 0 ? 0 : copysign(INFINITY, *diff);
		o->p = *diff == 0 ? 1 : 0;
		*half = 0;
	}
	if (o->p > 1)
		o->p = 1;
}

int verdict_test(const double *a, size_t na, const double *b, size_t nb, struct verdict *out)
{
	double ma, va, mb, vb, diff, half;

	memset(out, 0, sizeof(*out));
	out->p = out->p_adj = 1;
	out->ratio = out->ci_lo = out->ci_hi = 1;
	out->outcome = VERDICT_NA;
	if (na == 0 || nb == 0)
		return -EINVAL;
	out->log_scale = all_positive(a, na) && all_positive(b, nb);
	moments(a, na, out->log_scale, &out->na, &ma, &va);
	moments(b, nb, out->log_scale, &out->nb, &mb, &vb);
	out->center_a = out->log_scale ? exp(ma) : ma;
	out->center_b = out->log_scale ? exp(mb) : mb;
	out->a_lower = !(out->center_b < out->center_a);
	if (out->na < VERDICT_MIN_N || out->nb < VERDICT_MIN_N)
		return 0;
	out->outcome = VERDICT_TIE;
	welch(ma, va, out->na, mb, vb, out->nb, out, &diff, &half);
	out->p_adj = out->p;
	if (out->log_scale) {
		/* worse over better: exp(|diff|), interval the same way round */
		double d = out->a_lower ? -diff : diff;

		out->ratio = exp(d);
		out->ci_lo = exp(d - half);
		out->ci_hi = exp(d + half);
		return 0;
	}
	{
		double lo = out->a_lower ? ma : mb, hi = out->a_lower ? mb : ma;
		double rel, sa = out->a_lower ? va / out->na : vb / out->nb;
		double sb = out->a_lower ? vb / out->nb : va / out->na;

		if (lo <= 0) { /* no ratio to speak of */
			out->ratio = out->ci_lo = out->ci_hi = hi > lo ? INFINITY : 1;
			return 0;
		}
		out->ratio = hi / lo;
		/* delta method: var(log(hi/lo)) ~ s_hi/hi^2 + s_lo/lo^2 */
		rel = hi > 0 ? sqrt(sb / (hi * hi) + sa / (lo * lo)) : 0;
		half = out->df > 0 ? gsl_cdf_tdist_Qinv(0.025, out->df) * rel : 0;
		out->ci_lo = out->ratio * exp(-half);
		out->ci_hi = out->ratio * exp(half);
	}
	return 0;
}

struct pidx {
	double p;
	size_t i;
};

static int pidx_cmp(const void *x, const void *y)
{
	const struct pidx *a = x, *b = y;

	if (a->p != b->p)
		return a->p < b->p ? -1 : 1;
	return a->i < b->i ? -1 : a->i > b->i;
}

int verdict_p_adjust(const double *p, size_t n, enum verdict_corr corr, double *adj)
{
	struct pidx *s;
	double run;

	if (n == 0)
		return 0;
	s = malloc(n * sizeof(*s));
	if (!s)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		s[i] = (struct pidx){ p[i], i };
	qsort(s, n, sizeof(*s), pidx_cmp);
	if (corr == VERDICT_HOLM) {
		run = 0; /* step down: the running max of (n - k) p_(k) */
		for (size_t k = 0; k < n; k++) {
			double q = fmin(1, (double)(n - k) * s[k].p);

			run = fmax(run, q);
			adj[s[k].i] = run;
		}
	} else if (corr == VERDICT_BH) {
		run = 1; /* step up: the running min of n / k p_(k), from the top */
		for (size_t k = n; k-- > 0;) {
			double q = fmin(1, (double)n / (double)(k + 1) * s[k].p);

			run = fmin(run, q);
			adj[s[k].i] = run;
		}
	} else {
		for (size_t k = 0; k < n; k++)
			adj[s[k].i] = s[k].p;
	}
	free(s);
	return 0;
}

void verdict_decide(struct verdict *v)
{
	if (v->na < VERDICT_MIN_N || v->nb < VERDICT_MIN_N) {
		v->outcome = VERDICT_NA;
		return;
	}
	/* the interval must exclude 1 too: on the raw scale the delta-method
	 * interval can hold 1 while Welch's p is small */
	if (v->p_adj < VERDICT_ALPHA && v->ratio >= VERDICT_MIN_RATIO && v->ci_lo > 1)
		v->outcome = v->a_lower ? VERDICT_A : VERDICT_B;
	else
		v->outcome = VERDICT_TIE;
}

bool verdict_clear(const struct verdict *v)
{
	return v->outcome == VERDICT_A || v->outcome == VERDICT_B;
}

int verdict_adjust_ptr(struct verdict **v, size_t n, enum verdict_corr corr)
{
	double *p = calloc(n ? n : 1, sizeof(*p));
	size_t m = 0, k = 0;

	if (!p)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		if (v[i]->na >= VERDICT_MIN_N && v[i]->nb >= VERDICT_MIN_N)
			p[m++] = v[i]->p;
	if (verdict_p_adjust(p, m, corr, p)) {
		free(p);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		if (v[i]->na >= VERDICT_MIN_N && v[i]->nb >= VERDICT_MIN_N)
			v[i]->p_adj = p[k++];
		else
			v[i]->p_adj = 1;
		verdict_decide(v[i]);
	}
	free(p);
	return 0;
}

int verdict_adjust(struct verdict *v, size_t n, enum verdict_corr corr)
{
	struct verdict **pv = malloc((n ? n : 1) * sizeof(*pv));
	int rc;

	if (!pv)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		pv[i] = &v[i];
	rc = verdict_adjust_ptr(pv, n, corr);
	free(pv);
	return rc;
}

/* A ratio with two decimals, "inf" past any sense. */
static void put_ratio(char *buf, size_t len, double r)
{
	if (isfinite(r) && r < 1e6)
		snprintf(buf, len, "%.2f", r);
	else
		snprintf(buf, len, "inf");
}

char *verdict_ratio_str(const struct verdict *v, char *buf, size_t len)
{
	char r[32], lo[32], hi[32];

	put_ratio(r, sizeof(r), v->ratio);
	put_ratio(lo, sizeof(lo), v->ci_lo);
	put_ratio(hi, sizeof(hi), v->ci_hi);
	snprintf(buf, len, "%s\xc3\x97 [%s, %s]", r, lo, hi);
	return buf;
}

char *verdict_format(const struct verdict *v, const char *name_a, const char *name_b, char *buf,
		     size_t len)
{
	const char *better = v->a_lower ? name_a : name_b, *worse = v->a_lower ? name_b : name_a;
	char r[96];

	if (v->outcome == VERDICT_NA) {
		snprintf(buf, len, "%s ? %s (too few runs)", name_a, name_b);
		return buf;
	}
	verdict_ratio_str(v, r, sizeof(r));
	if (verdict_clear(v))
		snprintf(buf, len, "%s %s ahead of %s", better, r, worse);
	else
		snprintf(buf, len, "%s \xe2\x89\x88 %s (%s)", better, worse, r);
	return buf;
}

int verdict_median_ci(const double *v, size_t n, double level, double *center, double *lo,
		      double *hi)
{
	bool logs = all_positive(v, n);
	double m, var, half, q;
	int k;

	moments(v, n, logs, &k, &m, &var);
	if (k == 0) {
		*center = *lo = *hi = NAN;
		return -EINVAL;
	}
	*center = logs ? exp(m) : m;
	if (k < 2) {
		*lo = *hi = *center;
		return -EINVAL;
	}
	q = gsl_cdf_tdist_Qinv((1 - level) / 2, k - 1);
	half = q * sqrt(var / k);
	*lo = logs ? exp(m - half) : m - half;
	*hi = logs ? exp(m + half) : m + half;
	return 0;
}

static int dbl_cmp(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return (a > b) - (a < b);
}

int verdict_median_ci_os(const double *v, size_t n, double level, double *lo, double *hi,
			 double *coverage)
{
	double *s;
	size_t m = 0, k = 0;

	if (n == 0)
		return -EINVAL;
	s = malloc(n * sizeof(*s));
	if (!s)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		if (isfinite(v[i]))
			s[m++] = v[i];
	if (m == 0) {
		free(s);
		return -EINVAL;
	}
	qsort(s, m, sizeof(*s), dbl_cmp);
	/* coverage of [x(j), x(m-j+1)] is 1 - 2 P(Bin(m, 1/2) <= j - 1) */
	for (size_t j = 1; j <= m / 2; j++) {
		double cov = 1 - 2 * gsl_cdf_binomial_P((unsigned)(j - 1), 0.5, (unsigned)m);

		if (cov + 1e-12 < level)
			break;
		k = j;
		*coverage = cov;
	}
	if (k == 0) {
		*lo = s[0];
		*hi = s[m - 1];
		*coverage = 1 - 2 * gsl_cdf_binomial_P(0, 0.5, (unsigned)m);
		free(s);
		return -ERANGE;
	}
	*lo = s[k - 1];
	*hi = s[m - k];
	free(s);
	return 0;
}
