/* util.c - see util.h. */
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <signal.h>
#include <unistd.h>

#include "proc.h"

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
	else if (style == FMT_PROSE && fabs(k) < 1024)
		snprintf(b, n, fabs(k) < 10 ? "%.2g KiB" : "%.0f KiB", k);
	else if (style == FMT_PROSE && fabs(k) < 1024 * 1024)
		snprintf(b, n, "%.1f MiB", k / 1024);
	else if (style == FMT_PROSE)
		snprintf(b, n, "%.2f GiB", k / (1024 * 1024));
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

/* rel under dir, if it is there. */
static bool found_in(const char *dir, const char *rel, char *out, size_t cap)
{
	int n = snprintf(out, cap, "%s/%s", dir, rel);

	return n > 0 && (size_t)n < cap && access(out, R_OK) == 0;
}

int path_beside_binary(const char *rel, char *out, size_t cap)
{
	char dir[PATH_MAX], *slash;

	if (self_exe(dir, sizeof(dir)) == 0) {
		slash = strrchr(dir, '/');
		if (slash) {
			*slash = '\0';
			if (found_in(dir, rel, out, cap))
				return 0;
			if (strlen(dir) + 4 <= sizeof(dir) && strcat(dir, "/..") &&
			    found_in(dir, rel, out, cap))
				return 0;
		}
	}
	return found_in(".", rel, out, cap) ? 0 : -ENOENT;
}

int read_link(const char *path, char *out, size_t cap)
{
	ssize_t n;

	if (cap < 2)
		return -ENAMETOOLONG;
	n = readlink(path, out, cap - 1);
	if (n < 0)
		return -errno;
	if (n == 0)
		return -ENOENT;
	if ((size_t)n >= cap - 1)
		return -ENAMETOOLONG; /* perhaps cut short */
	out[n] = '\0';
	return 0;
}

void read_first_line(const char *path, char *buf, size_t cap)
{
	FILE *f = fopen(path, "r");

	buf[0] = '\0';
	if (!f)
		return;
	if (!fgets(buf, (int)cap, f))
		buf[0] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	fclose(f);
}
