/* pg_service.c - the pg workload's service, on the monitor's side: it
 * forks the helper of pg_cluster.c (which makes the throw-away cluster, or
 * uses --pg URL, and fills the table), waits for its report, and hands the
 * tasks the conninfo they connect with. Stopping is one byte to the
 * helper; should cmbench run die instead, the helper notices and cleans
 * up on its own.
 *
 * The conninfo is the server's (the cluster's socket folder, or --pg as
 * given) with the run's options on top: search_path set to the run's
 * schema (cmbench_<pid>), statement_timeout = --timeout, connect_timeout =
 * --timeout (at least 2 s, libpq's minimum) unless --pg sets one, and
 * application_name=cmbench unless --pg sets one.
 *
 * It also sets what the result row says of the run: conn is keepalive for
 * --pg-conn pool (a connection kept per slot) and new for new; payload is
 * 0 (there is no HTTP body). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../lib/clock.h"
#include "../lib/proc.h"
#include "../lib/spawn.h"
#include "pg.h"

struct pg_svc {
	pid_t helper; /* the helper process of pg_cluster.c */
	int ctl_fd;   /* its control pipe: 'q' stops it */
};

static struct pg_times last_times;

const struct pg_times *pg_service_times(void)
{
	return &last_times;
}

/* Append ` key='value'` to out, quoted as libpq reads it. */
static int put_kv(char *out, size_t cap, size_t *n, const char *key, const char *val)
{
	int w = snprintf(out + *n, cap - *n, "%s%s='", *n ? " " : "", key);

	if (w < 0 || (size_t)w >= cap - *n)
		return -ENAMETOOLONG;
	*n += (size_t)w;
	for (const char *p = val; *p; p++) {
		if (*p == '\n' || *p == '\r')
			return -EINVAL;
		if (*n + 3 >= cap)
			return -ENAMETOOLONG;
		if (*p == '\'' || *p == '\\')
			out[(*n)++] = '\\';
		out[(*n)++] = *p;
	}
	if (*n + 2 >= cap)
		return -ENAMETOOLONG;
	out[(*n)++] = '\'';
	out[*n] = '\0';
	return 0;
}

/* The tasks' conninfo: server's conninfo `base` plus the run's options. */
static int conninfo_compose(const char *base, const struct run_cfg *cfg, char *out, size_t cap,
			    char *err, size_t errlen)
{
	unsigned long long ms = (cfg->timeout_us + 999) / 1000;
	unsigned long long ct = (cfg->timeout_us + 999999) / 1000000;
	char opts[600], cts[32], *perr = NULL, msg[256];
	PQconninfoOption *all = PQconninfoParse(base, &perr);
	size_t n = 0;
	int rc = 0;

	if (!all) {
		snprintf(err, errlen, "--pg: %s",
			 perr ? pg_one_line(msg, sizeof(msg), perr) : "out of memory");
		PQfreemem(perr);
		return -EINVAL;
	}
	snprintf(cts, sizeof(cts), "%llu", ct < 2 ? 2 : ct);
	out[0] = '\0';
	for (PQconninfoOption *o = all; o->keyword && rc == 0; o++) {
		const char *v = o->val;

		if (strcmp(o->keyword, "options") == 0) {
			/* after the URL's own options, so that ours win */
			snprintf(opts, sizeof(opts),
				 "%s%s-c search_path=cmbench_%d -c statement_timeout=%llu",
				 v ? v : "", v ? " " : "", (int)getpid(), ms);
			v = opts;
		} else if (!v && strcmp(o->keyword, "connect_timeout") == 0) {
			v = cts;
		} else if (!v && strcmp(o->keyword, "application_name") == 0) {
			v = "cmbench";
		}
		if (v)
			rc = put_kv(out, cap, &n, o->keyword, v);
	}
	PQconninfoFree(all);
	if (rc == -ENAMETOOLONG)
		snprintf(err, errlen, "pg: the connection string is over %zu bytes", cap - 1);
	else if (rc < 0)
		snprintf(err, errlen, "--pg: a value with a line break");
	return rc;
}

/* One line from fd within ms milliseconds: 0, -ETIMEDOUT, or -EPIPE when
 * the helper is gone without a word. */
