/* cli_shim.c - TEMPORARY: see cli_shim.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../models/model.h"
#include "../../workloads/workload.h"
#include "cli_shim.h"

static int add(char ***v, size_t *n, const char *s)
{
	char **nv = realloc(*v, (*n + 2) * sizeof(*nv));

	if (!nv)
		return -1;
	*v = nv;
	nv[*n] = strdup(s);
	nv[*n + 1] = NULL;
	return nv[(*n)++] ? 0 : -1;
}

static int addf(char ***v, size_t *n, const char *flag, unsigned long long x, const char *unit)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%llu%s", x, unit);
	return add(v, n, flag) || add(v, n, buf);
}

__attribute__((weak)) char **cli_format_run(const struct run_cfg *c)
{
	static const char *const fmts[] = { "text", "csv", "json" };
	char **v = NULL;
	size_t n = 0;
	int bad = add(&v, &n, "run") + add(&v, &n, "--model") + add(&v, &n, c->model->name) +
		  add(&v, &n, "--workload") + add(&v, &n, c->workload->name) +
		  addf(&v, &n, "--tasks", c->tasks, "") +
		  addf(&v, &n, "--concurrency", c->concurrency, "") +
		  addf(&v, &n, "--workers", c->workers, "");

	if (c->workload->does_io)
		bad += addf(&v, &n, "--io-latency", c->io_latency_us, "us") +
		       addf(&v, &n, "--payload", c->payload, "") + add(&v, &n, "--conn") +
		       add(&v, &n, c->keepalive ? "keepalive" : "new");
	if (c->workload->does_cpu)
		bad += addf(&v, &n, "--cpu-iters", c->cpu_iters, "");
	bad += addf(&v, &n, "--timeout", c->timeout_us, "us") + add(&v, &n, "--format") +
	       add(&v, &n, fmts[c->format]);
	if (c->append_path)
		bad += add(&v, &n, "--append") + add(&v, &n, c->append_path);
	if (c->spectrum_path)
		bad += add(&v, &n, "--spectrum") + add(&v, &n, c->spectrum_path);
	if (bad) {
		cli_argv_free(v);
		return NULL;
	}
	return v;
}

__attribute__((weak)) void cli_argv_free(char **argv)
{
	for (size_t i = 0; argv && argv[i]; i++)
		free(argv[i]);
	free(argv);
}
