/* process_per_task.c - a new process for every task, at most
 * --concurrency alive at once, each reaped. The Python analog: one
 * multiprocessing.Process(target=task).start() per task, joined.
 *
 * --spawn fork (the default): the child is a fork() of the trial; it runs
 * the task and exits. --spawn exec: the child re-executes the cmbench
 * binary (/proc/self/exe) as `cmbench __worker FD SLOT ID PARENT run
 * FLAGS...`, like multiprocessing's "spawn" start method, so the loader,
 * the shared libraries and the flag parsing are paid for every task, as a
 * fresh interpreter is in Python. The run's flags come from the
 * handshake's format_run; `cmbench __worker` parses them and calls this
 * model's child entry (ppt_child_main); what the trial resolved after parsing them (the latency
 * server's address, the calibrated kernel iterations, what the workload's
 * service put in cfg, such as the SQLite file) travels in shared memory.
 *
 * A process is a fresh address space, so its slot is too: each process
 * opens its own (connects, opens its database) and closes it, inside the
 * timed region, as a Python process per task would. --conn keepalive has
 * nothing to keep and is refused.
 *
 * Results: shared memory (a memfd, which an exec'd worker inherits) holds
 * one record per concurrency slot: result, error, completion time and a
 * done flag. The parent reads the record when it reaps the process and
 * records the task in its own task_stats. A task's service time starts
 * just before the fork. A child that dies, or exits without a record,
 * fails its task (errors_worker) and the run goes on. No zombie, no
 * orphan: every child gets PR_SET_PDEATHSIG (it survives exec), and the
 * parent reaps every child it forked before it returns. It reaps with
 * waitpid(-1), whichever ends first: the trial process has no children
 * but these, and a pid that is not one of them is ignored. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../lib/clock.h"
#include "../lib/parse.h"
#include "../lib/proc.h"
#include "../lib/sched.h"
#include "../lib/util.h"
#include "../workloads/workload.h"
#include "model.h"

#define PPT_EXE "/proc/self/exe"

/* What one process reports about its task. */
struct ppt_rec {
	uint64_t result; /* the task's result */
	uint64_t end_ns; /* when it completed (CLOCK_MONOTONIC) */
	int32_t err;	 /* TASK_OK or a task_err */
	uint32_t done;	 /* 1 once the fields above are written */
};

/* The shared memory: what the trial resolved after parsing the flags,
 * then the records. */
struct ppt_shared {
	uint64_t nrec;			     /* records that follow */
	uint64_t cpu_iters;		     /* calibrated from --cpu */
	char target_port[16];		     /* the embedded server's port */
	struct sockaddr_storage target_addr; /* resolved before the trial */
	socklen_t target_addrlen;	     /* its length */
	uint64_t wl_num[CFG_WL_NUM];	     /* the workload's own values */
	char wl_str[CFG_WL_STR][256];	     /* the same, as its service left them */
	struct ppt_rec rec[];		     /* one per concurrency slot */
};

struct ppt_run {
	const struct run_cfg *cfg;   /* the run */
	struct task_stats *out;	     /* the parent's, where every task is recorded */
	struct ppt_shared *sh;	     /* the shared memory */
	size_t shsize;		     /* its size */
	int shfd;		     /* the memfd behind sh */
	uint64_t n;		     /* slots: processes alive at most */
	pid_t *pid;		     /* per slot: its process, 0 when free */
	uint64_t *id;		     /* per slot: the task its process runs */
	uint64_t *start_ns;	     /* per slot: when that process was asked for */
	uint64_t *due_ns;	     /* per slot: when its task was due */
	uint64_t *free;		     /* free slots (a stack) */
	uint64_t nfree;		     /* how many */
	uint64_t alive;		     /* processes forked and not reaped */
	uint64_t t0;		     /* the clock's start */
	const struct trial_ctl *ctl; /* the release schedule (open loop) */
	pid_t self;		     /* the parent */
	char **argv;		     /* exec: the worker's argv, NULL with --spawn fork */
	char exe[PATH_MAX];	     /* exec: argv[0], the binary's path */
	char arg_fd[24];	     /* exec: the memfd, as argv[2] */
	char arg_slot[24];	     /* exec: argv[3], written in the child */
	char arg_id[24];	     /* exec: argv[4], written in the child */
	char arg_parent[24];	     /* exec: argv[5] */
};

/* Run task id on a slot of its own and report it in rec. */
static int ppt_task(const struct run_cfg *cfg, uint64_t id, struct ppt_rec *rec)
{
	struct wl_slot slot = { 0 };

	if (wl_slot_init(&slot, cfg) == -ENOMEM)
		return -ENOMEM;
	wl_run_task(&slot, id);
	rec->result = slot.result;
	rec->err = slot.err;
	rec->end_ns = clock_now_ns();
	__atomic_store_n(&rec->done, 1, __ATOMIC_RELEASE);
	wl_slot_fini(&slot);
	return 0;
}

