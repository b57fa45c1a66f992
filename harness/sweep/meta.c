/* meta.c - meta.json: probe the host, the build and the tools, and write
 * and read the file. The writer puts every top-level key on its own line
 * ("  \"key\": value"), which is what the reader relies on: it reads only
 * files this module wrote. */
#include "meta.h"

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

#include "cells.h"
#include "../probe.h"

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

/* The first line of a small file, without its newline; "" when unreadable. */
static void read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	buf[0] = '\0';
	if (!f)
		return;
	if (!fgets(buf, (int)len, f))
		buf[0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

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
	int fd[2], st, null;
	pid_t pid;
	ssize_t got;
	size_t n = 0;
	char sink[512];

	buf[0] = '\0';
	if (pipe(fd) != 0)
		return -1;
	pid = fork();
	if (pid < 0) {
		close(fd[0]);
		close(fd[1]);
		return -1;
	}
	if (pid == 0) {
		null = open("/dev/null", O_RDONLY);
		if (null >= 0)
			dup2(null, 0);
		dup2(fd[1], 1);
		dup2(fd[1], 2);
		close(fd[0]);
		close(fd[1]);
		execvp(argv[0], argv);
		dprintf(2, "%s: not found\n", argv[0]);
		_exit(127);
	}
	close(fd[1]);
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
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
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

void meta_probe(struct meta *m)
{
	struct utsname u;
	long online = sysconf(_SC_NPROCESSORS_ONLN);

	cpu_model(m->cpu_model, sizeof(m->cpu_model));
	m->cores = probe_cores();
	m->cores_online = online > 0 ? (int)online : m->cores;
	if (uname(&u) == 0)
		snprintf(m->kernel, sizeof(m->kernel), "%s", u.release);
	read_line("/sys/devices/system/clocksource/clocksource0/current_clocksource",
		  m->clocksource, sizeof(m->clocksource));
	read_line("/proc/sys/vm/overcommit_memory", m->overcommit, sizeof(m->overcommit));
	limit(RLIMIT_NOFILE, m->nofile, sizeof(m->nofile));
	limit(RLIMIT_STACK, m->stack, sizeof(m->stack));
	snprintf(m->compiler, sizeof(m->compiler), "%s", COMPILER);
	snprintf(m->cflags, sizeof(m->cflags), "%s", CMB_CFLAGS);
	snprintf(m->libuv, sizeof(m->libuv), "%s", uv_version_string());
	tool_version("hyperfine", m->hyperfine, sizeof(m->hyperfine));
	tool_version("gnuplot", m->gnuplot, sizeof(m->gnuplot));
	snprintf(m->git_rev, sizeof(m->git_rev), "%s", CMB_GIT_REV);
	m->git_dirty = CMB_GIT_DIRTY;
	snprintf(m->note, sizeof(m->note),
		 "These figures come from this machine (%s, %d usable cores, Linux %s). "
		 "They hold for it; rerun `make bench` to get yours.",
		 m->cpu_model, m->cores, m->kernel);
}

/* ---- writing ------------------------------------------------------------- */

static void put_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void key_str(FILE *f, const char *key, const char *v)
{
	fprintf(f, ",\n  \"%s\": ", key);
	put_str(f, v);
}

static void key_num(FILE *f, const char *key, unsigned long long v)
{
	fprintf(f, ",\n  \"%s\": %llu", key, v);
}

static void put_sources(FILE *f, const char *list)
{
	const char *p = list;
	char one[1024];
	size_t n;
	bool first = true;

	fputs(",\n  \"sources\": [", f);
	while (*p) {
		n = strcspn(p, ",");
		snprintf(one, sizeof(one), "%.*s", (int)n, p);
		if (!first)
			fputs(", ", f);
		put_str(f, one);
		first = false;
		p += n + (p[n] == ',');
	}
	fputc(']', f);
}

static void put_meta(FILE *f, const struct meta *m)
{
	fputs("{\n  \"run_id\": ", f);
	put_str(f, m->run_id);
	key_str(f, "spec_name", m->spec_name);
	key_str(f, "spec_file", m->spec_file);
	key_str(f, "spec_text", m->spec_text ? m->spec_text : "");
	key_str(f, "shard", m->shard);
	if (m->sources[0])
		put_sources(f, m->sources);
	key_str(f, "cmbench", m->cmbench);
	key_num(f, "reps", m->reps);
	key_num(f, "warmup", m->warmup);
	key_num(f, "cells_total", m->cells_total);
	key_num(f, "cells_done", m->cells_done);
	key_num(f, "cells_failed", m->cells_failed);
	fprintf(f, ",\n  \"cpu_calibration\": {\"ref_us\": %" PRIu64 ", \"ref_iters\": %" PRIu64
		   "}",
		m->cal_ref_us, m->cal_ref_iters);
	fputs(",\n  \"cpu_iters\": {", f);
	for (size_t i = 0; i < m->nlevels; i++)
		fprintf(f, "%s\"%" PRIu64 "us\": %" PRIu64, i ? ", " : "", m->level_us[i],
			m->level_iters[i]);
	fputc('}', f);
	key_str(f, "start_utc", m->start_utc);
	if (m->end_utc[0])
		key_str(f, "end_utc", m->end_utc);
	else
		fputs(",\n  \"end_utc\": null", f);
	key_str(f, "cpu_model", m->cpu_model);
	key_num(f, "cores", (unsigned long long)m->cores);
	key_num(f, "cores_online", (unsigned long long)m->cores_online);
	key_str(f, "kernel", m->kernel);
	key_str(f, "clocksource", m->clocksource);
	key_str(f, "overcommit_memory", m->overcommit);
	key_str(f, "rlimit_nofile", m->nofile);
	key_str(f, "rlimit_stack", m->stack);
	key_str(f, "compiler", m->compiler);
	key_str(f, "cflags", m->cflags);
	key_str(f, "libuv", m->libuv);
	key_str(f, "hyperfine", m->hyperfine);
	key_str(f, "gnuplot", m->gnuplot);
	key_str(f, "git_rev", m->git_rev);
	fprintf(f, ",\n  \"git_dirty\": %s", m->git_dirty ? "true" : "false");
	key_str(f, "note", m->note);
	fputs("\n}\n", f);
}

static void put_meta_any(FILE *f, const void *m)
{
	put_meta(f, m);
}

int meta_write(const char *path, const struct meta *m)
{
	return cells_replace_file(path, put_meta_any, m);
}

/* ---- reading ------------------------------------------------------------- */

/* Where the value of top-level key starts, or NULL. */
static const char *find_key(const char *json, const char *key)
{
	char pat[128];
	const char *p;

	snprintf(pat, sizeof(pat), "\n  \"%s\": ", key);
	p = strstr(json, pat);
	return p ? p + strlen(pat) : NULL;
}

/* Decode the JSON string at p (at its opening quote) into a malloc'd string. */
static char *get_str(const char *p)
{
	size_t cap = strlen(p) + 1, n = 0;
	char *s;

	if (*p != '"')
		return NULL;
	s = malloc(cap);
	if (!s)
		return NULL;
	for (p++; *p && *p != '"'; p++) {
		if (*p != '\\') {
			s[n++] = *p;
			continue;
		}
		switch (*++p) {
		case 'n':
			s[n++] = '\n';
			break;
		case 't':
			s[n++] = '\t';
			break;
		case 'u':
			s[n++] = (char)strtol((char[]){ p[1], p[2], p[3], p[4], 0 }, NULL, 16);
			p += strlen(p) >= 5 ? 4 : strlen(p) - 1;
			break;
		case '\0':
			p--;
			break;
		default:
			s[n++] = *p;
		}
	}
	s[n] = '\0';
	return s;
}

static void read_str(const char *json, const char *key, char *buf, size_t len)
{
	const char *p = find_key(json, key);
	char *s = p ? get_str(p) : NULL;

	snprintf(buf, len, "%s", s ? s : "");
	free(s);
}

static unsigned long long read_num(const char *json, const char *key)
{
	const char *p = find_key(json, key);

	return p ? strtoull(p, NULL, 10) : 0;
}

static void read_levels(const char *json, struct meta *m)
{
	const char *p = find_key(json, "cpu_iters"), *end;
	char *e;

	if (!p || *p != '{')
		return;
	end = strchr(p, '}');
	while (end && m->nlevels < META_LEVELS && (p = strchr(p, '"')) && p < end) {
		uint64_t us = strtoull(p + 1, &e, 10);

		if (strncmp(e, "us\":", 4) != 0)
			break;
		m->level_us[m->nlevels] = us;
		m->level_iters[m->nlevels++] = strtoull(e + 4, &e, 10);
		p = e;
	}
	p = find_key(json, "cpu_calibration");
	if (p && (p = strstr(p, "\"ref_us\": ")))
		m->cal_ref_us = strtoull(p + 10, NULL, 10);
	p = find_key(json, "cpu_calibration");
	if (p && (p = strstr(p, "\"ref_iters\": ")))
		m->cal_ref_iters = strtoull(p + 13, NULL, 10);
}

int meta_read(const char *path, struct meta *m)
{
	FILE *f = fopen(path, "r");
	char *json, *nj;
	size_t cap = 65536, n = 0, got;
	const char *p;

	memset(m, 0, sizeof(*m));
	if (!f)
		return -errno;
	json = malloc(cap + 1);
	if (!json) {
		fclose(f);
		return -ENOMEM;
	}
	json[0] = '\n'; /* so the first key matches the "\n  \"key\"" pattern */
	n = 1;
	while ((got = fread(json + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			nj = realloc(json, 2 * cap + 1);
			if (!nj) {
				free(json);
				fclose(f);
				return -ENOMEM;
			}
			json = nj;
			cap *= 2;
		}
	}
	fclose(f);
	json[n] = '\0';
	if (!strstr(json, "\"run_id\": ")) {
		free(json);
		return -EINVAL;
	}
	read_str(json, "run_id", m->run_id, sizeof(m->run_id));
	read_str(json, "spec_name", m->spec_name, sizeof(m->spec_name));
	read_str(json, "spec_file", m->spec_file, sizeof(m->spec_file));
	p = find_key(json, "spec_text");
	m->spec_text = p ? get_str(p) : NULL;
	read_str(json, "shard", m->shard, sizeof(m->shard));
	read_str(json, "cmbench", m->cmbench, sizeof(m->cmbench));
	m->reps = (unsigned)read_num(json, "reps");
	m->warmup = (unsigned)read_num(json, "warmup");
	m->cells_total = (unsigned)read_num(json, "cells_total");
	m->cells_done = (unsigned)read_num(json, "cells_done");
	m->cells_failed = (unsigned)read_num(json, "cells_failed");
	read_levels(json, m);
	read_str(json, "start_utc", m->start_utc, sizeof(m->start_utc));
	read_str(json, "end_utc", m->end_utc, sizeof(m->end_utc));
	read_str(json, "cpu_model", m->cpu_model, sizeof(m->cpu_model));
	m->cores = (int)read_num(json, "cores");
	m->cores_online = (int)read_num(json, "cores_online");
	read_str(json, "kernel", m->kernel, sizeof(m->kernel));
	read_str(json, "clocksource", m->clocksource, sizeof(m->clocksource));
	read_str(json, "overcommit_memory", m->overcommit, sizeof(m->overcommit));
	read_str(json, "rlimit_nofile", m->nofile, sizeof(m->nofile));
	read_str(json, "rlimit_stack", m->stack, sizeof(m->stack));
	read_str(json, "compiler", m->compiler, sizeof(m->compiler));
	read_str(json, "cflags", m->cflags, sizeof(m->cflags));
	read_str(json, "libuv", m->libuv, sizeof(m->libuv));
	read_str(json, "hyperfine", m->hyperfine, sizeof(m->hyperfine));
	read_str(json, "gnuplot", m->gnuplot, sizeof(m->gnuplot));
	read_str(json, "git_rev", m->git_rev, sizeof(m->git_rev));
	p = find_key(json, "git_dirty");
	m->git_dirty = p && strncmp(p, "true", 4) == 0;
	read_str(json, "note", m->note, sizeof(m->note));
	free(json);
	return 0;
}

void meta_free(struct meta *m)
{
	free(m->spec_text);
	m->spec_text = NULL;
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
