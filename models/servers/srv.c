/* srv.c - what every server model shares: the listener, the answer, the
 * record of a request, and the blocking side's connection loop (read one
 * request head, run its task with the blocking driver, write the answer).
 * The request head is parsed by the latency server's parser
 * (server/request.c): the same HTTP/1.1 rules on both sides. */
#define _GNU_SOURCE
#include "srv.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../../lib/clock.h"
#include "../../server/request.h"

int srv_listen(int *port, bool reuseport, bool nonblock)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int fd, one = 1, rc;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | (nonblock ? SOCK_NONBLOCK : 0), 0);
	if (fd < 0)
		return -errno;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons((uint16_t)*port);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (reuseport && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) < 0)
		goto fail;
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(fd, 4096) < 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &len) < 0)
		goto fail;
	*port = ntohs(a.sin_port);
	return fd;
fail:
	rc = -errno;
	close(fd);
	return rc;
}

size_t srv_answer(char *buf, size_t cap, const struct wl_slot *s, bool close)
{
	const char *conn = close ? "Connection: close\r\n" : "";
	int n;

	if (s->err == TASK_OK)
		n = snprintf(buf, cap, "HTTP/1.1 200 OK\r\nContent-Length: 16\r\n%s\r\n%016llx",
			     conn, (unsigned long long)s->result);
	else
		n = snprintf(buf, cap,
			     "HTTP/1.1 502 Bad Gateway\r\nContent-Length: %zu\r\n%s\r\n%s",
			     strlen(task_err_names[s->err]), conn, task_err_names[s->err]);
	return n > 0 && (size_t)n < cap ? (size_t)n : 0;
}

void srv_record(struct task_stats *out, const struct wl_slot *s, uint64_t start_ns)
{
	stats_task_done(out, start_ns, start_ns, clock_now_ns(), s->id, s->result, s->err);
}

/* poll fd for events and stop_fd for readability until deadline: 1 fd,
 * 0 stop or deadline, -errno. */
static int wait_fd(int fd, short events, int stop_fd, uint64_t deadline)
{
	struct pollfd p[2] = { { .fd = fd, .events = events },
			       { .fd = stop_fd, .events = POLLIN } };

	for (;;) {
		uint64_t now = clock_now_ns();
		int rc;

		if (now >= deadline)
			return 0;
		rc = poll(p, stop_fd >= 0 ? 2 : 1, (int)((deadline - now + 999999) / 1000000));
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc < 0)
			return -errno;
		if (p[0].revents)
			return 1;
		if (rc > 0)
			return 0; /* stop */
	}
}

int srv_wait_accept(int fd, int stop_fd)
{
	return wait_fd(fd, POLLIN, stop_fd, UINT64_MAX);
}

/* Read until a whole request head is in buf: REQ_DONE with *req, or 0 for
 * a connection to drop (closed, stopped, timed out, malformed). The whole head
 * may take idle_us. Requests are not pipelined: bytes past the head are dropped with the buffer. */
static int read_head(int fd, char *buf, size_t *len, int stop_fd, uint64_t idle_us,
		     struct server_req *req, size_t *used)
{
	uint64_t deadline = clock_now_ns() + idle_us * 1000;

	for (;;) {
		int rc;
		ssize_t r;

		rc = request_parse(buf, *len, req, used);
		if (rc == REQ_DONE)
			return REQ_DONE;
		if (rc != REQ_MORE || *len >= SRV_HEAD_MAX)
			return 0;
		if (wait_fd(fd, POLLIN, stop_fd, deadline) <= 0)
			return 0;
		r = recv(fd, buf + *len, SRV_HEAD_MAX - *len, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0 && !(r < 0 && errno == EAGAIN))
			return 0;
		if (r > 0)
			*len += (size_t)r;
	}
}

/* Write all of buf within --timeout: 0 or -1. */
static int write_all(int fd, const char *buf, size_t n, uint64_t timeout_us)
{
	uint64_t deadline = clock_now_ns() + timeout_us * 1000;
	size_t off = 0;

	while (off < n) {
		ssize_t w = send(fd, buf + off, n - off, MSG_NOSIGNAL);

		if (w > 0) {
			off += (size_t)w;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EAGAIN && wait_fd(fd, POLLOUT, -1, deadline) == 1)
			continue;
		return -1;
	}
	return 0;
}

bool srv_serve_one(int fd, struct wl_slot *slot, struct task_stats *out, bool keep, int stop_fd,
		   uint64_t idle_us)
{
	char buf[SRV_HEAD_MAX], ans[SRV_RESP_MAX];
	size_t len = 0, used, n;
	struct server_req req;
	uint64_t start;
	bool close_after;

	if (read_head(fd, buf, &len, stop_fd, idle_us, &req, &used) != REQ_DONE)
		return false;
	start = clock_now_ns();
	slot->now_ns = start;
	wl_run_task(slot, req.id);
	srv_record(out, slot, start);
	close_after = !keep || !req.keepalive;
	n = srv_answer(ans, sizeof(ans), slot, close_after);
	return n > 0 && write_all(fd, ans, n, slot->cfg->timeout_us) == 0 && !close_after;
}

void srv_nodelay(int fd)
{
	int one = 1;

	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

void srv_serve_conn(int fd, struct wl_slot *slot, struct task_stats *out, bool keep, int stop_fd)
{
	srv_nodelay(fd);
	while (srv_serve_one(fd, slot, out, keep, stop_fd, SRV_IDLE_US))
		;
	close(fd);
}

int srv_cpu_count(void)
{
	cpu_set_t set;

	return sched_getaffinity(0, sizeof(set), &set) == 0 ? CPU_COUNT(&set) : 1;
}

void srv_pin_thread(int k)
{
	cpu_set_t set, one;
	int n = 0;

	if (sched_getaffinity(0, sizeof(set), &set) != 0)
		return;
	for (int c = 0; c < CPU_SETSIZE; c++) {
		if (!CPU_ISSET(c, &set))
			continue;
		if (n++ == k % CPU_COUNT(&set)) {
			CPU_ZERO(&one);
			CPU_SET(c, &one);
			pthread_setaffinity_np(pthread_self(), sizeof(one), &one);
			return;
		}
	}
}
