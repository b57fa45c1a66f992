/* sweep_cell.c - one grid point of a sweep: the cells that differ only by
 * their model run in rounds, each round every model once in a fresh
 * shuffled order (seeded by meta.json's seed and the point's cell ids),
 * each run one hyperfine invocation of `cmbench run`, in a process group
 * of its own that a watchdog kills if the sweep dies (even by SIGKILL).
 * The warm-ups run first, in rounds of their own whose rows are dropped.
 * Rounds go on past MIN until sweep_stop.c says they stop (every
 * verdict of the point decided, or stop: ci's intervals, or MAX, or the
 * grid's budget);
 * then each cell's measured rows are appended to results.csv, all of them
 * or none, and its rounds' exports merged into hyperfine/ID.json. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../models/model.h"
#include "../../workloads/workload.h"
#include "../cli.h"
#include "../set/cells.h"
#include "../../lib/cmdutil.h"
#include "../../lib/proc.h"
#include "../../lib/spawn.h"
#include "../set/setio.h"
#include "sweep.h"

#define KILL_GRACE_MS 3000   /* after forwarding a signal, SIGKILL stragglers */
#define MIN_FREE_BYTES 16384 /* less left after a cell: its runs may have lost files */

/* The files of one cell. */
struct cell_paths {
	char scratch[PATH_MAX]; /* the runs' rows, warm-ups first */
	char log[PATH_MAX];	/* hyperfine's and the runs' output */
	char spectrum[PATH_MAX];
	char json[PATH_MAX]; /* hyperfine's export, all rounds merged */
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
static int watchdog(void *arg)
{
	pid_t pgid = 0;
	char done;

	(void)arg;
	if (read(STDIN_FILENO, &pgid, sizeof(pgid)) == sizeof(pgid) &&
	    read(STDIN_FILENO, &done, 1) != 1 && pgid > 0)
		kill(-pgid, SIGKILL);
	return 0;
}

static pid_t watchdog_start(int *wfd)
{
	struct spawn sp;
	int p[2], rc;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) != 0)
		return -errno;
	spawn_init(&sp);
	spawn_dup(&sp, STDIN_FILENO, p[0]);
	sp.close_others = true;	  /* the set's lock, above all */
	sp.ignore_signals = true; /* the sweep forwards those; we wait for it */
	rc = spawn_fn(&sp, watchdog, NULL, &pid);
	close(p[0]);
	if (rc != 0) {
		close(p[1]);
		return rc;
	}
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
	proc_wait(pid, NULL, NULL);
}

/* Wait for hyperfine; on a stop signal (even one before it started) its
 * whole group gets it, and SIGKILL if it lingers; what is left of its group
 * goes with it. Its wait status, or -1. */
static int wait_hyperfine(pid_t pid)
{
	struct proc_wait w = {
		.grace_ms = KILL_GRACE_MS, .group = true, .sweep = true, .stop = PROC_STOP_FORWARD
	};
	struct proc_end e;
	int rc = proc_wait(pid, &w, &e);

	return rc == 0 || rc == -EINTR ? e.status : -1;
}

/* Run hyperfine for one cell. Its wait status, or -1 when it could not
 * be started. */
static int run_hyperfine(char *const argv[], const char *log)
{
	int wfd = -1, st, rc,
	    fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
		      0666); /* a point's rounds, one log */
	struct spawn sp;
	pid_t dog, pid;

	dog = watchdog_start(&wfd);
	/* hyperfine in a process group of its own, its output into log */
	spawn_init(&sp);
	spawn_null(&sp, STDIN_FILENO);
	if (fd >= 0) {
		spawn_dup(&sp, STDOUT_FILENO, fd);
		spawn_dup(&sp, STDERR_FILENO, fd);
	}
	sp.group = true;
	sp.death_sig = SIGKILL;
	rc = spawn_exec(&sp, argv, &pid);
	if (fd >= 0)
		close(fd);
	if (rc != 0) {
		watchdog_stop(dog, wfd);
		return -1;
	}
	if (dog > 0 && write(wfd, &pid, sizeof(pid)) != sizeof(pid))
		cmd_say("sweep", "warning: the watchdog of %s did not start", log);
	st = wait_hyperfine(pid);
	watchdog_stop(dog, wfd);
	return st;
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

