/* io.c - the io workload: one HTTP/1.1 GET per task to the latency server,
 * which answers after --io-latency with --payload body bytes. The task's
 * result is the hash of the body. This file also holds the blocking way of
 * doing the GET, shared by every model that blocks. */
#include "io.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../harness/clock.h"
#include "http.h"
#include "workload.h"

static uint64_t io_finish(const struct run_cfg *cfg, uint64_t id, uint64_t io_hash)
{
	(void)cfg;
	(void)id;
	return io_hash;
}

const struct workload_ops workload_io = {
	.name = "io",
	.summary = "one HTTP/1.1 GET per task; the server answers after --io-latency",
	.does_io = true,
	.does_cpu = false,
	.finish = io_finish,
};

int io_socket_nonblock(int family)
{
	int fd, one = 1;

	fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	/* requests are one small write: do not let Nagle hold them back */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

/* Wait for `events` on fd until the deadline. 0 when ready, else a task_err. */
static int wait_fd(int fd, short events, uint64_t deadline_ns)
{
	struct pollfd pfd = { .fd = fd, .events = events };
	uint64_t now;
	int ms, rc;

	for (;;) {
		now = clock_now_ns();
		if (now >= deadline_ns)
			return TASK_ERR_TIMEOUT;
		/* round up so a wait never ends a hair before the deadline */
		ms = (int)((deadline_ns - now + 999999) / 1000000);
		rc = poll(&pfd, 1, ms);
		if (rc > 0)
			return TASK_OK;
		if (rc < 0 && errno != EINTR)
			return TASK_ERR_IO;
	}
}

static int connect_by(const struct run_cfg *cfg, struct io_slot *slot, uint64_t deadline)
{
	int fd, err = 0, rc;
	socklen_t len = sizeof(err);

	fd = io_socket_nonblock(cfg->target_addr.ss_family);
	if (fd < 0)
		return TASK_ERR_CONNECT;
	if (connect(fd, (const struct sockaddr *)&cfg->target_addr, cfg->target_addrlen) < 0) {
		if (errno != EINPROGRESS) {
			close(fd);
			return TASK_ERR_CONNECT;
		}
		rc = wait_fd(fd, POLLOUT, deadline);
		if (rc != TASK_OK) {
			close(fd);
			return rc;
		}
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0 || err != 0) {
			close(fd);
			return TASK_ERR_CONNECT;
		}
	}
	slot->fd = fd;
	return TASK_OK;
}

int io_connect(const struct run_cfg *cfg, struct io_slot *slot)
{
	return connect_by(cfg, slot, clock_now_ns() + cfg->timeout_us * 1000);
}

void io_close(struct io_slot *slot)
{
	if (slot->fd >= 0)
		close(slot->fd);
	slot->fd = -1;
}

static int send_all(int fd, const char *p, size_t n, uint64_t deadline)
{
	ssize_t w;
	int rc;

	while (n > 0) {
		w = send(fd, p, n, MSG_NOSIGNAL);
		if (w > 0) {
			p += w;
			n -= (size_t)w;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			rc = wait_fd(fd, POLLOUT, deadline);
			if (rc != TASK_OK)
				return rc;
			continue;
		}
		return TASK_ERR_IO;
	}
	return TASK_OK;
}

static int http_err_kind(int state)
{
	return state == HTTP_TRUNCATED ? TASK_ERR_IO : TASK_ERR_HTTP;
}

static int recv_response(int fd, struct http_resp *resp, uint64_t deadline)
{
	char buf[16384];
	size_t used;
	ssize_t r;
	int rc, st;

	for (;;) {
		r = recv(fd, buf, sizeof(buf), 0);
		if (r > 0) {
			st = http_resp_feed(resp, buf, (size_t)r, &used);
			if (st == HTTP_DONE)
				return TASK_OK;
			if (st != HTTP_MORE)
				return http_err_kind(st);
			continue;
		}
		if (r == 0)
			return http_resp_eof(resp) == HTTP_DONE ? TASK_OK : TASK_ERR_IO;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return TASK_ERR_IO;
		rc = wait_fd(fd, POLLIN, deadline);
		if (rc != TASK_OK)
			return rc;
	}
}

int io_fetch(const struct run_cfg *cfg, struct io_slot *slot, uint64_t id, uint64_t *hash)
{
	uint64_t deadline = clock_now_ns() + cfg->timeout_us * 1000;
	struct http_resp resp;
	char req[HTTP_REQ_MAX];
	size_t n;
	int rc;

	n = http_request(req, sizeof(req), cfg, id);
	if (n == 0)
		return TASK_ERR_HTTP;
	if (slot->fd < 0) {
		rc = connect_by(cfg, slot, deadline);
		if (rc != TASK_OK)
			return rc;
	}
	http_resp_init(&resp);
	rc = send_all(slot->fd, req, n, deadline);
	if (rc == TASK_OK)
		rc = recv_response(slot->fd, &resp, deadline);
	if (rc == TASK_OK)
		*hash = http_resp_hash(&resp);
	/* a failed or closing connection is never reused; with --conn new no
	 * connection is */
	if (rc != TASK_OK || resp.conn_close || !cfg->keepalive)
		io_close(slot);
	return rc;
}

int io_task_blocking(const struct run_cfg *cfg, struct io_slot *slot, uint64_t id, uint64_t *result)
{
	const struct workload_ops *wl = cfg->workload;
	uint64_t hash = 0;
	int rc = TASK_OK;

	if (wl->does_io)
		rc = io_fetch(cfg, slot, id, &hash);
	if (rc == TASK_OK)
		*result = wl->finish(cfg, id, hash);
	return rc;
}
