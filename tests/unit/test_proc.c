/* test_proc.c - the one process lifecycle (lib/proc.h) on real children:
 * one that exits, one that hangs and dies of SIGTERM at its deadline, one
 * that ignores SIGTERM and is killed after the grace, a deadline that
 * leaves the child running, the group swept once its leader ended, the
 * rusage of wait4, the look that does not reap, a stop signal that ends a
 * wait (SIGTERM sent, or the signal passed on), the stop-signal set-up
 * (the first signal kept, the hook, an ignored one left ignored or caught,
 * EINTR or SA_RESTART, what it was put back), a held child, the words of an end,
 * and self_exe. */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "unit.h"

#include "lib/clock.h"
#include "lib/proc.h"
#include "lib/spawn.h"

#define MS 1000000ull

static void nap_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static int exit3(void *arg)
{
	(void)arg;
	return 3;
}

static int hang(void *arg)
{
	(void)arg;
	signal(SIGTERM, SIG_DFL); /* not the test's own handler, inherited */
	signal(SIGHUP, SIG_DFL);
	for (;;)
		pause();
	return 0;
}

static int hang_deaf(void *arg) /* ignores SIGTERM */
{
	(void)arg;
	signal(SIGTERM, SIG_IGN);
	for (;;)
		pause();
	return 0;
}

static int burn(void *arg)
{
	uint64_t end = clock_now_ns() + 100 * MS;
	volatile uint64_t x = 0;

	(void)arg;
	while (clock_now_ns() < end)
		x++;
	return 0;
}

/* Leads its group, leaves a sleeper in it (its pid on fd 1), exits 0. */
static int leave_one(void *arg)
{
	pid_t p = fork();

	(void)arg;
	if (p == 0) {
		hang(NULL);
		_exit(0);
	}
	if (write(STDOUT_FILENO, &p, sizeof(p)) != sizeof(p))
		return 1;
	return 0;
}

/* Sends the signal in arg to its parent after 100 ms. */
static int signal_parent(void *arg)
{
	nap_ms(100);
	kill(getppid(), *(int *)arg);
	return 0;
}

/* 100 ms: SIGINT to its parent; 300 ms: a byte on fd 1. */
static int interrupt_then_write(void *arg)
{
	(void)arg;
	nap_ms(100);
	kill(getppid(), SIGINT);
	nap_ms(200);
	return write(STDOUT_FILENO, "x", 1) == 1 ? 0 : 1;
}

static pid_t start(int (*fn)(void *), void *arg, bool group)
{
	struct spawn sp;
	pid_t pid;

	spawn_init(&sp);
	sp.group = group;
	sp.death_sig = SIGKILL;
	assert_int_equal(spawn_fn(&sp, fn, arg, &pid), 0);
	return pid;
}

static void test_exits(void **state)
{
	struct proc_wait w = { .deadline_ns = clock_now_ns() + 10000 * MS, .grace_ms = 1000 };
	struct proc_end e;
	char words[64];

	(void)state;
	assert_int_equal(proc_wait(start(exit3, NULL, false), NULL, &e), 0);
	assert_int_equal(e.code, 3);
	assert_int_equal(e.sig, 0);
	assert_false(e.timed_out);
	assert_string_equal(proc_end_text(&e, words, sizeof(words)), "exited 3");
	/* the same with a deadline (the pidfd path) */
	assert_int_equal(proc_wait(start(exit3, NULL, true), &w, &e), 0);
	assert_int_equal(e.code, 3);
	assert_false(e.timed_out);
	assert_int_equal(proc_wait(getpid(), NULL, &e), -ECHILD);
}

static void test_hang_sigterm(void **state)
{
	uint64_t t0 = clock_now_ns();
	struct proc_wait w = { .deadline_ns = t0 + 100 * MS, .grace_ms = 5000, .group = true };
	struct proc_end e;
	char words[64];

	(void)state;
	assert_int_equal(proc_wait(start(hang, NULL, true), &w, &e), -ETIMEDOUT);
	assert_true(e.timed_out);
	assert_int_equal(e.sig, SIGTERM);
	assert_int_equal(e.code, -1);
	assert_true(clock_now_ns() - t0 >= 100 * MS);
	assert_true(clock_now_ns() - t0 < 4000 * MS); /* it died of the SIGTERM */
	assert_string_equal(proc_end_text(&e, words, sizeof(words)),
			    "timed out and killed by SIGTERM");
}

