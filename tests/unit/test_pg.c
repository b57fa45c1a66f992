/* test_pg.c - the pg workload (workloads/pg*.c) in-process: its service
 * makes the throw-away cluster with the table in it and the run's options
 * in the conninfo, and removes it all on stop; a loop model and a blocking
 * model get every answer right (the checksum is the fold of the answers
 * computed here from the table's definition, not just the same across
 * models). Prints what the cluster took to start. Skips when the
 * PostgreSQL server binaries are missing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "unit.h"
#include <libpq-fe.h>

#include "harness/cli.h"
#include "lib/clock.h"
#include "models/model.h"
#include "workloads/pg.h"

#define ROWS 5000
#define RANGE 10
#define TASKS 300

static uint64_t t_go(struct trial_ctl *c)
{
	(void)c;
	return clock_now_ns();
}

static void t_end(struct trial_ctl *c)
{
	(void)c;
}

static uint64_t fnv(uint64_t h, const char *s, int sep)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
	return (h ^ (uint64_t)sep) * 0x100000001b3ull;
}

/* What every task must answer, from the definition of the table (v = k *
 * 2654435761 mod 1000003) and of a task's range. */
static uint64_t expected_checksum(void)
{
	uint64_t sum = 0;

	for (uint64_t id = 0; id < TASKS; id++) {
		uint64_t lo = 1 + mix64(id) % (ROWS - RANGE + 1), v = 0, h = 0xcbf29ce484222325ull;
		char a[32], b[32];

		for (uint64_t k = lo; k < lo + RANGE; k++)
			v += (k * 2654435761ull) % 1000003;
		snprintf(a, sizeof(a), "%d", RANGE);
		snprintf(b, sizeof(b), "%llu", (unsigned long long)v);
		h = fnv(fnv(h, a, 0x1f), b, 0x1f);
		h = (h ^ 0x1e) * 0x100000001b3ull;
		sum = checksum_fold(sum, id, mix64(h));
	}
	return sum;
}

static void cfg_pg(struct run_cfg *cfg)
{
	cli_run_defaults(cfg);
	cfg->workload = workload_find("pg");
	cfg->tasks = TASKS;
	cfg->concurrency = 8;
	cfg->workers = 2;
	cfg->io_latency_us = 0;
	cfg->payload = 0;
	cfg->cpu_iters = 0;
	cfg->timeout_us = 3000000;
	cfg->wl_num[PG_NUM_ROWS] = ROWS;
	cfg->wl_num[PG_NUM_RANGE] = RANGE;
	cfg->wl_num[PG_NUM_CONN] = PG_CONN_POOL;
	cfg->wl_num[PG_NUM_FSYNC] = 0;
}

/* The socket folder the conninfo names. */
static void conninfo_host(const char *conninfo, char *out, size_t cap)
{
	PQconninfoOption *o = PQconninfoParse(conninfo, NULL);

	out[0] = '\0';
	for (PQconninfoOption *p = o; p && p->keyword; p++)
		if (strcmp(p->keyword, "host") == 0 && p->val)
			snprintf(out, cap, "%s", p->val);
	PQconninfoFree(o);
}

static void check_table(const char *conninfo)
{
	PGconn *c = PQconnectdb(conninfo);
	PGresult *r;

	assert_int_equal(PQstatus(c), CONNECTION_OK);
	r = PQexec(c, "SELECT count(*), current_setting('statement_timeout'), "
		      "current_setting('search_path') FROM " PG_TABLE);
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	assert_string_equal(PQgetvalue(r, 0, 0), "5000");
	assert_string_equal(PQgetvalue(r, 0, 1), "3s");
	assert_true(strncmp(PQgetvalue(r, 0, 2), "cmbench_", 8) == 0);
	PQclear(r);
	PQfinish(c);
}

static void run_model(const char *name, struct run_cfg *cfg, uint64_t want)
{
	struct trial_ctl ctl = { .go = t_go, .end = t_end };
	struct task_stats *out = test_calloc(1, sizeof(*out));

	cfg->model = model_find(name);
	assert_non_null(cfg->model);
	assert_int_equal(cfg->model->run(cfg, &ctl, out), 0);
	if (out->completed != TASKS || stats_errors(out) != 0 || out->checksum != want)
		fail_msg("%s: %llu of %d tasks, %llu errors, checksum %016llx, want %016llx", name,
			 (unsigned long long)out->completed, TASKS,
			 (unsigned long long)stats_errors(out), (unsigned long long)out->checksum,
			 (unsigned long long)want);
	test_free(out);
}

static void test_cluster(void **state)
{
	const struct pg_times *t;
	struct run_cfg cfg;
	char bindir[4096], err[512], host[256];
	void *svc = NULL;
	struct stat st;

	(void)state;
	if (pg_find_bindir(bindir, sizeof(bindir)) < 0)
		skip();
	cfg_pg(&cfg);
	struct wl_service_result res = { .target = false };

	if (workload_find("pg")->service->start(&cfg, &res, &svc, err, sizeof(err)) < 0)
		fail_msg("service start: %s", err);
	wl_service_apply(&cfg, &res);
	conninfo_host(cfg.wl_str[PG_STR_URL], host, sizeof(host));
	assert_true(stat(host, &st) == 0);
	check_table(cfg.wl_str[PG_STR_URL]);
	run_model("eventloop", &cfg, expected_checksum());
	run_model("threadpool", &cfg, expected_checksum());
	cfg.wl_num[PG_NUM_CONN] = PG_CONN_NEW;
	run_model("eventloop", &cfg, expected_checksum());
	workload_find("pg")->service->stop(svc);
	assert_true(stat(host, &st) < 0); /* the folder is gone */
	t = pg_service_times();
	assert_true(t->embedded && t->initdb_ns > 0 && t->start_ns > 0 && t->fill_ns > 0);
	print_message("# throw-away cluster (%s): initdb %.3f s, start %.3f s, fill %d rows "
		      "%.3f s\n",
		      bindir, t->initdb_ns / 1e9, t->start_ns / 1e9, ROWS, t->fill_ns / 1e9);
}

static void test_one_line(void **state)
{
	char buf[64];

	(void)state;
	assert_string_equal(pg_one_line(buf, sizeof(buf), "a failed: x\n\tIs it?\n"),
			    "a failed: x Is it?");
	assert_string_equal(pg_one_line(buf, 8, "0123456789"), "0123456");
	assert_string_equal(pg_one_line(buf, sizeof(buf), NULL), "");
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_line),
		cmocka_unit_test(test_cluster),
	};

	return unit_run(argc, argv, tests, NULL, NULL);
}
