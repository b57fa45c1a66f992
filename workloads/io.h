/* io.h - the io part of a task done with blocking calls, for the models that
 * block (sequential, threadpool, forkpool). The socket is non-blocking and
 * each wait is a poll() on that one fd, so every I/O has a deadline. */
#ifndef CMB_IO_H
#define CMB_IO_H

#include <stdint.h>

#include "../harness/config.h"

/* A connection slot: fd is -1 when not connected. With --conn keepalive a
 * slot keeps its connection across tasks; with --conn new it never does. */
struct io_slot {
	int fd;
};

/* Open a non-blocking TCP connection to the target within timeout_us.
 * Returns 0 or a task_err. */
int io_connect(const struct run_cfg *cfg, struct io_slot *slot);
/* One GET for task `id` on the slot (connecting when needed); on success
 * stores the body hash. Returns TASK_OK or a task_err. */
int io_fetch(const struct run_cfg *cfg, struct io_slot *slot, uint64_t id, uint64_t *hash);
void io_close(struct io_slot *slot);

/* One whole task the blocking way: the io part on `slot` when the workload
 * has one, then the rest on this thread. Returns TASK_OK (and *result) or
 * a task_err. */
int io_task_blocking(const struct run_cfg *cfg, struct io_slot *slot, uint64_t id,
		     uint64_t *result);

/* Socket set-up shared with the event-loop models. */
int io_socket_nonblock(int family);

#endif
