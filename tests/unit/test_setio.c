/* test_setio.c - result-set files written safely (harness/set/setio.c):
 * a row appended whole or not at all when the file size limit (or a full
 * disk) cuts a write short, with the real errno; a replaced file whole or
 * untouched, no temporary file left behind; a torn last line cut off; and
 * one holder of a set's lock at a time. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "unit.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness/set/setio.h"

static char dir[] = "/tmp/test_setio_XXXXXX";

static int setup(void **state)
{
	(void)state;
	signal(SIGXFSZ, SIG_IGN); /* as the sweep does: EFBIG instead of death */
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static off_t size_of(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? st.st_size : -1;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* Run fn in a child under a file size limit of limit bytes; its status. */
static int with_fsize_limit(rlim_t limit, int (*fn)(const char *arg), const char *arg)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		struct rlimit rl = { limit, limit };

		if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
			_exit(100);
		_exit(-fn(arg) & 0xff);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	return -WEXITSTATUS(st);
}

static const char row[] = "cell-a,1,threadpool,io,100,10,2,new,1000,256,0,0.5\n";

static int append_row(const char *path)
{
	int fd = open(path, O_WRONLY | O_APPEND), rc;

	if (fd < 0)
		return -errno;
	rc = setio_append(fd, row, strlen(row));
	close(fd);
	return rc;
}

/* A row that does not fit under the limit is not there at all. */
static void test_append_whole_or_nothing(void **state)
{
	char path[256];

	(void)state;
	snprintf(path, sizeof(path), "%s/results.csv", dir);
	write_file(path, "cell,rep,model\n");
	assert_int_equal(append_row(path), 0);
	assert_int_equal(size_of(path), 15 + (off_t)strlen(row));
	/* room for 10 more bytes: the write is cut short, then undone */
	assert_int_equal(with_fsize_limit((rlim_t)size_of(path) + 10, append_row, path), -EFBIG);
	assert_int_equal(size_of(path), 15 + (off_t)strlen(row));
	/* no room at all: nothing written, the real errno */
	assert_int_equal(with_fsize_limit((rlim_t)size_of(path), append_row, path), -EFBIG);
	assert_int_equal(size_of(path), 15 + (off_t)strlen(row));
}

static int put_big(FILE *f, const void *arg)
{
	(void)arg;
	for (int i = 0; i < 1000; i++)
		fputs(row, f);
	return 0;
}

static int replace_big(const char *path)
{
	return setio_replace(path, put_big, NULL);
}

static size_t entries(void)
{
	DIR *d = opendir(dir);
	size_t n = 0;

	assert_non_null(d);
	while (readdir(d))
		n++;
	closedir(d);
	return n - 2;
}

/* A replacement that does not fit leaves the old file and no temporary. */
static void test_replace_whole_or_nothing(void **state)
{
	char path[256];
	size_t before;

	(void)state;
	snprintf(path, sizeof(path), "%s/cells.csv", dir);
	write_file(path, "old\n");
	before = entries();
	assert_int_equal(with_fsize_limit(4096, replace_big, path), -EFBIG);
	assert_int_equal(size_of(path), 4);
	assert_int_equal(entries(), before); /* no cells.csv.XXXXXX left */
	assert_int_equal(replace_big(path), 0);
	assert_int_equal(size_of(path), 1000 * (off_t)strlen(row));
	assert_int_equal(entries(), before);
}

/* A torn last line is cut off; a whole file is left alone. */
static void test_repair_tail(void **state)
{
	char path[256];
	size_t cut;

	(void)state;
	snprintf(path, sizeof(path), "%s/torn.csv", dir);
	write_file(path, "a,b\n1,2\n3,");
	assert_int_equal(setio_repair_tail(path, &cut), 0);
	assert_int_equal(cut, 2);
	assert_int_equal(size_of(path), 8);
	assert_int_equal(setio_repair_tail(path, &cut), 0);
	assert_int_equal(cut, 0);
	write_file(path, "no newline at all");
	assert_int_equal(setio_repair_tail(path, &cut), 0);
	assert_int_equal(size_of(path), 0);
	snprintf(path, sizeof(path), "%s/none.csv", dir);
	assert_int_equal(setio_repair_tail(path, &cut), -ENOENT);
}

/* One holder at a time; the lock goes with its fd. */
static void test_lock(void **state)
{
	int a, b;

	(void)state;
	a = setio_lock(dir);
	assert_true(a >= 0);
	b = setio_lock(dir); /* another open file: flock says no */
	assert_int_equal(b, -EWOULDBLOCK);
	close(a);
	b = setio_lock(dir);
	assert_true(b >= 0);
	close(b);
}

/* Paths that may go to tools: no quote, backquote, backslash, $, control. */
static void test_path_safe(void **state)
{
	(void)state;
	assert_true(setio_path_safe("results/20240101-default"));
	assert_true(setio_path_safe("/tmp/a b/c-d_e.f"));
	assert_false(setio_path_safe("/tmp/x`touch y`"));
	assert_false(setio_path_safe("/tmp/it's"));
	assert_false(setio_path_safe("/tmp/\"q\""));
	assert_false(setio_path_safe("/tmp/$(id)"));
	assert_false(setio_path_safe("/tmp/a\\b"));
	assert_false(setio_path_safe("/tmp/a\nb"));
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_append_whole_or_nothing),
		cmocka_unit_test(test_replace_whole_or_nothing),
		cmocka_unit_test(test_repair_tail),
		cmocka_unit_test(test_lock),
		cmocka_unit_test(test_path_safe),
	};

	return unit_run(argc, argv, tests, setup, teardown);
}
