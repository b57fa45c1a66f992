/* server.c - the latency server's loop: set-up, accepting, signals and a
 * clean shutdown. The connections are in conn.c and respond.c, the request
 * parser in request.c, delays in deadline.c, the idle timeout in idle.c. */
#include "internal.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#define BACKLOG 65535 /* the kernel clamps it to net.core.somaxconn */

static void server_stop(struct server *s);

static void on_connection(uv_stream_t *l, int status)
{
	struct server *s = container_of(l, struct server, listener);

	if (status < 0)
		return; /* e.g. EMFILE: libuv already dropped that connection */
	if (conn_accept(s) < 0) {
		/* libuv would not accept again until this one is: stop, loudly */
		fprintf(stderr, "cmbench serve: out of memory\n");
		s->failed = true;
		server_stop(s);
	}
}

static void close_walk(uv_handle_t *h, void *arg)
{
	struct server *s = arg;

	/* every other TCP handle is a connection */
	if (h->type == UV_TCP && h != (uv_handle_t *)&s->listener)
		conn_close(container_of(h, struct conn, tcp));
	else if (!uv_is_closing(h))
		uv_close(h, NULL);
}

/* Stop accepting and close every handle (delayed responses are dropped);
 * uv_run then returns. */
static void server_stop(struct server *s)
{
	uv_walk(&s->loop, close_walk, s);
}

static void on_signal(uv_signal_t *h, int signum)
{
	(void)signum;
	server_stop(h->loop->data);
}

/* 10,000 connections need more descriptors than the usual soft limit. */
static void raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl); /* best effort: fewer connections otherwise */
	}
}

int server_addr(const char *bind, int port, struct sockaddr_storage *addr)
{
	if (uv_ip4_addr(bind, port, (struct sockaddr_in *)addr) == 0)
		return 0;
	return uv_ip6_addr(bind, port, (struct sockaddr_in6 *)addr);
}

/* The listener's address as text ("127.0.0.1", "[::1]") and its port. */
static int listen_name(struct server *s, char *host, size_t hostlen)
{
	struct sockaddr_storage sa;
	int len = sizeof(sa);

	memset(&sa, 0, sizeof(sa));
	uv_tcp_getsockname(&s->listener, (struct sockaddr *)&sa, &len);
	if (sa.ss_family == AF_INET6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&sa;

		host[0] = '[';
		uv_ip6_name(a, host + 1, hostlen - 2);
		strcat(host, "]");
		return ntohs(a->sin6_port);
	}
	uv_ip4_name((struct sockaddr_in *)&sa, host, hostlen);
	return ntohs(((struct sockaddr_in *)&sa)->sin_port);
}

/* Say where the server listens: ready_fd, then stdout. */
static void server_announce(struct server *s, int ready_fd)
{
	char host[64], line[32];
	int port = listen_name(s, host, sizeof(host));

	if (ready_fd >= 0) {
		int n = snprintf(line, sizeof(line), "%d\n", port);
		ssize_t w;

		do
			w = write(ready_fd, line, (size_t)n);
		while (w < 0 && errno == EINTR);
		close(ready_fd);
	}
	printf("cmbench serve: listening on %s:%d\n", host, port);
	fflush(stdout);
}

/* The listener's handle: with reuseport its socket is made now (of the
 * bind address's family) and SO_REUSEPORT set on it before the bind. */
static int listener_init(struct server *s, const struct server_opts *o)
{
	int rc, one = 1;
	uv_os_fd_t fd;

	if (!o->reuseport)
		return uv_tcp_init(&s->loop, &s->listener);
	rc = uv_tcp_init_ex(&s->loop, &s->listener, strchr(o->bind, ':') ? AF_INET6 : AF_INET);
	if (rc < 0)
		return rc;
	if ((rc = uv_fileno((uv_handle_t *)&s->listener, &fd)) < 0)
		return rc;
	return setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) < 0 ? -errno : 0;
}

/* Listener, signals, deadlines and the idle timer; 0, or prints why not and
 * returns -1 with whatever was set up still to close by server_stop + uv_run. */
static int server_setup(struct server *s, const struct server_opts *o)
{
	struct sockaddr_storage addr;
	sigset_t set;
	int rc;

	if ((rc = listener_init(s, o)) < 0 || (rc = uv_signal_init(&s->loop, &s->sigterm)) < 0 ||
	    (rc = uv_signal_init(&s->loop, &s->sigint)) < 0 ||
	    (rc = idle_init(&s->idle, &s->loop, o->idle_timeout_us, conn_on_idle)) < 0 ||
	    (rc = server_addr(o->bind, o->port, &addr)) < 0 ||
	    (rc = uv_tcp_bind(&s->listener, (struct sockaddr *)&addr, 0)) < 0 ||
	    (rc = uv_listen((uv_stream_t *)&s->listener, BACKLOG, on_connection)) < 0 ||
	    (rc = uv_signal_start(&s->sigterm, on_signal, SIGTERM)) < 0 ||
	    (rc = uv_signal_start(&s->sigint, on_signal, SIGINT)) < 0)
		goto out_fail;
	/* the parent may have blocked them; uv_signal needs them delivered */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	return 0;
out_fail:
	fprintf(stderr, "cmbench serve: cannot listen on %s port %d: %s\n", o->bind, o->port,
		uv_strerror(rc));
	return -1;
}

/* Set up, announce (then *ready_fd is -1), run until stopped; the exit status. */
static int server_loop(struct server *s, const struct server_opts *o, int *ready_fd)
{
	int ret = 1, rc;

	if ((rc = deadlines_init(&s->deadlines, &s->loop, conn_on_due)) < 0) {
		fprintf(stderr, "cmbench serve: timerfd: %s\n", strerror(-rc));
		server_stop(s);
	} else if (server_setup(s, o) == 0) {
		server_announce(s, *ready_fd);
		*ready_fd = -1;
		ret = 0;
	} else {
		server_stop(s);
	}
	uv_run(&s->loop, UV_RUN_DEFAULT);
	if (uv_loop_close(&s->loop) < 0 || s->failed)
		ret = 1;
	deadlines_free(&s->deadlines);
	return ret;
}

int server_serve(const struct server_opts *o)
{
	struct server *s;
	int ready_fd = o->ready_fd, ret = 1;

	s = calloc(1, sizeof(*s));
	if (!s) {
		fprintf(stderr, "cmbench serve: out of memory\n");
		goto out_ready;
	}
	raise_nofile();
	signal(SIGPIPE, SIG_IGN); /* a client gone mid-write is an EPIPE, not a death */
	if (uv_loop_init(&s->loop) < 0) {
		fprintf(stderr, "cmbench serve: cannot start the event loop\n");
		goto out_free;
	}
	s->loop.data = s;
	ret = server_loop(s, o, &ready_fd);
out_free:
	free(s);
out_ready:
	if (ready_fd >= 0)
		close(ready_fd);
	return ret;
}

int server_run(const char *bind, int port, int ready_fd)
{
	struct server_opts o = { bind, port, ready_fd, SERVER_IDLE_DEFAULT_US, false };

	return server_serve(&o);
}

int server_run_shared(const char *bind, int port, int ready_fd)
{
	struct server_opts o = { bind, port, ready_fd, SERVER_IDLE_DEFAULT_US, true };

	return server_serve(&o);
}
