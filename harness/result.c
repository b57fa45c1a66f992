/* result.c - turn a trial into the result row, and print it. */
#include "result.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <math.h>
#include <stddef.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <uv.h>

#include "../models/model.h"
#include "../models/servers/loadgen.h"
#include "../lib/util.h"
#include "../workloads/workload.h"

/* clang-format off */
#define P(f, k, u) { #f, k, COL_PARAM, offsetof(struct result_row, f), u }
#define M(f, k, u) { #f, k, COL_METRIC, offsetof(struct result_row, f), u }
#define X(f, k, u) { #f, k, 0, offsetof(struct result_row, f), u }
/* The result columns of DESIGN.md, in order, then ours: the error kinds
 * beyond http, `workers_lost`, `completed` (tasks that finished, ok or
 * failed), `setup_s` (time the model took to create its workers and
 * connections, outside the clock), and the monitor's own cost between go
 * and end: `monitor_cpu_s` and the number of tree `samples` it took;
 * `harness_kib` (the harness's own structures in the trial, resident before
 * the base sample, so outside mem_per_task_kib), `kernel_kib` (system-wide
 * growth of the kernel's memory, base to peak), `efficiency_note`,
 * `workload_note` (what the workload's service noticed about the run, such
 * as a cache drop the filesystem ignored; "" when nothing), and the
 * kernel's memory for the tree from its own processes' accounting, at the
 * peak (lib/probe.h): `pte_kib` (VmPTE), `kstack_kib` (threads x
 * THREAD_SIZE), `sock_kib` and `sockets` (its TCP sockets' buffers), and
 * `kmem_per_task_kib` (their sum's growth from base, per slot). */
static const struct result_col columns[] = {
	P(model, COL_STR, ""), P(workload, COL_STR, ""), P(tasks, COL_INT, "tasks"),
	P(concurrency, COL_INT, ""), P(workers, COL_INT, ""), P(conn, COL_STR, ""),
	P(io_latency_us, COL_INT, "us"), P(payload, COL_INT, "B"), P(cpu_iters, COL_INT, ""),
	M(cpu_us_per_task, COL_REAL, "us"),
	M(makespan_s, COL_REAL, "s"), M(throughput_tps, COL_REAL, "tasks/s"),
	M(bound_s, COL_REAL, "s"), M(efficiency, COL_REAL, ""),
	M(lat_p50_us, COL_REAL, "us"), M(lat_p90_us, COL_REAL, "us"), M(lat_p99_us, COL_REAL, "us"),
	M(lat_p999_us, COL_REAL, "us"), M(lat_max_us, COL_REAL, "us"),
	M(svc_p50_us, COL_REAL, "us"), M(svc_p99_us, COL_REAL, "us"),
	M(cpu_user_s, COL_REAL, "s"), M(cpu_sys_s, COL_REAL, "s"),
	M(ctx_voluntary, COL_INT, ""), M(ctx_involuntary, COL_INT, ""),
	M(rss_peak_kib, COL_INT, "KiB"), M(pss_peak_kib, COL_INT, "KiB"),
	M(pss_base_kib, COL_INT, "KiB"), M(mem_per_task_kib, COL_REAL, "KiB"),
	M(processes, COL_INT, ""), M(threads, COL_INT, ""),
	M(errors, COL_INT, ""), M(errors_connect, COL_INT, ""), M(errors_timeout, COL_INT, ""),
	M(errors_io, COL_INT, ""), M(errors_http, COL_INT, ""),
	X(checksum, COL_STR, ""), X(libuv, COL_STR, ""), X(cores, COL_INT, ""),
	M(completed, COL_INT, ""), M(setup_s, COL_REAL, "s"),
	M(errors_query, COL_INT, ""), M(errors_worker, COL_INT, ""), M(workers_lost, COL_INT, ""),
	M(monitor_cpu_s, COL_REAL, "s"), M(samples, COL_INT, ""),
	M(io_floor_us, COL_REAL, "us"), M(bound_floor_s, COL_REAL, "s"),
	M(efficiency_floor, COL_REAL, ""),
	P(arrivals, COL_STR, ""), P(rate_tps, COL_REAL, "tasks/s"), M(achieved_tps, COL_REAL, "tasks/s"),
	M(lat_p50_first_us, COL_REAL, "us"), M(lat_p50_last_us, COL_REAL, "us"),
	M(harness_kib, COL_REAL, "KiB"), M(kernel_kib, COL_INT, "KiB"), X(efficiency_note, COL_STR, ""),
	P(side, COL_STR, ""), P(client_conn, COL_STR, ""), P(server_cpus, COL_STR, ""),
	P(client_cpus, COL_STR, ""), M(served, COL_INT, ""), M(errors_handler, COL_INT, ""),
	M(send_lag_p99_us, COL_REAL, "us"), M(gen_behind, COL_INT, ""),
	M(gen_cpu_us_per_req, COL_REAL, "us"), M(cpu_us_per_req, COL_REAL, "us"),
	M(ctx_per_req, COL_REAL, ""), X(kernel, COL_STR, ""), X(served_checksum, COL_STR, ""),
	P(hold_connections, COL_INT, ""), M(connections_held, COL_INT, ""),
	X(workload_note, COL_STR, ""),
	M(pte_kib, COL_INT, "KiB"), M(kstack_kib, COL_INT, "KiB"), M(sock_kib, COL_INT, "KiB"),
	M(sockets, COL_INT, ""), M(kmem_per_task_kib, COL_REAL, "KiB"),
};
#undef P
#undef M
#undef X
/* clang-format on */
#define NCOLS (sizeof(columns) / sizeof(columns[0]))

