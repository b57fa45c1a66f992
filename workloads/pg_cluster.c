/* pg_cluster.c - the pg service's helper process: it makes a throw-away
 * PostgreSQL cluster (or uses the server of --pg), creates and fills the
 * table, and undoes it all when the run ends, however the run ends.
 *
 *   cmbench run (monitor) --fork--> helper --fork--> initdb, then postgres
 *
 * The helper is a process of its own so that the cluster goes away even
 * when cmbench run never gets to stop it (^C, SIGTERM, SIGKILL, a crash):
 * it asks for SIGTERM when the monitor dies (PR_SET_PDEATHSIG) and stops
 * on that, on 'q' or on EOF on its control pipe. It sits in a process
 * group of its own, so a ^C at the terminal reaches cmbench run, not the
 * cluster, and the helper does the stopping: SIGQUIT to the postmaster
 * (pg_ctl stop -m immediate: the data is thrown away anyway), then the
 * folder removed. postgres gets SIGQUIT by itself should the helper die.
 *
 * The cluster listens on a unix socket in its temp folder only
 * (listen_addresses=''), trusts local connections as the superuser
 * "cmbench", and runs with autovacuum off (the table is read-only and
 * vacuumed once when filled). initdb and postgres refuse to run as root:
 * as root they run as the user `nobody`, the folder chowned to it. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <glob.h>
#include <grp.h>
#include <limits.h>
#include <libpq-fe.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../lib/clock.h"
#include "../lib/proc.h"
#include "../lib/spawn.h"
#include "pg.h"

#define PG_PORT "5432"
#define INITDB_MS 120000 /* longest initdb may take */
#define READY_MS 60000	 /* longest postgres may take to accept connections */
#define STOP_MS 10000	 /* longest an immediate shutdown may take */

/* v is a fixed function of k, so every task's answer is known. */
#define PG_FILL_SQL                                                                                \
	"INSERT INTO %s." PG_TABLE " SELECT g, (g::bigint * 2654435761) %% 1000003 FROM "          \
	"generate_series(1, %llu) g"

struct cluster {
	char dir[128];	    /* the temp folder: the socket, the logs, data/ */
	bool as_user;	    /* root: initdb and postgres run as uid/gid */
	uid_t uid;	    /* nobody */
	gid_t gid;	    /* its group */
	pid_t pm;	    /* the postmaster, 0 when none */
	uint64_t initdb_ns; /* what initdb took */
	uint64_t start_ns;  /* postgres started until it answered */
};

/* Read by the stop hook, in the handler of SIGTERM (the monitor died:
 * proc_stop_sig() says so). */
static volatile pid_t child_pgid; /* initdb's group while it runs */
static volatile pid_t postmaster; /* the postmaster while it runs */

static void on_term(int sig)
{
	(void)sig;
	if (child_pgid > 0)
		kill(-child_pgid, SIGKILL);
	if (postmaster > 0)
		kill(postmaster, SIGQUIT);
}

const char *pg_one_line(char *buf, size_t cap, const char *msg)
{
	size_t n = 0;
	bool space = false;

	for (const char *p = msg ? msg : ""; *p && n + 1 < cap; p++) {
		bool ws = *p == '\n' || *p == '\t' || *p == '\r' || *p == ' ';

		if (ws) {
			space = n > 0;
			continue;
		}
		if (space && n + 2 < cap)
			buf[n++] = ' ';
		space = false;
		buf[n++] = *p;
	}
	buf[n] = '\0';
	return buf;
}

static bool has_server(const char *dir)
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "%s/initdb", dir);
	if (access(p, X_OK) != 0)
		return false;
	snprintf(p, sizeof(p), "%s/postgres", dir);
	return access(p, X_OK) == 0;
}

