/* test_file.c - the file workload in-process (workloads/file.c): the check
 * refuses what it must (and passes what it must), the service makes the
 * set (count files of size bytes, the documented bytes) and removes it,
 * a task's result is mix64(crc32 ^ (n << 32)) of the bytes at its offset,
 * recomputed here from the documented layout; an append writes its block
 * at the end; cold on tmpfs says the drop was ignored. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "unit.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "harness/cli.h"
#include "workloads/workload.h"

static char parent[] = "/tmp/cmbench-test-file-XXXXXX";

/* a cfg for the file workload from flags (NULL-terminated) */
static void cfg_of(struct run_cfg *cfg, ...)
{
	char *argv[40] = { "run",  "--model",	 "sequential", "--workload",
			   "file", "--file-dir", parent };
	char err[CLI_ERR_MAX];
	int argc = 7;
	va_list ap;

	va_start(ap, cfg);
	for (char *a; (a = va_arg(ap, char *)) && argc < 39;)
		argv[argc++] = a;
	va_end(ap);
	if (cli_parse_run(argc, argv, cfg, err, sizeof(err)) != 0)
		fail_msg("cli_parse_run: %s", err);
}

static int check(const struct run_cfg *cfg)
{
	char err[CLI_ERR_MAX] = "";

	return cfg->workload->check(cfg, err, sizeof(err));
}

/* the documented content: byte p of file f is byte p%8 of mix64(f<<40 ^ p/8) */
static unsigned char ref_byte(uint64_t f, uint64_t p)
{
	return (unsigned char)(mix64(f << 40 ^ (p >> 3)) >> (8 * (p & 7)));
}

static uint64_t ref_hash(const unsigned char *b, size_t n)
{
	return mix64((uint64_t)crc32(crc32(0L, Z_NULL, 0), b, (uInt)n) ^ ((uint64_t)n << 32));
}

static void test_check(void **state)
{
	struct run_cfg cfg;

	(void)state;
	cfg_of(&cfg, NULL);
	assert_int_equal(check(&cfg), 0);
	cfg_of(&cfg, "--file-bytes", "5000", "--file-size", "4096", NULL);
	assert_int_equal(check(&cfg), -EINVAL);
	cfg_of(&cfg, "--file-size", "1099511627776", "--file-count", "4096", NULL);
	assert_int_equal(check(&cfg), -EINVAL);
	cfg_of(&cfg, "--file-dir", "/nonexistent/dir", NULL);
	assert_int_equal(check(&cfg), -EINVAL);
	cfg_of(&cfg, "--file-dir", "/proc", NULL);
	assert_int_equal(check(&cfg), -EINVAL);
	/* nothing was made in the parent by any of them */
	assert_int_equal(rmdir(parent), 0);
	assert_non_null(mkdtemp(strcpy(parent, "/tmp/cmbench-test-file-XXXXXX")));
}

static void *start(struct run_cfg *cfg)
{
	struct wl_service_result res = { .target = false };
	char err[256] = "";
	void *svc = NULL;

	if (cfg->workload->service->start(cfg, &res, &svc, err, sizeof(err)) != 0)
		fail_msg("service start: %s", err);
	wl_service_apply(cfg, &res);
	return svc;
}

static void test_read(void **state)
{
	struct run_cfg cfg;
	struct wl_slot s = { 0 };
	unsigned char want[300];
	char path[512];
	struct stat st;
	void *svc;

	(void)state;
	cfg_of(&cfg, "--file-bytes", "300", "--file-size", "1000", "--file-count", "3", NULL);
	svc = start(&cfg);
	assert_string_equal(cfg.wl_note, ""); /* warm on /tmp: all resident */
	for (int f = 0; f < 3; f++) {
		snprintf(path, sizeof(path), "%s/f%04d", cfg.wl_str[1], f);
		assert_int_equal(stat(path, &st), 0);
		assert_int_equal(st.st_size, 1000);
	}
	assert_int_equal(wl_slot_init(&s, &cfg), 0);
	for (uint64_t id = 0; id < 20; id++) {
		uint64_t f = mix64(id) % 3, off = mix64(mix64(id)) % (1000 / 300) * 300;

		for (uint64_t i = 0; i < 300; i++)
			want[i] = ref_byte(f, off + i);
		wl_run_task(&s, id);
		assert_int_equal(s.err, TASK_OK);
		assert_int_equal(s.result, ref_hash(want, 300));
	}
	wl_slot_fini(&s);
	cfg.workload->service->stop(svc);
	assert_int_equal(stat(cfg.wl_str[1], &st), -1); /* the set is gone */
}

static void test_append(void **state)
{
	struct run_cfg cfg;
	struct wl_slot s = { 0 };
	unsigned char want[16], got[16];
	char path[512];
	FILE *fp;
	void *svc;

	(void)state;
	cfg_of(&cfg, "--file-mode", "append", "--file-bytes", "16", "--file-size", "64",
	       "--file-count", "1", NULL);
	svc = start(&cfg);
	assert_int_equal(wl_slot_init(&s, &cfg), 0);
	wl_run_task(&s, 0x0102030405060708ull);
	assert_int_equal(s.err, TASK_OK);
	for (int i = 0; i < 16; i++) /* f0000's first bytes, the id XORed in */
		want[i] = ref_byte(0, (uint64_t)i) ^ (i < 8 ? (unsigned char)(0x08 - i) : 0);
	assert_int_equal(s.result, ref_hash(want, 16));
	snprintf(path, sizeof(path), "%s/f0000", cfg.wl_str[1]);
	fp = fopen(path, "rb");
	assert_non_null(fp);
	assert_int_equal(fseek(fp, 64, SEEK_SET), 0);
	assert_int_equal(fread(got, 1, 16, fp), 16);
	assert_int_equal(fgetc(fp), EOF);
	fclose(fp);
	assert_memory_equal(got, want, 16);
	wl_slot_fini(&s);
	cfg.workload->service->stop(svc);
}

static void test_cold_tmpfs(void **state)
{
	char shm[] = "/dev/shm/cmbench-test-file-XXXXXX";
	struct run_cfg cfg;
	void *svc;

	(void)state;
	if (!mkdtemp(shm))
		skip();
	cfg_of(&cfg, "--file-cache", "cold", "--file-size", "8192", "--file-count", "2",
	       "--file-dir", shm, NULL);
	svc = start(&cfg);
	assert_string_equal(cfg.wl_note, "cold_ignored_resident_100pct");
	cfg.workload->service->stop(svc);
	assert_int_equal(rmdir(shm), 0); /* empty: the set went */
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(parent) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return rmdir(parent);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_read),
		cmocka_unit_test(test_append),
		cmocka_unit_test(test_cold_tmpfs),
	};

	return unit_run(argc, argv, tests, setup, teardown);
}