const struct result_col *result_columns(size_t *n)
{
	*n = NCOLS;
	return columns;
}

const struct result_col *result_col_find(const char *name)
{
	for (size_t i = 0; i < NCOLS; i++)
		if (strcmp(columns[i].name, name) == 0)
			return &columns[i];
	return NULL;
}

double result_num(const struct result_row *row, const struct result_col *c)
{
	double v;

	if (c->kind == COL_STR)
		return NAN;
	memcpy(&v, (const char *)row + c->off, sizeof(v));
	return v;
}

const char *result_str(const struct result_row *row, const struct result_col *c)
{
	return c->kind == COL_STR ? (const char *)row + c->off : "";
}

/* Size of a string field of the row (they are char arrays). */
static size_t str_cap(const struct result_col *c)
{
	static const struct {
		size_t off, cap;
	} caps[] = {
		{ offsetof(struct result_row, model), sizeof(((struct result_row *)0)->model) },
		{ offsetof(struct result_row, workload),
		  sizeof(((struct result_row *)0)->workload) },
		{ offsetof(struct result_row, conn), sizeof(((struct result_row *)0)->conn) },
		{ offsetof(struct result_row, checksum),
		  sizeof(((struct result_row *)0)->checksum) },
		{ offsetof(struct result_row, libuv), sizeof(((struct result_row *)0)->libuv) },
		{ offsetof(struct result_row, arrivals),
		  sizeof(((struct result_row *)0)->arrivals) },
		{ offsetof(struct result_row, efficiency_note),
		  sizeof(((struct result_row *)0)->efficiency_note) },
		{ offsetof(struct result_row, side), sizeof(((struct result_row *)0)->side) },
		{ offsetof(struct result_row, client_conn),
		  sizeof(((struct result_row *)0)->client_conn) },
		{ offsetof(struct result_row, server_cpus),
		  sizeof(((struct result_row *)0)->server_cpus) },
		{ offsetof(struct result_row, client_cpus),
		  sizeof(((struct result_row *)0)->client_cpus) },
		{ offsetof(struct result_row, kernel), sizeof(((struct result_row *)0)->kernel) },
		{ offsetof(struct result_row, served_checksum),
		  sizeof(((struct result_row *)0)->served_checksum) },
		{ offsetof(struct result_row, workload_note),
		  sizeof(((struct result_row *)0)->workload_note) },
	};
	for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++)
		if (caps[i].off == c->off)
			return caps[i].cap;
	return 0;
}

static int set_field(struct result_row *row, const struct result_col *c, const char *s, size_t n)
{
	char buf[64], *end;
	double v;

	if (c->kind == COL_STR) {
		size_t cap = str_cap(c);

		if (n >= cap)
			return -EINVAL;
		memcpy((char *)row + c->off, s, n);
		((char *)row + c->off)[n] = '\0';
		return 0;
	}
	if (n == 0 || n >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, n);
	buf[n] = '\0';
	v = strtod(buf, &end);
	if (*end != '\0')
		return -EINVAL;
	memcpy((char *)row + c->off, &v, sizeof(v));
	return 0;
}

/* The next comma-separated field of *p; its length in *n. */
static const char *next_field(const char **p, size_t *n)
{
	const char *s = *p, *comma;

	if (!s)
		return NULL;
	comma = strchr(s, ',');
	*n = comma ? (size_t)(comma - s) : strcspn(s, "\r\n");
	*p = comma ? comma + 1 : NULL;
	return s;
}

