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
#include <fcntl.h>
#include <stdbool.h>
#include <unistd.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROBE_MAX_PIDS 65536 /* a tree larger than this is not followed further */

/* The tree as it is walked: each pid with the parent that listed it, and a
 * set of the pids seen, so a pid is never counted twice. */
struct walk {
	pid_t *pid, *parent;
	size_t n, cap;
	pid_t *set; /* open addressing, 0 = empty; set_cap a power of two */
	size_t set_cap;
};

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

struct status {
	long long threads, rss_kib, ppid;
};

/* Threads, VmRSS and PPid of pid in one read of its status file. */
static int read_status(pid_t pid, struct status *st)
{
	char path[64], line[256];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	st->threads = st->rss_kib = st->ppid = -1;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "PPid:", 5) == 0)
			st->ppid = atoll(line + 5);
		else if (strncmp(line, "Threads:", 8) == 0)
			st->threads = atoll(line + 8);
		else if (strncmp(line, "VmRSS:", 6) == 0)
			st->rss_kib = atoll(line + 6);
	}
	fclose(f);
	return st->threads < 0 ? -ESRCH : 0;
}

static bool set_add(struct walk *w, pid_t pid)
{
	size_t mask = w->set_cap - 1, i = ((size_t)pid * 2654435761u) & mask;

	while (w->set[i]) {
		if (w->set[i] == pid)
			return false;
		i = (i + 1) & mask;
	}
	w->set[i] = pid;
	return true;
}

static void walk_add(struct walk *w, pid_t pid, pid_t parent)
{
	if (pid <= 0 || w->n >= PROBE_MAX_PIDS || !set_add(w, pid))
		return;
	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 256;
		pid_t *a = realloc(w->pid, cap * sizeof(*a)), *b;

		if (!a)
			return;
		w->pid = a;
		b = realloc(w->parent, cap * sizeof(*b));
		if (!b)
			return;
		w->parent = b;
		w->cap = cap;
	}
	w->pid[w->n] = pid;
	w->parent[w->n++] = parent;
}

/* The whole of a small /proc file; malloc'd, NUL-terminated, or NULL. */
static char *read_all(const char *path)
{
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t r;

	if (!buf || fd < 0) {
		free(buf);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	while ((r = read(fd, buf + len, cap - len - 1)) > 0) {
		len += (size_t)r;
		if (len + 1 == cap) {
			char *nb = realloc(buf, cap * 2);

			if (!nb)
				break;
			buf = nb;
			cap *= 2;
		}
	}
	close(fd);
	buf[len] = '\0';
	return buf;
}

/* Add the children of every thread of pid: each children file is read
 * whole, so no pid is ever split across two reads. */
static void add_children(struct walk *w, pid_t pid)
{
	char path[320];
	struct dirent *de;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	d = opendir(path);
	if (!d)
		return;
	while ((de = readdir(d)) != NULL) {
		char *buf, *p, *end;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%s/children", (int)pid, de->d_name);
		buf = read_all(path);
		if (!buf)
			continue;
		for (p = buf;; p = end) {
			long c = strtol(p, &end, 10);

			if (end == p)
				break;
			walk_add(w, (pid_t)c, pid);
		}
		free(buf);
	}
	closedir(d);
}

int probe_tree(pid_t root, struct probe_sample *out)
{
	static struct walk w; /* only the monitor thread calls this; kept to reuse */
	static pid_t set[2 * PROBE_MAX_PIDS];
	struct status st = { -1, -1, -1 };
	long long v;
	char path[64];

	memset(out, 0, sizeof(*out));
	memset(set, 0, sizeof(set));
	w.set = set;
	w.set_cap = 2 * PROBE_MAX_PIDS;
	w.n = 0;
	walk_add(&w, root, 0);
	for (size_t i = 0; i < w.n; i++) {
		pid_t pid = w.pid[i];

		if (read_status(pid, &st) < 0) {
			if (i == 0)
				return -ESRCH;
			continue; /* exited between the listing and now */
		}
		/* a pid reused since it was listed is someone else's process */
		if (i > 0 && st.ppid != w.parent[i])
			continue;
		out->threads += (uint64_t)st.threads;
		out->processes++;
		if (st.rss_kib > 0)
			out->rss_kib += (uint64_t)st.rss_kib;
		snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", (int)pid);
		v = proc_kv(path, "Pss");
		if (v > 0)
			out->pss_kib += (uint64_t)v;
		add_children(&w, pid);
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
