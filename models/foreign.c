/* foreign.c - the runner of every foreign model: a program in another
 * language runs the tasks itself and speaks the protocol of
 * models/python/README.md over one socketpair, inherited as fd 3:
 *
 *   cmbench (trial process)             the program (its child)
 *                                       sets up: pools, connections
 *                            <- ready
 *   ctl->go() -> t0
 *                            go T0 ->
 *                                       runs the tasks
 *                            <- task ID START_NS END_NS RESULT_HEX ERR
 *                            <- ...     (one per task, any order; a
 *                                       program may write many in one
 *                                       write, and the runner reads many
 *                                       per read)
 *                            <- end
 *   ctl->end(): final sample
 *                            bye ->
 *                                       tears down, exits 0
 *   reap it (and any orphan)
 *
 * The trial process stays the program's parent, so the monitor measures the
 * interpreter and every process it starts as the model's tree. The run's
 * parameters go as key=value arguments. Nothing the program does can hang
 * the run: the runner polls, notices the program's death (proc_ended) and
 * the socket's EOF, and kills a program that stops reporting for longer
 * than the run's own deadlines allow. Every task must be reported exactly
 * once: a task never reported (the program died, or forgot it) is a failed
 * task of kind worker; a second report of a task, or a record that cannot
 * be read, counts one more worker error; a program that died or exited
 * non-zero counts as a lost worker. The run then exits 1.
 *
 * Open loop (--rate): the schedule goes to the program as fd 4 (a memfd of
 * N native uint64 offsets from T0, in ns; argv says release_fd=4). The
 * program starts no task before it is due, and latency runs from the
 * task's due time; a record whose START is before it is a bad record.
 *
 * --py-bare, the measurement control of docs/python.md: argv says bare=1,
 * and the program reports no record per task but counts, "done END N_OK
 * N_CONNECT N_TIMEOUT N_IO N_HTTP N_QUERY N_WORKER" (the tasks a worker
 * ended since its last such line, the last of them at END); the row then
 * has a makespan, counts and errors, and no latencies or checksum.
 *
 * This file is the session, the same for any language; what the program is
 * given (its argv, the library flags resolved for Python's programs) and
 * foreign_check with its import probe are foreign_args.c's. */
#define _GNU_SOURCE
#include "foreign.h"
#include "foreign_int.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../lib/clock.h"
#include "../lib/proc.h"
#include "../lib/spawn.h"
#include "../workloads/workload.h"

#define FOREIGN_LINE_MAX 256 /* a protocol line, newline included */
#define FOREIGN_READ 65536   /* bytes per read: many records (a batch) at once */
/* A kernel round in the slowest runtime we expect (CPython: ~0.7 µs here),
 * with room to spare; it only sizes deadlines. */
#define FOREIGN_ITER_NS_MAX 5000.0

/* The program as it runs, and what it has said. */
struct fg {
	const struct run_cfg *cfg;	 /* the run */
	struct task_stats *out;		 /* its records go here; NULL in mode=cpu */
	pid_t pid;			 /* the program; 0 once reaped */
	int status;			 /* its wait status, once reaped */
	int fd;				 /* our end of the socketpair; -1 after EOF */
	char line[FOREIGN_LINE_MAX];	 /* the line being received */
	size_t len;			 /* bytes in line */
	bool overlong;			 /* the line being received is too long: dropped */
	bool ready, ended;		 /* it said "ready", "end" */
	bool went;			 /* "go" was sent: records are expected */
	uint64_t t0;			 /* the clock's start */
	const struct trial_ctl *ctl;	 /* the schedule: ctl_release_ns() */
	int release_fd;			 /* open loop: the schedule, as a memfd; -1 */
	uint64_t max_gap;		 /* open loop: the longest gap between releases */
	uint64_t last_heard;		 /* when the last line arrived */
	uint8_t *seen;			 /* one bit per task id: reported */
	uint64_t reported;		 /* tasks reported once */
	char cpu_line[FOREIGN_LINE_MAX]; /* mode=cpu: its answer */
	char why[FOREIGN_LINE_MAX];	 /* "fail WHY" before ready: its set-up failed */
};

