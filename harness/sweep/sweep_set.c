/* sweep_set.c - the result set of a sweep: its directory and lock,
 * results.csv, cells.csv and meta.json, and results/latest. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../result.h"
#include "../set/cells.h"
#include "../../lib/cmdutil.h"
#include "../../lib/util.h"
#include "../set/setio.h"
#include "sweep.h"

char *sweep_results_header(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	fputs("cell,rep,", f);
	result_csv_header(f);
	fputc('\n', f);
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* Point results/latest at dir's base name, atomically. */
void sweep_update_latest(const struct sweep *sw)
{
	char tmp[PATH_MAX], base[PATH_MAX];

	if (!sw->update_latest)
		return;
	snprintf(base, sizeof(base), "%s", sw->dir);
	snprintf(tmp, sizeof(tmp), "results/.latest.%d", (int)getpid());
	unlink(tmp);
	if (symlink(basename(base), tmp) != 0 || rename(tmp, "results/latest") != 0) {
		cmd_say("sweep", "cannot update results/latest: %s", strerror(errno));
		unlink(tmp);
	}
}

/* The set's directory when no -o is given. */
static int default_dir(struct sweep *sw)
{
	char stamp[32], target[PATH_MAX];
	time_t t = time(NULL);
	struct tm tm;

	sw->update_latest = true;
	if (!sw->resume) {
		gmtime_r(&t, &tm);
		strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
		if (sw->shard_n > 1)
			snprintf(sw->dir, sizeof(sw->dir), "results/%s-%s-shard%uof%u", stamp,
				 sw->spec.name, sw->shard_i, sw->shard_n);
		else
			snprintf(sw->dir, sizeof(sw->dir), "results/%s-%s", stamp, sw->spec.name);
		return 0;
	}
	if (read_link("results/latest", target, sizeof(target)) != 0) {
		cmd_say("sweep", "--resume without -o needs results/latest; there is none");
		return -CMD_EUSAGE;
	}
	if (snprintf(sw->dir, sizeof(sw->dir), "results/%s", target) >= (int)sizeof(sw->dir)) {
		cmd_say("sweep", "results/latest: its target is too long");
		return -CMD_EUSAGE;
	}
	return 0;
}

/* Take the set's lock: one sweep or merge writes a set at a time. */
static int lock_dir(struct sweep *sw)
{
	int fd = setio_lock(sw->dir);

	if (fd == -EWOULDBLOCK) {
		cmd_say("sweep", "%s is in use by another sweep or merge (it holds %s/.lock)",
			sw->dir, sw->dir);
		return -CMD_EUSAGE;
	}
	if (fd < 0) {
		cmd_say("sweep", "cannot lock %s/.lock: %s", sw->dir, strerror(-fd));
		return fd;
	}
	sw->lock_fd = fd;
	setio_sweep_temps(sw->dir);
	return 0;
}

int sweep_open_dir(struct sweep *sw)
{
	static const char *const subs[] = { "", "/hyperfine", "/spectra", "/.scratch" };
	char sub[PATH_MAX * 2];
	int rc = 0;

	if (!sw->out_arg)
		rc = default_dir(sw);
	else if (snprintf(sw->dir, sizeof(sw->dir), "%s", sw->out_arg) >= (int)sizeof(sw->dir))
		rc = (cmd_say("sweep", "-o %s: path too long", sw->out_arg), -CMD_EUSAGE);
	if (rc)
		return rc;
	if (!setio_path_safe(sw->dir)) {
		cmd_say("sweep",
			"%s: quotes, backquotes, backslashes, $ and control characters "
			"are not allowed in the set's path",
			sw->dir);
		return -CMD_EUSAGE;
	}
	for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
		snprintf(sub, sizeof(sub), "%s%s", sw->dir, subs[i]);
		rc = setio_mkdir_p(sub);
		if (rc) {
			cmd_say("sweep", "cannot create %s: %s", sub, strerror(-rc));
			return rc;
		}
		if (i == 0 && (rc = lock_dir(sw)))
			return rc;
	}
	return 0;
}

/* An existing results.csv: a torn last line (a crash, a full disk) is cut
 * off, and the header must be the one this cmbench writes. */
static int check_results(const char *path, const char *hdr)
{
	char *line = NULL;
	size_t cap = 0, cut = 0;
	FILE *f;
	int rc = setio_repair_tail(path, &cut);

	if (rc) {
		cmd_say("sweep", "cannot repair %s: %s", path, strerror(-rc));
		return rc;
	}
	if (cut)
		cmd_say("sweep", "note: %s ended in a torn line; cut off its %zu bytes", path, cut);
	if (!setio_nonempty(path))
		return 1; /* nothing left: write the header */
	f = fopen(path, "r");
	if (!f || getline(&line, &cap, f) < 0 || strcmp(line, hdr) != 0) {
		cmd_say("sweep", "%s: its columns differ from the ones this cmbench writes", path);
		rc = -CMD_EUSAGE;
	}
	if (f)
		fclose(f);
	free(line);
	return rc;
}

int sweep_open_results(struct sweep *sw)
{
	char path[PATH_MAX], *hdr = sweep_results_header();
	int fd, rc = 0;

	if (!hdr || setio_path(path, sizeof(path), sw->dir, "results.csv")) {
		free(hdr);
		return -ENOMEM;
	}
	if (setio_nonempty(path))
		rc = check_results(path, hdr);
	if (rc == 0 && setio_nonempty(path)) {
		free(hdr);
		return 0;
	}
	if (rc == 0 || rc == 1) {
		fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
		rc = fd < 0 ? -errno : setio_append(fd, hdr, strlen(hdr));
		if (fd >= 0)
			close(fd);
		if (rc)
			cmd_say("sweep", "cannot write %s: %s", path, strerror(-rc));
	}
	free(hdr);
	return rc;
}

