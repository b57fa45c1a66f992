/* cli.c - parsing and validating the flags of `cmbench run` (getopt_long;
 * a workload's own flags are added from its table), and the way back from
 * a run_cfg to the argv that reproduces it (cli_format.c). */
#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "../models/model.h"
#include "../workloads/workload.h"
#include "../lib/sched.h"
#include "cli_server.h"

int cli_parse_target(const char *s, struct run_cfg *cfg, char *err, size_t errlen)
{
	const char *host, *hend, *path, *colon;
	uint64_t port = 80;
	char portbuf[16];
	size_t hlen;

	if (strncmp(s, "http://", 7) != 0)
		return parse_fail(err, errlen, "--target: '%s' must start with http://", s);
	host = s + 7;
	if (strpbrk(host, "?#") && (!strchr(host, '/') || strpbrk(host, "?#") < strchr(host, '/')))
		return parse_fail(err, errlen, "--target: '%s' needs a / before its query", s);
	path = strchr(host, '/');
	hend = path ? path : host + strlen(host);
	if (*host == '[') { /* [v6]:port */
		const char *rb = memchr(host, ']', (size_t)(hend - host));

		if (!rb)
			return parse_fail(err, errlen, "--target: '%s' has an unclosed [", s);
		colon = rb[1] == ':' ? rb + 1 : NULL;
		if (!colon && rb + 1 != hend)
			return parse_fail(err, errlen,
					  "--target: '%s' is not http://HOST:PORT/PATH", s);
		hlen = (size_t)(rb - host - 1);
		host++;
	} else {
		colon = memchr(host, ':', (size_t)(hend - host));
		hlen = (size_t)((colon ? colon : hend) - host);
	}
	if (hlen == 0 || hlen >= sizeof(cfg->target_host))
		return parse_fail(err, errlen, "--target: '%s' has no host", s);
	if (colon) {
		size_t plen = (size_t)(hend - colon - 1);

		if (plen == 0 || plen >= sizeof(portbuf))
			return parse_fail(err, errlen, "--target: '%s' has a bad port", s);
		memcpy(portbuf, colon + 1, plen);
		portbuf[plen] = '\0';
		if (cli_parse_u64("--target port", portbuf, 1, 65535, &port, err, errlen))
			return -EINVAL;
	}
	if (path && strlen(path) >= sizeof(cfg->target_path))
		return parse_fail(err, errlen, "--target: the path of '%s' is too long", s);
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return parse_fail(err, errlen,
					  "--target: '%s' has a blank or control character", s);
	memcpy(cfg->target_host, host, hlen);
	cfg->target_host[hlen] = '\0';
	snprintf(cfg->target_port, sizeof(cfg->target_port), "%llu", (unsigned long long)port);
	snprintf(cfg->target_path, sizeof(cfg->target_path), "%s", path ? path : "/");
	cfg->target_external = true;
	return 0;
}

void cli_run_defaults(struct run_cfg *cfg)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	memset(cfg, 0, sizeof(*cfg));
	cfg->tasks = 1000;
	cfg->concurrency = 100;
	cfg->workers = n > 0 ? (uint64_t)n : 1;
	cfg->io_latency_us = 50000;
	cfg->payload = 256;
	cfg->keepalive = false;
	cfg->cpu_iters = CLI_DEFAULT_CPU_ITERS;
	cfg->timeout_us = 5000000;
	cfg->format = FMT_TEXT;
	snprintf(cfg->target_host, sizeof(cfg->target_host), "127.0.0.1");
	snprintf(cfg->target_path, sizeof(cfg->target_path), "/");
}

