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

/* Sample `root` and all its descendants. 0, or -errno if root is gone. */
int probe_tree(pid_t root, struct probe_sample *out);
/* Fold a sample into a running peak, field by field. */
void probe_peak(struct probe_sample *peak, const struct probe_sample *s);
/* Usable CPUs of this process (its affinity mask). */
int probe_cores(void);

#endif
