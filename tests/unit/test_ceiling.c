/* test_ceiling.c - which limit a failed `cmbench ceiling` probe ran into,
 * from how it failed and the machine's limits (ceiling_classify), with
 * made-up probes and limits: no run, no timing. The sysctl or limit that
 * bound is named with the command that lifts it; the OOM killer is told
 * from /proc/vmstat's counter; which model holds which workload
 * (model_takes) goes by traits. */
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

/* the binding one of the thread limits, and its sysctl */
static void test_lift_threads(void **state)
{
	struct ceiling_limits l = lim();
	struct ceiling_probe p = { .concurrency = 40000, .exit_code = 1, .budget_kib = 1 << 20 };
	struct ceiling_verdict v;

	(void)state;
	snprintf(p.output, sizeof(p.output), "x: Resource temporarily unavailable\n");
	l.root = true; /* RLIMIT_NPROC out of it: kernel.pid_max 32768 binds processes */
	ceiling_classify(&p, &l, kind(MODEL_KIND_PROCESSES), io(), &v);
	assert_non_null(strstr(v.detail, "kernel.pid_max 32768 first"));
	assert_string_equal(v.lift, "sysctl -w kernel.pid_max=4194304");
	/* threads of one process: two mappings each, 65530 / 2 < 32768 */
	ceiling_classify(&p, &l, kind(MODEL_KIND_THREADS), io(), &v);
	assert_non_null(strstr(v.detail, "vm.max_map_count 65530 first"));
	assert_string_equal(v.lift, "sysctl -w vm.max_map_count=131060");
	l.max_map_count = 1 << 20;
	l.threads_max = 20000;
	ceiling_classify(&p, &l, kind(MODEL_KIND_THREADS), io(), &v);
	assert_string_equal(v.lift, "sysctl -w kernel.threads-max=40000");
	l.threads_max = 1 << 20;
	l.pid_max = 4194304; /* at its most: nothing to lift */
	l.pids_max = 10000;
	ceiling_classify(&p, &l, kind(MODEL_KIND_THREADS), io(), &v);
	assert_non_null(strstr(v.detail, "pids.max 10000 first"));
	assert_non_null(strstr(v.lift, "TasksMax"));
	l.root = false;
	l.pids_max = 0;
	ceiling_classify(&p, &l, kind(MODEL_KIND_THREADS), io(), &v);
	assert_string_equal(v.lift, "ulimit -u unlimited (as root)");
}

/* open files: the hard limit where cmbench could not raise it, fs.nr_open
 * where it did, fs.file-max for the machine; ports and the accept queue */
static void test_lift_files_and_ports(void **state)
{
	struct ceiling_limits l = lim();
	struct ceiling_probe p = { .concurrency = 2000, .exit_code = 2, .budget_kib = 1 << 20 };
	struct ceiling_verdict v;

	(void)state;
	l.file_max = 100000;
	snprintf(p.output, sizeof(p.output), "accept: EMFILE\n");
	ceiling_classify(&p, &l, kind(MODEL_KIND_LOOP), io(), &v);
	assert_string_equal(v.limit, "open files");
	assert_non_null(strstr(v.lift, "ulimit -Hn 1048576"));
	assert_non_null(strstr(v.detail, "2 x C on the machine"));
	l.nofile = l.nofile_hard = l.nr_open;
	ceiling_classify(&p, &l, kind(MODEL_KIND_LOOP), io(), &v);
	assert_non_null(strstr(v.lift, "sysctl -w fs.nr_open=2097152"));
	snprintf(p.output, sizeof(p.output), "socket: Too many open files in system\n");
	ceiling_classify(&p, &l, kind(MODEL_KIND_LOOP), io(), &v);
	assert_string_equal(v.lift, "sysctl -w fs.file-max=200000");
	memset(&p, 0, sizeof(p));
	p.budget_kib = 1 << 20;
	p.concurrency = 30000;
	p.exit_code = 1;
	p.errors_connect = 9;
	ceiling_classify(&p, &l, kind(MODEL_KIND_LOOP), io(), &v);
	assert_string_equal(v.limit, "ephemeral ports");
	assert_non_null(strstr(v.lift, "sysctl -w net.ipv4.ip_local_port_range=1024 65535"));
	p.spread = true;
	ceiling_classify(&p, &l, kind(MODEL_KIND_LOOP), io(), &v);
	assert_non_null(strstr(v.lift, "sysctl -w net.core.somaxconn=8192"));
}

/* the OOM killer: its counter went up while the probe ran; a SIGKILL with
 * the counter unchanged is not memory; the budget counts the kernel's
 * growth beside PSS */
static void test_oom_killer(void **state)
{
	struct ceiling_limits l = lim();
	struct ceiling_probe p = { .concurrency = 500000, .signal = 9, .exit_code = -1 };
	struct ceiling_verdict v;

	(void)state;
	p.budget_kib = 1 << 20;
	p.oom_known = l.oom_known = true;
	p.oom_before = 3;
	l.oom_kills = 4;
	ceiling_classify(&p, &l, kind(MODEL_KIND_LOOP), io(), &v);
	assert_string_equal(v.limit, "memory");
	assert_non_null(strstr(v.detail, "the OOM killer: 1 kills"));
	/* a worker lost to it, the run exiting 1: the counter says it still */
	p.signal = 0;
	p.exit_code = 1;
	p.errors_worker = 1;
	ceiling_classify(&p, &l, kind(MODEL_KIND_PROCESSES), io(), &v);
	assert_string_equal(v.limit, "memory");
	l.oom_kills = 3;
	p.signal = 9;
	ceiling_classify(&p, &l, kind(MODEL_KIND_LOOP), io(), &v);
	assert_string_equal(v.limit, "other");
	memset(&p, 0, sizeof(p));
	p.budget_kib = 1000;
	p.pss_kib = 600;
	p.kernel_kib = 500; /* 600 + 500 > 1000: past the budget */
	ceiling_classify(&p, &l, kind(MODEL_KIND_LOOP), io(), &v);
	assert_string_equal(v.limit, "memory");
	assert_non_null(strstr(v.detail, "budget"));
}

/* a foreign program holds a wait alone only with holds_wait; a workload
 * of no family that is not a wait is never its; C models take all */
static void test_model_takes(void **state)
{
	struct model_ops py = { .name = "x", .foreign = true, .holds_wait = true };
	struct model_ops other = { .name = "y", .foreign = true };
	struct model_ops c = { .name = "z" };
	struct workload_ops wait = { .name = "w", .hold_flag = "w" };
	struct workload_ops odd = { .name = "o" };
	struct workload_ops plain = { .name = "p", .does_io = true, .family = WL_FAMILY_PLAIN };

	(void)state;
	assert_true(model_takes(&py, &wait));
	assert_false(model_takes(&other, &wait));
	assert_false(model_takes(&py, &odd));
	assert_true(model_takes(&py, &plain));
	assert_true(model_takes(&c, &wait) && model_takes(&c, &odd));
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
		cmocka_unit_test(test_lift_threads),
		cmocka_unit_test(test_lift_files_and_ports),
		cmocka_unit_test(test_oom_killer),
		cmocka_unit_test(test_model_takes),
		cmocka_unit_test(test_clean),
	};

	return unit_run(argc, argv, tests, NULL, NULL);
}
