/* ceiling_flags.c - the flags of `cmbench ceiling`: the models and
 * workloads (by default, by trait: C's own models that hold more than one
 * task, the workloads that wait without working), the memory budget (half
 * the machine's by default), the range of C and the hold; bad input is one
 * line and exit 2. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../models/model.h"
#include "../../workloads/workload.h"
#include "../cli.h"
#include "ceiling.h"
#include "../../lib/cmdutil.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: cmbench ceiling [-o DIR] [--models M,M] [--workloads W,W] [--mem-budget "
		"SIZE]\n"
		"                       [--cap N] [--from N] [--hold D] [--probe-timeout D] "
		"[--keep-limits]\n"
		"  -o DIR            the result set to add ceiling.csv to (default "
		"results/<UTC time>-ceiling)\n"
		"  --models LIST     comma-separated (default: every model that holds more than "
		"one "
		"task, C's own)\n"
		"  --workloads LIST  comma-separated workloads that can wait (default: the plain "
		"io "
		"and the timer-only wait)\n"
		"  --mem-budget SIZE the most memory a probe may use, like 4G or 512M (default: "
		"half "
		"of the machine's)\n"
		"  --cap N           the largest concurrency tried (default %d)\n"
		"  --from N          the first probe's concurrency (default %d)\n"
		"  --hold D          how long each task waits (default 2s, plus %d us a task)\n"
		"  --probe-timeout D one probe's deadline (default 60s plus 4 x the hold)\n"
		"  --keep-limits     leave RLIMIT_NOFILE and RLIMIT_NPROC as they are (by default "
		"they are\n"
		"                    raised: soft and, where permitted, hard, up to fs.nr_open)\n",
		CEIL_CAP, CEIL_FROM, CEIL_HOLD_PER_TASK_US);
}

/* SIZE: a whole number with K, M, G or T (KiB ... TiB; "iB" may follow). */
static int parse_size_kib(const char *s, unsigned long long *kib)
{
	char *e;
	unsigned long long v;
	double mul;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &e, 10);
	if (errno)
		return -EINVAL;
	switch (*e) {
	case 'K':
		mul = 1;
		break;
	case 'M':
		mul = 1024;
		break;
	case 'G':
		mul = 1024.0 * 1024;
		break;
	case 'T':
		mul = 1024.0 * 1024 * 1024;
		break;
	default:
		return -EINVAL;
	}
	e++;
	if (*e && strcmp(e, "iB") != 0 && strcmp(e, "B") != 0)
		return -EINVAL;
	if ((double)v * mul > 1e15 || v == 0)
		return -EINVAL;
	*kib = (unsigned long long)((double)v * mul);
	return 0;
}

/* A comma-separated list of names through find() into out. */
static int parse_list(const char *flag, const char *s, const void **out, size_t *n,
		      const void *(*find)(const char *))
{
	char buf[1024], *save = NULL, *tok;

	snprintf(buf, sizeof(buf), "%s", s);
	*n = 0;
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		const void *p = find(tok);

		if (!p) {
			cmd_say("ceiling", "%s: no such name '%s' (see cmbench list)", flag, tok);
			return -CMD_EUSAGE;
		}
		if (*n == CEIL_MODELS_MAX) {
			cmd_say("ceiling", "%s: at most %d names", flag, CEIL_MODELS_MAX);
			return -CMD_EUSAGE;
		}
		out[(*n)++] = p;
	}
	if (*n == 0) {
		cmd_say("ceiling", "%s: empty list", flag);
		return -CMD_EUSAGE;
	}
	return 0;
}

static const void *find_model(const char *n)
{
	return model_find(n);
}

static const void *find_wl(const char *n)
{
	return workload_find(n);
}

static int parse_count(const char *flag, const char *s, unsigned long long *out)
{
	char err[256];
	uint64_t v;

	if (cli_parse_u64(flag, s, 1, 10000000, &v, err, sizeof(err))) {
		cmd_say("ceiling", "%s", err);
		return -CMD_EUSAGE;
	}
	*out = v;
	return 0;
}

static int parse_dur(const char *flag, const char *s, unsigned long long *out)
{
	char err[256];
	uint64_t v;

	if (cli_parse_duration_us(flag, s, 1000, 3600000000ull, &v, err, sizeof(err))) {
		cmd_say("ceiling", "%s", err);
		return -CMD_EUSAGE;
	}
	*out = v;
	return 0;
}

