/* result_text.c - the human block of one run, in the style of wrk: every
 * figure in the unit that suits it, and which mode produced it. */
#include <math.h>
#include <stdio.h>

#include "../workloads/workload.h"
#include "result.h"
#include "../lib/util.h"

/* " (connect 1, timeout 2)": the kinds that occurred, from the table. */
void result_print_error_kinds(FILE *f, const struct result_row *r)
{
	const char *sep = " (";
	char name[32];

	for (int k = 1; k < TASK_ERR_KINDS; k++) {
		const struct result_col *c;
		double v;

		snprintf(name, sizeof(name), "errors_%s", task_err_names[k]);
		c = result_col_find(name);
		v = c ? result_num(r, c) : 0;
		if (v > 0) {
			fprintf(f, "%s%s %.0f", sep, task_err_names[k], v);
			sep = ", ";
		}
	}
	if (r->workers_lost > 0)
		fprintf(f, "%sworkers lost %.0f", sep, r->workers_lost), sep = ", ";
	fputs(sep[0] == ',' ? ")\n" : "\n", f);
}

/* What ran, how tasks were released, the I/O and CPU a task asks for. */
static void text_header(FILE *f, const struct result_row *r)
{
	char a[32], b[32];

	fprintf(f,
		"cmbench run: %s / %s, %.0f tasks, concurrency %.0f, workers %.0f, %.0f cores, "
		"libuv %s\n",
		r->model, r->workload, r->tasks, r->concurrency, r->workers, r->cores, r->libuv);
	if (r->rate_tps <= 0)
		fprintf(f, "  mode: batch, every task released at the start\n");
	else
		fprintf(f,
			"  mode: open loop, %s arrivals at %.1f tasks/s offered, %.1f achieved; "
			"latency from each task's due time\n",
			r->arrivals, r->rate_tps, r->achieved_tps);
	if (r->rate_tps > 0 && isfinite(r->lat_p50_first_us) && isfinite(r->lat_p50_last_us))
		fprintf(f, "  backlog: p50 of the first fifth of the tasks %s, of the last %s\n",
			fmt_us(a, sizeof(a), r->lat_p50_first_us, FMT_TERSE),
			fmt_us(b, sizeof(b), r->lat_p50_last_us, FMT_TERSE));
	if (r->io_latency_us > 0 || r->payload > 0)
		fprintf(f, "  io:   latency %s, payload %.0f bytes, conn %s\n",
			fmt_us(a, sizeof(a), r->io_latency_us, FMT_TERSE), r->payload, r->conn);
	if (r->cpu_iters > 0)
		fprintf(f, "  cpu:  %.0f iterations per task = %s on one core\n", r->cpu_iters,
			fmt_us(a, sizeof(a), r->cpu_us_per_task, FMT_TERSE));
}

/* Makespan against the bound, and against the bound with the I/O floor. */
static void text_makespan(FILE *f, const struct result_row *r)
{
	char a[32], b[32], c[64];

	if (*r->efficiency_note) /* never printed as if it were a figure */
		snprintf(c, sizeof(c), "%.1f%% (%s: w measured too high?)", r->efficiency * 100,
			 r->efficiency_note);
	else if (isfinite(r->efficiency))
		snprintf(c, sizeof(c), "%.1f%%", r->efficiency * 100);
	else
		snprintf(c, sizeof(c), "n/a");
	fprintf(f, "  Makespan %s   throughput %.1f tasks/s   bound %s   efficiency %s\n",
		fmt_us(a, sizeof(a), r->makespan_s * 1e6, FMT_TERSE), r->throughput_tps,
		fmt_us(b, sizeof(b), r->bound_s * 1e6, FMT_TERSE), c);
	if (r->io_floor_us > 0) {
		if (isfinite(r->efficiency_floor))
			snprintf(c, sizeof(c), "%.1f%%", r->efficiency_floor * 100);
		else
			snprintf(c, sizeof(c), "n/a");
		fprintf(f,
			"  Floor    %s CPU per request (client + server)   bound with it %s   "
			"efficiency %s\n",
			fmt_us(a, sizeof(a), r->io_floor_us, FMT_TERSE),
			fmt_us(b, sizeof(b), r->bound_floor_s * 1e6, FMT_TERSE), c);
	}
}

/* The latency and service time quantiles; a p99 of too few samples is
 * not printed. */
