/* trial.c - one measured trial: the monitor, the trial process, and the
 * embedded latency server around them.
 *
 *   cmbench run (monitor) --fork--> latency server   (not measured)
 *                         --fork--> trial: model->run (measured)
 *
 * The trial and the monitor talk over two pipes, one byte per message:
 *   trial: 'B' set-up done        monitor: samples the base,   answers 'b'
 *   trial: 'R' workers ready      monitor: samples,            answers 'G'
 *   trial: 'E' last task done     monitor: samples,            answers 'e'
 * Between 'G' and 'E' the monitor samples the tree on a timer. CPU time and
 * context switches come from wait4() on the trial, which covers its threads
 * and every child it reaped, and nothing of the server or the monitor. */
#define _GNU_SOURCE
#include "trial.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../models/model.h"
#include "clock.h"
#include "../server/server.h"

#define SAMPLE_MIN_MS 10

struct trial_shared {
	struct task_stats stats; /* the model's merged result */
	uint64_t t0_ns;		 /* set by trial_go() */
	int model_rc;		 /* what model->run returned */
	int ran;		 /* model->run returned at all */
};

static int trial_to_mon = -1;	/* trial side: write end towards the monitor */
static int trial_from_mon = -1; /* trial side: read end from the monitor */
static struct trial_shared *trial_shm;

static void say_wait(char say, char expect)
{
	char c = 0;
	ssize_t r;

	while (write(trial_to_mon, &say, 1) < 0 && errno == EINTR)
		;
	do
		r = read(trial_from_mon, &c, 1);
	while (r < 0 && errno == EINTR);
	if (r != 1 || c != expect)
		_exit(3); /* the monitor is gone: nobody is measuring */
}

uint64_t trial_go(void)
{
	say_wait('R', 'G');
	trial_shm->t0_ns = clock_now_ns();
	return trial_shm->t0_ns;
}

void trial_end(void)
{
	say_wait('E', 'e');
}

/* Die with the parent, so that no child outlives an interrupted run. */
static void die_with_parent(pid_t parent, int sig)
{
	prctl(PR_SET_PDEATHSIG, sig);
	if (getppid() != parent)
		_exit(3);
}

static int read_line_timeout(int fd, char *buf, size_t cap, int ms)
{
	size_t n = 0;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	uint64_t deadline = clock_now_ns() + (uint64_t)ms * 1000000;

	while (n + 1 < cap) {
		uint64_t now = clock_now_ns();
		ssize_t r;

		if (now >= deadline || poll(&p, 1, (int)((deadline - now) / 1000000) + 1) <= 0)
			return -1;
		r = read(fd, buf + n, 1);
		if (r <= 0)
			return -1;
		if (buf[n] == '\n')
			break;
		n++;
	}
	buf[n] = '\0';
	return 0;
}

