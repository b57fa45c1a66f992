/* model.h - the one interface every concurrency model implements.
 *
 * A C model is models/<name>.c exporting one `const struct model_ops`; all
 * else in the file is static. The foreign models' entries are together in
 * python.c (each one's program in models/python/). A model runs cfg->tasks
 * tasks of cfg->workload with at most cfg->concurrency in flight and fills
 * `out`. It creates its
 * workers and connections first, then calls ctl->go() (the monitor takes
 * its "ready" sample and starts the clock), and calls ctl->end() as soon as
 * the last task is done, before tearing anything down. The handshake is
 * passed in, so a unit test can drive a model in-process. Models never
 * print. The harness and the charts ask this table for traits; no code
 * outside models/ names a model. */
#ifndef CMB_MODEL_H
#define CMB_MODEL_H

#include <stddef.h>

#include "../lib/config.h"
#include "../lib/stats.h"

/* The handshake with whatever measures the model (harness/trial.c, or a
 * test). */
struct trial_ctl {
	/* all workers are ready: blocks until the monitor says go; returns
	 * t0, the release time of every task (CLOCK_MONOTONIC ns) */
	uint64_t (*go)(struct trial_ctl *ctl);
	/* the last task is done: blocks until the final sample is taken */
	void (*end)(struct trial_ctl *ctl);
	void *priv; /* the monitor's */
	/* open loop (--rate): task i is due at t0 + release_off[i] ns; NULL:
	 * every task is due at t0 (a batch) */
	const uint64_t *release_off;
	/* the harness's per-worker task_stats: n_worker_stats of them, zeroed,
	 * in shared memory and resident before the base sample, so that the
	 * harness's own memory is never counted as the model's. NULL: the
	 * model maps its own (a test that drives it in-process) */
	struct task_stats *worker_stats;
	uint64_t n_worker_stats;
	/* the argv of `cmbench run` that reproduces cfg (malloc'd strings in a
	 * malloc'd, NULL-terminated array, starting with "run"), for a model
	 * that execs cmbench for its tasks; NULL where the caller has none */
	char **(*format_run)(const struct run_cfg *cfg);
	/* where a model that fails its set-up may say why in one line (the
	 * run's error then reads "MODEL: set-up failed: WHY"); NULL where the
	 * caller has no room for it */
	char *why;
	size_t why_len;
	/* a server model (models/servers/): it puts the port it listens on
	 * here before go, and serves until stop_fd is readable */
	int port;
	int stop_fd;
};

/* n per-worker task_stats (zeroed, shared memory): the harness's when the
 * handshake carries enough, otherwise freshly mapped (*own is then set).
 * NULL when they cannot be mapped. Give them back with ctl_stats_put. */
static inline struct task_stats *ctl_stats_get(const struct trial_ctl *ctl, uint64_t n, bool *own)
{
	*own = !(ctl->worker_stats && ctl->n_worker_stats >= n);
	return *own ? stats_map(n, 0) : ctl->worker_stats;
}

static inline void ctl_stats_put(struct task_stats *s, uint64_t n, bool own)
{
	if (own)
		stats_unmap(s, n);
}

/* When task id is due, t0 being what go() returned. A model starts no
 * task before it is due; latency runs from this time. */
static inline uint64_t ctl_release_ns(const struct trial_ctl *ctl, uint64_t t0, uint64_t id)
{
	return ctl->release_off ? t0 + ctl->release_off[id] : t0;
}

/* How many cores a model's CPU parts can use. */
enum model_par {
	MODEL_PAR_ONE,	   /* one thread runs every CPU part */
	MODEL_PAR_WORKERS, /* --workers threads or processes */
	MODEL_PAR_SLOTS,   /* one per concurrency slot */
};

/* What a model is made of, for the folklore and the charts. */
enum model_kind {
	MODEL_KIND_SEQUENTIAL,
	MODEL_KIND_LOOP,
	MODEL_KIND_THREADS,
	MODEL_KIND_PROCESSES,
};