int result_csv_parse(const char *header_line, const char *row_line, struct result_row *row)
{
	const char *h = header_line, *r = row_line, *hf, *rf;
	size_t hn, rn;
	char name[64];

	memset(row, 0, sizeof(*row));
	while ((hf = next_field(&h, &hn)) != NULL) {
		const struct result_col *c;

		rf = next_field(&r, &rn);
		if (!rf || hn >= sizeof(name))
			return -EINVAL;
		memcpy(name, hf, hn);
		name[hn] = '\0';
		c = result_col_find(name);
		if (c && set_field(row, c, rf, rn) < 0)
			return -EINVAL;
	}
	return r ? -EINVAL : 0;
}

double result_bound_s(double n, double c, double p, double l_us, double w_us)
{
	double a = ceil(n / c) * (l_us + w_us);
	double b = n * w_us / fmin(c, p);

	return fmax(a, b) / 1e6;
}

/* Three things no run can beat, the largest of which is the bound: every
 * round of C tasks waits L and does w + f of CPU; all the CPU is spread at
 * best over the cores; and the requests of one round are not all sent at
 * once: at least half of each one's floor (connect, send, the server's
 * accept and parse) comes before its wait, so the last of a full round is
 * sent no earlier than min(N,C)*f/(2P) after the start. */
double result_bound_floor_s(double n, double c, double p, double l_us, double w_us, double f_us)
{
	double rounds = ceil(n / c) * (l_us + w_us + f_us);
	double cpu = n * (w_us + f_us) / fmin(c, p);
	double fill = fmin(n, c) * f_us / (2 * p) + l_us + w_us + f_us / 2;

	return fmax(rounds, fmax(cpu, f_us > 0 ? fill : 0)) / 1e6;
}

static double us(uint64_t ns)
{
	return (double)ns / 1e3;
}