/* The flags every run has; a workload's own flags follow them. */
enum {
	O_MODEL = 256,
	O_WORKLOAD,
	O_TASKS,
	O_CONCURRENCY,
	O_WORKERS,
	O_IO_LATENCY,
	O_PAYLOAD,
	O_CONN,
	O_CPU,
	O_CPU_ITERS,
	O_TIMEOUT,
	O_TARGET,
	O_FORMAT,
	O_SPECTRUM,
	O_APPEND,
	O_SPAWN,
	O_RATE,
	O_ARRIVALS,
	O_SEED,
	O_DURATION,
	O_HOLD,
	O_PLATEAU,
	O_PY_BARE,
	O_SIDE, /* the server side's flags (cli_server.c), O_SIDE..O_PORT */
	O_CONNECTIONS,
	O_SERVER_CPUS,
	O_CLIENT_CPUS,
	O_CLIENT_CONN,
	O_HOLD_CONNS,
	O_THREADS,
	O_PORT,
	O_HELP,
	O_WL = 1000 /* + index into the list of workload flags */
};

static const struct option core_opts[] = {
	{ "model", required_argument, NULL, O_MODEL },
	{ "workload", required_argument, NULL, O_WORKLOAD },
	{ "tasks", required_argument, NULL, O_TASKS },
	{ "concurrency", required_argument, NULL, O_CONCURRENCY },
	{ "workers", required_argument, NULL, O_WORKERS },
	{ "io-latency", required_argument, NULL, O_IO_LATENCY },
	{ "payload", required_argument, NULL, O_PAYLOAD },
	{ "conn", required_argument, NULL, O_CONN },
	{ "cpu", required_argument, NULL, O_CPU },
	{ "cpu-iters", required_argument, NULL, O_CPU_ITERS },
	{ "timeout", required_argument, NULL, O_TIMEOUT },
	{ "target", required_argument, NULL, O_TARGET },
	{ "format", required_argument, NULL, O_FORMAT },
	{ "spectrum", required_argument, NULL, O_SPECTRUM },
	{ "append", required_argument, NULL, O_APPEND },
	{ "spawn", required_argument, NULL, O_SPAWN },
	{ "rate", required_argument, NULL, O_RATE },
	{ "arrivals", required_argument, NULL, O_ARRIVALS },
	{ "seed", required_argument, NULL, O_SEED },
	{ "duration", required_argument, NULL, O_DURATION },
	/* hidden, for the tests: each task holds K KiB (docs/testing.md) */
	{ "test-hold-kib", required_argument, NULL, O_HOLD },
	{ "plateau-samples", required_argument, NULL, O_PLATEAU },
	/* hidden, a measurement control: the instrument's share (docs/python.md) */
	{ "py-bare", no_argument, NULL, O_PY_BARE },
	{ "side", required_argument, NULL, O_SIDE },
	{ "connections", required_argument, NULL, O_CONNECTIONS },
	{ "server-cpus", required_argument, NULL, O_SERVER_CPUS },
	{ "client-cpus", required_argument, NULL, O_CLIENT_CPUS },
	{ "client-conn", required_argument, NULL, O_CLIENT_CONN },
	{ "hold-connections", required_argument, NULL, O_HOLD_CONNS },
	{ "threads", required_argument, NULL, O_THREADS },
	{ "port", required_argument, NULL, O_PORT },
	{ "help", no_argument, NULL, O_HELP },
};
#define N_CORE (sizeof(core_opts) / sizeof(core_opts[0]))

/* Every workload's flags, each name once, in table order. */
static size_t wl_flags_all(const struct wl_flag **out, size_t cap)
{
	size_t n = 0;

	for (size_t i = 0; workload_table[i]; i++) {
		const struct wl_flag *f = workload_table[i]->flags;

		for (; f && f->name; f++) {
			bool seen = false;

			for (size_t k = 0; k < n && !seen; k++)
				seen = strcmp(out[k]->name, f->name) == 0;
			if (!seen && n < cap)
				out[n++] = f;
		}
	}
	return n;
}

