/* sweep.c - `cmbench sweep`, `cmbench merge` and `cmbench compare`.
 *
 * A sweep expands a spec (spec.c) into cells and runs each cell as one
 * hyperfine invocation of `cmbench run`: warm-up runs, then reps measured
 * runs, each a fresh process that appends its csv row to a scratch file.
 * When hyperfine is done the measured rows go to results.csv, one write()
 * per row, and cells.csv and meta.json are rewritten whole (rename), so an
 * interrupted sweep keeps every finished cell and --resume goes on from
 * there. The result set layout is in DESIGN.md and README.md. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../models/model.h"
#include "cells.h"
#include "../commands.h"
#include "meta.h"
#include "../probe.h"
#include "../result.h"
#include "spec.h"

#define CAL_REF_US 1000   /* the calibration's reference work */
#define RUN_OVERHEAD_S 0.08 /* a run's fixed cost, for the first estimate */
#define KILL_GRACE_S 3.0  /* after forwarding a signal, SIGKILL stragglers */
#define DIR_MAX 1024      /* paths the sweep keeps: the set, the spec, the binary */

/* ---- small helpers -------------------------------------------------------- */

static void say(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* One line on stderr, prefixed with the command's name. */
static void say(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "cmbench %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* mm:ss, or h:mm:ss past an hour. */
static const char *fmt_dur(double s, char *buf, size_t len)
{
	long t = s > 0 ? (long)(s + 0.5) : 0;

	if (t >= 3600)
		snprintf(buf, len, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
	else
		snprintf(buf, len, "%02ld:%02ld", t / 60, t % 60);
	return buf;
}

static int path_join(char *buf, size_t len, const char *dir, const char *name)
{
	if (snprintf(buf, len, "%s/%s", dir, name) >= (int)len)
		return -ENAMETOOLONG;
	return 0;
}

static int mkdir_p(const char *path)
{
	char buf[PATH_MAX];

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return -ENAMETOOLONG;
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0777) != 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, 0777) != 0 && errno != EEXIST)
		return -errno;
	return 0;
}

static bool file_nonempty(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && st.st_size > 0;
}

/* Copy a small file; 0 or -errno. */
static int copy_file(const char *from, const char *to)
{
	char buf[65536];
	int in, out, rc = 0;
	ssize_t n;

	in = open(from, O_RDONLY);
	if (in < 0)
		return -errno;
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0666);
	if (out < 0) {
		rc = -errno;
		goto out_in;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n) {
			rc = -EIO;
			break;
		}
	if (n < 0)
		rc = -errno;
	close(out);
out_in:
	close(in);
	return rc;
}

/* The results.csv header: "cell,rep," and the run columns, with newline. */
static char *results_header(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	fputs("cell,rep,", f);
	result_csv_header(f);
	fputc('\n', f);
	fclose(f);
	return buf;
}

/* Append one whole line with a single write(), so a crash never leaves half
 * a row behind. 0 or -errno. */
static int append_line(int fd, const char *line)
{
	size_t len = strlen(line);
	ssize_t n = write(fd, line, len);

	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

/* ---- the sweep's state ------------------------------------------------------ */

struct sweep {
	const char *spec_arg;         /* SPEC as given */
	char spec_path[DIR_MAX];      /* the file read */
	char *spec_text;              /* its text */
	struct spec spec;
	const char *out_arg;          /* -o DIR, or NULL */
	bool resume;                  /* --resume */
	unsigned shard_i, shard_n;    /* --shard i/n (1/1: all) */
	char cmbench[DIR_MAX];        /* the binary the runs use */
	char dir[DIR_MAX];            /* the result set */
	bool update_latest;           /* dir is results/<run-id>: keep results/latest */
	struct spec_cell *cells;      /* this shard's cells, in spec order */
	size_t ncells;
	bool *done;                   /* cell has all its trials in results.csv */
	bool *ok;                     /* and they are good */
	struct meta meta;             /* meta.json */
	double *est;                  /* estimated seconds per cell */
};

static volatile sig_atomic_t stop_sig; /* the signal that asked us to stop */
static volatile pid_t child_pgid;      /* hyperfine's process group, 0 when none */

/* Forward the signal to hyperfine's whole group (it and its runs), and
 * remember it: the sweep stops after that cell, keeping what is done. */
static void on_stop(int sig)
{
	stop_sig = sig;
	if (child_pgid > 0)
		kill(-child_pgid, sig);
}

static void install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	/* no SA_RESTART: waitpid returns EINTR and the loop looks at stop_sig */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

static void usage_sweep(FILE *f)
{
	fprintf(f, "usage: cmbench sweep SPEC [-o DIR] [--resume] [--shard i/n] [--cmbench PATH]\n"
		   "  SPEC        a spec file, or a name in sweeps/ (default, quick)\n"
		   "  -o DIR      the result set (default results/<UTC time>-<spec name>)\n"
		   "  --resume    go on with the set in DIR (or results/latest): skip done cells\n"
		   "  --shard i/n run only cells i, i+n, i+2n, ... (1-based); join with merge\n"
		   "  --cmbench P the binary whose `run` is measured (default: this one)\n");
}

static int parse_shard(const char *s, unsigned *i, unsigned *n)
{
	char *e;
	unsigned long a, b;

	a = strtoul(s, &e, 10);
	if (e == s || *e != '/')
		return -1;
	s = e + 1;
	b = strtoul(s, &e, 10);
	if (e == s || *e || a < 1 || b < 1 || a > b || b > 100000)
		return -1;
	*i = (unsigned)a;
	*n = (unsigned)b;
	return 0;
}

static int sweep_args(struct sweep *sw, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage_sweep(stdout);
			return 1;
		} else if (strcmp(a, "--resume") == 0) {
			sw->resume = true;
		} else if (strcmp(a, "-o") == 0 || strcmp(a, "--shard") == 0 ||
			   strcmp(a, "--cmbench") == 0) {
			if (i + 1 == argc) {
				say("sweep", "%s needs a value", a);
				return 2;
			}
			if (strcmp(a, "-o") == 0) {
				sw->out_arg = argv[++i];
			} else if (strcmp(a, "--cmbench") == 0) {
				snprintf(sw->cmbench, sizeof(sw->cmbench), "%s", argv[++i]);
			} else if (parse_shard(argv[++i], &sw->shard_i, &sw->shard_n)) {
				say("sweep", "--shard: '%s' is not i/n with 1 <= i <= n", argv[i]);
				return 2;
			}
		} else if (a[0] == '-') {
			say("sweep", "unknown flag '%s' (cmbench sweep --help)", a);
			return 2;
		} else if (sw->spec_arg) {
			say("sweep", "one SPEC only, got '%s' and '%s'", sw->spec_arg, a);
			return 2;
		} else {
			sw->spec_arg = a;
		}
	}
	if (!sw->spec_arg) {
		usage_sweep(stderr);
		return 2;
	}
	return 0;
}

