/* procs.c - see procs.h. */
#define _GNU_SOURCE
#include "procs.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

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
