/* sqlite.c - the sqlite workload: a real SQLite query per task through
 * libsqlite3, in-process and blocking: the seed's "blocking C library
 * (sqlite3) -> threading or run_in_executor" row. SQLite has no
 * non-blocking API, so the workload is blocking_only: the loops run it
 * inline (and stall) or offload it.
 *
 * Its service generates the database before the clock, in a fresh temp
 * directory that is removed after the run: a table of --sqlite-rows rows
 *
 *   t(id INTEGER PRIMARY KEY, k INTEGER, v INTEGER, s TEXT), index on k
 *
 * where k is a permutation of 0..rows-1 (so the index, not the rowid
 * order, finds a range), in WAL mode. Every slot (thread, process, loop
 * slot) opens its own connection in slot_open and closes it in slot_close.
 * Task `id` works on the --sqlite-range rows with k in [start, start+range),
 * start = mix64(id) mod rows (fewer rows near the end of the table):
 *
 *   read   SELECT the rows by the index; the result is an order-independent
 *          hash of the rows returned (id, k, v, s) and their number.
 *   write  BEGIN IMMEDIATE; UPDATE the rows' v to a function of (id, k)
 *          RETURNING k, v; COMMIT with synchronous=FULL, so every commit
 *          waits for its fsync. The result is the hash of what the task
 *          wrote, (k, new v) for each row: a function of the task alone,
 *          whatever order the models run the tasks in, so checksums agree
 *          across models in both modes.
 *
 * A database that stays busy (another writer) is waited for with
 * sqlite3_busy_timeout(--timeout); still busy after that is a timeout
 * error, any other SQLite error a query error. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../lib/proc.h"
#include "../lib/spawn.h"
#include "workload.h"

enum { SQ_ROWS, SQ_RANGE, SQ_MODE }; /* cfg->wl_num slots */
enum { SQ_PATH };		     /* cfg->wl_str slot: the file, set by the service */
enum { SQ_READ, SQ_WRITE };	     /* --sqlite-mode */

#define SQ_PERM 2654435761ull /* a prime: i * SQ_PERM mod rows permutes 0..rows-1 */
#define SQ_FDS 3	      /* files a WAL connection holds open: db, -wal, -shm */
#define SQ_DB_NAME "bench.db"

static const char *const sq_modes[] = { "read", "write", NULL };

static const struct wl_flag sq_flags[] = {
	{ "sqlite-rows", "N", "rows in the generated table (default 100000)", WLF_U64, SQ_ROWS,
	  100000, 1, 10000000, NULL },
	{ "sqlite-range", "N", "rows each task reaches by the index (default 100)", WLF_U64,
	  SQ_RANGE, 100, 1, 1000000, NULL },
	{ "sqlite-mode", "read|write",
	  "read: SELECT the range; write: UPDATE it, commit with synchronous=FULL", WLF_CHOICE,
	  SQ_MODE, SQ_READ, 0, 1, sq_modes },
	{ NULL, NULL, NULL, 0, 0, 0, 0, 0, NULL },
};

static const char sq_select[] = "SELECT id, k, v, s FROM t WHERE k >= ?1 AND k < ?2";
/* (k * 1000003 + salt) mod 2^31-1 stays an integer: no SQLite overflow to REAL */
static const char sq_update[] = "UPDATE t SET v = (k * 1000003 + ?3) % 2147483647 "
				"WHERE k >= ?1 AND k < ?2 RETURNING k, v";

/* One connection and its prepared statements. */
struct sq_conn {
	sqlite3 *db;				 /* NULL: not open */
	sqlite3_stmt *query;			 /* sq_select or sq_update */
	sqlite3_stmt *begin, *commit, *rollback; /* write mode's transaction */
};

/* ---- the task ---- */

static uint64_t sq_row_hash(int64_t id, int64_t k, int64_t v, const unsigned char *s, int n)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a over the text */

	for (int i = 0; i < n; i++)
		h = (h ^ s[i]) * 1099511628211ull;
	return mix64(h ^ mix64((uint64_t)id ^ mix64((uint64_t)k ^ mix64((uint64_t)v))));
}

