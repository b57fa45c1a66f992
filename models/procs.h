/* procs.h - worker processes as the process models keep them: forked,
 * watched, reaped. A worker that dies is noticed (waitpid) while the
 * parent waits for the others, so no model waits forever on a pipe that a
 * surviving worker still holds open. */
#ifndef CMB_PROCS_H
#define CMB_PROCS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct procs {
	pid_t *pid;	/* the workers, 0 once reaped */
	int *status;	/* wait status of each reaped worker */
	bool *died;	/* reaped before it said it was done: it died */
	uint64_t n;	/* workers forked */
	uint64_t cap;	/* room in the arrays */
	uint64_t ndied; /* how many died */
};

int procs_init(struct procs *ps, uint64_t cap);
void procs_free(struct procs *ps);
/* Reap whatever has exited without waiting; a worker reaped while
 * state[i] < done_state counts as died. Returns how many were reaped. */
uint64_t procs_reap_some(struct procs *ps, const uint32_t *state, uint32_t done_state);
/* Wait until every worker has state[i] >= want or has died. wake_fd is
 * a pipe the workers write a byte to when their state changes. */
void procs_wait_state(struct procs *ps, int wake_fd, const uint32_t *state, uint32_t want,
		      uint32_t done_state);
void procs_kill(struct procs *ps, int sig);
/* Reap every worker, waiting for each. */
void procs_reap_all(struct procs *ps, const uint32_t *state, uint32_t done_state);
/* One byte to fd, retried on EINTR; read one byte or EOF. */
void procs_poke(int fd);
void procs_drain(int fd);

#endif