static void text_latency(FILE *f, const struct result_row *r)
{
	char a[32], b[32], c[64], d[32], e[32];
	double n = r->completed - r->errors; /* the latencies recorded */

	fprintf(f, "  %-10s %10s %10s %10s %10s %10s\n", "", "p50", "p90", "p99", "p99.9", "max");
	/* a p99 of fewer than 100 samples (a p99.9 of fewer than 1,000) is
	 * only the max: not printed as one */
	fprintf(f, "  %-10s %10s %10s %10s %10s %10s\n", "Latency",
		fmt_us(a, sizeof(a), r->lat_p50_us, FMT_TERSE),
		fmt_us(b, sizeof(b), r->lat_p90_us, FMT_TERSE),
		n >= 100 ? fmt_us(c, sizeof(c), r->lat_p99_us, FMT_TERSE) : "-",
		n >= 1000 ? fmt_us(d, sizeof(d), r->lat_p999_us, FMT_TERSE) : "-",
		fmt_us(e, sizeof(e), r->lat_max_us, FMT_TERSE));
	fprintf(f, "  %-10s %10s %10s %10s\n", "Service",
		fmt_us(a, sizeof(a), r->svc_p50_us, FMT_TERSE), "",
		n >= 100 ? fmt_us(b, sizeof(b), r->svc_p99_us, FMT_TERSE) : "-");
	if (n < 1000)
		fprintf(f, "  (%s: max of n=%.0f)\n", n < 100 ? "p99 and p99.9" : "p99.9", n);
}

/* CPU, memory, the process tree, the monitor's cost, the tasks. */
static void text_resources(FILE *f, const struct result_row *r)
{
	char a[32], b[32], c[64], d[32];

	fprintf(f,
		"  CPU      user %.3fs  sys %.3fs   context switches %.0f voluntary, %.0f "
		"involuntary\n",
		r->cpu_user_s, r->cpu_sys_s, r->ctx_voluntary, r->ctx_involuntary);
	fprintf(f, "  Memory   RSS peak %s  PSS peak %s  PSS base %s  per task %s\n",
		fmt_kib(a, sizeof(a), r->rss_peak_kib, FMT_TERSE),
		fmt_kib(b, sizeof(b), r->pss_peak_kib, FMT_TERSE),
		fmt_kib(c, sizeof(c), r->pss_base_kib, FMT_TERSE),
		fmt_kib(d, sizeof(d), r->mem_per_task_kib, FMT_TERSE));
	fprintf(f,
		"           harness's own %s (outside per task)  kernel growth %s (system-wide)\n",
		fmt_kib(a, sizeof(a), r->harness_kib, FMT_TERSE),
		isfinite(r->kernel_kib) ? fmt_kib(b, sizeof(b), r->kernel_kib, FMT_TERSE) : "n/a");
	fprintf(f, "  Kernel   page tables %s  stacks %s  sockets %.0f, buffers %s  per task %s\n",
		fmt_kib(a, sizeof(a), r->pte_kib, FMT_TERSE),
		fmt_kib(b, sizeof(b), r->kstack_kib, FMT_TERSE), r->sockets,
		fmt_kib(c, sizeof(c), r->sock_kib, FMT_TERSE),
		fmt_kib(d, sizeof(d), r->kmem_per_task_kib, FMT_TERSE));
	fprintf(f, "  Tree     %.0f processes, %.0f threads at peak; set-up (not timed) %s\n",
		r->processes, r->threads, fmt_us(a, sizeof(a), r->setup_s * 1e6, FMT_TERSE));
	fprintf(f, "  Monitor  %.0f samples, %s of CPU (%.1f%% of the trial's)\n", r->samples,
		fmt_us(a, sizeof(a), r->monitor_cpu_s * 1e6, FMT_TERSE),
		r->cpu_user_s + r->cpu_sys_s > 0
			? 100 * r->monitor_cpu_s / (r->cpu_user_s + r->cpu_sys_s)
			: 0.0);
	fprintf(f, "  Tasks    %.0f released, %.0f completed, %.0f errors", r->tasks, r->completed,
		r->errors);
}

/* --side server: the placement, the load and what each side spent. */
static void text_server(FILE *f, const struct result_row *r)
{
	char a[32], b[32], c[32];

	fprintf(f,
		"  server: cpus %s, load generator cpus %s, %.0f connections (%s), %.0f "
		"answered\n",
		r->server_cpus, r->client_cpus, r->concurrency, r->client_conn, r->served);
	if (r->hold_connections > 0)
		fprintf(f, "  held:   %.0f of %.0f idle keep-alive connections open throughout\n",
			r->connections_held, r->hold_connections);
	fprintf(f, "  load:   send lag p99 %s%s, its own CPU %s per request\n",
		fmt_us(a, sizeof(a), r->send_lag_p99_us, FMT_TERSE),
		r->gen_behind > 0 ? " (BEHIND: this run enters no verdict)" : "",
		fmt_us(b, sizeof(b), r->gen_cpu_us_per_req, FMT_TERSE));
	fprintf(f, "  cost:   server CPU %s and %.2f context switches per request\n",
		fmt_us(c, sizeof(c), r->cpu_us_per_req, FMT_TERSE), r->ctx_per_req);
}

void result_print_text(FILE *f, const struct result_row *r)
{
	text_header(f, r);
	if (r->side[0] == 's')
		text_server(f, r);
	text_makespan(f, r);
	text_latency(f, r);
	text_resources(f, r);
	result_print_error_kinds(f, r);
	fprintf(f, "  Checksum %s\n", r->checksum);
	if (*r->workload_note)
		fprintf(f, "  Note: %s\n", r->workload_note);
}