/* The child, just forked: never returns. */
static void ppt_child(struct ppt_run *r, uint64_t slot, uint64_t id)
{
	die_with_parent(r->self, SIGKILL);
	if (!r->argv)
		_exit(ppt_task(r->cfg, id, &r->sh->rec[slot]) == 0 ? 0 : 4);
	snprintf(r->arg_slot, sizeof(r->arg_slot), "%llu", (unsigned long long)slot);
	snprintf(r->arg_id, sizeof(r->arg_id), "%llu", (unsigned long long)id);
	/* the memfd is close-on-exec in the parent; the worker inherits it */
	fcntl(r->shfd, F_SETFD, 0);
	execv(PPT_EXE, r->argv);
	_exit(127);
}

static int ppt_start(struct ppt_run *r, uint64_t id)
{
	uint64_t slot = r->free[--r->nfree];
	pid_t pid;

	r->sh->rec[slot].done = 0;
	r->due_ns[slot] = ctl_release_ns(r->ctl, r->t0, id);
	r->start_ns[slot] = clock_now_ns();
	pid = fork();
	if (pid == 0)
		ppt_child(r, slot, id);
	if (pid < 0) {
		r->free[r->nfree++] = slot;
		return -errno;
	}
	r->pid[slot] = pid;
	r->id[slot] = id;
	r->alive++;
	return 0;
}

/* The process on slot has ended with wait status st: record its task. */
static void ppt_ended(struct ppt_run *r, uint64_t slot, int st)
{
	const struct ppt_rec *rec = &r->sh->rec[slot];
	uint64_t id = r->id[slot];

	if (__atomic_load_n(&rec->done, __ATOMIC_ACQUIRE) && WIFEXITED(st) &&
	    WEXITSTATUS(st) == 0) {
		stats_task_done(r->out, r->due_ns[slot], r->start_ns[slot], rec->end_ns, id,
				rec->result, rec->err);
	} else {
		stats_task_done(r->out, r->due_ns[slot], r->start_ns[slot], clock_now_ns(), id, 0,
				TASK_ERR_WORKER);
		r->out->workers_lost++;
	}
	r->pid[slot] = 0;
	r->free[r->nfree++] = slot;
	r->alive--;
}

/* Wait for one of the processes to end and record it. */
static void ppt_reap_one(struct ppt_run *r)
{
	pid_t pid;
	int st;

	do
		pid = waitpid(-1, &st, 0);
	while (pid < 0 && errno == EINTR);
	for (uint64_t i = 0; i < r->n; i++) {
		if (r->pid[i] <= 0 || (pid >= 0 && r->pid[i] != pid))
			continue;
		/* pid < 0 (ECHILD): none is left to reap, each one died untold */
		ppt_ended(r, i, pid < 0 ? -1 : st);
		if (pid >= 0)
			return;
	}
}

/* The timed part: every task in a process of its own. Open loop: a task
 * with a free slot is forked when it is due, not before (a process that
 * ends meanwhile wrote its end time, and is reaped after); one that finds
 * no free slot waits for a process to end, and that wait counts. */
static void ppt_tasks(struct ppt_run *r)
{
	uint64_t next = 0, now, due;

	while (next < r->cfg->tasks || r->alive) {
		while (next < r->cfg->tasks && r->nfree > 0) {
			due = ctl_release_ns(r->ctl, r->t0, next);
			if (due > clock_now_ns())
				sched_sleep_until(due);
			if (ppt_start(r, next) == 0) {
				next++;
				continue;
			}
			if (r->alive)
				break; /* no fork now: try again once one has ended */
			now = clock_now_ns();
			stats_task_done(r->out, due, now, now, next++, 0, TASK_ERR_WORKER);
		}
		if (r->alive)
			ppt_reap_one(r);
	}
}

/* The worker's argv, up to "run": cmbench __worker FD SLOT ID PARENT. */
static int ppt_argv(struct ppt_run *r)
{
	char **run, **v;
	size_t n = 0;

	if (!r->ctl->format_run)
		return -ENOTSUP;
	run = r->ctl->format_run(r->cfg);
	if (!run)
		return -ENOMEM;
	while (run[n])
		n++;
	v = calloc(n + 7, sizeof(*v));
	if (!v) {
		for (size_t i = 0; i < n; i++)
			free(run[i]);
		free(run);
		return -ENOMEM;
	}
	/* argv[0] names the binary, so ps shows the workers for what they are */
	if (self_exe(r->exe, sizeof(r->exe)) != 0)
		snprintf(r->exe, sizeof(r->exe), "cmbench");
	snprintf(r->arg_fd, sizeof(r->arg_fd), "%d", r->shfd);
	snprintf(r->arg_parent, sizeof(r->arg_parent), "%lld", (long long)r->self);
	v[0] = r->exe;
	v[1] = "__worker";
	v[2] = r->arg_fd;
	v[3] = r->arg_slot;
	v[4] = r->arg_id;
	v[5] = r->arg_parent;
	memcpy(v + 6, run, (n + 1) * sizeof(*v));
	free(run); /* the strings now belong to v */
	r->argv = v;
	return 0;
}

