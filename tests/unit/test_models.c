/* test_models.c - every model driven in-process through a handshake of
 * the test's own (struct trial_ctl), as harness/trial.c drives them: all
 * tasks done, the sequential checksum, go and end called once each and in
 * that order; the sqlite workload and its service (the file generated and
 * removed, read and write results that do not depend on the order tasks
 * run in); and the flags the newer models and workloads add (the check
 * trait, the sqlite flags through cli_format_run and back). */
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

#include "harness/cli.h"
#include "lib/clock.h"
#include "models/model.h"
#include "workloads/workload.h"

#define ARGC(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* The test's side of the handshake. */
struct fake_ctl {
	struct trial_ctl ctl;
	int gos, ends;
};

static uint64_t fake_go(struct trial_ctl *ctl)
{
	struct fake_ctl *f = ctl->priv;

	assert_int_equal(f->ends, 0);
	f->gos++;
	return clock_now_ns();
}

static void fake_end(struct trial_ctl *ctl)
{
	struct fake_ctl *f = ctl->priv;

	assert_int_equal(f->gos, 1);
	f->ends++;
}

static void parse(struct run_cfg *cfg, int argc, char **argv)
{
	char err[CLI_ERR_MAX] = "";

	if (cli_parse_run(argc, argv, cfg, err, sizeof(err)) != 0)
		fail_msg("cli_parse_run: %s", err);
}

/* Run cfg under model m in this process; the checksum of its tasks. */
static uint64_t drive(struct run_cfg *cfg, const struct model_ops *m)
{
	struct fake_ctl f = { .ctl = { .go = fake_go, .end = fake_end } };
	struct task_stats *st = calloc(1, sizeof(*st));
	uint64_t sum;

	assert_non_null(st);
	f.ctl.priv = &f;
	cfg->model = m;
	cfg->concurrency = m->one_slot ? 1 : cfg->concurrency;
	if (m->run(cfg, &f.ctl, st) != 0)
		fail_msg("%s: run failed", m->name);
	if (f.gos != 1 || f.ends != 1)
		fail_msg("%s: go %d times, end %d times", m->name, f.gos, f.ends);
	if (st->completed != cfg->tasks || stats_errors(st) != 0 || st->workers_lost != 0)
		fail_msg("%s: %llu of %llu completed, %llu errors, %llu workers lost", m->name,
			 (unsigned long long)st->completed, (unsigned long long)cfg->tasks,
			 (unsigned long long)stats_errors(st),
			 (unsigned long long)st->workers_lost);
	sum = st->checksum;
	free(st);
	return sum;
}

/* Every model that runs in this process, on the cpu workload. */
static void test_models_cpu(void **state)
{
	char *argv[] = { "run", "--model",	 "sequential", "--workload", "cpu", "--tasks",
			 "60",	"--concurrency", "7",	       "--workers",  "3",   "--cpu-iters",
			 "500" };
	struct run_cfg cfg;
	uint64_t want;

	(void)state;
	parse(&cfg, ARGC(argv), argv);
	want = drive(&cfg, model_find("sequential"));
	for (size_t i = 0; model_table[i]; i++) {
		if (model_table[i]->foreign)
			continue;
		if (drive(&cfg, model_table[i]) != want)
			fail_msg("%s: a checksum other than sequential's", model_table[i]->name);
	}
}

/* The harness's per-worker stats (mapped and resident before the base
 * sample) are where a model with per-worker stats records: every task is
 * in them, so none of the model's own memory holds a histogram. */
static void test_models_harness_stats(void **state)
{
	char *argv[] = { "run", "--model",	 "sequential", "--workload", "cpu", "--tasks",
			 "40",	"--concurrency", "6",	       "--workers",  "2",   "--cpu-iters",
			 "300" };
	struct run_cfg cfg;
	size_t tried = 0;

	(void)state;
	parse(&cfg, ARGC(argv), argv);
	for (size_t i = 0; model_table[i]; i++) {
		const struct model_ops *m = model_table[i];
		struct fake_ctl f = { .ctl = { .go = fake_go, .end = fake_end } };
		struct task_stats out, *ws;
		uint64_t n, done = 0;

		cfg.model = m;
		n = model_worker_stats(m, &cfg);
		if (m->foreign || n == 0)
			continue;
		ws = stats_map(n, 1);
		assert_non_null(ws);
		f.ctl.priv = &f;
		f.ctl.worker_stats = ws;
		f.ctl.n_worker_stats = n;
		if (m->run(&cfg, &f.ctl, &out) != 0)
			fail_msg("%s: run failed", m->name);
		for (uint64_t k = 0; k < n; k++)
			done += ws[k].completed;
		if (done != cfg.tasks || out.completed != cfg.tasks)
			fail_msg("%s: %llu tasks in the harness's %llu stats, %llu merged (want "
				 "%llu)",
				 m->name, (unsigned long long)done, (unsigned long long)n,
				 (unsigned long long)out.completed, (unsigned long long)cfg.tasks);
		stats_unmap(ws, n);
		tried++;
	}
	assert_true(tried >= 4); /* the pools, thread-per-task, prefork */
}

