/* cpus.c - CPU lists (see cpus.h). */
#define _GNU_SOURCE
#include "cpus.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A CPU number at *p: 0 and *p past it, or -EINVAL. */
static int cpu_number(const char **p, long *out)
{
	char *end;
	long v;

	if (**p < '0' || **p > '9')
		return -EINVAL;
	v = strtol(*p, &end, 10);
	if (v < 0 || v >= CPU_SETSIZE)
		return -EINVAL;
	*p = end;
	*out = v;
	return 0;
}

int cpus_parse(const char *s, cpu_set_t *set)
{
	const char *p = s;

	CPU_ZERO(set);
	if (!*p)
		return -EINVAL;
	for (;;) {
		long lo, hi;

		if (cpu_number(&p, &lo) < 0)
			return -EINVAL;
		hi = lo;
		if (*p == '-') {
			p++;
			if (cpu_number(&p, &hi) < 0 || hi < lo)
				return -EINVAL;
		}
		for (long c = lo; c <= hi; c++)
			CPU_SET((int)c, set);
		if (*p == '\0')
			return 0;
		if (*p++ != ',')
			return -EINVAL;
	}
}

const char *cpus_format(const cpu_set_t *set, char *buf, size_t cap)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int c = 0; c < CPU_SETSIZE; c++) {
		int hi = c;

		if (!CPU_ISSET(c, set))
			continue;
		while (hi + 1 < CPU_SETSIZE && CPU_ISSET(hi + 1, set))
			hi++;
		if (n < cap)
			n += (size_t)snprintf(buf + n, cap - n, hi > c ? "%s%d-%d" : "%s%d",
					      n ? "," : "", c, hi);
		c = hi;
	}
	return buf;
}

int cpus_usable(cpu_set_t *set)
{
	return sched_getaffinity(0, sizeof(*set), set) == 0 ? 0 : -errno;
}

int cpus_list(const cpu_set_t *set, int *out, int cap)
{
	int n = 0;

	for (int c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, set)) {
			if (n < cap)
				out[n] = c;
			n++;
		}
	return n;
}

int cpus_pin(const char *list)
{
	cpu_set_t set;

	if (!list || !*list)
		return 0;
	if (cpus_parse(list, &set) < 0)
		return -EINVAL;
	return sched_setaffinity(0, sizeof(set), &set) == 0 ? 0 : -errno;
}
