/* test_ceiling.c - which limit a failed `cmbench ceiling` probe ran into,
 * from how it failed and the machine's limits (ceiling_classify), with
 * made-up probes and limits: no run, no timing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "unit.h"

#include <stdio.h>
#include <string.h>

#include "harness/ceiling/ceiling.h"
#include "models/model.h"
#include "workloads/workload.h"

static struct ceiling_limits lim(void)
{
	struct ceiling_limits l = {
		.nofile = 1024,
		.nofile_hard = 4096,
		.nr_open = 1048576,
		.nproc = 5000,
		.threads_max = 100000,
		.pid_max = 32768,
		.max_map_count = 65530,
		.ports = 28232,
		.somaxconn = 4096,
		.mem_total_kib = 8u << 20,
		.mem_avail_kib = 6u << 20,
		.threads_used = 300,
		.root = false,
	};
	return l;
}

static const struct model_ops *kind(enum model_kind k)
{
	for (size_t i = 0; model_table[i]; i++)
		if (model_table[i]->kind == k && !model_table[i]->foreign &&
		    !model_table[i]->one_slot)
			return model_table[i];
	return NULL;
}

static const struct workload_ops *io(void)
{
	return workload_by_parts(true, false);
}

static void classify(struct ceiling_probe *p, const struct model_ops *m, struct ceiling_verdict *v)
{
	struct ceiling_limits l = lim();

	p->budget_kib = 1 << 20;
	ceiling_classify(p, &l, m, io(), v);
}

static void test_open_files(void **state)
{
	struct ceiling_probe p = { .concurrency = 2000, .exit_code = 2 };
	struct ceiling_verdict v;

	(void)state;
	snprintf(p.output, sizeof(p.output),
		 "cmbench: --concurrency: 2000 is above the "
		 "open-file limit (1024, hard limit 4096)\n");
	classify(&p, kind(MODEL_KIND_LOOP), &v);
	assert_string_equal(v.limit, "open files");
	assert_non_null(strstr(v.detail, "RLIMIT_NOFILE 1024"));
	assert_null(strchr(v.detail, ','));
}

static void test_threads_and_processes(void **state)
{
	struct ceiling_probe p = { .concurrency = 40000, .exit_code = 1 };
	struct ceiling_verdict v;

	(void)state;
	snprintf(p.output, sizeof(p.output),
		 "cmbench: x: set-up failed: Resource temporarily "
		 "unavailable\n");
	classify(&p, kind(MODEL_KIND_THREADS), &v);
	assert_string_equal(v.limit, "threads");
	/* not root: RLIMIT_NPROC (5000) binds before the others */
	assert_non_null(strstr(v.detail, "RLIMIT_NPROC 5000 first"));
	classify(&p, kind(MODEL_KIND_PROCESSES), &v);
	assert_string_equal(v.limit, "processes");
}

static void test_time_and_memory(void **state)
{
	struct ceiling_probe p = { .concurrency = 100, .timed_out = true, .deadline_s = 64 };
	struct ceiling_verdict v;

	(void)state;
	classify(&p, kind(MODEL_KIND_LOOP), &v);
	assert_string_equal(v.limit, "time");
	memset(&p, 0, sizeof(p));
	p.pss_kib = 2 << 20; /* above the 1 GiB budget */
	classify(&p, kind(MODEL_KIND_LOOP), &v);
	assert_string_equal(v.limit, "memory");
	assert_non_null(strstr(v.detail, "budget"));
	memset(&p, 0, sizeof(p));
	p.signal = 9;
	classify(&p, kind(MODEL_KIND_LOOP), &v);
	assert_string_equal(v.limit, "memory");
}

static void test_ports(void **state)
{
	struct ceiling_probe p = { .concurrency = 30000, .exit_code = 1, .errors_connect = 1700 };
	struct ceiling_verdict v;

	(void)state;
	classify(&p, kind(MODEL_KIND_LOOP), &v);
	assert_string_equal(v.limit, "ephemeral ports");
	/* spread over several source addresses, ports are not the reason */
	p.spread = true;
	classify(&p, kind(MODEL_KIND_LOOP), &v);
	assert_string_equal(v.limit, "connections");
	p.spread = false;
	p.concurrency = 1000;
	classify(&p, kind(MODEL_KIND_LOOP), &v);
	assert_string_equal(v.limit, "connections");
}

static void test_clean(void **state)
{
	char s[] = "a,b \"c\" 'd' `e` $f";

	(void)state;
	ceiling_clean(s);
	assert_string_equal(s, "a;b  c   d   e   f");
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_files),
		cmocka_unit_test(test_threads_and_processes),
		cmocka_unit_test(test_time_and_memory),
		cmocka_unit_test(test_ports),
		cmocka_unit_test(test_clean),
	};

	return unit_run(argc, argv, tests, NULL, NULL);
}
