/* ceiling_limits.c - the machine's limits that can stop a model from
 * holding more tasks, read from the kernel (getrlimit, /proc/sys), and
 * which of them a failed probe ran into, read from how it failed, with the
 * command a user would run to lift it. cmbench raises its own
 * RLIMIT_NOFILE and RLIMIT_NPROC (lib/rlimit.c) and says so; it never
 * changes a sysctl, it names the one that stopped a search. */
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

/* A field of /proc/vmstat; *known when it was there. */
static unsigned long long vmstat(const char *key, bool *known)
{
	char line[256];
	unsigned long long v = 0;
	size_t n = strlen(key);
	FILE *f = fopen("/proc/vmstat", "r");

	*known = false;
	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, key, n) == 0 && line[n] == ' ') {
			v = strtoull(line + n + 1, NULL, 10);
			*known = true;
			break;
		}
	if (f)
		fclose(f);
	return v;
}

bool ceiling_oom_kills(unsigned long long *n)
{
	bool known;

	*n = vmstat("oom_kill", &known);
	return known;
}

/* pids.max of this process's cgroup (v2: the "0::PATH" line of
 * /proc/self/cgroup), or 0 for none ("max", v1, unreadable). */
static unsigned long long cgroup_pids_max(void)
{
	char line[512], path[700];
	FILE *f = fopen("/proc/self/cgroup", "r");

	path[0] = '\0';
	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, "0::", 3) == 0) {
			line[strcspn(line, "\n")] = '\0';
			snprintf(path, sizeof(path), "/sys/fs/cgroup%s/pids.max", line + 3);
			break;
		}
	if (f)
		fclose(f);
	return path[0] ? proc_num(path) : 0;
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
	l->file_max = proc_num("/proc/sys/fs/file-max");
	l->pids_max = cgroup_pids_max();
	l->oom_kills = vmstat("oom_kill", &l->oom_known);
}

/* One limit lifted: before -> after, and why the hard one stayed. */
static void say_lift(const char *what, const struct rlimit_lift *l)
{
	char buf[160];

	rlimit_lift_fmt(buf, sizeof(buf), l);
	if (l->err && !l->hard_raised)
		cmd_say("ceiling", "%s: %s (soft/hard; the hard limit not raised: %s)", what, buf,
			strerror(-l->err));
	else
		cmd_say("ceiling", "%s: %s (soft/hard)", what, buf);
}

void ceiling_raise_limits(struct ceiling_lifted *out)
{
	if (rlimit_lift_tasks(&out->nofile, &out->nproc) != 0)
		cmd_say("ceiling", "raising the limits: %s", strerror(errno));
	say_lift("open files", &out->nofile);
	say_lift("threads and processes", &out->nproc);
}

static bool has(const char *text, const char *needle)
{
	return strstr(text, needle) != NULL;
}

/* The most kernel.pid_max may be on a 64-bit kernel (PID_MAX_LIMIT). */
#define PID_MAX_LIMIT 4194304ull

/* The thread limit that binds first: its name and value into detail, the
 * command that lifts it into lift. */
static void thread_limit(const struct ceiling_limits *l, const struct model_ops *m,
			 struct ceiling_verdict *v)
{
	struct {
		const char *name;
		unsigned long long value, room;
	} c[5];
	size_t n = 0, best = 0;
	unsigned long long used = l->threads_used;
	const char *name;

	if (!l->root && l->nproc)
		c[n++] = (typeof(c[0])){ "RLIMIT_NPROC", l->nproc, l->nproc };
	if (l->threads_max)
		c[n++] = (typeof(c[0])){ "kernel.threads-max", l->threads_max,
					 l->threads_max > used ? l->threads_max : 0 };
	if (l->pid_max)
		c[n++] = (typeof(c[0])){ "kernel.pid_max", l->pid_max, l->pid_max };
	if (l->pids_max)
		c[n++] = (typeof(c[0])){ "the cgroup's pids.max", l->pids_max, l->pids_max };
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
		 "%llu; vm.max_map_count %llu; cgroup pids.max %llu; %llu threads on the machine "
		 "before)",
		 c[best].name, c[best].value, l->nproc, l->root ? " not enforced for root" : "",
		 l->threads_max, l->pid_max, l->max_map_count, l->pids_max, used);
	name = c[best].name;
	if (strcmp(name, "RLIMIT_NPROC") == 0)
		snprintf(v->lift, sizeof(v->lift), "ulimit -u unlimited (as root)");
	else if (strcmp(name, "kernel.pid_max") == 0 && l->pid_max >= PID_MAX_LIMIT)
		snprintf(v->lift, sizeof(v->lift), "none: kernel.pid_max is at its most (%llu)",
			 PID_MAX_LIMIT);
	else if (strcmp(name, "kernel.pid_max") == 0)
		snprintf(v->lift, sizeof(v->lift), "sysctl -w kernel.pid_max=%llu", PID_MAX_LIMIT);
	else if (name[0] == 't') /* the cgroup's */
		snprintf(v->lift, sizeof(v->lift),
			 "pids.max of the cgroup to max (systemd-run -p TasksMax=infinity)");
	else
		snprintf(v->lift, sizeof(v->lift), "sysctl -w %s=%llu", name, 2 * c[best].value);
}

