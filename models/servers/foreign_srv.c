/* foreign_srv.c - the runner of every foreign server model: a program in
 * another language (models/python/srv_*.py) is the server, and speaks the
 * server variant of the foreign protocol (models/python/README.md, "The
 * server protocol") over one socketpair, inherited as fd 3:
 *
 *   cmbench (trial process)             the program (its child)
 *                                       binds 127.0.0.1:listen_port (0: any),
 *                                       starts its workers, sets them up
 *                            <- ready PORT
 *   ctl->port = PORT; ctl->go() -> t0
 *                            go T0 ->
 *                                       serves the load generator
 *   ctl->stop_fd: the load is done
 *                            end ->
 *                            <- served N CHECKSUM E_CONNECT E_TIMEOUT E_IO E_HTTP E_QUERY E_WORKER
 *   ctl->end(): final sample
 *                            bye ->     (then EOF) it stops its workers, exits 0
 *   reap it (and any orphan)
 *
 * The parameters are foreign_run's key=value words with mode=serve,
 * listen_port and threads (models/foreign.c). The trial process stays the
 * program's parent and the subreaper of what it starts, so the monitor
 * measures the interpreter and its workers (Gunicorn's master and workers)
 * as the server's tree, and no process of it outlives the run: a program
 * whose socket closes exits at once, and whatever is left when the run
 * ends is killed and reaped here. A server is silent while it serves, so
 * no silence deadline applies then; set-up has foreign_run's, the answer
 * to "end" FSRV_END_S. The program's counters are the server side's
 * records: requests answered, the fold of their results (lib/stats.h
 * checksum_fold) and the handlers' errors by kind; the harness compares
 * them with the generator's (the self-check). */
#define _GNU_SOURCE
#include "foreign_srv.h"

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../../lib/clock.h"
#include "../../lib/proc.h"
#include "../../lib/spawn.h"
#include "../foreign.h"

#define FSRV_FD 3	 /* the protocol's fd in the program */
#define FSRV_LINE 256	 /* a protocol line, newline included */
#define FSRV_END_S 10	 /* the longest the counters may take after "end" */
#define FSRV_REAP_S 10	 /* the longest its teardown may take after "bye" */
#define FSRV_POLL_MS 200 /* how often a waiting runner looks at the program */
#define NS_PER_S 1000000000ull

struct fsrv {
	pid_t pid;	      /* the program; 0 once reaped */
	int fd;		      /* our end of the socketpair; -1 after EOF */
	char line[FSRV_LINE]; /* the line being received */
	size_t len;
	bool overlong;
	int port;		/* "ready PORT" */
	bool served;		/* "served ..." came */
	bool bad;		/* a line out of place */
	char why[FSRV_LINE];	/* "fail WHY" */
	struct task_stats *out; /* the counters go here */
};

static void on_served(struct fsrv *p, const char *line)
{
	uint64_t n, sum, e[TASK_ERR_KINDS - 1], tot = 0;
	char extra;

	if (sscanf(line,
		   "served %" SCNu64 " %16" SCNx64 " %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64
		   " %" SCNu64 " %" SCNu64 " %c",
		   &n, &sum, &e[0], &e[1], &e[2], &e[3], &e[4], &e[5], &extra) != 8) {
		p->bad = true;
		return;
	}
	for (int k = 0; k < TASK_ERR_KINDS - 1; k++)
		tot += e[k];
	if (tot > n) { /* more failures than answers */
		p->bad = true;
		return;
	}
	p->out->completed = n;
	p->out->checksum = sum;
	for (int k = 1; k < TASK_ERR_KINDS; k++)
		p->out->errors[k] = e[k - 1];
	p->served = true;
}

static void on_line(struct fsrv *p, const char *line)
{
	int port;
	char extra;

	if (!p->port && sscanf(line, "ready %d %c", &port, &extra) == 1 && port > 0 && port < 65536)
		p->port = port;
	else if (!p->port && strncmp(line, "fail ", 5) == 0)
		snprintf(p->why, sizeof(p->why), "%s", line + 5);
	else if (p->port && !p->served && strncmp(line, "served ", 7) == 0)
		on_served(p, line);
	else
		p->bad = true;
}

/* Read what has arrived, waiting up to ms (and for stop_fd, when >= 0).
 * 1: read, or nothing yet; 0: stop_fd is readable; -1: EOF. */
static int pump(struct fsrv *p, int ms, int stop_fd)
{
	struct pollfd f[2] = { { .fd = p->fd, .events = POLLIN },
			       { .fd = stop_fd, .events = POLLIN } };
	char buf[1024];
	ssize_t r;
	int rc;

	if (p->fd < 0)
		return -1;
	rc = poll(f, stop_fd >= 0 ? 2 : 1, ms);
	if (rc <= 0)
		return 1;
	if (stop_fd >= 0 && f[1].revents && !f[0].revents)
		return 0;
	r = read(p->fd, buf, sizeof(buf));
	if (r < 0 && errno == EINTR)
		return 1;
	if (r <= 0) {
		close(p->fd);
		p->fd = -1;
		return -1;
	}
	for (ssize_t i = 0; i < r; i++) {
		if (buf[i] != '\n') {
			if (p->len + 1 < sizeof(p->line))
				p->line[p->len++] = buf[i];
			else
				p->overlong = true;
			continue;
		}
		p->line[p->len] = '\0';
		if (p->overlong)
			p->bad = true;
		else
			on_line(p, p->line);
		p->len = 0;
		p->overlong = false;
	}
	return 1;
}

