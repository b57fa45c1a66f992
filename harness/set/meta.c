/* meta.c - what meta.json says about where figures come from: probe the
 * host, the build and the tools. meta_json.c reads and writes the file. */
#define _GNU_SOURCE
#include "meta.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#include "../../lib/probe.h"
#include "../../lib/proc.h"
#include "../../lib/spawn.h"
#include "../../lib/stats.h"
#include "../../lib/util.h"

#ifndef CMB_GIT_REV
#define CMB_GIT_REV "unknown"
#endif
#ifndef CMB_GIT_DIRTY
#define CMB_GIT_DIRTY 1
#endif
#ifndef CMB_CFLAGS
#define CMB_CFLAGS "unknown"
#endif

#if defined(__clang__)
#define COMPILER "clang " __clang_version__
#elif defined(__GNUC__)
#define COMPILER "gcc " __VERSION__
#else
#define COMPILER "unknown"
#endif

/* ---- probing ------------------------------------------------------------- */

static void cpu_model(char *buf, size_t len)
{
	static const char *const keys[] = { "model name", "Hardware", "cpu model", "Processor" };
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[512];
	struct utsname u;

	buf[0] = '\0';
	while (f && fgets(line, sizeof(line), f) && !buf[0]) {
		char *colon = strchr(line, ':');

		if (!colon)
			continue;
		for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
			if (strncmp(line, keys[i], strlen(keys[i])) != 0)
				continue;
			colon++;
			colon += strspn(colon, " \t");
			colon[strcspn(colon, "\n")] = '\0';
			snprintf(buf, len, "%s", colon);
			break;
		}
	}
	if (f)
		fclose(f);
	if (!buf[0] && uname(&u) == 0)
		snprintf(buf, len, "%s", u.machine);
}

static void limit(int res, char *buf, size_t len)
{
	struct rlimit rl;
	char soft[32], hard[32];

	if (getrlimit(res, &rl) != 0) {
		snprintf(buf, len, "unknown");
		return;
	}
	if (rl.rlim_cur == RLIM_INFINITY)
		snprintf(soft, sizeof(soft), "unlimited");
	else
		snprintf(soft, sizeof(soft), "%llu", (unsigned long long)rl.rlim_cur);
	if (rl.rlim_max == RLIM_INFINITY)
		snprintf(hard, sizeof(hard), "unlimited");
	else
		snprintf(hard, sizeof(hard), "%llu", (unsigned long long)rl.rlim_max);
	snprintf(buf, len, "%s/%s", soft, hard);
}

int meta_capture(char *const argv[], char *buf, size_t len)
{
	struct proc_end e;
	int fd[2], rc;
	struct spawn sp;
	pid_t pid;
	ssize_t got;
	size_t n = 0;
	char sink[512];

	buf[0] = '\0';
	if (pipe2(fd, O_CLOEXEC) != 0)
		return -errno;
	spawn_init(&sp);
	spawn_null(&sp, STDIN_FILENO);
	spawn_dup(&sp, STDOUT_FILENO, fd[1]);
	spawn_dup(&sp, STDERR_FILENO, fd[1]);
	rc = spawn_exec(&sp, argv, &pid);
	close(fd[1]);
	if (rc != 0) {
		close(fd[0]);
		return rc;
	}
	/* read it all, so the child never blocks on a full pipe */
	for (;;) {
		char *dst = n + 1 < len ? buf + n : sink;
		size_t room = n + 1 < len ? len - 1 - n : sizeof(sink);

		got = read(fd[0], dst, room);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		if (dst == buf + n)
			n += (size_t)got;
	}
	close(fd[0]);
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	rc = proc_wait(pid, NULL, &e);
	if (rc != 0)
		return rc;
	return e.code == 0 ? 0 : -EIO;
}

static void tool_version(const char *tool, char *buf, size_t len)
{
	char *argv[] = { (char *)tool, "--version", NULL };

	if (meta_capture(argv, buf, len) != 0)
		snprintf(buf, len, "not found");
}

