/* stats.h - what one worker records about the tasks it completed. Each
 * worker owns one; they are merged once the run is over. */
#ifndef CMB_STATS_H
#define CMB_STATS_H

#include <stdint.h>

#include "hist.h"
#include "util.h"

/* Why a task failed; counted per kind, never fatal to the run. The names
 * are the suffixes of the errors_* result columns. */
enum task_err {
	TASK_OK = 0,
	TASK_ERR_CONNECT, /* connect() failed or was refused */
	TASK_ERR_TIMEOUT, /* an I/O did not finish within --timeout */
	TASK_ERR_IO,	  /* reset, short write, EOF before the body ended */
	TASK_ERR_HTTP,	  /* not a 200, a response we cannot parse, stray bytes */
	TASK_ERR_QUERY,	  /* a database or library call reported an error */
	TASK_ERR_WORKER,  /* the worker running the task died */
	TASK_ERR_KINDS
};

#define STATS_COARSE 256 /* buckets of a coarse fifth */

struct task_stats {
	struct hist lat;		 /* completion - (intended) release, ns */
	struct hist svc;		 /* completion - start of processing, ns */
	uint64_t completed;		 /* tasks finished, ok or failed */
	uint64_t errors[TASK_ERR_KINDS]; /* failed tasks by kind ([0] unused) */
	uint64_t checksum;		 /* fold of the ok tasks' results */
	uint64_t last_done_ns;		 /* latest completion time stamp */
	uint64_t workers_lost;		 /* worker threads or processes that died */
	/* open loop: the latency of the first and of the last fifth of the
	 * tasks (by id, which is release order), coarse: 4 buckets per power
	 * of two. A growing backlog shows as a last fifth slower than the
	 * first. Recorded only after stats_fifths(N), so a batch run never
	 * touches these pages. */
	uint32_t first[STATS_COARSE], last[STATS_COARSE];
};

/* Keep the first and last fifths of N tasks from now on (in this process
 * and the ones it forks); 0: not at all. */
void stats_fifths(uint64_t tasks);
/* The median of a coarse fifth in ns (its bucket's middle, within 12%), 0
 * when empty; *n: its count. */
double stats_fifth_p50(const uint32_t *fifth, uint64_t *n);

void stats_init(struct task_stats *s);
/* Record one finished task. release_ns is when it was due (t0 in a batch,
 * its place in the schedule in an open-loop run): latency runs from it. */
void stats_task_done(struct task_stats *s, uint64_t release_ns, uint64_t start_ns, uint64_t end_ns,
		     uint64_t id, uint64_t result, int err);
void stats_merge(struct task_stats *dst, const struct task_stats *src);
uint64_t stats_errors(const struct task_stats *s);
/* n zeroed task_stats in shared memory (a forked worker's records reach the
 * parent), or NULL. With touch, every page is made resident now: the
 * harness maps its workers' stats this way before the base sample, so
 * that they are never counted as the model's memory. */
struct task_stats *stats_map(uint64_t n, int touch);
void stats_unmap(struct task_stats *s, uint64_t n);

/* What the task results hash, as a result set's meta.json records it
 * (checksum_scheme): "crc32", the io body by CRC-32 (zlib's, native in every
 * runtime) since issue 26; a set that does not say is CHECKSUM_SCHEME_OLD,
 * the body by FNV-1a. Sets of two schemes give the same work different
 * checksums: merge, compare and sweep --resume refuse to mix them. */
#define CHECKSUM_SCHEME "crc32"
#define CHECKSUM_SCHEME_OLD "fnv1a"

/* The order-independent fold of task results into the run checksum. */
static inline uint64_t checksum_fold(uint64_t sum, uint64_t id, uint64_t result)
{
	return sum + mix64(result ^ mix64(id));
}

#endif
