/* pg.c - the pg workload: one parameterised query per task on a real
 * PostgreSQL server over libpq, on a table the service (pg_service.c)
 * creates and fills before the clock. A task aggregates --pg-range rows
 * found by index, after waiting --io-latency in pg_sleep on the server (so
 * the share of waiting can be swept); its result is a hash of the rows
 * returned, as text, so checksums agree across models.
 *
 * The loops run libpq's asynchronous API on the loop: PQsendQueryParams,
 * then PQconsumeInput / PQisBusy / PQgetResult as the socket gets readable
 * (and PQflush while it must be writable), PQconnectStart/PQconnectPoll
 * for a new connection; nothing on the loop thread blocks. The other
 * models call PQexecParams (and PQconnectdb), blocking, as a thread with
 * psycopg2 would. --pg-conn pool: each slot keeps one connection, opened
 * before the clock (asyncpg's pool); new: each task opens its own inside
 * the timed region and closes it.
 *
 * Time limits: the server cancels a query after --timeout
 * (statement_timeout, SQLSTATE 57014: a timeout); the loops also give up
 * on a task --timeout plus PG_GRACE_US after it started (a server that
 * stopped answering), dropping the connection. A blocking model has no
 * client-side limit but libpq's connect_timeout: it relies on the server's
 * statement_timeout, or on the connection breaking. */
#include <errno.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "../lib/clock.h"
#include "pg.h"
#include "pylib.h"

#define PG_GRACE_US 1000000 /* past statement_timeout, before the client gives up */

static const char sql_plain[] =
	"SELECT count(*), sum(v) FROM " PG_TABLE " WHERE k BETWEEN $1 AND $2";
/* The uncorrelated subquery is an InitPlan: one sleep, before the scan. */
static const char sql_wait[] = "SELECT count(*), sum(v) FROM " PG_TABLE
			       " WHERE k BETWEEN $1 AND $2 AND (SELECT pg_sleep($3)) IS NOT NULL";

enum pg_phase { PG_IDLE, PG_CONNECTING, PG_SENDING, PG_READING };

struct pg_slot {
	PGconn *conn;	     /* the slot's (pool) or the task's (new), or NULL */
	int fd;		     /* the socket the driver was last asked to watch, or -1 */
	ino_t ino;	     /* its inode, while connecting (see pg_watch) */
	enum pg_phase phase; /* where the task is */
	bool nonblocking;    /* PQsetnonblocking done on conn */
	uint64_t deadline;   /* the task's client-side limit */
	bool answered;	     /* the task's first result is in err and hash */
	int err;	     /* the task's outcome, from its first result */
	uint64_t hash;	     /* the rows' hash, when err is TASK_OK */
};