static int server_spawn(struct run_cfg *cfg, pid_t *pidp, char *fail, size_t faillen)
{
	pid_t parent = getpid(), pid;
	char line[32];
	int p[2], devnull;
	struct sockaddr_in *sin = (struct sockaddr_in *)&cfg->target_addr;

	if (pipe2(p, O_CLOEXEC) < 0) {
		snprintf(fail, faillen, "pipe: %s", strerror(errno));
		return 1;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		snprintf(fail, faillen, "fork of the latency server: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		return 1;
	}
	if (pid == 0) {
		die_with_parent(parent, SIGTERM);
		close(p[0]);
		devnull = open("/dev/null", O_WRONLY);
		if (devnull >= 0)
			dup2(devnull, STDOUT_FILENO);
		_exit(server_run("127.0.0.1", 0, p[1]) == 0 ? 0 : 1);
	}
	close(p[1]);
	*pidp = pid;
	if (read_line_timeout(p[0], line, sizeof(line), 5000) < 0 || atoi(line) <= 0) {
		close(p[0]);
		snprintf(fail, faillen, "the latency server did not start");
		return 1;
	}
	close(p[0]);
	memset(&cfg->target_addr, 0, sizeof(cfg->target_addr));
	sin->sin_family = AF_INET;
	sin->sin_port = htons((uint16_t)atoi(line));
	sin->sin_addr.s_addr = htonl(0x7f000001);
	cfg->target_addrlen = sizeof(*sin);
	snprintf(cfg->target_port, sizeof(cfg->target_port), "%d", atoi(line));
	return 0;
}

static void server_stop(pid_t pid)
{
	int st;

	if (pid <= 0)
		return;
	kill(pid, SIGTERM);
	for (int i = 0; i < 200; i++) {
		if (waitpid(pid, &st, WNOHANG) == pid)
			return;
		usleep(10000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
}

static int target_resolve(struct run_cfg *cfg, char *fail, size_t faillen)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res;
	int rc;

	rc = getaddrinfo(cfg->target_host, cfg->target_port, &hints, &res);
	if (rc != 0) {
		snprintf(fail, faillen, "--target: cannot resolve '%s': %s", cfg->target_host,
			 gai_strerror(rc));
		return 1;
	}
	memcpy(&cfg->target_addr, res->ai_addr, res->ai_addrlen);
	cfg->target_addrlen = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

/* The trial process: never returns. */
static void trial_child(const struct run_cfg *cfg, pid_t monitor)
{
	die_with_parent(monitor, SIGKILL);
	say_wait('B', 'b');
	trial_shm->model_rc = cfg->model->run(cfg, &trial_shm->stats);
	trial_shm->ran = 1;
	_exit(0);
}

static void sample(pid_t pid, struct trial_report *rep, struct probe_sample *into, int *cost_ms)
{
	struct probe_sample s;
	uint64_t t = clock_now_ns();

	if (probe_tree(pid, &s) == 0) {
		if (into)
			*into = s;
		probe_peak(&rep->peak, &s);
		rep->samples++;
	}
	*cost_ms = (int)((clock_now_ns() - t) / 1000000);
}

/* Monitor loop: answer the trial and sample its tree until it closes. */
static void monitor(pid_t pid, int from_trial, int to_trial, struct trial_report *rep)
{
	struct pollfd p = { .fd = from_trial, .events = POLLIN };
	int running = 0, cost = 0, interval = SAMPLE_MIN_MS;
	uint64_t setup_start = 0;
	char c, answer;
	ssize_t r;

	for (;;) {
		int rc = poll(&p, 1, running ? interval : -1);

		if (rc < 0 && errno == EINTR)
			continue;
		if (rc == 0) {
			sample(pid, rep, NULL, &cost);
			/* keep the monitor's share of the CPU small even when
			 * reading a big tree is slow */
			interval = cost * 20 > SAMPLE_MIN_MS ? cost * 20 : SAMPLE_MIN_MS;
			continue;
		}
		r = read(from_trial, &c, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return;
		switch (c) {
		case 'B':
			sample(pid, rep, &rep->base, &cost);
			setup_start = clock_now_ns();
			memset(&rep->peak, 0, sizeof(rep->peak));
			rep->samples = 0;
			answer = 'b';
			break;
		case 'R':
			rep->setup_ns = clock_now_ns() - setup_start;
			sample(pid, rep, NULL, &cost);
			running = 1;
			answer = 'G';
			break;
		case 'E':
			sample(pid, rep, NULL, &cost);
			running = 0;
			answer = 'e';
			break;
		default:
			return;
		}
		while (write(to_trial, &answer, 1) < 0 && errno == EINTR)
			;
	}
}

int trial_run(struct run_cfg *cfg, struct trial_report *rep)
{
	int to_mon[2] = { -1, -1 }, from_mon[2] = { -1, -1 }, st = 0, ret = 1;
	pid_t server = -1, pid;

	memset(rep, 0, sizeof(*rep));
	rep->cores = probe_cores();
	signal(SIGPIPE, SIG_IGN);
	if (cfg->cpu_target_us)
		cfg->cpu_iters = cpu_calibrate(cfg->cpu_target_us);
	rep->cpu_us_per_task = cfg->workload->does_cpu ? cpu_measure_us(cfg->cpu_iters) : 0;
	if (cfg->workload->does_io) {
		if (cfg->target_external ? target_resolve(cfg, rep->fail, sizeof(rep->fail))
					 : server_spawn(cfg, &server, rep->fail, sizeof(rep->fail)))
			goto out_server;
	}
	trial_shm = mmap(NULL, sizeof(*trial_shm), PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (trial_shm == MAP_FAILED) {
		trial_shm = NULL;
		snprintf(rep->fail, sizeof(rep->fail), "mmap: %s", strerror(errno));
		goto out_server;
	}
	if (pipe2(to_mon, O_CLOEXEC) < 0 || pipe2(from_mon, O_CLOEXEC) < 0) {
		snprintf(rep->fail, sizeof(rep->fail), "pipe: %s", strerror(errno));
		goto out_pipes;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		snprintf(rep->fail, sizeof(rep->fail), "fork of the trial: %s", strerror(errno));
		goto out_pipes;
	}
	if (pid == 0) {
		close(to_mon[0]);
		close(from_mon[1]);
		trial_to_mon = to_mon[1];
		trial_from_mon = from_mon[0];
		trial_child(cfg, getppid());
	}
	close(to_mon[1]);
	close(from_mon[0]);
	to_mon[1] = from_mon[0] = -1;
	monitor(pid, to_mon[0], from_mon[1], rep);
	while (wait4(pid, &st, 0, &rep->ru) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0 || !trial_shm->ran) {
		if (WIFSIGNALED(st))
			snprintf(rep->fail, sizeof(rep->fail),
				 "the trial process died of signal %d (%s)", WTERMSIG(st),
				 strsignal(WTERMSIG(st)));
		else
			snprintf(rep->fail, sizeof(rep->fail),
				 "the trial process exited with status %d",
				 WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	} else if (trial_shm->model_rc < 0) {
		snprintf(rep->fail, sizeof(rep->fail), "%s: set-up failed: %s", cfg->model->name,
			 strerror(-trial_shm->model_rc));
	} else {
		rep->stats = trial_shm->stats;
		rep->t0_ns = trial_shm->t0_ns;
		ret = 0;
	}
out_pipes:
	for (int i = 0; i < 2; i++) {
		if (to_mon[i] >= 0)
			close(to_mon[i]);
		if (from_mon[i] >= 0)
			close(from_mon[i]);
	}
	munmap(trial_shm, sizeof(*trial_shm));
	trial_shm = NULL;
out_server:
	server_stop(server);
	return ret;
}