/* Step a statement to its end, folding its rows: 0 or an SQLite code. */
static int sq_rows(sqlite3_stmt *st, bool write, uint64_t *result)
{
	uint64_t sum = 0, n = 0;
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (write)
			sum += sq_row_hash(0, sqlite3_column_int64(st, 0),
					   sqlite3_column_int64(st, 1), NULL, 0);
		else
			sum += sq_row_hash(sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
					   sqlite3_column_int64(st, 2), sqlite3_column_text(st, 3),
					   sqlite3_column_bytes(st, 3));
		n++;
	}
	sqlite3_reset(st);
	*result = mix64(sum ^ mix64(n));
	return rc == SQLITE_DONE ? 0 : rc;
}

static int sq_exec(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : rc;
}

static int sq_write(struct sq_conn *q, uint64_t *result)
{
	int rc = sq_exec(q->begin);

	if (rc == 0)
		rc = sq_rows(q->query, true, result);
	if (rc == 0)
		rc = sq_exec(q->commit);
	if (rc != 0 && !sqlite3_get_autocommit(q->db))
		sq_exec(q->rollback);
	return rc;
}

static int sq_task_err(int rc)
{
	rc &= 0xff; /* the primary code of an extended one */
	return rc == SQLITE_BUSY || rc == SQLITE_LOCKED ? TASK_ERR_TIMEOUT : TASK_ERR_QUERY;
}

static int sq_open(struct wl_slot *s);

static void sq_run(struct wl_slot *s)
{
	const struct run_cfg *cfg = s->cfg;
	struct sq_conn *q = s->priv;
	bool write = cfg->wl_num[SQ_MODE] == SQ_WRITE;
	uint64_t start = mix64(s->id) % cfg->wl_num[SQ_ROWS], result = 0;
	int rc;

	if (!q->db && sq_open(s) < 0) {
		wl_done(s, TASK_ERR_QUERY, 0);
		return;
	}
	sqlite3_bind_int64(q->query, 1, (sqlite3_int64)start);
	sqlite3_bind_int64(q->query, 2, (sqlite3_int64)(start + cfg->wl_num[SQ_RANGE]));
	if (write)
		sqlite3_bind_int64(q->query, 3, (sqlite3_int64)(mix64(s->id) & 0x7fffffff));
	rc = write ? sq_write(q, &result) : sq_rows(q->query, false, &result);
	wl_done(s, rc == 0 ? TASK_OK : sq_task_err(rc), result);
}

/* ---- the slot: one connection ---- */

static void sq_close(struct sq_conn *q)
{
	sqlite3_finalize(q->query);
	sqlite3_finalize(q->begin);
	sqlite3_finalize(q->commit);
	sqlite3_finalize(q->rollback);
	sqlite3_close_v2(q->db);
	memset(q, 0, sizeof(*q));
}

static int sq_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st)
{
	return sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL);
}

