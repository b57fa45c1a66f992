/* stats.c - per-worker task accounting. */
#include "stats.h"

#include <string.h>

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