/* How many per-worker task_stats a model records into (the harness maps
 * them before the base sample). */
enum model_wstats {
	MODEL_WSTATS_NONE,    /* it records into `out` alone */
	MODEL_WSTATS_SLOTS,   /* one per concurrency slot */
	MODEL_WSTATS_WORKERS, /* one per --workers (at most one per slot) */
};

struct model_ops {
	const char *name;    /* as given to --model */
	const char *summary; /* one line for `cmbench list` */
	const char *label;   /* short label for charts: "loop", "threads" */
	const char *color;   /* chart colour, "#rrggbb" */
	bool one_slot;	     /* runs one task at a time whatever --concurrency says */
	enum model_par par;  /* how many cores its CPU parts can use */
	enum model_kind kind;
	bool offload; /* a loop that hands synchronous parts to a pool */
	bool foreign; /* a program that speaks the handshake */
	/* foreign: its program runs a workload that only waits (a hold_flag,
	 * no I/O, no CPU: the timer); without it such a workload is refused */
	bool holds_wait;
	bool spawns;   /* starts processes as it runs: --spawn fork|exec applies */
	bool per_task; /* creates a thread or a process for every task (no pool) */
	/* keeps an open loop's schedule (--rate): starts no task before
	 * ctl_release_ns() and records latency from it; without it the CLI
	 * refuses --rate */
	bool open_loop;
	enum model_wstats wstats; /* its per-worker task_stats */
	/* foreign: the program that runs the tasks, under the repository
	 * root (models/python/x.py) */
	const char *program;
	/* NULL, or: its CPU part runs in another runtime, so the harness asks
	 * it (before the trial, outside the measurement) to turn --cpu D into
	 * cfg->cpu_iters and for one task's kernel time. 0, or -errno with one
	 * line in err. */
	int (*cpu_cost)(struct run_cfg *cfg, double *us_per_task, char *err, size_t errlen);
	/* a combination of flags this model cannot run: 0, or -EINVAL with one
	 * line in err (cmbench run then exits 2). NULL: it runs anything */
	int (*check)(const struct run_cfg *cfg, char *err, size_t errlen);
	/* 0, or -errno when set-up failed (no task ran). Task failures are
	 * counted in `out`, never returned. */
	int (*run)(const struct run_cfg *cfg, struct trial_ctl *ctl, struct task_stats *out);
	/* NULL, or: the model execs `cmbench __worker ARG... run FLAGS...` for
	 * its tasks, and this is that child. cfg is FLAGS, parsed; argv holds
	 * the model's own ARGs (argc of them). 0, -EINVAL with one line in err
	 * (bad arguments), or another -errno. */
	int (*child)(struct run_cfg *cfg, int argc, char **argv, char *err, size_t errlen);
};

extern const struct model_ops *const model_table[]; /* NULL-terminated */

const struct model_ops *model_find(const char *name);
/* Threads or processes its CPU parts can spread over (not yet capped by
 * the cores). */
uint64_t model_cpu_lanes(const struct model_ops *m, uint64_t concurrency, uint64_t workers);
/* How many per-worker task_stats the model records into for this run. */
uint64_t model_worker_stats(const struct model_ops *m, const struct run_cfg *cfg);
/* The most tasks in flight in one of its processes at --concurrency C:
 * C for a model of one process, 1 for one of a process per slot, C over
 * the workers for a loop per worker process (each its own fds). */
uint64_t model_tasks_per_process(const struct model_ops *m, const struct run_cfg *cfg);
/* Whether m runs tasks of w at all, by their traits: a foreign program
 * runs the families it speaks, and a wait alone (a hold_flag, no I/O, no
 * CPU, no service) only with holds_wait; a C model runs every workload. */
bool model_takes(const struct model_ops *m, const struct workload_ops *w);

#endif