static void ppt_argv_free(struct ppt_run *r)
{
	for (size_t i = 6; r->argv && r->argv[i]; i++)
		free(r->argv[i]); /* format_run's strings */
	free(r->argv);
	r->argv = NULL;
}

static void ppt_resolved_put(struct ppt_shared *sh, const struct run_cfg *cfg)
{
	sh->cpu_iters = cfg->cpu_iters;
	memcpy(sh->target_port, cfg->target_port, sizeof(sh->target_port));
	sh->target_addr = cfg->target_addr;
	sh->target_addrlen = cfg->target_addrlen;
	memcpy(sh->wl_num, cfg->wl_num, sizeof(sh->wl_num));
	memcpy(sh->wl_str, cfg->wl_str, sizeof(sh->wl_str));
}

static void ppt_resolved_get(struct run_cfg *cfg, const struct ppt_shared *sh)
{
	cfg->cpu_iters = sh->cpu_iters;
	memcpy(cfg->target_port, sh->target_port, sizeof(cfg->target_port));
	cfg->target_port[sizeof(cfg->target_port) - 1] = '\0';
	cfg->target_addr = sh->target_addr;
	cfg->target_addrlen = sh->target_addrlen;
	memcpy(cfg->wl_num, sh->wl_num, sizeof(cfg->wl_num));
	memcpy(cfg->wl_str, sh->wl_str, sizeof(cfg->wl_str));
	for (int i = 0; i < CFG_WL_STR; i++)
		cfg->wl_str[i][sizeof(cfg->wl_str[i]) - 1] = '\0';
}

/* The shared memory: a memfd, so that an exec'd worker can map it too. */
static int ppt_map(struct ppt_run *r)
{
	r->shsize = sizeof(struct ppt_shared) + r->n * sizeof(struct ppt_rec);
	r->shfd = memfd_create("cmbench-process-per-task", MFD_CLOEXEC);
	if (r->shfd < 0)
		return -errno;
	if (ftruncate(r->shfd, (off_t)r->shsize) < 0)
		return -errno;
	r->sh = mmap(NULL, r->shsize, PROT_READ | PROT_WRITE, MAP_SHARED, r->shfd, 0);
	if (r->sh == MAP_FAILED) {
		r->sh = NULL;
		return -errno;
	}
	r->sh->nrec = r->n;
	ppt_resolved_put(r->sh, r->cfg);
	return 0;
}

static int ppt_setup(struct ppt_run *r)
{
	int rc;

	r->pid = calloc(r->n, sizeof(*r->pid));
	r->id = calloc(r->n, sizeof(*r->id));
	r->start_ns = calloc(r->n, sizeof(*r->start_ns));
	r->due_ns = calloc(r->n, sizeof(*r->due_ns));
	r->free = calloc(r->n, sizeof(*r->free));
	if (!r->pid || !r->id || !r->start_ns || !r->due_ns || !r->free)
		return -ENOMEM;
	for (uint64_t i = 0; i < r->n; i++)
		r->free[i] = r->n - 1 - i; /* the first task takes slot 0 */
	r->nfree = r->n;
	rc = ppt_map(r);
	if (rc == 0 && r->cfg->spawn_exec)
		rc = ppt_argv(r);
	fflush(NULL); /* nothing buffered is written twice by the children */
	return rc;
}

static void ppt_teardown(struct ppt_run *r)
{
	ppt_argv_free(r);
	if (r->sh)
		munmap(r->sh, r->shsize);
	if (r->shfd >= 0)
		close(r->shfd);
	free(r->pid);
	free(r->id);
	free(r->start_ns);
	free(r->due_ns);
	free(r->free);
}

static int process_per_task_run(const struct run_cfg *cfg, struct trial_ctl *ctl,
				struct task_stats *out)
{
	struct ppt_run r = { .cfg = cfg,
			     .out = out,
			     .shfd = -1,
			     .self = getpid(),
			     .ctl = ctl,
			     .n = cfg->concurrency < cfg->tasks ? cfg->concurrency : cfg->tasks };
	int rc;

