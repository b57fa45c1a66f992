/* loadgen.h - cmbench's own open-loop load generator for the server side:
 * the libuv driver of models/evloop.c (the eventloop client) over
 * --connections slots, each request a GET /?id=N whose answer's body is
 * the task's result as 16 hex digits. Requests go out on the release
 * schedule and latency runs from each one's due time (no coordinated
 * omission); its own send lag is measured (el_tasks.send_lag). */
#ifndef CMB_LOADGEN_H
#define CMB_LOADGEN_H

#include <stdbool.h>
#include <stdint.h>

#include "../../lib/config.h"
#include "../../lib/hist.h"
#include "../../lib/stats.h"

/* A send lag p99 above this says the generator fell behind: the run is
 * flagged (gen_behind) and never enters a verdict. */
#define LOADGEN_LAG_MAX_US 1000

struct loadgen_out {
	struct task_stats stats; /* every request: latency from its due time */
	struct hist lag;	 /* send lag, ns */
	uint64_t t0_ns;		 /* the schedule's t0 */
	uint64_t held;		 /* --hold-connections: the idle ones it opened */
	int rc;			 /* 0, or -errno: it could not start */
};

/* Idle connections held per loopback source address (127.0.0.2, .3, ...):
 * below the ephemeral port range of one (source, destination) pair. */
#define LOADGEN_PER_SRC 20000

/* Drive cfg's schedule (release_off, cfg->tasks of it) against the
 * server on 127.0.0.1:port, in the calling process, until every request
 * has ended. any_body: a peer's server (nginx), whose 200 answer is any
 * body (its hash is the result) instead of a server model's 16 hex
 * digits. 0 or -errno (also in out->rc). */
int loadgen_run(const struct run_cfg *cfg, int port, bool any_body, const uint64_t *release_off,
		struct loadgen_out *out);

#endif