/* The export of round r of a point (cells[0] names it), in the scratch
 * folder. */
static void round_json(const struct sweep *sw, const struct spec_cell *c, unsigned r, char *buf,
		       size_t len)
{
	snprintf(buf, len, "%s/.scratch/%s.%d.r%u.json", sw->dir, c->id, (int)getpid(), r);
}

/* One round: hyperfine runs each cell once (after warmup unmeasured runs
 * of each: the callers pass 0 and run the warm-ups apart), in the order
 * given, as one invocation with one command per cell (hyperfine runs its
 * commands one after another). Each run's row goes to its cell's scratch
 * file; the output is appended to log. 0, -EINTR or -errno (said). */
static int run_round(struct sweep *sw, struct spec_cell *const *cells, const size_t *order,
		     size_t n, const struct cell_paths *p, unsigned warmup, const char *json,
		     const char *log)
{
	static const char *const head[] = { "hyperfine",	"-N",	   "--runs", "1",
					    "--ignore-failure", "--style", "none",   "--output",
					    "inherit",		"--warmup" };
	size_t nh = sizeof(head) / sizeof(head[0]), k = 0;
	char warm[16], **argv = calloc(nh + 3 + 3 * n + 2, sizeof(*argv)), **cmd;
	int st, rc = 0;

	cmd = calloc(n ? n : 1, sizeof(*cmd));
	if (!argv || !cmd) {
		free(argv);
		free(cmd);
		return -ENOMEM;
	}
	snprintf(warm, sizeof(warm), "%u", warmup);
	for (size_t i = 0; i < nh; i++)
		argv[k++] = (char *)head[i];
	argv[k++] = warm;
	argv[k++] = "--export-json";
	argv[k++] = (char *)json;
	for (size_t i = 0; i < n; i++) {
		argv[k++] = "--command-name";
		argv[k++] = (char *)cells[order[i]]->id;
	}
	argv[k++] = "--";
	for (size_t i = 0; rc == 0 && i < n; i++) {
		cmd[i] = run_command(sw, cells[order[i]], &p[order[i]]);
		argv[k++] = cmd[i];
		rc = cmd[i] ? 0 : -ENOMEM;
	}
	if (rc == 0) {
		st = run_hyperfine(argv, log);
		rc = proc_stop_sig() ? -EINTR : check_hyperfine(sw, st, log);
	}
	for (size_t i = 0; i < n; i++)
		free(cmd[i]);
	free(cmd);
	free(argv);
	return rc;
}

/* A small deterministic generator (splitmix64) for the round orders. */
static uint64_t mix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* The point's key for its round orders: the cells' ids hashed (FNV-1a)
 * and combined without regard to order, so that --resume, a shard or a
 * rerun from meta.json's seed gives a point the same orders whatever
 * else ran before it. */
static uint64_t point_key(struct spec_cell *const *cells, size_t n)
{
	uint64_t k = 0;

	for (size_t i = 0; i < n; i++) {
		uint64_t h = 0xcbf29ce484222325ull;

		for (const char *c = cells[i]->id; *c; c++)
			h = (h ^ (unsigned char)*c) * 0x100000001b3ull;
		k ^= h;
	}
	return k;
}

/* A fresh shuffled order of n cells for round r of the point whose key is
 * key. */
static void shuffle(size_t *order, size_t n, uint64_t seed, uint64_t key, unsigned r)
{
	uint64_t x = seed ^ key ^ ((uint64_t)r << 40);

	for (size_t i = 0; i < n; i++)
		order[i] = i;
	for (size_t i = n; i > 1; i--) {
		size_t j = (size_t)(mix(&x) % i), t = order[i - 1];

		order[i - 1] = order[j];
		order[j] = t;
	}
}

