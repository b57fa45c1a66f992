/* workload.h - what a task does, independent of the model that runs it.
 *
 * A workload is a per-task state machine that never blocks on its own.
 * start() and step() do some work and say what the task needs next:
 *
 *   WL_WAIT  wait until slot->fd is ready for slot->events, or until
 *            slot->deadline_ns passes, then call step() with what happened
 *   WL_RUN   run slot->sync(slot) - a synchronous part (the CPU kernel, or
 *            a call into a library with no non-blocking API) that ends the
 *            task; where it runs is the model's policy (inline or offload)
 *   WL_DONE  the task is over: slot->result and slot->err are set
 *
 * Two drivers run the same steps: the blocking driver below (poll on the
 * one fd; sequential, thread and process models) and the libuv driver in
 * models/evloop.c (uv_poll_t; the loops). A workload that wraps a library
 * with no non-blocking API is `blocking_only`: it has no start() and its
 * whole task is run_blocking(), which a loop runs inline (and stalls) or
 * offloads. A workload with both prefers run_blocking() under the blocking
 * driver. A workload may need a service (the latency server, a database)
 * started before the trial, outside the measurement, and may register its
 * own flags. */
#ifndef CMB_WORKLOAD_H
#define CMB_WORKLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../lib/config.h"
#include "../lib/stats.h"
#include "../lib/util.h"

/* the names of the task error kinds (enum task_err, lib/stats.h): the
 * suffixes of the errors_* result columns; [0] is "ok" */
extern const char *const task_err_names[TASK_ERR_KINDS];

enum wl_status { WL_WAIT, WL_RUN, WL_DONE };

/* Events a driver passes to step(). */
#define WL_EV_READ 1	/* the fd is readable (or has an error or EOF) */
#define WL_EV_WRITE 2	/* the fd is writable (or has an error) */
#define WL_EV_TIMEOUT 4 /* the deadline passed first: step must end the task */
#define WL_EV_IDLE 8	/* the fd fired while no task ran on the slot */

struct workload_ops;

/* One concurrency slot: it runs one task at a time and keeps what the
 * workload wants kept between tasks (a keep-alive connection, a database
 * handle). The model owns it; the workload's state is priv. */
struct wl_slot {
	const struct run_cfg *cfg;	/* the run */
	const struct workload_ops *wl;	/* cfg->workload */
	void *priv;			/* wl->slot_size bytes, zeroed, the workload's */
	uint64_t id;			/* the task running on the slot */
	uint64_t result;		/* WL_DONE: the task's 64-bit result */
	int err;			/* WL_DONE: TASK_OK or a task_err */
	int fd;				/* WL_WAIT: what to wait on */
	int events;			/* WL_WAIT: WL_EV_READ and/or WL_EV_WRITE */
	uint64_t deadline_ns;		/* WL_WAIT: CLOCK_MONOTONIC; step gets WL_EV_TIMEOUT */
	uint64_t now_ns;		/* the driver's clock at the task's start, or 0 */
	void (*sync)(struct wl_slot *); /* WL_RUN: the synchronous part; ends the task */
	bool idle_watched;		/* the driver reports idle events (WL_EV_IDLE) */
	/* set by a driver that watches fds: called before the workload
	 * closes fd, so the driver can stop watching it first */
	void (*forget_fd)(struct wl_slot *, int fd);
	void *driver; /* the driver's own data */
	void *hold;   /* --test-hold-kib: the task's known allocation, or NULL */
};

/* A flag a workload adds to `cmbench run`; its value lands in
 * cfg->wl_num[slot] (WLF_U64, WLF_DURATION in µs) or cfg->wl_str[slot]. */
enum wl_flag_type { WLF_U64, WLF_DURATION, WLF_STR, WLF_CHOICE };
struct wl_flag {
	const char *name;	    /* long option without "--" */
	const char *arg;	    /* placeholder for --help, like N or URL */
	const char *help;	    /* one line */
	enum wl_flag_type type;	    /* how the value is parsed */
	int slot;		    /* index into cfg->wl_num or cfg->wl_str */
	uint64_t def, min, max;	    /* numbers: default and bounds */
	const char *const *choices; /* WLF_CHOICE: NULL-terminated; wl_num = index */
};

/* What a service decided when it started, which the harness applies to
 * the run (wl_service_apply): a service reads the run's cfg and never
 * writes it. Each part says whether it is set. */
struct wl_service_result {
	bool target; /* the target's address: resolved, or the server it started */
	struct sockaddr_storage target_addr;
	socklen_t target_addrlen;
	char target_port[16];
	bool wl_str_set[CFG_WL_STR]; /* the workload's text flags it fills in */
	char wl_str[CFG_WL_STR][256];
	bool conn_set; /* the connection mode the row reports */
	bool keepalive;
	bool payload_set; /* the response body the row reports */
	uint64_t payload;
	char note[CFG_WL_NOTE]; /* what the row's workload_note says, or "" */
};

/* A service the workload needs, started before the trial outside the
 * measurement and stopped after it (also when the run fails). start says
 * what it decided in res. 0 or -errno with one line in err. */