int pg_find_bindir(char *dir, size_t cap)
{
	const char *path = getenv("PATH");
	double best = -1;
	glob_t g;

	dir[0] = '\0';
	if (glob("/usr/lib/postgresql/*/bin", 0, NULL, &g) == 0) {
		for (size_t i = 0; i < g.gl_pathc; i++) {
			double v = strtod(g.gl_pathv[i] + strlen("/usr/lib/postgresql/"), NULL);

			if (v > best && has_server(g.gl_pathv[i])) {
				best = v;
				snprintf(dir, cap, "%s", g.gl_pathv[i]);
			}
		}
		globfree(&g);
	}
	if (dir[0])
		return 0;
	if (has_server("/usr/local/pgsql/bin")) {
		snprintf(dir, cap, "/usr/local/pgsql/bin");
		return 0;
	}
	while (path && *path) {
		size_t n = strcspn(path, ":");

		snprintf(dir, cap, "%.*s", (int)n, path);
		if (n > 0 && has_server(dir))
			return 0;
		path += n + (path[n] == ':');
	}
	dir[0] = '\0';
	return -ENOENT;
}

/* The last line of a log with something on it, for an error message. */
static void log_tail(const char *path, char *buf, size_t cap)
{
	char line[512];
	FILE *f = fopen(path, "r");

	buf[0] = '\0';
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (line[0] != '\n')
			pg_one_line(buf, cap, line);
	fclose(f);
}

/* fork and exec bin with argv, its output into log, as the cluster's
 * user, in a process group of its own. The postmaster asks for SIGQUIT
 * when the helper dies (after dropping privileges, which clears it). */
/* In the child: the cluster's user, then its directory. 0, or it exits. */
static int become_user(void *arg)
{
	const struct cluster *c = arg;

	if (c->as_user && (setgroups(0, NULL) < 0 || setgid(c->gid) < 0 || setuid(c->uid) < 0)) {
		dprintf(STDERR_FILENO, "cannot become nobody: %s\n", strerror(errno));
		return -1;
	}
	if (chdir(c->dir) < 0) {
		dprintf(STDERR_FILENO, "%s cannot enter %s: %s (TMPDIR must be reachable)\n",
			c->as_user ? "nobody" : "cmbench", c->dir, strerror(errno));
		return -1;
	}
	return 0;
}

static pid_t spawn(const struct cluster *c, const char *bin, char *const argv[], const char *log,
		   bool is_postmaster)
{
	int fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644), rc;
	struct spawn sp;
	pid_t pid;

	if (fd < 0)
		return -1;
	spawn_init(&sp);
	sp.path = bin;
	spawn_dup(&sp, STDOUT_FILENO, fd);
	spawn_dup(&sp, STDERR_FILENO, fd);
	sp.group = true;
	sp.setup = become_user;
	sp.setup_arg = (void *)c;
	sp.death_sig = is_postmaster ? SIGQUIT : 0;
	sp.reset_signals = true; /* the helper ignores them; exec keeps that */
	rc = spawn_exec(&sp, argv, &pid);
	close(fd);
	if (rc != 0) {
		errno = -rc;
		return -1;
	}
	return pid;
}

static int cluster_dir(struct cluster *c, char *err, size_t errlen)
{
	const char *tmp = getenv("TMPDIR");
	struct sockaddr_un un;
	struct passwd *pw;

	if (!tmp || !*tmp)
		tmp = "/tmp";
	if (strlen(tmp) + strlen("/cmbench-pg-XXXXXX/.s.PGSQL." PG_PORT) >= sizeof(un.sun_path)) {
		snprintf(err, errlen, "pg: TMPDIR %.200s is too long for a unix socket path", tmp);
		return -ENAMETOOLONG;
	}
	snprintf(c->dir, sizeof(c->dir), "%s/cmbench-pg-XXXXXX", tmp);
	if (!mkdtemp(c->dir)) {
		snprintf(err, errlen, "pg: cannot make a folder in %s: %s", tmp, strerror(errno));
		c->dir[0] = '\0';
		return -errno;
	}
	if (geteuid() != 0)
		return 0;
	pw = getpwnam("nobody");
	if (!pw) {
		snprintf(err, errlen,
			 "pg: running as root and there is no user 'nobody' to run "
			 "PostgreSQL as");
		return -ENOENT;
	}
	c->as_user = true;
	c->uid = pw->pw_uid;
	c->gid = pw->pw_gid;
	if (chown(c->dir, c->uid, c->gid) < 0) {
		snprintf(err, errlen, "pg: chown of %s to nobody: %s", c->dir, strerror(errno));
		return -errno;
	}
	return 0;
}

