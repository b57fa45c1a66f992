/* result.c - turn a trial into the result row, and print it. */
#include "result.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <math.h>
#include <stddef.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <uv.h>

#include "../models/model.h"
#include "util.h"

enum col_kind { COL_STR, COL_INT, COL_REAL };

struct column {
	const char *name;   /* csv header and json key */
	enum col_kind kind; /* how it is printed */
	size_t off;	    /* where it lives in struct result_row */
};

/* clang-format off */
#define S(f) { #f, COL_STR, offsetof(struct result_row, f) }
#define I(f) { #f, COL_INT, offsetof(struct result_row, f) }
#define R(f) { #f, COL_REAL, offsetof(struct result_row, f) }
/* The result columns of DESIGN.md, in order; the last two are ours:
 * `completed` (tasks that finished, ok or failed) and `setup_s` (time the
 * model took to create its workers and connections, outside the clock). */
static const struct column columns[] = {
	S(model), S(workload), I(tasks), I(concurrency), I(workers), S(conn),
	I(io_latency_us), I(payload), I(cpu_iters), R(cpu_us_per_task),
	R(makespan_s), R(throughput_tps), R(bound_s), R(efficiency),
	R(lat_p50_us), R(lat_p90_us), R(lat_p99_us), R(lat_p999_us), R(lat_max_us),
	R(svc_p50_us), R(svc_p99_us),
	R(cpu_user_s), R(cpu_sys_s), I(ctx_voluntary), I(ctx_involuntary),
	I(rss_peak_kib), I(pss_peak_kib), I(pss_base_kib), R(mem_per_task_kib),
	I(processes), I(threads),
	I(errors), I(errors_connect), I(errors_timeout), I(errors_io), I(errors_http),
	S(checksum), S(libuv), I(cores), I(completed), R(setup_s),
};
#undef S
#undef I
#undef R
/* clang-format on */
#define NCOLS (sizeof(columns) / sizeof(columns[0]))

double result_bound_s(double n, double c, double p, double l_us, double w_us)
{
	double a = ceil(n / c) * (l_us + w_us);
	double b = n * w_us / fmin(c, p);

	return fmax(a, b) / 1e6;
}

static double us(uint64_t ns)
{
	return (double)ns / 1e3;
}

