/* foreign_srv.h - the runner of the foreign server models (foreign_srv.c):
 * a program (models/python/srv_*.py) is the server, speaking the server
 * variant of the foreign protocol (models/python/README.md). */
#ifndef CMB_FOREIGN_SRV_H
#define CMB_FOREIGN_SRV_H

#include "srv.h"

/* server_ops.base.run of a foreign server model: start the program, relay
 * its "ready PORT" to ctl->port and ctl->go, tell it "end" when
 * ctl->stop_fd is readable, put its counters into `out`, and reap it and
 * everything it started. 0, or -errno when its set-up failed. */
int foreign_serve(const struct run_cfg *cfg, struct trial_ctl *ctl, struct task_stats *out);

#endif
