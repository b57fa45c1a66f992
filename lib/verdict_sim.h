/* verdict_sim.h - the stopping rule of a sweep, simulated: grid points of
 * k models whose runs are drawn from a known distribution, run in rounds
 * MIN..MAX and stopped by the same verdict_point_decided() the sweep
 * uses (lib/verdict.h), then judged pair by pair as the tables judge them.
 * Known truth makes the false rates countable: on A/A (every model the
 * same) any winner is false; where the models differ by 10% any
 * "equivalent" within 5% is false. `cmbench __verdict-sim` prints a table
 * of them (tools/measure/stopsim.sh); tests/unit/test_stopping.c runs a
 * small one. No I/O, no global state; deterministic for a seed. */
#ifndef CMB_VERDICT_SIM_H
#define CMB_VERDICT_SIM_H

#include <stdbool.h>
#include <stdint.h>

enum vsim_noise {
	VSIM_LOGNORMAL, /* log of a run = log(mu) + N(0, sigma^2) */
	VSIM_T3,	/* ... + sigma * Student t with 3 degrees of freedom (heavy tails) */
	VSIM_OUTLIERS,	/* lognormal, and one run in ten slowed by |N(0, (5 sigma)^2)| on
			   the log scale (a run hit by interference is slower) */
};

struct vsim_cfg {
	unsigned min, max;     /* reps: MIN..MAX */
	double sigma;	       /* the spread of the logs (about the CV: 0.03 is 3%) */
	enum vsim_noise noise; /* its shape */
	double ratio;	       /* the true ratio of model 1 (and every later one) to
				  model 0: 1 is A/A, 1.1 a 10% difference */
	int models;	       /* models per point, 2 or more */
	double margin;	       /* the equivalence margin, a fraction (0.05) */
	double alpha;	       /* the level of each look; 0: verdict_look_alpha(min, max) */
	bool all_pairs;	       /* the rule waits for every pair (else the best's) */
	bool fixed;	       /* no stopping rule: every point runs MAX rounds */
	unsigned points;       /* grid points simulated */
	uint64_t seed;
};

struct vsim_out {
	unsigned points;	/* points simulated */
	unsigned null_pairs;	/* pairs of two equal models ... */
	unsigned false_winners; /* ... judged a winner (false) */
	unsigned null_equiv;	/* ... judged equivalent (right) */
	unsigned diff_pairs;	/* pairs that differ by ratio ... */
	unsigned false_equiv;	/* ... judged equivalent (false when the ratio is
				   outside the margin) */
	unsigned detected;	/* ... the faster one judged the winner */
	unsigned wrong_way;	/* ... the slower one judged the winner (false) */
	unsigned inconclusive;	/* pairs of either kind left inconclusive */
	unsigned stopped;	/* points that stopped before MAX */
	unsigned any_false;	/* points with at least one false verdict */
	double mean_rounds;	/* the rounds a point ran, on average */
};

/* Simulate cfg into *out. 0, or -EINVAL for a bad cfg (models < 2, min
 * < 2, max < min or past 64, sigma <= 0, ratio <= 0), -ENOMEM. */
int vsim_run(const struct vsim_cfg *cfg, struct vsim_out *out);

/* cmbench __verdict-sim [--points N] [--seed S] [--reps MIN..MAX]
 * [--margin M%]: the table of false rates on stdout. 0, or 2 on bad
 * input (one line on stderr). */
int vsim_main(int argc, char **argv);

#endif
