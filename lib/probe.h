/* probe.h - memory and size of a process tree, read from /proc. */
#ifndef CMB_PROBE_H
#define CMB_PROBE_H

#include <stdint.h>
#include <sys/types.h>

struct probe_sample {
	uint64_t rss_kib;   /* sum of VmRSS over the tree */
	uint64_t pss_kib;   /* sum of Pss (smaps_rollup) over the tree */
	uint64_t processes; /* processes in the tree */
	uint64_t threads;   /* threads in the tree */
};

/* Sample every process of process group pgid: one pass over /proc, which
 * costs the same however many threads the group has. 0, or -ESRCH if the
 * group is empty. */
int probe_group(pid_t pgid, struct probe_sample *out);
/* Fold a sample into a running peak, field by field. */
void probe_peak(struct probe_sample *peak, const struct probe_sample *s);
/* The kernel's own memory, system-wide: KernelStack + PageTables + Slab of
 * /proc/meminfo, in KiB; -1 when it cannot be read. */
long long probe_kernel_kib(void);
/* Usable CPUs of this process (its affinity mask). */
int probe_cores(void);

#endif
