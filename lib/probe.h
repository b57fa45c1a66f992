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
	/* the kernel's memory for the tree, from each process's own
	 * accounting (not a system-wide difference) */
	uint64_t pte_kib;    /* sum of VmPTE (/proc/PID/status): page tables */
	uint64_t kstack_kib; /* threads x PROBE_THREAD_SIZE_KIB: kernel stacks */
	uint64_t sockets;    /* TCP sockets the tree's fds hold (probe_group_sockets) */
	uint64_t sock_kib;   /* their buffers: sock_diag's SK_MEMINFO, summed */
};

/* The kernel stack of every thread, THREAD_SIZE: PAGE_SIZE << (2 +
 * KASAN_STACK_ORDER) on x86-64 (arch/x86/include/asm/page_64_types.h), 16
 * KiB on a kernel without KASAN; arm64's THREAD_SHIFT 14 is 16 KiB too.
 * /proc/meminfo's KernelStack over the machine's threads agrees
 * (tests/unit/test_probe.c). */
#define PROBE_THREAD_SIZE_KIB 16

/* Sample every process of process group pgid: one pass over /proc, which
 * costs the same however many threads the group has. 0, or -ESRCH if the
 * group is empty. */
int probe_group(pid_t pgid, struct probe_sample *out);
/* The TCP sockets that group pgid's processes hold open (each fd of each
 * member's /proc/PID/fd that is a socket, every inode once) and the
 * memory of their buffers as sock_diag reports it (SK_MEMINFO: rmem_alloc
 * + wmem_queued + fwd_alloc + optmem + backlog): into out->sockets and
 * out->sock_kib. It reads every fd of the tree, so its cost grows with
 * the connections; the trial reads it at most 1/20 of its time. 0 or
 * -errno (no sock_diag: -EPROTONOSUPPORT, out untouched). */
int probe_group_sockets(pid_t pgid, struct probe_sample *out);
/* The kernel memory of a sample, KiB: pte + kstack + sock. */
uint64_t probe_kmem_kib(const struct probe_sample *s);
/* Fold a sample into a running peak, field by field. */
void probe_peak(struct probe_sample *peak, const struct probe_sample *s);
/* The kernel's own memory, system-wide: KernelStack + PageTables + Slab of
 * /proc/meminfo, in KiB; -1 when it cannot be read. */
long long probe_kernel_kib(void);
/* Usable CPUs of this process (its affinity mask). */
int probe_cores(void);

#endif
