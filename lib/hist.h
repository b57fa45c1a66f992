/* hist.h - log-linear (HDR-style) latency histogram.
 *
 * Values are nanoseconds. Below 128 every value has its own bucket; above,
 * each power of two is split into 64 equal buckets, so a bucket is never
 * wider than 1/64 of its lowest value. Reporting the bucket middle keeps the
 * relative error at most 1/128 (0.78%). Counts are 32-bit so that a
 * worker's histogram stays small (about 15 KiB, mostly untouched pages). One histogram per worker,
 * merged at the end: recording is a plain increment, no lock. */
#ifndef CMB_HIST_H
#define CMB_HIST_H

#include <stdint.h>

#define HIST_MAX_BITS 64 /* every 64-bit value: no accepted run can overflow it */
#define HIST_BUCKETS ((HIST_MAX_BITS - 5) * 64)

struct hist {
	uint64_t count;		       /* values recorded */
	uint64_t max;		       /* exact largest value */
	uint64_t min;		       /* exact smallest value (0 if empty) */
	uint32_t counts[HIST_BUCKETS]; /* per-bucket counts */
};

void hist_init(struct hist *h);
void hist_record(struct hist *h, uint64_t value_ns);
void hist_merge(struct hist *dst, const struct hist *src);
/* Value at quantile q in [0,1] by nearest rank; 0 for an empty histogram. */
uint64_t hist_quantile(const struct hist *h, double q);
/* Bucket index of a value, and the [lo, hi] range a bucket covers. */
unsigned hist_index(uint64_t value_ns);
void hist_bucket_range(unsigned idx, uint64_t *lo, uint64_t *hi);

#endif
