/* test_rlimit.c - rlimit_lift (lib/rlimit.c): the soft limit raised to
 * what is asked, the hard limit raised only where the process may (and
 * then what getrlimit says), RLIMIT_NOFILE never past fs.nr_open, a limit
 * already high enough left alone, and the before/after line. Every case
 * changes the limits of a child of its own, never of the test process. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "unit.h"

#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/rlimit.h"

/* What a child saw: the lift and getrlimit afterwards. */
struct seen {
	int rc;
	struct rlimit_lift l;
	unsigned long long soft, hard; /* getrlimit after */
};

/* In a child: set RLIMIT_NOFILE to soft/hard, lift it towards want. */
static struct seen lift_in_child(unsigned long long soft, unsigned long long hard,
				 unsigned long long want)
{
	struct seen s = { .rc = -999 };
	int p[2];
	pid_t pid;

	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct rlimit rl = { (rlim_t)soft, (rlim_t)hard };

		close(p[0]);
		s.rc = setrlimit(RLIMIT_NOFILE, &rl) == 0 ? 0 : -1000;
		if (s.rc == 0)
			s.rc = rlimit_lift(RLIMIT_NOFILE, "RLIMIT_NOFILE", want, &s.l);
		if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
			s.soft = rl.rlim_cur;
			s.hard = rl.rlim_max;
		}
		_exit(write(p[1], &s, sizeof(s)) == (ssize_t)sizeof(s) ? 0 : 1);
	}
	close(p[1]);
	assert_int_equal(read(p[0], &s, sizeof(s)), (int)sizeof(s));
	close(p[0]);
	waitpid(pid, NULL, 0);
	return s;
}

static unsigned long long hard_now(void)
{
	struct rlimit rl;

	assert_int_equal(getrlimit(RLIMIT_NOFILE, &rl), 0);
	return rl.rlim_max;
}

static unsigned long long nr_open(void)
{
	unsigned long long v = 0;
	FILE *f = fopen("/proc/sys/fs/nr_open", "r");

	assert_non_null(f);
	assert_int_equal(fscanf(f, "%llu", &v), 1);
	fclose(f);
	return v;
}

/* soft below hard, asked for something between: soft = want, hard kept */
static void test_soft_to_want(void **state)
{
	unsigned long long h = hard_now();
	struct seen s;

	(void)state;
	assert_true(h >= 200);
	s = lift_in_child(64, h, 128);
	assert_int_equal(s.rc, 0);
	assert_int_equal(s.l.soft_before, 64);
	assert_int_equal(s.l.soft_after, 128);
	assert_int_equal(s.soft, 128);
	assert_int_equal(s.hard, h);
	assert_false(s.l.hard_raised);
	assert_int_equal(s.l.err, 0);
}

/* the hard limit below want: raised where permitted, otherwise EPERM and
 * the soft limit at the hard one; either way what getrlimit says */
static void test_hard_where_permitted(void **state)
{
	struct seen s;

	(void)state;
	s = lift_in_child(50, 100, 300);
	assert_int_equal(s.rc, 0);
	assert_int_equal(s.l.hard_before, 100);
	assert_int_equal(s.l.soft_after, s.soft);
	assert_int_equal(s.l.hard_after, s.hard);
	if (s.l.hard_raised) {
		assert_int_equal(s.hard, 300);
		assert_int_equal(s.soft, 300);
		assert_int_equal(s.l.err, 0);
	} else {
		assert_int_equal(s.l.err, -EPERM);
		assert_int_equal(s.hard, 100);
		assert_int_equal(s.soft, 100);
	}
}

/* RLIMIT_NOFILE past fs.nr_open: refused even for root; soft to hard */
static void test_never_past_nr_open(void **state)
{
	unsigned long long h = hard_now(), max = nr_open();
	struct seen s;

	(void)state;
	s = lift_in_child(32, h, max + 1);
	assert_int_equal(s.rc, 0);
	assert_false(s.l.hard_raised);
	assert_int_equal(s.l.err, -EPERM);
	assert_int_equal(s.hard, h);
	assert_int_equal(s.soft, h);
	assert_true(s.hard <= max);
}

/* already at or above what is asked: nothing is touched */
static void test_high_enough(void **state)
{
	struct seen s;

	(void)state;
	s = lift_in_child(150, 200, 100);
	assert_int_equal(s.rc, 0);
	assert_int_equal(s.l.err, 0);
	assert_int_equal(s.soft, 150);
	assert_int_equal(s.hard, 200);
	assert_int_equal(s.l.soft_after, s.l.soft_before);
}

static void test_fmt(void **state)
{
	struct rlimit_lift l = { .name = "RLIMIT_NPROC",
				 .soft_before = 100,
				 .hard_before = 200,
				 .soft_after = 300,
				 .hard_after = RLIMIT_LIFT_INF };
	char buf[96];

	(void)state;
	assert_string_equal(rlimit_lift_fmt(buf, sizeof(buf), &l),
			    "RLIMIT_NPROC 100/200 -> 300/unlimited");
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_soft_to_want),
		cmocka_unit_test(test_hard_where_permitted),
		cmocka_unit_test(test_never_past_nr_open),
		cmocka_unit_test(test_high_enough),
		cmocka_unit_test(test_fmt),
	};

	return unit_run(argc, argv, tests, NULL, NULL);
}
