/* cli_format.c - from a run_cfg back to the argv of `cmbench run` that
 * reproduces it: how a sweep turns each cell into a run, and how a model
 * that re-executes the binary passes its parameters on. One parameter type
 * from spec to argv. Also the --help text of `cmbench run`. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../models/model.h"
#include "../workloads/workload.h"
#include "cli.h"

struct argv_b {
	char **v;
	size_t n, cap;
	bool oom;
};

static void push(struct argv_b *b, const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;
	int rc;

	if (b->oom)
		return;
	if (b->n + 2 > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 32;
		char **v = realloc(b->v, cap * sizeof(*v));

		if (!v) {
			b->oom = true;
			return;
		}
		b->v = v;
		b->cap = cap;
	}
	va_start(ap, fmt);
	rc = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (rc < 0) {
		b->oom = true;
		return;
	}
	b->v[b->n++] = s;
	b->v[b->n] = NULL;
}

static void push_u64(struct argv_b *b, const char *flag, uint64_t v)
{
	push(b, "%s", flag);
	push(b, "%llu", (unsigned long long)v);
}

static void push_us(struct argv_b *b, const char *flag, uint64_t us)
{
	push(b, "%s", flag);
	push(b, "%lluus", (unsigned long long)us);
}

static void push_target(struct argv_b *b, const struct run_cfg *cfg)
{
	bool v6 = strchr(cfg->target_host, ':') != NULL;

	push(b, "--target");
	push(b, "http://%s%s%s:%s%s", v6 ? "[" : "", cfg->target_host, v6 ? "]" : "",
	     cfg->target_port, cfg->target_path);
}

static void push_wl_flags(struct argv_b *b, const struct run_cfg *cfg)
{
	for (const struct wl_flag *f = cfg->workload->flags; f && f->name; f++) {
		uint64_t v = cfg->wl_num[f->slot];

		push(b, "--%s", f->name);
		if (f->type == WLF_STR)
			push(b, "%s", cfg->wl_str[f->slot]);
		else if (f->type == WLF_CHOICE)
			push(b, "%s", f->choices[v]);
		else if (f->type == WLF_DURATION)
			push(b, "%lluus", (unsigned long long)v);
		else
			push(b, "%llu", (unsigned long long)v);
	}
}

/* --side server's flags (docs/servers.md) */
static void push_server(struct argv_b *b, const struct run_cfg *cfg)
{
	push(b, "--side");
	push(b, CFG_SIDE_SERVER);
	push_u64(b, "--connections", cfg->concurrency);
	push(b, "--client-conn");
	push(b, cfg->client_new ? "new" : "keepalive");
	if (cfg->hold_conns)
		push_u64(b, "--hold-connections", cfg->hold_conns);
	if (cfg->port)
		push_u64(b, "--port", cfg->port);
	if (cfg->threads)
		push_u64(b, "--threads", cfg->threads);
	push(b, "--server-cpus");
	push(b, "%s", cfg->server_cpus);
	push(b, "--client-cpus");
	push(b, "%s", cfg->client_cpus);
}

static const char *const format_names[] = { "text", "csv", "json" };

char **cli_format_run(const struct run_cfg *cfg)
{
	struct argv_b b = { 0 };

	push(&b, "run");
	push(&b, "--model");
	push(&b, "%s", cfg->model->name);
	push(&b, "--workload");
	push(&b, "%s", cfg->workload->name);
	push_u64(&b, "--tasks", cfg->tasks);
	push_u64(&b, "--concurrency", cfg->concurrency);
	push_u64(&b, "--workers", cfg->workers);
	if (cfg->server)
		push_server(&b, cfg);
	if (cfg->workload->does_io) {
		push_us(&b, "--io-latency", cfg->io_latency_us);
		push_u64(&b, "--payload", cfg->payload);
		push(&b, "--conn");
		push(&b, cfg->keepalive ? "keepalive" : "new");
	}
	if (cfg->workload->does_cpu && cfg->cpu_target_us)
		push_us(&b, "--cpu", cfg->cpu_target_us);
	else if (cfg->workload->does_cpu)
		push_u64(&b, "--cpu-iters", cfg->cpu_iters);
	push_us(&b, "--timeout", cfg->timeout_us);
	if (cfg->rate_tps > 0) {
		push(&b, "--rate");
		push(&b, "%.17g", cfg->rate_tps);
		push(&b, "--arrivals");
		push(&b, cfg->poisson ? "poisson" : "const");
		push_u64(&b, "--seed", cfg->seed);
	}
	if (cfg->model->spawns) {
		push(&b, "--spawn");
		push(&b, cfg->spawn_exec ? "exec" : "fork");
	}
	if (cfg->target_external)
		push_target(&b, cfg);
	push_wl_flags(&b, cfg);
	if (cfg->hold_kib)
		push_u64(&b, "--test-hold-kib", cfg->hold_kib);
	if (cfg->plateau_samples)
		push_u64(&b, "--plateau-samples", cfg->plateau_samples);
	if (cfg->py_bare)
		push(&b, "--py-bare");
	push(&b, "--format");
	push(&b, "%s", format_names[cfg->format]);
	if (cfg->spectrum_path) {
		push(&b, "--spectrum");
		push(&b, "%s", cfg->spectrum_path);
	}
	if (cfg->append_path) {
		push(&b, "--append");
		push(&b, "%s", cfg->append_path);
	}
	if (b.oom) {
		cli_argv_free(b.v);
		return NULL;
	}
	return b.v;
}

void cli_argv_free(char **argv)
{
	for (size_t i = 0; argv && argv[i]; i++)
		free(argv[i]);
	free(argv);
}

void cli_run_usage(FILE *f)
{
	fprintf(f,
		"usage: cmbench run --model M --workload W [--tasks N] [--concurrency C] "
		"[--workers W]\n"
		"                   [--io-latency 50ms] [--payload 256] [--conn new|keepalive]\n"
		"                   [--cpu 200us | --cpu-iters N] [--timeout 5s] [--target URL]\n"
		"                   [--format text|csv|json] [--append FILE] [--spectrum FILE]\n"
		"                   [--spawn fork|exec] (models that start a process per task)\n"
		"                   [--plateau-samples N] (hold the wave for N memory samples)\n"
		"                   [--rate R [--arrivals const|poisson] [--seed N] [--duration "
		"D]]\n"
		"                   [--side client|server] (server: --model names a server model,\n"
		"                    cmbench list servers; needs --rate) [--connections K]\n"
		"                   [--client-conn keepalive|new] [--hold-connections N]\n"
		"                   [--server-cpus LIST] [--client-cpus LIST] [--port P]\n"
		"                   [--threads T] (a Python stack's handler threads)\n"
		"                   (docs/servers.md)\n"
		"Defaults: --tasks 1000 --concurrency 100 (one-slot models: 1) --workers <CPUs>\n"
		"          --io-latency 50ms --payload 256 --conn new --cpu-iters %d --timeout "
		"5s\n",
		CLI_DEFAULT_CPU_ITERS);
	for (size_t i = 0; workload_table[i]; i++) {
		const struct workload_ops *w = workload_table[i];

		for (const struct wl_flag *fl = w->flags; fl && fl->name; fl++) {
			char flag[64];

			snprintf(flag, sizeof(flag), "--%s %s", fl->name, fl->arg);
			fprintf(f, "  %-26s (workload %s) %s\n", flag, w->name, fl->help);
		}
	}
}
