/* util.h - the small things every part of cmbench shares, each defined once:
 * the 64-bit mixer, number formatting in the unit that suits a value, and
 * the comparison qsort needs. The clock is in clock.h. */
#ifndef CMB_UTIL_H
#define CMB_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* 64-bit finaliser (splitmix64): task seeds, body bytes, hashes, the fold. */
static inline uint64_t mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/* How a figure is written: FMT_TERSE for the terminal block (like wrk:
 * 635.91us, 12.92ms, 1.20s; 812.0KiB, 3.42MiB), FMT_PROSE for reports and
 * charts (636 µs, 12.9 ms; 3.4 KiB, 812 KiB, 30.1 MiB). Both write "n/a" for a value
 * that is not finite. */
enum fmt_style { FMT_TERSE, FMT_PROSE };

/* A duration given in microseconds. Returns buf. */
const char *fmt_us(char *buf, size_t n, double us, enum fmt_style style);
/* A size given in KiB. Returns buf. */
const char *fmt_kib(char *buf, size_t n, double kib, enum fmt_style style);
/* qsort comparator for doubles, ascending. */
int cmp_double(const void *a, const void *b);

/* In a child just forked from `parent`: get `sig` when the parent dies, and
 * exit at once if it already has. */
void die_with_parent(pid_t parent, int sig);

/* A file that ships with cmbench (models/python/x.py, claims/runs.txt): rel
 * under the directory of the running binary, its parent, or the working
 * directory, the first that exists. 0 with the path in out, or -ENOENT. */
int path_beside_binary(const char *rel, char *out, size_t cap);

/* The target of symbolic link path into out (the one readlink of
 * cmbench; self_exe in proc.h reads /proc/self/exe with it). 0, or -errno
 * (-ENAMETOOLONG when it does not fit). */
int read_link(const char *path, char *out, size_t cap);

/* The first line of a small file into buf, without its line end; "" when
 * the file cannot be read. */
void read_first_line(const char *path, char *buf, size_t cap);

#endif