static void test_deaf_killed_after_grace(void **state)
{
	uint64_t t0 = clock_now_ns();
	struct proc_wait w = { .deadline_ns = t0 + 50 * MS, .grace_ms = 300, .group = true };
	struct proc_end e;
	pid_t pid = start(hang_deaf, NULL, true);

	(void)state;
	nap_ms(20); /* it has set SIGTERM aside */
	assert_int_equal(proc_wait(pid, &w, &e), -ETIMEDOUT);
	assert_true(e.timed_out);
	assert_int_equal(e.sig, SIGKILL);
	assert_true(clock_now_ns() - t0 >= 350 * MS); /* the deadline, then the grace */
	/* a grace of 0: SIGKILL at the deadline */
	w.deadline_ns = clock_now_ns() + 50 * MS;
	w.grace_ms = 0;
	assert_int_equal(proc_wait(start(hang_deaf, NULL, true), &w, &e), -ETIMEDOUT);
	assert_int_equal(e.sig, SIGKILL);
}

static void test_leave(void **state)
{
	struct proc_wait w = { .deadline_ns = clock_now_ns() + 50 * MS, .leave = true };
	struct proc_end e;
	pid_t pid = start(hang, NULL, false);

	(void)state;
	assert_int_equal(proc_wait(pid, &w, &e), -ETIMEDOUT);
	assert_int_equal(proc_ended(pid, false, NULL), 0); /* still running */
	assert_int_equal(proc_kill(pid, false, &e), 0);
	assert_int_equal(e.sig, SIGKILL);
	assert_int_equal(proc_ended(pid, true, NULL), -ECHILD); /* reaped */
}

static void test_sweep_group(void **state)
{
	struct proc_wait w = { .deadline_ns = clock_now_ns() + 10000 * MS,
			       .group = true,
			       .sweep = true };
	struct proc_end e;
	struct spawn sp;
	pid_t pid, left;
	int p[2], st;

	(void)state;
	prctl(PR_SET_CHILD_SUBREAPER, 1); /* the orphan comes back to us */
	assert_int_equal(pipe(p), 0);
	spawn_init(&sp);
	sp.group = true;
	spawn_dup(&sp, STDOUT_FILENO, p[1]);
	assert_int_equal(spawn_fn(&sp, leave_one, NULL, &pid), 0);
	close(p[1]);
	assert_int_equal(read(p[0], &left, sizeof(left)), sizeof(left));
	close(p[0]);
	assert_int_equal(proc_wait(pid, &w, &e), 0);
	assert_int_equal(e.code, 0);
	assert_int_equal(waitpid(left, &st, 0), left);
	assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	prctl(PR_SET_CHILD_SUBREAPER, 0);
}