/* Open loop: the schedule in a memfd for the program's fd 4, and the
 * longest gap between two releases (the program may be silent that long).
 * 0 or -errno. */
static int release_open(struct fg *g)
{
	const uint64_t *off = g->ctl->release_off;
	size_t size = g->cfg->tasks * sizeof(*off), done = 0;

	if (!off)
		return 0;
	for (uint64_t i = 1; i < g->cfg->tasks; i++)
		if (off[i] > off[i - 1] && off[i] - off[i - 1] > g->max_gap)
			g->max_gap = off[i] - off[i - 1];
	g->release_fd = memfd_create("cmbench-release", MFD_CLOEXEC);
	if (g->release_fd < 0)
		return -errno;
	while (done < size) {
		ssize_t w = write(g->release_fd, (const char *)off + done, size - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? -errno : -EIO;
		done += (size_t)w;
	}
	return lseek(g->release_fd, 0, SEEK_SET) < 0 ? -errno : 0;
}

/* The program with the socket on fd 3 and the release schedule (if any)
 * on fd 4, stdin from /dev/null, stdout into our stderr (stdout carries
 * cmbench's result); it dies with the trial. */
static int fg_start(struct fg *g, char *const argv[])
{
	struct spawn sp;
	int sv[2], rc;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return -errno;
	spawn_init(&sp);
	spawn_null(&sp, STDIN_FILENO);
	spawn_dup(&sp, STDOUT_FILENO, STDERR_FILENO);
	spawn_dup(&sp, FOREIGN_FD, sv[1]);
	if (g->release_fd >= 0)
		spawn_dup(&sp, FOREIGN_RELEASE_FD, g->release_fd);
	sp.death_sig = SIGKILL;
	sp.reset_signals = true;
	rc = spawn_exec(&sp, argv, &g->pid);
	close(sv[1]);
	if (rc != 0) {
		close(sv[0]);
		g->pid = -1;
		return rc;
	}
	g->fd = sv[0];
	g->last_heard = clock_now_ns();
	return 0;
}

/* --- what it says --------------------------------------------------------- */

static void count_bad(struct fg *g)
{
	if (g->out)
		g->out->errors[TASK_ERR_WORKER]++;
}

static int err_kind(const char *name)
{
	for (int k = 0; k < TASK_ERR_KINDS; k++)
		if (strcmp(task_err_names[k], name) == 0)
			return k;
	return -1;
}

/* "task ID START END RESULT ERR": one task's record. */
static void on_record(struct fg *g, const char *line)
{
	uint64_t id, start, end, result;
	char kind[16], extra;
	int err;

	/* a task started before it was due is a bad record */
	if (sscanf(line, "task %" SCNu64 " %" SCNu64 " %" SCNu64 " %16" SCNx64 " %15s %c", &id,
		   &start, &end, &result, kind, &extra) != 5 ||
	    (err = err_kind(kind)) < 0 || id >= g->cfg->tasks ||
	    start < ctl_release_ns(g->ctl, g->t0, id) || end < start ||
	    (g->seen[id / 8] & (1u << (id % 8)))) {
		count_bad(g); /* unreadable, out of range, or a second report */
		return;
	}
	g->seen[id / 8] |= (uint8_t)(1u << (id % 8));
	g->reported++;
	stats_task_done(g->out, ctl_release_ns(g->ctl, g->t0, id), start, end, id, result, err);
}

/* --py-bare: "done END N_OK N_CONNECT ... N_WORKER", the tasks a worker
 * ended since its last such line, without a record each. */
static void on_tally(struct fg *g, const char *line)
{
	uint64_t end, n[TASK_ERR_KINDS], sum = 0;
	int off = 0, used = 0;

	if (sscanf(line, "done %" SCNu64 "%n", &end, &off) != 1 || end < g->t0) {
		count_bad(g);
		return;
	}
	for (int k = 0; k < TASK_ERR_KINDS; k++) {
		if (sscanf(line + off, " %" SCNu64 "%n", &n[k], &used) != 1) {
			count_bad(g);
			return;
		}
		off += used;
		sum += n[k];
	}
	if (line[off] != '\0' || sum > g->cfg->tasks - g->reported) {
		count_bad(g); /* more than the tasks left: counted twice */
		return;
	}
	g->reported += sum;
	g->out->completed += sum;
	for (int k = 1; k < TASK_ERR_KINDS; k++)
		g->out->errors[k] += n[k];
	if (end > g->out->last_done_ns)
		g->out->last_done_ns = end;
}

static void on_line(struct fg *g, const char *line)
{
	g->last_heard = clock_now_ns();
	if (!g->went && !g->ready && strcmp(line, "ready") == 0)
		g->ready = true;
	else if (!g->went && !g->ready && strncmp(line, "fail ", 5) == 0)
		snprintf(g->why, sizeof(g->why), "%s", line + 5);
	else if (g->went && !g->ended && !g->cfg->py_bare && strncmp(line, "task ", 5) == 0)
		on_record(g, line);
	else if (g->went && !g->ended && g->cfg->py_bare && strncmp(line, "done ", 5) == 0)
		on_tally(g, line);
	else if (g->went && !g->ended && strcmp(line, "end") == 0)
		g->ended = true;
	else if (!g->out && strncmp(line, "cpu ", 4) == 0)
		snprintf(g->cpu_line, sizeof(g->cpu_line), "%s", line);
	else
		count_bad(g); /* a line out of place */
}

static void take_bytes(struct fg *g, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] != '\n') {
			if (g->len + 1 < sizeof(g->line))
				g->line[g->len++] = p[i];
			else
				g->overlong = true;
			continue;
		}
		g->line[g->len] = '\0';
		if (g->overlong)
			count_bad(g);
		else
			on_line(g, g->line);
		g->len = 0;
		g->overlong = false;
	}
}

