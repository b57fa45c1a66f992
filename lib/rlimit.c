/* rlimit.c - raising this process's own resource limits (rlimit.h). A
 * process may raise its soft limit up to its hard limit; raising the hard
 * limit needs CAP_SYS_RESOURCE, and RLIMIT_NOFILE's hard limit can never
 * pass fs.nr_open (setrlimit says EPERM). Both are tried in that order,
 * and what getrlimit says afterwards is what is reported. */
#include "rlimit.h"

#include <errno.h>
#include <stdio.h>
#include <sys/resource.h>

#define NR_OPEN_FALLBACK 1048576ull /* the kernel's default fs.nr_open */

static unsigned long long lim_of(rlim_t v)
{
	return v == RLIM_INFINITY ? RLIMIT_LIFT_INF : (unsigned long long)v;
}

static rlim_t rlim_of(unsigned long long v)
{
	return v == RLIMIT_LIFT_INF ? RLIM_INFINITY : (rlim_t)v;
}

int rlimit_lift(int resource, const char *name, unsigned long long want, struct rlimit_lift *out)
{
	struct rlimit rl;
	int rc = 0;

	*out = (struct rlimit_lift){ .name = name };
	if (getrlimit(resource, &rl) < 0)
		return -errno;
	out->soft_before = lim_of(rl.rlim_cur);
	out->hard_before = lim_of(rl.rlim_max);
	if (out->hard_before < want) {
		struct rlimit up = { rlim_of(want), rlim_of(want) };

		if (setrlimit(resource, &up) == 0)
			out->hard_raised = true;
		else
			out->err = -errno;
	}
	if (!out->hard_raised && out->soft_before < want && out->soft_before < out->hard_before) {
		struct rlimit soft = { rlim_of(want < out->hard_before ? want : out->hard_before),
				       rl.rlim_max };

		if (setrlimit(resource, &soft) < 0)
			rc = -errno;
	}
	if (getrlimit(resource, &rl) < 0)
		return -errno;
	out->soft_after = lim_of(rl.rlim_cur);
	out->hard_after = lim_of(rl.rlim_max);
	return rc;
}

static unsigned long long nr_open(void)
{
	unsigned long long v = 0;
	FILE *f = fopen("/proc/sys/fs/nr_open", "re");

	if (f) {
		if (fscanf(f, "%llu", &v) != 1)
			v = 0;
		fclose(f);
	}
	return v ? v : NR_OPEN_FALLBACK;
}

int rlimit_lift_tasks(struct rlimit_lift *nofile, struct rlimit_lift *nproc)
{
	int a = rlimit_lift(RLIMIT_NOFILE, "RLIMIT_NOFILE", nr_open(), nofile);
	int b = rlimit_lift(RLIMIT_NPROC, "RLIMIT_NPROC", RLIMIT_LIFT_INF, nproc);

	return a ? a : b;
}

static const char *num(char *buf, size_t len, unsigned long long v)
{
	if (v == RLIMIT_LIFT_INF)
		snprintf(buf, len, "unlimited");
	else
		snprintf(buf, len, "%llu", v);
	return buf;
}

const char *rlimit_lift_fmt(char *buf, size_t len, const struct rlimit_lift *l)
{
	char a[24], b[24], c[24], d[24];

	snprintf(buf, len, "%s %s/%s -> %s/%s", l->name, num(a, sizeof(a), l->soft_before),
		 num(b, sizeof(b), l->hard_before), num(c, sizeof(c), l->soft_after),
		 num(d, sizeof(d), l->hard_after));
	return buf;
}
