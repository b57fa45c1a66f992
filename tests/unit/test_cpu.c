/* test_cpu.c - the cpu kernel and the workloads (workloads/cpu.c, io.c,
 * mixed.c, registry.c): the kernel is exactly x = mix64(x + i) for i in
 * 0..iters-1 from x = seed, checked against a re-implementation and fixed
 * values; each workload's finish(); the order-independent checksum fold;
 * workload_find; and, as the only timing check, that calibration lands
 * within a factor of 3 of its target. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "unit.h"

#include <stdio.h>
#include <string.h>

#include "harness/cli.h"
#include "workloads/workload.h"

/* splitmix64's finaliser, written out again here */
static uint64_t ref_mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static uint64_t ref_kernel(uint64_t seed, uint64_t iters)
{
	uint64_t x = seed;

	for (uint64_t i = 0; i < iters; i++)
		x = ref_mix64(x + i);
	return x;
}

static void test_mix64_reference(void **state)
{
	(void)state;
	/* splitmix64's first output from state 0 */
	assert_int_equal(ref_mix64(0), 0xe220a8397b1dcdafull);
	assert_int_equal(mix64(0), 0xe220a8397b1dcdafull);
	for (uint64_t x = 1; x < 1000000; x = x * 3 + 1)
		assert_int_equal(mix64(x), ref_mix64(x));
	assert_int_equal(mix64(UINT64_MAX), ref_mix64(UINT64_MAX));
}

static void test_kernel_deterministic(void **state)
{
	uint64_t a, b;

	(void)state;
	a = cpu_kernel(12345, 10000);
	b = cpu_kernel(12345, 10000);
	assert_int_equal(a, b);
	assert_int_equal(cpu_kernel(12345, 10000), a);
	/* another seed, another value */
	assert_int_not_equal(cpu_kernel(12346, 10000), a);
	assert_int_not_equal(cpu_kernel(0, 10000), cpu_kernel(1, 10000));
	/* another length, another value */
	assert_int_not_equal(cpu_kernel(12345, 10001), a);
	assert_int_not_equal(cpu_kernel(12345, 9999), a);
}

static void test_kernel_zero_iters(void **state)
{
	(void)state;
	assert_int_equal(cpu_kernel(0, 0), 0);
	assert_int_equal(cpu_kernel(42, 0), 42);
	assert_int_equal(cpu_kernel(UINT64_MAX, 0), UINT64_MAX);
	assert_int_equal(cpu_kernel(0xdeadbeefcafef00dull, 0), 0xdeadbeefcafef00dull);
}

/* The kernel is exactly the chain x = mix64(x + i). */
static void test_kernel_known_values(void **state)
{
	static const uint64_t seeds[] = { 0, 1, 42, 0xdeadbeefcafef00dull, UINT64_MAX };
	static const uint64_t iters[] = { 1, 2, 3, 10, 1000, 50000 };

	(void)state;
	/* by hand: one round from 0 is mix64(0); two rounds mix64(mix64(0) + 1) */
	assert_int_equal(cpu_kernel(0, 1), 0xe220a8397b1dcdafull);
	assert_int_equal(cpu_kernel(0, 2), ref_mix64(0xe220a8397b1dcdafull + 1));
	assert_int_equal(cpu_kernel(7, 3), ref_mix64(ref_mix64(ref_mix64(7) + 1) + 2));
	for (size_t s = 0; s < sizeof(seeds) / sizeof(seeds[0]); s++)
		for (size_t k = 0; k < sizeof(iters) / sizeof(iters[0]); k++) {
			uint64_t got = cpu_kernel(seeds[s], iters[k]);
			uint64_t want = ref_kernel(seeds[s], iters[k]);

			if (got != want)
				fail_msg("cpu_kernel(%#llx, %llu) = %#llx, want %#llx",
					 (unsigned long long)seeds[s], (unsigned long long)iters[k],
					 (unsigned long long)got, (unsigned long long)want);
		}
	/* the chain continues: n rounds then m more from round n */
	{
		uint64_t x = cpu_kernel(99, 100);

		for (uint64_t i = 100; i < 150; i++)
			x = ref_mix64(x + i);
		assert_int_equal(cpu_kernel(99, 150), x);
	}
}

static void make_cfg(struct run_cfg *cfg, uint64_t iters)
{
	cli_run_defaults(cfg);
	cfg->cpu_iters = iters;
}

/* The cpu workload's result for task id, through its state machine and
 * the blocking driver. */
static uint64_t cpu_task(const struct run_cfg *cfg, uint64_t id)
{
	struct wl_slot slot = { 0 };
	uint64_t r;

	assert_int_equal(wl_slot_init(&slot, cfg), 0);
	assert_int_equal(wl_begin(&slot, id), WL_RUN);
	slot.sync(&slot);
	assert_int_equal(slot.err, TASK_OK);
	r = slot.result;
	wl_run_task(&slot, id); /* the driver gives the same */
	assert_int_equal(slot.result, r);
	wl_slot_fini(&slot);
	return r;
}

