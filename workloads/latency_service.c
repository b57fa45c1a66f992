/* latency_service.c - the latency server as the service of the workloads
 * that make a GET: a child process running `cmbench serve` on 127.0.0.1
 * and an ephemeral port, started before the trial and stopped after it, so
 * it is never part of what is measured. With --target no server is
 * started; the target's name is resolved instead. A server holds one fd
 * per connection under its RLIMIT_NOFILE: when the run's connections would
 * not fit in one, several servers share the port (SO_REUSEPORT), the
 * kernel spreading the connections over them. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <unistd.h>

#include "../lib/clock.h"
#include "../lib/proc.h"
#include "../lib/spawn.h"
#include "../server/server.h"
#include "http.h"

#define LATENCY_SERVERS_MAX 64
#define LATENCY_FD_RESERVE 64 /* a server's fds that are not connections */

struct latency_svc {
	pid_t pid;			     /* the server, or 0 with --target */
	int port;			     /* its port */
	bool stopped;			     /* held: SIGSTOP'd */
	pid_t more[LATENCY_SERVERS_MAX - 1]; /* the other servers sharing the port */
	int nmore;
};

/* Servers for C connections: one, or as many as the open-file limit needs,
 * with a quarter to spare (the kernel's spread over them is a hash). */
static int servers_for(uint64_t c)
{
	struct rlimit rl;
	uint64_t per, n;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY ||
	    rl.rlim_cur <= 2 * LATENCY_FD_RESERVE || c + LATENCY_FD_RESERVE <= rl.rlim_cur)
		return 1;
	per = rl.rlim_cur - LATENCY_FD_RESERVE;
	n = (c + c / 4 + per - 1) / per;
	return n > LATENCY_SERVERS_MAX ? LATENCY_SERVERS_MAX : (int)n;
}

/* One line from fd within ms milliseconds; 0 or -ETIMEDOUT. */
static int read_line_timeout(int fd, char *buf, size_t cap, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	uint64_t deadline = clock_now_ns() + (uint64_t)ms * 1000000;
	size_t n = 0;

	while (n + 1 < cap) {
		uint64_t now = clock_now_ns();

		if (now >= deadline || poll(&p, 1, (int)((deadline - now) / 1000000) + 1) <= 0)
			return -ETIMEDOUT;
		if (read(fd, buf + n, 1) != 1)
			return -EPIPE;
		if (buf[n] == '\n')
			break;
		n++;
	}
	buf[n] = '\0';
	return 0;
}

struct server_arg {
	int p[2];
	int port;    /* 0: pick one */
	bool shared; /* SO_REUSEPORT */
};

/* The server's process: it says its port on p[1]. */
static int server_child(void *arg)
{
	const struct server_arg *a = arg;
	const int *p = a->p;

	close(p[0]);
	if (a->shared)
		return server_run_shared("127.0.0.1", a->port, p[1]) == 0 ? 0 : 1;
	return server_run("127.0.0.1", a->port, p[1]) == 0 ? 0 : 1;
}

static void use_port(struct wl_service_result *res, int port)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)&res->target_addr;

	res->target = true;
	memset(&res->target_addr, 0, sizeof(res->target_addr));
	sin->sin_family = AF_INET;
	sin->sin_port = htons((uint16_t)port);
	sin->sin_addr.s_addr = htonl(0x7f000001);
	res->target_addrlen = sizeof(*sin);
	snprintf(res->target_port, sizeof(res->target_port), "%d", port);
}

static void server_stop(pid_t pid)
{
	/* SIGTERM now, SIGKILL 2 s later */
	struct proc_wait w = { .deadline_ns = clock_now_ns(), .grace_ms = 2000 };

	if (pid > 0)
		proc_wait(pid, &w, NULL);
}

/* One server on port (0: its pick), shared or not; its pid and port. */
static int server_one(int port, bool shared, pid_t *pid, int *got, char *err, size_t errlen)
{
	struct server_arg a = { .port = port, .shared = shared };
	struct spawn sp;
	char line[32];
	int rc;

	if (pipe2(a.p, O_CLOEXEC) < 0) {
		rc = -errno;
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return rc;
	}
	spawn_init(&sp);
	spawn_null(&sp, STDOUT_FILENO);
	sp.death_sig = SIGTERM;
	rc = spawn_fn(&sp, server_child, &a, pid);
	if (rc != 0) {
		snprintf(err, errlen, "fork of the latency server: %s", strerror(-rc));
		*pid = 0;
		close(a.p[0]);
		close(a.p[1]);
		return rc;
	}
	close(a.p[1]);
	rc = read_line_timeout(a.p[0], line, sizeof(line), 5000);
	close(a.p[0]);
	if (rc < 0 || atoi(line) <= 0) {
		snprintf(err, errlen, "the latency server did not start");
		server_stop(*pid);
		*pid = 0;
		return rc < 0 ? rc : -EPROTO;
	}
	*got = atoi(line);
	return 0;
}

static int server_spawn(const struct run_cfg *cfg, struct wl_service_result *res,
			struct latency_svc *svc, char *err, size_t errlen)
{
	int n = servers_for(cfg->concurrency), port, rc;

