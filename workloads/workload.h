/* workload.h - what a task does, independent of the model that runs it.
 *
 * A task has at most two parts: an io part (one HTTP GET, see io.h) and a
 * cpu part (the kernel in cpu.c). A workload says which parts it has and how
 * the task's 64-bit result is made from the io part's body hash. Models run
 * the io part with their own I/O style and call finish() for the rest, on
 * whatever thread or process their policy says. */
#ifndef CMB_WORKLOAD_H
#define CMB_WORKLOAD_H

#include <stdbool.h>
#include <stdint.h>

#include "../harness/config.h"
#include "../harness/util.h"

/* Why a task failed; counted per kind, never fatal to the run. */
enum task_err {
	TASK_OK = 0,
	TASK_ERR_CONNECT, /* connect() failed or was refused */
	TASK_ERR_TIMEOUT, /* an I/O did not finish within --timeout */
	TASK_ERR_IO,	  /* reset, short write, EOF before the body ended */
	TASK_ERR_HTTP,	  /* not a 200, or a response we cannot parse */
	TASK_ERR_KINDS
};

struct workload_ops {
	const char *name;    /* as given to --workload */
	const char *summary; /* one line for `cmbench list` */
	bool does_io;	     /* the task starts with one HTTP GET */
	bool does_cpu;	     /* the task runs the kernel */
	/* The cpu part (if any) and the task's result. io_hash is the body hash
	 * of the io part (0 when there is none). Pure: same inputs, same result. */
	uint64_t (*finish)(const struct run_cfg *cfg, uint64_t id, uint64_t io_hash);
};

extern const struct workload_ops workload_io;
extern const struct workload_ops workload_cpu;
extern const struct workload_ops workload_mixed;
extern const struct workload_ops *const workload_table[]; /* NULL-terminated */

const struct workload_ops *workload_find(const char *name);

/* The cpu kernel: `iters` rounds of a 64-bit mixing chain from `seed`. */
uint64_t cpu_kernel(uint64_t seed, uint64_t iters);
/* Iterations that take about `us` microseconds on one core of this machine. */
uint64_t cpu_calibrate(uint64_t us);
/* Median single-core time of one kernel call of `iters`, in microseconds. */
double cpu_measure_us(uint64_t iters);

/* The order-independent fold of task results into the run checksum. */
static inline uint64_t checksum_fold(uint64_t sum, uint64_t id, uint64_t result)
{
	return sum + mix64(result ^ mix64(id));
}

#endif
