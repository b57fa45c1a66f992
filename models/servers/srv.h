/* srv.h - the server models: every model on the other side.
 *
 * A server model is models/servers/<name>.c exporting one `const struct
 * server_ops`; all else in the file is static. It listens on 127.0.0.1
 * and answers HTTP/1.1 GETs; each request runs ONE task of cfg->workload
 * as its handler (task id = the request's id=), and the answer's body is
 * the task's 64-bit result as 16 hex digits, so the load generator folds
 * the same checksum as the client side. The server models are to the
 * handler what the models of models/ are to a task: the blocking ones run
 * it with the blocking driver (wl_run_task), the loops with the libuv
 * driver of models/evloop.c.
 *
 * The run contract is base.run(cfg, ctl, out): listen (ctl->port gets the
 * port), create workers and handler slots, ctl->go(), serve until
 * ctl->stop_fd is readable (the generator is done), ctl->end(), tear
 * down. `out` gets one record per request answered (its service time is
 * the handler's); its count and checksum are the run's self-check. The
 * table's entries are listed by `cmbench list` under a heading of their
 * own; the harness reads base's traits as it reads a model's. */
#ifndef CMB_SRV_H
#define CMB_SRV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../server/server.h"
#include "../../workloads/workload.h"
#include "../model.h"

struct server_ops {
	struct model_ops base; /* name, summary, label, color, kind, par, check, run */
	bool closes;	       /* answers one request per connection, then closes it */
	bool per_cpu;	       /* one worker per server CPU (--workers does not apply) */
	const char *queue;     /* what waits for a worker, and how accept is balanced */
};

extern const struct server_ops *const server_table[]; /* NULL-terminated */
const struct server_ops *server_find(const char *name);

/* The connections a server may have open at once: --connections active
 * and --hold-connections idle. */
static inline uint64_t srv_conns(const struct run_cfg *cfg)
{
	return cfg->concurrency + cfg->hold_conns;
}

/* The longest a kept connection may sit with no request before the
 * server closes it. */
#define SRV_IDLE_US 60000000ull
#define SRV_RESP_MAX 256  /* bytes of the longest answer */
#define SRV_HEAD_MAX 2048 /* bytes of request head a connection buffers */

/* A listening TCP socket on 127.0.0.1:*port (0: the kernel picks; *port
 * gets the port), SO_REUSEPORT when reuseport, non-blocking when nonblock.
 * The fd, or -errno. */
int srv_listen(int *port, bool reuseport, bool nonblock);
/* The answer to the task that just ended on s: 200 with the result as 16
 * hex digits, or 502 with the error kind; Connection: close when close.
 * Its length. */
size_t srv_answer(char *buf, size_t cap, const struct wl_slot *s, bool close);
/* Record the task that ended on s, started at start_ns. */
void srv_record(struct task_stats *out, const struct wl_slot *s, uint64_t start_ns);

/* The blocking side: serve requests on connection fd with the blocking
 * driver on slot, until the peer closes, an error, or (keep false) after
 * one answer; every wait ends at --timeout (SRV_IDLE_US between requests)
 * or when stop_fd is readable. Closes fd. */
void srv_serve_conn(int fd, struct wl_slot *slot, struct task_stats *out, bool keep, int stop_fd);
/* One request of connection fd (read, run, answer): true when the
 * connection stays open for the next one. Its first byte may take idle_us. */
bool srv_serve_one(int fd, struct wl_slot *slot, struct task_stats *out, bool keep, int stop_fd,
		   uint64_t idle_us);
void srv_nodelay(int fd);
/* Wait until fd is readable or stop_fd is: 1 fd, 0 stop, -errno. */
int srv_wait_accept(int fd, int stop_fd);
/* One worker of a per-CPU server: serve on listener lfd (non-blocking,
 * SO_REUSEPORT) with the handshake sub, recording into out. 0 or -errno. */
typedef int (*srv_core_fn)(const struct run_cfg *cfg, struct trial_ctl *sub, struct task_stats *out,
			   int lfd, int k);
/* A worker per server CPU (srv_percpu.c): listeners, threads pinned,
 * one go and one end for all, their records merged into out. */
int srv_run_per_cpu(const struct run_cfg *cfg, struct trial_ctl *ctl, struct task_stats *out,
		    srv_core_fn fn);
/* Pin the calling thread to its k-th CPU of the trial's set. */
void srv_pin_thread(int k);
/* The CPUs the trial may use (the server's share). */
int srv_cpu_count(void);

#endif
