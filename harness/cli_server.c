/* cli_server.c - the flags of `cmbench run --side server` (cli_server.h). */
#define _GNU_SOURCE
#include "cli_server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../lib/cpus.h"
#include "../lib/parse.h"
#include "../models/model.h"
#include "../models/servers/srv.h"

/* A CPU list flag: parsed, every CPU usable, normalised into out. */
static int cpu_flag(const char *flag, const char *val, char *out, size_t cap, char *err,
		    size_t errlen)
{
	cpu_set_t want, have, extra;
	char buf[256], hbuf[256];

	if (cpus_parse(val, &want) < 0)
		return parse_fail(err, errlen, "%s: '%s' is not a CPU list like 0 or 1-3 or 0,2",
				  flag, val);
	if (cpus_usable(&have) < 0)
		CPU_ZERO(&have);
	CPU_XOR(&extra, &want, &have);
	CPU_AND(&extra, &extra, &want);
	if (CPU_COUNT(&extra) > 0)
		return parse_fail(err, errlen, "%s: CPU %s does not exist here (usable: %s)", flag,
				  cpus_format(&extra, buf, sizeof(buf)),
				  cpus_format(&have, hbuf, sizeof(hbuf)));
	if (strlen(cpus_format(&want, buf, sizeof(buf))) >= cap)
		return parse_fail(err, errlen, "%s: '%s' is too long a list", flag, val);
	snprintf(out, cap, "%.*s", (int)cap - 1, buf);
	return 0;
}

int cli_server_flag(struct run_cfg *cfg, const char *name, const char *val, char *err,
		    size_t errlen)
{
	char flag[32];

	snprintf(flag, sizeof(flag), "--%s", name);
	if (strcmp(name, "side") == 0) {
		if (strcmp(val, CFG_SIDE_CLIENT) != 0 && strcmp(val, CFG_SIDE_SERVER) != 0)
			return parse_fail(err, errlen, "--side: '%s' is not client or server", val);
		cfg->side_server = val[0] == 's';
		return 0;
	}
	cfg->given_server_flag = name;
	if (strcmp(name, "connections") == 0)
		return cli_parse_u64(flag, val, 1, CLI_CONNECTIONS_MAX, &cfg->concurrency, err,
				     errlen);
	if (strcmp(name, "hold-connections") == 0)
		return cli_parse_u64(flag, val, 0, CLI_CONNECTIONS_MAX, &cfg->hold_conns, err,
				     errlen);
	if (strcmp(name, "threads") == 0)
		return cli_parse_u64(flag, val, 1, 1024, &cfg->threads, err, errlen);
	if (strcmp(name, "port") == 0)
		return cli_parse_u64(flag, val, 0, 65535, &cfg->port, err, errlen);
	if (strcmp(name, "client-conn") == 0) {
		if (strcmp(val, "keepalive") != 0 && strcmp(val, "new") != 0)
			return parse_fail(err, errlen,
					  "--client-conn: '%s' is not keepalive or new", val);
		cfg->client_new = val[0] == 'n';
		return 0;
	}
	if (strcmp(name, "server-cpus") == 0)
		return cpu_flag(flag, val, cfg->server_cpus, sizeof(cfg->server_cpus), err, errlen);
	return cpu_flag(flag, val, cfg->client_cpus, sizeof(cfg->client_cpus), err, errlen);
}

int cli_server_model(struct run_cfg *cfg, char *err, size_t errlen)
{
	const struct server_ops *s;

	if (!cfg->side_server) {
		if (cfg->given_server_flag)
			return parse_fail(err, errlen, "--%s: only with --side server",
					  cfg->given_server_flag);
		cfg->model = model_find(cfg->model_arg);
		if (!cfg->model && server_find(cfg->model_arg))
			return parse_fail(err, errlen,
					  "--model: '%s' is a server model: give --side server too",
					  cfg->model_arg);
		return 0;
	}
	s = server_find(cfg->model_arg);
	if (!s)
		return parse_fail(err, errlen,
				  "--model: unknown server model '%s' (see cmbench list servers)",
				  cfg->model_arg);
	cfg->server = s;
	cfg->model = &s->base;
	return 0;
}

/* The default placement: the client gets the last quarter of the usable
 * CPUs (at least one), the server the rest; one CPU is shared. */
static void default_split(struct run_cfg *cfg)
{
	cpu_set_t have, srv, cli;
	int cpu[CPU_SETSIZE], n, nc;

	if (cpus_usable(&have) < 0)
		return;
	n = cpus_list(&have, cpu, CPU_SETSIZE);
	nc = n / 4 > 1 ? n / 4 : 1;
	CPU_ZERO(&srv);
	CPU_ZERO(&cli);
	for (int i = 0; i < n; i++) {
		if (n == 1 || i < n - nc)
			CPU_SET(cpu[i], &srv);
		if (n == 1 || i >= n - nc)
			CPU_SET(cpu[i], &cli);
	}
	if (!cfg->server_cpus[0])
		cpus_format(&srv, cfg->server_cpus, sizeof(cfg->server_cpus));
	if (!cfg->client_cpus[0])
		cpus_format(&cli, cfg->client_cpus, sizeof(cfg->client_cpus));
}

/* Every connection is a socket on each side, and a handler that calls a
 * service holds one more per active connection: 2K + N + 64 within the
 * hard limit (N held idle). */
static int check_fds(const struct run_cfg *cfg, char *err, size_t errlen)
{
	uint64_t need = 2 * cfg->concurrency + cfg->hold_conns + 64;
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_max == RLIM_INFINITY)
		return 0;
	if (need > rl.rlim_max)
		return parse_fail(err, errlen,
				  "--connections: %llu connections (and %llu held) need %llu open "
				  "files; the limit is %llu",
				  (unsigned long long)cfg->concurrency,
				  (unsigned long long)cfg->hold_conns, (unsigned long long)need,
				  (unsigned long long)rl.rlim_max);
	if (cfg->concurrency + cfg->hold_conns > CLI_CONNECTIONS_MAX)
		return parse_fail(err, errlen,
				  "--hold-connections: with --connections, at most %d in all",
				  CLI_CONNECTIONS_MAX);
	if (rl.rlim_cur < need) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	return 0;
}

/* --port P: it must be free now (a server model binds it later). */
static int check_port(const struct run_cfg *cfg, char *err, size_t errlen)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int fd, rc;

	if (!cfg->port)
		return 0;
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return 0;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons((uint16_t)cfg->port);
	rc = bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 ? errno : 0;
	close(fd);
	if (rc)
		return parse_fail(err, errlen, "--port: 127.0.0.1:%llu cannot be bound: %s",
				  (unsigned long long)cfg->port, strerror(rc));
	return 0;
}

int cli_server_settle(struct run_cfg *cfg, bool rate_given, char *err, size_t errlen)
{
	if (!rate_given)
		return parse_fail(err, errlen,
				  "--side server: needs --rate R (the load is an open loop)");
	if (cfg->spawn_exec || cfg->plateau_samples || cfg->hold_kib)
		return parse_fail(err, errlen,
				  "--side server: --spawn, --plateau-samples and --test-hold-kib "
				  "are client-side flags");
	default_split(cfg);
	if (cfg->server->per_cpu) { /* one loop per server CPU */
		cpu_set_t s;

		if (cpus_parse(cfg->server_cpus, &s) == 0)
			cfg->workers = (uint64_t)CPU_COUNT(&s);
	}
	if (check_fds(cfg, err, errlen) < 0 || check_port(cfg, err, errlen) < 0)
		return -EINVAL;
	return 0;
}
