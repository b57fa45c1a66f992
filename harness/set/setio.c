/* setio.c - safe writes of result-set files: see setio.h. */
#include "setio.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#define TEMP_SUFFIX ".XXXXXX" /* mkstemp's pattern after the file's name */

int setio_path(char *buf, size_t len, const char *dir, const char *name)
{
	int n = snprintf(buf, len, "%s/%s", dir, name);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int setio_mkdir_p(const char *path)
{
	char buf[PATH_MAX];

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return -ENAMETOOLONG;
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0777) != 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, 0777) != 0 && errno != EEXIST)
		return -errno;
	return 0;
}

bool setio_nonempty(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && st.st_size > 0;
}

int setio_slurp(const char *path, char **out)
{
	FILE *f = fopen(path, "r");
	size_t cap = 65536, n = 0, got;
	char *buf, *nb;
	int rc = 0;

	if (!f)
		return -errno;
	buf = malloc(cap + 1);
	while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n < cap)
			continue;
		cap *= 2;
		nb = realloc(buf, cap + 1);
		if (!nb) {
			free(buf);
			buf = NULL;
		}
		buf = nb;
	}
	if (buf && ferror(f))
		rc = -EIO;
	fclose(f);
	if (!buf)
		return -ENOMEM;
	if (rc) {
		free(buf);
		return rc;
	}
	buf[n] = '\0';
	*out = buf;
	return 0;
}

/* Write all of buf; 0 or -errno (a write that makes no progress: -EIO). */
static int write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

int setio_append(int fd, const char *buf, size_t len)
{
	struct stat st;
	int rc;

	if (fstat(fd, &st) != 0)
		return -errno;
	rc = write_all(fd, buf, len);
	if (rc && ftruncate(fd, st.st_size) != 0)
		return -errno;
	return rc;
}

/* The text put() writes, in memory. */
static int render(int (*put)(FILE *f, const void *arg), const void *arg, char **buf, size_t *len)
{
	FILE *m = open_memstream(buf, len);
	int rc;

	if (!m)
		return -errno;
	rc = put(m, arg);
	if (fclose(m) != 0 && rc == 0)
		rc = -ENOMEM;
	if (rc) {
		free(*buf);
		*buf = NULL;
	}
	return rc;
}

int setio_replace(const char *path, int (*put)(FILE *f, const void *arg), const void *arg)
{
	char tmp[PATH_MAX], *buf = NULL;
	size_t len = 0;
	mode_t mask;
	int fd, rc;

	if (snprintf(tmp, sizeof(tmp), "%s%s", path, TEMP_SUFFIX) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	rc = render(put, arg, &buf, &len);
	if (rc)
		return rc;
	fd = mkstemp(tmp);
	if (fd < 0) {
		free(buf);
		return -errno;
	}
	mask = umask(0);
	umask(mask);
	rc = write_all(fd, buf, len);
	if (rc == 0 && fchmod(fd, 0666 & ~mask) != 0)
		rc = -errno;
	if (close(fd) != 0 && rc == 0)
		rc = -errno;
	if (rc == 0 && rename(tmp, path) != 0)
		rc = -errno;
	if (rc)
		unlink(tmp);
	free(buf);
	return rc;
}

static int put_text(FILE *f, const void *arg)
{
	const char *text = arg;

	return fputs(text, f) < 0 ? -ENOMEM : 0;
}

int setio_copy(const char *from, const char *to)
{
	char *text;
	int rc = setio_slurp(from, &text);

	if (rc)
		return rc;
	rc = setio_replace(to, put_text, text);
	free(text);
	return rc;
}

/* The offset just past the last newline of fd's first size bytes (0: none). */
static int last_newline_end(int fd, off_t size, off_t *end)
{
	char buf[4096];
	off_t at = size;

	while (at > 0) {
		size_t n = at > (off_t)sizeof(buf) ? sizeof(buf) : (size_t)at;
		ssize_t got = pread(fd, buf, n, at - (off_t)n);

		if (got != (ssize_t)n)
			return got < 0 ? -errno : -EIO;
		at -= (off_t)n;
		for (size_t i = n; i-- > 0;)
			if (buf[i] == '\n') {
				*end = at + (off_t)i + 1;
				return 0;
			}
	}
	*end = 0;
	return 0;
}

int setio_repair_tail(const char *path, size_t *cut)
{
	struct stat st;
	off_t end = 0;
	int fd, rc = 0;

	*cut = 0;
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) != 0)
		rc = -errno;
	else if (st.st_size > 0)
		rc = last_newline_end(fd, st.st_size, &end);
	if (rc == 0 && st.st_size > end) {
		if (ftruncate(fd, end) != 0)
			rc = -errno;
		else
			*cut = (size_t)(st.st_size - end);
	}
	close(fd);
	return rc;
}

/* Whether name is NAME.XXXXXX as setio_replace makes them. */
static bool is_temp(const char *name)
{
	size_t n = strlen(name), k = strlen(TEMP_SUFFIX);

	return n > k && name[n - k] == '.' &&
	       strspn(name + n - k + 1, "abcdefghijklmnopqrstuvwxyz"
					"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") == k - 1;
}

void setio_sweep_temps(const char *dir)
{
	static const char *const names[] = { "cells.csv.", "meta.json.", "results.csv." };
	char path[PATH_MAX];
	struct dirent *e;
	DIR *d = opendir(dir);

	while (d && (e = readdir(d)))
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (strncmp(e->d_name, names[i], strlen(names[i])) == 0 &&
			    is_temp(e->d_name) &&
			    setio_path(path, sizeof(path), dir, e->d_name) == 0)
				unlink(path);
	if (d)
		closedir(d);
}

bool setio_nearly_full(const char *dir, unsigned long long min_bytes)
{
	struct statvfs st;

	if (statvfs(dir, &st) != 0)
		return false;
	return (unsigned long long)st.f_bavail * st.f_frsize < min_bytes;
}

int setio_lock(const char *dir)
{
	char path[PATH_MAX];
	int fd, rc = setio_path(path, sizeof(path), dir, ".lock");

	if (rc)
		return rc;
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	if (fd < 0)
		return -errno;
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		rc = errno == EWOULDBLOCK ? -EWOULDBLOCK : -errno;
		close(fd);
		return rc;
	}
	return fd;
}

bool setio_path_safe(const char *path)
{
	for (const unsigned char *p = (const unsigned char *)path; *p; p++)
		if (*p < 0x20 || *p == 0x7f || strchr("'\"`\\$", *p))
			return false;
	return true;
}
