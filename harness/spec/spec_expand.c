/* spec_expand.c - expand a spec's grids into cells: the cross product of
 * a grid's axes, one struct run_cfg per cell. A one-slot model runs at
 * concurrency 1 whatever the level, so it gets one cell per work setting;
 * duplicates (the same id) count once. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../models/model.h"
#include "../../workloads/workload.h"
#include "../cli.h"
#include "../../lib/sched.h"
#include "spec_int.h"

#define WORKERS_MAX 1024 /* the limit of cmbench run --workers */

struct cell_list {
	struct spec_cell *v; /* the cells so far */
	size_t n, cap;
};

/* What expansion needs besides the grid. */
struct expansion {
	const struct spec *spec;
	const struct spec_grid *g;  /* the grid being expanded */
	int nproc;		    /* usable cores of the host */
	uint64_t lv[SPEC_LIST_MAX]; /* the grid's levels, sorted, once each */
	size_t nlv;
	struct cell_list l; /* the result */
	char *err;
	size_t errlen;
};

void spec_cell_id(struct spec_cell *c, bool with_workers)
{
	const struct run_cfg *r = &c->cfg;
	size_t n = sizeof(c->id), o = 0;

#define ADD(...) (o += (size_t)snprintf(c->id + o, o < n ? n - o : 0, __VA_ARGS__))
	ADD("%s-%s-%s", c->grid, c->label[0] ? c->label : r->model->name, r->workload->name);
	if (c->share_pct >= 0)
		ADD("-s%d", c->share_pct);
	if (c->duration_us == 0)
		ADD("-c%llu-n%llu", (unsigned long long)r->concurrency,
		    (unsigned long long)r->tasks);
	else if (c->search) /* a percent of the searched rate, the same tasks */
		ADD("-c%llu-l%dpct-n%llu-search", (unsigned long long)r->concurrency, c->load_pct,
		    (unsigned long long)(c->batch_tasks > SPEC_CURVE_MIN_TASKS
						 ? c->batch_tasks
						 : SPEC_CURVE_MIN_TASKS));
	else if (c->load_pct > 0) /* open loop: the rate, as given */
		ADD("-c%llu-l%dpct-d%llums", (unsigned long long)r->concurrency, c->load_pct,
		    (unsigned long long)(c->duration_us / 1000));
	else
		ADD("-c%llu-r%.6gtps-d%llums", (unsigned long long)r->concurrency, r->rate_tps,
		    (unsigned long long)(c->duration_us / 1000));
	if (c->duration_us && r->poisson)
		ADD("-poisson");
	if (with_workers)
		ADD("-w%llu", (unsigned long long)r->workers);
	if (r->workload->does_io)
		ADD("-io%lluus-p%llu-%s", (unsigned long long)r->io_latency_us,
		    (unsigned long long)r->payload, r->keepalive ? "ka" : "new");
	if (r->workload->does_cpu)
		ADD("-cpu%lluus", (unsigned long long)c->cpu_us);
	if (r->model->spawns && r->spawn_exec)
		ADD("-exec");
#undef ADD
}

void spec_capacity_id(const struct spec_cell *c, char *id)
{
	struct spec_cell b = *c;

	b.duration_us = 0;
	b.load_pct = 0;
	b.cfg.tasks = c->batch_tasks;
	b.cfg.rate_tps = 0;
	b.cfg.poisson = false;
	spec_cell_id(&b, false);
	snprintf(id, SPEC_ID_MAX, "%s", b.id);
}

void spec_cell_set_rate(struct spec_cell *c, double cap_tps)
{
	double n;

	if (c->load_pct > 0)
		c->cfg.rate_tps = cap_tps * c->load_pct / 100.0;
	if (c->cfg.rate_tps < 0.001)
		c->cfg.rate_tps = 0.001;
	if (c->search && c->load_pct > 0) { /* the same tasks at every point */
		c->cfg.tasks = c->batch_tasks > SPEC_CURVE_MIN_TASKS ? c->batch_tasks
								     : SPEC_CURVE_MIN_TASKS;
		return;
	}
	n = ceil(c->cfg.rate_tps * (double)c->duration_us / 1e6);
	/* at least a few tasks, so a percentile means something */
	c->cfg.tasks = n < SPEC_OPEN_MIN_TASKS ? SPEC_OPEN_MIN_TASKS
		       : n > SCHED_MAX_TASKS   ? SCHED_MAX_TASKS
					       : (uint64_t)n;
}

static int list_add(struct cell_list *l, const struct spec_cell *c)
{
	struct spec_cell *nv;

	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].id, c->id) == 0)
			return 0; /* one-slot models collapse the concurrency axis */
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		nv = realloc(l->v, l->cap * sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		l->v = nv;
	}
	l->v[l->n++] = *c;
	return 0;
}

static int expand_err(struct expansion *x, int line, const char *what)
{
	snprintf(x->err, x->errlen, "grid %s (line %d): %s", x->g->name, line, what);
	return -EINVAL;
}

