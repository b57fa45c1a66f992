/* test_hist.c - the log-linear latency histogram (lib/hist.c): empty
 * and single-value histograms, exact small values, quantiles against the
 * exact nearest-rank percentile of several seeded distributions (relative
 * error at most 1%), exact min and max, merging, the bucket layout, and
 * values past the last bucket. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "unit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/hist.h"
#include "lib/stats.h"

#define NSAMPLES 100000

/* xorshift64* - the tests' own PRNG, seeded, so every run sees the same data */
struct rng {
	uint64_t s;
};

static uint64_t rng_next(struct rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545f4914f6cdd1dull;
}

/* uniform in [0, 1) */
static double rng_unit(struct rng *r)
{
	return (double)(rng_next(r) >> 11) / 9007199254740992.0;
}

/* uniform in [lo, hi] */
static uint64_t rng_range(struct rng *r, uint64_t lo, uint64_t hi)
{
	return lo + rng_next(r) % (hi - lo + 1);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* Exact nearest-rank percentile of sorted v[0..n): rank ceil(pm/1000 * n),
 * 1-based, with q given in per-mille so the rank is computed exactly. */
static uint64_t exact_rank(const uint64_t *sorted, size_t n, unsigned pm)
{
	uint64_t rank = ((uint64_t)pm * n + 999) / 1000;

	if (rank == 0)
		rank = 1;
	return sorted[rank - 1];
}

/* |got - want| <= 1% of want, plus 1 ns for tiny values */
static void assert_close(uint64_t got, uint64_t want, const char *what, unsigned pm)
{
	double diff = fabs((double)got - (double)want);

	if (diff > 0.01 * (double)want + 1.0)
		fail_msg("%s: q=%u/1000: got %llu, exact %llu (%.3f%% off)", what, pm,
			 (unsigned long long)got, (unsigned long long)want,
			 want ? 100.0 * diff / (double)want : 100.0);
}

static struct hist *hist_new(void)
{
	struct hist *h = malloc(sizeof(*h));

	assert_non_null(h);
	hist_init(h);
	return h;
}

static void test_empty(void **state)
{
	struct hist *h = hist_new();

	(void)state;
	assert_int_equal(h->count, 0);
	assert_int_equal(h->min, 0);
	assert_int_equal(h->max, 0);
	assert_int_equal(hist_quantile(h, 0.0), 0);
	assert_int_equal(hist_quantile(h, 0.5), 0);
	assert_int_equal(hist_quantile(h, 0.99), 0);
	assert_int_equal(hist_quantile(h, 1.0), 0);
	for (unsigned i = 0; i < HIST_BUCKETS; i++)
		assert_int_equal(h->counts[i], 0);
	free(h);
}

/* One value: every quantile is that value, exactly (the min/max clamp). */
static void test_single_value(void **state)
{
	static const uint64_t vals[] = { 0, 1, 127, 128, 129, 1234567, 999999999, 1ull << 39 };
	static const double qs[] = { 0.0, 0.001, 0.5, 0.9, 0.99, 0.999, 1.0 };

	(void)state;
	for (size_t k = 0; k < sizeof(vals) / sizeof(vals[0]); k++) {
		struct hist *h = hist_new();

		hist_record(h, vals[k]);
		assert_int_equal(h->count, 1);
		assert_int_equal(h->min, vals[k]);
		assert_int_equal(h->max, vals[k]);
		for (size_t j = 0; j < sizeof(qs) / sizeof(qs[0]); j++)
			assert_int_equal(hist_quantile(h, qs[j]), vals[k]);
		free(h);
	}
}

/* Below 128 every value has its own bucket, so quantiles are exact. */
static void test_small_values_exact(void **state)
{
	struct hist *h = hist_new();

	(void)state;
	for (uint64_t v = 0; v < 128; v++) {
		assert_int_equal(hist_index(v), v);
		hist_record(h, v);
	}
	assert_int_equal(h->count, 128);
	assert_int_equal(h->min, 0);
	assert_int_equal(h->max, 127);
	/* q = k/128 is exact in binary: rank k, the k-th smallest is k-1 */
	for (unsigned k = 1; k <= 128; k++)
		assert_int_equal(hist_quantile(h, (double)k / 128.0), k - 1);
	for (uint64_t v = 0; v < 128; v++)
		assert_int_equal(h->counts[v], 1);
	free(h);

	/* a mix of small values with repeats */
	h = hist_new();
	for (int i = 0; i < 90; i++)
		hist_record(h, 17);
	for (int i = 0; i < 9; i++)
		hist_record(h, 42);
	hist_record(h, 99);
	assert_int_equal(hist_quantile(h, 0.5), 17);
	assert_int_equal(hist_quantile(h, 0.9), 17);
	assert_int_equal(hist_quantile(h, 0.91), 42);
	assert_int_equal(hist_quantile(h, 0.99), 42);
	assert_int_equal(hist_quantile(h, 0.999), 99);
	assert_int_equal(hist_quantile(h, 1.0), 99);
	free(h);
}

enum dist { D_UNIFORM, D_LOGUNIFORM, D_BIMODAL, D_CONSTANT, D_NDIST };

static const char *const dist_name[D_NDIST] = { "uniform 1..1e6", "log-uniform 100ns..10s",
						"bimodal 50us/20ms", "constant 123456" };

static uint64_t draw(struct rng *r, enum dist d)
{
	switch (d) {
	case D_UNIFORM:
		return rng_range(r, 1, 1000000);
	case D_LOGUNIFORM:
		return (uint64_t)exp(log(100.0) + rng_unit(r) * (log(1e10) - log(100.0)));
	case D_BIMODAL:
		/* 90% near 50 us, 10% near 20 ms, each +-10% */
		if (rng_next(r) % 10 != 0)
			return rng_range(r, 45000, 55000);
		return rng_range(r, 18000000, 22000000);
	case D_CONSTANT:
	default:
		return 123456;
	}
}

static void check_dist(enum dist d, uint64_t seed)
{
	static const unsigned pms[] = { 500, 900, 990, 999, 1000 };
	struct rng r = { seed };
	uint64_t *v = malloc(NSAMPLES * sizeof(*v));
	struct hist *h = hist_new();
	uint64_t prev = 0;

	assert_non_null(v);
	for (size_t i = 0; i < NSAMPLES; i++) {
		v[i] = draw(&r, d);
		hist_record(h, v[i]);
	}
	qsort(v, NSAMPLES, sizeof(*v), cmp_u64);
	assert_int_equal(h->count, NSAMPLES);
	assert_int_equal(h->min, v[0]);
	assert_int_equal(h->max, v[NSAMPLES - 1]);
	assert_int_equal(hist_quantile(h, 0.0), v[0]);
	assert_int_equal(hist_quantile(h, 1.0), v[NSAMPLES - 1]);
	for (size_t k = 0; k < sizeof(pms) / sizeof(pms[0]); k++) {
		uint64_t got = hist_quantile(h, pms[k] / 1000.0);

		assert_close(got, exact_rank(v, NSAMPLES, pms[k]), dist_name[d], pms[k]);
		assert_true(got >= prev); /* quantiles never go down */
		assert_true(got >= h->min && got <= h->max);
		prev = got;
	}
	free(h);
	free(v);
}

static void test_quantiles_uniform(void **state)
{
	(void)state;
	check_dist(D_UNIFORM, 0x9e3779b97f4a7c15ull);
	check_dist(D_UNIFORM, 12345);
}

static void test_quantiles_loguniform(void **state)
{
	(void)state;
	check_dist(D_LOGUNIFORM, 0xdeadbeefcafef00dull);
	check_dist(D_LOGUNIFORM, 777);
}

static void test_quantiles_bimodal(void **state)
{
	(void)state;
	check_dist(D_BIMODAL, 0x0123456789abcdefull);
	check_dist(D_BIMODAL, 31337);
}

static void test_quantiles_constant(void **state)
{
	struct hist *h;

	(void)state;
	check_dist(D_CONSTANT, 1);
	/* a constant sample is reported exactly, whatever its bucket's width */
	h = hist_new();
	for (int i = 0; i < 1000; i++)
		hist_record(h, 123456);
	assert_int_equal(hist_quantile(h, 0.5), 123456);
	assert_int_equal(hist_quantile(h, 0.999), 123456);
	free(h);
}

static void assert_hist_equal(const struct hist *a, const struct hist *b)
{
	static const double qs[] = { 0.0, 0.5, 0.9, 0.99, 0.999, 1.0 };

	assert_int_equal(a->count, b->count);
	assert_int_equal(a->min, b->min);
	assert_int_equal(a->max, b->max);
	for (unsigned i = 0; i < HIST_BUCKETS; i++)
		if (a->counts[i] != b->counts[i])
			fail_msg("bucket %u: %u vs %u", i, a->counts[i], b->counts[i]);
	for (size_t k = 0; k < sizeof(qs) / sizeof(qs[0]); k++)
		assert_int_equal(hist_quantile(a, qs[k]), hist_quantile(b, qs[k]));
}

/* Merging two halves gives exactly the histogram of all the samples. */
static void test_merge(void **state)
{
	struct hist *a = hist_new(), *b = hist_new(), *all = hist_new(), *e = hist_new();
	struct rng r = { 0x5eed };

	(void)state;
	for (size_t i = 0; i < NSAMPLES; i++) {
		uint64_t v = draw(&r, (enum dist)(i % 3));

		/* uneven split; b gets the smallest and largest values ever drawn */
		hist_record(i % 3 == 1 ? b : a, v);
		hist_record(all, v);
	}
	hist_record(b, 3);
	hist_record(all, 3);
	hist_record(b, 30000000000ull);
	hist_record(all, 30000000000ull);
	assert_true(a->min > 3);
	hist_merge(a, b);
	assert_hist_equal(a, all);

	/* merging into an empty histogram copies it, min included */
	hist_merge(e, all);
	assert_hist_equal(e, all);

	/* merging an empty one changes nothing */
	hist_init(b);
	hist_merge(a, b);
	assert_hist_equal(a, all);
	free(a);
	free(b);
	free(all);
	free(e);
}

/* Merging keeps min when the destination holds the smaller one. */
static void test_merge_min_max(void **state)
{
	struct hist *a = hist_new(), *b = hist_new();

	(void)state;
	hist_record(a, 10);
	hist_record(a, 5000);
	hist_record(b, 200);
	hist_record(b, 100000);
	hist_merge(a, b);
	assert_int_equal(a->count, 4);
	assert_int_equal(a->min, 10);
	assert_int_equal(a->max, 100000);
	assert_int_equal(hist_quantile(a, 0.25), 10);
	assert_int_equal(hist_quantile(a, 1.0), 100000);
	free(a);
	free(b);
}

static void check_value_in_bucket(uint64_t v)
{
	unsigned idx = hist_index(v);
	uint64_t lo, hi;

	if (idx >= HIST_BUCKETS)
		fail_msg("value %llu: index %u is past the last bucket", (unsigned long long)v,
			 idx);
	hist_bucket_range(idx, &lo, &hi);
	if (lo > v || v > hi)
		fail_msg("value %llu: bucket %u is [%llu, %llu]", (unsigned long long)v, idx,
			 (unsigned long long)lo, (unsigned long long)hi);
	if (v < 128) {
		assert_int_equal(lo, v);
		assert_int_equal(hi, v);
	} else if ((hi - lo + 1) * 64 > lo) {
		fail_msg("value %llu: bucket [%llu, %llu] is wider than 1/64 of its low end",
			 (unsigned long long)v, (unsigned long long)lo, (unsigned long long)hi);
	}
}

static void test_index_range_consistency(void **state)
{
	struct rng r = { 42 };

	(void)state;
	for (uint64_t v = 0; v < 5000; v++)
		check_value_in_bucket(v);
	/* around every power of two up to the top */
	for (unsigned b = 7; b < HIST_MAX_BITS; b++)
		for (int d = -3; d <= 3; d++)
			check_value_in_bucket(((uint64_t)1 << b) + (uint64_t)(int64_t)d);
	check_value_in_bucket(UINT64_MAX);
	/* random values at every scale */
	for (int i = 0; i < 200000; i++) {
		unsigned bits = 1 + (unsigned)(rng_next(&r) % HIST_MAX_BITS);

		check_value_in_bucket(rng_next(&r) >> (64 - bits));
	}
}

/* The buckets tile [0, 2^64) with no gap and no overlap, and each bucket's
 * own ends map back to it. */
static void test_buckets_tile(void **state)
{
	uint64_t lo, hi, prev_hi = 0;

	(void)state;
	for (unsigned i = 0; i < HIST_BUCKETS; i++) {
		hist_bucket_range(i, &lo, &hi);
		assert_true(lo <= hi);
		if (i > 0 && lo != prev_hi + 1)
			fail_msg("bucket %u starts at %llu, the one before ends at %llu", i,
				 (unsigned long long)lo, (unsigned long long)prev_hi);
		assert_int_equal(hist_index(lo), i);
		assert_int_equal(hist_index(hi), i);
		prev_hi = hi;
	}
	assert_int_equal(prev_hi, UINT64_MAX);
}

/* Every 64-bit value has its own bucket range, up to the largest: an hour
 * of latency (the most --io-latency and --timeout accept) and far beyond
 * are recorded as they are, never clamped. */
static void test_clamp_huge(void **state)
{
	static const uint64_t big[] = { 3600000000000ull, 1ull << 50, 1ull << 63, UINT64_MAX };
	struct hist *h = hist_new();
	uint64_t lo, hi;

	(void)state;
	for (size_t k = 0; k < sizeof(big) / sizeof(big[0]); k++) {
		hist_bucket_range(hist_index(big[k]), &lo, &hi);
		assert_true(lo <= big[k] && big[k] <= hi);
		assert_true((hi - lo) <= lo / 64);
		hist_record(h, big[k]);
	}
	assert_int_equal(hist_index(UINT64_MAX), HIST_BUCKETS - 1);
	assert_int_equal(h->count, sizeof(big) / sizeof(big[0]));
	assert_int_equal(h->max, UINT64_MAX);
	assert_int_equal(h->min, 3600000000000ull);
	assert_int_equal(hist_quantile(h, 1.0), UINT64_MAX);
	hist_bucket_range(hist_index(3600000000000ull), &lo, &hi);
	assert_true(hist_quantile(h, 0.25) >= lo && hist_quantile(h, 0.25) <= hi);

	/* and alongside ordinary values the rest stays right */
	hist_record(h, 1000);
	assert_int_equal(h->min, 1000);
	assert_close(hist_quantile(h, 0.1), 1000, "1000 among huge values", 100);
	assert_int_equal(hist_quantile(h, 0.0), 1000);
	free(h);
}

/* The backlog test's figures: the coarse p50 of the first and last fifth
 * of the tasks (by id), kept only after stats_fifths(N), merged, within
 * 12% of the true median. */
static void test_fifths(void **state)
{
	static struct task_stats a, b;
	uint64_t n1, n2;
	double p1, p2;

	(void)state;
	stats_init(&a);
	stats_init(&b);
	stats_task_done(&a, 0, 0, 5000000, 1, 1, 0); /* before stats_fifths: not kept */
	assert_true(stats_fifth_p50(a.first, &n1) == 0 && n1 == 0);
	stats_fifths(100);
	for (uint64_t id = 0; id < 100; id++) /* 1 ms, rising to 5 ms, over two workers */
		stats_task_done(id % 2 ? &a : &b, 0, 0, 1000000 + id * 40000, id, id, 0);
	stats_merge(&a, &b);
	p1 = stats_fifth_p50(a.first, &n1);
	p2 = stats_fifth_p50(a.last, &n2);
	assert_int_equal(n1, 20);
	assert_int_equal(n2, 20);
	if (fabs(p1 - 1400000) > 0.12 * 1400000 || fabs(p2 - 4600000) > 0.12 * 4600000)
		fail_msg("fifths' p50: %.0f and %.0f ns, want ~1.4e6 and ~4.6e6", p1, p2);
	stats_fifths(0);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_fifths),
		cmocka_unit_test(test_single_value),
		cmocka_unit_test(test_small_values_exact),
		cmocka_unit_test(test_quantiles_uniform),
		cmocka_unit_test(test_quantiles_loguniform),
		cmocka_unit_test(test_quantiles_bimodal),
		cmocka_unit_test(test_quantiles_constant),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_merge_min_max),
		cmocka_unit_test(test_index_range_consistency),
		cmocka_unit_test(test_buckets_tile),
		cmocka_unit_test(test_clamp_huge),
	};

	return unit_run(argc, argv, tests, NULL, NULL);
}