static void test_rusage(void **state)
{
	struct rusage ru;
	struct proc_wait w = { .ru = &ru };
	struct proc_end e;
	double cpu;

	(void)state;
	memset(&ru, 0, sizeof(ru));
	assert_int_equal(proc_wait(start(burn, NULL, false), &w, &e), 0);
	cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	      (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
	assert_true(cpu > 0.02); /* it spun 100 ms */
	/* with a deadline too (reaped after the pidfd said so) */
	memset(&ru, 0, sizeof(ru));
	w.deadline_ns = clock_now_ns() + 10000 * MS;
	assert_int_equal(proc_wait(start(burn, NULL, false), &w, &e), 0);
	assert_true(ru.ru_utime.tv_sec > 0 || ru.ru_utime.tv_usec > 20000 ||
		    ru.ru_stime.tv_usec > 20000);
}

static void test_ended(void **state)
{
	struct proc_end e;
	pid_t pid = start(hang, NULL, false), quick = start(exit3, NULL, false);

	(void)state;
	assert_int_equal(proc_ended(pid, true, &e), 0);
	assert_int_equal(proc_kill(pid, false, &e), 0);
	assert_int_equal(e.sig, SIGKILL);
	nap_ms(100);
	assert_int_equal(proc_ended(quick, false, &e), 1); /* left a zombie */
	assert_int_equal(e.code, 3);
	assert_int_equal(proc_ended(quick, false, &e), 1);
	assert_int_equal(proc_ended(quick, true, &e), 1); /* now reaped */
	assert_int_equal(e.code, 3);
	assert_int_equal(proc_ended(quick, true, &e), -ECHILD);
}

static int hooked;
static void hook(int sig)
{
	hooked = sig;
}

static void test_stop_catch(void **state)
{
	struct sigaction now;

	(void)state;
	signal(SIGHUP, SIG_IGN); /* as under nohup */
	proc_stop_catch(PROC_STOP_KEEP_IGNORED, hook);
	assert_int_equal(proc_stop_sig(), 0);
	raise(SIGINT);
	assert_int_equal(proc_stop_sig(), SIGINT);
	assert_int_equal(hooked, SIGINT);
	raise(SIGTERM); /* the first is kept; the hook sees each */
	assert_int_equal(proc_stop_sig(), SIGINT);
	assert_int_equal(hooked, SIGTERM);
	sigaction(SIGHUP, NULL, &now);
	assert_ptr_equal(now.sa_handler, SIG_IGN); /* ignored stays ignored */
	/* again: the record is forgotten */
	proc_stop_catch(0, NULL);
	assert_int_equal(proc_stop_sig(), 0);
	proc_stop_restore(); /* what they were before the first call */
	sigaction(SIGINT, NULL, &now);
	assert_ptr_equal(now.sa_handler, SIG_DFL);
	sigaction(SIGTERM, NULL, &now);
	assert_ptr_equal(now.sa_handler, SIG_DFL);
	sigaction(SIGHUP, NULL, &now);
	assert_ptr_equal(now.sa_handler, SIG_IGN);
	/* without PROC_STOP_KEEP_IGNORED, an ignored one is caught */
	proc_stop_catch(0, NULL);
	raise(SIGHUP);
	assert_int_equal(proc_stop_sig(), SIGHUP);
	proc_stop_restore();
	sigaction(SIGHUP, NULL, &now);
	assert_ptr_equal(now.sa_handler, SIG_IGN);
	signal(SIGHUP, SIG_DFL);
	/* a helper's: SIGTERM only, the two others ignored */
	proc_stop_catch(PROC_STOP_TERM_ONLY, NULL);
	sigaction(SIGINT, NULL, &now);
	assert_ptr_equal(now.sa_handler, SIG_IGN);
	raise(SIGTERM);
	assert_int_equal(proc_stop_sig(), SIGTERM);
	proc_stop_restore();
	sigaction(SIGINT, NULL, &now);
	assert_ptr_equal(now.sa_handler, SIG_DFL);
}

/* A read interrupted by a stop signal: EINTR by default, resumed with
 * PROC_STOP_RESTART. */
static void test_stop_eintr_or_restart(void **state)
{
	struct proc_end e;
	char c;
	int p[2];

	(void)state;
	for (int restart = 0; restart < 2; restart++) {
		struct spawn sp;
		ssize_t r;
		pid_t pid;

		proc_stop_catch(restart ? PROC_STOP_RESTART : 0, NULL);
		assert_int_equal(pipe(p), 0);
		spawn_init(&sp);
		spawn_dup(&sp, STDOUT_FILENO, p[1]);
		assert_int_equal(spawn_fn(&sp, interrupt_then_write, NULL, &pid), 0);
		close(p[1]);
		r = read(p[0], &c, 1);
		if (restart) {
			assert_int_equal(r, 1);
		} else {
			assert_int_equal(r, -1);
			assert_int_equal(errno, EINTR);
		}
		assert_int_equal(proc_stop_sig(), SIGINT);
		close(p[0]);
		assert_int_equal(proc_wait(pid, NULL, &e), 0);
		proc_stop_restore();
	}
}

/* A stop signal ends the wait: SIGTERM to the child, or the signal itself. */
static void test_stop_ends_wait(void **state)
{
	struct proc_wait w = { .grace_ms = 2000, .group = true, .stop = PROC_STOP_TERM };
	struct proc_end e, se;
	int sig = SIGHUP;
	pid_t pid, sender;
	char words[64];

	(void)state;
	proc_stop_catch(0, NULL);
	pid = start(hang, NULL, true);
	sender = start(signal_parent, &sig, false);
	assert_int_equal(proc_wait(pid, &w, &e), -EINTR);
	assert_int_equal(e.stop_sig, SIGHUP);
	assert_int_equal(e.sig, SIGTERM);
	assert_false(e.timed_out);
	assert_string_equal(proc_end_text(&e, words, sizeof(words)),
			    "stopped by SIGHUP; killed by SIGTERM");
	assert_int_equal(proc_wait(sender, NULL, &se), 0);
	/* passed on as it came */
	proc_stop_catch(0, NULL);
	w.stop = PROC_STOP_FORWARD;
	pid = start(hang, NULL, true);
	sender = start(signal_parent, &sig, false);
	assert_int_equal(proc_wait(pid, &w, &e), -EINTR);
	assert_int_equal(e.sig, SIGHUP);
	assert_int_equal(proc_wait(sender, NULL, &se), 0);
	/* one that came before the wait ends it at once; a deaf child gets
	 * SIGKILL after the grace */
	proc_stop_catch(0, NULL);
	w.stop = PROC_STOP_TERM;
	w.grace_ms = 200;
	pid = start(hang_deaf, NULL, true);
	nap_ms(20);
	raise(SIGTERM);
	assert_int_equal(proc_wait(pid, &w, &e), -EINTR);
	assert_int_equal(e.sig, SIGKILL);
	/* ignored by a wait that does not ask for it */
	proc_stop_catch(0, NULL);
	raise(SIGINT);
	assert_int_equal(proc_wait(start(exit3, NULL, false),
				   &(struct proc_wait){ .deadline_ns = clock_now_ns() + 5000 * MS },
				   &e),
			 0);
	assert_int_equal(e.code, 3);
	proc_stop_restore();
}

static char proc_state(pid_t pid)
{
	char path[64], buf[256], *p;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return '?';
	p = fgets(buf, sizeof(buf), f);
	fclose(f);
	p = p ? strrchr(buf, ')') : NULL;
	return p && p[1] == ' ' ? p[2] : '?';
}

static void test_hold(void **state)
{
	struct proc_end e;
	pid_t pid = start(hang, NULL, false);

	(void)state;
	assert_int_equal(proc_hold(pid, true), 0);
	assert_int_equal(proc_state(pid), 'T');
	assert_int_equal(proc_hold(pid, false), 0);
	nap_ms(20);
	assert_int_not_equal(proc_state(pid), 'T');
	assert_int_equal(proc_kill(pid, false, &e), 0);
	assert_int_equal(proc_hold(pid, true), -ESRCH);
}

static void test_self_exe(void **state)
{
	char path[4096], tiny[4];
	const char *base;

	(void)state;
	assert_int_equal(self_exe(path, sizeof(path)), 0);
	assert_true(path[0] == '/');
	base = strrchr(path, '/') + 1;
	assert_int_equal(strncmp(base, "test_proc", 9),
			 0); /* test_proc, or a sanitizer build of it */
	assert_int_equal(access(path, X_OK), 0);
	assert_int_equal(self_exe(tiny, sizeof(tiny)), -ENAMETOOLONG);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exits),
		cmocka_unit_test(test_hang_sigterm),
		cmocka_unit_test(test_deaf_killed_after_grace),
		cmocka_unit_test(test_leave),
		cmocka_unit_test(test_sweep_group),
		cmocka_unit_test(test_rusage),
		cmocka_unit_test(test_ended),
		cmocka_unit_test(test_stop_catch),
		cmocka_unit_test(test_stop_eintr_or_restart),
		cmocka_unit_test(test_stop_ends_wait),
		cmocka_unit_test(test_hold),
		cmocka_unit_test(test_self_exe),
	};

	return unit_run(argc, argv, tests, NULL, NULL);
}