/* SPEC is a path, or a bare name looked up in sweeps/ here and
 * next to the binary. */
static int find_spec(struct sweep *sw)
{
	char exe[PATH_MAX], cand[PATH_MAX * 2];
	ssize_t n;

	if (strchr(sw->spec_arg, '/') || access(sw->spec_arg, R_OK) == 0) {
		if (snprintf(sw->spec_path, sizeof(sw->spec_path), "%s", sw->spec_arg) >=
		    (int)sizeof(sw->spec_path)) {
			say("sweep", "%s: path too long", sw->spec_arg);
			return 2;
		}
		return 0;
	}
	snprintf(cand, sizeof(cand), "sweeps/%s", sw->spec_arg);
	if (access(cand, R_OK) != 0) {
		n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
		if (n > 0) {
			exe[n] = '\0';
			snprintf(cand, sizeof(cand), "%s/sweeps/%s", dirname(exe),
				 sw->spec_arg);
		}
	}
	if (access(cand, R_OK) != 0) {
		say("sweep", "%s: no such spec file, nor sweeps/%s", sw->spec_arg,
		    sw->spec_arg);
		return 2;
	}
	if (snprintf(sw->spec_path, sizeof(sw->spec_path), "%s", cand) >=
	    (int)sizeof(sw->spec_path)) {
		say("sweep", "%s: path too long", cand);
		return 2;
	}
	return 0;
}

/* ---- the result set ----------------------------------------------------------- */

/* Point results/latest at dir's base name, atomically. */
static void update_latest(const struct sweep *sw)
{
	char tmp[PATH_MAX], base[PATH_MAX];

	if (!sw->update_latest)
		return;
	snprintf(base, sizeof(base), "%s", sw->dir);
	snprintf(tmp, sizeof(tmp), "results/.latest.%d", (int)getpid());
	unlink(tmp);
	if (symlink(basename(base), tmp) != 0 || rename(tmp, "results/latest") != 0) {
		say("sweep", "cannot update results/latest: %s", strerror(errno));
		unlink(tmp);
	}
}

/* Choose and create the set's directory. */
static int open_dir(struct sweep *sw)
{
	char stamp[32], sub[PATH_MAX];
	time_t t = time(NULL);
	struct tm tm;
	ssize_t n;
	int rc;
	static const char *const subs[] = { "", "/hyperfine", "/spectra", "/.scratch" };

	if (sw->out_arg) {
		if (snprintf(sw->dir, sizeof(sw->dir), "%s", sw->out_arg) >= (int)sizeof(sw->dir)) {
			say("sweep", "-o %s: path too long", sw->out_arg);
			return 2;
		}
	} else if (sw->resume) {
		n = readlink("results/latest", sub, sizeof(sub) - 1);
		if (n <= 0) {
			say("sweep", "--resume without -o needs results/latest; there is none");
			return 2;
		}
		sub[n] = '\0';
		if (snprintf(sw->dir, sizeof(sw->dir), "results/%s", sub) >= (int)sizeof(sw->dir)) {
			say("sweep", "results/latest: its target is too long");
			return 2;
		}
		sw->update_latest = true;
	} else {
		gmtime_r(&t, &tm);
		strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
		if (sw->shard_n > 1)
			snprintf(sw->dir, sizeof(sw->dir), "results/%s-%s-shard%uof%u", stamp,
				 sw->spec.name, sw->shard_i, sw->shard_n);
		else
			snprintf(sw->dir, sizeof(sw->dir), "results/%s-%s", stamp, sw->spec.name);
		sw->update_latest = true;
	}
	if (strchr(sw->dir, '\'') || strchr(sw->dir, '"') || strchr(sw->dir, '\\')) {
		say("sweep", "%s: quotes and backslashes are not allowed in the set's path",
		    sw->dir);
		return 2;
	}
	for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
		snprintf(sub, sizeof(sub), "%s%s", sw->dir, subs[i]);
		rc = mkdir_p(sub);
		if (rc) {
			say("sweep", "cannot create %s: %s", sub, strerror(-rc));
			return 1;
		}
	}
	return 0;
}

/* ---- calibration and planning ------------------------------------------------- */

/* Iterations per CAL_REF_US of kernel work, from `cmbench calibrate`, once:
 * every cell of one cpu work level gets the same --cpu-iters, so the
 * checksums agree across models. A resumed set keeps its calibration. */
static int calibrate(struct sweep *sw)
{
	struct meta *m = &sw->meta;
	char out[128], ref[32], *e;
	char *argv[] = { sw->cmbench, "calibrate", ref, NULL };
	bool need = false;

	for (size_t i = 0; i < sw->ncells; i++)
		need |= sw->cells[i].cpu_us > 0;
	if (need && !(m->cal_ref_us && m->cal_ref_iters)) {
		snprintf(ref, sizeof(ref), "%dus", CAL_REF_US);
		if (meta_capture(argv, out, sizeof(out)) != 0) {
			say("sweep", "%s calibrate %s failed: %s", sw->cmbench, ref, out);
			return 1;
		}
		m->cal_ref_us = CAL_REF_US;
		m->cal_ref_iters = strtoull(out, &e, 10);
		if (e == out || m->cal_ref_iters == 0) {
			say("sweep", "%s calibrate %s printed '%s', not a count", sw->cmbench, ref,
			    out);
			return 1;
		}
	}
	for (size_t i = 0; i < sw->ncells; i++) {
		struct spec_cell *c = &sw->cells[i];
		bool known = false;

		if (c->cpu_us == 0)
			continue;
		c->cpu_iters = meta_iters(m, c->cpu_us);
		if (c->cpu_iters == 0)
			c->cpu_iters = 1;
		for (size_t k = 0; k < m->nlevels; k++)
			known |= m->level_us[k] == c->cpu_us;
		if (!known && m->nlevels < META_LEVELS) {
			m->level_us[m->nlevels] = c->cpu_us;
			m->level_iters[m->nlevels++] = c->cpu_iters;
		}
	}
	return 0;
}

/* Seconds one cell should take: its runs times a guess of each run's
 * makespan plus the fixed cost of a run. Only the ETA uses it. */
static double cell_estimate(const struct spec_cell *c, int cores, unsigned runs)
{
	const struct model_ops *m = model_find(c->model);
	double n = (double)c->tasks, conc = (double)c->concurrency;
	double l = (double)c->io_latency_us, w = (double)c->cpu_us, t;

	if (m && m->one_slot)
		t = n * (l + w) / 1e6;
	else if (strcmp(c->model, "eventloop") == 0) /* its CPU parts run on one thread */
		t = fmax(ceil(n / conc) * (l + w), n * w) / 1e6;
	else
		t = result_bound_s(n, conc, cores, l, w);
	return runs * (RUN_OVERHEAD_S + t);
}