/* The open-file limit that bound: fs.file-max for the machine (ENFILE),
 * the hard RLIMIT_NOFILE where cmbench could not raise it, or fs.nr_open
 * where it did and that is the most a process may have. */
static void nofile_limit(const struct ceiling_probe *p, const struct ceiling_limits *l,
			 const struct workload_ops *w, struct ceiling_verdict *v)
{
	const char *out = p->output;

	snprintf(v->limit, sizeof(v->limit), "open files");
	snprintf(v->detail, sizeof(v->detail),
		 "RLIMIT_NOFILE %llu (hard %llu; fs.nr_open %llu; fs.file-max %llu): one fd per "
		 "connection in each of the model's processes%s",
		 l->nofile, l->nofile_hard, l->nr_open, l->file_max,
		 w->service ? " and again in the latency server (several sharing its port when "
			      "one would not hold them): 2 x C on the machine"
			    : "");
	if (has(out, "ENFILE") || has(out, "file table overflow") ||
	    has(out, "Too many open files in system"))
		snprintf(v->lift, sizeof(v->lift), "sysctl -w fs.file-max=%llu", 2 * l->file_max);
	else if (l->nofile_hard < l->nr_open)
		snprintf(v->lift, sizeof(v->lift),
			 "ulimit -Hn %llu with CAP_SYS_RESOURCE (or LimitNOFILE=%llu; docker run "
			 "--ulimit nofile=%llu); cmbench then raises the soft limit. Or a model of "
			 "several processes",
			 l->nr_open, l->nr_open, l->nr_open);
	else
		snprintf(v->lift, sizeof(v->lift),
			 "sysctl -w fs.nr_open=%llu; cmbench raises RLIMIT_NOFILE to it itself",
			 2 * l->nr_open);
}

/* The kernel's OOM killer killed something while the probe ran: its
 * counter in /proc/vmstat went up. */
static bool oom_killed(const struct ceiling_probe *p, const struct ceiling_limits *l)
{
	return p->oom_known && l->oom_known && l->oom_kills > p->oom_before;
}

static void memory_limit(const struct ceiling_probe *p, const struct ceiling_limits *l,
			 struct ceiling_verdict *v)
{
	char a[32], b[32], c[32];

	snprintf(v->limit, sizeof(v->limit), "memory");
	if (oom_killed(p, l) || (p->signal == 9 && !l->oom_known)) {
		if (oom_killed(p, l))
			snprintf(v->detail, sizeof(v->detail),
				 "the OOM killer: %llu kills while the probe ran (/proc/vmstat "
				 "oom_kill %llu to %llu; MemAvailable %.1f GiB after)",
				 l->oom_kills - p->oom_before, p->oom_before, l->oom_kills,
				 (double)l->mem_avail_kib / 1048576.0);
		else
			snprintf(v->detail, sizeof(v->detail),
				 "the OOM killer, by its SIGKILL (no oom_kill in /proc/vmstat to "
				 "tell; MemAvailable %.1f GiB)",
				 (double)l->mem_avail_kib / 1048576.0);
		snprintf(v->lift, sizeof(v->lift),
			 "none but more memory; a lower --mem-budget stops the search first");
	} else if (ceiling_mem_kib(p) > p->budget_kib) {
		snprintf(v->detail, sizeof(v->detail),
			 "the budget: PSS %s and the kernel's growth %s above %s",
			 ceiling_fmt_kib(a, sizeof(a), (unsigned long long)p->pss_kib),
			 ceiling_fmt_kib(b, sizeof(b), (unsigned long long)p->kernel_kib),
			 ceiling_fmt_kib(c, sizeof(c), (unsigned long long)p->budget_kib));
		snprintf(v->lift, sizeof(v->lift), "--mem-budget up to the machine's %s",
			 ceiling_fmt_kib(a, sizeof(a), l->mem_total_kib));
	} else {
		snprintf(v->detail, sizeof(v->detail),
			 "an allocation failed (MemAvailable %.1f GiB)",
			 (double)l->mem_avail_kib / 1048576.0);
		snprintf(v->lift, sizeof(v->lift), "none but more memory");
	}
}