static int take_flag(struct ceiling *cl, int c, const char *v)
{
	switch (c) {
	case 'h':
		usage(stdout);
		return 1;
	case 'o':
		cl->out_arg = v;
		return 0;
	case 'm':
		return parse_list("--models", v, (const void **)cl->models, &cl->nmodels,
				  find_model);
	case 'w':
		return parse_list("--workloads", v, (const void **)cl->wls, &cl->nwls, find_wl);
	case 'b':
		if (parse_size_kib(v, &cl->budget_kib) == 0)
			return 0;
		cmd_say("ceiling", "--mem-budget: '%s' is not a size (like 4G, 512M)", v);
		return -CMD_EUSAGE;
	case 'c':
		return parse_count("--cap", v, &cl->cap);
	case 'f':
		return parse_count("--from", v, &cl->from);
	case 'H':
		return parse_dur("--hold", v, &cl->hold_us);
	case 't':
		return parse_dur("--probe-timeout", v, &cl->probe_timeout_us);
	case 'k':
		cl->keep_limits = true;
		return 0;
	default:
		return -CMD_EUSAGE;
	}
}

/* The defaults by trait: C's own models that hold more than one task,
 * the workloads that wait without working (a wait to hold tasks with, no
 * CPU, no library call). */
static void defaults(struct ceiling *cl)
{
	if (cl->nmodels == 0)
		for (size_t i = 0; model_table[i] && cl->nmodels < CEIL_MODELS_MAX; i++)
			if (!model_table[i]->foreign && !model_table[i]->one_slot)
				cl->models[cl->nmodels++] = model_table[i];
	if (cl->nwls == 0)
		for (size_t i = 0; workload_table[i] && cl->nwls < CEIL_MODELS_MAX; i++) {
			const struct workload_ops *w = workload_table[i];

			if (!w->does_cpu && !w->blocking_only &&
			    (w->hold_flag || (w->does_io && w == workload_by_parts(true, false))))
				cl->wls[cl->nwls++] = w;
		}
}

static int check_input(struct ceiling *cl)
{
	char a[32], b[32];

	for (size_t i = 0; i < cl->nwls; i++)
		if (cl->wls[i]->does_cpu || cl->wls[i]->blocking_only ||
		    !(cl->wls[i]->does_io || cl->wls[i]->hold_flag)) {
			cmd_say("ceiling",
				"--workloads: %s cannot hold a task without working (no wait of "
				"its "
				"own)",
				cl->wls[i]->name);
			return -CMD_EUSAGE;
		}
	for (size_t i = 0; i < cl->nmodels; i++) {
		if (cl->models[i]->one_slot) {
			cmd_say("ceiling", "--models: %s holds one task at a time",
				cl->models[i]->name);
			return -CMD_EUSAGE;
		}
		for (size_t k = 0; k < cl->nwls; k++)
			if (!model_takes(cl->models[i], cl->wls[k])) {
				cmd_say("ceiling",
					"--models: %s cannot hold %s tasks (its program "
					"does not run that workload)",
					cl->models[i]->name, cl->wls[k]->name);
				return -CMD_EUSAGE;
			}
	}
	if (cl->lim.mem_total_kib == 0) {
		cmd_say("ceiling", "cannot read MemTotal from /proc/meminfo");
		return -EIO;
	}
	if (cl->budget_kib == 0)
		cl->budget_kib = cl->lim.mem_total_kib / 2;
	if (cl->budget_kib > cl->lim.mem_total_kib) {
		cmd_say("ceiling", "--mem-budget: %s is more than this machine's memory (%s)",
			ceiling_fmt_kib(a, sizeof(a), cl->budget_kib),
			ceiling_fmt_kib(b, sizeof(b), cl->lim.mem_total_kib));
		return -CMD_EUSAGE;
	}
	if (cl->from > cl->cap) {
		cmd_say("ceiling", "--from %llu is above --cap %llu", cl->from, cl->cap);
		return -CMD_EUSAGE;
	}
	return 0;
}

int ceiling_parse_args(struct ceiling *cl, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "output", required_argument, NULL, 'o' },
		{ "models", required_argument, NULL, 'm' },
		{ "workloads", required_argument, NULL, 'w' },
		{ "mem-budget", required_argument, NULL, 'b' },
		{ "cap", required_argument, NULL, 'c' },
		{ "from", required_argument, NULL, 'f' },
		{ "hold", required_argument, NULL, 'H' },
		{ "probe-timeout", required_argument, NULL, 't' },
		{ "keep-limits", no_argument, NULL, 'k' },
		{ NULL, 0, NULL, 0 },
	};
	int c, rc;

	optind = 0;
	while ((c = cmd_getopt("ceiling", argc, argv, "ho:", opts)) != -1)
		if ((rc = take_flag(cl, c, optarg)))
			return rc;
	if (optind < argc) {
		cmd_say("ceiling", "unexpected argument '%s'", argv[optind]);
		return -CMD_EUSAGE;
	}
	defaults(cl);
	return check_input(cl);
}