/* The spec's cells that belong to this shard. */
static int plan(struct sweep *sw)
{
	struct spec_cell *all;
	size_t n, k = 0;
	char err[SPEC_ERR_MAX];
	int cores = sw->meta.cores;

	if (spec_expand(&sw->spec, cores, &all, &n, err, sizeof(err))) {
		say("sweep", "%s: %s", sw->spec_path, err);
		return 2;
	}
	for (size_t i = 0; i < n; i++)
		if (i % sw->shard_n == sw->shard_i - 1)
			all[k++] = all[i];
	sw->cells = all;
	sw->ncells = k;
	sw->done = calloc(k ? k : 1, sizeof(bool));
	sw->ok = calloc(k ? k : 1, sizeof(bool));
	sw->est = calloc(k ? k : 1, sizeof(double));
	if (!sw->done || !sw->ok || !sw->est) {
		say("sweep", "out of memory");
		return 1;
	}
	return 0;
}

/* ---- results.csv, cells.csv, meta.json ---------------------------------------- */

/* Create results.csv with its header, or check that an existing one has
 * the columns this cmbench writes. */
static int open_results(struct sweep *sw)
{
	char path[PATH_MAX], *hdr = results_header(), *line = NULL;
	size_t cap = 0;
	FILE *f;
	int fd, rc = 0;

	if (!hdr || path_join(path, sizeof(path), sw->dir, "results.csv"))
		return 1;
	if (file_nonempty(path)) {
		f = fopen(path, "r");
		if (!f || getline(&line, &cap, f) < 0 || strcmp(line, hdr) != 0) {
			say("sweep", "%s: its columns differ from the ones this cmbench writes",
			    path);
			rc = 2;
		}
		if (f)
			fclose(f);
		free(line);
		free(hdr);
		return rc;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0666);
	if (fd < 0 || append_line(fd, hdr) != 0) {
		say("sweep", "cannot write %s: %s", path, strerror(errno));
		rc = 1;
	}
	if (fd >= 0)
		close(fd);
	free(hdr);
	return rc;
}

/* Fold results.csv into cells.csv (rewritten whole) and note which cells
 * are done. Returns the number of failed cells among the done ones. */
static unsigned refresh_cells(struct sweep *sw)
{
	char path[PATH_MAX], hfpath[PATH_MAX];
	struct cells_summary *sum;
	struct cells_csv res;
	struct cells_hf hf;
	size_t n = 0;
	unsigned failed = 0;
	int rc;

	path_join(path, sizeof(path), sw->dir, "results.csv");
	if (cells_csv_read(path, &res) != 0)
		return 0;
	sum = calloc(sw->ncells ? sw->ncells : 1, sizeof(*sum));
	if (!sum) {
		cells_csv_free(&res);
		return 0;
	}
	for (size_t i = 0; i < sw->ncells; i++) {
		const struct spec_cell *c = &sw->cells[i];
		int hrc;

		snprintf(hfpath, sizeof(hfpath), "%s/hyperfine/%s.json", sw->dir, c->id);
		hrc = cells_hf_read(hfpath, &hf);
		if (!cells_summarize(c, &res, hrc == 0 ? &hf : NULL, &sum[n]))
			continue;
		sw->done[i] = sum[n].reps >= sw->spec.reps;
		sw->ok[i] = sum[n].ok;
		failed += sw->done[i] && !sw->ok[i];
		n++;
	}
	path_join(path, sizeof(path), sw->dir, "cells.csv");
	rc = cells_write(path, sum, n);
	if (rc)
		say("sweep", "cannot write %s: %s", path, strerror(-rc));
	free(sum);
	cells_csv_free(&res);
	return failed;
}

static void write_meta(struct sweep *sw)
{
	char path[PATH_MAX];
	unsigned done = 0, failed = 0;
	int rc;

	for (size_t i = 0; i < sw->ncells; i++) {
		done += sw->done[i];
		failed += sw->done[i] && !sw->ok[i];
	}
	sw->meta.cells_total = (unsigned)sw->ncells;
	sw->meta.cells_done = done;
	sw->meta.cells_failed = failed;
	path_join(path, sizeof(path), sw->dir, "meta.json");
	rc = meta_write(path, &sw->meta);
	if (rc)
		say("sweep", "cannot write %s: %s", path, strerror(-rc));
}

/* Fill meta for a new set, or take over the stored one when resuming. */
static int init_meta(struct sweep *sw)
{
	char path[PATH_MAX];
	struct meta old;
	struct meta *m = &sw->meta;

	path_join(path, sizeof(path), sw->dir, "meta.json");
	memset(m, 0, sizeof(*m));
	meta_probe(m);
	if (sw->resume && meta_read(path, &old) == 0) {
		if (strcmp(old.spec_name, sw->spec.name) != 0) {
			say("sweep", "%s holds a '%s' sweep, not '%s'; resume it with its own spec "
				     "or pick the set with -o",
			    sw->dir, old.spec_name, sw->spec.name);
			meta_free(&old);
			return 2;
		}
		if (old.spec_text && strcmp(old.spec_text, sw->spec_text) != 0)
			say("sweep", "note: %s changed since %s was started; cells are matched "
				     "by their parameters", sw->spec_path, sw->dir);
		if (old.cores != m->cores || strcmp(old.cpu_model, m->cpu_model) != 0)
			say("sweep", "warning: %s was started on another host (%s, %d cores)",
			    sw->dir, old.cpu_model, old.cores);
		m->cal_ref_us = old.cal_ref_us;
		m->cal_ref_iters = old.cal_ref_iters;
		m->nlevels = old.nlevels;
		memcpy(m->level_us, old.level_us, sizeof(m->level_us));
		memcpy(m->level_iters, old.level_iters, sizeof(m->level_iters));
		snprintf(m->start_utc, sizeof(m->start_utc), "%s", old.start_utc);
		meta_free(&old);
	}
	if (!m->start_utc[0])
		meta_utc_now(m->start_utc, sizeof(m->start_utc));
	snprintf(path, sizeof(path), "%s", sw->dir);
	snprintf(m->run_id, sizeof(m->run_id), "%s", basename(path));
	snprintf(m->spec_name, sizeof(m->spec_name), "%s", sw->spec.name);
	snprintf(m->spec_file, sizeof(m->spec_file), "%s", sw->spec_path);
	m->spec_text = sw->spec_text;
	snprintf(m->shard, sizeof(m->shard), "%u/%u", sw->shard_i, sw->shard_n);
	snprintf(m->cmbench, sizeof(m->cmbench), "%s", sw->cmbench);
	m->reps = sw->spec.reps;
	m->warmup = sw->spec.warmup;
	return 0;
}

/* ---- one cell ------------------------------------------------------------------- */

/* arg, quoted for hyperfine -N (which splits like a POSIX shell) when it
 * holds anything but plain characters. */
