/* util.c - see util.h. */
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <signal.h>
#include <unistd.h>

static const char *fmt_us_prose(char *b, size_t n, double us)
{
	if (us < 10)
		snprintf(b, n, "%.1f µs", us);
	else if (us < 1000)
		snprintf(b, n, "%.0f µs", us);
	else if (us < 1e6)
		snprintf(b, n, "%.3g ms", us / 1e3);
	else if (us < 1e9)
		snprintf(b, n, "%.3g s", us / 1e6);
	else
		snprintf(b, n, "%.0f s", us / 1e6);
	return b;
}

const char *fmt_us(char *b, size_t n, double us, enum fmt_style style)
{
	if (!isfinite(us))
		snprintf(b, n, "n/a");
	else if (style == FMT_PROSE)
		fmt_us_prose(b, n, us);
	else if (us < 1000)
		snprintf(b, n, "%.2fus", us);
	else if (us < 1e6)
		snprintf(b, n, "%.2fms", us / 1e3);
	else
		snprintf(b, n, "%.2fs", us / 1e6);
	return b;
}

const char *fmt_kib(char *b, size_t n, double k, enum fmt_style style)
{
	if (!isfinite(k))
		snprintf(b, n, "n/a");
	else if (style == FMT_PROSE)
		snprintf(b, n, fabs(k) < 10 ? "%.2g KiB" : "%.0f KiB", k);
	else if (k < 1024)
		snprintf(b, n, "%.1fKiB", k);
	else if (k < 1024 * 1024)
		snprintf(b, n, "%.2fMiB", k / 1024);
	else
		snprintf(b, n, "%.2fGiB", k / (1024 * 1024));
	return b;
}

int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

void die_with_parent(pid_t parent, int sig)
{
	prctl(PR_SET_PDEATHSIG, sig);
	if (getppid() != parent)
		_exit(3);
}
