/* verdict.c - Welch's test on log values, the equivalence test (TOST),
 * Benjamini-Hochberg and Holm corrections, the ratio and its interval, the
 * reps an undecided verdict needs, a grid point's stopping rule, and the
 * geometric mean's interval. The distributions come from GSL. See
 * verdict.h. */
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
	out->p = out->p_adj = out->p_eq = out->p_eq_adj = 1;
	out->ratio = out->ci_lo = out->ci_hi = 1;
	out->alpha = VERDICT_ALPHA;
	out->margin = VERDICT_MARGIN;
	out->outcome = VERDICT_NA;
	out->more = -1;
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
	out->outcome = VERDICT_INCONCLUSIVE;
	welch(ma, va, out->na, mb, vb, out->nb, out, &diff, &half);
	out->p_adj = out->p;
	if (out->log_scale) {
		/* worse over better: exp(|diff|), interval the same way round */
		double d = out->a_lower ? -diff : diff;

		out->ratio = exp(d);
		out->ci_lo = exp(d - half);
		out->ci_hi = exp(d + half);
		out->lr = d;
		out->se = sqrt(va / out->na + vb / out->nb);
		out->var_a = va;
		out->var_b = vb;
		verdict_rule(out, 0, 0);
		return 0;
	}
	{
		double lo = out->a_lower ? ma : mb, hi = out->a_lower ? mb : ma;
		double rel, sa = out->a_lower ? va / out->na : vb / out->nb;
		double sb = out->a_lower ? vb / out->nb : va / out->na;

		if (lo <= 0) { /* no ratio to speak of */
			out->ratio = out->ci_lo = out->ci_hi = hi > lo ? INFINITY : 1;
			out->lr = hi > lo ? INFINITY : 0;
			verdict_rule(out, 0, 0);
			return 0;
		}
		out->ratio = hi / lo;
		/* delta method: var(log(hi/lo)) ~ s_hi/hi^2 + s_lo/lo^2 */
		rel = hi > 0 ? sqrt(sb / (hi * hi) + sa / (lo * lo)) : 0;
		half = out->df > 0 ? gsl_cdf_tdist_Qinv(0.025, out->df) * rel : 0;
		out->ci_lo = out->ratio * exp(-half);
		out->ci_hi = out->ratio * exp(half);
		out->lr = log(out->ratio);
		out->se = rel;
		out->var_a = ma != 0 ? va / (ma * ma) : 0;
		out->var_b = mb != 0 ? vb / (mb * mb) : 0;
	}
	verdict_rule(out, 0, 0);
	return 0;
}

/* TOST on the log ratio lr >= 0: the larger one-sided p is that of
 * "lr >= log(1 + margin)", t = (log(1 + margin) - lr) / se. */
void verdict_rule(struct verdict *v, double alpha, double margin)
{
	double d;

	v->alpha = alpha > 0 && alpha < 1 ? alpha : VERDICT_ALPHA;
	v->margin = margin > 0 && margin < 1 ? margin : VERDICT_MARGIN;
	v->p_eq = 1;
	if (v->na >= VERDICT_MIN_N && v->nb >= VERDICT_MIN_N && isfinite(v->lr)) {
		d = log1p(v->margin) - v->lr;
		if (v->se > 0)
			v->p_eq = gsl_cdf_tdist_Q(d / v->se, v->df > 0 ? v->df : 1);
		else
			v->p_eq = d > 0 ? 0 : 1;
	}
	v->p_eq_adj = v->p_eq;
}

