/* probe.c - /proc readers for the trial's process tree. The trial leads
 * its own process group and its workers inherit it, so the tree is read as
 * the group: one pass over /proc, one stat and one smaps_rollup read per
 * member, every pid once (no walk of children lists that a busy tree can
 * change between two reads).
 *
 * RSS counts a page shared by n processes n times, which overstates a
 * forked pool; PSS divides each shared page among its sharers, so summing
 * PSS over the tree counts every page once. A forked child inherits its
 * parent's ru_maxrss, which is why nothing here uses getrusage for memory. */
#define _GNU_SOURCE
#include "probe.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <unistd.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Value of "Key:" in a /proc key-value file, or -1 if missing. */
static long long proc_kv(const char *path, const char *key)
{
	char line[256];
	size_t n = strlen(key);
	long long v = -1;
	FILE *f = fopen(path, "re");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, key, n) == 0 && line[n] == ':') {
			v = atoll(line + n + 1);
			break;
		}
	fclose(f);
	return v;
}

/* From /proc/<pid>/stat: the process group, the thread count and the
 * resident pages, in one read. The command name may hold blanks and
 * parentheses, so the fields are counted from the last ')'. */
struct pstat {
	long pgrp, threads, rss_pages;
};

static int proc_stat(const char *pid, struct pstat *ps)
{
	char path[64], buf[1024], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%s/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	/* after ")": state ppid pgrp session tty_nr tpgid flags minflt cminflt
	 * majflt cmajflt utime stime cutime cstime priority nice num_threads
	 * itrealvalue starttime vsize rss */
	if (!p || sscanf(p + 1,
			 " %*c %*d %ld %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %ld "
			 "%*d %*u %*u %ld",
			 &ps->pgrp, &ps->threads, &ps->rss_pages) != 3)
		return -EIO;
	return 0;
}

static void add_group_member(pid_t pid, const struct pstat *ps, struct probe_sample *out)
{
	/* threads share their process's page tables and fd table, but each
	 * has a kernel stack of its own */
	static long page_kib;
	char path[64];
	long long v;

	if (!page_kib)
		page_kib = sysconf(_SC_PAGESIZE) / 1024;
	out->threads += (uint64_t)ps->threads;
	out->processes++;
	out->rss_kib += (uint64_t)(ps->rss_pages * page_kib);
	snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", (int)pid);
	v = proc_kv(path, "Pss");
	if (v > 0)
		out->pss_kib += (uint64_t)v;
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	v = proc_kv(path, "VmPTE");
	if (v > 0)
		out->pte_kib += (uint64_t)v;
	out->kstack_kib += (uint64_t)ps->threads * PROBE_THREAD_SIZE_KIB;
}

int probe_group(pid_t pgid, struct probe_sample *out)
{
	struct dirent *de;
	DIR *d = opendir("/proc");

	memset(out, 0, sizeof(*out));
	if (!d)
		return -errno;
	while ((de = readdir(d)) != NULL) {
		struct pstat ps;

		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		if (proc_stat(de->d_name, &ps) == 0 && ps.pgrp == (long)pgid)
			add_group_member((pid_t)atol(de->d_name), &ps, out);
	}
	closedir(d);
	return out->processes ? 0 : -ESRCH;
}

void probe_peak(struct probe_sample *peak, const struct probe_sample *s)
{
	if (s->rss_kib > peak->rss_kib)
		peak->rss_kib = s->rss_kib;
	if (s->pss_kib > peak->pss_kib)
		peak->pss_kib = s->pss_kib;
	if (s->processes > peak->processes)
		peak->processes = s->processes;
	if (s->threads > peak->threads)
		peak->threads = s->threads;
	if (s->pte_kib > peak->pte_kib)
		peak->pte_kib = s->pte_kib;
	if (s->kstack_kib > peak->kstack_kib)
		peak->kstack_kib = s->kstack_kib;
	if (s->sockets > peak->sockets)
		peak->sockets = s->sockets;
	if (s->sock_kib > peak->sock_kib)
		peak->sock_kib = s->sock_kib;
}

uint64_t probe_kmem_kib(const struct probe_sample *s)
{
	return s->pte_kib + s->kstack_kib + s->sock_kib;
}

int probe_cores(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		return CPU_COUNT(&set);
	return 1;
}

long long probe_kernel_kib(void)
{
	static const char *const keys[] = { "KernelStack", "PageTables", "Slab" };
	char line[256];
	long long sum = 0;
	int found = 0;
	FILE *f = fopen("/proc/meminfo", "re");

	if (!f)
		return -1;
	/* one pass: three keys of one file */
	while (fgets(line, sizeof(line), f))
		for (int i = 0; i < 3; i++) {
			size_t n = strlen(keys[i]);

			if (strncmp(line, keys[i], n) == 0 && line[n] == ':') {
				sum += atoll(line + n + 1);
				found++;
			}
		}
	fclose(f);
	return found == 3 ? sum : -1;
}