static int read_line(int fd, char *buf, size_t cap, uint64_t ms)
{
	uint64_t end = clock_now_ns() + ms * 1000000;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	size_t n = 0;

	while (n + 1 < cap) {
		uint64_t now = clock_now_ns();
		ssize_t r;

		if (now >= end)
			return -ETIMEDOUT;
		if (poll(&p, 1, (int)((end - now) / 1000000) + 1) <= 0)
			continue;
		r = read(fd, buf + n, cap - 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -EPIPE;
		n += (size_t)r;
		if (memchr(buf, '\n', n))
			break;
	}
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* Tell the helper the run is over and wait for it to clean up. */
static void helper_stop(struct pg_svc *svc)
{
	struct proc_wait w = { .grace_ms = 0 };

	if (svc->ctl_fd >= 0) {
		while (write(svc->ctl_fd, "q", 1) < 0 && errno == EINTR)
			;
		close(svc->ctl_fd);
		svc->ctl_fd = -1;
	}
	/* 30 s, then SIGKILL: an immediate shutdown is far quicker */
	w.deadline_ns = clock_now_ns() + 30000ull * 1000000;
	proc_wait(svc->helper, &w, NULL);
}

struct helper_args {
	const struct pg_keeper_args *a;
	int st[2], ctl[2];
};

/* The helper's process: it reports on st[1] and waits on ctl[0]. */
static int helper_child(void *arg)
{
	struct helper_args *h = arg;

	close(h->st[0]);
	close(h->ctl[1]);
	pg_keeper_main(h->a, h->st[1], h->ctl[0]);
	return 0;
}

static int helper_fork(struct pg_svc *svc, const struct pg_keeper_args *a, int *status_fd,
		       char *err, size_t errlen)
{
	struct helper_args h = { .a = a };
	struct spawn sp;
	int rc;

	if (pipe2(h.st, O_CLOEXEC) < 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return -errno;
	}
	if (pipe2(h.ctl, O_CLOEXEC) < 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		close(h.st[0]);
		close(h.st[1]);
		return -EMFILE;
	}
	spawn_init(&sp);
	rc = spawn_fn(&sp, helper_child, &h, &svc->helper);
	if (rc != 0) {
		snprintf(err, errlen, "fork of the pg service: %s", strerror(-rc));
		close(h.st[0]);
		close(h.st[1]);
		close(h.ctl[0]);
		close(h.ctl[1]);
		return rc;
	}
	close(h.st[1]);
	close(h.ctl[0]);
	svc->ctl_fd = h.ctl[1];
	*status_fd = h.st[0];
	return 0;
}

/* The helper's report: "ok\tINITDB_NS\tSTART_NS\tFILL_NS\tCONNINFO" or
 * "fail\tMESSAGE". */
static int helper_report(const struct run_cfg *cfg, struct wl_service_result *res, int fd,
			 char *err, size_t errlen)
{
	uint64_t wait_ms = 120000 + cfg->wl_num[PG_NUM_ROWS] / 20; /* 20k rows a second at worst */
	unsigned long long ti, ts, tf;
	char line[2048], conninfo[sizeof(cfg->wl_str[0])];
	int pos = 0, rc = read_line(fd, line, sizeof(line), wait_ms);

	if (rc < 0) {
		snprintf(err, errlen, "pg: the service %s",
			 rc == -ETIMEDOUT ? "did not start in time" : "died at start");
		return rc;
	}
	if (strncmp(line, "fail\t", 5) == 0) {
		snprintf(err, errlen, "%s", line + 5);
		return -EIO;
	}
	if (sscanf(line, "ok\t%llu\t%llu\t%llu\t%n", &ti, &ts, &tf, &pos) != 3 || pos == 0) {
		snprintf(err, errlen, "pg: the service said '%.100s'", line);
		return -EPROTO;
	}
	rc = conninfo_compose(line + pos, cfg, conninfo, sizeof(conninfo), err, errlen);
	if (rc < 0)
		return rc;
	snprintf(res->wl_str[PG_STR_URL], sizeof(res->wl_str[0]), "%s", conninfo);
	res->wl_str_set[PG_STR_URL] = true;
	/* the row's words for what ran: a connection kept per slot or one per
	 * task, and no HTTP body */
	res->conn_set = true;
	res->keepalive = cfg->wl_num[PG_NUM_CONN] == PG_CONN_POOL;
	res->payload_set = true;
	res->payload = 0;
	last_times.initdb_ns = ti;
	last_times.start_ns = ts;
	last_times.fill_ns = tf;
	return 0;
}

static int pg_svc_start(const struct run_cfg *cfg, struct wl_service_result *res, void **out,
			char *err, size_t errlen)
{
	char bindir[PATH_MAX], probe[sizeof(cfg->wl_str[0])];
	bool embedded = cfg->wl_str[PG_STR_URL][0] == '\0';
	struct pg_keeper_args a = {
		.bindir = embedded ? bindir : NULL,
		.url = cfg->wl_str[PG_STR_URL],
		.max_conn = 2 * cfg->concurrency + 10,
		.fsync = cfg->wl_num[PG_NUM_FSYNC] == 0,
		.rows = cfg->wl_num[PG_NUM_ROWS],
		.timeout_us = cfg->timeout_us,
		.monitor = getpid(),
	};
	struct pg_svc *svc;
	int fd = -1, rc;

	memset(&last_times, 0, sizeof(last_times));
	last_times.embedded = embedded;
	if (embedded && pg_find_bindir(bindir, sizeof(bindir)) < 0) {
		snprintf(err, errlen,
			 "pg: no PostgreSQL server (initdb, postgres) in "
			 "/usr/lib/postgresql/*/bin, /usr/local/pgsql/bin or PATH: install "
			 "postgresql or give --pg URL");
		return -ENOENT;
	}
	if (!embedded && !a.fsync) {
		snprintf(err, errlen, "--pg-fsync: applies to the throw-away cluster, not to --pg");
		return -EINVAL;
	}
	/* a URL libpq cannot read fails here, before anything is started */
	if (!embedded && (rc = conninfo_compose(a.url, cfg, probe, sizeof(probe), err, errlen)) < 0)
		return rc;
	svc = calloc(1, sizeof(*svc));
	if (!svc)
		return -ENOMEM;
	svc->ctl_fd = -1;
	rc = helper_fork(svc, &a, &fd, err, errlen);
	if (rc == 0) {
		rc = helper_report(cfg, res, fd, err, errlen);
		close(fd);
		if (rc < 0)
			helper_stop(svc);
	}
	if (rc < 0) {
		free(svc);
		return rc;
	}
	*out = svc;
	return 0;
}

static void pg_svc_stop(void *p)
{
	struct pg_svc *svc = p;

	if (!svc)
		return;
	helper_stop(svc);
	free(svc);
}

const struct wl_service wl_service_pg = {
	.name = "PostgreSQL",
	.start = pg_svc_start,
	.stop = pg_svc_stop,
};
