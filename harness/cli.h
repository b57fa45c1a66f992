/* cli.h - command-line parsing for `cmbench run`, and flag helpers every
 * command shares. Every function that can reject input writes one line (no
 * newline) into err and returns -EINVAL; 0 means the value was good. The
 * command that called it turns that into exit status 2. */
#ifndef CMB_CLI_H
#define CMB_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../lib/config.h"
#include "../lib/parse.h"

#define CLI_ERR_MAX PARSE_ERR_MAX
#define CLI_DEFAULT_CPU_ITERS 50000	    /* the kernel work when no --cpu is given */
#define CLI_MAX_IO_LATENCY_US 3600000000ull /* --io-latency: one hour */
#define CLI_WL_FLAGS_MAX 64		    /* flags of all workloads together */

/* http://HOST[:PORT][/PATH] into cfg's target_* fields. */
int cli_parse_target(const char *s, struct run_cfg *cfg, char *err, size_t errlen);
/* Defaults of `cmbench run`. */
void cli_run_defaults(struct run_cfg *cfg);
/* cfg->workload's own flags at their defaults. */
void cli_wl_defaults(struct run_cfg *cfg);
/* Set cfg->workload's flag --name to val: 0, or -EINVAL with one line in
 * err (no such flag of that workload, or a bad value). */
int cli_wl_flag(struct run_cfg *cfg, const char *name, const char *val, char *err, size_t errlen);
/* The flags of `cmbench run` (argv[0] is "run"). Returns 0, -EINVAL on bad
 * input, or 1 when --help was asked for (the caller prints usage). */
int cli_parse_run(int argc, char **argv, struct run_cfg *cfg, char *err, size_t errlen);
/* The argv that makes `cmbench run` run cfg: malloc'd, NULL-terminated,
 * starting with "run"; cli_parse_run of it gives cfg back. NULL when out of
 * memory. */
char **cli_format_run(const struct run_cfg *cfg);
void cli_argv_free(char **argv);
/* Print the flags of `cmbench run`, the workloads' own included. */
void cli_run_usage(FILE *f);
/* Raise the open-file soft limit to the hard one and check that the run
 * fits in it; -EINVAL with a message if it cannot. */
int cli_check_fd_limit(const struct run_cfg *cfg, char *err, size_t errlen);

#endif
