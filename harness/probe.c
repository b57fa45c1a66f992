/* probe.c - /proc readers for the trial's process tree.
 *
 * RSS counts a page shared by n processes n times, which overstates a
 * forked pool; PSS divides each shared page among its sharers, so summing
 * PSS over the tree counts every page once. A forked child inherits its
 * parent's ru_maxrss, which is why nothing here uses getrusage for memory. */
#define _GNU_SOURCE
#include "probe.h"

#include <dirent.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROBE_MAX_PIDS 65536

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

/* Append the children of every thread of pid to list. */
static void add_children(pid_t pid, pid_t *list, size_t *n)
{
	char path[320], buf[4096];
	struct dirent *de;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	d = opendir(path);
	if (!d)
		return;
	while ((de = readdir(d)) != NULL) {
		FILE *f;
		char *p, *end;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%s/children", (int)pid, de->d_name);
		f = fopen(path, "re");
		if (!f)
			continue;
		while (fgets(buf, sizeof(buf), f)) {
			for (p = buf;; p = end) {
				long c = strtol(p, &end, 10);

				if (end == p)
					break;
				if (*n < PROBE_MAX_PIDS)
					list[(*n)++] = (pid_t)c;
			}
		}
		fclose(f);
	}
	closedir(d);
}

int probe_tree(pid_t root, struct probe_sample *out)
{
	static pid_t list[PROBE_MAX_PIDS]; /* only the monitor thread calls this */
	char path[64];
	size_t n = 1;
	long long v;

	memset(out, 0, sizeof(*out));
	list[0] = root;
	for (size_t i = 0; i < n; i++) {
		pid_t pid = list[i];

		snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
		v = proc_kv(path, "Threads");
		if (v < 0) {
			if (i == 0)
				return -ESRCH;
			continue; /* exited between the listing and now */
		}
		out->threads += (uint64_t)v;
		out->processes++;
		v = proc_kv(path, "VmRSS");
		if (v > 0)
			out->rss_kib += (uint64_t)v;
		snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", (int)pid);
		v = proc_kv(path, "Pss");
		if (v > 0)
			out->pss_kib += (uint64_t)v;
		add_children(pid, list, &n);
	}
	return 0;
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
}

int probe_cores(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		return CPU_COUNT(&set);
	return 1;
}
