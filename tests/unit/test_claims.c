/* test_claims.c - the claims' verdicts (claims/claims.h):
 * - the rule: a range holds at both ends and not a hair outside; a single
 *   figure holds within CLAIM_TOL on each side and not beyond; a zero
 *   leaves no room; a figure not measured is no verdict;
 * - every claim of the table, with the article's own numbers: a figure on
 *   each side of each threshold, for each subject ("holds only for" exactly
 *   when that subject's figure passes), and the list below names every
 *   claim of the table, so a new claim comes with its test;
 * - the GIL claim's control: no verdict when C threads got no second core;
 * - runs files: the shipped claims/runs.txt binds every role every claim
 *   reads to a run it lists; bad lines are refused; figures by role. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "unit.h"

#include "claims/claims.h"
#include "claims/figures.h"

static void test_range(void **state)
{
	(void)state;
	assert_int_equal(claim_judge_range(100, 100, 500), CLAIM_HOLDS);
	assert_int_equal(claim_judge_range(500, 100, 500), CLAIM_HOLDS);
	assert_int_equal(claim_judge_range(250, 100, 500), CLAIM_HOLDS);
	assert_int_equal(claim_judge_range(99.9, 100, 500), CLAIM_FAILS);
	assert_int_equal(claim_judge_range(500.1, 100, 500), CLAIM_FAILS);
	assert_int_equal(claim_judge_range(87.1, 100, 500), CLAIM_FAILS); /* issue 15's spawn */
	assert_int_equal(claim_judge_range(NAN, 100, 500), CLAIM_UNMEASURED);
}

static void test_point(void **state)
{
	(void)state;
	assert_int_equal(claim_judge_point(200, 200, CLAIM_TOL), CLAIM_HOLDS);
	assert_int_equal(claim_judge_point(200 * (1 + CLAIM_TOL) - 0.01, 200, CLAIM_TOL),
			 CLAIM_HOLDS);
	assert_int_equal(claim_judge_point(200 * (1 - CLAIM_TOL) + 0.01, 200, CLAIM_TOL),
			 CLAIM_HOLDS);
	assert_int_equal(claim_judge_point(200 * (1 + CLAIM_TOL) + 0.01, 200, CLAIM_TOL),
			 CLAIM_FAILS);
	assert_int_equal(claim_judge_point(200 * (1 - CLAIM_TOL) - 0.01, 200, CLAIM_TOL),
			 CLAIM_FAILS);
	assert_int_equal(claim_judge_point(0, 0, CLAIM_TOL), CLAIM_HOLDS);
	assert_int_equal(claim_judge_point(0.01, 0, CLAIM_TOL), CLAIM_FAILS);
	assert_int_equal(claim_judge_point(INFINITY, 200, CLAIM_TOL), CLAIM_UNMEASURED);
}

/* Each claim's threshold in the article's numbers: its figure just
 * outside below, inside, and just outside above (NAN: no figure below). */
struct side {
	const char *id;
	double below, inside, above;
};

static const struct side sides[] = {
	{ "sequential-500s", 374, 511, 626 },
	{ "asyncio-5s", 3.74, 5.38, 6.26 },
	{ "idle-cpu", 0.074, 0.1, 0.126 },	      /* % busy */
	{ "thread-stack", 6143, 8192, 10241 },	      /* KiB */
	{ "thousand-threads", 6.2e6, 8.4e6, 10.5e6 }, /* KiB */
	{ "coroutine", 149, 231, 251 },		      /* bytes */
	{ "process-memory", 30719, 65536, 102401 },   /* KiB: 30 and 100 MiB */
	{ "process-spawn", 87.1, 100, 500.1 },	      /* ms */
	{ "uvloop", 1.86, 2.0, 4.01 },		      /* × */
	{ "gil", 0.74, 0.93, 1.26 },		      /* × */
	{ "context-switches", -0.001, 0, 0.001 },     /* per request */
	/* issue 20 */
	{ "asyncpg-3-5x", 2.99, 4, 5.01 },     /* × */
	{ "sqlite-threads", 1.49, 1.9, 2.51 }, /* × */
	{ "requests-stall", 0.74, 1.1, 1.26 }, /* in flight */
	{ "clients-5s", 3.74, 5.38, 6.26 },    /* s */
};

static const struct claim *claim_by_id(const char *id)
{
	for (int i = 0; claims_table[i].id; i++)
		if (strcmp(claims_table[i].id, id) == 0)
			return &claims_table[i];
	return NULL;
}

static int subjects(const struct claim *c)
{
	int n = 0;

	while (n < CLAIM_SUBJECTS && c->subjects[n].who)
		n++;
	return n;
}