static void put_arg(FILE *f, const char *arg)
{
	bool plain = *arg != '\0';

	for (const char *p = arg; *p; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
			    "_-./:=@%+,",
			    *p))
			plain = false;
	fputc(' ', f);
	if (plain) {
		fputs(arg, f);
		return;
	}
	fputc('\'', f);
	for (; *arg; arg++)
		if (*arg == '\'')
			fputs("'\\''", f);
		else
			fputc(*arg, f);
	fputc('\'', f);
}

/* The `cmbench run` command line of a cell, as one string for hyperfine. */
static char *run_command(const struct sweep *sw, const struct spec_cell *c, const char *scratch,
			 const char *spectrum)
{
	char *buf = NULL, num[32];
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	bool io = strcmp(c->workload, "cpu") != 0, cpu = strcmp(c->workload, "io") != 0;

	if (!f)
		return NULL;
	put_arg(f, sw->cmbench);
	fprintf(f, " run --model %s --workload %s --tasks %llu --concurrency %llu --workers %llu",
		c->model, c->workload, (unsigned long long)c->tasks,
		(unsigned long long)c->concurrency, (unsigned long long)c->workers);
	if (io)
		fprintf(f, " --io-latency %lluus --payload %llu --conn %s",
			(unsigned long long)c->io_latency_us, (unsigned long long)c->payload,
			c->keepalive ? "keepalive" : "new");
	if (cpu)
		fprintf(f, " --cpu-iters %llu", (unsigned long long)c->cpu_iters);
	snprintf(num, sizeof(num), "%lluus", (unsigned long long)sw->spec.timeout_us);
	fprintf(f, " --timeout %s --format csv --append", num);
	put_arg(f, scratch);
	fputs(" --spectrum", f);
	put_arg(f, spectrum);
	fclose(f);
	/* drop the leading blank of the first put_arg */
	memmove(buf, buf + 1, strlen(buf));
	return buf;
}

/* Run hyperfine for one cell, its output into log. Returns its wait
 * status, or -1 when it could not be started. On a stop signal the whole
 * group gets it, and SIGKILL if it lingers. */
static int run_hyperfine(char *const argv[], const char *log)
{
	pid_t pid;
	int st, fd;
	double stop_at = 0;

	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		fd = open("/dev/null", O_RDONLY);
		if (fd >= 0)
			dup2(fd, 0);
		fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0666);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execvp(argv[0], argv);
		dprintf(2, "cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	setpgid(pid, pid); /* also here: no race with the child's own call */
	child_pgid = pid;
	if (stop_sig)
		kill(-pid, stop_sig);
	for (;;) {
		pid_t w = waitpid(pid, &st, stop_sig ? WNOHANG : 0);

		if (w == pid)
			break;
		if (w < 0 && errno != EINTR) {
			st = -1;
			break;
		}
		if (stop_sig) {
			if (stop_at == 0)
				stop_at = now_s();
			else if (now_s() - stop_at > KILL_GRACE_S)
				kill(-pid, SIGKILL);
			usleep(20000);
		}
	}
	if (stop_sig)
		kill(-pid, SIGKILL); /* whatever of its group is left */
	child_pgid = 0;
	return st;
}

/* The row of a trial that left none (its run died): the parameters, with
 * nothing completed, so the cell reads as failed. */
static char *failure_row(const struct spec_cell *c, int cores)
{
	struct result_row r;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	memset(&r, 0, sizeof(r));
	snprintf(r.model, sizeof(r.model), "%s", c->model);
	snprintf(r.workload, sizeof(r.workload), "%s", c->workload);
	snprintf(r.conn, sizeof(r.conn), "%s", c->keepalive ? "keepalive" : "new");
	snprintf(r.checksum, sizeof(r.checksum), "%s", "0000000000000000");
	snprintf(r.libuv, sizeof(r.libuv), "%s", "none");
	r.tasks = (double)c->tasks;
	r.concurrency = (double)c->concurrency;
	r.workers = (double)c->workers;
	r.io_latency_us = (double)c->io_latency_us;
	r.payload = (double)c->payload;
	r.cpu_iters = (double)c->cpu_iters;
	r.cores = cores;
	f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	result_csv_row(f, &r);
	fclose(f);
	return buf;
}

/* Whether a run's csv (the scratch file) has the run columns of results.csv. */
static bool same_columns(const struct cells_csv *t)
{
	char *hdr = results_header(), *p;
	size_t len;
	bool same = hdr != NULL;

	p = hdr ? hdr + strlen("cell,rep,") : NULL;
	for (size_t k = 0; same && k < t->ncols; k++) {
		len = strlen(t->hdr[k]);
		same = strncmp(p, t->hdr[k], len) == 0 &&
		       p[len] == (k + 1 < t->ncols ? ',' : '\n');
		p += len + 1;
	}
	free(hdr);
	return same;
}

/* Move the measured rows of the scratch file into results.csv: the last
 * reps rows (the first ones are the warm-ups), one write each. A trial
 * that left no row gets a failure row. 0, or 1 when results.csv cannot
 * be written. */
static int keep_rows(struct sweep *sw, const struct spec_cell *c, const char *scratch)
{
	char path[PATH_MAX], *line = NULL, *fail;
	struct cells_csv t;
	unsigned reps = sw->spec.reps, have, missing;
	size_t from;
	int fd, rc = 0;

	if (cells_csv_read(scratch, &t) != 0)
		memset(&t, 0, sizeof(t));
	if (t.hdr && !same_columns(&t)) {
		say("sweep", "%s writes other columns than results.csv has; stopping",
		    sw->cmbench);
		cells_csv_free(&t);
		return 1;
	}
	have = t.nrows < reps ? (unsigned)t.nrows : reps;
	missing = reps - have;
	from = t.nrows - have;
	path_join(path, sizeof(path), sw->dir, "results.csv");
	fd = open(path, O_WRONLY | O_APPEND);
	if (fd < 0) {
		say("sweep", "cannot open %s: %s", path, strerror(errno));
		cells_csv_free(&t);
		return 1;
	}
	for (unsigned r = 1; r <= reps && rc == 0; r++) {
		size_t len = 0;
		FILE *m = open_memstream(&line, &len);

		if (!m) {
			rc = 1;
			break;
		}
		fprintf(m, "%s,%u", c->id, r);
		if (r <= missing) {
			fail = failure_row(c, sw->meta.cores);
			fprintf(m, ",%s", fail ? fail : "");
			free(fail);
		} else {
			char **f = t.rows[from + r - 1 - missing];

			for (size_t k = 0; k < t.ncols; k++)
				fprintf(m, ",%s", f[k]);
		}
		fputc('\n', m);
		fclose(m);
		if (append_line(fd, line) != 0) {
			say("sweep", "cannot append to %s: %s", path, strerror(errno));
			rc = 1;
		}
		free(line);
		line = NULL;
	}
	close(fd);
	cells_csv_free(&t);
	return rc;
}

