/* prefork.c - --workers processes forked before the clock, all accepting
 * on one shared listener. Each blocks in accept(): the kernel keeps the
 * waiting processes in a queue and wakes one per connection (an exclusive
 * wake-up, so no herd), which balances accept by who is waiting. A worker
 * serves one connection at a time with the blocking driver and closes it
 * after the answer, as Gunicorn's sync workers do (a kept connection would
 * hold the worker while the others wait). The analog: Gunicorn sync
 * workers, Apache prefork. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../../lib/clock.h"
#include "../../lib/proc.h"
#include "srv.h"

/* A worker process: never returns. */
static void prefork_worker(const struct run_cfg *cfg, int lfd, int ready_fd, struct task_stats *st)
{
	struct wl_slot slot = { 0 };
	char c = 'r';

	if (wl_slot_init(&slot, cfg) == -ENOMEM)
		_exit(4);
	if (write(ready_fd, &c, 1) != 1)
		_exit(4);
	close(ready_fd);
	for (;;) {
		int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);

		if (fd >= 0)
			srv_serve_conn(fd, &slot, st, false, -1);
		else if (errno != EINTR && errno != ECONNABORTED)
			_exit(4);
	}
}

/* Wait for n ready bytes, at most 30 s: 0 or -ECHILD. */
static int wait_ready(int fd, uint64_t n)
{
	uint64_t deadline = clock_now_ns() + 30000000000ull;
	char buf[64];

	while (n > 0) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t r;

		if (clock_now_ns() >= deadline || poll(&p, 1, 100) < 0)
			return -ECHILD;
		r = read(fd, buf, n < sizeof(buf) ? n : sizeof(buf));
		if (r > 0)
			n -= (uint64_t)r;
		else if (r == 0)
			return -ECHILD; /* every worker is gone */
	}
	return 0;
}

/* Stop the workers and reap them; one that had died on its own is lost. */
static uint64_t reap(pid_t *pid, uint64_t n)
{
	uint64_t lost = 0;

	for (uint64_t i = 0; i < n; i++) {
		struct proc_end e;

		if (pid[i] <= 0)
			continue;
		if (proc_ended(pid[i], true, &e) == 1)
			lost++;
		else
			proc_kill(pid[i], false, &e);
	}
	return lost;
}

static int prefork_run(const struct run_cfg *cfg, struct trial_ctl *ctl, struct task_stats *out)
{
	uint64_t n = cfg->workers, started = 0;
	int port = (int)cfg->port, lfd, rc = 0, rp[2];
	pid_t parent = getpid(), *pid = calloc(n, sizeof(pid_t));
	struct task_stats *st;
	bool own;

	stats_init(out);
	if (!pid)
		return -ENOMEM;
	lfd = srv_listen(&port, false, false);
	if (lfd < 0) {
		free(pid);
		return lfd;
	}
	ctl->port = port;
	st = ctl_stats_get(ctl, n, &own);
	if (!st || pipe(rp) < 0) {
		rc = -ENOMEM;
		goto out;
	}
	for (; started < n; started++) {
		pid[started] = fork();
		if (pid[started] == 0) {
			close(rp[0]);
			die_with_parent(parent, SIGKILL);
			prefork_worker(cfg, lfd, rp[1], &st[started]);
		}
		if (pid[started] < 0)
			break;
	}
	close(rp[1]);
	rc = started == n ? wait_ready(rp[0], n) : -EAGAIN;
	close(rp[0]);
	if (rc == 0) {
		struct pollfd p = { .fd = ctl->stop_fd, .events = POLLIN };

		ctl->go(ctl);
		while (poll(&p, 1, -1) < 0 && errno == EINTR)
			;
	}
	if (rc == 0)
		ctl->end(ctl);
	out->workers_lost = reap(pid, started);
	for (uint64_t i = 0; i < started; i++)
		stats_merge(out, &st[i]);
out:
	if (st)
		ctl_stats_put(st, n, own);
	close(lfd);
	free(pid);
	return rc;
}

const struct server_ops server_prefork = {
	.base = {
		.name = "prefork-accept",
		.summary = "--workers processes blocking in accept() on one shared listener",
		.label = "prefork",
		.color = "#009E73",
		.par = MODEL_PAR_WORKERS,
		.kind = MODEL_KIND_PROCESSES,
		.open_loop = true,
		.wstats = MODEL_WSTATS_WORKERS,
		.run = prefork_run,
	},
	.closes = true,
	.queue = "connections wait in the backlog; accept wakes one waiting process each",
};
