/* ceiling.h - `cmbench ceiling`: how many tasks each model holds at once
 * on this machine, and what stops it. Not for use outside
 * harness/ceiling/, but for ceiling_main (cmd/'s command table). */
#ifndef CMB_CEILING_H
#define CMB_CEILING_H

#include <stdbool.h>
#include <stddef.h>

#include "../../lib/rlimit.h"

struct model_ops;
struct workload_ops;

#define CEILING_OUT_MAX 8192	 /* what a probe says, kept */
#define CEIL_CAP 1000000	 /* --cap: the largest C tried */
#define CEIL_FROM 64		 /* --from: the first probe */
#define CEIL_HOLD_US 2000000	 /* --hold: how long every task waits */
#define CEIL_HOLD_PER_TASK_US 50 /* more hold per task: creating C tasks takes time */
#define CEIL_MODELS_MAX 32

/* The machine's limits that a probe can run into. 0 = unknown. */
struct ceiling_limits {
	unsigned long long nofile, nofile_hard, nr_open;
	unsigned long long nproc, nproc_hard, threads_max, pid_max, max_map_count;
	unsigned long long ports, somaxconn; /* ip_local_port_range's size */
	unsigned long long mem_total_kib, mem_avail_kib;
	unsigned long long threads_used; /* threads on the machine now */
	bool root;			 /* RLIMIT_NPROC is not enforced */
	unsigned long long file_max;	 /* fs.file-max: open files on the whole machine */
	unsigned long long pids_max;	 /* the cgroup's pids.max (v2); 0: none */
	unsigned long long oom_kills;	 /* /proc/vmstat oom_kill: the OOM killer's kills */
	bool oom_known;			 /* oom_kills was read */
};

/* What cmbench raised for its probes before the first (they inherit it). */
struct ceiling_lifted {
	struct rlimit_lift nofile, nproc;
};

/* One `cmbench run` at concurrency C with all C tasks in flight. */
struct ceiling_probe {
	unsigned long long concurrency;
	bool ok;		       /* exit 0, every task clean, within the budget */
	bool timed_out;		       /* killed at its deadline */
	bool spread;		       /* io connections spread over source addresses */
	bool short_hold;	       /* its tasks were not all in flight at once */
	int exit_code;		       /* or -1 */
	int signal;		       /* that ended it, or 0 */
	unsigned long long oom_before; /* /proc/vmstat oom_kill before it started */
	bool oom_known;		       /* oom_before was read */
	double deadline_s;	       /* the probe's deadline */
	double hold_s;		       /* how long each task waited */
	double pss_kib, base_kib, makespan_s, budget_kib;
	double kernel_kib; /* the machine's kernel memory, its growth in the run (kernel_kib) */
	double kmem_kib;   /* the tree's own kernel memory at the peak: pte + kstack + sock */
	double kmem_per_task_kib, sockets;
	unsigned long long threads, processes;
	unsigned long long samples; /* the monitor's samples from go to the end */
	unsigned long long errors_connect, errors_timeout, errors_worker;
	char output[CEILING_OUT_MAX]; /* stderr then stdout, cut */
};

/* Which limit a failed probe ran into. */
struct ceiling_verdict {
	char limit[32];	  /* open files, threads, processes, memory, ephemeral ports, ... */
	char detail[400]; /* the values behind it; csv-safe (ceiling_clean) */
	char lift[256];	  /* the command a user would run to lift it; csv-safe */
};

void ceiling_limits_read(struct ceiling_limits *l);
/* /proc/vmstat's oom_kill into *n: true when it could be read. */
bool ceiling_oom_kills(unsigned long long *n);
/* Raise RLIMIT_NOFILE (soft, and hard where permitted, up to fs.nr_open)
 * and RLIMIT_NPROC (to unlimited where permitted) for the probes, saying
 * before and after in one line each; never a sysctl. */
void ceiling_raise_limits(struct ceiling_lifted *out);
void ceiling_classify(const struct ceiling_probe *p, const struct ceiling_limits *l,
		      const struct model_ops *m, const struct workload_ops *w,
		      struct ceiling_verdict *v);
/* What the memory budget holds a probe to: its PSS and the machine's
 * kernel growth while it ran (sockets, stacks, page tables: not in PSS). */
double ceiling_mem_kib(const struct ceiling_probe *p);
/* Keep only letters, digits, blanks and . : ; ( ) = / _ + - %. */
void ceiling_clean(char *s);
const char *ceiling_fmt_kib(char *buf, size_t len, unsigned long long kib);

/* The command's state: its flags, the set it writes, the machine's limits. */
struct ceiling {
	const char *out_arg;
	char dir[1024];
	char cmbench[1024];
	const struct model_ops *models[CEIL_MODELS_MAX];
	size_t nmodels;
	const struct workload_ops *wls[CEIL_MODELS_MAX];
	size_t nwls;
	unsigned long long cap, from, budget_kib;
	unsigned long long hold_us, probe_timeout_us; /* 0: automatic */
	struct ceiling_limits lim;
	unsigned hold_mul; /* the hold is longer for a search whose tasks were not all
			    * in flight at once (starting them took longer) */
	double start_us;   /* the hold's part per task: twice what starting one took in
			    * the search's last clean probe; 0: CEIL_HOLD_PER_TASK_US */
	int csv_fd, lock_fd;
	unsigned failed_first; /* searches that failed at their first probe */
	bool keep_limits;      /* --keep-limits: RLIMIT_NOFILE and RLIMIT_NPROC as they are */
	struct ceiling_lifted lifted; /* what was raised, before -> after (every row says it) */
};

/* ceiling_flags.c: the flags into cl, checked against the machine (cl->lim
 * read). 0, 1 (--help: printed), or -errno (said). */
int ceiling_parse_args(struct ceiling *cl, int argc, char **argv);
/* ceiling_probe.c: one probe of m on w at C=c into p, probed again with a
 * longer hold (4x, twice at most; cl->hold_mul) while its tasks were not
 * all held at once, then a failure of time. 0, -EINTR, or -errno. */
int ceiling_probe_held(struct ceiling *cl, const struct model_ops *m, const struct workload_ops *w,
		       unsigned long long c, struct ceiling_probe *p);

/* cmbench ceiling [-o DIR] ...: its exit status (0 ok, 1 failed, 2 usage) */
int ceiling_main(int argc, char **argv);

#endif
