/* cli.h - command-line parsing for `cmbench run`. Every function that can
 * reject input writes one line (no newline) into err and returns 2, the
 * usage exit status; 0 means the value was good. */
#ifndef CMB_CLI_H
#define CMB_CLI_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"

#define CLI_ERR_MAX 512
#define CLI_DEFAULT_CPU_ITERS 50000 /* the kernel work when no --cpu is given */

/* A whole number in [min, max]. No sign, no suffix. */
int cli_parse_u64(const char *flag, const char *s, uint64_t min, uint64_t max, uint64_t *out,
		  char *err, size_t errlen);
/* A duration with a unit (ns, us, ms, s; decimals allowed; "0" alone is
 * fine), as whole microseconds (rounded), in [min_us, max_us]. */
int cli_parse_duration_us(const char *flag, const char *s, uint64_t min_us, uint64_t max_us,
			  uint64_t *out, char *err, size_t errlen);
/* http://HOST[:PORT][/PATH] into cfg's target_* fields. */
int cli_parse_target(const char *s, struct run_cfg *cfg, char *err, size_t errlen);
/* Defaults of `cmbench run`. */
void cli_run_defaults(struct run_cfg *cfg);
/* The flags of `cmbench run` (argv[0] is "run"). Returns 0, 2 on bad
 * input, or 1 when --help was asked for (the caller prints usage). */
int cli_parse_run(int argc, char **argv, struct run_cfg *cfg, char *err, size_t errlen);
/* Raise the open-file soft limit to the hard one and check that the run
 * fits in it; 2 with a message if it cannot. */
int cli_check_fd_limit(const struct run_cfg *cfg, char *err, size_t errlen);

#endif
