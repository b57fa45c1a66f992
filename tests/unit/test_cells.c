/* test_cells.c - folding trials into cells (harness/set/cells.c): median, min,
 * max and sample stddev on known rows, the ok flag, hyperfine's export,
 * and cells.csv written and read back. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "unit.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/cli.h"
#include "harness/result.h"
#include "harness/set/cells.h"
#include "models/model.h"
#include "workloads/workload.h"

/* A results table: a few of the run columns are enough. */
static const char results[] =
	"cell,rep,model,tasks,completed,errors,checksum,makespan_s,lat_p99_us,rss_peak_kib\n"
	"a,1,threadpool,10,10,0,00ff,1.0,100,2000\n"
	"a,2,threadpool,10,10,0,00ff,9.0,300,2000\n" /* replaced by the later rep 2 */
	"b,1,threadpool,10,10,1,00ff,1.0,100,2000\n" /* one task failed */
	"a,3,threadpool,10,10,0,00ff,2.0,200,2000\n"
	"a,2,threadpool,10,10,0,00ff,3.0,300,2000\n"
	"c,1,threadpool,10,10,0,00ff,1.0,100,2000\n"
	"c,2,threadpool,10,10,0,0aaa,1.0,100,2000\n" /* another checksum */
	"d,1,threadpool,10,9,0,00ff,1.0,100,2000\n"  /* one task never completed */
	"torn,1,threadpool\n";			     /* a short row is dropped */

static void load(struct cells_csv *t)
{
	char *text = strdup(results);

	assert_non_null(text);
	assert_int_equal(cells_csv_parse(text, t), 0);
}

static struct spec_cell cell(const char *id)
{
	struct spec_cell c;

	memset(&c, 0, sizeof(c));
	cli_run_defaults(&c.cfg);
	snprintf(c.id, sizeof(c.id), "%s", id);
	snprintf(c.grid, sizeof(c.grid), "matrix");
	c.cfg.model = model_find("threadpool");
	c.cfg.workload = workload_by_parts(true, true);
	c.cfg.tasks = 10;
	c.cfg.concurrency = 4;
	c.cfg.workers = 2;
	c.cfg.io_latency_us = 1000;
	c.cfg.payload = 256;
	c.cfg.cpu_iters = 12345;
	c.share_pct = 50;
	return c;
}

static int metric(const char *name)
{
	int m = cells_metric_index(name);

	if (m < 0)
		fail_msg("no metric %s", name);
	return m;
}

static void test_stats(void **state)
{
	double v3[] = { 3, 1, 2 }, v4[] = { 4, 1, 3, 2 }, v1[] = { 7 };
	struct cells_fig f;

	(void)state;
	cells_stats(v3, 3, &f);
	assert_float_equal(f.med, 2, 1e-12);
	assert_float_equal(f.min, 1, 1e-12);
	assert_float_equal(f.max, 3, 1e-12);
	assert_float_equal(f.sd, 1, 1e-12);
	cells_stats(v4, 4, &f);
	assert_float_equal(f.med, 2.5, 1e-12);
	assert_float_equal(f.sd, sqrt(5.0 / 3.0), 1e-12);
	cells_stats(v1, 1, &f);
	assert_float_equal(f.med, 7, 1e-12);
	assert_float_equal(f.sd, 0, 1e-12);
}

static void test_csv(void **state)
{
	struct cells_csv t;

	(void)state;
	load(&t);
	assert_int_equal(t.ncols, 10);
	assert_int_equal(t.nrows, 8);
	assert_int_equal(t.dropped, 1);
	assert_int_equal(cells_csv_col(&t, "makespan_s"), 7);
	assert_int_equal(cells_csv_col(&t, "nope"), -1);
	assert_string_equal(t.rows[7][0], "d");
	cells_csv_free(&t);
}