/* The value of expr, which must be at least 1. */
static int eval_pos(struct expansion *x, int line, const char *expr, long long c, uint64_t *out)
{
	char why[SPEC_ERR_MAX], msg[SPEC_ERR_MAX + 64];
	long long v;

	if (spec_eval(expr, c, x->nproc, &v, why, sizeof(why)))
		return expand_err(x, line, why);
	if (v < 1) {
		snprintf(msg, sizeof(msg), "'%s' is %lld, must be at least 1", expr, v);
		return expand_err(x, line, msg);
	}
	*out = (uint64_t)v;
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* The grid's concurrency levels, evaluated, sorted and without repeats. */
static int grid_levels(struct expansion *x)
{
	const struct spec_grid *g = x->g;
	size_t k = 0;

	for (size_t i = 0; i < g->n_conc; i++)
		if (eval_pos(x, g->conc_line, g->conc[i], -1, &x->lv[i]))
			return -EINVAL;
	qsort(x->lv, g->n_conc, sizeof(x->lv[0]), cmp_u64);
	for (size_t i = 0; i < g->n_conc; i++)
		if (k == 0 || x->lv[k - 1] != x->lv[i])
			x->lv[k++] = x->lv[i];
	x->nlv = k;
	return 0;
}

/* c once, or once per rate of an open-loop grid. A rate in percent of
 * capacity is set when the sweep has measured the capacity (the cell
 * keeps the grid's tasks for that batch run until then). */
static int expand_rates(struct expansion *x, struct spec_cell *c, bool with_workers)
{
	const struct spec_grid *g = x->g;
	struct spec_cell o;

	if (g->n_rates == 0) {
		spec_cell_id(c, with_workers);
		return list_add(&x->l, c);
	}
	for (size_t i = 0; i < g->n_rates; i++) {
		o = *c;
		o.duration_us = g->duration_us;
		o.batch_tasks = c->cfg.tasks;
		o.cfg.poisson = g->poisson;
		o.cfg.seed = 1;
		o.load_pct = g->rate_rel[i] ? (int)g->rates[i] : 0;
		o.search = g->rate_search && g->rate_rel[i];
		o.cfg.rate_tps = g->rate_rel[i] ? 0 : g->rates[i];
		if (!g->rate_rel[i])
			spec_cell_set_rate(&o, 0);
		spec_cell_id(&o, with_workers);
		if (list_add(&x->l, &o))
			return -ENOMEM;
	}
	return 0;
}

/* The cells of c's model at one concurrency level, over the workers axis. */
static int expand_model(struct expansion *x, struct spec_cell *c, uint64_t level)
{
	const struct spec_grid *g = x->g;
	struct run_cfg *r = &c->cfg;
	size_t nw = g->n_workers ? g->n_workers : 1;
	size_t ns = r->model->spawns && g->n_spawn ? g->n_spawn : 1;
	long long conc;

	r->concurrency = r->model->one_slot ? 1 : level;
	conc = (long long)r->concurrency;
	if (eval_pos(x, g->tasks_line, g->tasks, conc, &r->tasks))
		return -EINVAL;
	for (size_t i = 0; i < nw; i++) {
		r->workers = (uint64_t)x->nproc;
		if (g->n_workers && eval_pos(x, g->workers_line, g->workers[i], conc, &r->workers))
			return -EINVAL;
		if (r->workers > WORKERS_MAX)
			return expand_err(x, g->workers_line,
					  "workers over 1024 (the limit of cmbench run)");
		for (size_t k = 0; k < ns; k++) {
			r->spawn_exec = r->model->spawns && g->n_spawn && g->spawn_exec[k];
			if (expand_rates(x, c, g->n_workers > 0))
				return -ENOMEM;
		}
	}
	return 0;
}

/* Every cell of one kind of work (workload, io latency, cpu, share). */
static int expand_work(struct expansion *x, struct spec_cell *c)
{
	const struct spec_grid *g = x->g;
	struct run_cfg *r = &c->cfg;
	bool io = r->workload->does_io;
	size_t np = io ? g->n_payload : 1, nc = io ? g->n_conn : 1;
	char why[SPEC_ERR_MAX];
	int rc;

	memset(r->wl_num, 0, sizeof(r->wl_num));
	memset(r->wl_str, 0, sizeof(r->wl_str));
	cli_wl_defaults(r);
	for (size_t f = 0; f < g->n_flags; f++)
		if (cli_wl_flag(r, g->flags[f][0], g->flags[f][1], why, sizeof(why)))
			return expand_err(x, g->line, why);

	for (size_t p = 0; p < np; p++) {
		r->payload = io ? g->payload[p] : 0;
		for (size_t k = 0; k < nc; k++) {
			r->keepalive = io ? g->keepalive[k] : false;
			for (size_t i = 0; i < x->nlv; i++)
				for (size_t m = 0; m < g->n_models; m++) {
					r->model = g->models[m];
					snprintf(c->label, sizeof(c->label), "%s",
						 g->labels && g->labels[m][0] ? g->labels[m]
									      : r->model->name);
					c->cpu_scale = g->cpu_scale ? g->cpu_scale[m] : 1;
					rc = expand_model(x, c, x->lv[i]);
					if (rc)
						return rc;
				}
		}
	}
	return 0;
}

/* A one-slot model gets one cell that competes at every concurrency level
 * of its grid, which is only fair when every level runs the same number
 * of tasks: refuse a tasks expression that depends on C in such a grid. */
static int tasks_fixed_for_one_slot(struct expansion *x)
{
	const struct spec_grid *g = x->g;
	const struct model_ops *one = NULL;
	uint64_t first = 0, t;
	char msg[SPEC_ERR_MAX];

	for (size_t i = 0; i < g->n_models && !one; i++)
		one = g->models[i]->one_slot ? g->models[i] : NULL;
	for (size_t i = 0; one && i < x->nlv; i++) {
		if (eval_pos(x, g->tasks_line, g->tasks, (long long)x->lv[i], &t))
			return -EINVAL;
		snprintf(msg, sizeof(msg),
			 "tasks must be the same at every concurrency level when the grid has "
			 "%s (it competes at each level)",
			 one->name);
		if (i > 0 && t != first)
			return expand_err(x, g->tasks_line, msg);
		first = t;
	}
	return 0;
}

/* The share axis: share s runs (100-s)% of T as io latency and s% as cpu
 * work, in the plain workload with those parts. */
static int expand_shares(struct expansion *x, struct spec_cell *c)
{
	const struct spec_grid *g = x->g;
	int rc;

	for (size_t s = 0; s < g->n_shares; s++) {
		int pct = g->shares[s];

		c->share_pct = pct;
		c->cfg.workload = workload_by_parts(pct<100, pct> 0);
		if (!c->cfg.workload)
			return expand_err(x, g->line, "no workload has the parts this share needs");
		c->cfg.io_latency_us = g->task_time_us * (uint64_t)(100 - pct) / 100;
		c->cpu_us = g->task_time_us * (uint64_t)pct / 100;
		rc = expand_work(x, c);
		if (rc)
			return rc;
	}
	return 0;
}

/* The workload axis, with its io latencies and cpu works. */
static int expand_workloads(struct expansion *x, struct spec_cell *c)
{
	const struct spec_grid *g = x->g;
	int rc;

	c->share_pct = -1;
	for (size_t w = 0; w < g->n_workloads; w++) {
		const struct workload_ops *wl = g->workloads[w];
		size_t ni = wl->does_io ? g->n_io : 1, nc = wl->does_cpu ? g->n_cpu : 1;

		c->cfg.workload = wl;
		for (size_t i = 0; i < ni; i++)
			for (size_t k = 0; k < nc; k++) {
				c->cfg.io_latency_us = wl->does_io ? g->io_latency_us[i] : 0;
				c->cpu_us = wl->does_cpu ? g->cpu_us[k] : 0;
				rc = expand_work(x, c);
				if (rc)
					return rc;
			}
	}
	return 0;
}

static int expand_grid(struct expansion *x)
{
	struct spec_cell c;
	int rc;

	if (grid_levels(x) || tasks_fixed_for_one_slot(x))
		return -EINVAL;
	memset(&c, 0, sizeof(c));
	snprintf(c.grid, sizeof(c.grid), "%s", x->g->name);
	cli_run_defaults(&c.cfg);
	c.cfg.timeout_us = x->spec->timeout_us;
	c.cfg.plateau_samples = x->g->plateau_samples;
	c.reps = x->g->own_reps ? x->g->reps : x->spec->reps;
	c.reps_max = x->g->own_reps ? x->g->reps_max : x->spec->reps_max;
	c.ci_pct = x->g->own_ci ? x->g->ci_pct : x->spec->ci_pct;
	c.equiv_pct = x->g->own_equiv ? x->g->equiv_pct : x->spec->equiv_pct;
	c.stop_ci = x->g->own_stop ? x->g->stop_ci : x->spec->stop_ci;
	c.budget_us = x->g->own_budget ? x->g->budget_us : x->spec->budget_us;
	c.warmup = x->g->own_warmup ? x->g->warmup : x->spec->warmup;
	c.cfg.format = FMT_CSV;
	c.cfg.cpu_iters = 0; /* the sweep's calibration sets it */
	c.cfg.cpu_target_us = 0;
	rc = expand_shares(x, &c);
	return rc ? rc : expand_workloads(x, &c);
}

int spec_expand(const struct spec *spec, int nproc, struct spec_cell **cells, size_t *n, char *err,
		size_t errlen)
{
	struct expansion x = {
		.spec = spec, .nproc = nproc < 1 ? 1 : nproc, .err = err, .errlen = errlen
	};
	int rc;

	for (size_t i = 0; i < spec->n_grids; i++) {
		x.g = &spec->grids[i];
		rc = expand_grid(&x);
		if (rc) {
			if (rc == -ENOMEM)
				snprintf(err, errlen, "out of memory");
			free(x.l.v);
			return rc;
		}
	}
	*cells = x.l.v;
	*n = x.l.n;
	return 0;
}