/* Has the program exited? Reaps it. */
static bool fg_gone(struct fg *g)
{
	struct proc_end e;

	if (g->pid > 0 && proc_ended(g->pid, true, &e) == 1) {
		g->status = e.status;
		g->pid = 0;
	}
	return g->pid == 0;
}

/* Read what has arrived, waiting up to ms for it. false at EOF (or when the
 * program is gone and nothing is left to read). */
static bool fg_pump(struct fg *g, int ms)
{
	struct pollfd p = { .fd = g->fd, .events = POLLIN };
	char buf[FOREIGN_READ];
	ssize_t r;

	if (g->fd < 0)
		return false;
	if (poll(&p, 1, ms) <= 0)
		return !fg_gone(g);
	r = read(g->fd, buf, sizeof(buf));
	if (r < 0 && errno == EINTR)
		return true;
	if (r <= 0) {
		close(g->fd);
		g->fd = -1;
		return false;
	}
	take_bytes(g, buf, (size_t)r);
	return true;
}

static void say(struct fg *g, const char *line)
{
	size_t n = strlen(line), off = 0;

	while (g->fd >= 0 && off < n) {
		ssize_t w = write(g->fd, line + off, n - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return; /* it is gone: the reading side will notice */
		off += (size_t)w;
	}
}

/* --- its end ---------------------------------------------------------------- */

/* Kill the program if it still runs, and reap it. */
static void fg_kill(struct fg *g)
{
	struct proc_end e;

	if (g->pid <= 0)
		return;
	if (proc_kill(g->pid, false, &e) == 0)
		g->status = e.status;
	g->pid = 0;
}

/* Kill and reap the processes it started that outlived it: we are their
 * subreaper, and in the trial process the program was our only child. */
static void kill_orphans(void)
{
	char path[64], buf[4096];
	bool any = true;

	for (int round = 0; any && round < 100; round++) {
		ssize_t n;
		int fd;

		any = false;
		snprintf(path, sizeof(path), "/proc/self/task/%d/children", (int)gettid());
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n <= 0)
			return;
		buf[n] = '\0';
		for (char *tok = strtok(buf, " \n"); tok; tok = strtok(NULL, " \n")) {
			pid_t pid = (pid_t)atoi(tok);

			if (pid > 0 && proc_kill(pid, false, NULL) == 0)
				any = true;
		}
	}
}

