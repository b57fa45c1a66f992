/* stats.c - per-worker task accounting. */
#include "stats.h"

#include <string.h>
#include <sys/mman.h>

static uint64_t fifths_of; /* stats_fifths(): N, or 0 */

void stats_fifths(uint64_t tasks)
{
	fifths_of = tasks >= 5 ? tasks : 0;
}

static unsigned coarse_bucket(uint64_t v)
{
	unsigned msb;

	if (v < 4)
		return (unsigned)v;
	msb = 63u - (unsigned)__builtin_clzll(v);
	return msb * 4 + (unsigned)((v >> (msb - 2)) & 3);
}

double stats_fifth_p50(const uint32_t *fifth, uint64_t *n)
{
	uint64_t total = 0, seen = 0;

	for (unsigned i = 0; i < STATS_COARSE; i++)
		total += fifth[i];
	*n = total;
	for (unsigned i = 0; total && i < STATS_COARSE; i++) {
		seen += fifth[i];
		if (2 * seen >= total) {
			unsigned msb = i / 4;
			double lo;

			if (i < 8)
				return i;
			lo = (double)((4ull + i % 4) << (msb - 2));
			return lo + (double)(1ull << (msb - 2)) / 2;
		}
	}
	return 0;
}

void stats_init(struct task_stats *s)
{
	memset(s, 0, sizeof(*s));
}

void stats_task_done(struct task_stats *s, uint64_t release_ns, uint64_t start_ns, uint64_t end_ns,
		     uint64_t id, uint64_t result, int err)
{
	s->completed++;
	if (end_ns > s->last_done_ns)
		s->last_done_ns = end_ns;
	if (err != TASK_OK) {
		s->errors[err < TASK_ERR_KINDS ? err : TASK_ERR_IO]++;
		return;
	}
	hist_record(&s->lat, end_ns > release_ns ? end_ns - release_ns : 0);
	if (fifths_of && id < fifths_of / 5)
		s->first[coarse_bucket(end_ns > release_ns ? end_ns - release_ns : 0)]++;
	else if (fifths_of && id >= fifths_of - fifths_of / 5 && id < fifths_of)
		s->last[coarse_bucket(end_ns > release_ns ? end_ns - release_ns : 0)]++;
	hist_record(&s->svc, end_ns - start_ns);
	s->checksum = checksum_fold(s->checksum, id, result);
}

void stats_merge(struct task_stats *dst, const struct task_stats *src)
{
	hist_merge(&dst->lat, &src->lat);
	hist_merge(&dst->svc, &src->svc);
	dst->completed += src->completed;
	for (int i = 0; i < TASK_ERR_KINDS; i++)
		dst->errors[i] += src->errors[i];
	dst->checksum += src->checksum;
	dst->workers_lost += src->workers_lost;
	for (int i = 0; i < STATS_COARSE; i++) { /* untouched stays untouched */
		if (src->first[i])
			dst->first[i] += src->first[i];
		if (src->last[i])
			dst->last[i] += src->last[i];
	}
	if (src->last_done_ns > dst->last_done_ns)
		dst->last_done_ns = src->last_done_ns;
}

uint64_t stats_errors(const struct task_stats *s)
{
	uint64_t n = 0;

	for (int i = 1; i < TASK_ERR_KINDS; i++)
		n += s->errors[i];
	return n;
}

struct task_stats *stats_map(uint64_t n, int touch)
{
	struct task_stats *s;

	if (n == 0)
		n = 1;
	s = mmap(NULL, n * sizeof(*s), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (s == MAP_FAILED)
		return NULL;
	if (touch) /* a write faults every page in, zeroes included */
		memset(s, 0, n * sizeof(*s));
	return s;
}

void stats_unmap(struct task_stats *s, uint64_t n)
{
	if (s)
		munmap(s, (n ? n : 1) * sizeof(*s));
}
