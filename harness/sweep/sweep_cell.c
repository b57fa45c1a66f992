/* sweep_cell.c - one cell of a sweep: `cmbench run` warmup + reps times
 * under hyperfine, in a process group of its own that a watchdog kills if
 * the sweep dies (even by SIGKILL), then the measured rows appended to
 * results.csv, all of them or none. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../models/model.h"
#include "../../workloads/workload.h"
#include "../cli.h"
#include "../result.h"
#include "cells.h"
#include "../../lib/cmdutil.h"
#include "setio.h"
#include "sweep.h"

#define KILL_GRACE_S 3.0     /* after forwarding a signal, SIGKILL stragglers */
#define MIN_FREE_BYTES 16384 /* less left after a cell: its runs may have lost files */

/* The files of one cell. */
struct cell_paths {
	char scratch[PATH_MAX]; /* the runs' rows, warm-ups first */
	char log[PATH_MAX];	/* hyperfine's and the runs' output */
	char spectrum[PATH_MAX];
	char json[PATH_MAX]; /* hyperfine's export */
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* arg, quoted for hyperfine -N (which splits like a POSIX shell, with no
 * expansion) when it holds anything but plain characters. */
static void put_arg(FILE *f, const char *arg, bool first)
{
	bool plain = *arg != '\0' && strspn(arg, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP"
						 "QRSTUVWXYZ0123456789_-./:=@%+,") == strlen(arg);

	if (!first)
		fputc(' ', f);
	if (plain) {
		fputs(arg, f);
		return;
	}
	fputc('\'', f);
	for (; *arg; arg++)
		if (*arg == '\'')
			fputs("'\\''", f);
		else
			fputc(*arg, f);
	fputc('\'', f);
}

/* The `cmbench run` command line of a cell, as one string for hyperfine:
 * the binary, then the argv of the cell's run_cfg. */
static char *run_command(const struct sweep *sw, const struct spec_cell *c,
			 const struct cell_paths *p)
{
	struct run_cfg cfg = c->cfg;
	char *buf = NULL, **argv;
	size_t len = 0;
	FILE *f;

	cfg.append_path = p->scratch;
	cfg.spectrum_path = p->spectrum;
	cfg.format = FMT_CSV;
	argv = cli_format_run(&cfg);
	f = argv ? open_memstream(&buf, &len) : NULL;
	if (!f) {
		cli_argv_free(argv);
		return NULL;
	}
	put_arg(f, sw->cmbench, true);
	for (size_t i = 0; argv[i]; i++)
		put_arg(f, argv[i], false);
	cli_argv_free(argv);
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* A process that waits for the sweep to say the cell is over. When the
 * sweep dies instead (its end of the pipe closes unsaid), the watchdog
 * kills the cell's process group: hyperfine does not pass its death on
 * to the `cmbench run` in flight. It learns the group from the pipe. */
static pid_t watchdog_start(int *wfd)
{
	int p[2];
	pid_t pid, pgid = 0;
	char done;

	if (pipe2(p, O_CLOEXEC) != 0)
		return -errno;
	pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return -EAGAIN;
	}
	if (pid == 0) {
		signal(SIGINT, SIG_IGN); /* the sweep forwards those; we wait for it */
		signal(SIGTERM, SIG_IGN);
		signal(SIGHUP, SIG_IGN);
		dup2(p[0], STDIN_FILENO);
		close_range(3, ~0u, 0); /* the set's lock, above all */
		if (read(STDIN_FILENO, &pgid, sizeof(pgid)) == sizeof(pgid) &&
		    read(STDIN_FILENO, &done, 1) != 1 && pgid > 0)
			kill(-pgid, SIGKILL);
		_exit(0);
	}
	close(p[0]);
	*wfd = p[1];
	return pid;
}

static void watchdog_stop(pid_t pid, int wfd)
{
	if (pid <= 0)
		return;
	if (write(wfd, "", 1) != 1)
		kill(pid, SIGKILL);
	close(wfd);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

/* The child: hyperfine in a process group of its own, output into log. */
static void exec_hyperfine(char *const argv[], const char *log)
{
	int fd;

	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	fd = open("/dev/null", O_RDONLY);
	if (fd >= 0)
		dup2(fd, 0);
	fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0666);
	if (fd >= 0) {
		dup2(fd, 1);
		dup2(fd, 2);
	}
	execvp(argv[0], argv);
	dprintf(2, "cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

/* Wait for hyperfine; on a stop signal its whole group gets it, and
 * SIGKILL if it lingers. Its wait status, or -1. */
static int wait_hyperfine(pid_t pid)
{
	double stop_at = 0;
	int st = -1;

	for (;;) {
		pid_t w = waitpid(pid, &st, sweep_stop_sig ? WNOHANG : 0);

		if (w == pid)
			break;
		if (w < 0 && errno != EINTR)
			return -1;
		if (!sweep_stop_sig)
			continue;
		if (stop_at == 0)
			stop_at = now_s();
		else if (now_s() - stop_at > KILL_GRACE_S)
			kill(-pid, SIGKILL);
		usleep(20000);
	}
	if (sweep_stop_sig)
		kill(-pid, SIGKILL); /* whatever of its group is left */
	return st;
}

/* Run hyperfine for one cell. Its wait status, or -1 when it could not
 * be started. */
static int run_hyperfine(char *const argv[], const char *log)
{
	int wfd = -1, st;
	pid_t dog, pid;

	dog = watchdog_start(&wfd);
	pid = fork();
	if (pid < 0) {
		watchdog_stop(dog, wfd);
		return -1;
	}
	if (pid == 0)
		exec_hyperfine(argv, log);
	setpgid(pid, pid); /* also here: no race with the child's own call */
	sweep_child_pgid = pid;
	if (dog > 0 && write(wfd, &pid, sizeof(pid)) != sizeof(pid))
		cmd_say("sweep", "warning: the watchdog of %s did not start", log);
	if (sweep_stop_sig)
		kill(-pid, sweep_stop_sig);
	st = wait_hyperfine(pid);
	sweep_child_pgid = 0;
	watchdog_stop(dog, wfd);
	return st;
}

/* The row of a trial that left none (its run died): the parameters, with
 * nothing completed, so the cell reads as failed. */
static int failure_row(FILE *f, const struct spec_cell *c, int cores)
{
	struct result_row r;

	cells_param_row(&c->cfg, &r);
	snprintf(r.checksum, sizeof(r.checksum), "%s", "0000000000000000");
	snprintf(r.libuv, sizeof(r.libuv), "%s", "none");
	r.cores = cores;
	result_csv_row(f, &r);
	return 0;
}

/* Whether a run's csv (the scratch file) has the run columns of results.csv. */
static bool same_columns(const struct cells_csv *t)
{
	char *hdr = sweep_results_header(), *p;
	size_t len;
	bool same = hdr != NULL;

	p = hdr ? hdr + strlen("cell,rep,") : NULL;
	for (size_t k = 0; same && k < t->ncols; k++) {
		len = strlen(t->hdr[k]);
		same = strncmp(p, t->hdr[k], len) == 0 && p[len] == (k + 1 < t->ncols ? ',' : '\n');
		p += len + 1;
	}
	free(hdr);
	return same;
}

/* The cell's results.csv rows: the last reps rows of the scratch table
 * (the first ones are the warm-ups); a trial that left no row gets a
 * failure row. */
static void put_rows(FILE *m, const struct sweep *sw, const struct spec_cell *c,
		     const struct cells_csv *t)
{
	unsigned reps = c->reps;
	unsigned have = t->nrows < reps ? (unsigned)t->nrows : reps, missing = reps - have;
	size_t from = t->nrows - have;

	for (unsigned r = 1; r <= reps; r++) {
		fprintf(m, "%s,%u,", c->id, r);
		if (r <= missing) {
			failure_row(m, c, sw->meta.cores);
		} else {
			char **f = t->rows[from + r - 1 - missing];

			for (size_t k = 0; k < t->ncols; k++)
				fprintf(m, "%s%s", k ? "," : "", f[k]);
		}
		fputc('\n', m);
	}
}

/* Append the cell's rows to results.csv in one piece. 0 or -errno. */
static int keep_rows(struct sweep *sw, const struct spec_cell *c, const char *scratch)
{
	char path[PATH_MAX], *buf = NULL;
	size_t len = 0;
	struct cells_csv t;
	FILE *m;
	int fd, rc;

	if (cells_csv_read(scratch, &t) != 0)
		memset(&t, 0, sizeof(t));
	if (t.hdr && !same_columns(&t)) {
		cmd_say("sweep", "%s writes other columns than results.csv has; stopping",
			sw->cmbench);
		cells_csv_free(&t);
		return -CMD_EUSAGE;
	}
	m = open_memstream(&buf, &len);
	if (m) {
		put_rows(m, sw, c, &t);
		fclose(m);
	}
	cells_csv_free(&t);
	setio_path(path, sizeof(path), sw->dir, "results.csv");
	fd = buf ? open(path, O_WRONLY | O_APPEND | O_CLOEXEC) : -1;
	rc = !buf ? -ENOMEM : fd < 0 ? -errno : setio_append(fd, buf, len);
	if (fd >= 0)
		close(fd);
	if (rc)
		cmd_say("sweep", "cannot append to %s: %s", path, strerror(-rc));
	free(buf);
	return rc;
}

/* Whether hyperfine ran the cell, and its files could all be written: a
 * cell measured on a full disk is not kept (its runs may have failed for
 * want of space, not by their own fault); the sweep stops instead. */
static int check_hyperfine(const struct sweep *sw, int st, const char *log)
{
	if (st == -1 || (WIFEXITED(st) && WEXITSTATUS(st) == 127)) {
		cmd_say("sweep",
			"hyperfine did not run (see %s); is it installed? (make deps-bench)", log);
		return -ENOENT;
	}
	if (setio_nearly_full(sw->dir, MIN_FREE_BYTES)) {
		cmd_say("sweep", "cannot write %s: %s; the cell in flight is not kept", sw->dir,
			strerror(ENOSPC));
		return -ENOSPC;
	}
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		cmd_say("sweep", "hyperfine failed (%s %d; see %s)",
			WIFEXITED(st) ? "status" : "signal",
			WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st), log);
		return -EIO;
	}
	return 0;
}

static void cell_paths(const struct sweep *sw, const struct spec_cell *c, struct cell_paths *p)
{
	int pid = (int)getpid();

	snprintf(p->scratch, sizeof(p->scratch), "%s/.scratch/%s.%d.csv", sw->dir, c->id, pid);
	snprintf(p->log, sizeof(p->log), "%s/.scratch/%s.%d.log", sw->dir, c->id, pid);
	snprintf(p->spectrum, sizeof(p->spectrum), "%s/spectra/%s.csv", sw->dir, c->id);
	snprintf(p->json, sizeof(p->json), "%s/hyperfine/%s.json", sw->dir, c->id);
}

int sweep_run_cell(struct sweep *sw, const struct spec_cell *c)
{
	struct cell_paths p;
	char warm[16], runs[16], *cmd;
	int st, rc;

	cell_paths(sw, c, &p);
	snprintf(warm, sizeof(warm), "%u", c->warmup);
	snprintf(runs, sizeof(runs), "%u", c->reps);
	unlink(p.scratch);
	cmd = run_command(sw, c, &p);
	if (!cmd)
		return -ENOMEM;
	char *argv[] = { "hyperfine",
			 "-N",
			 "--warmup",
			 warm,
			 "--runs",
			 runs,
			 "--ignore-failure",
			 "--style",
			 "none",
			 "--output",
			 "inherit",
			 "--export-json",
			 p.json,
			 "--command-name",
			 (char *)c->id,
			 "--",
			 cmd,
			 NULL };
	st = run_hyperfine(argv, p.log);
	free(cmd);
	if (sweep_stop_sig) {
		unlink(p.scratch);
		return -EINTR;
	}
	rc = check_hyperfine(sw, st, p.log);
	if (rc == 0)
		rc = keep_rows(sw, c, p.scratch);
	unlink(p.scratch);
	return rc;
}

void sweep_keep_log(const struct sweep *sw, const struct spec_cell *c, bool ok)
{
	char log[PATH_MAX], dst[PATH_MAX];

	snprintf(log, sizeof(log), "%s/.scratch/%s.%d.log", sw->dir, c->id, (int)getpid());
	if (ok) {
		unlink(log);
		return;
	}
	snprintf(dst, sizeof(dst), "%s/logs", sw->dir);
	mkdir(dst, 0777);
	snprintf(dst, sizeof(dst), "%s/logs/%s.log", sw->dir, c->id);
	rename(log, dst);
}
