/* sched.c - see sched.h. The schedule is computed once before the trial,
 * outside the measurement, so releasing a task costs one load. */
#include "sched.h"

#include <errno.h>
#include <math.h>
#include <sys/mman.h>
#include <time.h>

#include "util.h"

static size_t sched_bytes(const struct run_cfg *cfg)
{
	return (size_t)cfg->tasks * sizeof(uint64_t);
}

int sched_make(const struct run_cfg *cfg, uint64_t **offsets)
{
	uint64_t *off;
	double t = 0, mean_ns;

	*offsets = NULL;
	if (cfg->rate_tps <= 0)
		return 0;
	if (cfg->tasks > SCHED_MAX_TASKS)
		return -E2BIG;
	off = mmap(NULL, sched_bytes(cfg), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1,
		   0);
	if (off == MAP_FAILED)
		return -errno;
	mean_ns = 1e9 / cfg->rate_tps;
	for (uint64_t i = 0; i < cfg->tasks; i++) {
		off[i] = (uint64_t)llround(t);
		if (cfg->poisson) {
			/* a uniform in (0, 1] from the seed and the index */
			double u = ((double)(mix64(cfg->seed ^ mix64(i)) >> 11) + 1.0) /
				   9007199254740992.0;

			t += -log(u) * mean_ns;
		} else {
			t = (double)(i + 1) * mean_ns;
		}
	}
	*offsets = off;
	return 0;
}

void sched_free(const struct run_cfg *cfg, uint64_t *offsets)
{
	if (offsets)
		munmap(offsets, sched_bytes(cfg));
}

void sched_sleep_until(uint64_t abs_ns)
{
	struct timespec ts = { .tv_sec = (time_t)(abs_ns / 1000000000u),
			       .tv_nsec = (long)(abs_ns % 1000000000u) };

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}