static int cluster_initdb(struct cluster *c, const char *bindir, char *err, size_t errlen)
{
	char bin[PATH_MAX], data[PATH_MAX], log[PATH_MAX], tail[256];
	char *argv[] = { "initdb", "-D",	data, "-U",   "cmbench",    "-A",
			 "trust",  "--no-sync", "-E", "UTF8", "--locale=C", NULL };
	uint64_t t = clock_now_ns();
	struct proc_wait w = { .group = true, .sweep = true };
	struct proc_end e = { .status = 0 };
	pid_t pid;
	int rc;

	snprintf(bin, sizeof(bin), "%s/initdb", bindir);
	snprintf(data, sizeof(data), "%s/data", c->dir);
	snprintf(log, sizeof(log), "%s/initdb.log", c->dir);
	pid = spawn(c, bin, argv, log, false);
	if (pid < 0) {
		snprintf(err, errlen, "pg: cannot start %.200s: %s", bin, strerror(errno));
		return -errno;
	}
	child_pgid = pid;
	/* past its time SIGKILL to its group; its postgres --single goes with
	 * it, should it linger */
	w.deadline_ns = clock_now_ns() + (uint64_t)INITDB_MS * 1000000;
	rc = proc_wait(pid, &w, &e);
	child_pgid = 0;
	c->initdb_ns = clock_now_ns() - t;
	if (rc != 0 || e.status != 0) {
		log_tail(log, tail, sizeof(tail));
		snprintf(err, errlen, "pg: initdb %s: %s",
			 rc == -ETIMEDOUT ? "took too long" : "failed",
			 tail[0] ? tail : "(no output)");
		return -EIO;
	}
	return 0;
}

/* The conninfo that reaches the cluster, without the run's options. */
static void cluster_conninfo(const struct cluster *c, char *out, size_t cap)
{
	snprintf(out, cap, "host=%s port=" PG_PORT " user=cmbench dbname=postgres", c->dir);
}

static int cluster_ready(struct cluster *c, const char *log, char *err, size_t errlen)
{
	uint64_t end = clock_now_ns() + (uint64_t)READY_MS * 1000000;
	char ping[512], tail[256];

	cluster_conninfo(c, ping, sizeof(ping));
	strcat(ping, " connect_timeout=2");
	while (PQping(ping) != PQPING_OK) {
		/* left a zombie: cluster_remove reaps it */
		bool gone = proc_ended(c->pm, false, NULL) == 1;

		if (gone || proc_stop_sig() || clock_now_ns() >= end) {
			log_tail(log, tail, sizeof(tail));
			snprintf(err, errlen, "pg: postgres %s: %s",
				 proc_stop_sig() ? "start interrupted"
				 : gone		 ? "exited at start"
						 : "did not accept connections in time",
				 tail[0] ? tail : "(no output)");
			return -EIO;
		}
		usleep(5000);
	}
	return 0;
}

static int cluster_start(struct cluster *c, const struct pg_keeper_args *a, char *err,
			 size_t errlen)
{
	char bin[PATH_MAX], data[PATH_MAX], log[PATH_MAX], maxc[64], fsync[16];
	char *argv[] = {
		"postgres",	     "-D", data, "-k", c->dir, "-p", PG_PORT,	       "-c",
		"listen_addresses=", "-c", maxc, "-c", fsync,  "-c", "autovacuum=off", NULL
	};
	uint64_t t = clock_now_ns();

	snprintf(bin, sizeof(bin), "%s/postgres", a->bindir);
	snprintf(data, sizeof(data), "%s/data", c->dir);
	snprintf(log, sizeof(log), "%s/postgres.log", c->dir);
	snprintf(maxc, sizeof(maxc), "max_connections=%llu", (unsigned long long)a->max_conn);
	snprintf(fsync, sizeof(fsync), "fsync=%s", a->fsync ? "on" : "off");
	c->pm = spawn(c, bin, argv, log, true);
	if (c->pm < 0) {
		c->pm = 0;
		snprintf(err, errlen, "pg: cannot start %.200s: %s", bin, strerror(errno));
		return -errno;
	}
	postmaster = c->pm;
	if (proc_stop_sig()) /* the signal came before postmaster was set */
		kill(c->pm, SIGQUIT);
	if (cluster_ready(c, log, err, errlen) < 0)
		return -EIO;
	c->start_ns = clock_now_ns() - t;
	return 0;
}