static double tv_s(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

void result_row(const struct run_cfg *cfg, const struct trial_report *rep, struct result_row *row)
{
	const struct task_stats *s = &rep->stats;
	double slots;

	memset(row, 0, sizeof(*row));
	snprintf(row->model, sizeof(row->model), "%s", cfg->model->name);
	snprintf(row->workload, sizeof(row->workload), "%s", cfg->workload->name);
	snprintf(row->conn, sizeof(row->conn), "%s", cfg->keepalive ? "keepalive" : "new");
	snprintf(row->checksum, sizeof(row->checksum), "%016llx", (unsigned long long)s->checksum);
	snprintf(row->libuv, sizeof(row->libuv), "%s", uv_version_string());
	row->tasks = (double)cfg->tasks;
	row->concurrency = (double)cfg->concurrency;
	row->workers = (double)cfg->workers;
	row->io_latency_us = (double)cfg->io_latency_us;
	row->payload = (double)cfg->payload;
	row->cpu_iters = (double)cfg->cpu_iters;
	row->cpu_us_per_task = rep->cpu_us_per_task;
	row->cores = rep->cores;
	row->completed = (double)s->completed;
	row->setup_s = (double)rep->setup_ns / 1e9;
	if (s->last_done_ns > rep->t0_ns)
		row->makespan_s = (double)(s->last_done_ns - rep->t0_ns) / 1e9;
	row->throughput_tps = row->makespan_s > 0 ? row->tasks / row->makespan_s : 0;
	row->bound_s = result_bound_s(row->tasks, row->concurrency, row->cores, row->io_latency_us,
				      row->cpu_us_per_task);
	row->efficiency = row->makespan_s > 0 ? row->bound_s / row->makespan_s : 0;
	row->lat_p50_us = us(hist_quantile(&s->lat, 0.50));
	row->lat_p90_us = us(hist_quantile(&s->lat, 0.90));
	row->lat_p99_us = us(hist_quantile(&s->lat, 0.99));
	row->lat_p999_us = us(hist_quantile(&s->lat, 0.999));
	row->lat_max_us = us(s->lat.max);
	row->svc_p50_us = us(hist_quantile(&s->svc, 0.50));
	row->svc_p99_us = us(hist_quantile(&s->svc, 0.99));
	row->cpu_user_s = tv_s(rep->ru.ru_utime);
	row->cpu_sys_s = tv_s(rep->ru.ru_stime);
	row->ctx_voluntary = (double)rep->ru.ru_nvcsw;
	row->ctx_involuntary = (double)rep->ru.ru_nivcsw;
	row->rss_peak_kib = (double)rep->peak.rss_kib;
	row->pss_peak_kib = (double)rep->peak.pss_kib;
	row->pss_base_kib = (double)rep->base.pss_kib;
	slots = fmin(row->concurrency, row->tasks);
	row->mem_per_task_kib = fmax(0, row->pss_peak_kib - row->pss_base_kib) / slots;
	row->processes = (double)rep->peak.processes;
	row->threads = (double)rep->peak.threads;
	row->errors = (double)stats_errors(s);
	row->errors_connect = (double)s->errors[TASK_ERR_CONNECT];
	row->errors_timeout = (double)s->errors[TASK_ERR_TIMEOUT];
	row->errors_io = (double)s->errors[TASK_ERR_IO];
	row->errors_http = (double)s->errors[TASK_ERR_HTTP];
}

static void print_value(FILE *f, const struct column *c, const struct result_row *row, bool json)
{
	const char *p = (const char *)row + c->off;
	double v;

	switch (c->kind) {
	case COL_STR:
		fprintf(f, json ? "\"%s\"" : "%s", p);
		break;
	case COL_INT:
		memcpy(&v, p, sizeof(v));
		fprintf(f, "%.0f", v);
		break;
	case COL_REAL:
		memcpy(&v, p, sizeof(v));
		fprintf(f, "%.6g", v);
		break;
	}
}

void result_csv_header(FILE *f)
{
	for (size_t i = 0; i < NCOLS; i++)
		fprintf(f, "%s%s", i ? "," : "", columns[i].name);
}

void result_csv_row(FILE *f, const struct result_row *row)
{
	for (size_t i = 0; i < NCOLS; i++) {
		if (i)
			fputc(',', f);
		print_value(f, &columns[i], row, false);
	}
}

static void print_json(FILE *f, const struct result_row *row)
{
	fputc('{', f);
	for (size_t i = 0; i < NCOLS; i++) {
		fprintf(f, "%s\"%s\":", i ? "," : "", columns[i].name);
		print_value(f, &columns[i], row, true);
	}
	fputs("}\n", f);
}

static void print_text(FILE *f, const struct result_row *r)
{
	char a[32], b[32], c[32], d[32], e[32];

	fprintf(f,
		"cmbench run: %s / %s, %.0f tasks, concurrency %.0f, workers %.0f, %.0f cores, "
		"libuv %s\n",
		r->model, r->workload, r->tasks, r->concurrency, r->workers, r->cores, r->libuv);
	if (r->io_latency_us > 0 || r->payload > 0)
		fprintf(f, "  io:   latency %s, payload %.0f bytes, conn %s\n",
			fmt_us(a, sizeof(a), r->io_latency_us, FMT_TERSE), r->payload, r->conn);
	if (r->cpu_iters > 0)
		fprintf(f, "  cpu:  %.0f iterations per task = %s on one core\n", r->cpu_iters,
			fmt_us(a, sizeof(a), r->cpu_us_per_task, FMT_TERSE));
	fprintf(f, "  Makespan %s   throughput %.1f tasks/s   bound %s   efficiency %.1f%%\n",
		fmt_us(a, sizeof(a), r->makespan_s * 1e6, FMT_TERSE), r->throughput_tps,
		fmt_us(b, sizeof(b), r->bound_s * 1e6, FMT_TERSE), r->efficiency * 100);
	fprintf(f, "  %-10s %10s %10s %10s %10s %10s\n", "", "p50", "p90", "p99", "p99.9", "max");
	fprintf(f, "  %-10s %10s %10s %10s %10s %10s\n", "Latency",
		fmt_us(a, sizeof(a), r->lat_p50_us, FMT_TERSE), fmt_us(b, sizeof(b), r->lat_p90_us, FMT_TERSE),
		fmt_us(c, sizeof(c), r->lat_p99_us, FMT_TERSE), fmt_us(d, sizeof(d), r->lat_p999_us, FMT_TERSE),
		fmt_us(e, sizeof(e), r->lat_max_us, FMT_TERSE));
	fprintf(f, "  %-10s %10s %10s %10s\n", "Service", fmt_us(a, sizeof(a), r->svc_p50_us, FMT_TERSE), "",
		fmt_us(b, sizeof(b), r->svc_p99_us, FMT_TERSE));
	fprintf(f,
		"  CPU      user %.3fs  sys %.3fs   context switches %.0f voluntary, %.0f "
		"involuntary\n",
		r->cpu_user_s, r->cpu_sys_s, r->ctx_voluntary, r->ctx_involuntary);
	fprintf(f, "  Memory   RSS peak %s  PSS peak %s  PSS base %s  per task %s\n",
		fmt_kib(a, sizeof(a), r->rss_peak_kib, FMT_TERSE), fmt_kib(b, sizeof(b), r->pss_peak_kib, FMT_TERSE),
		fmt_kib(c, sizeof(c), r->pss_base_kib, FMT_TERSE), fmt_kib(d, sizeof(d), r->mem_per_task_kib, FMT_TERSE));
	fprintf(f, "  Tree     %.0f processes, %.0f threads at peak; set-up (not timed) %s\n",
		r->processes, r->threads, fmt_us(a, sizeof(a), r->setup_s * 1e6, FMT_TERSE));
	fprintf(f,
		"  Tasks    %.0f released, %.0f completed, %.0f errors (connect %.0f, timeout "
		"%.0f, io %.0f, http %.0f)\n",
		r->tasks, r->completed, r->errors, r->errors_connect, r->errors_timeout,
		r->errors_io, r->errors_http);
	fprintf(f, "  Checksum %s\n", r->checksum);
}

void result_print(FILE *f, enum out_format fmt, const struct result_row *row)
{
	switch (fmt) {
	case FMT_TEXT:
		print_text(f, row);
		break;
	case FMT_CSV:
		result_csv_header(f);
		fputc('\n', f);
		result_csv_row(f, row);
		fputc('\n', f);
		break;
	case FMT_JSON:
		print_json(f, row);
		break;
	}
}

int result_append(const char *path, const struct result_row *row)
{
	char *buf = NULL;
	size_t len = 0;
	struct stat st;
	FILE *mem;
	ssize_t w;
	int fd, rc = 0;

	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	mem = open_memstream(&buf, &len);
	if (!mem) {
		close(fd);
		return -ENOMEM;
	}
	if (fstat(fd, &st) == 0 && st.st_size == 0) {
		result_csv_header(mem);
		fputc('\n', mem);
	}
	result_csv_row(mem, row);
	fputc('\n', mem);
	fclose(mem);
	/* one write: a crash never leaves half a row */
	w = write(fd, buf, len);
	if (w != (ssize_t)len)
		rc = w < 0 ? -errno : -EIO;
	free(buf);
	if (close(fd) < 0 && rc == 0)
		rc = -errno;
	return rc;
}

int result_spectrum(const char *path, const struct trial_report *rep)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -errno;
	fprintf(f, "quantile,latency_us\n");
	/* x = 1/(1-q) from 1 to 10^5 in steps of 10^(1/20) */
	for (int i = 0; i <= 100; i++) {
		double q = 1.0 - pow(10.0, -i / 20.0);

		fprintf(f, "%.8f,%.3f\n", q, us(hist_quantile(&rep->stats.lat, q)));
	}
	fprintf(f, "1,%.3f\n", us(rep->stats.lat.max));
	return fclose(f) == 0 ? 0 : -errno;
}
