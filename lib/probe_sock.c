/* probe_sock.c - the socket memory of a process group, from the group's
 * own fds: every /proc/PID/fd entry of a member that is a socket gives its
 * inode; one sock_diag dump of the machine's TCP sockets (IPv4 and IPv6,
 * every state, with INET_DIAG_SKMEMINFO) gives each socket's inode and
 * buffers, and the group's are summed. Nothing system-wide is differenced:
 * a socket counts when one of the group's fds holds it. What ss -m calls
 * skmem is what is read (r, w, f, o, bl); the socket's own objects (its
 * slab) are not in it. */
#define _GNU_SOURCE
#include "probe.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#define TCP_TIME_WAIT_STATE 6	  /* include/net/tcp_states.h */
#define SOCK_DIAG_TIMEOUT_MS 5000 /* one dump answers at once; a hung one is given up */

struct inodes {
	unsigned long *v;
	size_t n, cap;
};

static int inodes_add(struct inodes *s, unsigned long ino)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 1024;
		unsigned long *v = realloc(s->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = ino;
	return 0;
}

static int cmp_ul(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

/* The pgrp field of /proc/PID/stat (after the last ')'). */
static long pgrp_of(const char *pid)
{
	char path[64], buf[512], *p;
	long pgrp = -1;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%s/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 1, " %*c %*d %ld", &pgrp) != 1)
		return -1;
	return pgrp;
}

/* The socket inodes of one process's fds. */
static int fd_sockets(const char *pid, struct inodes *s)
{
	char path[300];
	struct dirent *de;
	DIR *d;
	int rc = 0;

	snprintf(path, sizeof(path), "/proc/%s/fd", pid);
	d = opendir(path);
	if (!d)
		return 0; /* gone, or not ours to read */
	while (rc == 0 && (de = readdir(d)) != NULL) {
		struct stat st;

		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		if (fstatat(dirfd(d), de->d_name, &st, 0) == 0 && S_ISSOCK(st.st_mode))
			rc = inodes_add(s, (unsigned long)st.st_ino);
	}
	closedir(d);
	return rc;
}

static int group_inodes(pid_t pgid, struct inodes *s)
{
	struct dirent *de;
	DIR *d = opendir("/proc");
	int rc = 0;

	if (!d)
		return -errno;
	while (rc == 0 && (de = readdir(d)) != NULL)
		if (de->d_name[0] >= '1' && de->d_name[0] <= '9' &&
		    pgrp_of(de->d_name) == (long)pgid)
			rc = fd_sockets(de->d_name, s);
	closedir(d);
	if (rc == 0 && s->n) { /* a forked pool shares its sockets: each once */
		size_t k = 1;

		qsort(s->v, s->n, sizeof(*s->v), cmp_ul);
		for (size_t i = 1; i < s->n; i++)
			if (s->v[i] != s->v[k - 1])
				s->v[k++] = s->v[i];
		s->n = k;
	}
	return rc;
}

/* The buffers of one diag message's SKMEMINFO, in bytes, or 0. */
static uint64_t skmem_bytes(struct nlmsghdr *h)
{
	struct inet_diag_msg *m = NLMSG_DATA(h);
	int len = (int)h->nlmsg_len - NLMSG_LENGTH(sizeof(*m));

	for (struct rtattr *a = (struct rtattr *)(m + 1); RTA_OK(a, len); a = RTA_NEXT(a, len))
		if (a->rta_type == INET_DIAG_SKMEMINFO &&
		    RTA_PAYLOAD(a) >= (SK_MEMINFO_BACKLOG + 1) * sizeof(uint32_t)) {
			const uint32_t *v = RTA_DATA(a);

			return (uint64_t)v[SK_MEMINFO_RMEM_ALLOC] + v[SK_MEMINFO_WMEM_QUEUED] +
			       v[SK_MEMINFO_FWD_ALLOC] + v[SK_MEMINFO_OPTMEM] +
			       v[SK_MEMINFO_BACKLOG];
		}
	return 0;
}

/* One dump of family's TCP sockets; the group's (by inode) into out. */
static int dump(int family, const struct inodes *s, uint64_t *sockets, uint64_t *bytes)
{
	struct {
		struct nlmsghdr h;
		struct inet_diag_req_v2 r;
	} req = {
		.h = { .nlmsg_len = sizeof(req),
		       .nlmsg_type = SOCK_DIAG_BY_FAMILY,
		       .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP },
		.r = { .sdiag_family = (uint8_t)family,
		       .sdiag_protocol = IPPROTO_TCP,
		       .idiag_ext = 1 << (INET_DIAG_SKMEMINFO - 1),
		       /* a socket in TIME_WAIT has no fd: not asked for */
		       .idiag_states = ~(1u << TCP_TIME_WAIT_STATE) },
	};
	static char buf[1 << 16] __attribute__((aligned(8)));
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG), rc = 0;
	bool done = false;

	if (fd < 0)
		return -errno;
	if (send(fd, &req, sizeof(req), 0) < 0)
		rc = -errno;
	while (rc == 0 && !done) {
		struct pollfd pf = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&pf, 1, SOCK_DIAG_TIMEOUT_MS) <= 0) {
			rc = -ETIMEDOUT;
			break;
		}
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0) {
			rc = errno == EINTR ? 0 : -errno;
			continue;
		}
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n);
		     h = NLMSG_NEXT(h, n)) {
			unsigned long ino;

			if (h->nlmsg_type == NLMSG_DONE) {
				done = true;
				break;
			}
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(h);

				rc = e->error ? e->error : -EIO;
				break;
			}
			ino = ((struct inet_diag_msg *)NLMSG_DATA(h))->idiag_inode;
			if (bsearch(&ino, s->v, s->n, sizeof(*s->v), cmp_ul)) {
				(*sockets)++;
				*bytes += skmem_bytes(h);
			}
		}
	}
	close(fd);
	return rc;
}

int probe_group_sockets(pid_t pgid, struct probe_sample *out)
{
	struct inodes s = { 0 };
	uint64_t sockets = 0, bytes = 0;
	int rc = group_inodes(pgid, &s);

	if (rc == 0 && s.n)
		rc = dump(AF_INET, &s, &sockets, &bytes);
	if (rc == 0 && s.n)
		rc = dump(AF_INET6, &s, &sockets, &bytes);
	free(s.v);
	if (rc == -EINVAL || rc == -ENOENT || rc == -EPROTONOSUPPORT)
		return -EPROTONOSUPPORT; /* no sock_diag for TCP in this kernel */
	if (rc)
		return rc;
	out->sockets = sockets;
	out->sock_kib = (bytes + 1023) / 1024;
	return 0;
}