static int rm_entry(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	if (type == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

/* SIGKILL to every child of pid (each postgres child leads a group of its
 * own, so there is no group to kill). */
static void kill_children(pid_t pid)
{
	char path[64];
	long child;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)pid, (int)pid);
	f = fopen(path, "r");
	if (!f)
		return;
	while (fscanf(f, "%ld", &child) == 1)
		kill((pid_t)child, SIGKILL);
	fclose(f);
}

/* Stop the postmaster (immediate shutdown: it takes its backends down
 * and waits for them), and remove the folder. */
static void cluster_remove(struct cluster *c)
{
	if (c->pm > 0) {
		struct proc_wait w = { .leave = true };

		kill(c->pm, SIGQUIT);
		w.deadline_ns = clock_now_ns() + (uint64_t)STOP_MS * 1000000;
		if (proc_wait(c->pm, &w, NULL) == -ETIMEDOUT) {
			kill_children(c->pm);
			kill(c->pm, SIGKILL);
			w.deadline_ns = clock_now_ns() + (uint64_t)STOP_MS * 1000000;
			proc_wait(c->pm, &w, NULL);
		}
		postmaster = 0;
		c->pm = 0;
	}
	if (c->dir[0])
		nftw(c->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	c->dir[0] = '\0';
}

static int exec_sql(PGconn *pc, const char *sql, char *err, size_t errlen)
{
	PGresult *r = PQexec(pc, sql);
	ExecStatusType st = PQresultStatus(r);
	char msg[256];

	PQclear(r);
	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
		return 0;
	snprintf(err, errlen, "pg: %s: %s", sql, pg_one_line(msg, sizeof(msg), PQerrorMessage(pc)));
	return -EIO;
}

/* A connection of the helper's own: conninfo (a URL or key=value), with a
 * connect_timeout of 10 s on top. */
static PGconn *connect_setup(const char *conninfo, const char *who, char *err, size_t errlen)
{
	const char *const keys[] = { "dbname", "connect_timeout", NULL };
	const char *const vals[] = { conninfo, "10", NULL };
	PGconn *pc = PQconnectdbParams(keys, vals, 1);
	char msg[256];

	if (PQstatus(pc) == CONNECTION_OK)
		return pc;
	snprintf(err, errlen, "%s: cannot connect to the server: %s", who,
		 pg_one_line(msg, sizeof(msg), PQerrorMessage(pc)));
	PQfinish(pc);
	return NULL;
}

/* The schema, the table and its rows, its index; vacuumed and analysed
 * so every run plans and reads it the same way. *made: the schema exists
 * and must be dropped. */
static int table_fill(const char *conninfo, const char *who, const char *schema, uint64_t rows,
		      bool *made, char *err, size_t errlen)
{
	char sql[512];
	PGconn *pc = connect_setup(conninfo, who, err, errlen);
	int rc;

	if (!pc)
		return -ECONNREFUSED;
	snprintf(sql, sizeof(sql), "CREATE SCHEMA %s", schema);
	rc = exec_sql(pc, sql, err, errlen);
	*made = rc == 0;
	if (rc == 0) {
		snprintf(sql, sizeof(sql),
			 "CREATE TABLE %s." PG_TABLE " (k integer NOT NULL, v bigint NOT NULL)",
			 schema);
		rc = exec_sql(pc, sql, err, errlen);
	}
	if (rc == 0) {
		snprintf(sql, sizeof(sql), PG_FILL_SQL, schema, (unsigned long long)rows);
		rc = exec_sql(pc, sql, err, errlen);
	}
	if (rc == 0) {
		snprintf(sql, sizeof(sql), "ALTER TABLE %s." PG_TABLE " ADD PRIMARY KEY (k)",
			 schema);
		rc = exec_sql(pc, sql, err, errlen);
	}
	if (rc == 0) {
		snprintf(sql, sizeof(sql), "VACUUM ANALYZE %s." PG_TABLE, schema);
		rc = exec_sql(pc, sql, err, errlen);
	}
	PQfinish(pc);
	return rc;
}

static void schema_drop(const char *conninfo, const char *schema)
{
	char sql[128], err[256];
	PGconn *pc = connect_setup(conninfo, "--pg", err, sizeof(err));

	if (!pc)
		return; /* nowhere to say it: the server is gone, and the schema with it or not */
	snprintf(sql, sizeof(sql), "DROP SCHEMA IF EXISTS %s CASCADE", schema);
	exec_sql(pc, sql, err, sizeof(err));
	PQfinish(pc);
}

/* Until the monitor says 'q', closes the pipe or dies. */
static void wait_for_stop(int ctl_fd, pid_t monitor)
{
	struct pollfd p = { .fd = ctl_fd, .events = POLLIN };
	char c;

	while (!proc_stop_sig() && getppid() == monitor) {
		if (poll(&p, 1, 1000) > 0) {
			if (read(ctl_fd, &c, 1) < 0 && errno == EINTR)
				continue;
			return; /* 'q', EOF or an error: either way the run is over */
		}
	}
}

static void keeper_setup(pid_t monitor)
{
	int fd;

	/* SIGTERM caught (no SA_RESTART: waits see EINTR), SIGINT and SIGHUP
	 * ignored: the monitor says when the run is over */
	proc_stop_catch(PROC_STOP_TERM_ONLY, on_term);
	signal(SIGPIPE, SIG_IGN);
	setpgid(0, 0);
	die_with_parent(monitor, SIGTERM);
	fd = open("/dev/null", O_RDWR);
	if (fd >= 0) {
		dup2(fd, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		if (fd > STDERR_FILENO)
			close(fd);
	}
}

static void report(int fd, const char *line)
{
	size_t n = strlen(line), off = 0;

	while (off < n) {
		ssize_t w = write(fd, line + off, n - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		off += (size_t)w;
	}
}

void pg_keeper_main(const struct pg_keeper_args *a, int status_fd, int ctl_fd)
{
	struct cluster c = { .pm = 0 };
	char base[512], schema[64], err[768], line[2048];
	uint64_t t;
	bool made = false;
	int rc = 0;

	keeper_setup(a->monitor);
	snprintf(schema, sizeof(schema), "cmbench_%d", (int)a->monitor);
	err[0] = '\0';
	if (a->bindir) {
		rc = cluster_dir(&c, err, sizeof(err));
		if (rc == 0)
			rc = cluster_initdb(&c, a->bindir, err, sizeof(err));
		if (rc == 0)
			rc = cluster_start(&c, a, err, sizeof(err));
		cluster_conninfo(&c, base, sizeof(base));
	} else {
		snprintf(base, sizeof(base), "%s", a->url);
	}
	t = clock_now_ns();
	if (rc == 0)
		rc = table_fill(base, a->bindir ? "pg" : "--pg", schema, a->rows, &made, err,
				sizeof(err));
	if (rc == 0 && proc_stop_sig())
		rc = -EINTR;
	if (rc == 0)
		snprintf(line, sizeof(line), "ok\t%llu\t%llu\t%llu\t%s\n",
			 (unsigned long long)c.initdb_ns, (unsigned long long)c.start_ns,
			 (unsigned long long)(clock_now_ns() - t), base);
	else
		snprintf(line, sizeof(line), "fail\t%s\n", err[0] ? err : "pg: interrupted");
	report(status_fd, line);
	close(status_fd);
	if (rc == 0)
		wait_for_stop(ctl_fd, a->monitor);
	if (made && !a->bindir)
		schema_drop(base, schema);
	cluster_remove(&c);
	_exit(0);
}