static void say(struct fsrv *p, const char *line)
{
	size_t n = strlen(line), off = 0;

	while (p->fd >= 0 && off < n) {
		ssize_t w = write(p->fd, line + off, n - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return; /* it is gone: the reading side notices */
		off += (size_t)w;
	}
}

static int start(struct fsrv *p, char *const argv[])
{
	struct spawn sp;
	int sv[2], rc;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return -errno;
	spawn_init(&sp);
	spawn_null(&sp, STDIN_FILENO);
	spawn_dup(&sp, STDOUT_FILENO, STDERR_FILENO); /* cmbench's stdout is the row */
	spawn_dup(&sp, FSRV_FD, sv[1]);
	sp.death_sig = SIGKILL;
	sp.reset_signals = true;
	rc = spawn_exec(&sp, argv, &p->pid);
	close(sv[1]);
	if (rc != 0) {
		close(sv[0]);
		p->pid = 0;
		return rc;
	}
	p->fd = sv[0];
	return 0;
}

/* Until "ready PORT" (0), "fail WHY" (-ECANCELED), EOF (-ECHILD), a line
 * out of place (-EPROTO) or the set-up deadline (-ETIMEDOUT). */
static int wait_ready(struct fsrv *p, const struct run_cfg *cfg)
{
	uint64_t deadline =
		clock_now_ns() + (20 + (cfg->concurrency + cfg->workers) / 25) * NS_PER_S;

	while (!p->port) {
		if (p->why[0])
			return -ECANCELED;
		if (p->bad)
			return -EPROTO;
		if (clock_now_ns() >= deadline)
			return -ETIMEDOUT;
		if (pump(p, FSRV_POLL_MS, -1) < 0)
			return p->why[0] ? -ECANCELED : -ECHILD;
	}
	return 0;
}

/* The program (given until deadline to exit; 0: killed now) and
 * everything it left: killed, reaped. */
static void finish(struct fsrv *p, uint64_t deadline)
{
	struct proc_wait w = { .deadline_ns = deadline }; /* past it: SIGKILL */
	struct proc_end e = { .code = -1 };
	int rc = 0;

	if (p->pid > 0)
		rc = deadline ? proc_wait(p->pid, &w, &e) : proc_kill(p->pid, false, &e);
	if (p->pid > 0 && deadline && (rc != 0 || e.code != 0))
		p->out->workers_lost = 1;
	p->pid = 0;
	foreign_kill_orphans();
	if (p->fd >= 0)
		close(p->fd);
	p->fd = -1;
}

/* Until fd is readable (the load is done); at once when fd < 0. */
static void wait_stop(int fd)
{
	struct pollfd f = { .fd = fd, .events = POLLIN };

	while (fd >= 0 && poll(&f, 1, -1) < 0 && errno == EINTR)
		;
}

int foreign_serve(const struct run_cfg *cfg, struct trial_ctl *ctl, struct task_stats *out)
{
	struct fsrv p = { .fd = -1, .out = out };
	char **argv, go[64];
	uint64_t deadline;
	int rc;

	stats_init(out);
	argv = foreign_argv(cfg);
	if (!argv)
		return -ENOENT;
	/* the processes it starts stay ours to reap, even when it dies */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	rc = start(&p, argv);
	free(argv);
	if (rc == 0)
		rc = wait_ready(&p, cfg);
	if (rc < 0) {
		if (p.why[0] && ctl->why)
			snprintf(ctl->why, ctl->why_len, "%s", p.why);
		finish(&p, 0);
		return rc;
	}
	ctl->port = p.port;
	snprintf(go, sizeof(go), "go %" PRIu64 "\n", ctl->go(ctl));
	say(&p, go);
	/* it serves until the load is done (or it dies: the generator then
	 * ends its schedule with the requests failed, and stops us) */
	while ((rc = pump(&p, -1, ctl->stop_fd)) != 0)
		if (rc < 0) {
			wait_stop(ctl->stop_fd);
			break;
		}
	say(&p, "end\n");
	deadline = clock_now_ns() + FSRV_END_S * NS_PER_S;
	while (!p.served && !p.bad && clock_now_ns() < deadline && pump(&p, FSRV_POLL_MS, -1) > 0)
		;
	ctl->end(ctl);
	if (p.served) { /* it may tear down now */
		say(&p, "bye\n");
		if (p.fd >= 0)
			shutdown(p.fd, SHUT_WR);
		finish(&p, clock_now_ns() + FSRV_REAP_S * NS_PER_S);
	} else {
		out->workers_lost = 1;
		finish(&p, 0);
	}
	if (p.bad)
		out->errors[TASK_ERR_WORKER]++;
	return 0;
}
