/* file.c - the file workload: each task reads --file-bytes from a file set
 * generated before the clock, or appends them to it and fsyncs. The seed's
 * "Python's built-in open() is a blocking call - it will stall the event
 * loop for the duration of any disk read or write", measured: a regular
 * file has no non-blocking read (poll says "ready" and the read still
 * waits for the disk), so the task is one synchronous part (WL_RUN). The
 * blocking models run it on their thread (pread); eventloop runs it on the
 * loop thread (the stall, like `blocking`); eventloop-offload hands it to
 * libuv's thread pool (UV_THREADPOOL_SIZE = --workers), the pool and the
 * same pread that uv_fs_read would use.
 *
 * The set: --file-count files of --file-size bytes, f0000, f0001, ..., in
 * a directory of the run's own under --file-dir (scratch.h: removed after
 * the run, also on Ctrl-C and on a failed run). The byte at position p of
 * file f is byte p mod 8 (little-endian) of mix64(f << 40 ^ p / 8). Each
 * file is written and fsynced, so its pages are clean; then
 *
 *   warm  every file is read once: the set is in the page cache;
 *   cold  posix_fadvise(POSIX_FADV_DONTNEED) drops its pages.
 *
 * mincore() then says how much of the set is resident, and the row's
 * workload_note says when that is not what was asked: a filesystem that
 * ignores the drop (tmpfs keeps its pages; they are the file) shows as
 * cold_ignored_resident_100pct. "Cold" is cold for this kernel only: a
 * virtual disk may still be served from the host's cache.
 *
 * Task id, in both modes, works on file mix64(id) mod count:
 *
 *   read    open, pread --file-bytes at (mix64(mix64(id)) mod (size /
 *           bytes)) * bytes, close: the whole of Python's
 *           `with open(p, "rb") as f: f.seek(o); f.read(n)`;
 *   append  open O_APPEND, write the task's block, fsync, close; the
 *           block is the first --file-bytes of f0000 with its first
 *           (up to 8) bytes XORed with id, little-endian.
 *
 * The result is a hash of the bytes read or written, zlib's CRC-32 folded
 * with their length by one mix64, mix64(crc32 ^ (n << 32)) as an io body's
 * (http.h): the same in every model and in Python (foreign.body_hash,
 * zlib.crc32). A disk read cannot be interrupted, so
 * a task has no I/O timeout of its own: the monitor's deadline for the
 * whole run bounds it. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>
#include <zlib.h>

#include "../lib/parse.h"
#include "pylib.h"
#include "scratch.h"
#include "workload.h"

enum { FI_BYTES, FI_SIZE, FI_COUNT, FI_MODE, FI_CACHE }; /* cfg->wl_num slots */
enum { FI_DIR, FI_SET };     /* cfg->wl_str: --file-dir; the set's directory (the service's) */
enum { FI_READ, FI_APPEND }; /* --file-mode */
enum { FI_WARM, FI_COLD };   /* --file-cache */

#define FI_CHUNK (1u << 20)	   /* bytes generated and written per call */
#define FI_MAX_BYTES (16ull << 20) /* --file-bytes: one buffer per slot */
#define FI_MAX_SIZE (1ull << 40)   /* --file-size */
#define FI_MAX_COUNT 4096	   /* --file-count */
#define FI_COLD_MAX 0.01	   /* cold: more resident than this is a drop ignored */
#define FI_WARM_MIN 0.99	   /* warm: less resident than this is said */

static const char *const fi_modes[] = { "read", "append", NULL };
static const char *const fi_caches[] = { "warm", "cold", NULL };

static const struct wl_flag fi_flags[] = {
	{ "file-bytes", "N", "bytes each task reads or appends (default 4096)", WLF_U64, FI_BYTES,
	  4096, 1, FI_MAX_BYTES, NULL },
	{ "file-size", "N",
	  "bytes of each file of the set, made before the clock (default 1048576)", WLF_U64,
	  FI_SIZE, 1u << 20, 1, FI_MAX_SIZE, NULL },
	{ "file-count", "N", "files in the set (default 16)", WLF_U64, FI_COUNT, 16, 1,
	  FI_MAX_COUNT, NULL },
	{ "file-mode", "read|append",
	  "read: pread --file-bytes at the task's offset; append: write them at the end, fsync",
	  WLF_CHOICE, FI_MODE, FI_READ, 0, 1, fi_modes },
	{ "file-cache", "warm|cold",
	  "warm: the set in the page cache; cold: its pages dropped (POSIX_FADV_DONTNEED)",
	  WLF_CHOICE, FI_CACHE, FI_WARM, 0, 1, fi_caches },
	{ "file-dir", "DIR",
	  "where the run's own directory of the set goes (default $TMPDIR, /tmp)", WLF_STR, FI_DIR,
	  0, 0, 0, NULL },
	{ "py-file", "LIB",
	  "Python models' file I/O: open (the model runs it: inline on a loop), aiofiles or "
	  "to_thread on a loop; open elsewhere",
	  WLF_CHOICE, WL_PY_LIB, 0, 0, 0, wl_py_file_libs },
	{ NULL, NULL, NULL, 0, 0, 0, 0, 0, NULL },
};

