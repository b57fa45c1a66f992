/* loop_srv.h - the HTTP side of the loop servers (loop.c, loop_offload.c,
 * loop_reuseport.c): a libuv listener and connections on the loop of
 * models/evloop.c, whose slots run each request's task. */
#ifndef CMB_LOOP_SRV_H
#define CMB_LOOP_SRV_H

#include "../evloop.h"
#include "srv.h"

/* Where a loop runs a task's synchronous part: inline on the loop thread,
 * or on libuv's pool of --workers threads. */
extern const struct el_policy loop_srv_inline;
extern const struct el_policy loop_srv_offload;

/* Serve on one loop, on listener lfd (non-blocking, listening), with
 * cfg->concurrency slots: evloop_run in serve mode until ctl->stop_fd is
 * readable. out gets one record per request. 0 or -errno. */
int loop_srv_run(const struct run_cfg *cfg, struct trial_ctl *ctl, struct task_stats *out,
		 const struct el_policy *pol, int lfd);

#endif