void meta_utc_now(char *buf, size_t len)
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The host's name; under GNU parallel (--sshlogin) also the sshlogin the
 * job came through, which names the host as the sweep's operator knows it
 * (PARALLEL_SSHLOGIN, set in every job's environment). */
static void host_name(char *buf, size_t len)
{
	char name[128] = "";
	const char *via = getenv("PARALLEL_SSHLOGIN");

	if (gethostname(name, sizeof(name) - 1) != 0)
		snprintf(name, sizeof(name), "unknown");
	if (via && *via && strcmp(via, ":") != 0)
		snprintf(buf, len, "%s via %.100s", name, via);
	else
		snprintf(buf, len, "%s", name);
}

/* What the machine runs under: systemd-detect-virt's answer where it
 * exists, else /sys/hypervisor/type (Xen), else the cpuid hypervisor flag
 * of /proc/cpuinfo, else "none". */
static void hypervisor(char *buf, size_t len)
{
	char *argv[] = { "systemd-detect-virt", NULL }, out[128], line[4096];
	FILE *f;
	bool flag = false;

	/* it exits 1 when it finds none, and says "none" */
	if (meta_capture(argv, out, sizeof(out)) != -ENOENT && out[0] &&
	    strspn(out, "abcdefghijklmnopqrstuvwxyz0123456789-_") == strlen(out)) {
		snprintf(buf, len, "%s (systemd-detect-virt)", out);
		return;
	}
	read_first_line("/sys/hypervisor/type", out, sizeof(out));
	if (out[0]) {
		snprintf(buf, len, "%s (/sys/hypervisor/type)", out);
		return;
	}
	f = fopen("/proc/cpuinfo", "r");
	while (f && !flag && fgets(line, sizeof(line), f))
		flag = strncmp(line, "flags", 5) == 0 && strstr(line, " hypervisor");
	if (f)
		fclose(f);
	snprintf(buf, len, "%s", flag ? "present (cpuid hypervisor flag)" : "none");
}

/* The bracketed choice of a sysfs mode line ("always [madvise] never"). */
static void chosen(const char *path, char *buf, size_t len)
{
	char line[256], *a, *b;

	read_first_line(path, line, sizeof(line));
	a = strchr(line, '[');
	b = a ? strchr(a, ']') : NULL;
	if (a && b)
		snprintf(buf, len, "%.*s", (int)(b - a - 1), a + 1);
	else
		snprintf(buf, len, "%.60s", line[0] ? line : "unknown");
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "name: state; ..." over the vulnerabilities the kernel reports, sorted
 * by name, so two machines compare line for line. */
static void mitigations(char *buf, size_t len)
{
	static const char dir[] = "/sys/devices/system/cpu/vulnerabilities";
	DIR *d = opendir(dir);
	struct dirent *e;
	char *names[64], path[512], state[256];
	size_t n = 0, o = 0;

	buf[0] = '\0';
	while (d && n < 64 && (e = readdir(d)))
		if (e->d_name[0] != '.' && (names[n] = strdup(e->d_name)))
			n++;
	if (d)
		closedir(d);
	qsort(names, n, sizeof(names[0]), name_cmp);
	for (size_t i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		read_first_line(path, state, sizeof(state));
		if (o < len)
			o += (size_t)snprintf(buf + o, len - o, "%s%s: %s", o ? "; " : "", names[i],
					      state);
		free(names[i]);
	}
	if (!buf[0])
		snprintf(buf, len, "unknown");
}

void meta_probe(struct meta *m)
{
	struct utsname u;
	long online = sysconf(_SC_NPROCESSORS_ONLN);

	host_name(m->host, sizeof(m->host));
	cpu_model(m->cpu_model, sizeof(m->cpu_model));
	m->cores = probe_cores();
	m->cores_online = online > 0 ? (int)online : m->cores;
	if (uname(&u) == 0)
		snprintf(m->kernel, sizeof(m->kernel), "%s", u.release);
	read_first_line("/sys/devices/system/clocksource/clocksource0/current_clocksource",
			m->clocksource, sizeof(m->clocksource));
	read_first_line("/proc/sys/vm/overcommit_memory", m->overcommit, sizeof(m->overcommit));
	hypervisor(m->hypervisor, sizeof(m->hypervisor));
	chosen("/sys/kernel/mm/transparent_hugepage/enabled", m->thp, sizeof(m->thp));
	mitigations(m->mitigations, sizeof(m->mitigations));
	read_first_line("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", m->governor,
			sizeof(m->governor));
	if (!m->governor[0])
		snprintf(m->governor, sizeof(m->governor), "none");
	limit(RLIMIT_NOFILE, m->nofile, sizeof(m->nofile));
	limit(RLIMIT_STACK, m->stack, sizeof(m->stack));
	snprintf(m->compiler, sizeof(m->compiler), "%s", COMPILER);
	snprintf(m->cflags, sizeof(m->cflags), "%s", CMB_CFLAGS);
	snprintf(m->libuv, sizeof(m->libuv), "%s", uv_version_string());
	tool_version("hyperfine", m->hyperfine, sizeof(m->hyperfine));
	tool_version("gnuplot", m->gnuplot, sizeof(m->gnuplot));
	snprintf(m->git_rev, sizeof(m->git_rev), "%s", CMB_GIT_REV);
	m->git_dirty = CMB_GIT_DIRTY;
	snprintf(m->checksum_scheme, sizeof(m->checksum_scheme), "%s", CHECKSUM_SCHEME);
	snprintf(m->note, sizeof(m->note),
		 "These figures come from this machine (%s, %d usable cores, Linux %s). "
		 "They hold for it; rerun `make bench` to get yours.",
		 m->cpu_model, m->cores, m->kernel);
}

uint64_t meta_iters(const struct meta *m, uint64_t us)
{
	for (size_t i = 0; i < m->nlevels; i++)
		if (m->level_us[i] == us)
			return m->level_iters[i];
	if (m->cal_ref_us == 0 || m->cal_ref_iters == 0)
		return 0;
	return (uint64_t)((double)m->cal_ref_iters * (double)us / (double)m->cal_ref_us + 0.5);
}
