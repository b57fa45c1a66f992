/* verdict_sim.c - the sweep's stopping rule on simulated grid points, and
 * `cmbench __verdict-sim`, its table of false rates. See verdict_sim.h. */
#include "verdict_sim.h"

#include <errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verdict.h"

#define VSIM_MAX_REPS 64
#define VSIM_MAX_MODELS 8

/* One run of a model whose true center is mu. */
static double draw(gsl_rng *r, const struct vsim_cfg *c, double mu)
{
	double e = gsl_ran_gaussian(r, c->sigma);

	if (c->noise == VSIM_T3)
		e = c->sigma * gsl_ran_tdist(r, 3);
	else if (c->noise == VSIM_OUTLIERS && gsl_rng_uniform(r) < 0.1)
		e += fabs(gsl_ran_gaussian(r, 5 * c->sigma));
	return mu * exp(e);
}

/* The verdicts of one stopped point, pair by pair, as a table judges
 * them (each at the look's level; a table's correction across cells can
 * only make fewer of them decided). */
static void judge(const struct vsim_cfg *c, double alpha, const double *const *pv, const size_t *nv,
		  struct vsim_out *o)
{
	bool any = false, diff_out = fabs(log(c->ratio)) > log1p(c->margin);

	for (int i = 0; i < c->models; i++)
		for (int j = i + 1; j < c->models; j++) {
			struct verdict v;
			bool null = i > 0 || c->ratio == 1;

			verdict_test(pv[i], nv[i], pv[j], nv[j], &v);
			verdict_rule(&v, alpha, c->margin);
			verdict_adjust(&v, 1, VERDICT_NONE);
			o->inconclusive += v.outcome == VERDICT_INCONCLUSIVE;
			if (null) {
				o->null_pairs++;
				o->false_winners += verdict_clear(&v);
				o->null_equiv += v.outcome == VERDICT_EQUIV;
				any |= verdict_clear(&v);
				continue;
			}
			o->diff_pairs++;
			/* model 0 is the faster one when ratio > 1 */
			if (verdict_clear(&v)) {
				bool zero_won = v.outcome == VERDICT_A;
				bool right = c->ratio > 1 ? zero_won : !zero_won;

				o->detected += right;
				o->wrong_way += !right;
				any |= !right;
			}
			if (v.outcome == VERDICT_EQUIV) {
				o->false_equiv += diff_out;
				any |= diff_out;
			}
		}
	o->any_false += any;
}

int vsim_run(const struct vsim_cfg *c, struct vsim_out *o)
{
	double v[VSIM_MAX_MODELS][VSIM_MAX_REPS];
	const double *pv[VSIM_MAX_MODELS];
	size_t nv[VSIM_MAX_MODELS];
	double alpha, rounds = 0;
	gsl_rng *r;

	memset(o, 0, sizeof(*o));
	if (c->models < 2 || c->models > VSIM_MAX_MODELS || c->min < 2 || c->max < c->min ||
	    c->max > VSIM_MAX_REPS || !(c->sigma > 0) || !(c->ratio > 0) || !(c->margin > 0))
		return -EINVAL;
	r = gsl_rng_alloc(gsl_rng_mt19937);
	if (!r)
		return -ENOMEM;
	gsl_rng_set(r, (unsigned long)c->seed);
	alpha = c->alpha > 0 ? c->alpha : verdict_look_alpha(c->min, c->max);
	for (int m = 0; m < c->models; m++)
		pv[m] = v[m];
	for (unsigned p = 0; p < c->points; p++) {
		unsigned k;

		for (k = 1; k <= c->max; k++) {
			for (int m = 0; m < c->models; m++) {
				v[m][k - 1] = draw(r, c, m == 0 ? 1.0 : c->ratio);
				nv[m] = k;
			}
			if (k < c->min || c->fixed)
				continue;
			if (k == c->max || verdict_point_decided(pv, nv, (size_t)c->models, alpha,
								 c->margin, c->all_pairs, NULL))
				break;
		}
		if (k > c->max)
			k = c->max;
		o->stopped += k < c->max;
		rounds += k;
		judge(c, alpha, pv, nv, o);
	}
	o->points = c->points;
	o->mean_rounds = c->points ? rounds / c->points : 0;
	gsl_rng_free(r);
	return 0;
}

/* --- cmbench __verdict-sim ------------------------------------------- */

static const char *const noise_name[] = { "lognormal", "t3", "outliers" };

static void row(const struct vsim_cfg *c, const char *rule)
{
	struct vsim_out o;
	double np, dp;

	if (vsim_run(c, &o) != 0) {
		printf("| %s | (bad case) |\n", rule);
		return;
	}
	np = o.null_pairs ? 100.0 / o.null_pairs : 0;
	dp = o.diff_pairs ? 100.0 / o.diff_pairs : 0;
	printf("| %s | %d | %.3g%% %s | %.4g | %u | %.2f%% | %.1f%% | ", rule, c->models,
	       c->sigma * 100, noise_name[c->noise], c->ratio, o.points, o.false_winners * np,
	       o.null_equiv * np);
	if (o.diff_pairs)
		printf("%.2f%% | %.1f%% | %.2f%% | ", o.false_equiv * dp, o.detected * dp,
		       o.wrong_way * dp);
	else
		printf("- | - | - | ");
	printf("%.1f%% | %.1f | %.1f%% |\n",
	       100.0 * o.inconclusive /
		       (o.null_pairs + o.diff_pairs ? o.null_pairs + o.diff_pairs : 1),
	       o.mean_rounds, 100.0 * o.stopped / (o.points ? o.points : 1));
}