/* Three reps (rep 2 twice: the last row counts): makespans 1, 3, 2. */
static void test_summarize(void **state)
{
	struct cells_csv t;
	struct cells_summary s;
	struct spec_cell a = cell("a");
	int mk = metric("makespan_s"), p99 = metric("lat_p99_us"), wall = metric("wall_s");

	(void)state;
	load(&t);
	assert_int_equal(cells_summarize(&a, &t, NULL, &s), 3);
	assert_int_equal(s.reps, 3);
	assert_true(s.ok);
	assert_string_equal(s.checksum, "00ff");
	assert_float_equal(s.fig[mk].med, 2, 1e-12);
	assert_float_equal(s.fig[mk].min, 1, 1e-12);
	assert_float_equal(s.fig[mk].max, 3, 1e-12);
	assert_float_equal(s.fig[mk].sd, 1, 1e-12);
	assert_float_equal(s.fig[p99].med, 200, 1e-9);
	assert_float_equal(s.fig[metric("rss_peak_kib")].med, 2000, 1e-9);
	assert_float_equal(s.fig[metric("rss_peak_kib")].sd, 0, 1e-9);
	assert_float_equal(s.fig[wall].med, 0, 1e-12); /* no hyperfine export */
	assert_string_equal(s.cell.id, "a");
	cells_summary_free(&s);
	cells_csv_free(&t);
}

static void test_ok_flag(void **state)
{
	struct cells_csv t;
	struct cells_summary s;
	struct spec_cell b = cell("b"), c = cell("c"), d = cell("d"), none = cell("none");

	(void)state;
	load(&t);
	assert_int_equal(cells_summarize(&b, &t, NULL, &s), 1);
	assert_false(s.ok); /* an error */
	cells_summary_free(&s);
	assert_int_equal(cells_summarize(&c, &t, NULL, &s), 2);
	assert_false(s.ok); /* checksums differ */
	cells_summary_free(&s);
	assert_int_equal(cells_summarize(&d, &t, NULL, &s), 1);
	assert_false(s.ok); /* completed < tasks */
	cells_summary_free(&s);
	assert_int_equal(cells_summarize(&none, &t, NULL, &s), 0);
	cells_csv_free(&t);
}

static const char hf_json[] = "{\n  \"results\": [\n    {\n      \"command\": \"a\",\n"
			      "      \"mean\": 0.2,\n      \"times\": [\n        0.1,\n"
			      "        0.3,\n        0.2\n      ],\n      \"exit_codes\": [\n"
			      "        0,\n        0,\n        0\n      ]\n    }\n  ]\n}\n";

static void test_hyperfine(void **state)
{
	struct cells_csv t;
	struct cells_summary s;
	struct cells_hf hf;
	struct spec_cell a = cell("a");
	int wall = metric("wall_s");
	char *bad = strdup(hf_json), *p;

	(void)state;
	assert_int_equal(cells_hf_parse(hf_json, &hf), 0);
	assert_int_equal(hf.ntimes, 3);
	assert_int_equal(hf.ncodes, 3);
	load(&t);
	cells_summarize(&a, &t, &hf, &s);
	assert_true(s.ok);
	assert_float_equal(s.fig[wall].med, 0.2, 1e-12);
	assert_float_equal(s.fig[wall].min, 0.1, 1e-12);
	assert_float_equal(s.fig[wall].max, 0.3, 1e-12);
	assert_float_equal(s.fig[wall].sd, 0.1, 1e-12);
	cells_summary_free(&s);

	/* a measured run that exited non-zero fails the cell */
	p = strstr(bad, "0\n      ]");
	assert_non_null(p);
	*p = '1';
	assert_int_equal(cells_hf_parse(bad, &hf), 0);
	assert_int_equal(hf.codes[2], 1);
	cells_summarize(&a, &t, &hf, &s);
	assert_false(s.ok);
	cells_summary_free(&s);
	free(bad);
	assert_int_equal(cells_hf_parse("{}", &hf), -EINVAL);
	assert_int_equal(cells_hf_parse("not json", &hf), -EINVAL);
	cells_csv_free(&t);
}