static void connect_limit(const struct ceiling_probe *p, const struct ceiling_limits *l,
			  struct ceiling_verdict *v)
{
	bool ports = l->ports && p->concurrency > l->ports * 9 / 10 && !p->spread;

	snprintf(v->limit, sizeof(v->limit), "%s", ports ? "ephemeral ports" : "connections");
	if (ports) {
		snprintf(v->detail, sizeof(v->detail),
			 "%llu connects failed: net.ipv4.ip_local_port_range gives %llu ports "
			 "from one source address to one server port",
			 p->errors_connect, l->ports);
		snprintf(v->lift, sizeof(v->lift),
			 "sysctl -w net.ipv4.ip_local_port_range=1024 65535 (the two numbers "
			 "quoted as one value); or more source addresses");
	} else {
		snprintf(v->detail, sizeof(v->detail),
			 "%llu connects failed (the server's accept queue: net.core.somaxconn "
			 "%llu)",
			 p->errors_connect, l->somaxconn);
		snprintf(v->lift, sizeof(v->lift),
			 "sysctl -w net.core.somaxconn=%llu and net.ipv4.tcp_max_syn_backlog=%llu",
			 2 * l->somaxconn, 2 * l->somaxconn);
	}
}

static bool open_files(const char *out)
{
	return has(out, "open-file limit") || has(out, "Too many open files") ||
	       has(out, "EMFILE") || has(out, "ENFILE") || has(out, "file table overflow");
}

void ceiling_classify(const struct ceiling_probe *p, const struct ceiling_limits *l,
		      const struct model_ops *m, const struct workload_ops *w,
		      struct ceiling_verdict *v)
{
	const char *out = p->output;

	memset(v, 0, sizeof(*v));
	if (oom_killed(p, l)) {
		memory_limit(p, l, v);
	} else if (p->short_hold) {
		snprintf(v->limit, sizeof(v->limit), "time");
		snprintf(v->detail, sizeof(v->detail),
			 "starting %llu tasks took longer than holding them: makespan %.2f s "
			 "against a hold of %.2f s",
			 p->concurrency, p->makespan_s, p->hold_s);
		snprintf(v->lift, sizeof(v->lift), "--hold D longer");
	} else if (p->timed_out) {
		snprintf(v->limit, sizeof(v->limit), "time");
		snprintf(v->detail, sizeof(v->detail), "the probe ran past its deadline of %.0f s",
			 p->deadline_s);
		snprintf(v->lift, sizeof(v->lift), "--probe-timeout D longer");
	} else if (p->signal == 9 && l->oom_known) {
		snprintf(v->limit, sizeof(v->limit), "other");
		snprintf(v->detail, sizeof(v->detail),
			 "killed by SIGKILL, not by the OOM killer (/proc/vmstat oom_kill %llu "
			 "unchanged)",
			 l->oom_kills);
	} else if (p->signal == 9 || ceiling_mem_kib(p) > p->budget_kib) {
		memory_limit(p, l, v);
	} else if (open_files(out)) {
		nofile_limit(p, l, w, v);
	} else if (has(out, "Resource temporarily unavailable") || p->errors_worker > 0 ||
		   has(out, "a worker process died before")) {
		thread_limit(l, m, v);
	} else if (has(out, "Cannot allocate memory") || has(out, "Out of memory")) {
		memory_limit(p, l, v);
	} else if (p->errors_connect > 0) {
		connect_limit(p, l, v);
	} else if (p->errors_timeout > 0) {
		snprintf(v->limit, sizeof(v->limit), "time");
		snprintf(v->detail, sizeof(v->detail), "%llu tasks timed out (--timeout)",
			 p->errors_timeout);
		snprintf(v->lift, sizeof(v->lift), "--hold D longer");
	} else {
		const char *nl = strchr(out, '\n');
		int len = nl ? (int)(nl - out) : (int)strlen(out);

		snprintf(v->limit, sizeof(v->limit), "other");
		snprintf(v->detail, sizeof(v->detail), "exit %d: %.*s", p->exit_code,
			 len > 200 ? 200 : len, out);
	}
	ceiling_clean(v->detail);
	ceiling_clean(v->lift);
}

double ceiling_mem_kib(const struct ceiling_probe *p)
{
	return p->pss_kib + (p->kernel_kib > 0 ? p->kernel_kib : 0);
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
