/* ceiling_limits.c - the machine's limits that can stop a model from
 * holding more tasks, read from the kernel (getrlimit, /proc/sys), and
 * which of them a failed probe ran into, read from how it failed. cmbench
 * raises its own soft limits to the hard ones and says so; it never
 * changes a sysctl. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "../../models/model.h"
#include "../../workloads/workload.h"
#include "ceiling.h"
#include "../../lib/cmdutil.h"

/* A number from a /proc file (its first field), or 0. */
static unsigned long long proc_num(const char *path)
{
	unsigned long long v = 0;
	FILE *f = fopen(path, "r");

	if (f) {
		if (fscanf(f, "%llu", &v) != 1)
			v = 0;
		fclose(f);
	}
	return v;
}

/* A field of /proc/meminfo in KiB, or 0. */
static unsigned long long meminfo_kib(const char *key)
{
	char line[256];
	unsigned long long v = 0;
	size_t n = strlen(key);
	FILE *f = fopen("/proc/meminfo", "r");

	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, key, n) == 0 && line[n] == ':') {
			v = strtoull(line + n + 1, NULL, 10);
			break;
		}
	if (f)
		fclose(f);
	return v;
}

/* Threads on the machine now: the fourth field of /proc/loadavg, "r/T". */
static unsigned long long threads_now(void)
{
	unsigned long long r = 0, t = 0;
	FILE *f = fopen("/proc/loadavg", "r");

	if (f) {
		if (fscanf(f, "%*s %*s %*s %llu/%llu", &r, &t) != 2)
			t = 0;
		fclose(f);
	}
	return t;
}

static unsigned long long rl_soft(int res, unsigned long long *hard)
{
	struct rlimit rl = { 0, 0 };

	getrlimit(res, &rl);
	*hard = rl.rlim_max == RLIM_INFINITY ? 0 : (unsigned long long)rl.rlim_max;
	return rl.rlim_cur == RLIM_INFINITY ? 0 : (unsigned long long)rl.rlim_cur;
}

void ceiling_limits_read(struct ceiling_limits *l)
{
	unsigned long long lo = 0, hi = 0;
	FILE *f;

	memset(l, 0, sizeof(*l));
	l->nofile = rl_soft(RLIMIT_NOFILE, &l->nofile_hard);
	l->nproc = rl_soft(RLIMIT_NPROC, &l->nproc_hard);
	l->root = geteuid() == 0;
	l->nr_open = proc_num("/proc/sys/fs/nr_open");
	l->threads_max = proc_num("/proc/sys/kernel/threads-max");
	l->pid_max = proc_num("/proc/sys/kernel/pid_max");
	l->max_map_count = proc_num("/proc/sys/vm/max_map_count");
	l->somaxconn = proc_num("/proc/sys/net/core/somaxconn");
	f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "r");
	if (f) {
		if (fscanf(f, "%llu %llu", &lo, &hi) == 2 && hi >= lo)
			l->ports = hi - lo + 1;
		fclose(f);
	}
	l->mem_total_kib = meminfo_kib("MemTotal");
	l->mem_avail_kib = meminfo_kib("MemAvailable");
	l->threads_used = threads_now();
}

/* Raise one soft limit to its hard limit and say so. */
static void raise_one(int res, const char *what)
{
	struct rlimit rl;
	unsigned long long was;

	if (getrlimit(res, &rl) < 0)
		return;
	if (rl.rlim_cur == rl.rlim_max) {
		if (rl.rlim_max == RLIM_INFINITY)
			cmd_say("ceiling", "%s: no limit", what);
		else
			cmd_say("ceiling", "%s: soft limit already at the hard limit, %llu", what,
				(unsigned long long)rl.rlim_max);
		return;
	}
	was = (unsigned long long)rl.rlim_cur;
	rl.rlim_cur = rl.rlim_max;
	if (setrlimit(res, &rl) < 0) {
		cmd_say("ceiling", "%s: could not raise the soft limit %llu: %s", what, was,
			strerror(errno));
		return;
	}
	if (rl.rlim_max == RLIM_INFINITY)
		cmd_say("ceiling",
			"%s: raised the soft limit from %llu to unlimited (the hard limit)", what,
			was);
	else
		cmd_say("ceiling", "%s: raised the soft limit from %llu to %llu (the hard limit)",
			what, was, (unsigned long long)rl.rlim_max);
}

void ceiling_raise_limits(void)
{
	raise_one(RLIMIT_NOFILE, "open files (RLIMIT_NOFILE)");
	raise_one(RLIMIT_NPROC, "threads and processes (RLIMIT_NPROC)");
}

static bool has(const char *text, const char *needle)
{
	return strstr(text, needle) != NULL;
}

/* The thread limit that binds first for n more threads or processes:
 * its name and value into lim/detail. */
static void thread_limit(const struct ceiling_limits *l, const struct model_ops *m,
			 struct ceiling_verdict *v)
{
	struct {
		const char *name;
		unsigned long long value, room;
	} c[4];
	size_t n = 0, best = 0;
	unsigned long long used = l->threads_used;