static int sq_open(struct wl_slot *s)
{
	const struct run_cfg *cfg = s->cfg;
	struct sq_conn *q = s->priv;
	bool write = cfg->wl_num[SQ_MODE] == SQ_WRITE;
	uint64_t ms = cfg->timeout_us / 1000;
	int rc;

	/* NOMUTEX: a connection is used by one thread at a time */
	rc = sqlite3_open_v2(cfg->wl_str[SQ_PATH], &q->db,
			     SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_PRIVATECACHE,
			     NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_busy_timeout(q->db, ms > INT_MAX ? INT_MAX : (int)ms);
	if (rc == SQLITE_OK && write)
		rc = sqlite3_exec(q->db, "PRAGMA synchronous=FULL", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sq_prepare(q->db, write ? sq_update : sq_select, &q->query);
	if (rc == SQLITE_OK && write)
		rc = sq_prepare(q->db, "BEGIN IMMEDIATE", &q->begin);
	if (rc == SQLITE_OK && write)
		rc = sq_prepare(q->db, "COMMIT", &q->commit);
	if (rc == SQLITE_OK && write)
		rc = sq_prepare(q->db, "ROLLBACK", &q->rollback);
	if (rc == SQLITE_OK)
		return 0;
	sq_close(q);
	return rc == SQLITE_NOMEM ? -ENOMEM : -EIO;
}

static void sq_slot_close(struct wl_slot *s)
{
	sq_close(s->priv);
}

/* ---- the service: the database file ---- */

struct sq_svc {
	char dir[PATH_MAX]; /* the temp directory, "" once removed */
	pid_t janitor;	    /* removes dir if the run dies unstopped */
	int janitor_fd;	    /* its pipe: EOF tells it to clean up */
};

static void sq_remove(const char *dir)
{
	static const char *const files[] = { SQ_DB_NAME, SQ_DB_NAME "-wal", SQ_DB_NAME "-shm",
					     SQ_DB_NAME "-journal" };
	char p[PATH_MAX + 32];

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, files[i]);
		unlink(p);
	}
	rmdir(dir);
}

/* A child that waits for EOF on a pipe whose write ends only the run
 * holds (the monitor, the trial and its forked workers), then removes
 * dir: the file goes away even when the run is killed before it can
 * stop the service. It ignores the terminal's signals so a Ctrl-C does
 * not take it down before it has cleaned up. */
static int sq_janitor(void *arg)
{
	struct sq_svc *svc = arg;
	char c;

	for (;;) {
		ssize_t r = read(STDIN_FILENO, &c, 1);

		if (r == 0 || (r < 0 && errno != EINTR))
			break;
	}
	sq_remove(svc->dir);
	return 0;
}

static void sq_janitor_start(struct sq_svc *svc)
{
	struct spawn sp;
	int p[2];

	svc->janitor = 0;
	svc->janitor_fd = -1;
	if (pipe2(p, O_CLOEXEC) < 0)
		return;
	/* hold no one's terminal or pipe open while it waits */
	spawn_init(&sp);
	spawn_dup(&sp, STDIN_FILENO, p[0]);
	spawn_null(&sp, STDOUT_FILENO);
	spawn_null(&sp, STDERR_FILENO);
	sp.close_others = true;
	sp.ignore_signals = true;
	if (spawn_fn(&sp, sq_janitor, svc, &svc->janitor) != 0) {
		svc->janitor = 0;
		close(p[0]);
		close(p[1]);
		return;
	}
	close(p[0]);
	svc->janitor_fd = p[1];
}

static void sq_janitor_stop(struct sq_svc *svc)
{
	if (svc->janitor_fd >= 0)
		close(svc->janitor_fd);
	if (svc->janitor > 0)
		proc_wait(svc->janitor, NULL, NULL);
}

static int sq_fill(sqlite3 *db, uint64_t rows)
{
	sqlite3_stmt *ins;
	char text[24];
	int rc = sq_prepare(db, "INSERT INTO t(id, k, v, s) VALUES (?1, ?2, ?3, ?4)", &ins);

	for (uint64_t i = 0; rc == SQLITE_OK && i < rows; i++) {
		snprintf(text, sizeof(text), "%016llx", (unsigned long long)mix64(i ^ 0x5eed));
		sqlite3_bind_int64(ins, 1, (sqlite3_int64)i + 1);
		sqlite3_bind_int64(ins, 2, (sqlite3_int64)((i * SQ_PERM) % rows));
		sqlite3_bind_int64(ins, 3, (sqlite3_int64)(mix64(i) >> 33));
		sqlite3_bind_text(ins, 4, text, 16, SQLITE_STATIC);
		rc = sqlite3_step(ins) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(db);
		sqlite3_reset(ins);
	}
	sqlite3_finalize(ins);
	return rc;
}

/* Create the table, fill it, index it; WAL mode, folded back into the
 * main file so every connection starts from the same state. */