/* Append each cell's rows and merge its exports. 0 or -errno. */
static int keep_point(struct sweep *sw, struct spec_cell *const *cells, size_t n,
		      const struct cell_paths *p, unsigned rounds)
{
	char(*json)[PATH_MAX] = calloc(rounds, sizeof(*json));
	const char **paths = calloc(rounds, sizeof(*paths));
	int rc = json && paths ? 0 : -ENOMEM;

	for (size_t i = 0; rc == 0 && i < n; i++) {
		struct spec_cell c = *cells[i];

		c.reps = rounds; /* the rows it has: the last `rounds` of the scratch */
		rc = sweep_keep_rows(sw, &c, p[i].scratch);
		for (unsigned r = 0; rc == 0 && r < rounds; r++) {
			round_json(sw, cells[0], r + 1, json[r], sizeof(json[r]));
			paths[r] = json[r];
		}
		if (rc == 0 && cells_hf_merge(paths, rounds, cells[i]->id, p[i].json) != 0)
			cmd_say("sweep", "warning: no hyperfine export for %s", cells[i]->id);
	}
	free(json);
	free(paths);
	return rc;
}

static void drop_point(const struct sweep *sw, struct spec_cell *const *cells, size_t n,
		       const struct cell_paths *p, unsigned rounds)
{
	char json[PATH_MAX];

	for (size_t i = 0; i < n; i++)
		unlink(p[i].scratch);
	for (unsigned r = 1; r <= rounds; r++) {
		round_json(sw, cells[0], r, json, sizeof(json));
		unlink(json);
	}
	/* every cell of the point keeps the point's log, for sweep_keep_log */
	for (size_t i = 1; i < n; i++) {
		unlink(p[i].log);
		if (link(p[0].log, p[i].log) != 0)
			cmd_say("sweep", "warning: no log for %s: %s", cells[i]->id,
				strerror(errno));
	}
}

int sweep_run_point(struct sweep *sw, struct spec_cell *const *cells, size_t n, double allow_s,
		    struct sweep_point_out *out)
{
	struct cell_paths *p = calloc(n, sizeof(*p));
	size_t *order = calloc(n, sizeof(*order));
	const char **sc = calloc(n ? n : 1, sizeof(*sc));
	char json[PATH_MAX];
	unsigned r = 0;
	double t0 = now_s(), tr;
	bool cut = false;
	int rc = p && order && sc ? 0 : -ENOMEM;

	memset(out, 0, sizeof(*out));
	out->why = "";
	for (size_t i = 0; rc == 0 && i < n; i++) {
		cell_paths(sw, cells[i], &p[i]);
		sc[i] = p[i].scratch;
		unlink(p[i].scratch);
	}
	if (rc == 0)
		unlink(p[0].log);
	/* the warm-ups first, in rounds of their own whose rows and export are
	 * dropped: the scratch then holds measured runs only, so a failed run
	 * leaves a rep missing instead of a warm-up standing in for it */
	for (unsigned w = 0; rc == 0 && w < cells[0]->warmup; w++) {
		shuffle(order, n, sw->meta.seed, point_key(cells, n), 0x8000u + w);
		round_json(sw, cells[0], 0, json, sizeof(json));
		rc = run_round(sw, cells, order, n, p, 0, json, p[0].log);
		unlink(json);
	}
	for (size_t i = 0; rc == 0 && i < n; i++)
		unlink(p[i].scratch);
	while (rc == 0) {
		r++;
		tr = now_s();
		shuffle(order, n, sw->meta.seed, point_key(cells, n), r);
		round_json(sw, cells[0], r, json, sizeof(json));
		rc = run_round(sw, cells, order, n, p, 0, json, p[0].log);
		if (rc || !sweep_more_rounds(cells, n, sc, r, now_s() - t0, now_s() - tr, allow_s,
					     &cut, &out->why))
			break;
	}
	if (rc == 0)
		rc = keep_point(sw, cells, n, p, r);
	drop_point(sw, cells, n, p, r);
	out->rounds = r;
	out->budget_cut = cut;
	out->seconds = now_s() - t0;
	free(p);
	free(order);
	free(sc);
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