/* ---- the bytes ---- */

/* n bytes of file f from position off (the set's content, above). */
static void fi_gen(uint64_t f, uint64_t off, unsigned char *b, size_t n)
{
	uint64_t word = UINT64_MAX, x = 0;

	for (size_t i = 0; i < n; i++) {
		uint64_t p = off + i;

		if (p >> 3 != word) {
			word = p >> 3;
			x = mix64(f << 40 ^ word);
		}
		b[i] = (unsigned char)(x >> (8 * (p & 7)));
	}
}

/* mix64(crc32 ^ (n << 32)), the fold of an io body's hash (http.h): the
 * task's result. */
static uint64_t fi_hash(const unsigned char *b, size_t n)
{
	uLong crc = crc32_z(crc32(0L, Z_NULL, 0), b, n);

	return mix64((uint64_t)(crc & 0xffffffffu) ^ ((uint64_t)n << 32));
}

static void fi_path(char *out, size_t cap, const char *dir, uint64_t f)
{
	snprintf(out, cap, "%s/f%04u", dir, (unsigned)f);
}

/* The first (up to 8) bytes of the block XORed with id: done twice, undone. */
static void fi_stamp(unsigned char *b, size_t n, uint64_t id)
{
	for (size_t i = 0; i < n && i < 8; i++)
		b[i] ^= (unsigned char)(id >> (8 * i));
}

