/* result.h - the result row of one run and the one place it is printed.
 * The column list lives in result.c (one table for csv, json and the csv
 * header); text is the human block in the style of wrk. */
#ifndef CMB_RESULT_H
#define CMB_RESULT_H

#include <stdio.h>

#include "config.h"
#include "trial.h"

struct result_row {
	char model[32], workload[16], conn[16], checksum[17], libuv[16];
	double tasks, concurrency, workers, io_latency_us, payload, cpu_iters, cpu_us_per_task;
	double makespan_s, throughput_tps, bound_s, efficiency;
	double lat_p50_us, lat_p90_us, lat_p99_us, lat_p999_us, lat_max_us;
	double svc_p50_us, svc_p99_us;
	double cpu_user_s, cpu_sys_s, ctx_voluntary, ctx_involuntary;
	double rss_peak_kib, pss_peak_kib, pss_base_kib, mem_per_task_kib;
	double processes, threads;
	double errors, errors_connect, errors_timeout, errors_io, errors_http;
	double cores, completed, setup_s;
};

/* bound_s of DESIGN.md: max(ceil(N/C)*(L+w), N*w/min(C,P)), in seconds. */
double result_bound_s(double n, double c, double p, double l_us, double w_us);
/* Fill the row from a finished trial. */
void result_row(const struct run_cfg *cfg, const struct trial_report *rep, struct result_row *row);
void result_print(FILE *f, enum out_format fmt, const struct result_row *row);
/* The csv header line (no newline), for sweeps and tests. */
void result_csv_header(FILE *f);
void result_csv_row(FILE *f, const struct result_row *row);
/* Append the header (if the file is empty) and the row in one write. */
int result_append(const char *path, const struct result_row *row);
/* Write the latency percentile spectrum: "quantile,latency_us" rows. */
int result_spectrum(const char *path, const struct trial_report *rep);

#endif
