/* procs.c - see procs.h. */
#define _GNU_SOURCE
#include "procs.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../lib/util.h"
#include "model.h"

#define PROCS_POLL_MS 20 /* how often a waiting parent looks for dead workers */

int procs_init(struct procs *ps, uint64_t cap)
{
	ps->n = ps->ndied = 0;
	ps->cap = cap;
	ps->pid = calloc(cap, sizeof(*ps->pid));
	ps->status = calloc(cap, sizeof(*ps->status));
	ps->died = calloc(cap, sizeof(*ps->died));
	if (ps->pid && ps->status && ps->died)
		return 0;
	procs_free(ps);
	return -ENOMEM;
}

void procs_free(struct procs *ps)
{
	free(ps->pid);
	free(ps->status);
	free(ps->died);
	ps->pid = NULL;
	ps->status = NULL;
	ps->died = NULL;
}

static uint32_t load_state(const uint32_t *state, uint64_t i)
{
	return __atomic_load_n(&state[i], __ATOMIC_ACQUIRE);
}

static void reaped(struct procs *ps, uint64_t i, int st, const uint32_t *state, uint32_t done)
{
	ps->status[i] = st;
	ps->pid[i] = 0;
	if (!state || load_state(state, i) < done || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		ps->died[i] = true;
		ps->ndied++;
	}
}

uint64_t procs_reap_some(struct procs *ps, const uint32_t *state, uint32_t done_state)
{
	uint64_t got = 0;
	int st;

	for (uint64_t i = 0; i < ps->n; i++) {
		if (ps->pid[i] <= 0 || waitpid(ps->pid[i], &st, WNOHANG) != ps->pid[i])
			continue;
		reaped(ps, i, st, state, done_state);
		got++;
	}
	return got;
}

static bool all_reached(struct procs *ps, const uint32_t *state, uint32_t want)
{
	for (uint64_t i = 0; i < ps->n; i++)
		if (!ps->died[i] && load_state(state, i) < want)
			return false;
	return true;
}

void procs_drain(int fd)
{
	char buf[256];

	while (read(fd, buf, sizeof(buf)) < 0 && errno == EINTR)
		;
}

void procs_wait_state(struct procs *ps, int wake_fd, const uint32_t *state, uint32_t want,
		      uint32_t done_state)
{
	struct pollfd p = { .fd = wake_fd, .events = POLLIN };

	while (!all_reached(ps, state, want)) {
		int rc = poll(&p, 1, PROCS_POLL_MS);

		if (rc > 0 && (p.revents & POLLIN))
			procs_drain(wake_fd);
		else if (rc > 0) /* every write end is gone: only deaths are left */
			poll(NULL, 0, PROCS_POLL_MS);
		procs_reap_some(ps, state, done_state);
	}
}

void procs_kill(struct procs *ps, int sig)
{
	for (uint64_t i = 0; i < ps->n; i++)
		if (ps->pid[i] > 0)
			kill(ps->pid[i], sig);
}

void procs_reap_all(struct procs *ps, const uint32_t *state, uint32_t done_state)
{
	int st;

	for (uint64_t i = 0; i < ps->n; i++) {
		if (ps->pid[i] <= 0)
			continue;
		while (waitpid(ps->pid[i], &st, 0) < 0 && errno == EINTR)
			;
		reaped(ps, i, st, state, done_state);
	}
}

void procs_poke(int fd)
{
	char c = 1;

	while (write(fd, &c, 1) < 0 && errno == EINTR)
		;
}

static void close_pair(int fd[2])
{
	for (int i = 0; i < 2; i++)
		if (fd[i] >= 0)
			close(fd[i]);
	fd[0] = fd[1] = -1;
}

int procs_pipes_open(struct procs_pipes *p)
{
	if (pipe2(p->wake, O_CLOEXEC) || pipe2(p->go, O_CLOEXEC) || pipe2(p->stop, O_CLOEXEC))
		return -errno;
	return 0;
}

void procs_pipes_worker(struct procs_pipes *p)
{
	close(p->wake[0]);
	close(p->go[1]);
	close(p->stop[1]);
}