/* More slots than tasks, one task, and more workers than slots. */
static void test_models_edges(void **state)
{
	char *argv[] = { "run", "--model",	 "sequential", "--workload", "cpu", "--tasks",
			 "1",	"--concurrency", "50",	       "--workers",  "8",   "--cpu-iters",
			 "100" };
	const struct model_ops *m[] = { model_find("thread-per-task"),
					model_find("process-per-task"),
					model_find("eventloop-prefork") };
	struct run_cfg cfg;
	uint64_t want;

	(void)state;
	parse(&cfg, ARGC(argv), argv);
	want = drive(&cfg, model_find("sequential"));
	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		assert_true(drive(&cfg, m[i]) == want);
	cfg.tasks = 9;
	cfg.concurrency = 2; /* 8 workers, 2 slots: 2 loops */
	want = drive(&cfg, model_find("sequential"));
	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		assert_true(drive(&cfg, m[i]) == want);
}

static char tmpdir[64];

static void sqlite_service(struct run_cfg *cfg, void **svc)
{
	char err[CLI_ERR_MAX] = "";
	struct wl_service_result res = { .target = false };

	if (workload_find("sqlite")->service->start(cfg, &res, svc, err, sizeof(err)) != 0)
		fail_msg("sqlite service: %s", err);
	wl_service_apply(cfg, &res);
}

/* The temp directory the service made, and that it is gone after stop. */
static void sqlite_stop(void *svc, const char *path)
{
	char dir[256];
	struct stat st;

	snprintf(dir, sizeof(dir), "%s", path);
	*strrchr(dir, '/') = '\0';
	assert_int_equal(stat(path, &st), 0);
	workload_find("sqlite")->service->stop(svc);
	assert_int_equal(stat(dir, &st), -1);
	assert_int_equal(errno, ENOENT);
}

static void test_sqlite_models(void **state)
{
	char *argv[] = { "run",	   "--model",	    "sequential", "--workload",
			 "sqlite", "--tasks",	    "80",	  "--concurrency",
			 "6",	   "--sqlite-rows", "3000",	  "--sqlite-range",
			 "40" };
	const struct model_ops *m[] = {
		model_find("eventloop"),	model_find("eventloop-offload"),
		model_find("threadpool"),	model_find("thread-per-task"),
		model_find("process-per-task"), model_find("eventloop-prefork")
	};
	struct run_cfg cfg;
	uint64_t want;
	void *svc;

	(void)state;
	parse(&cfg, ARGC(argv), argv);
	assert_int_equal(cfg.wl_num[0], 3000);
	assert_int_equal(cfg.wl_num[1], 40);
	sqlite_service(&cfg, &svc);
	assert_true(strncmp(cfg.wl_str[0], tmpdir, strlen(tmpdir)) == 0);
	want = drive(&cfg, model_find("sequential"));
	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		if (drive(&cfg, m[i]) != want)
			fail_msg("sqlite read: %s disagrees with sequential", m[i]->name);
	sqlite_stop(svc, cfg.wl_str[0]);
}

/* Write mode: a task's result is what it wrote, so neither the order of
 * the tasks nor what earlier runs wrote changes the checksum. */
static void test_sqlite_write(void **state)
{
	char *argv[] = { "run",	   "--model",	    "sequential", "--workload",
			 "sqlite", "--tasks",	    "30",	  "--concurrency",
			 "4",	   "--sqlite-rows", "500",	  "--sqlite-range",
			 "50",	   "--sqlite-mode", "write" };
	struct run_cfg cfg;
	uint64_t want, read_sum;
	void *svc;

	(void)state;
	parse(&cfg, ARGC(argv), argv);
	assert_int_equal(cfg.wl_num[2], 1);
	sqlite_service(&cfg, &svc);
	want = drive(&cfg, model_find("sequential"));
	assert_true(drive(&cfg, model_find("threadpool")) == want);
	assert_true(drive(&cfg, model_find("process-per-task")) == want);
	assert_true(drive(&cfg, model_find("sequential")) == want);
	/* and it is not the read checksum of the same rows */
	cfg.wl_num[2] = 0;
	read_sum = drive(&cfg, model_find("sequential"));
	assert_true(read_sum != want);
	sqlite_stop(svc, cfg.wl_str[0]);
}

