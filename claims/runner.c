/* runner.c - one measurement of claims/runs.txt, run: a child process,
 * `cmbench run ARGS --format csv` or a probe (`--probe PROGRAM ARGS`:
 * PROGRAM of models/python/ run by the interpreter of the foreign models),
 * with its stdout in DIR/runs/NAME.csv and its stderr in DIR/runs/NAME.err,
 * within a deadline (proc_wait sleeps on the child's pidfd: nothing of ours
 * runs beside it); its row is read back once it has exited. */
#define _GNU_SOURCE
#include "claims.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/clock.h"
#include "../lib/proc.h"
#include "../lib/spawn.h"
#include "../lib/util.h"
#include "../models/foreign.h"

#define CLAIMS_ARGS_MAX 64	      /* words of one run's arguments */
#define CLAIMS_PROBES "models/python" /* where a probe's program is */
#define CLAIMS_RUN_S 1800	      /* the longest a run may take: it has its own deadlines */
#define CLAIMS_PROBE_S 300	      /* the longest a probe may take */

/* --- running one ------------------------------------------------------------ */

/* Start argv with stdin from /dev/null, stdout into out and stderr into
 * err (both made anew). 0 with *pid, or -errno. */
static int start_to_files(char *const argv[], const char *out, const char *err, pid_t *pid)
{
	struct spawn sp;

	spawn_init(&sp);
	return spawn_to_files(&sp, argv, out, err, pid);
}

/* A probe's csv: a header of names and a row of numbers. */
static int read_probe(const char *path, struct claims_run *r)
{
	char hdr[2048], data[2048], *hs = NULL, *ds = NULL;
	FILE *f = fopen(path, "r");
	int rc = -EINVAL;

	if (!f)
		return -errno;
	r->nvals = 0;
	if (fgets(hdr, sizeof(hdr), f) && fgets(data, sizeof(data), f)) {
		char *k = strtok_r(hdr, ",\r\n", &hs), *v = strtok_r(data, ",\r\n", &ds);

		for (; k && v && r->nvals < CLAIMS_PROBE_FIGS;
		     k = strtok_r(NULL, ",\r\n", &hs), v = strtok_r(NULL, ",\r\n", &ds)) {
			char *end;

			snprintf(r->keys[r->nvals], sizeof(r->keys[0]), "%s", k);
			r->vals[r->nvals] = strtod(v, &end);
			if (end == v || *end)
				r->vals[r->nvals] = NAN;
			r->nvals++;
		}
		rc = r->nvals ? 0 : -EINVAL;
	}
	fclose(f);
	return rc;
}

static int read_row(const char *path, struct result_row *row)
{
	char hdr[4096], data[4096];
	FILE *f = fopen(path, "r");
	int rc = -EINVAL;

	if (!f)
		return -errno;
	if (fgets(hdr, sizeof(hdr), f) && fgets(data, sizeof(data), f))
		rc = result_csv_parse(hdr, data, row);
	fclose(f);
	return rc;
}

/* Wait for pid until the deadline, then SIGTERM, and SIGKILL 5 s later
 * (asleep on its pidfd). 0, -ETIMEDOUT (it was killed), or -errno. */
static int wait_child(pid_t pid, int timeout_s, struct proc_end *e)
{
	struct proc_wait w = { .deadline_ns = clock_now_ns() + (uint64_t)timeout_s * 1000000000u,
			       .grace_ms = 5000 };

	return proc_wait(pid, &w, e);
}

/* argv of r: `exe run ARGS --format csv`, or `python -B PROGRAM ARGS`,
 * with its words in buf. */
static int run_argv(const char *exe, struct claims_run *r, char *buf, size_t cap, char **argv,
		    char *prog, size_t pcap)
{
	const char *py = getenv("CMBENCH_PYTHON");
	char rel[PATH_MAX];
	int argc = 0;
	char *w, *save = NULL;

	snprintf(buf, cap, "%s", r->args);
	w = strtok_r(buf, " \t", &save);
	if (r->probe) {
		argv[argc++] = py && *py ? (char *)py : FOREIGN_PYTHON;
		argv[argc++] = "-B";
		snprintf(rel, sizeof(rel), "%s/%s", CLAIMS_PROBES, w);
		if (path_beside_binary(rel, prog, pcap) < 0)
			return -ENOENT;
		argv[argc++] = prog;
		w = strtok_r(NULL, " \t", &save);
	} else {
		argv[argc++] = (char *)exe;
		argv[argc++] = "run";
	}
	for (; w && argc < CLAIMS_ARGS_MAX; w = strtok_r(NULL, " \t", &save))
		argv[argc++] = w;
	if (!r->probe) {
		argv[argc++] = "--format";
		argv[argc++] = "csv";
	}
	argv[argc] = NULL;
	return 0;
}

/* Run r; its files go under dir/runs. */
void claims_run_one(const char *exe, const char *dir, struct claims_run *r)
{
	char buf[sizeof(r->args)], out[PATH_MAX], err[PATH_MAX], prog[PATH_MAX];
	char *argv[CLAIMS_ARGS_MAX + 5];
	struct proc_end e = { .code = -1 };
	int rc;
	uint64_t t = clock_now_ns();
	pid_t pid;

	if (snprintf(out, sizeof(out), "%s/runs/%s.csv", dir, r->name) >= (int)sizeof(out) ||
	    snprintf(err, sizeof(err), "%s/runs/%s.err", dir, r->name) >= (int)sizeof(err)) {
		snprintf(r->why, sizeof(r->why), "the output directory's name is too long");
		return;
	}
	if (run_argv(exe, r, buf, sizeof(buf), argv, prog, sizeof(prog)) < 0) {
		snprintf(r->why, sizeof(r->why), "no program %.64s in %s", buf, CLAIMS_PROBES);
		return;
	}
	rc = start_to_files(argv, out, err, &pid);
	if (rc == 0)
		rc = wait_child(pid, r->probe ? CLAIMS_PROBE_S : CLAIMS_RUN_S, &e);
	r->wall_s = (double)(clock_now_ns() - t) / 1e9;
	r->ok = rc == 0 && e.code == 0 &&
		(r->probe ? read_probe(out, r) : read_row(out, &r->row)) == 0;
	if (r->ok)
		return;
	if (rc == -ETIMEDOUT) {
		snprintf(r->why, sizeof(r->why), "killed after %d s",
			 r->probe ? CLAIMS_PROBE_S : CLAIMS_RUN_S);
		return;
	}
	read_first_line(err, r->why, sizeof(r->why));
	if (!r->why[0])
		snprintf(r->why, sizeof(r->why), "exit status %d", e.code);
}

void claims_python_version(const char *dir, char *buf, size_t len)
{
	char out[PATH_MAX], err[PATH_MAX];
	char *argv[] = { FOREIGN_PYTHON, "-c",
			 "import sys\ntry:\n import uvloop; u = ', uvloop ' + uvloop.__version__\n"
			 "except ImportError:\n u = ', no uvloop'\n"
			 "print('CPython', sys.version.split()[0] + u)",
			 NULL };
	pid_t pid;

	snprintf(out, sizeof(out), "%s/runs/python.txt", dir);
	snprintf(err, sizeof(err), "%s/runs/python.err", dir);
	if (start_to_files(argv, out, err, &pid) == 0)
		wait_child(pid, 30, NULL);
	read_first_line(out, buf, len);
	if (!buf[0])
		snprintf(buf, len, "no %s", FOREIGN_PYTHON);
}