/* Run one cell through hyperfine and keep its rows. 0; 1 when the set
 * cannot be written or hyperfine cannot start (the sweep stops); -1 when
 * a stop signal came (nothing of the cell is kept). */
static int run_cell(struct sweep *sw, const struct spec_cell *c)
{
	char scratch[PATH_MAX], spectrum[PATH_MAX], json[PATH_MAX], log[PATH_MAX];
	char warm[16], runs[16], *cmd;
	int st, rc;

	snprintf(scratch, sizeof(scratch), "%s/.scratch/%s.csv", sw->dir, c->id);
	snprintf(log, sizeof(log), "%s/.scratch/%s.log", sw->dir, c->id);
	snprintf(spectrum, sizeof(spectrum), "%s/spectra/%s.csv", sw->dir, c->id);
	snprintf(json, sizeof(json), "%s/hyperfine/%s.json", sw->dir, c->id);
	snprintf(warm, sizeof(warm), "%u", sw->spec.warmup);
	snprintf(runs, sizeof(runs), "%u", sw->spec.reps);
	unlink(scratch);
	cmd = run_command(sw, c, scratch, spectrum);
	if (!cmd)
		return 1;
	char *argv[] = { "hyperfine", "-N", "--warmup", warm, "--runs", runs, "--ignore-failure",
			 "--style", "none", "--output", "inherit", "--export-json", json,
			 "--command-name", (char *)c->id, "--", cmd, NULL };
	st = run_hyperfine(argv, log);
	free(cmd);
	if (stop_sig)
		return -1;
	if (st == -1 || (WIFEXITED(st) && WEXITSTATUS(st) == 127)) {
		say("sweep", "hyperfine did not run (see %s); is it installed? (make deps-bench)",
		    log);
		return 1;
	}
	rc = keep_rows(sw, c, scratch);
	unlink(scratch);
	return rc;
}

/* ---- the sweep -------------------------------------------------------------- */

static void progress(const struct sweep *sw, size_t i, size_t pos, size_t todo, double eta)
{
	const struct spec_cell *c = &sw->cells[i];
	char t[32], share[16];

	if (c->share_pct >= 0)
		snprintf(share, sizeof(share), "%d%%", c->share_pct);
	else
		snprintf(share, sizeof(share), "-");
	fprintf(stderr, "[%zu/%zu] %s %s C=%llu share=%s tasks=%llu ETA %s\n", pos, todo, c->model,
		c->workload, (unsigned long long)c->concurrency, share,
		(unsigned long long)c->tasks, fmt_dur(eta, t, sizeof(t)));
}

/* Keep the log of a failed cell in logs/, drop the others. */
static void keep_log(const struct sweep *sw, const struct spec_cell *c, bool ok)
{
	char log[PATH_MAX], dst[PATH_MAX];

	snprintf(log, sizeof(log), "%s/.scratch/%s.log", sw->dir, c->id);
	if (ok) {
		unlink(log);
		return;
	}
	snprintf(dst, sizeof(dst), "%s/logs", sw->dir);
	mkdir(dst, 0777);
	snprintf(dst, sizeof(dst), "%s/logs/%s.log", sw->dir, c->id);
	rename(log, dst);
}

static int sweep_loop(struct sweep *sw, size_t todo, double est_left)
{
	double t0 = now_s(), spent_est = 0, eta;
	size_t pos = 0;
	int rc;

	for (size_t i = 0; i < sw->ncells && !stop_sig; i++) {
		if (sw->done[i])
			continue;
		pos++;
		/* scale the estimate by how fast the finished cells really went */
		eta = spent_est > 0 ? est_left * (now_s() - t0) / spent_est : est_left;
		progress(sw, i, pos, todo, eta);
		rc = run_cell(sw, &sw->cells[i]);
		if (rc < 0)
			break;
		if (rc > 0)
			return 1;
		refresh_cells(sw);
		keep_log(sw, &sw->cells[i], sw->ok[i]);
		if (!sw->ok[i])
			say("sweep", "cell %s failed (log in %s/logs/)", sw->cells[i].id, sw->dir);
		write_meta(sw);
		spent_est += sw->est[i];
		est_left -= sw->est[i];
	}
	return 0;
}

static int sweep_run(struct sweep *sw)
{
	char t[32], path[PATH_MAX];
	size_t todo = 0;
	unsigned runs = sw->spec.reps + sw->spec.warmup, failed = 0;
	double est = 0, t0 = now_s();
	int rc;

	refresh_cells(sw);
	for (size_t i = 0; i < sw->ncells; i++) {
		sw->est[i] = cell_estimate(&sw->cells[i], sw->meta.cores, runs);
		if (!sw->done[i]) {
			todo++;
			est += sw->est[i];
		}
	}
	write_meta(sw);
	update_latest(sw);
	fprintf(stderr,
		"cmbench sweep: %s: %zu cells%s, %zu to run x %u runs (%u warm-up) = %zu runs, "
		"about %s; results in %s\n",
		sw->spec.name, sw->ncells, sw->shard_n > 1 ? " in this shard" : "", todo, runs,
		sw->spec.warmup, todo * runs, fmt_dur(est, t, sizeof(t)), sw->dir);
	rc = sweep_loop(sw, todo, est);
	snprintf(path, sizeof(path), "%s/.scratch", sw->dir);
	rmdir(path); /* empty unless a cell was cut short */
	refresh_cells(sw);
	meta_utc_now(sw->meta.end_utc, sizeof(sw->meta.end_utc));
	write_meta(sw);
	update_latest(sw);
	for (size_t i = 0; i < sw->ncells; i++)
		if (sw->done[i] && !sw->ok[i])
			failed++;
	if (stop_sig) {
		say("sweep", "stopped by signal %d after %u of %zu cells; the finished rows are "
			     "kept; go on with: cmbench sweep %s -o %s --resume",
		    (int)stop_sig, sw->meta.cells_done, sw->ncells, sw->spec_arg, sw->dir);
		return 128 + stop_sig;
	}
	if (rc)
		return rc;
	fprintf(stderr, "cmbench sweep: %u cells done, %u failed, in %s; results in %s\n",
		sw->meta.cells_done, failed, fmt_dur(now_s() - t0, t, sizeof(t)), sw->dir);
	if (failed)
		for (size_t i = 0, shown = 0; i < sw->ncells && shown < 10; i++)
			if (sw->done[i] && !sw->ok[i] && ++shown)
				fprintf(stderr, "  failed: %s\n", sw->cells[i].id);
	return failed ? 1 : 0;
}

static void sweep_free(struct sweep *sw)
{
	free(sw->cells);
	free(sw->done);
	free(sw->ok);
	free(sw->est);
	free(sw->spec_text);
}

