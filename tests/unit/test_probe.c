/* test_probe.c - the kernel's memory of a process group from its own
 * accounting (lib/probe.c, lib/probe_sock.c): a child in a group of its
 * own with 4 threads and 3 TCP sockets (a listener, a connection's two
 * ends) is read as 4 x THREAD_SIZE of kernel stacks, some page tables and
 * exactly 3 sockets; and THREAD_SIZE is what this kernel uses
 * (/proc/meminfo's KernelStack over the machine's threads). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "unit.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/probe.h"

static void *idle(void *arg)
{
	(void)arg;
	pause();
	return NULL;
}

/* The child: its own group, 3 more threads, 3 TCP sockets; then a byte on
 * ready and pause until killed. */
static void child(int ready)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	int l = socket(AF_INET, SOCK_STREAM, 0), c = socket(AF_INET, SOCK_STREAM, 0), s;
	pthread_t t;

	if (l < 0 || c < 0 || bind(l, (struct sockaddr *)&a, sizeof(a)) ||
	    getsockname(l, (struct sockaddr *)&a, &len) || listen(l, 4) ||
	    connect(c, (struct sockaddr *)&a, sizeof(a)) || (s = accept(l, NULL, NULL)) < 0)
		_exit(1);
	for (int i = 0; i < 3; i++)
		if (pthread_create(&t, NULL, idle, NULL))
			_exit(1);
	(void)s;
	if (write(ready, "r", 1) != 1)
		_exit(1);
	pause();
	_exit(0);
}

static void test_group_kernel_memory(void **state)
{
	struct probe_sample smp;
	int p[2];
	char b;
	pid_t pid;
	int rc;

	(void)state;
	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		setpgid(0, 0);
		close(p[0]);
		child(p[1]);
	}
	setpgid(pid, pid);
	close(p[1]);
	assert_int_equal(read(p[0], &b, 1), 1);
	close(p[0]);
	assert_int_equal(probe_group(pid, &smp), 0);
	rc = probe_group_sockets(pid, &smp);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	assert_int_equal(smp.processes, 1);
	assert_int_equal(smp.threads, 4);
	assert_int_equal(smp.kstack_kib, 4 * PROBE_THREAD_SIZE_KIB);
	assert_true(smp.pte_kib > 0);
	if (rc == -EPROTONOSUPPORT)
		skip(); /* a kernel without sock_diag for TCP */
	assert_int_equal(rc, 0);
	assert_int_equal(smp.sockets, 3);
	assert_true(probe_kmem_kib(&smp) == smp.pte_kib + smp.kstack_kib + smp.sock_kib);
}

/* KernelStack / threads on the machine, the nearest power of two: the
 * kernel's THREAD_SIZE (kernel threads and idle tasks make it a little
 * off, never by a factor of 2) */
static void test_thread_size(void **state)
{
	unsigned long long ks = 0, r = 0, t = 0, per, pow2 = 1;
	char line[256];
	FILE *f = fopen("/proc/meminfo", "r");

	(void)state;
	assert_non_null(f);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "KernelStack: %llu kB", &ks) == 1)
			break;
	fclose(f);
	f = fopen("/proc/loadavg", "r");
	assert_non_null(f);
	assert_int_equal(fscanf(f, "%*s %*s %*s %llu/%llu", &r, &t), 2);
	fclose(f);
	assert_true(ks > 0 && t > 0);
	per = ks / t;
	while (pow2 * 3 / 2 <= per)
		pow2 *= 2;
	if (pow2 != PROBE_THREAD_SIZE_KIB)
		fail_msg("KernelStack %llu kB over %llu threads is %llu KiB a thread: THREAD_SIZE "
			 "%llu KiB, not %d",
			 ks, t, per, pow2, PROBE_THREAD_SIZE_KIB);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_group_kernel_memory),
		cmocka_unit_test(test_thread_size),
	};

	return unit_run(argc, argv, tests, NULL, NULL);
}