/* Let it exit by itself until the deadline, then kill it; reap it. */
static void fg_reap(struct fg *g, uint64_t deadline)
{
	struct proc_wait w = { .deadline_ns = deadline }; /* past it: SIGKILL */
	struct proc_end e;
	int rc = g->pid > 0 ? proc_wait(g->pid, &w, &e) : -ECHILD;

	if (rc == 0 || rc == -ETIMEDOUT)
		g->status = e.status;
	g->pid = 0;
}

static bool exited_ok(const struct fg *g)
{
	return WIFEXITED(g->status) && WEXITSTATUS(g->status) == 0;
}

/* --- deadlines ------------------------------------------------------------ */

/* Set-up may take long: an interpreter per worker with --spawn exec. */
static uint64_t setup_ns(const struct run_cfg *cfg)
{
	return (20 + (cfg->concurrency + cfg->workers) / 25) * NS_PER_S;
}

/* The longest a running program may stay silent: every slot's task may end
 * at about the same time, after its I/O deadline and its CPU part run on
 * one shared core in a slow runtime. The programs batch their records
 * (models/python/foreign.py: a batch is written when it holds 64, when a
 * task ends 0.1 s or more after the last write, and at the end), so
 * batching adds at most 0.1 s to a silence, well inside the 2 s. */
static uint64_t silence_ns(const struct run_cfg *cfg)
{
	double io = 2.0 * ((double)cfg->timeout_us + (double)cfg->io_latency_us) * 1e3;
	double cpu = (double)cfg->concurrency * (double)cfg->cpu_iters * FOREIGN_ITER_NS_MAX;
	double ns = 2e9 + io + cpu;

	return ns > 1e18 ? (uint64_t)1e18 : (uint64_t)ns;
}

/* --- the run ---------------------------------------------------------------- */

/* Until it says ready (0), says its set-up failed (-ECANCELED, the reason
 * in g->why), dies (-ECHILD), says something else (-EPROTO) or takes too
 * long (-ETIMEDOUT). */
static int wait_ready(struct fg *g)
{
	uint64_t deadline = clock_now_ns() + setup_ns(g->cfg);

	while (!g->ready) {
		if (g->why[0])
			return -ECANCELED;
		if (clock_now_ns() >= deadline)
			return -ETIMEDOUT;
		if (!fg_pump(g, foreign_ms_until(deadline)))
			return -ECHILD;
		if (g->out->errors[TASK_ERR_WORKER])
			return -EPROTO;
	}
	return 0;
}

/* Records until "end", EOF, its death, or a silence too long. */
static void take_records(struct fg *g)
{
	uint64_t quiet = silence_ns(g->cfg) + g->max_gap;

	while (!g->ended) {
		uint64_t now = clock_now_ns();

		if (now - g->last_heard > quiet) {
			fg_kill(g); /* alive but silent: stuck */
			break;
		}
		if (!fg_pump(g, foreign_ms_until(g->last_heard + quiet))) {
			while (g->fd >= 0 && fg_pump(g, 0)) /* what it wrote before it died */
				;
			break;
		}
	}
}

/* Tasks never reported failed; a program that did not end well lost its
 * worker. */
static void count_missing(struct fg *g)
{
	uint64_t missing = g->cfg->tasks - g->reported;

	g->out->completed += missing;
	g->out->errors[TASK_ERR_WORKER] += missing;
	if (!g->ended || (g->pid == 0 && !exited_ok(g)))
		g->out->workers_lost = 1;
}

