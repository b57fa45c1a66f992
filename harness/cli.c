/* cli.c - parsing and validating the flags of `cmbench run`. */
#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "../models/model.h"
#include "../workloads/workload.h"

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return 2;
}

int cli_parse_u64(const char *flag, const char *s, uint64_t min, uint64_t max, uint64_t *out,
		  char *err, size_t errlen)
{
	unsigned long long v;
	char *end;

	if (!s || !isdigit((unsigned char)s[0]))
		return fail(err, errlen, "%s: '%s' is not a whole number", flag, s ? s : "");
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno == ERANGE || *end != '\0')
		return fail(err, errlen, "%s: '%s' is not a whole number", flag, s);
	if (v < min || v > max)
		return fail(err, errlen, "%s: %s is out of range (%llu to %llu)", flag, s,
			    (unsigned long long)min, (unsigned long long)max);
	*out = v;
	return 0;
}

int cli_parse_duration_us(const char *flag, const char *s, uint64_t min_us, uint64_t max_us,
			  uint64_t *out, char *err, size_t errlen)
{
	static const struct {
		const char *unit;
		double us;
	} units[] = { { "ns", 1e-3 }, { "us", 1 }, { "ms", 1e3 }, { "s", 1e6 } };
	double v = -1;
	const char *numend;
	char *end;
	size_t i;

	if (!s || !(isdigit((unsigned char)s[0]) || s[0] == '.'))
		return fail(err, errlen, "%s: '%s' is not a duration (like 500us, 50ms, 2s)", flag,
			    s ? s : "");
	/* plain decimals only: no exponent, hex, sign or blanks */
	for (numend = s; isdigit((unsigned char)*numend) || *numend == '.'; numend++)
		;
	errno = 0;
	v = strtod(s, &end);
	if (errno == ERANGE || end != numend || !isfinite(v) || strchr(s, '.') != strrchr(s, '.'))
		return fail(err, errlen, "%s: '%s' is not a duration (like 500us, 50ms, 2s)", flag,
			    s);
	if (*end == '\0' && v == 0) {
		if (min_us > 0)
			return fail(err, errlen, "%s: '%s' must be more than zero", flag, s);
		*out = 0;
		return 0;
	}
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcmp(end, units[i].unit) == 0)
			break;
	if (i == sizeof(units) / sizeof(units[0]))
		return fail(err, errlen, "%s: '%s' needs a unit: ns, us, ms or s (like 50ms)", flag,
			    s);
	v = round(v * units[i].us);
	/* 2^64 as a double: (double)UINT64_MAX rounds up to it */
	if (v < (double)min_us || v > (double)max_us || v >= 18446744073709551616.0)
		return fail(err, errlen, "%s: %s is out of range (%lluus to %lluus)", flag, s,
			    (unsigned long long)min_us, (unsigned long long)max_us);
	*out = (uint64_t)v;
	return 0;
}