int sweep_main(int argc, char **argv)
{
	struct sweep sw;
	char err[SPEC_ERR_MAX];
	ssize_t n;
	int rc;

	memset(&sw, 0, sizeof(sw));
	sw.shard_i = sw.shard_n = 1;
	rc = sweep_args(&sw, argc, argv);
	if (rc)
		return rc == 1 ? 0 : rc;
	if (!sw.cmbench[0]) {
		n = readlink("/proc/self/exe", sw.cmbench, sizeof(sw.cmbench) - 1);
		if (n <= 0)
			snprintf(sw.cmbench, sizeof(sw.cmbench), "cmbench");
		else
			sw.cmbench[n] = '\0';
	}
	if (find_spec(&sw))
		return 2;
	if (spec_load(sw.spec_path, &sw.spec, &sw.spec_text, err, sizeof(err))) {
		fprintf(stderr, "cmbench sweep: %s\n", err);
		return 2;
	}
	sw.meta.cores = probe_cores(); /* plan() needs it; init_meta() fills the rest */
	if ((rc = plan(&sw)) || (rc = open_dir(&sw)))
		goto out;
	if (!sw.resume) {
		char path[PATH_MAX];

		path_join(path, sizeof(path), sw.dir, "results.csv");
		if (file_nonempty(path)) {
			say("sweep", "%s already holds a result set; add --resume to go on with it",
			    sw.dir);
			rc = 2;
			goto out;
		}
	}
	if ((rc = init_meta(&sw)) || (rc = calibrate(&sw)) || (rc = open_results(&sw)))
		goto out;
	install_signals();
	rc = sweep_run(&sw);
out:
	sweep_free(&sw);
	return rc;
}

/* ---- merge ------------------------------------------------------------------ */

struct source {
	const char *dir;          /* the set */
	struct meta meta;         /* its meta.json */
	struct cells_csv res;     /* its results.csv */
	struct spec_cell *cells;  /* its cells.csv parameters */
	size_t ncells;
};

static int load_source(struct source *s, const char *dir)
{
	char path[PATH_MAX];
	struct cells_csv t;
	int rc;

	s->dir = dir;
	path_join(path, sizeof(path), dir, "meta.json");
	if (meta_read(path, &s->meta)) {
		say("merge", "%s: no readable meta.json; not a result set", dir);
		return 2;
	}
	path_join(path, sizeof(path), dir, "results.csv");
	if (cells_csv_read(path, &s->res)) {
		say("merge", "%s: cannot read", path);
		return 2;
	}
	path_join(path, sizeof(path), dir, "cells.csv");
	if (cells_csv_read(path, &t)) {
		say("merge", "%s: cannot read", path);
		return 2;
	}
	rc = cells_params(&t, &s->cells, &s->ncells);
	cells_csv_free(&t);
	if (rc) {
		say("merge", "%s/cells.csv: not a cells table", dir);
		return 2;
	}
	return 0;
}

static bool same_header(const struct cells_csv *a, const struct cells_csv *b)
{
	if (a->ncols != b->ncols)
		return false;
	for (size_t i = 0; i < a->ncols; i++)
		if (strcmp(a->hdr[i], b->hdr[i]) != 0)
			return false;
	return true;
}

/* The position of each cell in the expansion of the first set's spec, so
 * the merged cells.csv lists cells in spec order; unknown ones go last. */
static void spec_order(const struct source *s, struct spec_cell *cells, size_t n, size_t *rank)
{
	struct spec spec;
	struct spec_cell *all = NULL;
	size_t nall = 0;
	char err[SPEC_ERR_MAX];

	for (size_t i = 0; i < n; i++)
		rank[i] = SIZE_MAX / 2 + i;
	if (!s->meta.spec_text ||
	    spec_parse(s->meta.spec_file, s->meta.spec_text, &spec, err, sizeof(err)) ||
	    spec_expand(&spec, s->meta.cores, &all, &nall, err, sizeof(err)))
		return;
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < nall; k++)
			if (strcmp(cells[i].id, all[k].id) == 0)
				rank[i] = k;
	free(all);
}

static void sort_by_rank(struct spec_cell *cells, size_t *rank, size_t n)
{
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && rank[j - 1] > rank[j]; j--) {
			struct spec_cell c = cells[j];
			size_t r = rank[j];

			cells[j] = cells[j - 1];
			rank[j] = rank[j - 1];
			cells[j - 1] = c;
			rank[j - 1] = r;
		}
}

/* results.csv of the merged set: every source's rows, a (cell, rep) once. */
static int merge_rows(const char *out, struct source *src, size_t nsrc)
{
	char path[PATH_MAX], key[SPEC_ID_MAX + 16];
	char **seen = NULL;
	size_t nseen = 0, cap = 0;
	FILE *f;
	int rc = 0;

	path_join(path, sizeof(path), out, "results.csv");
	f = fopen(path, "w");
	if (!f)
		return -errno;
	for (size_t k = 0; k < src[0].res.ncols; k++)
		fprintf(f, "%s%s", k ? "," : "", src[0].res.hdr[k]);
	fputc('\n', f);
	for (size_t s = 0; s < nsrc; s++) {
		const struct cells_csv *t = &src[s].res;
		int ccell = cells_csv_col(t, "cell"), crep = cells_csv_col(t, "rep");
		bool dup;

		for (size_t i = 0; ccell >= 0 && crep >= 0 && i < t->nrows; i++) {
			snprintf(key, sizeof(key), "%s,%s", t->rows[i][ccell], t->rows[i][crep]);
			dup = false;
			for (size_t j = 0; j < nseen && !dup; j++)
				dup = strcmp(seen[j], key) == 0;
			if (dup)
				continue;
			if (nseen == cap) {
				char **ns;

				cap = cap ? 2 * cap : 256;
				ns = realloc(seen, cap * sizeof(*ns));
				if (!ns) {
					rc = -ENOMEM;
					goto out;
				}
				seen = ns;
			}
			seen[nseen] = strdup(key);
			if (!seen[nseen]) {
				rc = -ENOMEM;
				goto out;
			}
			nseen++;
			for (size_t k = 0; k < t->ncols; k++)
				fprintf(f, "%s%s", k ? "," : "", t->rows[i][k]);
			fputc('\n', f);
		}
	}
out:
	for (size_t j = 0; j < nseen; j++)
		free(seen[j]);
	free(seen);
	if (fclose(f) != 0 && rc == 0)
		rc = -EIO;
	return rc;
}

/* Every source's cells once, in spec order; their hyperfine exports and
 * spectra copied into out. */