	stats_init(out);
	rc = ppt_setup(&r);
	if (rc == 0) {
		r.t0 = ctl->go(ctl);
		ppt_tasks(&r); /* returns once every process is reaped */
		ctl->end(ctl);
	}
	ppt_teardown(&r);
	return rc;
}

static int ppt_check(const struct run_cfg *cfg, char *err, size_t errlen)
{
	struct rlimit rl;

	if (cfg->keepalive && cfg->workload->does_io) {
		snprintf(err, errlen,
			 "--conn keepalive: process-per-task opens a fresh connection in every "
			 "process; nothing can be kept (use --conn new)");
		return -EINVAL;
	}
	if (cfg->spawn_exec && access(PPT_EXE, X_OK) != 0) {
		snprintf(err, errlen, "--spawn exec: cannot re-execute this binary (%s: %s)",
			 PPT_EXE, strerror(errno));
		return -EINVAL;
	}
	/* root is not held to RLIMIT_NPROC */
	if (geteuid() != 0 && getrlimit(RLIMIT_NPROC, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    cfg->concurrency + 64 > rl.rlim_cur) {
		snprintf(err, errlen,
			 "--concurrency: %llu processes is above the process limit (ulimit -u "
			 "%llu, with 64 kept in reserve)",
			 (unsigned long long)cfg->concurrency, (unsigned long long)rl.rlim_cur);
		return -EINVAL;
	}
	return 0;
}

/* The exec'd worker's numbers. */
static int worker_args(char **argv, uint64_t *fd, uint64_t *slot, uint64_t *id, uint64_t *parent,
		       char *err, size_t errlen)
{
	if (cli_parse_u64("__worker FD", argv[1], 0, INT_MAX, fd, err, errlen) ||
	    cli_parse_u64("__worker SLOT", argv[2], 0, UINT64_MAX, slot, err, errlen) ||
	    cli_parse_u64("__worker ID", argv[3], 0, UINT64_MAX, id, err, errlen) ||
	    cli_parse_u64("__worker PARENT", argv[4], 1, INT_MAX, parent, err, errlen))
		return -EINVAL;
	return 0;
}

/* The shared memory behind fd, checked against what the worker is asked
 * to write. */
static struct ppt_shared *worker_map(int fd, uint64_t slot, size_t *size, char *err, size_t errlen)
{
	struct ppt_shared *sh;
	struct stat stt;

	if (fstat(fd, &stt) < 0 || (size_t)stt.st_size < sizeof(*sh)) {
		snprintf(err, errlen, "__worker: fd %d is not process-per-task's shared memory",
			 fd);
		return NULL;
	}
	*size = (size_t)stt.st_size;
	sh = mmap(NULL, *size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (sh == MAP_FAILED || slot >= sh->nrec ||
	    sizeof(*sh) + (slot + 1) * sizeof(sh->rec[0]) > *size) {
		if (sh != MAP_FAILED)
			munmap(sh, *size);
		snprintf(err, errlen, "__worker: no slot %llu in the shared memory of fd %d",
			 (unsigned long long)slot, fd);
		return NULL;
	}
	return sh;
}

/* cmbench __worker FD SLOT ID PARENT run FLAGS...: one task of
 * process-per-task --spawn exec; its record goes to slot SLOT of the
 * shared memory on fd FD. argv holds FD SLOT ID PARENT; cfg is FLAGS. */
static int ppt_child_main(struct run_cfg *cfg, int argc, char **argv, char *err, size_t errlen)
{
	uint64_t fd, slot, id, parent;
	struct ppt_shared *sh;
	size_t size;
	int rc;

	if (argc != 4) {
		snprintf(err, errlen, "__worker: takes FD SLOT ID PARENT before run");
		return -EINVAL;
	}
	if (worker_args(argv - 1, &fd, &slot, &id, &parent, err, errlen))
		return -EINVAL;
	die_with_parent((pid_t)parent, SIGKILL);
	sh = worker_map((int)fd, slot, &size, err, errlen);
	if (!sh)
		return -EINVAL;
	ppt_resolved_get(cfg, sh);
	signal(SIGPIPE, SIG_IGN);
	rc = ppt_task(cfg, id, &sh->rec[slot]);
	munmap(sh, size);
	return rc;
}

const struct model_ops model_process_per_task = {
	.name = "process-per-task",
	.summary = "a new process for every task (at most --concurrency alive), each reaped; "
		   "--spawn fork|exec",
	.label = "proc/task",
	.color = "#882255",
	.par = MODEL_PAR_SLOTS,
	.per_task = true,
	.kind = MODEL_KIND_PROCESSES,
	.open_loop = true,
	.spawns = true,
	.check = ppt_check,
	.run = process_per_task_run,
	.child = ppt_child_main,
};