/* The run's parameter columns in the column table. */
static size_t nparams(void)
{
	size_t n, k = 0;
	const struct result_col *c = result_columns(&n);

	for (size_t i = 0; i < n; i++)
		k += (c[i].flags & COL_PARAM) != 0;
	return k;
}

/* cells.csv: the agreed columns, written whole, read back. */
static void test_write_read(void **state)
{
	struct cells_csv t, back;
	struct cells_summary s[2];
	struct spec_cell a = cell("a"), c = cell("c"), *params;
	char path[] = "/tmp/test_cells_XXXXXX";
	char file[64], tmp[80];
	size_t n;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	snprintf(file, sizeof(file), "%s.csv", path);
	load(&t);
	cells_summarize(&a, &t, NULL, &s[0]);
	cells_summarize(&c, &t, NULL, &s[1]);
	assert_int_equal(cells_write(file, s, 2), 0);
	snprintf(tmp, sizeof(tmp), "%s.tmp", file);
	assert_int_equal(access(tmp, F_OK), -1); /* no temporary file stays */
	assert_int_equal(cells_csv_read(file, &back), 0);
	/* cell, grid, the run's parameter columns, share_pct, reps, ok,
	 * checksum, then four per metric, then label, reps_min, reps_max,
	 * ci_pct, ci_met, ci_stop and two per interval */
	assert_int_equal(back.ncols, 2 + nparams() + 4 + 4 * cells_nmetrics() + 6 + 2 * CELLS_NCI);
	assert_true(cells_csv_col(&back, "makespan_s_ci_lo") > 0);
	assert_true(cells_csv_col(&back, "mem_per_task_kib_ci_hi") > 0);
	assert_true(cells_csv_col(&back, "ci_stop") > 0);
	assert_string_equal(back.hdr[0], "cell");
	assert_string_equal(back.hdr[1], "grid");
	assert_string_equal(back.hdr[2], "model");
	assert_string_equal(back.hdr[2 + nparams()], "share_pct");
	assert_string_equal(back.hdr[4 + nparams()], "ok");
	assert_string_equal(back.hdr[5 + nparams()], "checksum");
	assert_int_equal(strncmp(back.hdr[6 + nparams()], cells_metric(0), strlen(cells_metric(0))),
			 0);
	assert_string_equal(back.hdr[6 + nparams()] + strlen(cells_metric(0)), "_med");
	assert_true(cells_csv_col(&back, "makespan_s_med") > 5 + (int)nparams());
	assert_string_equal(back.hdr[back.ncols - 1 - 6 - 2 * CELLS_NCI], "wall_s_sd");
	assert_string_equal(back.hdr[back.ncols - 1], "mem_per_task_kib_ci_hi");
	assert_int_equal(back.nrows, 2);
	assert_string_equal(back.rows[0][cells_csv_col(&back, "ok")], "1");
	assert_string_equal(back.rows[1][cells_csv_col(&back, "ok")], "0");
	assert_string_equal(back.rows[0][cells_csv_col(&back, "makespan_s_med")], "2");
	assert_string_equal(back.rows[0][cells_csv_col(&back, "reps")], "3");
	assert_int_equal(cells_params(&back, &params, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(params[1].id, "c");
	assert_string_equal(params[1].grid, "matrix");
	assert_int_equal(params[1].share_pct, 50);
	assert_int_equal(params[1].cfg.cpu_iters, 12345);
	assert_int_equal(params[1].cfg.concurrency, 4);
	assert_ptr_equal(params[1].cfg.model, model_find("threadpool"));
	free(params);
	cells_summary_free(&s[0]);
	cells_summary_free(&s[1]);
	cells_csv_free(&back);
	cells_csv_free(&t);
	unlink(file);
	unlink(path);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stats),	  cmocka_unit_test(test_csv),
		cmocka_unit_test(test_summarize), cmocka_unit_test(test_ok_flag),
		cmocka_unit_test(test_hyperfine), cmocka_unit_test(test_write_read),
	};

	return unit_run(argc, argv, tests, NULL, NULL);
}