static double tv_s(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

void result_params(const struct run_cfg *cfg, struct result_row *row)
{
	memset(row, 0, sizeof(*row));
	snprintf(row->model, sizeof(row->model), "%s", cfg->model->name);
	snprintf(row->workload, sizeof(row->workload), "%s", cfg->workload->name);
	snprintf(row->conn, sizeof(row->conn), "%s", cfg->keepalive ? "keepalive" : "new");
	row->tasks = (double)cfg->tasks;
	row->concurrency = (double)cfg->concurrency;
	row->workers = (double)cfg->workers;
	row->io_latency_us = (double)cfg->io_latency_us;
	row->payload = (double)cfg->payload;
	row->cpu_iters = (double)cfg->cpu_iters;
	snprintf(row->arrivals, sizeof(row->arrivals), "%s",
		 cfg->rate_tps <= 0 ? "batch"
		 : cfg->poisson	    ? "poisson"
				    : "const");
	row->rate_tps = cfg->rate_tps;
	snprintf(row->side, sizeof(row->side), "%s",
		 cfg->server ? CFG_SIDE_SERVER : CFG_SIDE_CLIENT);
	if (cfg->server) {
		snprintf(row->client_conn, sizeof(row->client_conn), "%s",
			 cfg->client_new ? "new" : "keepalive");
		snprintf(row->server_cpus, sizeof(row->server_cpus), "%s", cfg->server_cpus);
		snprintf(row->client_cpus, sizeof(row->client_cpus), "%s", cfg->client_cpus);
	}
	snprintf(row->workload_note, sizeof(row->workload_note), "%s", cfg->wl_note);
}

/* Makespan, throughput, and under an open loop the achieved rate and the
 * median latency of the first and last fifth. */
static void row_pace(const struct run_cfg *cfg, const struct trial_report *rep,
		     struct result_row *row)
{
	const struct task_stats *s = &rep->stats;

	if (s->last_done_ns > rep->t0_ns)
		row->makespan_s = (double)(s->last_done_ns - rep->t0_ns) / 1e9;
	row->throughput_tps = row->makespan_s > 0 ? row->tasks / row->makespan_s : 0;
	row->achieved_tps = row->makespan_s > 0 ? (double)s->completed / row->makespan_s : 0;
	row->lat_p50_first_us = row->lat_p50_last_us = NAN;
	if (cfg->rate_tps > 0) {
		uint64_t n1, n2;
		double a = stats_fifth_p50(s->first, &n1), b = stats_fifth_p50(s->last, &n2);

		row->lat_p50_first_us = n1 ? a / 1e3 : NAN;
		row->lat_p50_last_us = n2 ? b / 1e3 : NAN;
	}
}

/* The lower bounds and the efficiency against them. */
static void row_bounds(const struct trial_report *rep, struct result_row *row)
{
	const struct task_stats *s = &rep->stats;

	row->bound_s = result_bound_s(row->tasks, row->concurrency, row->cores, row->io_latency_us,
				      row->cpu_us_per_task);
	row->io_floor_us = rep->io_floor_us;
	row->bound_floor_s =
		result_bound_floor_s(row->tasks, row->concurrency, row->cores, row->io_latency_us,
				     row->cpu_us_per_task, row->io_floor_us);
	/* no figure when nothing finished well or there is no bound to reach */
	row->efficiency = row->makespan_s > 0 && row->bound_s > 0 && s->completed > stats_errors(s)
				  ? row->bound_s / row->makespan_s
				  : NAN;
	row->efficiency_floor =
		isfinite(row->efficiency) ? row->bound_floor_s / row->makespan_s : NAN;
	/* a run that beat its lower bound: w was measured too high, or the
	 * bound misses something; never a figure to print as is */
	if (isfinite(row->efficiency) && row->efficiency > RESULT_EFFICIENCY_MAX)
		snprintf(row->efficiency_note, sizeof(row->efficiency_note), "above_bound");
}

static void row_latency(const struct task_stats *s, struct result_row *row)
{
	row->lat_p50_us = us(hist_quantile(&s->lat, 0.50));
	row->lat_p90_us = us(hist_quantile(&s->lat, 0.90));
	row->lat_p99_us = us(hist_quantile(&s->lat, 0.99));
	row->lat_p999_us = us(hist_quantile(&s->lat, 0.999));
	row->lat_max_us = us(s->lat.max);
	row->svc_p50_us = us(hist_quantile(&s->svc, 0.50));
	row->svc_p99_us = us(hist_quantile(&s->svc, 0.99));
}

/* CPU time, context switches, memory, processes and threads. */
static void row_resources(const struct run_cfg *cfg, const struct trial_report *rep,
			  struct result_row *row)
{
	double slots;

	row->cpu_user_s = tv_s(rep->ru.ru_utime);
	row->cpu_sys_s = tv_s(rep->ru.ru_stime);
	row->ctx_voluntary = (double)rep->ru.ru_nvcsw;
	row->ctx_involuntary = (double)rep->ru.ru_nivcsw;
	if (cfg->model->foreign) { /* the trial process is cmbench's runner: not the model */
		row->cpu_user_s -= tv_s(rep->self_ru.ru_utime);
		row->cpu_sys_s -= tv_s(rep->self_ru.ru_stime);
		row->ctx_voluntary -= (double)rep->self_ru.ru_nvcsw;
		row->ctx_involuntary -= (double)rep->self_ru.ru_nivcsw;
	}
	row->rss_peak_kib = (double)rep->peak.rss_kib;
	row->pss_peak_kib = (double)rep->peak.pss_kib;
	row->pss_base_kib = (double)rep->base.pss_kib;
	slots = fmin(row->concurrency, row->tasks);
	row->mem_per_task_kib = fmax(0, row->pss_peak_kib - row->pss_base_kib) / slots;
	row->harness_kib = rep->harness_kib;
	row->kernel_kib = rep->kernel_base_kib >= 0 && rep->kernel_peak_kib >= rep->kernel_base_kib
				  ? (double)(rep->kernel_peak_kib - rep->kernel_base_kib)
				  : NAN;
	row->processes = (double)rep->peak.processes;
	row->threads = (double)rep->peak.threads;
	row->pte_kib = (double)rep->peak.pte_kib;
	row->kstack_kib = (double)rep->peak.kstack_kib;
	row->sock_kib = (double)rep->peak.sock_kib;
	row->sockets = (double)rep->peak.sockets;
	row->kmem_per_task_kib =
		fmax(0, (double)probe_kmem_kib(&rep->peak) - (double)probe_kmem_kib(&rep->base)) /
		slots;
}

static void row_errors(const struct task_stats *s, struct result_row *row)
{
	row->errors = (double)stats_errors(s);
	row->errors_connect = (double)s->errors[TASK_ERR_CONNECT];
	row->errors_timeout = (double)s->errors[TASK_ERR_TIMEOUT];
	row->errors_io = (double)s->errors[TASK_ERR_IO];
	row->errors_http = (double)s->errors[TASK_ERR_HTTP];
	row->errors_query = (double)s->errors[TASK_ERR_QUERY];
	row->errors_worker = (double)s->errors[TASK_ERR_WORKER];
	row->workers_lost = (double)s->workers_lost;
}

/* --side server: what the server answered, the generator's lag and its
 * own CPU, and the server's CPU and context switches per request. */
static void row_server(const struct run_cfg *cfg, const struct trial_report *rep,
		       struct result_row *row)
{
	double n = (double)rep->stats.completed;
	struct utsname u;

	row->served = row->errors_handler = row->gen_behind = 0;
	row->send_lag_p99_us = row->gen_cpu_us_per_req = row->cpu_us_per_req = NAN;
	row->ctx_per_req = NAN;
	if (!cfg->server)
		return;
	/* the bound is a batch's: a server's figure is the rate it sustains */
	row->bound_s = row->efficiency = row->bound_floor_s = row->efficiency_floor = NAN;
	row->efficiency_note[0] = '\0';
	if (uname(&u) == 0) /* io_uring, SO_REUSEPORT: what a server gets is the kernel's */
		snprintf(row->kernel, sizeof(row->kernel), "%.63s", u.release);
	row->served = (double)rep->served.completed;
	row->hold_connections = (double)cfg->hold_conns;
	row->connections_held = (double)rep->held;
	/* per connection the server held: the active ones and the idle ones */
	row->mem_per_task_kib = fmax(0, row->pss_peak_kib - row->pss_base_kib) /
				(row->concurrency + row->connections_held);
	snprintf(row->served_checksum, sizeof(row->served_checksum), "%016llx",
		 (unsigned long long)rep->served.checksum);
	row->errors_handler = (double)stats_errors(&rep->served);
	row->send_lag_p99_us = us(hist_quantile(&rep->send_lag, 0.99));
	row->gen_behind = row->send_lag_p99_us > LOADGEN_LAG_MAX_US;
	if (n > 0) {
		row->gen_cpu_us_per_req =
			(tv_s(rep->gen_ru.ru_utime) + tv_s(rep->gen_ru.ru_stime)) * 1e6 / n;
		row->cpu_us_per_req = (row->cpu_user_s + row->cpu_sys_s) * 1e6 / n;
		row->ctx_per_req = (row->ctx_voluntary + row->ctx_involuntary) / n;
	}
}

void result_row(const struct run_cfg *cfg, const struct trial_report *rep, struct result_row *row)
{
	const struct task_stats *s = &rep->stats;

	result_params(cfg, row);
	snprintf(row->checksum, sizeof(row->checksum), "%016llx", (unsigned long long)s->checksum);
	snprintf(row->libuv, sizeof(row->libuv), "%s", uv_version_string());
	row->cpu_us_per_task = rep->cpu_us_per_task;
	row->cores = rep->cores;
	row->completed = (double)s->completed;
	row->setup_s = (double)rep->setup_ns / 1e9;
	row->monitor_cpu_s = rep->monitor_cpu_s;
	row->samples = (double)rep->samples;
	row_pace(cfg, rep, row);
	row_bounds(rep, row);
	row_latency(s, row);
	row_resources(cfg, rep, row);
	row_errors(s, row);
	row_server(cfg, rep, row);
}

static void print_value(FILE *f, const struct result_col *c, const struct result_row *row,
			bool json)
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
		if (isfinite(v))
			fprintf(f, "%.6g", v);
		else
			fputs(json ? "null" : "nan", f);
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

void result_print(FILE *f, enum out_format fmt, const struct result_row *row)
{
	switch (fmt) {
	case FMT_TEXT:
		result_print_text(f, row);
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
	if (fstat(fd, &st) < 0) {
		rc = -errno;
		close(fd);
		return rc;
	}
	mem = open_memstream(&buf, &len);
	if (!mem) {
		close(fd);
		return -ENOMEM;
	}
	if (st.st_size == 0) {
		result_csv_header(mem);
		fputc('\n', mem);
	}
	result_csv_row(mem, row);
	fputc('\n', mem);
	fclose(mem);
	/* one write, and a short one is undone: a full disk never leaves half
	 * a row (SIGXFSZ is ignored by the command, so a size limit shows
	 * here as EFBIG) */
	w = write(fd, buf, len);
	if (w >= 0 && w < (ssize_t)len) /* short: the next write says why */
		w = write(fd, buf + w, len - (size_t)w) < 0 ? -1 : w;
	if (w != (ssize_t)len) {
		rc = w < 0 ? -errno : -EIO;
		if (ftruncate(fd, st.st_size) < 0)
			rc = -errno;
	}
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