/* The summary of every cell of this shard that has trials, into sum[];
 * done[] and ok[] follow. Returns how many, or -errno. */
static int summarize_all(struct sweep *sw, const struct cells_csv *res, struct cells_summary *sum)
{
	char path[PATH_MAX * 2];
	struct cells_hf hf;
	int n = 0, got;

	for (size_t i = 0; i < sw->ncells; i++) {
		const struct spec_cell *c = &sw->cells[i];

		snprintf(path, sizeof(path), "%s/hyperfine/%s.json", sw->dir, c->id);
		got = cells_summarize(c, res, cells_hf_read(path, &hf) == 0 ? &hf : NULL, &sum[n]);
		if (got < 0)
			return got;
		if (got == 0)
			continue;
		if (sw->stop)
			snprintf(sum[n].stop, sizeof(sum[n].stop), "%s", sw->stop[i]);
		sw->done[i] = sum[n].reps >= c->reps;
		sw->ok[i] = sum[n].ok;
		n++;
	}
	return n;
}

int sweep_refresh_cells(struct sweep *sw)
{
	char path[PATH_MAX];
	struct cells_summary *sum;
	struct cells_csv res;
	int n, rc;

	setio_path(path, sizeof(path), sw->dir, "results.csv");
	rc = cells_csv_read(path, &res);
	if (rc)
		return rc == -ENOENT ? 0 : rc;
	sum = calloc(sw->ncells ? sw->ncells : 1, sizeof(*sum));
	n = sum ? summarize_all(sw, &res, sum) : -ENOMEM;
	rc = n < 0 ? n : 0;
	setio_path(path, sizeof(path), sw->dir, "cells.csv");
	if (rc == 0)
		rc = cells_write(path, sum, (size_t)n);
	if (rc)
		cmd_say("sweep", "cannot write %s: %s", path, strerror(-rc));
	for (size_t i = 0; sum && i < sw->ncells; i++)
		cells_summary_free(&sum[i]);
	free(sum);
	cells_csv_free(&res);
	return rc;
}

int sweep_write_meta(struct sweep *sw)
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
	setio_path(path, sizeof(path), sw->dir, "meta.json");
	rc = meta_write(path, &sw->meta);
	if (rc)
		cmd_say("sweep", "cannot write %s: %s", path, strerror(-rc));
	return rc;
}

/* Take over the stored calibration of a set being resumed. */
static int resume_meta(struct sweep *sw, const struct meta *old)
{
	struct meta *m = &sw->meta;

	if (strcmp(old->spec_name, sw->spec.name) != 0) {
		cmd_say("sweep",
			"%s holds a '%s' sweep, not '%s'; resume it with its own spec or "
			"pick the set with -o",
			sw->dir, old->spec_name, sw->spec.name);
		return -CMD_EUSAGE;
	}
	if (strcmp(old->checksum_scheme, m->checksum_scheme) != 0) {
		cmd_say("sweep",
			"%s was made by a cmbench whose checksums are by %s (this one: %s); "
			"its cells and new ones cannot be joined: sweep into a new set",
			sw->dir, old->checksum_scheme, m->checksum_scheme);
		return -CMD_EUSAGE;
	}
	if (old->spec_text && strcmp(old->spec_text, sw->spec_text) != 0)
		cmd_say("sweep",
			"note: %s changed since %s was started; cells are matched by "
			"their parameters",
			sw->spec_path, sw->dir);
	if (old->cores != m->cores || strcmp(old->cpu_model, m->cpu_model) != 0)
		cmd_say("sweep", "warning: %s was started on another host (%s, %d cores)", sw->dir,
			old->cpu_model, old->cores);
	m->cal_ref_us = old->cal_ref_us;
	m->cal_ref_iters = old->cal_ref_iters;
	m->nlevels = old->nlevels;
	memcpy(m->level_us, old->level_us, sizeof(m->level_us));
	memcpy(m->level_iters, old->level_iters, sizeof(m->level_iters));
	snprintf(m->start_utc, sizeof(m->start_utc), "%s", old->start_utc);
	m->seed = old->seed;
	return 0;
}

int sweep_init_meta(struct sweep *sw)
{
	char path[PATH_MAX];
	struct meta old, *m = &sw->meta;
	int rc = 0;

	setio_path(path, sizeof(path), sw->dir, "meta.json");
	memset(m, 0, sizeof(*m));
	meta_probe(m);
	if (sw->resume && meta_read(path, &old) == 0) {
		rc = resume_meta(sw, &old);
		meta_free(&old);
	}
	if (rc)
		return rc;
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
	m->reps_max = sw->spec.reps_max;
	m->ci_pct = sw->spec.ci_pct;
	m->warmup = sw->spec.warmup;
	if (m->seed == 0) { /* a resumed set keeps its seed */
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		m->seed = ((uint64_t)ts.tv_sec * 1000000007ull ^ (uint64_t)ts.tv_nsec ^
			   (uint64_t)getpid() << 20) &
			  ((1ull << 52) - 1); /* exact in a JSON number */
		if (m->seed == 0)
			m->seed = 1;
	}
	return 0;
}