void procs_pipes_parent(struct procs_pipes *p)
{
	close(p->wake[1]);
	close(p->go[0]);
	close(p->stop[0]);
	p->wake[1] = p->go[0] = p->stop[0] = -1;
}

int procs_timed(struct procs *ps, struct procs_pipes *p, const uint32_t *state, uint32_t ready,
		uint32_t done, struct trial_ctl *ctl, uint64_t *t0)
{
	procs_wait_state(ps, p->wake[0], state, ready, done);
	if (ps->ndied) {
		procs_kill(ps, SIGKILL);
		return -ECHILD; /* a worker died during set-up */
	}
	__atomic_store_n(t0, ctl->go(ctl), __ATOMIC_RELEASE);
	close_pair(p->go); /* go: t0 is in place before any worker wakes */
	procs_wait_state(ps, p->wake[0], state, done, done);
	ctl->end(ctl);
	return 0;
}

void procs_finish(struct procs *ps, struct procs_pipes *p, const uint32_t *state, uint32_t done)
{
	close_pair(p->go);
	close_pair(p->stop);
	procs_reap_all(ps, state, done);
	close_pair(p->wake);
}

void procs_set_state(struct procs_pool *pl, uint64_t me, uint32_t st)
{
	__atomic_store_n(&pl->sh->state[me], st, __ATOMIC_RELEASE);
	procs_poke(pl->p.wake[1]);
}

/* head, the workers' extra bytes, their states. */
static struct procs_shared *pool_map(uint64_t n, size_t extra, size_t *size)
{
	size_t head = sizeof(struct procs_shared);
	struct procs_shared *sh;

	*size = head + n * (extra + sizeof(uint32_t));
	sh = mmap(NULL, *size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		return NULL;
	sh->extra = (char *)sh + head;
	sh->state = (uint32_t *)((char *)sh->extra + n * extra);
	return sh;
}

/* Fork the n workers; the parent keeps only its ends of the pipes. */
static int pool_fork(struct procs_pool *pl)
{
	pid_t parent = getpid();
	struct procs *ps = &pl->ps;
	int rc = 0;

	fflush(NULL);
	for (ps->n = 0; ps->n < pl->n; ps->n++) {
		pid_t pid = fork();

		if (pid < 0) {
			rc = -errno;
			break;
		}
		if (pid == 0) {
			die_with_parent(parent, SIGKILL);
			procs_pipes_worker(&pl->p);
			pl->worker(pl, ps->n);
			_exit(4); /* a worker never returns */
		}
		ps->pid[ps->n] = pid;
	}
	procs_pipes_parent(&pl->p);
	return rc;
}

int procs_pool_run(struct procs_pool *pl, struct trial_ctl *ctl, struct task_stats *out)
{
	struct procs_pipes p0 = PROCS_PIPES_INIT;
	uint64_t n = pl->n;
	struct task_stats *ws;
	size_t shsize;
	bool own;
	int rc;

	pl->p = p0;
	stats_init(out);
	if (procs_init(&pl->ps, n) < 0)
		return -ENOMEM;
	ws = ctl_stats_get(ctl, n, &own);
	pl->sh = ws ? pool_map(n, pl->extra_size, &shsize) : NULL;
	if (!pl->sh) {
		if (ws)
			ctl_stats_put(ws, n, own);
		procs_free(&pl->ps);
		return -ENOMEM;
	}
	pl->sh->stats = ws;
	rc = procs_pipes_open(&pl->p);
	if (rc)
		goto out_pipes;
	rc = pool_fork(pl);
	if (rc == 0)
		rc = procs_timed(&pl->ps, &pl->p, pl->sh->state, PROCS_READY, PROCS_DONE, ctl,
				 &pl->sh->t0);
	else
		procs_kill(&pl->ps, SIGKILL);
out_pipes:
	procs_finish(&pl->ps, &pl->p, pl->sh->state, PROCS_DONE);
	if (rc == 0) {
		for (uint64_t i = 0; i < n; i++)
			stats_merge(out, &ws[i]);
		pl->count_lost(pl, out);
	}
	munmap(pl->sh, shsize);
	ctl_stats_put(ws, n, own);
	procs_free(&pl->ps);
	return rc;
}
