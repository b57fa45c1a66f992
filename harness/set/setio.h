/* setio.h - the files of a result set, written safely: a row is appended
 * whole or not at all, a table is replaced whole or not at all, one sweep
 * or merge writes a set at a time, and every failure is the real -errno
 * (-ENOSPC on a full disk, -EFBIG past a file size limit). */
#ifndef CMB_SETIO_H
#define CMB_SETIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* dir/name into buf. 0 or -ENAMETOOLONG. */
int setio_path(char *buf, size_t len, const char *dir, const char *name);
/* mkdir -p. 0 or -errno. */
int setio_mkdir_p(const char *path);
/* Whether path exists and is not empty. */
bool setio_nonempty(const char *path);
/* The whole file as a malloc'd, NUL-terminated string. 0 or -errno. */
int setio_slurp(const char *path, char **out);

/* Append len bytes to fd (opened O_APPEND) whole: on a short or failed
 * write the file is cut back to its size before. 0 or -errno. */
int setio_append(int fd, const char *buf, size_t len);
/* Replace path whole: put() writes the new text (its result: 0 or
 * -errno), which goes to a uniquely named file beside path that is
 * renamed over it only if every write succeeded; it never stays behind.
 * 0 or -errno. */
int setio_replace(const char *path, int (*put)(FILE *f, const void *arg), const void *arg);
/* Copy a file (replacing to as above). 0 or -errno. */
int setio_copy(const char *from, const char *to);
/* Cut a torn last line (text after the last newline) off path; *cut says
 * how many bytes went. 0 or -errno (-ENOENT: no file). */
int setio_repair_tail(const char *path, size_t *cut);
/* Remove what an interrupted setio_replace may have left in dir. */
void setio_sweep_temps(const char *dir);

/* Whether the file system of dir has less than min_bytes left for us. */
bool setio_nearly_full(const char *dir, unsigned long long min_bytes);

/* Take the set's lock, DIR/.lock, without waiting: an open fd (close it
 * to let go), -EWOULDBLOCK when another process holds it, or -errno. */
int setio_lock(const char *dir);
/* Whether a path can be handed to tools safely: no quote, backquote,
 * backslash, dollar sign or control character. */
bool setio_path_safe(const char *path);

#endif
