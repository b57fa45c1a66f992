/* clock.h - the one clock every figure is taken with.
 *
 * CLOCK_MONOTONIC is system-wide, so a time stamp taken in a forked worker
 * compares directly with one taken in its parent. */
#ifndef CMB_CLOCK_H
#define CMB_CLOCK_H

#include <stdint.h>
#include <time.h>

static inline uint64_t clock_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

#endif