int cli_parse_target(const char *s, struct run_cfg *cfg, char *err, size_t errlen)
{
	const char *host, *hend, *path, *colon;
	uint64_t port = 80;
	char portbuf[16];
	size_t hlen;

	if (strncmp(s, "http://", 7) != 0)
		return fail(err, errlen, "--target: '%s' must start with http://", s);
	host = s + 7;
	if (strpbrk(host, "?#") && (!strchr(host, '/') || strpbrk(host, "?#") < strchr(host, '/')))
		return fail(err, errlen, "--target: '%s' needs a / before its query", s);
	path = strchr(host, '/');
	hend = path ? path : host + strlen(host);
	if (*host == '[') { /* [v6]:port */
		const char *rb = memchr(host, ']', (size_t)(hend - host));

		if (!rb)
			return fail(err, errlen, "--target: '%s' has an unclosed [", s);
		colon = rb[1] == ':' ? rb + 1 : NULL;
		if (!colon && rb + 1 != hend)
			return fail(err, errlen, "--target: '%s' is not http://HOST:PORT/PATH", s);
		hlen = (size_t)(rb - host - 1);
		host++;
	} else {
		colon = memchr(host, ':', (size_t)(hend - host));
		hlen = (size_t)((colon ? colon : hend) - host);
	}
	if (hlen == 0 || hlen >= sizeof(cfg->target_host))
		return fail(err, errlen, "--target: '%s' has no host", s);
	if (colon) {
		size_t plen = (size_t)(hend - colon - 1);

		if (plen == 0 || plen >= sizeof(portbuf))
			return fail(err, errlen, "--target: '%s' has a bad port", s);
		memcpy(portbuf, colon + 1, plen);
		portbuf[plen] = '\0';
		if (cli_parse_u64("--target port", portbuf, 1, 65535, &port, err, errlen))
			return 2;
	}
	if (path && strlen(path) >= sizeof(cfg->target_path))
		return fail(err, errlen, "--target: the path of '%s' is too long", s);
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return fail(err, errlen, "--target: '%s' has a blank or control character",
				    s);
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

/* --flag VALUE or --flag=VALUE; advances *i past what it used. */
static const char *flag_value(int argc, char **argv, int *i, const char *arg, const char **name,
			      char *namebuf, size_t namelen)
{
	const char *eq = strchr(arg, '=');

	if (eq) {
		size_t n = (size_t)(eq - arg);

		if (n >= namelen)
			n = namelen - 1;
		memcpy(namebuf, arg, n);
		namebuf[n] = '\0';
		*name = namebuf;
		return eq + 1;
	}
	*name = arg;
	if (*i + 1 >= argc)
		return NULL;
	return argv[++*i];
}

int cli_parse_run(int argc, char **argv, struct run_cfg *cfg, char *err, size_t errlen)
{
	bool model_set = false, workload_set = false, iters_set = false, cpu_set = false;
	char namebuf[64];
	const char *name, *val;
	int rc = 0;

	cli_run_defaults(cfg);
	for (int i = 1; i < argc && rc == 0; i++) {
		const char *arg = argv[i];

		if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0)
			return 1;
		if (strncmp(arg, "--", 2) != 0)
			return fail(err, errlen, "run: unexpected argument '%s'", arg);
		val = flag_value(argc, argv, &i, arg, &name, namebuf, sizeof(namebuf));
		if (!val)
			return fail(err, errlen, "%s: needs a value", name);
		if (strcmp(name, "--model") == 0) {
			cfg->model = model_find(val);
			if (!cfg->model)
				return fail(err, errlen,
					    "--model: unknown model '%s' (see cmbench list)", val);
			model_set = true;
		} else if (strcmp(name, "--workload") == 0) {
			cfg->workload = workload_find(val);
			if (!cfg->workload)
				return fail(err, errlen,
					    "--workload: unknown workload '%s' (see cmbench list)",
					    val);
			workload_set = true;
		} else if (strcmp(name, "--tasks") == 0) {
			rc = cli_parse_u64(name, val, 1, 100000000, &cfg->tasks, err, errlen);
		} else if (strcmp(name, "--concurrency") == 0) {
			rc = cli_parse_u64(name, val, 1, 1000000, &cfg->concurrency, err, errlen);
		} else if (strcmp(name, "--workers") == 0) {
			rc = cli_parse_u64(name, val, 1, 1024, &cfg->workers, err, errlen);
		} else if (strcmp(name, "--io-latency") == 0) {
			rc = cli_parse_duration_us(name, val, 0, 3600000000ull, &cfg->io_latency_us,
						   err, errlen);
		} else if (strcmp(name, "--payload") == 0) {
			rc = cli_parse_u64(name, val, 0, 1 << 30, &cfg->payload, err, errlen);
		} else if (strcmp(name, "--conn") == 0) {
			if (strcmp(val, "new") == 0)
				cfg->keepalive = false;
			else if (strcmp(val, "keepalive") == 0)
				cfg->keepalive = true;
			else
				return fail(err, errlen, "--conn: '%s' is not new or keepalive",
					    val);
		} else if (strcmp(name, "--cpu") == 0) {
			rc = cli_parse_duration_us(name, val, 1, 60000000, &cfg->cpu_target_us, err,
						   errlen);
			cpu_set = true;
		} else if (strcmp(name, "--cpu-iters") == 0) {
			rc = cli_parse_u64(name, val, 1, 1000000000000ull, &cfg->cpu_iters, err,
					   errlen);
			iters_set = true;
		} else if (strcmp(name, "--timeout") == 0) {
			rc = cli_parse_duration_us(name, val, 1000, 3600000000ull, &cfg->timeout_us,
						   err, errlen);
		} else if (strcmp(name, "--target") == 0) {
			rc = cli_parse_target(val, cfg, err, errlen);
		} else if (strcmp(name, "--format") == 0) {
			if (strcmp(val, "text") == 0)
				cfg->format = FMT_TEXT;
			else if (strcmp(val, "csv") == 0)
				cfg->format = FMT_CSV;
			else if (strcmp(val, "json") == 0)
				cfg->format = FMT_JSON;
			else
				return fail(err, errlen, "--format: '%s' is not text, csv or json",
					    val);
		} else if (strcmp(name, "--spectrum") == 0) {
			cfg->spectrum_path = val;
		} else if (strcmp(name, "--append") == 0) {
			cfg->append_path = val;
		} else {
			return fail(err, errlen, "run: unknown flag '%s'", name);
		}
	}
	if (rc)
		return rc;
	if (!model_set)
		return fail(err, errlen, "run: --model is required (see cmbench list)");
	if (!workload_set)
		return fail(err, errlen, "run: --workload is required (see cmbench list)");
	if (cpu_set && iters_set)
		return fail(err, errlen, "--cpu and --cpu-iters: give one or the other");
	if (cfg->model->one_slot)
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
	/* one socket per task in flight, plus what the process itself holds */
	need = cfg->concurrency + 64;
	if (cfg->workload->does_io && rl.rlim_cur != RLIM_INFINITY && need > rl.rlim_cur)
		return fail(
			err, errlen,
			"--concurrency: %llu is above the open-file limit (%llu, hard limit %llu, "
			"with 64 kept in reserve)",
			(unsigned long long)cfg->concurrency, (unsigned long long)rl.rlim_cur,
			(unsigned long long)rl.rlim_max);
	return 0;
}