struct wl_service {
	const char *name;
	int (*start)(const struct run_cfg *cfg, struct wl_service_result *res, void **svc,
		     char *err, size_t errlen);
	void (*stop)(void *svc);
	/* CPU seconds the service has used so far, or NULL: lets the harness
	 * count the server's share of a request's cost (io_floor_us) */
	double (*cpu_s)(void *svc);
	/* NULL, or --plateau-samples: hold every answer (on) or let them go
	 * (off), so that the tasks in flight stay in flight while the monitor
	 * samples them. 0 or -errno */
	int (*hold)(void *svc, bool on);
	/* requests it has received and not answered, or -1: with the answers
	 * held, the tasks in flight */
	long (*waiting)(void *svc);
};

/* What kind of work a workload is, for the findings, the regime table and
 * the main grid's parts: named in its table entry, never inferred from its
 * other traits or from the table's order. */
enum wl_family {
	WL_FAMILY_OTHER = 0,   /* none of these: no finding reads it as one */
	WL_FAMILY_PLAIN,       /* the kernel and/or a GET of the latency server with the
				  non-blocking client: the parts of the main grid (io, cpu,
				  mixed); one per pair of does_io, does_cpu */
	WL_FAMILY_BLOCKING_IO, /* a GET through a blocking client library */
	WL_FAMILY_EMBEDDED_DB, /* a database library inside the process */
	WL_FAMILY_DB_SERVER,   /* a database server over a socket */
	WL_FAMILY_FILE,	       /* a file read or written on the local disk */
};

struct workload_ops {
	const char *name;	     /* as given to --workload */
	const char *summary;	     /* one line for `cmbench list` */
	const char *label;	     /* short label for charts and tables */
	bool does_io;		     /* the task waits on I/O (--io-latency, --payload apply) */
	bool does_cpu;		     /* the task runs the kernel (--cpu, --cpu-iters apply) */
	bool blocking_only;	     /* no start(): the task is run_blocking() */
	enum wl_family family;	     /* what kind of work (above) */
	const char *noun;	     /* what the findings call it ("SQLite (a blocking C
					library)"); NULL: its label */
	const struct wl_flag *flags; /* its own flags, {NULL}-terminated, or NULL */
	const struct wl_service *service; /* or NULL */
	/* NULL, or before the run (`cmbench run` only, not its exec'd
	 * workers): a setting it cannot run (a directory it cannot write),
	 * one line in err and -EINVAL (exit 2); nothing is left behind */
	int (*check)(const struct run_cfg *cfg, char *err, size_t errlen);
	/* its own flag (a duration) that sets how long a task waits with no
	 * work, or NULL: how `cmbench ceiling` holds every task in flight
	 * at once when the workload has no --io-latency */
	const char *hold_flag;
	size_t slot_size; /* bytes of slot->priv */
	/* before the clock, once per slot (a keep-alive connect): 0 or
	 * -errno; a failure is retried, and counted, by the first task */
	int (*slot_open)(struct wl_slot *s);
	void (*slot_close)(struct wl_slot *s);	    /* after the last task; frees priv's contents */
	enum wl_status (*start)(struct wl_slot *s); /* NULL if blocking_only */
	enum wl_status (*step)(struct wl_slot *s, int events); /* after WL_WAIT */
	void (*run_blocking)(struct wl_slot *s);	       /* the task, blocking; or NULL */
};

extern const struct workload_ops *const workload_table[]; /* NULL-terminated */

const struct workload_ops *workload_find(const char *name);
/* The plain workload (WL_FAMILY_PLAIN) made of these parts, or NULL. */
const struct workload_ops *workload_by_parts(bool io, bool cpu);

/* Put what a service decided into the run's cfg. */
void wl_service_apply(struct run_cfg *cfg, const struct wl_service_result *res);

/* Slots: allocate priv and open (before the clock); close and free. */
int wl_slot_init(struct wl_slot *s, const struct run_cfg *cfg);
void wl_slot_fini(struct wl_slot *s);
/* Start task `id` on the slot: what start() says, or for a blocking_only
 * workload WL_RUN with sync = run_blocking. */
enum wl_status wl_begin(struct wl_slot *s, uint64_t id);
/* The task on the slot is over: give back what it held (--test-hold-kib).
 * The blocking driver calls it; the loop calls it as a task completes. */
void wl_end(struct wl_slot *s);
/* The blocking driver: run task `id` to its end on this thread. */
void wl_run_task(struct wl_slot *s, uint64_t id);
/* Wait for s->fd and s->events until s->deadline_ns; the WL_EV_* that
 * happened, WL_EV_TIMEOUT when the deadline came first. */
int wl_poll_wait(struct wl_slot *s);
/* Close fd, telling the driver first. */
void wl_close_fd(struct wl_slot *s, int fd);
/* End the task from a step: sets result and err, returns WL_DONE. */
static inline enum wl_status wl_done(struct wl_slot *s, int err, uint64_t result)
{
	s->err = err;
	s->result = err == TASK_OK ? result : 0;
	return WL_DONE;
}
/* Ask to wait for fd. */
static inline enum wl_status wl_wait(struct wl_slot *s, int fd, int events, uint64_t deadline)
{
	s->fd = fd;
	s->events = events;
	s->deadline_ns = deadline;
	return WL_WAIT;
}

/* The cpu kernel: `iters` rounds of a 64-bit mixing chain from `seed`. */
uint64_t cpu_kernel(uint64_t seed, uint64_t iters);
/* Iterations that take about `us` microseconds on one core of this machine. */
uint64_t cpu_calibrate(uint64_t us);
/* Single-core time of one kernel call of `iters`, in microseconds: the
 * fastest of at least 5 timed batches (docs/run.md: why the minimum). */
double cpu_measure_us(uint64_t iters);

#endif
