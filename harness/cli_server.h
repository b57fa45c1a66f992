/* cli_server.h - the flags of `cmbench run --side server` (docs/servers.md):
 * --side, --connections, --server-cpus, --client-cpus, --client-conn,
 * --port, and what they make of the run. Each returns 0 or -EINVAL with
 * one line in err. */
#ifndef CMB_CLI_SERVER_H
#define CMB_CLI_SERVER_H

#include <stdbool.h>
#include <stddef.h>

#include "../lib/config.h"

#define CLI_CONNECTIONS_MAX 1000000 /* --connections */

/* One server-side flag, by its long name. */
int cli_server_flag(struct run_cfg *cfg, const char *name, const char *val, char *err,
		    size_t errlen);
/* --model by --side: a server model (its base becomes cfg->model) or a
 * model; leaves cfg->model NULL for an unknown client model. */
int cli_server_model(struct run_cfg *cfg, char *err, size_t errlen);
/* The server side's checks and defaults: --rate given, the connections
 * within the open-file limit, the port free, the CPUs there, the
 * default split of the machine. */
int cli_server_settle(struct run_cfg *cfg, bool rate_given, char *err, size_t errlen);

#endif
