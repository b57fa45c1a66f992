/* pg.h - what the pg workload (pg.c) and its service (pg_service.c, with
 * the throw-away cluster in pg_cluster.c) share: where the workload's
 * flags land in the run's cfg, the table, and the service's timings. */
#ifndef CMB_PG_H
#define CMB_PG_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

#include "workload.h"

/* cfg->wl_str[PG_STR_URL] is --pg as given; the service replaces it with
 * the conninfo every task connects with (the server, the schema in
 * search_path, statement_timeout), so a process that re-reads the run's
 * flags connects the same way. */
#define PG_STR_URL 0
#define PG_NUM_ROWS 0  /* --pg-rows */
#define PG_NUM_RANGE 1 /* --pg-range */
#define PG_NUM_CONN 2  /* --pg-conn: PG_CONN_* */
#define PG_NUM_FSYNC 3 /* --pg-fsync: 0 on, 1 off */

enum { PG_CONN_POOL, PG_CONN_NEW };

/* The table every task reads, in the run's own schema: k = 1..rows, with
 * a v that is a fixed function of k (PG_FILL_SQL). */
#define PG_TABLE "kv"

/* What the last service start took, all outside the clock. */
struct pg_times {
	bool embedded;	    /* a throw-away cluster was made (no --pg URL) */
	uint64_t initdb_ns; /* initdb */
	uint64_t start_ns;  /* postgres started until it accepts connections */
	uint64_t fill_ns;   /* schema, table, rows, index, VACUUM ANALYZE */
};
const struct pg_times *pg_service_times(void);

extern const struct wl_service wl_service_pg;

/* --- the service's helper process (pg_cluster.c) --- */

/* The server binaries (initdb, postgres): the newest
 * /usr/lib/postgresql/VERSION/bin, else /usr/local/pgsql/bin, else PATH.
 * 0 with the folder in dir, or -ENOENT. */
int pg_find_bindir(char *dir, size_t cap);

/* What the helper is asked to do. */
struct pg_keeper_args {
	const char *bindir;  /* NULL: use the server of url */
	const char *url;     /* --pg, when bindir is NULL */
	uint64_t max_conn;   /* the cluster's max_connections */
	bool fsync;	     /* the cluster's fsync */
	uint64_t rows;	     /* --pg-rows */
	uint64_t timeout_us; /* --timeout: statement_timeout and connect_timeout */
	pid_t monitor;	     /* the process that started the helper */
};

/* The helper process (never returns): makes the cluster (or uses url),
 * creates and fills the table, reports on status_fd, then waits until
 * ctl_fd says 'q', reaches EOF or the monitor dies, and undoes it all:
 * the cluster stopped and its folder removed, or the schema dropped. */
void pg_keeper_main(const struct pg_keeper_args *a, int status_fd, int ctl_fd);

/* The first line of a libpq message, newlines and tabs folded to
 * spaces, into buf. Returns buf. */
const char *pg_one_line(char *buf, size_t cap, const char *msg);

#endif