	if (!l->root && l->nproc)
		c[n++] = (typeof(c[0])){ "RLIMIT_NPROC", l->nproc, l->nproc };
	if (l->threads_max)
		c[n++] = (typeof(c[0])){ "kernel.threads-max", l->threads_max,
					 l->threads_max > used ? l->threads_max : 0 };
	if (l->pid_max)
		c[n++] = (typeof(c[0])){ "kernel.pid_max", l->pid_max, l->pid_max };
	/* a thread's stack and its guard page are two mappings of one process */
	if (l->max_map_count && m->kind != MODEL_KIND_PROCESSES)
		c[n++] = (typeof(c[0])){ "vm.max_map_count", l->max_map_count,
					 l->max_map_count / 2 };
	for (size_t i = 1; i < n; i++)
		if (c[i].room < c[best].room)
			best = i;
	snprintf(v->limit, sizeof(v->limit), "%s",
		 m->kind == MODEL_KIND_PROCESSES ? "processes" : "threads");
	if (n == 0) {
		snprintf(v->detail, sizeof(v->detail), "creating a %s failed",
			 m->kind == MODEL_KIND_PROCESSES ? "process" : "thread");
		return;
	}
	snprintf(v->detail, sizeof(v->detail),
		 "%s %llu first (RLIMIT_NPROC %llu%s; kernel.threads-max %llu; kernel.pid_max "
		 "%llu; vm.max_map_count %llu; %llu threads on the machine before)",
		 c[best].name, c[best].value, l->nproc, l->root ? " not enforced for root" : "",
		 l->threads_max, l->pid_max, l->max_map_count, used);
}

void ceiling_classify(const struct ceiling_probe *p, const struct ceiling_limits *l,
		      const struct model_ops *m, const struct workload_ops *w,
		      struct ceiling_verdict *v)
{
	const char *out = p->output;
	char budget[32];

	memset(v, 0, sizeof(*v));
	if (p->short_hold) {
		snprintf(v->limit, sizeof(v->limit), "time");
		snprintf(v->detail, sizeof(v->detail),
			 "starting %llu tasks took longer than holding them: makespan %.2f s "
			 "against "
			 "a hold of %.2f s",
			 p->concurrency, p->makespan_s, p->hold_s);
	} else if (p->timed_out) {
		snprintf(v->limit, sizeof(v->limit), "time");
		snprintf(v->detail, sizeof(v->detail), "the probe ran past its deadline of %.0f s",
			 p->deadline_s);
	} else if (p->signal == 9) {
		snprintf(v->limit, sizeof(v->limit), "memory");
		snprintf(v->detail, sizeof(v->detail),
			 "killed by SIGKILL: the kernel's OOM killer (MemAvailable %.1f GiB)",
			 (double)l->mem_avail_kib / 1048576.0);
	} else if (p->pss_kib > p->budget_kib) {
		ceiling_fmt_kib(budget, sizeof(budget), p->budget_kib);
		snprintf(v->limit, sizeof(v->limit), "memory");
		snprintf(v->detail, sizeof(v->detail), "the budget: PSS %.1f MiB above %s",
			 p->pss_kib / 1024.0, budget);
	} else if (has(out, "open-file limit") || has(out, "Too many open files") ||
		   has(out, "EMFILE") || has(out, "ENFILE") || has(out, "file table overflow")) {
		snprintf(v->limit, sizeof(v->limit), "open files");
		snprintf(v->detail, sizeof(v->detail),
			 "RLIMIT_NOFILE %llu (hard %llu; fs.nr_open %llu): one fd per connection%s",
			 l->nofile, l->nofile_hard, l->nr_open,
			 w->service ? ", in the client and again in the server" : "");
	} else if (has(out, "Resource temporarily unavailable") || p->errors_worker > 0 ||
		   has(out, "a worker process died before")) {
		thread_limit(l, m, v);
	} else if (has(out, "Cannot allocate memory") || has(out, "Out of memory")) {
		snprintf(v->limit, sizeof(v->limit), "memory");
		snprintf(v->detail, sizeof(v->detail),
			 "an allocation failed (MemAvailable %.1f GiB)",
			 (double)l->mem_avail_kib / 1048576.0);
	} else if (p->errors_connect > 0) {
		bool ports = l->ports && p->concurrency > l->ports * 9 / 10 && !p->spread;

		snprintf(v->limit, sizeof(v->limit), "%s",
			 ports ? "ephemeral ports" : "connections");
		if (ports)
			snprintf(v->detail, sizeof(v->detail),
				 "%llu connects failed: net.ipv4.ip_local_port_range gives %llu "
				 "ports "
				 "from one source address to one server port",
				 p->errors_connect, l->ports);
		else
			snprintf(v->detail, sizeof(v->detail),
				 "%llu connects failed (the server's accept queue: "
				 "net.core.somaxconn "
				 "%llu)",
				 p->errors_connect, l->somaxconn);
	} else if (p->errors_timeout > 0) {
		snprintf(v->limit, sizeof(v->limit), "time");
		snprintf(v->detail, sizeof(v->detail), "%llu tasks timed out (--timeout)",
			 p->errors_timeout);
	} else {
		const char *nl = strchr(out, '\n');
		int len = nl ? (int)(nl - out) : (int)strlen(out);

		snprintf(v->limit, sizeof(v->limit), "other");
		snprintf(v->detail, sizeof(v->detail), "exit %d: %.*s", p->exit_code,
			 len > 200 ? 200 : len, out);
	}
	ceiling_clean(v->detail);
}

void ceiling_clean(char *s)
{
	for (; *s; s++)
		if (!(isalnum((unsigned char)*s) || strchr(" .:;()=/_+-%", *s)))
			*s = *s == ',' ? ';' : ' ';
}

const char *ceiling_fmt_kib(char *buf, size_t len, unsigned long long kib)
{
	if (kib >= 1048576)
		snprintf(buf, len, "%.1f GiB", (double)kib / 1048576.0);
	else if (kib >= 1024)
		snprintf(buf, len, "%.1f MiB", (double)kib / 1024.0);
	else
		snprintf(buf, len, "%llu KiB", kib);
	return buf;
}
