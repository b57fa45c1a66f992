/* cli_shim.h - TEMPORARY: the argv of a run_cfg until harness/cli.h has
 * cli_format_run (the core's commit); weak, so the core's wins. */
#ifndef CMB_CLI_SHIM_H
#define CMB_CLI_SHIM_H

#include "../config.h"

char **cli_format_run(const struct run_cfg *cfg);
void cli_argv_free(char **argv);

#endif