static const struct wl_flag *wl_flag_of(const struct workload_ops *wl, const char *name)
{
	for (const struct wl_flag *f = wl->flags; f && f->name; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

static void wl_defaults(struct run_cfg *cfg)
{
	for (const struct wl_flag *f = cfg->workload->flags; f && f->name; f++)
		if (f->type != WLF_STR)
			cfg->wl_num[f->slot] = f->def;
}

static int wl_flag_set(struct run_cfg *cfg, const struct wl_flag *f, const char *val, char *err,
		       size_t errlen)
{
	char flag[64];

	snprintf(flag, sizeof(flag), "--%s", f->name);
	switch (f->type) {
	case WLF_U64:
		return cli_parse_u64(flag, val, f->min, f->max, &cfg->wl_num[f->slot], err, errlen);
	case WLF_DURATION:
		return cli_parse_duration_us(flag, val, f->min, f->max, &cfg->wl_num[f->slot], err,
					     errlen);
	case WLF_CHOICE:
		for (uint64_t k = 0; f->choices[k]; k++)
			if (strcmp(f->choices[k], val) == 0) {
				cfg->wl_num[f->slot] = k;
				return 0;
			}
		return parse_fail(err, errlen, "%s: '%s' is not one of the choices (see --help)",
				  flag, val);
	case WLF_STR:
		if (strlen(val) >= sizeof(cfg->wl_str[0]))
			return parse_fail(err, errlen, "%s: the value is too long", flag);
		snprintf(cfg->wl_str[f->slot], sizeof(cfg->wl_str[0]), "%s", val);
		return 0;
	}
	return -EINVAL;
}

void cli_wl_defaults(struct run_cfg *cfg)
{
	wl_defaults(cfg);
}

int cli_wl_flag(struct run_cfg *cfg, const char *name, const char *val, char *err, size_t errlen)
{
	const struct wl_flag *f = wl_flag_of(cfg->workload, name);

	if (!f)
		return parse_fail(err, errlen, "workload %s has no flag --%s", cfg->workload->name,
				  name);
	return wl_flag_set(cfg, f, val, err, errlen);
}

static int parse_choice(const char *flag, const char *val, const char *const *names, int *out,
			char *err, size_t errlen)
{
	for (int i = 0; names[i]; i++)
		if (strcmp(names[i], val) == 0) {
			*out = i;
			return 0;
		}
	return parse_fail(err, errlen,
			  "%s: '%s' is not one of the choices (see cmbench run --help)", flag, val);
}

static const char *const conn_names[] = { "new", "keepalive", NULL };
static const char *const format_names[] = { "text", "csv", "json", NULL };
static const char *const spawn_names[] = { "fork", "exec", NULL };
static const char *const arrival_names[] = { "const", "poisson", NULL };

/* Tasks per second: a plain decimal in (0, 10^7]. */
static int parse_rate(const char *val, double *out, char *err, size_t errlen)
{
	char *end;
	double v;

	if (!isdigit((unsigned char)val[0]) && val[0] != '.')
		return parse_fail(err, errlen, "--rate: '%s' is not a number of tasks per second",
				  val);
	v = strtod(val, &end);
	if (*end != '\0' || !isfinite(v) || strpbrk(val, "eExXpP"))
		return parse_fail(err, errlen, "--rate: '%s' is not a number of tasks per second",
				  val);
	if (v <= 0 || v > 1e7)
		return parse_fail(err, errlen,
				  "--rate: %s is out of range (above 0, at most 10000000)", val);
	*out = v;
	return 0;
}

#define FLAG_NOT_MINE 1 /* a flag group's answer for a flag of another group */

/* The flags whose presence settle() weighs against each other, one bit
 * each in `seen`. */
enum cli_seen {
	SEEN_CPU = 1u << 0,	  /* --cpu */
	SEEN_CPU_ITERS = 1u << 1, /* --cpu-iters */
	SEEN_SPAWN = 1u << 2,	  /* --spawn */
	SEEN_RATE = 1u << 3,	  /* --rate */
	SEEN_ARRIVALS = 1u << 4,  /* --arrivals */
	SEEN_SEED = 1u << 5,	  /* --seed */
	SEEN_DURATION = 1u << 6,  /* --duration */
	SEEN_TASKS = 1u << 7,	  /* --tasks */
};

/* A flag that says what runs: model, workload and the work of a task.
 * 0, -EINVAL, or FLAG_NOT_MINE. */
static int work_flag(struct run_cfg *cfg, int id, const char *val, unsigned *seen, char *err,
		     size_t errlen)
{
	int k = 0, rc = 0;

	switch (id) {
	case O_MODEL: /* resolved in settle, once --side is known */
		cfg->model_arg = val;
		return 0;
	case O_WORKLOAD:
		cfg->workload = workload_find(val);
		return cfg->workload
			       ? 0
			       : parse_fail(err, errlen,
					    "--workload: unknown workload '%s' (see cmbench list)",
					    val);
	case O_CONCURRENCY:
		return cli_parse_u64("--concurrency", val, 1, 1000000, &cfg->concurrency, err,
				     errlen);
	case O_WORKERS:
		return cli_parse_u64("--workers", val, 1, 1024, &cfg->workers, err, errlen);
	case O_IO_LATENCY:
		return cli_parse_duration_us("--io-latency", val, 0, CLI_MAX_IO_LATENCY_US,
					     &cfg->io_latency_us, err, errlen);
	case O_PAYLOAD:
		return cli_parse_u64("--payload", val, 0, 1 << 30, &cfg->payload, err, errlen);
	case O_CONN:
		rc = parse_choice("--conn", val, conn_names, &k, err, errlen);
		cfg->keepalive = k == 1;
		return rc;
	case O_CPU:
		*seen |= SEEN_CPU;
		return cli_parse_duration_us("--cpu", val, 1, 60000000, &cfg->cpu_target_us, err,
					     errlen);
	case O_CPU_ITERS:
		*seen |= SEEN_CPU_ITERS;
		return cli_parse_u64("--cpu-iters", val, 1, 1000000000000ull, &cfg->cpu_iters, err,
				     errlen);
	}
	return FLAG_NOT_MINE;
}

/* A flag that says how the run goes: release, length, output. 0 or -EINVAL. */
static int run_flag(struct run_cfg *cfg, int id, const char *val, unsigned *seen, char *err,
		    size_t errlen)
{
	int k = 0, rc = 0;

	switch (id) {
	case O_TIMEOUT:
		return cli_parse_duration_us("--timeout", val, 1000, 3600000000ull,
					     &cfg->timeout_us, err, errlen);
	case O_TARGET:
		return cli_parse_target(val, cfg, err, errlen);
	case O_FORMAT:
		rc = parse_choice("--format", val, format_names, &k, err, errlen);
		cfg->format = (enum out_format)k;
		return rc;
	case O_SPAWN:
		*seen |= SEEN_SPAWN;
		rc = parse_choice("--spawn", val, spawn_names, &k, err, errlen);
		cfg->spawn_exec = k == 1;
		return rc;
	case O_RATE:
		*seen |= SEEN_RATE;
		return parse_rate(val, &cfg->rate_tps, err, errlen);
	case O_ARRIVALS:
		*seen |= SEEN_ARRIVALS;
		rc = parse_choice("--arrivals", val, arrival_names, &k, err, errlen);
		cfg->poisson = k == 1;
		return rc;
	case O_SEED:
		*seen |= SEEN_SEED;
		return cli_parse_u64("--seed", val, 0, UINT64_MAX, &cfg->seed, err, errlen);
	case O_DURATION:
		*seen |= SEEN_DURATION;
		return cli_parse_duration_us("--duration", val, 1000, 86400000000ull,
					     &cfg->duration_us, err, errlen);
	case O_TASKS:
		*seen |= SEEN_TASKS;
		return cli_parse_u64("--tasks", val, 1, 100000000, &cfg->tasks, err, errlen);
	case O_HOLD:
		return cli_parse_u64("--test-hold-kib", val, 0, 1 << 20, &cfg->hold_kib, err,
				     errlen);
	case O_PLATEAU:
		return cli_parse_u64("--plateau-samples", val, 0, 1000, &cfg->plateau_samples, err,
				     errlen);
	case O_PY_BARE:
		cfg->py_bare = true;
		return 0;
	case O_SPECTRUM:
		cfg->spectrum_path = val;
		return 0;
	case O_APPEND:
		cfg->append_path = val;
		return 0;
	}
	if (id >= O_SIDE && id <= O_PORT)
		return cli_server_flag(cfg, core_opts[id - O_MODEL].name, val, err, errlen);
	return -EINVAL;
}

/* One core flag. */
static int core_flag(struct run_cfg *cfg, int id, const char *val, unsigned *seen, char *err,
		     size_t errlen)
{
	int rc = work_flag(cfg, id, val, seen, err, errlen);

	return rc == FLAG_NOT_MINE ? run_flag(cfg, id, val, seen, err, errlen) : rc;
}

/* The option table: the core flags, then every workload's. */
static struct option *build_options(const struct wl_flag **wlf, size_t *nwl)
{
	struct option *o;

	*nwl = wl_flags_all(wlf, CLI_WL_FLAGS_MAX);
	o = calloc(N_CORE + *nwl + 1, sizeof(*o));
	if (!o)
		return NULL;
	memcpy(o, core_opts, sizeof(core_opts));
	for (size_t i = 0; i < *nwl; i++)
		o[N_CORE + i] =
			(struct option){ wlf[i]->name, required_argument, NULL, O_WL + (int)i };
	return o;
}

/* The workload's own flags, applied once the workload is known. */
static int apply_wl_flags(struct run_cfg *cfg, const char **wlval, const struct wl_flag **wlf,
			  size_t nwl, char *err, size_t errlen)
{
	wl_defaults(cfg);
	for (size_t i = 0; i < nwl; i++) {
		const struct wl_flag *f;

		if (!wlval[i])
			continue;
		f = wl_flag_of(cfg->workload, wlf[i]->name);
		if (!f)
			return parse_fail(err, errlen, "--%s: not a flag of workload %s",
					  wlf[i]->name, cfg->workload->name);
		if (wl_flag_set(cfg, f, wlval[i], err, errlen))
			return -EINVAL;
	}
	return 0;
}

/* What the model and workload make of the rest. */
static int settle(struct run_cfg *cfg, unsigned seen, char *err, size_t errlen)
{
	if (!cfg->model_arg)
		return parse_fail(err, errlen, "run: --model is required (see cmbench list)");
	if (cli_server_model(cfg, err, errlen) < 0)
		return -EINVAL;
	if (!cfg->model)
		return parse_fail(err, errlen, "--model: unknown model '%s' (see cmbench list)",
				  cfg->model_arg);
	if (!cfg->workload)
		return parse_fail(err, errlen, "run: --workload is required (see cmbench list)");
	if ((seen & SEEN_CPU) && (seen & SEEN_CPU_ITERS))
		return parse_fail(err, errlen, "--cpu and --cpu-iters: give one or the other");
	if ((seen & (SEEN_ARRIVALS | SEEN_SEED | SEEN_DURATION)) && !(seen & SEEN_RATE))
		return parse_fail(err, errlen, "--arrivals, --seed and --duration need --rate");
	if ((seen & SEEN_DURATION) && (seen & SEEN_TASKS))
		return parse_fail(err, errlen, "--tasks and --duration: give one or the other");
	if (seen & SEEN_DURATION) {
		double n = ceil(cfg->rate_tps * (double)cfg->duration_us / 1e6);

		if (n < 1 || n > SCHED_MAX_TASKS)
			return parse_fail(err, errlen,
					  "--duration: rate x duration is %.0f tasks (1 to %d)", n,
					  SCHED_MAX_TASKS);
		cfg->tasks = (uint64_t)n;
	}
	if (cfg->rate_tps > 0 && cfg->tasks > SCHED_MAX_TASKS)
		return parse_fail(err, errlen, "--tasks: an open-loop run takes at most %d tasks",
				  SCHED_MAX_TASKS);
	if ((seen & SEEN_RATE) && !cfg->model->open_loop)
		return parse_fail(
			err, errlen,
			"--rate: model %s cannot keep an arrival schedule; it runs batches only",
			cfg->model->name);
	if ((seen & SEEN_SPAWN) && !cfg->model->spawns)
		return parse_fail(err, errlen, "--spawn: model %s starts no process per task",
				  cfg->model->name);
	if (cfg->py_bare && !cfg->model->foreign)
		return parse_fail(err, errlen,
				  "--py-bare: model %s is no foreign program; the control is "
				  "theirs only",
				  cfg->model->name);
	if (cfg->server && cli_server_settle(cfg, (seen & SEEN_RATE) != 0, err, errlen) < 0)
		return -EINVAL;
	if (cfg->model->one_slot && !cfg->server)
		cfg->concurrency = 1;
	if (!cfg->workload->does_cpu) {
		cfg->cpu_iters = 0;
		cfg->cpu_target_us = 0;
	}
	if (!cfg->workload->does_io) {
		cfg->io_latency_us = 0;
		cfg->payload = 0;
	}
	return 0;
}

static int parse_loop(int argc, char **argv, struct run_cfg *cfg, const struct option *opts,
		      const char **wlval, unsigned *seen, char *err, size_t errlen)
{
	int c, idx;

	optind = 0; /* GNU: start afresh, the parser may run more than once */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:h", opts, &idx)) != -1) {
		const char *arg = argv[optind - 1];

		if (c == O_HELP || c == 'h')
			return 1;
		if (c == '?')
			return parse_fail(err, errlen, "run: unknown flag '%s'", arg);
		if (c == ':')
			return parse_fail(err, errlen, "%s: needs a value", arg);
		if (c >= O_WL) {
			wlval[c - O_WL] = optarg;
			continue;
		}
		if (core_flag(cfg, c, optarg, seen, err, errlen))
			return -EINVAL;
	}
	if (optind < argc)
		return parse_fail(err, errlen, "run: unexpected argument '%s'", argv[optind]);
	return 0;
}

int cli_parse_run(int argc, char **argv, struct run_cfg *cfg, char *err, size_t errlen)
{
	const struct wl_flag *wlf[CLI_WL_FLAGS_MAX];
	const char *wlval[CLI_WL_FLAGS_MAX] = { 0 };
	unsigned seen = 0;
	struct option *opts;
	size_t nwl;
	int rc;

	cli_run_defaults(cfg);
	opts = build_options(wlf, &nwl);
	if (!opts)
		return parse_fail(err, errlen, "run: out of memory");
	rc = parse_loop(argc, argv, cfg, opts, wlval, &seen, err, errlen);
	free(opts);
	if (rc)
		return rc;
	rc = settle(cfg, seen, err, errlen);
	if (rc == 0)
		rc = apply_wl_flags(cfg, wlval, wlf, nwl, err, errlen);
	if (rc == 0 && cfg->model->check)
		rc = cfg->model->check(cfg, err, errlen);
	return rc;
}

int cli_check_fd_limit(const struct run_cfg *cfg, char *err, size_t errlen)
{
	struct rlimit rl;
	uint64_t need;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return 0;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	/* one socket per task in flight in each process, plus what the
	 * process itself holds (a loop per worker process holds its share) */
	need = model_tasks_per_process(cfg->model, cfg) + 64;
	if (cfg->workload->does_io && rl.rlim_cur != RLIM_INFINITY && need > rl.rlim_cur)
		return parse_fail(
			err, errlen,
			"--concurrency: %llu is above the open-file limit (%llu, hard limit %llu, "
			"with 64 kept in reserve; %llu of them in one process)",
			(unsigned long long)cfg->concurrency, (unsigned long long)rl.rlim_cur,
			(unsigned long long)rl.rlim_max, (unsigned long long)(need - 64));
	return 0;
}