static void test_finish_cpu(void **state)
{
	struct run_cfg cfg;

	(void)state;
	make_cfg(&cfg, 1000);
	cfg.workload = workload_find("cpu");
	for (uint64_t id = 0; id < 20; id++) {
		uint64_t got = cpu_task(&cfg, id);

		assert_int_equal(got, cpu_kernel(mix64(id), cfg.cpu_iters));
		assert_int_equal(got, ref_kernel(ref_mix64(id), 1000));
	}
	/* ids give different results */
	assert_int_not_equal(cpu_task(&cfg, 1), cpu_task(&cfg, 2));
	/* and so do iteration counts */
	make_cfg(&cfg, 1001);
	cfg.workload = workload_find("cpu");
	assert_int_equal(cpu_task(&cfg, 3), ref_kernel(ref_mix64(3), 1001));
	assert_false(workload_find("cpu")->does_io);
	assert_true(workload_find("cpu")->does_cpu);
	assert_true(workload_find("mixed")->does_io && workload_find("mixed")->does_cpu);
	assert_true(workload_find("io")->does_io && !workload_find("io")->does_cpu);
}

/* Folding the same (id, result) pairs in any order gives the same sum. */
static void test_checksum_fold_order(void **state)
{
	enum { N = 257 };
	uint64_t ids[N], res[N], fwd = 0, rev = 0, shuf = 0, other = 0;
	uint64_t s = 0x2545f4914f6cdd1dull;

	(void)state;
	for (int i = 0; i < N; i++) {
		ids[i] = (uint64_t)i;
		res[i] = ref_mix64((uint64_t)i * 31 + 7);
	}
	for (int i = 0; i < N; i++)
		fwd = checksum_fold(fwd, ids[i], res[i]);
	for (int i = N - 1; i >= 0; i--)
		rev = checksum_fold(rev, ids[i], res[i]);
	/* a seeded Fisher-Yates shuffle of the pairs */
	for (int i = N - 1; i > 0; i--) {
		int j;
		uint64_t t;

		s ^= s >> 12;
		s ^= s << 25;
		s ^= s >> 27;
		j = (int)((s * 0x2545f4914f6cdd1dull) % (uint64_t)(i + 1));
		t = ids[i], ids[i] = ids[j], ids[j] = t;
		t = res[i], res[i] = res[j], res[j] = t;
	}
	for (int i = 0; i < N; i++)
		shuf = checksum_fold(shuf, ids[i], res[i]);
	assert_int_equal(fwd, rev);
	assert_int_equal(fwd, shuf);
	assert_int_not_equal(fwd, 0);

	/* the pairing matters: swapping two results between ids changes it */
	for (int i = 0; i < N; i++)
		other = checksum_fold(other, (uint64_t)i, ref_mix64((uint64_t)(i ^ 1) * 31 + 7));
	assert_int_not_equal(other, fwd);
	/* and a missing task changes it */
	assert_int_not_equal(checksum_fold(0, 1, 2), checksum_fold(checksum_fold(0, 1, 2), 3, 4));
}

static void test_workload_find(void **state)
{
	static const char *const bad[] = {
		"", "IO", "Cpu", "mix", "mixed ", "io\n", "disk", "cpu2"
	};

	(void)state;
	assert_ptr_equal(workload_find("io"), workload_find("io"));
	assert_ptr_equal(workload_find("cpu"), workload_find("cpu"));
	assert_ptr_equal(workload_find("mixed"), workload_find("mixed"));
	assert_string_equal(workload_find("io")->name, "io");
	assert_string_equal(workload_find("cpu")->name, "cpu");
	assert_string_equal(workload_find("mixed")->name, "mixed");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (workload_find(bad[i]) != NULL)
			fail_msg("workload_find(\"%s\") found something", bad[i]);
	assert_ptr_equal(workload_find("blocking"), workload_find("blocking"));
	assert_ptr_equal(workload_find("sqlite"), workload_find("sqlite"));
	/* the table is NULL-terminated and holds these, and may hold more */
	{
		size_t n = 0;

		while (workload_table[n])
			n++;
		assert_true(n >= 5);
	}
	/* io, cpu and mixed by their parts; blocking-only ones are never picked */
	assert_ptr_equal(workload_by_parts(true, false), workload_find("io"));
	assert_ptr_equal(workload_by_parts(true, true), workload_find("mixed"));
	assert_ptr_equal(workload_by_parts(false, true), workload_find("cpu"));
}

/* Order of magnitude only: calibrating for 1000 us gives a count that
 * measures within a factor of 3 of 1000 us. */
static void test_calibrate(void **state)
{
	uint64_t iters;
	double us;

	(void)state;
	iters = cpu_calibrate(1000);
	assert_true(iters > 0);
	us = cpu_measure_us(iters);
	if (us < 1000.0 / 3 || us > 1000.0 * 3)
		fail_msg("cpu_calibrate(1000) = %llu iterations, measured at %.1f us",
			 (unsigned long long)iters, us);
	assert_true(cpu_measure_us(0) == 0.0);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mix64_reference),
		cmocka_unit_test(test_kernel_deterministic),
		cmocka_unit_test(test_kernel_zero_iters),
		cmocka_unit_test(test_kernel_known_values),
		cmocka_unit_test(test_finish_cpu),
		cmocka_unit_test(test_checksum_fold_order),
		cmocka_unit_test(test_workload_find),
		cmocka_unit_test(test_calibrate),
	};

	return unit_run(argc, argv, tests, NULL, NULL);
}