/* A range that runs past the end of the table, and a one-row table. */
static void test_sqlite_edges(void **state)
{
	char *argv[] = { "run",	   "--model",	     "sequential", "--workload",
			 "sqlite", "--tasks",	     "20",	   "--sqlite-rows",
			 "1",	   "--sqlite-range", "1000" };
	struct run_cfg cfg;
	void *svc;

	(void)state;
	parse(&cfg, ARGC(argv), argv);
	sqlite_service(&cfg, &svc);
	assert_true(drive(&cfg, model_find("sequential")) ==
		    drive(&cfg, model_find("thread-per-task")));
	sqlite_stop(svc, cfg.wl_str[0]);
}

static int run_err(int argc, char **argv, char *err)
{
	struct run_cfg cfg;

	err[0] = '\0';
	return cli_parse_run(argc, argv, &cfg, err, CLI_ERR_MAX);
}

/* The check trait and the workload flags: one line naming the flag. */
static void test_flags(void **state)
{
	char *ka[] = { "run", "--model", "process-per-task", "--workload",
		       "io",  "--conn",	 "keepalive" };
	char *ka_cpu[] = { "run", "--model", "process-per-task", "--workload",
			   "cpu", "--conn",  "keepalive" };
	char *spawn[] = {
		"run", "--model", "thread-per-task", "--workload", "io", "--spawn", "exec"
	};
	char *alien[] = {
		"run", "--model", "threadpool", "--workload", "io", "--sqlite-rows", "5"
	};
	char *mode[] = { "run",	   "--model",	    "threadpool", "--workload",
			 "sqlite", "--sqlite-mode", "append" };
	char *rows0[] = { "run",    "--model",	     "threadpool", "--workload",
			  "sqlite", "--sqlite-rows", "0" };
	char err[CLI_ERR_MAX];

	(void)state;
	assert_int_equal(run_err(ARGC(ka), ka, err), -EINVAL);
	assert_non_null(strstr(err, "--conn keepalive"));
	assert_null(strchr(err, '\n'));
	assert_int_equal(run_err(ARGC(ka_cpu), ka_cpu, err), 0); /* no connection to keep */
	assert_int_equal(run_err(ARGC(spawn), spawn, err), -EINVAL);
	assert_non_null(strstr(err, "--spawn"));
	assert_int_equal(run_err(ARGC(alien), alien, err), -EINVAL);
	assert_non_null(strstr(err, "--sqlite-rows"));
	assert_int_equal(run_err(ARGC(mode), mode, err), -EINVAL);
	assert_non_null(strstr(err, "--sqlite-mode"));
	assert_int_equal(run_err(ARGC(rows0), rows0, err), -EINVAL);
	assert_non_null(strstr(err, "--sqlite-rows"));
}

/* What an exec'd worker parses is the run it was started from. */
static void test_format_round_trip(void **state)
{
	char *argv[] = { "run",
			 "--model",
			 "process-per-task",
			 "--spawn",
			 "exec",
			 "--workload",
			 "sqlite",
			 "--tasks",
			 "12",
			 "--concurrency",
			 "3",
			 "--sqlite-rows",
			 "777",
			 "--sqlite-mode",
			 "write" };
	struct run_cfg a, b;
	char **v;
	int n = 0;

	(void)state;
	parse(&a, ARGC(argv), argv);
	v = cli_format_run(&a);
	assert_non_null(v);
	while (v[n])
		n++;
	parse(&b, n, v);
	cli_argv_free(v);
	assert_ptr_equal(b.model, model_find("process-per-task"));
	assert_ptr_equal(b.workload, workload_find("sqlite"));
	assert_true(b.spawn_exec);
	assert_int_equal(b.tasks, 12);
	assert_int_equal(b.concurrency, 3);
	assert_memory_equal(b.wl_num, a.wl_num, sizeof(a.wl_num));
}

static int setup_tmp(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_models.XXXXXX");
	if (!mkdtemp(tmpdir))
		return -1;
	return setenv("TMPDIR", tmpdir, 1);
}

static int teardown_tmp(void **state)
{
	(void)state;
	return rmdir(tmpdir); /* fails, and so does the test, if anything was left */
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_models_cpu),
		cmocka_unit_test(test_models_edges),
		cmocka_unit_test(test_models_harness_stats),
		cmocka_unit_test(test_sqlite_models),
		cmocka_unit_test(test_sqlite_write),
		cmocka_unit_test(test_sqlite_edges),
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_format_round_trip),
	};

	return unit_run(argc, argv, tests, setup_tmp, teardown_tmp);
}