static int sq_generate(const char *path, uint64_t rows, char *err, size_t errlen)
{
	sqlite3 *db = NULL;
	int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);

	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db,
				  "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;"
				  "CREATE TABLE t(id INTEGER PRIMARY KEY, k INTEGER NOT NULL,"
				  " v INTEGER NOT NULL, s TEXT NOT NULL); BEGIN",
				  NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sq_fill(db, rows);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db,
				  "COMMIT; CREATE INDEX t_k ON t(k);"
				  "PRAGMA wal_checkpoint(TRUNCATE)",
				  NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		snprintf(err, errlen, "sqlite: generating %s: %s", path,
			 db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
	sqlite3_close_v2(db);
	return rc == SQLITE_OK ? 0 : -EIO;
}

/* Every connection holds SQ_FDS files; with one per slot they must fit
 * under the open-file limit that cli_check_fd_limit raised. */
static int sq_check_fds(const struct run_cfg *cfg, char *err, size_t errlen)
{
	uint64_t need = cfg->concurrency * SQ_FDS + 64;
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY ||
	    need <= rl.rlim_cur)
		return 0;
	snprintf(err, errlen,
		 "--concurrency: %llu SQLite connections need %llu open files, above the limit "
		 "(%llu)",
		 (unsigned long long)cfg->concurrency, (unsigned long long)need,
		 (unsigned long long)rl.rlim_cur);
	return -EMFILE;
}

static int sq_start(const struct run_cfg *cfg, struct wl_service_result *res, void **out, char *err,
		    size_t errlen)
{
	const char *tmp = getenv("TMPDIR");
	char path[PATH_MAX + 32];
	struct sq_svc *svc;
	int rc = sq_check_fds(cfg, err, errlen);

	if (rc < 0)
		return rc;
	svc = calloc(1, sizeof(*svc));
	if (!svc)
		return -ENOMEM;
	snprintf(svc->dir, sizeof(svc->dir), "%s/cmbench-sqlite-XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(svc->dir)) {
		rc = -errno;
		snprintf(err, errlen, "sqlite: cannot make a temp directory %s: %s", svc->dir,
			 strerror(errno));
		free(svc);
		return rc;
	}
	sq_janitor_start(svc);
	snprintf(path, sizeof(path), "%s/%s", svc->dir, SQ_DB_NAME);
	if (strlen(path) >= sizeof(res->wl_str[SQ_PATH])) {
		snprintf(err, errlen, "sqlite: the temp path %s is too long (TMPDIR)", path);
		rc = -ENAMETOOLONG;
	} else {
		rc = sq_generate(path, cfg->wl_num[SQ_ROWS], err, errlen);
	}
	if (rc < 0) {
		sq_remove(svc->dir);
		sq_janitor_stop(svc);
		free(svc);
		return rc;
	}
	memcpy(res->wl_str[SQ_PATH], path, strlen(path) + 1); /* its length was checked */
	res->wl_str_set[SQ_PATH] = true;
	*out = svc;
	return 0;
}

static void sq_stop(void *p)
{
	struct sq_svc *svc = p;

	if (!svc)
		return;
	sq_remove(svc->dir);
	sq_janitor_stop(svc);
	free(svc);
}

static const struct wl_service sq_service = {
	.name = "sqlite database",
	.start = sq_start,
	.stop = sq_stop,
};

const struct workload_ops workload_sqlite = {
	.name = "sqlite",
	.summary =
		"a real SQLite query per task on a generated database (--sqlite-mode read|write)",
	.label = "sqlite",
	.family = WL_FAMILY_EMBEDDED_DB,
	.noun = "SQLite (a blocking C library)",
	.blocking_only = true,
	.flags = sq_flags,
	.service = &sq_service,
	.slot_size = sizeof(struct sq_conn),
	.slot_open = sq_open,
	.slot_close = sq_slot_close,
	.run_blocking = sq_run,
};