/* Figures with every subject at x, and what a control needs to be usable. */
static void figures(const struct claim *c, double *v, double x)
{
	for (int k = 0; k < CLAIM_FIGS; k++)
		v[k] = 1;
	if (strcmp(c->id, "gil") == 0) {
		v[GIL_C_THREADS_X] = 1.9; /* C threads: two cores */
		v[GIL_CORES] = 2;
	}
	if (strcmp(c->id, "sqlite-threads") == 0) {
		v[SQLT_C_X] = 1.9; /* C threads: two cores */
		v[SQLT_CORES] = 2;
	}
	for (int i = 0; i < subjects(c); i++)
		v[c->subjects[i].fig] = x;
}

static enum claim_verdict conclude(const struct claim *c, const double *v, char *why)
{
	return claim_conclude(c, v, why, 512);
}

static void test_every_claim(void **state)
{
	char why[512];
	double v[CLAIM_FIGS];

	(void)state;
	for (int i = 0; claims_table[i].id; i++) { /* every claim has its sides */
		bool listed = false;

		for (size_t k = 0; k < sizeof(sides) / sizeof(sides[0]); k++)
			listed |= strcmp(sides[k].id, claims_table[i].id) == 0;
		if (!listed)
			fail_msg("claim %s has no line in this test's sides[]", claims_table[i].id);
	}
	for (size_t k = 0; k < sizeof(sides) / sizeof(sides[0]); k++) {
		const struct side *sd = &sides[k];
		const struct claim *c = claim_by_id(sd->id);
		int n;

		assert_non_null(c);
		n = subjects(c);
		assert_true(n >= 1);
		figures(c, v, sd->inside);
		assert_int_equal(conclude(c, v, why), CLAIM_HOLDS);
		assert_non_null(strstr(why, "holds: "));
		assert_non_null(strstr(why, c->article));
		figures(c, v, sd->below);
		assert_int_equal(conclude(c, v, why), CLAIM_FAILS);
		assert_non_null(strstr(why, "doesn't hold here"));
		figures(c, v, sd->above);
		assert_int_equal(conclude(c, v, why), CLAIM_FAILS);
		for (int s = 0; n > 1 && s < n; s++) { /* only this subject inside */
			figures(c, v, sd->above);
			v[c->subjects[s].fig] = sd->inside;
			assert_int_equal(conclude(c, v, why), CLAIM_PARTLY);
			assert_non_null(strstr(why, "holds only for "));
			assert_non_null(strstr(why, c->subjects[s].who));
		}
		figures(c, v, NAN);
		assert_int_equal(conclude(c, v, why), CLAIM_UNMEASURED);
		assert_non_null(strstr(why, "not measured"));
	}
}

/* The case: 87.1 ms with spawn is not in 100–500 ms, and only a
 * subject whose own figure is in the range is named by "holds only for". */
static void test_spawn_words(void **state)
{
	const struct claim *c = claim_by_id("process-spawn");
	double v[CLAIM_FIGS];
	char why[512];

	(void)state;
	figures(c, v, 7.4);
	v[PSPAWN_SPAWN_MIN_MS] = 87.1;
	assert_int_equal(conclude(c, v, why), CLAIM_FAILS);
	v[PSPAWN_SPAWN_MIN_MS] = 120;
	assert_int_equal(conclude(c, v, why), CLAIM_PARTLY);
	assert_non_null(strstr(why, "holds only for CPython with spawn"));
}

static void test_gil_control(void **state)
{
	const struct claim *c = claim_by_id("gil");
	double v[CLAIM_FIGS];
	char why[512];

	(void)state;
	figures(c, v, 0.93);
	v[GIL_C_THREADS_X] = 1.26; /* C threads just past the claim's own 1× ± 25%: two cores */
	assert_int_equal(conclude(c, v, why), CLAIM_HOLDS);
	v[GIL_C_THREADS_X] = 1.1; /* C threads did not get a second core either */
	assert_int_equal(conclude(c, v, why), CLAIM_UNMEASURED);
	assert_non_null(strstr(why, "control"));
	v[GIL_C_THREADS_X] = 1.9;
	v[GIL_CORES] = 1; /* one core */
	assert_int_equal(conclude(c, v, why), CLAIM_UNMEASURED);
}

/* issue 20: sqlite3 threads are judged only when C threads got two cores */
static void test_sqlite_threads_control(void **state)
{
	const struct claim *c = claim_by_id("sqlite-threads");
	double v[CLAIM_FIGS];
	char why[512];

	(void)state;
	figures(c, v, 1.9);
	assert_int_equal(conclude(c, v, why), CLAIM_HOLDS);
	v[SQLT_C_X] = 1.1; /* the control got no second core */
	assert_int_equal(conclude(c, v, why), CLAIM_UNMEASURED);
	assert_non_null(strstr(why, "control"));
	v[SQLT_C_X] = 1.9;
	v[SQLT_CORES] = 1; /* one core */
	assert_int_equal(conclude(c, v, why), CLAIM_UNMEASURED);
}