static void fg_free(struct fg *g)
{
	if (g->fd >= 0)
		close(g->fd);
	g->fd = -1;
	if (g->release_fd >= 0)
		close(g->release_fd);
	g->release_fd = -1;
	free(g->seen);
}

int foreign_run(const struct run_cfg *cfg, struct trial_ctl *ctl, struct task_stats *out)
{
	struct fg g = { .cfg = cfg, .out = out, .fd = -1, .ctl = ctl, .release_fd = -1 };
	struct foreign_argv a = { .n = 0 };
	char go[64];
	int rc;

	stats_init(out);
	rc = foreign_program_argv(cfg->model, &a);
	if (rc < 0)
		return rc;
	foreign_run_args(cfg, &a);
	g.seen = calloc(cfg->tasks / 8 + 1, 1);
	if (!g.seen)
		return -ENOMEM;
	rc = release_open(&g);
	if (rc < 0) {
		fg_free(&g);
		return rc;
	}
	/* the processes it starts stay ours to reap, even when it dies */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	rc = fg_start(&g, a.v);
	if (rc == 0)
		rc = wait_ready(&g);
	if (rc < 0) {
		if (g.why[0] && ctl->why)
			snprintf(ctl->why, ctl->why_len, "%s", g.why);
		fg_kill(&g);
		kill_orphans();
		fg_free(&g);
		return rc;
	}
	g.t0 = ctl->go(ctl);
	g.went = true;
	snprintf(go, sizeof(go), "go %" PRIu64 "\n", g.t0);
	say(&g, go);
	g.last_heard = clock_now_ns();
	take_records(&g);
	ctl->end(ctl);
	if (g.ended) { /* it may tear down now */
		say(&g, "bye\n");
		if (g.fd >= 0)
			shutdown(g.fd, SHUT_WR);
		fg_reap(&g, clock_now_ns() + 30 * NS_PER_S);
	}
	fg_kill(&g);
	kill_orphans();
	count_missing(&g);
	fg_free(&g);
	return 0;
}

/* --- the cpu cost (in the monitor, before the trial) ------------------------ */

int foreign_cpu_cost(struct run_cfg *cfg, double *us_per_task, char *err, size_t errlen)
{
	struct fg g = { .cfg = cfg, .fd = -1, .release_fd = -1 };
	struct foreign_argv a = { .n = 0 };
	double big = (double)cfg->cpu_target_us * 1e3, w = 0;
	uint64_t iters = 0, deadline;
	int rc = foreign_program_argv(cfg->model, &a);

	if (rc < 0) {
		snprintf(err, errlen, "%s: cannot find its program %s (or %s)", cfg->model->name,
			 cfg->model->program ? cfg->model->program : "(none)", FOREIGN_PYTHON);
		return rc;
	}
	foreign_cpu_args(cfg, &a);
	if ((double)cfg->cpu_iters * FOREIGN_ITER_NS_MAX > big)
		big = (double)cfg->cpu_iters * FOREIGN_ITER_NS_MAX;
	/* a calibration, then at most 15 calls or 100 ms of them */
	deadline = clock_now_ns() + 30 * NS_PER_S + (uint64_t)(big * 20 < 1e15 ? big * 20 : 1e15);
	rc = fg_start(&g, a.v);
	while (rc == 0 && !g.cpu_line[0] && clock_now_ns() < deadline)
		if (!fg_pump(&g, foreign_ms_until(deadline)))
			break;
	fg_reap(&g, clock_now_ns() + 5 * NS_PER_S);
	fg_free(&g);
	if (rc == 0 && (sscanf(g.cpu_line, "cpu %" SCNu64 " %lf", &iters, &w) != 2 || iters == 0))
		rc = -EPROTO;
	if (rc < 0) {
		snprintf(err, errlen, "%s: its program did not say what its cpu kernel costs",
			 cfg->model->name);
		return rc;
	}
	if (cfg->cpu_target_us)
		cfg->cpu_iters = iters;
	*us_per_task = w;
	return 0;
}
