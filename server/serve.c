/* serve.c - `cmbench serve`: its flags and its usage. */
#include "internal.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "../lib/parse.h"

enum { OPT_BIND = 'b', OPT_PORT = 'p', OPT_IDLE = 'i', OPT_HELP = 'h' };

static const struct option serve_opts[] = {
	{ "bind", required_argument, NULL, OPT_BIND },
	{ "port", required_argument, NULL, OPT_PORT },
	{ "idle-timeout", required_argument, NULL, OPT_IDLE },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

static void serve_usage(FILE *f)
{
	fputs("usage: cmbench serve [--bind ADDR] [--port P] [--idle-timeout D]\n"
	      "The latency server: GET /?delay_us=N&bytes=N&id=N answers 200 after N\n"
	      "microseconds with N body bytes that depend only on id. HTTP/1.1, keep-alive.\n"
	      "delay_us is at most 3600000000 (1 hour), bytes at most 1073741824 (1 GiB).\n"
	      "  --bind ADDR          IPv4 or IPv6 literal to listen on (default 127.0.0.1)\n"
	      "  --port P             TCP port, 0 for any free one (default 0)\n"
	      "  --idle-timeout D     close a connection that sends nothing for D while no\n"
	      "                       request is in progress, like 60s or 500ms; 0 never\n"
	      "                       (default 60s)\n"
	      "Stops on SIGTERM or SIGINT.\n",
	      f);
}

/* One line on stderr about a bad command line; the usage exit status. */
static int serve_bad(const char *what)
{
	fprintf(stderr, "cmbench serve: %s (try --help)\n", what);
	return 2;
}

/* The value of one flag into o; 0, or 2 with err set. */
static int serve_flag(int opt, const char *val, struct server_opts *o, char *err, size_t errlen)
{
	struct sockaddr_storage addr;
	uint64_t v;
	int rc;

	switch (opt) {
	case OPT_BIND:
		if (server_addr(val, 0, &addr) < 0) {
			snprintf(err, errlen, "--bind: '%s' is not an IPv4 or IPv6 literal", val);
			return 2;
		}
		o->bind = val;
		return 0;
	case OPT_PORT:
		rc = cli_parse_u64("--port", val, 0, 65535, &v, err, errlen);
		if (rc == 0)
			o->port = (int)v;
		return rc;
	default: /* OPT_IDLE */
		return cli_parse_duration_us("--idle-timeout", val, 0, SERVER_IDLE_MAX_US,
					     &o->idle_timeout_us, err, errlen);
	}
}

/* What getopt_long found wrong with argv[optind - 1], into err. */
static void serve_getopt_err(int opt, char **argv, char *err, size_t errlen)
{
	const char *arg = argv[optind - 1];

	if (opt == ':')
		snprintf(err, errlen, "%s needs a value", arg);
	else if (strncmp(arg, "--", 2) == 0)
		snprintf(err, errlen, "unknown flag '%s'", arg);
	else
		snprintf(err, errlen, "unknown flag '-%c'", optopt);
}

int server_main(int argc, char **argv)
{
	struct server_opts o = { "127.0.0.1", 0, -1, SERVER_IDLE_DEFAULT_US, false };
	char err[PARSE_ERR_MAX];
	int opt;

	optind = 0; /* glibc: start afresh, whatever parsed argv before */
	opterr = 0; /* the messages are ours */
	while ((opt = getopt_long(argc, argv, "+:h", serve_opts, NULL)) != -1) {
		if (opt == OPT_HELP) {
			serve_usage(stdout);
			return 0;
		}
		if (opt == '?' || opt == ':') {
			serve_getopt_err(opt, argv, err, sizeof(err));
			return serve_bad(err);
		}
		if (serve_flag(opt, optarg, &o, err, sizeof(err)) != 0)
			return serve_bad(err);
	}
	if (optind < argc) {
		snprintf(err, sizeof(err), "unexpected argument '%s'", argv[optind]);
		return serve_bad(err);
	}
	return server_serve(&o);
}