/* --- runs files ------------------------------------------------------------------ */

static bool listed(const struct claims_set *s, const char *name)
{
	size_t n = strlen(name);

	for (size_t i = 0; i < s->n; i++)
		if (strncmp(s->runs[i].name, name, n) == 0 &&
		    (s->runs[i].name[n] == '\0' || s->runs[i].name[n] == '.'))
			return true;
	return false;
}

static void test_shipped_runs(void **state)
{
	struct claims_set s;
	int bad = -1;

	(void)state;
	assert_int_equal(claims_read_runs("claims/runs.txt", &s, &bad), 0);
	assert_int_equal(bad, 0);
	for (int i = 0; claims_table[i].id; i++) {
		const struct claim *c = &claims_table[i];
		char roles[512], *save = NULL;

		snprintf(roles, sizeof(roles), "%s", c->roles);
		for (char *r = strtok_r(roles, " ", &save); r; r = strtok_r(NULL, " ", &save)) {
			const char *run = claims_run_for(&s, c, r);

			if (!run || !listed(&s, run))
				fail_msg("claims/runs.txt: claim %s role %s: %s", c->id, r,
					 run ? "its run is not listed" : "bound to no run");
		}
	}
	claims_set_free(&s);
}

/* Write text to a temporary file; its path into path. */
static void temp_runs(const char *text, char *path)
{
	FILE *f;

	strcpy(path, "/tmp/test_claims.XXXXXX");
	close(mkstemp(path));
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_bad_runs(void **state)
{
	static const char *bad[] = {
		"ok --model x\nbad/name --model x\n",
		"claim no-such-claim py=x\n",
		"p --probe ../evil.py\n",
		"p --probe /bin/sh.py\n",
		"claim coroutine py.objects\n",
		"claim coroutine py.objects=a/b\n",
		"p --probe\n",
		"claim coroutine no.such.role=x\n",
	};
	struct claims_set s;
	char path[64];
	int line;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		temp_runs(bad[i], path);
		assert_int_equal(claims_read_runs(path, &s, &line), -EINVAL);
		assert_true(line >= 1);
		claims_set_free(&s);
		unlink(path);
	}
}

static void test_figures_by_role(void **state)
{
	const struct claim *c = claim_by_id("coroutine");
	struct claims_set s;
	char path[64];
	int line;

	(void)state;
	temp_runs("# a probe, three repetitions, one failed\n"
		  "objs.1 --probe probe_x.py n=1\nobjs.2 --probe probe_x.py n=1\n"
		  "objs.3 --probe probe_x.py n=1\n"
		  "claim coroutine py.objects=objs\n",
		  path);
	assert_int_equal(claims_read_runs(path, &s, &line), 0);
	unlink(path);
	assert_int_equal(s.n, 3);
	assert_true(s.runs[0].probe);
	for (size_t i = 0; i < 3; i++) {
		s.runs[i].ok = i < 2;
		s.runs[i].nvals = 1;
		snprintf(s.runs[i].keys[0], sizeof(s.runs[i].keys[0]), "coro_tracemalloc_b");
		s.runs[i].vals[0] = i == 0 ? 200 : i == 1 ? 300 : 1e9;
	}
	assert_string_equal(claims_run_for(&s, c, "py.objects"), "objs");
	assert_null(claims_run_for(&s, c, "py.never")); /* not a role the claim reads */
	assert_true(fabs(claims_fig(&s, c, "py.objects", "coro_tracemalloc_b") - 250) < 1e-9);
	assert_true(claims_best(&s, c, "py.objects", "coro_tracemalloc_b", false) == 200);
	assert_true(claims_best(&s, c, "py.objects", "coro_tracemalloc_b", true) == 300);
	assert_true(isnan(claims_fig(&s, c, "py.objects", "no_such_figure")));
	assert_true(isnan(claims_fig(&s, c, "py.many", "pss_peak_kib"))); /* unbound */
	claims_set_free(&s);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_range),
		cmocka_unit_test(test_point),
		cmocka_unit_test(test_every_claim),
		cmocka_unit_test(test_spawn_words),
		cmocka_unit_test(test_gil_control),
		cmocka_unit_test(test_sqlite_threads_control),
		cmocka_unit_test(test_shipped_runs),
		cmocka_unit_test(test_bad_runs),
		cmocka_unit_test(test_figures_by_role),
	};

	return unit_run(argc, argv, tests, NULL, NULL);
}
