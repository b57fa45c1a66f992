/* result.h - the result row of one run, its column table, and the one
 * place it is printed (result_text.c: the human block in the style of wrk;
 * result.c: csv and json from the table). */
#ifndef CMB_RESULT_H
#define CMB_RESULT_H

#include <stdio.h>

#include "../lib/config.h"
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
	double errors, errors_connect, errors_timeout, errors_io, errors_http, errors_query;
	double errors_worker, workers_lost;
	double monitor_cpu_s, samples;
	double io_floor_us, bound_floor_s, efficiency_floor;
	double rate_tps, achieved_tps; /* open loop: offered, and completed per second */
	/* open loop: p50 latency of the first and last fifth of the tasks */
	double lat_p50_first_us, lat_p50_last_us;
	char arrivals[8]; /* batch, const or poisson */
	double cores, completed, setup_s;
	double harness_kib, kernel_kib; /* the harness's own memory; the kernel's growth */
	char efficiency_note[16];	/* "above_bound" when efficiency > 1.02 */
	/* --side server (docs/servers.md): which side, the generator's
	 * connections, where each side ran, what the server answered, the
	 * generator's own lag and cost, and the server's cost per request */
	char side[8], client_conn[16], server_cpus[64], client_cpus[64], kernel[64];
	char served_checksum[17]; /* the server's fold of what it answered */
	double served, errors_handler, send_lag_p99_us, gen_behind, gen_cpu_us_per_req;
	double hold_connections, connections_held; /* idle connections asked for, opened */
	double cpu_us_per_req, ctx_per_req;
	char workload_note[CFG_WL_NOTE]; /* the workload's note on the run (its service's), or "" */
	/* the kernel's memory for the tree, from its processes' own accounting
	 * (lib/probe.h), at the peak: page tables, kernel stacks, TCP socket
	 * buffers and sockets; and their growth from base per task */
	double pte_kib, kstack_kib, sock_kib, sockets, kmem_per_task_kib;
};

/* Efficiency above this is a wrong figure (the run beat its lower bound):
 * the row says so in efficiency_note, and REPORT counts it. */
#define RESULT_EFFICIENCY_MAX 1.02

/* The column table: csv, json, cells.csv and the charts all derive from it. */
enum col_kind { COL_STR, COL_INT, COL_REAL };
#define COL_PARAM 1  /* a parameter of the run */
#define COL_METRIC 2 /* a measured figure: cells.csv summarises it */
struct result_col {
	const char *name;   /* csv header and json key */
	enum col_kind kind; /* how it is printed */
	unsigned flags;	    /* COL_PARAM, COL_METRIC */
	size_t off;	    /* where it lives in struct result_row */
	const char *unit;   /* "s", "us", "KiB", "tasks/s", "" */
};

const struct result_col *result_columns(size_t *n);
const struct result_col *result_col_find(const char *name);
double result_num(const struct result_row *row, const struct result_col *c);
const char *result_str(const struct result_row *row, const struct result_col *c);
/* One results.csv row under its header line (neither with a newline) into
 * row; columns the header lacks stay 0 or "". 0 or -EINVAL. */
int result_csv_parse(const char *header_line, const char *row_line, struct result_row *row);

/* bound_s of DESIGN.md: max(ceil(N/C)*(L+w), N*w/min(C,P)), in seconds. */
double result_bound_s(double n, double c, double p, double l_us, double w_us);
/* bound_floor_s: bound_s with the machine's CPU floor f per request added
 * (docs/run.md, "Reading a run"), in seconds. */
double result_bound_floor_s(double n, double c, double p, double l_us, double w_us, double f_us);
/* Fill the row from a finished trial. */
/* A row with only the run's parameter columns (those marked COL_PARAM)
 * filled from cfg, the rest zero. */
void result_params(const struct run_cfg *cfg, struct result_row *row);
void result_row(const struct run_cfg *cfg, const struct trial_report *rep, struct result_row *row);
void result_print(FILE *f, enum out_format fmt, const struct result_row *row);
/* The text block alone. */
void result_print_text(FILE *f, const struct result_row *row);
/* " (connect 1, io 2)\n": the error kinds that occurred, and a newline. */
void result_print_error_kinds(FILE *f, const struct result_row *row);
/* The csv header line (no newline), for sweeps and tests. */
void result_csv_header(FILE *f);
void result_csv_row(FILE *f, const struct result_row *row);
/* Append the header (if the file is empty) and the row in one write. */
int result_append(const char *path, const struct result_row *row);
/* Write the latency percentile spectrum: "quantile,latency_us" rows. */
int result_spectrum(const char *path, const struct trial_report *rep);

#endif