double verdict_look_alpha(unsigned min, unsigned max)
{
	return max > min ? VERDICT_ALPHA / (double)(max - min + 1) : VERDICT_ALPHA;
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

/* The normal quantile of p. */
static double zq(double p)
{
	return gsl_cdf_ugaussian_Pinv(p);
}

/* Whether k more reps per side would decide v at the power asked for:
 * se(k) shrinks as k grows, so this is monotone in k. */
static bool enough(const struct verdict *v, int k, double need_w, double need_e, double gap_e,
		   bool win_ok, bool eq_ok)
{
	double se = sqrt(v->var_a / (v->na + k) + v->var_b / (v->nb + k));

	if (se <= 0)
		return true;
	return (win_ok && v->lr / se >= need_w) || (eq_ok && gap_e / se >= need_e);
}

int verdict_more_reps(const struct verdict *v)
{
	double need_w, need_e, gap_e;
	bool win_ok, eq_ok;
	int lo = 1, hi = VERDICT_MORE_MAX;

	if (v->outcome == VERDICT_NA || v->na < VERDICT_MIN_N || v->nb < VERDICT_MIN_N)
		return -1;
	if (verdict_decided(v))
		return 0;
	if (!isfinite(v->lr))
		return -1;
	need_w = zq(1 - v->alpha / 2) + zq(VERDICT_POWER);
	need_e = zq(1 - v->alpha) + zq(VERDICT_POWER);
	gap_e = log1p(v->margin) - v->lr;
	win_ok = v->ratio >= VERDICT_MIN_RATIO && v->lr > 0;
	eq_ok = gap_e > 0;
	if (!(win_ok || eq_ok) || !enough(v, hi, need_w, need_e, gap_e, win_ok, eq_ok))
		return -1;
	while (lo < hi) { /* the least k that is enough */
		int mid = lo + (hi - lo) / 2;

		if (enough(v, mid, need_w, need_e, gap_e, win_ok, eq_ok))
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

void verdict_decide(struct verdict *v)
{
	v->more = -1;
	if (v->na < VERDICT_MIN_N || v->nb < VERDICT_MIN_N) {
		v->outcome = VERDICT_NA;
		return;
	}
	if (!(v->alpha > 0 && v->alpha < 1))
		v->alpha = VERDICT_ALPHA;
	/* the interval must exclude 1 too: on the raw scale the delta-method
	 * interval can hold 1 while Welch's p is small */
	if (v->margin > 0 && v->p_eq_adj < v->alpha) /* margin 0: TOST not run */
		v->outcome = VERDICT_EQUIV;
	else if (v->p_adj < v->alpha && v->ratio >= VERDICT_MIN_RATIO && v->ci_lo > 1)
		v->outcome = v->a_lower ? VERDICT_A : VERDICT_B;
	else
		v->outcome = VERDICT_INCONCLUSIVE;
	v->more = verdict_more_reps(v);
}

bool verdict_clear(const struct verdict *v)
{
	return v->outcome == VERDICT_A || v->outcome == VERDICT_B;
}

bool verdict_decided(const struct verdict *v)
{
	return verdict_clear(v) || v->outcome == VERDICT_EQUIV;
}

const char *verdict_word(const struct verdict *v)
{
	return verdict_clear(v)			    ? "winner"
	       : v->outcome == VERDICT_EQUIV	    ? "equivalent"
	       : v->outcome == VERDICT_INCONCLUSIVE ? "inconclusive"
						    : "untested";
}

static bool testable(const struct verdict *v)
{
	return v->na >= VERDICT_MIN_N && v->nb >= VERDICT_MIN_N;
}

int verdict_adjust_ptr(struct verdict **v, size_t n, enum verdict_corr corr)
{
	double *p = calloc(n ? 2 * n : 1, sizeof(*p)), *q = p + n;
	size_t m = 0, k = 0;

	if (!p)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		if (testable(v[i])) {
			q[m] = v[i]->p_eq;
			p[m++] = v[i]->p;
		}
	if (verdict_p_adjust(p, m, corr, p) || verdict_p_adjust(q, m, corr, q)) {
		free(p);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		if (testable(v[i])) {
			v[i]->p_eq_adj = q[k];
			v[i]->p_adj = p[k++];
		} else {
			v[i]->p_adj = v[i]->p_eq_adj = 1;
		}
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

/* The margin in percent, "5" or "2.5". */
static void put_margin(char *buf, size_t len, double m)
{
	snprintf(buf, len, "%.3g", m * 100);
}

char *verdict_note(const struct verdict *v, char *buf, size_t len)
{
	char m[16];

	put_margin(m, sizeof(m), v->margin);
	if (v->outcome == VERDICT_NA)
		snprintf(buf, len, "too few runs");
	else if (verdict_clear(v))
		snprintf(buf, len, "%s", "");
	else if (v->outcome == VERDICT_EQUIV)
		snprintf(buf, len, "equivalent within \xc2\xb1%s%%", m);
	else if (v->more > 0)
		snprintf(buf, len, "inconclusive, ~%d more reps", v->more);
	else
		snprintf(buf, len, "inconclusive, more reps would not decide it at \xc2\xb1%s%%",
			 m);
	return buf;
}

char *verdict_format(const struct verdict *v, const char *name_a, const char *name_b, char *buf,
		     size_t len)
{
	const char *better = v->a_lower ? name_a : name_b, *worse = v->a_lower ? name_b : name_a;
	char r[96], note[96];

	if (v->outcome == VERDICT_NA) {
		snprintf(buf, len, "%s ? %s (too few runs)", name_a, name_b);
		return buf;
	}
	verdict_ratio_str(v, r, sizeof(r));
	verdict_note(v, note, sizeof(note));
	if (verdict_clear(v)) {
		snprintf(buf, len, "%s %s ahead of %s", better, r, worse);
	} else if (v->outcome == VERDICT_EQUIV) {
		snprintf(buf, len, "%s \xe2\x89\x88 %s, %s (%s)", better, worse, note, r);
	} else {
		/* "inconclusive, ~N more reps": the figures go inside */
		const char *tail = strchr(note, ',');

		snprintf(buf, len, "%s ? %s, inconclusive (%s;%s)", better, worse, r,
			 tail ? tail + 1 : "");
	}
	return buf;
}

/* The verdict of samples i and j of a point. */
static void point_pair(const double *const *v, const size_t *n, size_t i, size_t j, double alpha,
		       double margin, struct verdict *out)
{
	if (verdict_test(v[i], n[i], v[j], n[j], out) == 0)
		verdict_rule(out, alpha, margin);
	verdict_adjust(out, 1, VERDICT_NONE);
}

bool verdict_point_decided(const double *const *v, const size_t *n, size_t k, double alpha,
			   double margin, bool all_pairs, int *more)
{
	struct verdict vd;
	size_t best = 0;
	double cb = INFINITY;
	bool decided = true;
	int worst = 0;

	for (size_t i = 0; !all_pairs && i < k; i++) {
		double c, lo, hi;

		if (n[i] && (verdict_gmean_ci(v[i], n[i], 0.95, &c, &lo, &hi), isfinite(c)) &&
		    c < cb) {
			cb = c;
			best = i;
		}
	}
	for (size_t i = 0; i < k; i++)
		for (size_t j = i + 1; j < k; j++) {
			if (!all_pairs && i != best && j != best)
				continue;
			point_pair(v, n, i, j, alpha, margin, &vd);
			if (verdict_decided(&vd))
				continue;
			decided = false;
			if (worst >= 0)
				worst = vd.more < 0 ? -1 : vd.more > worst ? vd.more : worst;
		}
	if (more)
		*more = decided ? 0 : worst;
	return decided;
}

int verdict_gmean_ci(const double *v, size_t n, double level, double *center, double *lo,
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