static int merge_cells(const char *out, struct source *src, size_t nsrc, struct spec_cell **cells,
		       size_t *ncells)
{
	size_t total = 0, n = 0, *rank;
	struct spec_cell *v;
	char from[PATH_MAX], to[PATH_MAX];

	for (size_t s = 0; s < nsrc; s++)
		total += src[s].ncells;
	v = calloc(total ? total : 1, sizeof(*v));
	rank = calloc(total ? total : 1, sizeof(*rank));
	if (!v || !rank) {
		free(v);
		free(rank);
		return -ENOMEM;
	}
	for (size_t s = 0; s < nsrc; s++)
		for (size_t i = 0; i < src[s].ncells; i++) {
			bool dup = false;

			for (size_t j = 0; j < n && !dup; j++)
				dup = strcmp(v[j].id, src[s].cells[i].id) == 0;
			if (dup)
				continue;
			v[n++] = src[s].cells[i];
			snprintf(from, sizeof(from), "%s/hyperfine/%s.json", src[s].dir,
				 src[s].cells[i].id);
			snprintf(to, sizeof(to), "%s/hyperfine/%s.json", out, src[s].cells[i].id);
			copy_file(from, to);
			snprintf(from, sizeof(from), "%s/spectra/%s.csv", src[s].dir,
				 src[s].cells[i].id);
			snprintf(to, sizeof(to), "%s/spectra/%s.csv", out, src[s].cells[i].id);
			copy_file(from, to);
		}
	spec_order(&src[0], v, n, rank);
	sort_by_rank(v, rank, n);
	free(rank);
	*cells = v;
	*ncells = n;
	return 0;
}

/* cells.csv of the merged set, recomputed from its results.csv. */
static int merge_summaries(const char *out, const struct spec_cell *cells, size_t n,
			   unsigned reps, unsigned *done, unsigned *failed)
{
	char path[PATH_MAX];
	struct cells_csv res;
	struct cells_summary *sum;
	struct cells_hf hf;
	size_t k = 0;
	int rc;

	path_join(path, sizeof(path), out, "results.csv");
	rc = cells_csv_read(path, &res);
	if (rc)
		return rc;
	sum = calloc(n ? n : 1, sizeof(*sum));
	if (!sum) {
		cells_csv_free(&res);
		return -ENOMEM;
	}
	*done = *failed = 0;
	for (size_t i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/hyperfine/%s.json", out, cells[i].id);
		rc = cells_hf_read(path, &hf);
		if (!cells_summarize(&cells[i], &res, rc == 0 ? &hf : NULL, &sum[k]))
			continue;
		*done += sum[k].reps >= reps;
		*failed += sum[k].reps >= reps && !sum[k].ok;
		k++;
	}
	path_join(path, sizeof(path), out, "cells.csv");
	rc = cells_write(path, sum, k);
	free(sum);
	cells_csv_free(&res);
	return rc;
}

static int merge_meta(const char *out, struct source *src, size_t nsrc, size_t ncells,
		      unsigned done, unsigned failed)
{
	struct meta m = src[0].meta;
	char path[PATH_MAX], base[PATH_MAX];
	size_t o = 0;

	snprintf(base, sizeof(base), "%s", out);
	snprintf(m.run_id, sizeof(m.run_id), "%s", basename(base));
	snprintf(m.shard, sizeof(m.shard), "merged");
	m.sources[0] = '\0';
	for (size_t s = 0; s < nsrc; s++) {
		size_t room = o < sizeof(m.sources) ? sizeof(m.sources) - o : 0;

		o += (size_t)snprintf(m.sources + o, room, "%s%s", s ? "," : "", src[s].dir);
		if (strcmp(src[s].meta.start_utc, m.start_utc) < 0)
			snprintf(m.start_utc, sizeof(m.start_utc), "%s", src[s].meta.start_utc);
		if (strcmp(src[s].meta.end_utc, m.end_utc) > 0)
			snprintf(m.end_utc, sizeof(m.end_utc), "%s", src[s].meta.end_utc);
	}
	if (o >= sizeof(m.sources))
		snprintf(m.sources, sizeof(m.sources), "%zu sets", nsrc);
	m.cells_total = (unsigned)ncells;
	m.cells_done = done;
	m.cells_failed = failed;
	path_join(path, sizeof(path), out, "meta.json");
	return meta_write(path, &m);
}

int merge_main(int argc, char **argv)
{
	struct source *src;
	struct spec_cell *cells = NULL;
	const char *out = NULL;
	size_t nsrc = 0, ncells = 0;
	bool force = false;
	unsigned done = 0, failed = 0;
	char path[PATH_MAX];
	int rc = 0;

	src = calloc((size_t)argc, sizeof(*src));
	if (!src)
		return 1;
	for (int i = 1; i < argc && rc == 0; i++) {
		if (strcmp(argv[i], "--force") == 0) {
			force = true;
		} else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			printf("usage: cmbench merge OUT DIR... [--force]\n"
			       "  joins result sets (shards of one sweep) into OUT; --force joins "
			       "sets from different hosts\n");
			free(src);
			return 0;
		} else if (argv[i][0] == '-') {
			say("merge", "unknown flag '%s'", argv[i]);
			rc = 2;
		} else if (!out) {
			out = argv[i];
		} else {
			rc = load_source(&src[nsrc++], argv[i]);
		}
	}
	if (rc == 0 && nsrc == 0) {
		say("merge", "usage: cmbench merge OUT DIR... [--force]");
		rc = 2;
	}
	for (size_t s = 1; rc == 0 && s < nsrc; s++) {
		const struct meta *a = &src[0].meta, *b = &src[s].meta;

		if (!same_header(&src[0].res, &src[s].res)) {
			say("merge", "%s and %s: results.csv columns differ", src[0].dir,
			    src[s].dir);
			rc = 2;
		} else if (strcmp(a->cpu_model, b->cpu_model) != 0 || a->cores != b->cores) {
			if (!force) {
				say("merge", "%s (%s, %d cores) and %s (%s, %d cores) come from "
					     "different hosts; --force joins them anyway",
				    src[0].dir, a->cpu_model, a->cores, src[s].dir, b->cpu_model,
				    b->cores);
				rc = 2;
			} else {
				say("merge", "warning: %s and %s come from different hosts",
				    src[0].dir, src[s].dir);
			}
		}
	}
	if (rc)
		goto out;
	path_join(path, sizeof(path), out, "results.csv");
	if (file_nonempty(path)) {
		say("merge", "%s already holds a result set", out);
		rc = 2;
		goto out;
	}
	snprintf(path, sizeof(path), "%s/hyperfine", out);
	if (mkdir_p(path) || (snprintf(path, sizeof(path), "%s/spectra", out), mkdir_p(path)) ||
	    merge_rows(out, src, nsrc) || merge_cells(out, src, nsrc, &cells, &ncells) ||
	    merge_summaries(out, cells, ncells, src[0].meta.reps, &done, &failed) ||
	    merge_meta(out, src, nsrc, ncells, done, failed)) {
		say("merge", "cannot write the set %s: %s", out, strerror(errno));
		rc = 1;
		goto out;
	}
	fprintf(stderr, "cmbench merge: %zu sets, %zu cells (%u done, %u failed) into %s\n", nsrc,
		ncells, done, failed, out);
out:
	for (size_t s = 0; s < nsrc; s++) {
		meta_free(&src[s].meta);
		cells_csv_free(&src[s].res);
		free(src[s].cells);
	}
	free(cells);
	free(src);
	return rc;
}

