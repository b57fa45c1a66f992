/* cpu.c - the cpu workload: a deterministic integer kernel of --cpu-iters
 * rounds per task. Each round depends on the one before, so the chain can be
 * neither vectorised nor run out of order, and the result feeds the run's
 * checksum, so the compiler cannot drop it. */
#include <stdlib.h>

#include "../lib/clock.h"
#include "../lib/util.h"
#include "workload.h"

__attribute__((noinline)) uint64_t cpu_kernel(uint64_t seed, uint64_t iters)
{
	uint64_t x = seed;

	for (uint64_t i = 0; i < iters; i++)
		x = mix64(x + i);
	return x;
}

static void cpu_compute(struct wl_slot *s)
{
	s->result = cpu_kernel(mix64(s->id), s->cfg->cpu_iters);
	s->err = TASK_OK;
}

static enum wl_status cpu_start(struct wl_slot *s)
{
	s->sync = cpu_compute;
	return WL_RUN;
}

const struct workload_ops workload_cpu = {
	.name = "cpu",
	.summary = "a deterministic integer hash chain of --cpu-iters rounds per task",
	.label = "cpu",
	.family = WL_FAMILY_PLAIN,
	.does_cpu = true,
	.start = cpu_start,
};

static volatile uint64_t cpu_sink; /* keeps calibration runs alive */

static double time_kernel_us(uint64_t iters)
{
	uint64_t t = clock_now_ns();

	cpu_sink += cpu_kernel(t, iters);
	return (double)(clock_now_ns() - t) / 1e3;
}

uint64_t cpu_calibrate(uint64_t us)
{
	uint64_t probe = 1 << 16;
	double best = 1e300, t;

	/* grow the probe until one call takes at least 2 ms, then take the
	 * fastest of five: the least disturbed one */
	while (time_kernel_us(probe) < 2000.0 && probe < (1ull << 40))
		probe *= 2;
	for (int i = 0; i < 5; i++) {
		t = time_kernel_us(probe);
		if (t < best)
			best = t;
	}
	if (best <= 0)
		best = 1;
	t = (double)probe * (double)us / best;
	return t < 1.0 ? 1 : (uint64_t)(t + 0.5);
}

double cpu_measure_us(uint64_t iters)
{
	double best = 1e300, spent = 0, one, t;
	uint64_t k = 1, start = clock_now_ns();
	int batches = 0;

	if (iters == 0)
		return 0;
	/* calls per batch: enough for about 2 ms, so a clock read is nothing */
	one = time_kernel_us(iters);
	if (one < 2000.0)
		k = (uint64_t)(2000.0 / (one > 0.01 ? one : 0.01)) + 1;
	/* at least 5 batches, and until about 100 ms are spent (at most 1 s):
	 * the minimum per call of them. A disturbance (another process on the
	 * core, an interrupt, a slower clock) only ever adds time, so the
	 * fastest batch is the nearest to the kernel's own cost; a median or a
	 * mean would carry the disturbances into w, and a bound made of a w
	 * too high is one a run can beat. */
	while (batches < 5 || (spent < 100000.0 && clock_now_ns() - start < 1000000000ull)) {
		uint64_t t0 = clock_now_ns();

		for (uint64_t i = 0; i < k; i++)
			cpu_sink += cpu_kernel(t0 + i, iters);
		t = (double)(clock_now_ns() - t0) / 1e3;
		spent += t;
		if (t / (double)k < best)
			best = t / (double)k;
		batches++;
	}
	return best;
}
