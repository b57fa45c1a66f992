/* iterative.c - the sequential server: one connection at a time on one
 * thread; each request's task runs with the blocking driver, and the
 * answer closes the connection (a kept one would hold the only worker
 * while the other connections wait). Connections wait in the listen
 * backlog. The analog: a `for` loop around accept(), or
 * http.server.HTTPServer. */
#define _GNU_SOURCE
#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include "srv.h"

static int iterative_run(const struct run_cfg *cfg, struct trial_ctl *ctl, struct task_stats *out)
{
	struct wl_slot slot = { 0 };
	int port = (int)cfg->port, lfd, rc;

	stats_init(out);
	lfd = srv_listen(&port, false, false);
	if (lfd < 0)
		return lfd;
	ctl->port = port;
	rc = wl_slot_init(&slot, cfg);
	if (rc == -ENOMEM) {
		close(lfd);
		return rc;
	}
	ctl->go(ctl);
	while (srv_wait_accept(lfd, ctl->stop_fd) == 1) {
		int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);

		if (fd >= 0)
			srv_serve_conn(fd, &slot, out, false, ctl->stop_fd);
	}
	ctl->end(ctl);
	wl_slot_fini(&slot);
	close(lfd);
	return 0;
}

const struct server_ops server_iterative = {
	.base = {
		.name = "iterative",
		.summary = "one connection at a time on one thread; closes after each answer",
		.label = "iter",
		.color = "#555555",
		.one_slot = true,
		.par = MODEL_PAR_ONE,
		.kind = MODEL_KIND_SEQUENTIAL,
		.open_loop = true,
		.run = iterative_run,
	},
	.closes = true,
	.queue = "connections wait in the listen backlog",
};