static int write_all(int fd, const unsigned char *b, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, b, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? -errno : -EIO;
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

/* ---- the task ---- */

struct fi_slot {
	unsigned char *buf; /* --file-bytes: what a task read, or the block it appends */
};

static int fi_read(const struct run_cfg *cfg, uint64_t id, unsigned char *buf, size_t n)
{
	uint64_t blocks = cfg->wl_num[FI_SIZE] / n;
	off_t off = (off_t)(mix64(mix64(id)) % blocks * n);
	char path[PATH_MAX];
	size_t got = 0;
	int fd;

	fi_path(path, sizeof(path), cfg->wl_str[FI_SET], mix64(id) % cfg->wl_num[FI_COUNT]);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (got < n) {
		ssize_t r = pread(fd, buf + got, n - got, off + (off_t)got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	return got == n ? 0 : -EIO;
}

static int fi_append(const struct run_cfg *cfg, uint64_t id, const unsigned char *buf, size_t n)
{
	char path[PATH_MAX];
	int fd, rc;

	fi_path(path, sizeof(path), cfg->wl_str[FI_SET], mix64(id) % cfg->wl_num[FI_COUNT]);
	fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	rc = write_all(fd, buf, n);
	if (rc == 0 && fsync(fd) < 0)
		rc = -errno;
	close(fd);
	return rc;
}

/* The whole task: on the model's thread, the loop's, or the pool's. It
 * writes only the slot's buffer, result and err. */
static void fi_task(struct wl_slot *s)
{
	const struct run_cfg *cfg = s->cfg;
	struct fi_slot *q = s->priv;
	size_t n = (size_t)cfg->wl_num[FI_BYTES];
	uint64_t result;
	int rc;

	if (!q->buf) {
		wl_done(s, TASK_ERR_IO, 0);
		return;
	}
	if (cfg->wl_num[FI_MODE] == FI_APPEND) {
		fi_stamp(q->buf, n, s->id);
		result = fi_hash(q->buf, n);
		rc = fi_append(cfg, s->id, q->buf, n);
		fi_stamp(q->buf, n, s->id);
	} else {
		rc = fi_read(cfg, s->id, q->buf, n);
		result = rc == 0 ? fi_hash(q->buf, n) : 0;
	}
	wl_done(s, rc == 0 ? TASK_OK : TASK_ERR_IO, result);
}

static enum wl_status fi_start(struct wl_slot *s)
{
	s->sync = fi_task;
	return WL_RUN;
}

/* ---- the slot: one buffer ---- */

static int fi_slot_open(struct wl_slot *s)
{
	struct fi_slot *q = s->priv;
	size_t n = (size_t)s->cfg->wl_num[FI_BYTES];

	q->buf = malloc(n);
	if (!q->buf)
		return -ENOMEM;
	if (s->cfg->wl_num[FI_MODE] == FI_APPEND)
		fi_gen(0, 0, q->buf, n); /* the block: f0000's first bytes */
	else
		memset(q->buf, 0, n); /* its pages are the slot's before the clock */
	return 0;
}

static void fi_slot_close(struct wl_slot *s)
{
	struct fi_slot *q = s->priv;

	free(q->buf);
	q->buf = NULL;
}

/* ---- the check: bad settings are exit 2, with nothing made ---- */

static const char *fi_parent(const struct run_cfg *cfg)
{
	return cfg->wl_str[FI_DIR][0] ? cfg->wl_str[FI_DIR] : scratch_parent();
}

/* a * b, or UINT64_MAX when it does not fit */
static uint64_t mul_sat(uint64_t a, uint64_t b)
{
	uint64_t r;

	return __builtin_mul_overflow(a, b, &r) ? UINT64_MAX : r;
}

static int fi_check(const struct run_cfg *cfg, char *err, size_t errlen)
{
	const char *dir = fi_parent(cfg);
	uint64_t bytes = cfg->wl_num[FI_BYTES], size = cfg->wl_num[FI_SIZE];
	uint64_t need = mul_sat(size, cfg->wl_num[FI_COUNT]), avail;
	struct statvfs vfs;
	struct stat st;
	int rc;

	if (bytes > size)
		return parse_fail(err, errlen,
				  "--file-bytes: %llu is above --file-size (%llu): a task's bytes "
				  "lie in one file",
				  (unsigned long long)bytes, (unsigned long long)size);
	if (stat(dir, &st) < 0)
		return parse_fail(err, errlen, "--file-dir %s: %s", dir, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return parse_fail(err, errlen, "--file-dir %s: not a directory", dir);
	rc = scratch_try(dir);
	if (rc < 0)
		return parse_fail(err, errlen, "--file-dir %s: not writable: %s", dir,
				  strerror(-rc));
	if (cfg->wl_num[FI_MODE] == FI_APPEND)
		need = need > UINT64_MAX - mul_sat(cfg->tasks, bytes)
			       ? UINT64_MAX
			       : need + mul_sat(cfg->tasks, bytes);
	if (statvfs(dir, &vfs) < 0)
		return 0; /* no figure to hold it against: writing will say */
	avail = mul_sat(vfs.f_bavail, vfs.f_frsize);
	if (need > avail)
		return parse_fail(err, errlen,
				  "--file-size: the set needs %llu bytes (%llu files of %llu%s), "
				  "above the free space of %s (%llu bytes)",
				  (unsigned long long)need,
				  (unsigned long long)cfg->wl_num[FI_COUNT],
				  (unsigned long long)size,
				  cfg->wl_num[FI_MODE] == FI_APPEND ? ", and the appends" : "", dir,
				  (unsigned long long)avail);
	return 0;
}

/* ---- the service: the set ---- */

static int fi_write_file(const char *path, uint64_t f, uint64_t size, unsigned char *chunk,
			 char *err, size_t errlen)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	int rc = fd < 0 ? -errno : 0;

	for (uint64_t off = 0; rc == 0 && off < size; off += FI_CHUNK) {
		size_t n = size - off < FI_CHUNK ? (size_t)(size - off) : FI_CHUNK;

		fi_gen(f, off, chunk, n);
		rc = write_all(fd, chunk, n);
	}
	/* written back: only clean pages can be dropped */
	if (rc == 0 && fsync(fd) < 0)
		rc = -errno;
	if (fd >= 0)
		close(fd);
	if (rc < 0)
		snprintf(err, errlen, "file: writing %s: %s", path, strerror(-rc));
	return rc;
}

/* Pages of the file in the page cache, by mincore() on a map of it (which
 * faults nothing in); -1 when it cannot say. */
static int64_t fi_resident(const char *path, uint64_t size, uint64_t *pages)
{
	long page = sysconf(_SC_PAGESIZE);
	unsigned char vec[4096];
	int64_t in = 0;
	void *map;
	int fd;

	*pages = (size + (uint64_t)page - 1) / (uint64_t)page;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	map = mmap(NULL, (size_t)size, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return -1;
	for (uint64_t pg = 0; pg < *pages && in >= 0; pg += sizeof(vec)) {
		uint64_t k = *pages - pg < sizeof(vec) ? *pages - pg : sizeof(vec);

		if (mincore((char *)map + pg * (uint64_t)page, (size_t)(k * (uint64_t)page), vec) <
		    0) {
			in = -1;
			break;
		}
		for (uint64_t i = 0; i < k; i++)
			in += vec[i] & 1;
	}
	munmap(map, (size_t)size);
	return in;
}

/* Warm: read the file through once. Cold: drop its pages. 0 or -errno. */
static int fi_cache(const char *path, bool cold, unsigned char *chunk)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc = 0;
	ssize_t r;

	if (fd < 0)
		return -errno;
	if (cold)
		rc = -posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	else
		while ((r = read(fd, chunk, FI_CHUNK)) != 0)
			if (r < 0 && errno != EINTR) {
				rc = -errno;
				break;
			}
	close(fd);
	return rc;
}

/* The note on what the cache holds, when it is not what was asked. */
static void fi_note(const struct run_cfg *cfg, struct wl_service_result *res, int64_t in,
		    uint64_t pages)
{
	double frac = pages ? (double)in / (double)pages : 1;
	bool cold = cfg->wl_num[FI_CACHE] == FI_COLD;

	if (in < 0)
		snprintf(res->note, sizeof(res->note), "residency_unknown");
	else if (cold && frac > FI_COLD_MAX)
		snprintf(res->note, sizeof(res->note), "cold_ignored_resident_%.0fpct", 100 * frac);
	else if (!cold && frac < FI_WARM_MIN)
		snprintf(res->note, sizeof(res->note), "warm_resident_%.0fpct", 100 * frac);
}

static int fi_make_set(const struct run_cfg *cfg, const char *dir, struct wl_service_result *res,
		       char *err, size_t errlen)
{
	bool cold = cfg->wl_num[FI_CACHE] == FI_COLD;
	uint64_t size = cfg->wl_num[FI_SIZE], pages = 0, total = 0;
	unsigned char *chunk = malloc(FI_CHUNK);
	char path[PATH_MAX];
	int64_t in = 0, n;
	int rc = chunk ? 0 : -ENOMEM;

	for (uint64_t f = 0; rc == 0 && f < cfg->wl_num[FI_COUNT]; f++) {
		fi_path(path, sizeof(path), dir, f);
		rc = fi_write_file(path, f, size, chunk, err, errlen);
	}
	for (uint64_t f = 0; rc == 0 && f < cfg->wl_num[FI_COUNT]; f++) {
		fi_path(path, sizeof(path), dir, f);
		rc = fi_cache(path, cold, chunk);
		if (rc < 0)
			snprintf(err, errlen, "file: %s %s: %s",
				 cold ? "dropping the pages of" : "reading", path, strerror(-rc));
	}
	for (uint64_t f = 0; rc == 0 && f < cfg->wl_num[FI_COUNT] && in >= 0; f++) {
		fi_path(path, sizeof(path), dir, f);
		n = fi_resident(path, size, &pages);
		in = n < 0 ? -1 : in + n;
		total += pages;
	}
	if (rc == 0)
		fi_note(cfg, res, in, total);
	free(chunk);
	return rc;
}

static int fi_svc_start(const struct run_cfg *cfg, struct wl_service_result *res, void **out,
			char *err, size_t errlen)
{
	struct scratch *sc = calloc(1, sizeof(*sc));
	int rc;

	if (!sc)
		return -ENOMEM;
	rc = scratch_make(sc, fi_parent(cfg), "file", err, errlen);
	if (rc == 0 && strlen(sc->dir) + 8 >= sizeof(res->wl_str[FI_SET])) {
		snprintf(err, errlen, "file: the directory %s is too long (--file-dir)", sc->dir);
		rc = -ENAMETOOLONG;
	}
	if (rc == 0)
		rc = fi_make_set(cfg, sc->dir, res, err, errlen);
	if (rc < 0) {
		scratch_remove(sc);
		free(sc);
		return rc;
	}
	memcpy(res->wl_str[FI_SET], sc->dir, strlen(sc->dir) + 1); /* its length was checked */
	res->wl_str_set[FI_SET] = true;
	*out = sc;
	return 0;
}

static void fi_svc_stop(void *p)
{
	struct scratch *sc = p;

	if (!sc)
		return;
	scratch_remove(sc);
	free(sc);
}

static const struct wl_service fi_service = {
	.name = "file set",
	.start = fi_svc_start,
	.stop = fi_svc_stop,
};

const struct workload_ops workload_file = {
	.name = "file",
	.summary = "read --file-bytes from a file set made before the clock (pread), or append "
		   "and fsync (--file-mode, --file-cache warm|cold)",
	.label = "file",
	.family = WL_FAMILY_FILE,
	.noun = "a file read (open().read())",
	.flags = fi_flags,
	.service = &fi_service,
	.check = fi_check,
	.slot_size = sizeof(struct fi_slot),
	.slot_open = fi_slot_open,
	.slot_close = fi_slot_close,
	.start = fi_start,
	.run_blocking = fi_task,
};