/* ---- compare ------------------------------------------------------------------ */

struct field_diff {
	const char *name;   /* as printed */
	const char *a, *b;  /* the two values */
};

/* One warning line listing the fields that differ, if any. */
static void warn_diff(const char *what, const struct field_diff *d, size_t n)
{
	char line[2048];
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		if (strcmp(d[i].a, d[i].b) == 0)
			continue;
		o += (size_t)snprintf(line + o, o < sizeof(line) ? sizeof(line) - o : 0,
				      "%s%s '%s' vs '%s'", o ? "; " : "", d[i].name, d[i].a,
				      d[i].b);
	}
	if (o)
		fprintf(stderr, "cmbench compare: WARNING: the %s differ, ratios mix them: %s\n",
			what, line);
}

static void compare_warn(const struct meta *a, const struct meta *b)
{
	char ca[16], cb[16];
	const char *da = a->git_dirty ? "yes" : "no", *db = b->git_dirty ? "yes" : "no";

	snprintf(ca, sizeof(ca), "%d", a->cores);
	snprintf(cb, sizeof(cb), "%d", b->cores);
	const struct field_diff host[] = {
		{ "cpu", a->cpu_model, b->cpu_model },
		{ "cores", ca, cb },
		{ "kernel", a->kernel, b->kernel },
	};
	const struct field_diff build[] = {
		{ "git", a->git_rev, b->git_rev },	  { "dirty", da, db },
		{ "compiler", a->compiler, b->compiler }, { "cflags", a->cflags, b->cflags },
		{ "libuv", a->libuv, b->libuv },
	};
	warn_diff("hosts", host, sizeof(host) / sizeof(host[0]));
	warn_diff("builds", build, sizeof(build) / sizeof(build[0]));
	if (a->git_dirty || b->git_dirty)
		fprintf(stderr, "cmbench compare: note: a build from a dirty tree is not "
				"reproducible from its git commit\n");
}

static int load_cells(const char *dir, struct cells_csv *t)
{
	char path[PATH_MAX];

	path_join(path, sizeof(path), dir, "cells.csv");
	if (cells_csv_read(path, t) != 0 || cells_csv_col(t, "cell") < 0) {
		say("compare", "%s: cannot read a cells table", path);
		return 2;
	}
	return 0;
}

/* "1.234" for b/a, or "-" when a is zero. */
static const char *ratio(double a, double b, char *buf, size_t len, double *logsum, int *nlog)
{
	if (a <= 0 || b <= 0) {
		snprintf(buf, len, "-");
		return buf;
	}
	snprintf(buf, len, "%.3f", b / a);
	*logsum += log(b / a);
	(*nlog)++;
	return buf;
}

static const char *const cmp_cols[] = { "makespan_s_med", "lat_p99_us_med",
					"mem_per_task_kib_med" };
#define NCMP 3

static void compare_table(const struct cells_csv *a, const struct cells_csv *b)
{
	int ida = cells_csv_col(a, "cell"), idb = cells_csv_col(b, "cell");
	int oka = cells_csv_col(a, "ok"), okb = cells_csv_col(b, "ok");
	int ca[NCMP], cb[NCMP], width = 4, nlog[NCMP] = { 0 };
	double logsum[NCMP] = { 0 };
	size_t both = 0, only_a, only_b;
	char r[NCMP][32];

	for (int k = 0; k < NCMP; k++) {
		ca[k] = cells_csv_col(a, cmp_cols[k]);
		cb[k] = cells_csv_col(b, cmp_cols[k]);
	}
	for (size_t i = 0; i < a->nrows; i++)
		if ((int)strlen(a->rows[i][ida]) > width)
			width = (int)strlen(a->rows[i][ida]);
	printf("%-*s  %12s  %12s  %12s\n", width, "cell", "makespan B/A", "p99 lat B/A",
	       "mem/task B/A");
	for (size_t i = 0; i < a->nrows; i++) {
		char **ra = a->rows[i], **rb = NULL;
		bool bad;

		for (size_t j = 0; j < b->nrows && !rb; j++)
			if (strcmp(b->rows[j][idb], ra[ida]) == 0)
				rb = b->rows[j];
		if (!rb)
			continue;
		both++;
		for (int k = 0; k < NCMP; k++)
			ratio(ca[k] < 0 ? 0 : strtod(ra[ca[k]], NULL),
			      cb[k] < 0 ? 0 : strtod(rb[cb[k]], NULL), r[k], sizeof(r[k]),
			      &logsum[k], &nlog[k]);
		bad = (oka >= 0 && strcmp(ra[oka], "1") != 0) ||
		      (okb >= 0 && strcmp(rb[okb], "1") != 0);
		printf("%-*s  %12s  %12s  %12s%s\n", width, ra[ida], r[0], r[1], r[2],
		       bad ? "  (a failed cell)" : "");
	}
	for (int k = 0; k < NCMP; k++)
		if (nlog[k])
			snprintf(r[k], sizeof(r[k]), "%.3f", exp(logsum[k] / nlog[k]));
		else
			snprintf(r[k], sizeof(r[k]), "-");
	printf("%-*s  %12s  %12s  %12s\n", width, "geometric mean", r[0], r[1], r[2]);
	only_a = a->nrows - both;
	only_b = b->nrows - both;
	printf("%zu cells in both; %zu only in A, %zu only in B. B/A < 1: B is faster "
	       "(or smaller).\n",
	       both, only_a, only_b);
}

int compare_main(int argc, char **argv)
{
	struct meta ma, mb;
	struct cells_csv a, b;
	char path[PATH_MAX];
	int ra, rb;

	if (argc == 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
		printf("usage: cmbench compare DIR_A DIR_B\n"
		       "  per-cell ratios B/A of makespan, p99 latency and memory per task\n");
		return 0;
	}
	if (argc != 3) {
		say("compare", "usage: cmbench compare DIR_A DIR_B");
		return 2;
	}
	if (load_cells(argv[1], &a))
		return 2;
	if (load_cells(argv[2], &b)) {
		cells_csv_free(&a);
		return 2;
	}
	path_join(path, sizeof(path), argv[1], "meta.json");
	ra = meta_read(path, &ma);
	path_join(path, sizeof(path), argv[2], "meta.json");
	rb = meta_read(path, &mb);
	if (ra || rb)
		say("compare", "WARNING: %s has no readable meta.json; cannot tell whether the "
			       "hosts or builds differ",
		    ra ? argv[1] : argv[2]);
	else
		compare_warn(&ma, &mb);
	printf("A = %s\nB = %s\n", argv[1], argv[2]);
	compare_table(&a, &b);
	if (!ra)
		meta_free(&ma);
	if (!rb)
		meta_free(&mb);
	cells_csv_free(&a);
	cells_csv_free(&b);
	return 0;
}