/* Notices (and a FATAL that arrives while idle) must not reach stderr. */
static void pg_quiet(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

/* The task's parameters, as text: the first and last key of its range,
 * and the seconds to sleep. */
struct pg_params {
	char lo[24], hi[24], sleep[32];
	const char *v[3];
};

static void pg_params(const struct wl_slot *s, struct pg_params *q)
{
	uint64_t rows = s->cfg->wl_num[PG_NUM_ROWS], range = s->cfg->wl_num[PG_NUM_RANGE];
	uint64_t us = s->cfg->io_latency_us, lo;

	if (range > rows)
		range = rows;
	lo = 1 + mix64(s->id) % (rows - range + 1);
	snprintf(q->lo, sizeof(q->lo), "%llu", (unsigned long long)lo);
	snprintf(q->hi, sizeof(q->hi), "%llu", (unsigned long long)(lo + range - 1));
	snprintf(q->sleep, sizeof(q->sleep), "%llu.%06llu", (unsigned long long)(us / 1000000),
		 (unsigned long long)(us % 1000000));
	q->v[0] = q->lo;
	q->v[1] = q->hi;
	q->v[2] = q->sleep;
}

static const char *pg_sql(const struct run_cfg *cfg, int *nparams)
{
	*nparams = cfg->io_latency_us ? 3 : 2;
	return cfg->io_latency_us ? sql_wait : sql_plain;
}

static bool pg_new_per_task(const struct run_cfg *cfg)
{
	return cfg->wl_num[PG_NUM_CONN] == PG_CONN_NEW;
}

/* FNV-1a over every value as text, fields and rows separated. */
static uint64_t pg_hash(const PGresult *r)
{
	uint64_t h = 0xcbf29ce484222325ull;
	int rows = PQntuples(r), cols = PQnfields(r);

	for (int i = 0; i < rows; i++) {
		for (int j = 0; j < cols; j++) {
			const unsigned char *v = (const unsigned char *)PQgetvalue(r, i, j);
			int n = PQgetisnull(r, i, j) ? 0 : PQgetlength(r, i, j);

			for (int b = 0; b < n; b++)
				h = (h ^ v[b]) * 0x100000001b3ull;
			h = (h ^ (PQgetisnull(r, i, j) ? 0x100 : 0x1f)) * 0x100000001b3ull;
		}
		h = (h ^ 0x1e) * 0x100000001b3ull;
	}
	return mix64(h);
}

/* What a result says about the task: ok (with the hash), a timeout (the
 * server cancelled the statement), a broken connection, or a query error. */
static int pg_classify(PGconn *c, const PGresult *r, uint64_t *hash)
{
	const char *state;

	if (PQresultStatus(r) == PGRES_TUPLES_OK) {
		*hash = pg_hash(r);
		return TASK_OK;
	}
	if (PQstatus(c) == CONNECTION_BAD)
		return TASK_ERR_IO;
	state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	if (state && strcmp(state, "57014") == 0)
		return TASK_ERR_TIMEOUT;
	return TASK_ERR_QUERY;
}

static PGconn *pg_connect_blocking(const struct run_cfg *cfg)
{
	PGconn *c = PQconnectdb(cfg->wl_str[PG_STR_URL]);

	if (PQstatus(c) == CONNECTION_OK) {
		PQsetNoticeProcessor(c, pg_quiet, NULL);
		return c;
	}
	PQfinish(c);
	return NULL;
}

/* --- the blocking models --- */

static void pg_run_blocking(struct wl_slot *s)
{
	struct pg_slot *p = s->priv;
	struct pg_params q;
	PGresult *r;
	const char *sql;
	int n;

	if (!p->conn && !(p->conn = pg_connect_blocking(s->cfg))) {
		s->err = TASK_ERR_CONNECT;
		return;
	}
	pg_params(s, &q);
	sql = pg_sql(s->cfg, &n);
	r = PQexecParams(p->conn, sql, n, NULL, q.v, NULL, NULL, 0);
	s->err = pg_classify(p->conn, r, &s->result);
	if (s->err != TASK_OK)
		s->result = 0;
	PQclear(r);
	if (pg_new_per_task(s->cfg) || PQstatus(p->conn) != CONNECTION_OK) {
		PQfinish(p->conn);
		p->conn = NULL;
	}
}

/* --- the loops: the same query as a state machine on PQsocket --- */

/* Stop the driver watching the socket (libpq closes it, or already has). */
static void pg_unwatch(struct wl_slot *s, struct pg_slot *p)
{
	if (p->fd >= 0 && s->forget_fd)
		s->forget_fd(s, p->fd);
	p->fd = -1;
}

static void pg_drop(struct wl_slot *s, struct pg_slot *p)
{
	pg_unwatch(s, p);
	PQfinish(p->conn);
	p->conn = NULL;
	p->nonblocking = false;
	p->phase = PG_IDLE;
}

static enum wl_status pg_fail(struct wl_slot *s, struct pg_slot *p, int err)
{
	pg_drop(s, p);
	return wl_done(s, err, 0);
}

/* Wait for the connection's socket. While connecting, libpq may close a
 * socket and open the next (another address of the host) under the same
 * number: a changed inode says so, and the old watch goes first. Once
 * connected, libpq only ever closes it, and pg_drop() follows. */
static enum wl_status pg_watch(struct wl_slot *s, struct pg_slot *p, int events)
{
	int fd = PQsocket(p->conn);
	struct stat st;

	if (fd < 0)
		return pg_fail(s, p, p->phase == PG_CONNECTING ? TASK_ERR_CONNECT : TASK_ERR_IO);
	if (p->phase == PG_CONNECTING) {
		if (fstat(fd, &st) < 0)
			return pg_fail(s, p, TASK_ERR_CONNECT);
		if (fd == p->fd && st.st_ino != p->ino)
			pg_unwatch(s, p);
		p->ino = st.st_ino;
	}
	if (fd != p->fd)
		pg_unwatch(s, p);
	p->fd = fd;
	return wl_wait(s, fd, events, p->deadline);
}

static enum wl_status pg_flush(struct wl_slot *s, struct pg_slot *p, int events)
{
	int rc;

	if ((events & WL_EV_READ) && !PQconsumeInput(p->conn))
		return pg_fail(s, p, TASK_ERR_IO);
	rc = PQflush(p->conn);
	if (rc < 0)
		return pg_fail(s, p, TASK_ERR_IO);
	if (rc > 0)
		return pg_watch(s, p, WL_EV_READ | WL_EV_WRITE);
	p->phase = PG_READING;
	return pg_watch(s, p, WL_EV_READ);
}

static enum wl_status pg_send(struct wl_slot *s, struct pg_slot *p)
{
	struct pg_params q;
	const char *sql;
	int n;

	if (!p->nonblocking) {
		if (PQsetnonblocking(p->conn, 1) != 0)
			return pg_fail(s, p, TASK_ERR_IO);
		p->nonblocking = true;
	}
	pg_params(s, &q);
	sql = pg_sql(s->cfg, &n);
	if (!PQsendQueryParams(p->conn, sql, n, NULL, q.v, NULL, NULL, 0))
		return pg_fail(s, p,
			       PQstatus(p->conn) == CONNECTION_BAD ? TASK_ERR_IO : TASK_ERR_QUERY);
	p->phase = PG_SENDING;
	return pg_flush(s, p, 0);
}

/* Take what arrived; the task ends when PQgetResult says no more. */
static enum wl_status pg_read(struct wl_slot *s, struct pg_slot *p)
{
	if (!PQconsumeInput(p->conn))
		return pg_fail(s, p, TASK_ERR_IO);
	while (!PQisBusy(p->conn)) {
		PGresult *r = PQgetResult(p->conn);
		uint64_t h = 0;
		int err;

		if (!r) {
			p->phase = PG_IDLE;
			err = p->err;
			h = p->hash;
			if (pg_new_per_task(s->cfg))
				pg_drop(s, p);
			return wl_done(s, err, h);
		}
		err = pg_classify(p->conn, r, &h);
		PQclear(r);
		if (!p->answered) {
			p->answered = true;
			p->err = err;
			p->hash = h;
		}
		if (PQstatus(p->conn) == CONNECTION_BAD)
			return pg_fail(s, p, p->err != TASK_OK ? p->err : TASK_ERR_IO);
	}
	return pg_watch(s, p, WL_EV_READ);
}

static enum wl_status pg_connect_poll(struct wl_slot *s, struct pg_slot *p)
{
	switch (PQconnectPoll(p->conn)) {
	case PGRES_POLLING_READING:
		return pg_watch(s, p, WL_EV_READ);
	case PGRES_POLLING_WRITING:
		return pg_watch(s, p, WL_EV_WRITE);
	case PGRES_POLLING_OK:
		PQsetNoticeProcessor(p->conn, pg_quiet, NULL);
		return pg_send(s, p);
	default:
		return pg_fail(s, p, TASK_ERR_CONNECT);
	}
}

static enum wl_status pg_connect_start(struct wl_slot *s, struct pg_slot *p)
{
	p->conn = PQconnectStart(s->cfg->wl_str[PG_STR_URL]);
	p->phase = PG_CONNECTING;
	p->nonblocking = false;
	if (!p->conn || PQstatus(p->conn) == CONNECTION_BAD)
		return pg_fail(s, p, TASK_ERR_CONNECT);
	/* libpq's rule: at first, wait as if PQconnectPoll said WRITING */
	return pg_watch(s, p, WL_EV_WRITE);
}

static enum wl_status pg_start(struct wl_slot *s)
{
	struct pg_slot *p = s->priv;

	p->deadline = clock_now_ns() + (s->cfg->timeout_us + PG_GRACE_US) * 1000;
	p->answered = false;
	p->err = TASK_OK;
	p->hash = 0;
	if (!p->conn)
		return pg_connect_start(s, p);
	return pg_send(s, p);
}

/* Between tasks the kept socket got readable: a notice, or the server
 * closing the connection (shut down, killed); a closed one is dropped, so
 * the next task connects anew. */
static void pg_idle(struct wl_slot *s, struct pg_slot *p)
{
	if (p->conn && (!PQconsumeInput(p->conn) || PQstatus(p->conn) != CONNECTION_OK))
		pg_drop(s, p);
}

static enum wl_status pg_step(struct wl_slot *s, int events)
{
	struct pg_slot *p = s->priv;

	if (events & WL_EV_IDLE) {
		pg_idle(s, p);
		return WL_DONE;
	}
	if (events & WL_EV_TIMEOUT)
		return pg_fail(s, p, TASK_ERR_TIMEOUT);
	switch (p->phase) {
	case PG_CONNECTING:
		return pg_connect_poll(s, p);
	case PG_SENDING:
		return pg_flush(s, p, events);
	case PG_READING:
		return pg_read(s, p);
	default:
		return pg_fail(s, p, TASK_ERR_IO);
	}
}

/* --- the slot: a pool connection, before the clock --- */

static int pg_slot_open(struct wl_slot *s)
{
	struct pg_slot *p = s->priv;

	p->fd = -1;
	if (pg_new_per_task(s->cfg))
		return 0;
	p->conn = pg_connect_blocking(s->cfg);
	return p->conn ? 0 : -ECONNREFUSED;
}

static void pg_slot_close(struct wl_slot *s)
{
	struct pg_slot *p = s->priv;

	pg_unwatch(s, p);
	PQfinish(p->conn);
	p->conn = NULL;
}

static const char *const pg_conn_choices[] = { "pool", "new", NULL };
static const char *const pg_fsync_choices[] = { "on", "off", NULL };

static const struct wl_flag pg_flags[] = {
	{ "pg", "URL", "an existing server (libpq URL or key=value); default: a throw-away cluster",
	  WLF_STR, PG_STR_URL, 0, 0, 0, NULL },
	{ "pg-rows", "N", "rows in the table, made before the clock (default 100000)", WLF_U64,
	  PG_NUM_ROWS, 100000, 1, 100000000, NULL },
	{ "pg-range", "N", "rows each query aggregates, found by index (default 100)", WLF_U64,
	  PG_NUM_RANGE, 100, 1, 100000000, NULL },
	{ "pg-conn", "pool|new", "a connection per slot before the clock, or one per task",
	  WLF_CHOICE, PG_NUM_CONN, PG_CONN_POOL, 0, 0, pg_conn_choices },
	{ "pg-fsync", "on|off", "fsync of the throw-away cluster (default on)", WLF_CHOICE,
	  PG_NUM_FSYNC, 0, 0, 0, pg_fsync_choices },
	{ "py-pg", "LIB",
	  "Python models' driver: asyncpg|psycopg on a loop, psycopg2|psycopg otherwise "
	  "(default: asyncpg, psycopg2); sqlalchemy: its engine on asyncpg, or psycopg2",
	  WLF_CHOICE, WL_PY_LIB, 0, 0, 0, wl_py_pg_libs },
	{ NULL, NULL, NULL, 0, 0, 0, 0, 0, NULL },
};

const struct workload_ops workload_pg = {
	.name = "pg",
	.summary = "one indexed aggregate query per task on PostgreSQL (libpq; async on the "
		   "loops); pg_sleep(--io-latency) first",
	.label = "pg",
	.family = WL_FAMILY_DB_SERVER,
	.noun = "PostgreSQL",
	.does_io = true,
	.flags = pg_flags,
	.service = &wl_service_pg,
	.slot_size = sizeof(struct pg_slot),
	.slot_open = pg_slot_open,
	.slot_close = pg_slot_close,
	.start = pg_start,
	.step = pg_step,
	.run_blocking = pg_run_blocking,
};