static int usage(const char *why)
{
	fprintf(stderr,
		"cmbench __verdict-sim: %s (usage: __verdict-sim [--points N] [--seed S] "
		"[--reps MIN..MAX] [--margin M%%])\n",
		why);
	return 2;
}

int vsim_main(int argc, char **argv)
{
	static const double sig[] = { 0.01, 0.03, 0.10 };
	static const enum vsim_noise noise[] = { VSIM_LOGNORMAL, VSIM_T3, VSIM_OUTLIERS };
	struct vsim_cfg c = { .min = 6,
			      .max = 15,
			      .models = 2,
			      .margin = 0.05,
			      .all_pairs = true,
			      .points = 20000,
			      .seed = 1 };
	unsigned pts;

	for (int i = 1; i < argc; i++) {
		char *end = NULL;
		const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (!val)
			return usage("a flag without its value");
		i++;
		if (strcmp(a, "--points") == 0) {
			unsigned long n = strtoul(val, &end, 10);

			if (*end || n < 1 || n > 10000000)
				return usage("--points: a count from 1 to 10000000");
			c.points = (unsigned)n;
		} else if (strcmp(a, "--seed") == 0) {
			c.seed = strtoull(val, &end, 10);
			if (*end || end == val)
				return usage("--seed: a whole number");
		} else if (strcmp(a, "--reps") == 0) {
			if (sscanf(val, "%u..%u", &c.min, &c.max) != 2 || c.min < 2 ||
			    c.max < c.min || c.max > VSIM_MAX_REPS)
				return usage("--reps: MIN..MAX, 2 <= MIN <= MAX <= 64");
		} else if (strcmp(a, "--margin") == 0) {
			c.margin = strtod(val, &end) / 100;
			if (strcmp(end, "%") != 0 || !(c.margin > 0 && c.margin < 1))
				return usage("--margin: a percent above 0 and below 100, like 5%");
		} else {
			return usage("unknown flag");
		}
	}
	pts = c.points;
	printf("# The stopping rule, simulated (cmbench __verdict-sim --points %u --seed %llu "
	       "--reps %u..%u --margin %g%%)\n\n",
	       pts, (unsigned long long)c.seed, c.min, c.max, c.margin * 100);
	printf("Each look at rounds %u..%u is taken at alpha %.4g (0.05 / %u looks); a point "
	       "stops once every pair is a winner or equivalent within +-%g%%, or at %u.\n"
	       "False winners: of the pairs of two equal models; false equivalent: of the pairs "
	       "that differ by the ratio (outside the margin).\n\n",
	       c.min, c.max, verdict_look_alpha(c.min, c.max), c.max - c.min + 1, c.margin * 100,
	       c.max);
	printf("| rule | models | noise | true ratio | points | false winners | equivalent "
	       "(A/A) | false equivalent | detected | wrong way | inconclusive | mean rounds "
	       "| stopped early |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
	for (size_t n = 0; n < 3; n++)
		for (size_t s = 0; s < 3; s++)
			for (int b = 0; b < 2; b++) {
				c.noise = noise[n];
				c.sigma = sig[s];
				c.ratio = b ? 1.10 : 1.0;
				c.models = 2;
				c.points = pts;
				row(&c, "stop when decided");
			}
	/* the worst case for a false "equivalent": a true ratio just outside
	 * the margin */
	c.noise = VSIM_LOGNORMAL;
	c.ratio = 1 + c.margin * 1.02;
	for (size_t s = 0; s < 2; s++) {
		c.sigma = sig[s];
		row(&c, "stop when decided");
	}
	/* a grid point of five models: every pair must be decided */
	c.sigma = 0.03;
	c.models = 5;
	c.points = pts / 5 ? pts / 5 : 1;
	c.ratio = 1.0;
	row(&c, "stop when decided");
	c.ratio = 1.10;
	row(&c, "stop when decided");
	/* what the correction is for: the same looks at 0.05 each */
	c.models = 2;
	c.points = pts;
	c.alpha = VERDICT_ALPHA;
	for (size_t s = 1; s < 3; s++) {
		c.sigma = sig[s];
		c.ratio = 1.0;
		row(&c, "uncorrected looks (0.05 each)");
		c.ratio = 1 + c.margin * 1.02;
		row(&c, "uncorrected looks (0.05 each)");
	}
	c.alpha = 0;
	c.fixed = true;
	c.ratio = 1.0;
	c.sigma = 0.03;
	row(&c, "no stopping, MAX rounds");
	c.sigma = 0.10;
	row(&c, "no stopping, MAX rounds");
	return 0;
}
