/* sweep_run.c - the sweep's plan and its loop: the shard's cells, one
 * kernel calibration for every cpu work level, an estimate of the time
 * each cell takes (the ETA), the signals that stop the sweep after the
 * cell in flight, and the cells run one after another. */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../models/model.h"
#include "../../workloads/workload.h"
#include "../result.h"
#include "../../lib/cmdutil.h"
#include "../../lib/proc.h"
#include "sweep.h"

#define CAL_REF_US 1000	    /* the calibration's reference work */
#define RUN_OVERHEAD_S 0.08 /* a run's fixed cost, for the first estimate */

/* The stop signals: the sweep stops after the cell in flight (whose
 * hyperfine gets the signal, sweep_cell.c), keeping what is done. */
void sweep_install_signals(void)
{
	proc_stop_catch(0, NULL); /* no SA_RESTART: a wait sees EINTR */
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

/* Iterations per CAL_REF_US of kernel work, from `cmbench calibrate`. */
static int calibrate_ref(struct sweep *sw)
{
	struct meta *m = &sw->meta;
	char out[128], ref[32], *e;
	char *argv[] = { sw->cmbench, "calibrate", ref, NULL };
	int rc;

	snprintf(ref, sizeof(ref), "%dus", CAL_REF_US);
	rc = meta_capture(argv, out, sizeof(out));
	if (rc) {
		cmd_say("sweep", "%s calibrate %s failed: %s", sw->cmbench, ref, out);
		return rc;
	}
	m->cal_ref_us = CAL_REF_US;
	m->cal_ref_iters = strtoull(out, &e, 10);
	if (e == out || m->cal_ref_iters == 0) {
		cmd_say("sweep", "%s calibrate %s printed '%s', not a count", sw->cmbench, ref,
			out);
		return -EINVAL;
	}
	return 0;
}

/* A foreign runtime's iterations per FOREIGN_REF_US, from `cmbench
 * calibrate --model M`, asked once per runtime (the folder of the model's
 * program: models/python/ for every py-* model). */
#define FOREIGN_REF_US 10000
#define FOREIGN_RUNTIMES 8
static int foreign_ref(struct sweep *sw, const struct model_ops *model, uint64_t *ref)
{
	static struct {
		char dir[128];
		uint64_t iters;
	} rt[FOREIGN_RUNTIMES];
	static size_t nrt;
	char dir[128], out[128], d[32], *e, *slash;
	char *argv[] = { sw->cmbench, "calibrate", "--model", (char *)model->name, d, NULL };
	int rc;

	snprintf(dir, sizeof(dir), "%s", model->program ? model->program : model->name);
	if ((slash = strrchr(dir, '/')))
		*slash = '\0';
	for (size_t i = 0; i < nrt; i++)
		if (strcmp(rt[i].dir, dir) == 0) {
			*ref = rt[i].iters;
			return 0;
		}
	snprintf(d, sizeof(d), "%dus", FOREIGN_REF_US);
	rc = meta_capture(argv, out, sizeof(out));
	if (rc) {
		cmd_say("sweep", "%s calibrate --model %s %s failed: %s", sw->cmbench, model->name,
			d, out);
		return rc;
	}
	*ref = strtoull(out, &e, 10);
	if (e == out || *ref == 0) {
		cmd_say("sweep", "%s calibrate --model %s printed '%s', not a count", sw->cmbench,
			model->name, out);
		return -EINVAL;
	}
	if (nrt < FOREIGN_RUNTIMES) {
		snprintf(rt[nrt].dir, sizeof(rt[nrt].dir), "%s", dir);
		rt[nrt++].iters = *ref;
	}
	cmd_say("sweep", "the %s kernel: %llu iterations per %s (cmbench calibrate --model %s)",
		dir, (unsigned long long)*ref, d, model->name);
	return 0;
}

/* A label's cpu_scale: F times the level's iterations (at least 1). */
static void scale_iters(struct spec_cell *c)
{
	if (c->cpu_scale > 0 && c->cpu_scale != 1)
		c->cfg.cpu_iters = (uint64_t)((double)c->cfg.cpu_iters * c->cpu_scale + 0.5);
	if (c->cfg.cpu_iters == 0)
		c->cfg.cpu_iters = 1;
}

/* Every cell of one cpu work level gets the same --cpu-iters, so the
 * checksums agree across models. A resumed set keeps its calibration. */
int sweep_calibrate(struct sweep *sw)
{
	struct meta *m = &sw->meta;
	bool need = false;
	int rc;

	for (size_t i = 0; i < sw->ncells; i++)
		need |= sw->cells[i].cpu_us > 0 && !sw->cells[i].cfg.model->cpu_cost;
	if (need && !(m->cal_ref_us && m->cal_ref_iters) && (rc = calibrate_ref(sw)))
		return rc;
	for (size_t i = 0; i < sw->ncells; i++) {
		struct spec_cell *c = &sw->cells[i];
		bool known = false;

		if (c->cpu_us == 0)
			continue;
		if (c->cfg.model->cpu_cost) {
			/* its kernel runs in another runtime: calibrated once per
			 * runtime, so its models run the same iterations */
			uint64_t ref;

			if ((rc = foreign_ref(sw, c->cfg.model, &ref)))
				return rc;
			c->cfg.cpu_target_us = 0;
			c->cfg.cpu_iters =
				(uint64_t)((double)ref * (double)c->cpu_us / FOREIGN_REF_US + 0.5);
			scale_iters(c);
			continue;
		}
		c->cfg.cpu_iters = meta_iters(m, c->cpu_us);
		if (c->cfg.cpu_iters == 0)
			c->cfg.cpu_iters = 1;
		for (size_t k = 0; k < m->nlevels; k++)
			known |= m->level_us[k] == c->cpu_us;
		if (!known && m->nlevels < META_LEVELS) {
			m->level_us[m->nlevels] = c->cpu_us;
			m->level_iters[m->nlevels++] = c->cfg.cpu_iters;
		}
		scale_iters(c);
	}
	return 0;
}

/* How many of the host's cores a cell's CPU parts can use. */
static double cpu_lanes(const struct run_cfg *r, int cores)
{
	uint64_t lanes = model_cpu_lanes(r->model, r->concurrency, r->workers);

	return fmax(1, fmin((double)lanes, cores));
}

/* Seconds one cell should take: its runs times the bound of its work on
 * the cores its model can use, plus the fixed cost of a run. Only the ETA
 * uses it. */
static double cell_estimate(const struct spec_cell *c, int cores, unsigned runs)
{
	const struct run_cfg *r = &c->cfg;
	double n = (double)r->tasks, conc = (double)r->concurrency;
	double l = (double)r->io_latency_us, w = (double)c->cpu_us;

	if (c->search && r->rate_tps > 0) /* the same tasks at every load */
		return runs * (RUN_OVERHEAD_S + n / r->rate_tps);
	if (c->duration_us) /* open loop: the duration, and the capacity run */
		return runs * (RUN_OVERHEAD_S + (double)c->duration_us / 1e6) + 0.2;
	return runs * (RUN_OVERHEAD_S + result_bound_s(n, conc, cpu_lanes(r, cores), l, w));
}

int sweep_plan(struct sweep *sw)
{
	struct spec_cell *all;
	size_t n, k = 0;
	char err[SPEC_ERR_MAX];
	int rc;

	rc = spec_expand(&sw->spec, sw->meta.cores, &all, &n, err, sizeof(err));
	if (rc) {
		cmd_say("sweep", "%s: %s", sw->spec_path, err);
		return rc == -ENOMEM ? rc : -CMD_EUSAGE;
	}
	for (size_t i = 0; i < n; i++)
		if (i % sw->shard_n == sw->shard_i - 1)
			all[k++] = all[i];
	sw->cells = all;
	sw->ncells = k;
	sw->done = calloc(k ? k : 1, sizeof(bool));
	sw->ok = calloc(k ? k : 1, sizeof(bool));
	sw->est = calloc(k ? k : 1, sizeof(double));
	sw->stop = calloc(k ? k : 1, sizeof(*sw->stop));
	if (!sw->done || !sw->ok || !sw->est || !sw->stop) {
		cmd_say("sweep", "out of memory");
		return -ENOMEM;
	}
	return 0;
}

static void progress(const struct sweep *sw, size_t i, size_t pos, size_t todo, double eta)
{
	const struct spec_cell *c = &sw->cells[i];
	char t[32], share[16];

	if (c->share_pct >= 0)
		snprintf(share, sizeof(share), "%d%%", c->share_pct);
	else
		snprintf(share, sizeof(share), "-");
	fprintf(stderr, "[%zu/%zu] %s %s C=%llu share=%s tasks=%llu ETA %s\n", pos, todo,
		c->cfg.model->name, c->cfg.workload->name, (unsigned long long)c->cfg.concurrency,
		share, (unsigned long long)c->cfg.tasks, fmt_dur(eta, t, sizeof(t)));
}

/* The id of c without its grid and label (GRID-LABEL-REST: REST). */
static const char *id_rest(const struct spec_cell *c)
{
	size_t g = strlen(c->grid), l = strlen(c->label);

	return strlen(c->id) >= g + l + 2 ? c->id + g + l + 2 : "";
}

/* Whether cells a and b are one grid point: the same id but the model's
 * label. */
static bool same_point(const struct spec_cell *a, const struct spec_cell *b)
{
	return strcmp(a->grid, b->grid) == 0 && *id_rest(a) && strcmp(id_rest(a), id_rest(b)) == 0;
}

/* The same, but for the concurrency (the first "-cN-" of REST): a
 * one-slot model's one cell competes at every level, and runs in the
 * rounds of the first point of its work. */
static bool same_work(const struct spec_cell *a, const struct spec_cell *b)
{
	const char *ra = id_rest(a), *rb = id_rest(b), *ca = strstr(ra, "-c"),
		   *cb = strstr(rb, "-c");
	size_t pa, pb;

	if (strcmp(a->grid, b->grid) != 0 || !ca || !cb)
		return false;
	pa = (size_t)(ca - ra);
	pb = (size_t)(cb - rb);
	ca += 2 + strspn(ca + 2, "0123456789");
	cb += 2 + strspn(cb + 2, "0123456789");
	return pa == pb && strncmp(ra, rb, pa) == 0 && strcmp(ca, cb) == 0;
}

static bool one_slot(const struct spec_cell *c)
{
	return c->cfg.model->one_slot;
}

/* Take cell j into the point. */
static void take(struct sweep *sw, size_t j, bool *taken, struct spec_cell **pt, size_t *n)
{
	taken[j] = true;
	pt[(*n)++] = &sw->cells[j];
}

/* The cells of the point of cell i that are not done or taken, into pt:
 * those with i's parameters but the model, and the one-slot cells of the
 * same work (a one-slot cell i joins the first point of its work). */
static size_t point_of(struct sweep *sw, size_t i, bool *taken, struct spec_cell **pt)
{
	size_t n = 0, k = i;

	if (one_slot(&sw->cells[i]))
		for (size_t j = i + 1; j < sw->ncells; j++)
			if (!sw->done[j] && !taken[j] && !one_slot(&sw->cells[j]) &&
			    same_work(&sw->cells[i], &sw->cells[j])) {
				k = j;
				break;
			}
	for (size_t j = i; j < sw->ncells; j++) {
		const struct spec_cell *c = &sw->cells[j];

		if (sw->done[j] || taken[j])
			continue;
		if (same_point(&sw->cells[k], c) ||
		    (one_slot(c) && !one_slot(&sw->cells[k]) && same_work(&sw->cells[k], c)))
			take(sw, j, taken, pt, &n);
	}
	return n;
}

/* What a grid has spent and has left, for its budget. */
struct grid_use {
	double spent_s;	    /* seconds its points took so far */
	size_t points_left; /* its points not yet run */
};

/* The time point i may take: an even share of what is left of its
 * grid's budget over the points left; -1 without a budget. */
static double allowance(const struct spec_cell *c, const struct grid_use *g)
{
	double left;

	if (c->budget_us == 0)
		return -1;
	left = (double)c->budget_us / 1e6 - g->spent_s;
	return left > 0 ? left / (double)(g->points_left ? g->points_left : 1) : 0;
}

/* Count every grid's points still to run into use[] (by spec grid). */
static void count_points(struct sweep *sw, struct grid_use *use, bool *taken, struct spec_cell **pt)
{
	for (size_t i = 0; i < sw->ncells; i++) {
		const struct spec_grid *g = spec_grid_find(&sw->spec, sw->cells[i].grid);

		if (sw->done[i] || taken[i] || point_of(sw, i, taken, pt) == 0 || !g)
			continue;
		use[g - sw->spec.grids].points_left++;
	}
	memset(taken, 0, sw->ncells * sizeof(*taken));
}

/* After a point: its cells' logs, failures and meta.json. 0 or -errno. */
static int after_point(struct sweep *sw, struct spec_cell **pt, size_t n)
{
	int rc = sweep_refresh_cells(sw);

	for (size_t k = 0; rc == 0 && k < n; k++) {
		size_t i = (size_t)(pt[k] - sw->cells);

		sweep_keep_log(sw, pt[k], sw->ok[i]);
		if (!sw->ok[i])
			cmd_say("sweep", "cell %s failed (log in %s/logs/)", pt[k]->id, sw->dir);
	}
	return rc ? rc : sweep_write_meta(sw);
}

/* Run the points not done, one after another, until a stop signal. */
static int sweep_loop(struct sweep *sw, size_t todo, double est_left)
{
	double t0 = now_s(), spent_est = 0, eta;
	size_t pos = 0;
	bool *taken = calloc(sw->ncells ? sw->ncells : 1, sizeof(*taken));
	struct spec_cell **pt = calloc(sw->ncells ? sw->ncells : 1, sizeof(*pt));
	struct grid_use *use = calloc(sw->spec.n_grids ? sw->spec.n_grids : 1, sizeof(*use));
	struct sweep_point_out out;
	int rc = taken && pt && use ? 0 : -ENOMEM;

	if (rc == 0)
		count_points(sw, use, taken, pt);
	for (size_t i = 0; rc == 0 && i < sw->ncells && !proc_stop_sig(); i++) {
		const struct spec_grid *g = spec_grid_find(&sw->spec, sw->cells[i].grid);
		struct grid_use *gu = g ? &use[g - sw->spec.grids] : &use[0];
		size_t n;

		if (sw->done[i] || taken[i])
			continue;
		n = point_of(sw, i, taken, pt);
		/* scale the estimate by how fast the finished cells really went */
		eta = spent_est > 0 ? est_left * (now_s() - t0) / spent_est : est_left;
		for (size_t k = 0; k < n; k++)
			progress(sw, (size_t)(pt[k] - sw->cells), pos + k + 1, todo, eta);
		pos += n;
		rc = sweep_run_point(sw, pt, n, allowance(pt[0], gu), &out);
		if (rc == -EINTR) {
			rc = 0;
			break;
		}
		gu->spent_s += out.seconds;
		for (size_t k = 0; rc == 0 && k < n; k++)
			snprintf(sw->stop[pt[k] - sw->cells], sizeof(sw->stop[0]), "%s", out.why);
		if (gu->points_left)
			gu->points_left--;
		if (out.budget_cut)
			cmd_say("sweep", "%s: the budget of grid %s stopped its rounds at %u",
				pt[0]->id, pt[0]->grid, out.rounds);
		if (rc == 0)
			rc = after_point(sw, pt, n);
		for (size_t k = 0; k < n; k++) {
			spent_est += sw->est[pt[k] - sw->cells];
			est_left -= sw->est[pt[k] - sw->cells];
		}
	}
	free(taken);
	free(pt);
	free(use);
	return rc;
}

/* The line that says what the sweep will do. */
static void announce(struct sweep *sw)
{
	unsigned runs = sw->spec.reps + sw->spec.warmup;
	size_t todo = 0, nruns = 0;
	double est = 0;
	char t[32];

	for (size_t i = 0; i < sw->ncells; i++) {
		const struct spec_cell *c = &sw->cells[i];

		sw->est[i] = cell_estimate(c, sw->meta.cores, c->reps + c->warmup);
		if (!sw->done[i]) {
			todo++;
			nruns += c->reps + c->warmup;
			est += sw->est[i];
		}
	}
	fprintf(stderr,
		"cmbench sweep: %s: %zu cells%s, %zu to run x %u runs (%u warm-up) = %zu runs, "
		"about %s; results in %s\n",
		sw->spec.name, sw->ncells, sw->shard_n > 1 ? " in this shard" : "", todo, runs,
		sw->spec.warmup, nruns, fmt_dur(est, t, sizeof(t)), sw->dir);
}

/* The closing lines: how to go on after a signal, or what failed. */
static int conclude(struct sweep *sw, double t0)
{
	unsigned failed = sw->meta.cells_failed;
	char t[32];

	if (proc_stop_sig()) {
		cmd_say("sweep",
			"stopped by signal %d after %u of %zu cells; the finished rows are "
			"kept; go on with: cmbench sweep %s -o %s --resume",
			(int)proc_stop_sig(), sw->meta.cells_done, sw->ncells, sw->spec_arg,
			sw->dir);
		return -EINTR;
	}
	fprintf(stderr, "cmbench sweep: %u cells done, %u failed, in %s; results in %s\n",
		sw->meta.cells_done, failed, fmt_dur(now_s() - t0, t, sizeof(t)), sw->dir);
	for (size_t i = 0, shown = 0; failed && i < sw->ncells && shown < 10; i++)
		if (sw->done[i] && !sw->ok[i] && ++shown)
			fprintf(stderr, "  failed: %s\n", sw->cells[i].id);
	return failed ? -CMD_EFAILED : 0;
}

int sweep_run(struct sweep *sw)
{
	char path[PATH_MAX * 2];
	double t0 = now_s();
	size_t todo = 0;
	double est = 0;
	int rc, rc2;

	rc = sweep_refresh_cells(sw);
	if (rc == 0)
		rc = sweep_write_meta(sw);
	if (rc)
		return rc;
	announce(sw);
	sweep_update_latest(sw);
	for (size_t i = 0; i < sw->ncells; i++)
		if (!sw->done[i]) {
			todo++;
			est += sw->est[i];
		}
	rc = sweep_loop(sw, todo, est);
	snprintf(path, sizeof(path), "%s/.scratch", sw->dir);
	rmdir(path); /* empty unless a cell was cut short */
	rc2 = sweep_refresh_cells(sw);
	meta_utc_now(sw->meta.end_utc, sizeof(sw->meta.end_utc));
	rc2 = rc2 ? rc2 : sweep_write_meta(sw);
	sweep_update_latest(sw);
	if (rc)
		return rc;
	return rc2 ? rc2 : conclude(sw, t0);
}
