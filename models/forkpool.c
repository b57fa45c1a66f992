/* forkpool.c - --concurrency worker processes made with fork() before the
 * clock starts. The Python analog: multiprocessing.Pool.
 *
 * Tasks go out through a counter in shared memory that every worker takes
 * the next id from (an atomic fetch-and-add: the queue of a pool whose
 * tasks are numbered). Results come back in shared memory too: each worker
 * owns one task_stats slot, which the parent merges after the workers
 * exit. Three pipes make the barriers, and each is one byte per worker:
 *   ready: worker -> parent  "set up, connected"
 *   go:    parent closes it  every worker sees EOF at once, t0 is published
 *   done:  worker -> parent  "no task left"; workers then wait on `go`'s
 *          sibling `stop` so that the peak is sampled before they exit
 * Every child dies with the trial (PR_SET_PDEATHSIG) and every child is
 * reaped. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../harness/clock.h"
#include "../harness/trial.h"
#include "../workloads/io.h"
#include "model.h"

struct fp_shared {
	uint64_t next_id;	   /* next task to take (atomic) */
	uint64_t t0;		   /* release time, written before go */
	struct task_stats stats[]; /* one per worker */
};

struct fp_pipes {
	int ready[2], go[2], done[2], stop[2];
};

static void read_byte_or_eof(int fd)
{
	char c;

	while (read(fd, &c, 1) < 0 && errno == EINTR)
		;
}

static void write_byte(int fd)
{
	char c = 1;

	while (write(fd, &c, 1) < 0 && errno == EINTR)
		;
}

/* The worker process: never returns. */
static void forkpool_worker(const struct run_cfg *cfg, struct fp_shared *sh, uint64_t me,
			    struct fp_pipes *p, pid_t parent)
{
	struct task_stats *st = &sh->stats[me];
	struct io_slot slot = { .fd = -1 };
	uint64_t id, start, result = 0;
	int err;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(3);
	close(p->ready[0]);
	close(p->go[1]);
	close(p->done[0]);
	close(p->stop[1]);
	/* st is fresh zeroed shared memory: not clearing it again keeps its
	 * untouched pages out of the worker's memory */
	if (cfg->workload->does_io && cfg->keepalive)
		io_connect(cfg, &slot);
	write_byte(p->ready[1]);
	read_byte_or_eof(p->go[0]); /* EOF: go */
	for (;;) {
		id = __atomic_fetch_add(&sh->next_id, 1, __ATOMIC_RELAXED);
		if (id >= cfg->tasks)
			break;
		start = clock_now_ns();
		err = io_task_blocking(cfg, &slot, id, &result);
		stats_task_done(st, sh->t0, start, clock_now_ns(), id, result, err);
	}
	write_byte(p->done[1]);
	read_byte_or_eof(p->stop[0]); /* EOF: the parent has sampled the peak */
	io_close(&slot);
	_exit(0);
}

static void close_pair(int fd[2])
{
	for (int i = 0; i < 2; i++)
		if (fd[i] >= 0)
			close(fd[i]);
	fd[0] = fd[1] = -1;
}

/* Read one byte from each of n workers; false if a worker died first. */
static bool gather(int fd, uint64_t n)
{
	char buf[256];
	uint64_t got = 0;
	ssize_t r;

	while (got < n) {
		r = read(fd, buf, n - got < sizeof(buf) ? (size_t)(n - got) : sizeof(buf));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return false;
		got += (uint64_t)r;
	}
	return true;
}

static int forkpool_run(const struct run_cfg *cfg, struct task_stats *out)
{
	struct fp_pipes p = { { -1, -1 }, { -1, -1 }, { -1, -1 }, { -1, -1 } };
	uint64_t n = cfg->concurrency, forked = 0;
	size_t shsize = sizeof(struct fp_shared) + n * sizeof(struct task_stats);
	pid_t parent = getpid(), *pids;
	struct fp_shared *sh;
	int rc = 0, st;

	stats_init(out);
	pids = calloc(n, sizeof(*pids));
	sh = mmap(NULL, shsize, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (!pids || sh == MAP_FAILED) {
		rc = -ENOMEM;
		goto out_free;
	}
	if (pipe2(p.ready, O_CLOEXEC) || pipe2(p.go, O_CLOEXEC) || pipe2(p.done, O_CLOEXEC) ||
	    pipe2(p.stop, O_CLOEXEC)) {
		rc = -errno;
		goto out_pipes;
	}
	for (forked = 0; forked < n; forked++) {
		pid_t pid = fork();

		if (pid < 0) {
			rc = -errno;
			break;
		}
		if (pid == 0)
			forkpool_worker(cfg, sh, forked, &p, parent);
		pids[forked] = pid;
	}
	/* the parent keeps only its ends, so a dead worker shows as EOF */
	close(p.ready[1]);
	close(p.done[1]);
	close(p.go[0]);
	close(p.stop[0]);
	p.ready[1] = p.done[1] = p.go[0] = p.stop[0] = -1;
	if (rc == 0 && !gather(p.ready[0], n))
		rc = -ECHILD;
	if (rc == 0) {
		sh->t0 = trial_go();
		close(p.go[1]); /* go: t0 is in place before any worker wakes */
		p.go[1] = -1;
		if (!gather(p.done[0], n))
			rc = -ECHILD;
		else
			trial_end();
	}
	if (rc != 0)
		for (uint64_t i = 0; i < forked; i++)
			kill(pids[i], SIGKILL);
out_pipes:
	close_pair(p.go);
	close_pair(p.stop);
	for (uint64_t i = 0; i < forked; i++)
		while (waitpid(pids[i], &st, 0) < 0 && errno == EINTR)
			;
	close_pair(p.ready);
	close_pair(p.done);
	if (rc == 0)
		for (uint64_t i = 0; i < n; i++)
			stats_merge(out, &sh->stats[i]);
out_free:
	if (sh != MAP_FAILED)
		munmap(sh, shsize);
	free(pids);
	return rc;
}

const struct model_ops model_forkpool = {
	.name = "forkpool",
	.summary = "--concurrency prefork worker processes, shared-memory queue and results",
	.one_slot = false,
	.run = forkpool_run,
};