	rc = server_one(0, n > 1, &svc->pid, &port, err, errlen);
	if (rc)
		return rc;
	for (int i = 1; i < n; i++) {
		int same;

		rc = server_one(port, true, &svc->more[svc->nmore], &same, err, errlen);
		if (rc) {
			while (svc->nmore > 0)
				server_stop(svc->more[--svc->nmore]);
			server_stop(svc->pid);
			return rc;
		}
		svc->nmore++;
	}
	use_port(res, port);
	svc->port = port;
	return 0;
}

static int target_resolve(const struct run_cfg *cfg, struct wl_service_result *out, char *err,
			  size_t errlen)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res;
	int rc = getaddrinfo(cfg->target_host, cfg->target_port, &hints, &res);

	if (rc != 0) {
		snprintf(err, errlen, "--target: cannot resolve '%s': %s", cfg->target_host,
			 gai_strerror(rc));
		return -EHOSTUNREACH;
	}
	out->target = true;
	memcpy(&out->target_addr, res->ai_addr, res->ai_addrlen);
	out->target_addrlen = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

static int latency_start(const struct run_cfg *cfg, struct wl_service_result *res, void **out,
			 char *err, size_t errlen)
{
	struct latency_svc *svc = calloc(1, sizeof(*svc));
	int rc;

	if (!svc)
		return -ENOMEM;
	rc = cfg->target_external ? target_resolve(cfg, res, err, errlen)
				  : server_spawn(cfg, res, svc, err, errlen);
	if (rc < 0) {
		free(svc);
		return rc;
	}
	*out = svc;
	return 0;
}

static int latency_hold(void *p, bool on);

static void latency_stop(void *p)
{
	struct latency_svc *svc = p;

	if (!svc)
		return;
	if (svc->stopped)
		latency_hold(svc, false);
	while (svc->nmore > 0)
		server_stop(svc->more[--svc->nmore]);
	server_stop(svc->pid);
	free(svc);
}

/* CPU time of a server process, from the scheduler's own count in
 * /proc/<pid>/schedstat (nanoseconds; utime and stime tick only every
 * 10 ms). A server is one thread. */
static double server_cpu_s(pid_t pid)
{
	unsigned long long ns = 0;
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/schedstat", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	if (fscanf(f, "%llu", &ns) != 1)
		ns = 0;
	fclose(f);
	return (double)ns / 1e9;
}

/* The servers' CPU time, all of them. */
static double latency_cpu_s(void *p)
{
	struct latency_svc *svc = p;
	double s;

	if (!svc || svc->pid <= 0)
		return 0;
	s = server_cpu_s(svc->pid);
	for (int i = 0; i < svc->nmore; i++)
		s += server_cpu_s(svc->more[i]);
	return s;
}

/* Holding the answers: the server is stopped (SIGSTOP, and waited for
 * until it is), so nothing it has not answered yet is answered; what was
 * due meanwhile goes out as soon as it runs again. */
static int latency_hold(void *p, bool on)
{
	struct latency_svc *svc = p;
	int rc;

	if (!svc || svc->pid <= 0 || svc->nmore > 0) /* one server only */
		return -ENOTSUP;
	if (on == svc->stopped)
		return 0;
	rc = proc_hold(svc->pid, on);
	if (rc < 0)
		return rc;
	svc->stopped = on;
	return 0;
}

/* While the server is held, every request sent to it sits unread in its
 * socket: its established connections (accepted or still in the backlog)
 * with bytes queued, from the kernel's socket table (sock_diag: only the
 * established TCP sockets are dumped, however many others the host has). */
static long latency_waiting(void *p)
{
	struct latency_svc *svc = p;
	struct {
		struct nlmsghdr nlh;
		struct inet_diag_req_v2 r;
	} req = {
		.nlh = { .nlmsg_len = sizeof(req),
			 .nlmsg_type = SOCK_DIAG_BY_FAMILY,
			 .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP },
		.r = { .sdiag_family = AF_INET,
		       .sdiag_protocol = IPPROTO_TCP,
		       .idiag_states = 1u << 1 /* TCP_ESTABLISHED */ },
	};
	struct timeval tv = { .tv_sec = 1 };
	static char buf[32768] __attribute__((aligned(8)));
	long n = 0;
	int fd;

	if (!svc || svc->pid <= 0 || !svc->stopped)
		return -1;
	fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (send(fd, &req, sizeof(req), 0) != (ssize_t)sizeof(req)) {
		close(fd);
		return -1;
	}
	for (;;) {
		ssize_t len = recv(fd, buf, sizeof(buf), 0);
		struct nlmsghdr *h = (struct nlmsghdr *)buf;

		if (len <= 0) {
			n = -1;
			break;
		}
		for (; NLMSG_OK(h, (size_t)len); h = NLMSG_NEXT(h, len)) {
			const struct inet_diag_msg *d = NLMSG_DATA(h);

			if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR)
				goto out;
			if (ntohs(d->id.idiag_sport) == svc->port && d->idiag_rqueue > 0)
				n++;
		}
	}
out:
	close(fd);
	return n;
}

const struct wl_service wl_service_latency = {
	.name = "latency server",
	.start = latency_start,
	.stop = latency_stop,
	.cpu_s = latency_cpu_s,
	.hold = latency_hold,
	.waiting = latency_waiting,
};
