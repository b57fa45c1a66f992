/* sweep_capacity.c - the capacity behind an open-loop grid's relative
 * rates (`rate: 70%`). Before the grid's cells, one batch run per model
 * and work setting at the grid's concurrency, on the grid's tasks, gives
 * its batch throughput. With `rate: search` (and `slo:`) that is only the
 * first guess: the search then brackets and bisects the highest rate the
 * model *sustains* (sustain.h), each probe an open-loop run of at least
 * CAP_PROBE_TASKS tasks and CAP_PROBE_S seconds, until the bracket is
 * within CAP_BRACKET; 100% is then the sustained rate. A model that
 * sustains not even the lowest probe gets no number: its row says so,
 * and its cells of the grid are not run.
 *
 * With `search_reps: N` each model is searched N times, in rounds: round
 * r searches every model once, in an order shuffled from meta.json's seed
 * and r, so a drift of the machine does not land on one model. The
 * percents are then of the median sustained rate, and the N rates are the
 * sample plots/ tests the open-loop verdict on.
 *
 * The figures are kept in the set's capacity.csv (a batch row per work
 * setting; a searched one has a row per search, search_rep 1..N, then its
 * `median` row: the median rate, the span of the brackets, all probes), so
 * a resumed sweep offers the same rates and a reader sees what the
 * percentages stood for.
 *
 * CMBENCH_TEST_PROBE_S=S (tests only) shortens the probes to S seconds and
 * 1000 * S tasks at least. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../models/model.h"
#include "../../workloads/workload.h"
#include "../cli.h"
#include "../set/cells.h"
#include "../../lib/cmdutil.h"
#include "../../lib/proc.h"
#include "../set/setio.h"
#include "../set/sustain.h"
#include "sweep.h"

#define CAP_OUT_MAX 16384    /* the output of one `cmbench run --format csv` */
#define CAP_PROBE_TASKS 2000 /* a probe runs at least these tasks */
#define CAP_PROBE_S 2.0	     /* and at least this long */
#define CAP_BRACKET 1.05     /* the search stops when hi / lo is within this */
#define CAP_START 0.9	     /* the first probe, times the batch throughput */
#define CAP_UP 1.15	     /* steps of the bracketing, up */
#define CAP_DOWN 0.6	     /* and down */
#define CAP_FLOOR 0.1	     /* lowest probe, times the batch throughput */
#define CAP_PROBES_MAX 14    /* probes of one search at most */
#define CAP_REPS_MAX CELLS_MAX_REPS

static unsigned cap_probe_tasks = CAP_PROBE_TASKS;
static double cap_probe_s = CAP_PROBE_S;

struct cap {
	char id[SPEC_ID_MAX];	      /* spec_capacity_id */
	const struct spec_cell *cell; /* the first cell that needs it */
	bool search;		      /* its grid searches */
	double slo_us;		      /* the search's SLO */
	double tps;		      /* batch throughput, tasks/s */
	double sustained, lo, hi;     /* the search: the rate, its bracket (hi: NAN: none failed) */
	unsigned probes;	      /* probes run; 0: not searched */
	bool none;		      /* the search sustained not even its lowest probe */
	unsigned nrep;		      /* searches asked for (search_reps:) */
	unsigned done;		      /* searches done, in rs[0..done) */
	double rs[CAP_REPS_MAX];      /* each search's sustained rate (0: none) */
	double rlo[CAP_REPS_MAX], rhi[CAP_REPS_MAX]; /* and its bracket */
	unsigned rprobes[CAP_REPS_MAX];		     /* and its probes */
};

struct cap_table {
	struct cap *v;
	size_t n;
};

static struct cap *cap_find(struct cap_table *t, const char *id)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->v[i].id, id) == 0)
			return &t->v[i];
	return NULL;
}

static double col_num(const struct cells_csv *csv, size_t r, const char *name)
{
	int c = cells_csv_col(csv, name);

	return c >= 0 && csv->rows[r][c][0] ? strtod(csv->rows[r][c], NULL) : NAN;
}

/* The capacities of an earlier run of this set (a resume). */
static void cap_read(struct cap_table *t, const char *path)
{
	struct cells_csv csv;
	int cid, cs;

	if (cells_csv_read(path, &csv) != 0)
		return;
	cid = cells_csv_col(&csv, "capacity_id");
	cs = cells_csv_col(&csv, "search");
	int cr = cells_csv_col(&csv, "search_rep");

	for (size_t i = 0; cid >= 0 && i < csv.nrows; i++) {
		struct cap *c = cap_find(t, csv.rows[i][cid]);
		double v = col_num(&csv, i, "capacity_tps"), p = col_num(&csv, i, "probes");
		const char *sr = cr >= 0 ? csv.rows[i][cr] : "";

		if (!c || !(v > 0))
			continue;
		if (c->search && !(p > 0))
			continue; /* searched now, not then: search again */
		c->tps = v;
		if (!c->search)
			continue;
		if (sr[0] >= '1' && sr[0] <= '9') { /* one search of several */
			unsigned k = (unsigned)strtoul(sr, NULL, 10) - 1;
			bool none = cs >= 0 && strcmp(csv.rows[i][cs], "none") == 0;

			if (k != c->done || k >= c->nrep)
				continue; /* out of order, or more than asked now */
			c->rs[k] = none ? 0 : col_num(&csv, i, "sustained_tps");
			c->rlo[k] = col_num(&csv, i, "bracket_lo_tps");
			c->rhi[k] = col_num(&csv, i, "bracket_hi_tps");
			c->rprobes[k] = (unsigned)p;
			c->done = k + 1;
			continue;
		}
		if (c->done != c->nrep && !(cr < 0 && c->nrep == 1))
			continue; /* a summary of other searches than asked now */
		c->probes = (unsigned)p;
		c->sustained = col_num(&csv, i, "sustained_tps");
		c->lo = col_num(&csv, i, "bracket_lo_tps");
		c->hi = col_num(&csv, i, "bracket_hi_tps");
		c->none = cs >= 0 && strcmp(csv.rows[i][cs], "none") == 0;
		if (cr < 0) { /* an older set: its one search */
			c->rs[0] = c->none ? 0 : c->sustained;
			c->rlo[0] = c->lo;
			c->rhi[0] = c->hi;
			c->rprobes[0] = c->probes;
			c->done = 1;
		}
	}
	cells_csv_free(&csv);
}

static void put_num(FILE *f, double v)
{
	if (isfinite(v))
		fprintf(f, ",%.6g", v);
	else
		fputs(",", f);
}

static int cap_put(FILE *f, const void *arg)
{
	const struct cap_table *t = arg;

	fprintf(f, "capacity_id,grid,model,workload,concurrency,io_latency_us,cpu_us,tasks,"
		   "capacity_tps,search,sustained_tps,bracket_lo_tps,bracket_hi_tps,probes,"
		   "slo_us,search_rep\n");
	for (size_t i = 0; i < t->n; i++) {
		const struct cap *p = &t->v[i];
		const struct spec_cell *c = p->cell;

		fprintf(f, "%s,%s,%s,%s,%llu,%llu,%llu,%llu,%.6g", p->id, c->grid,
			c->cfg.model->name, c->cfg.workload->name,
			(unsigned long long)c->cfg.concurrency,
			(unsigned long long)c->cfg.io_latency_us, (unsigned long long)c->cpu_us,
			(unsigned long long)c->batch_tasks, p->tps);
		if (!p->search) {
			fprintf(f, ",batch,,,,,,\n");
			continue;
		}
		for (unsigned k = 0; k < p->done; k++) {
			if (k)
				fprintf(f, "%s,%s,%s,%s,%llu,%llu,%llu,%llu,%.6g", p->id, c->grid,
					c->cfg.model->name, c->cfg.workload->name,
					(unsigned long long)c->cfg.concurrency,
					(unsigned long long)c->cfg.io_latency_us,
					(unsigned long long)c->cpu_us,
					(unsigned long long)c->batch_tasks, p->tps);
			fprintf(f, ",%s", p->rs[k] > 0 ? "ok" : "none");
			put_num(f, p->rs[k] > 0 ? p->rs[k] : NAN);
			put_num(f, p->rlo[k]);
			put_num(f, p->rhi[k]);
			fprintf(f, ",%u,%.0f,%u\n", p->rprobes[k], p->slo_us, k + 1);
		}
		if (p->done < p->nrep)
			continue; /* stopped: the median once all searches ran */
		fprintf(f, "%s,%s,%s,%s,%llu,%llu,%llu,%llu,%.6g", p->id, c->grid,
			c->cfg.model->name, c->cfg.workload->name,
			(unsigned long long)c->cfg.concurrency,
			(unsigned long long)c->cfg.io_latency_us, (unsigned long long)c->cpu_us,
			(unsigned long long)c->batch_tasks, p->tps);
		fprintf(f, ",%s", p->none ? "none" : "ok");
		put_num(f, p->none ? NAN : p->sustained);
		put_num(f, p->lo);
		put_num(f, p->hi);
		fprintf(f, ",%u,%.0f,median\n", p->probes, p->slo_us);
	}
	return ferror(f) ? -EIO : 0;
}

/* One `cmbench run` of cfg; its row into *csv (one row). exited: whether
 * it exited 0 (a failed task exits 1 and still writes its row). */
static int cap_run(const struct sweep *sw, const struct spec_cell *c, struct run_cfg cfg,
		   struct cells_csv *csv, bool *exited)
{
	char **argv, **full = NULL, *out, tmp[SWEEP_PATH_MAX + 64];
	size_t n = 0;
	int rc;

	snprintf(tmp, sizeof(tmp), "%s/.capacity.%d.csv", sw->dir, (int)getpid());
	unlink(tmp);
	cfg.duration_us = 0;
	cfg.format = FMT_CSV;
	cfg.append_path = tmp; /* the row; meta_capture keeps one line of output */
	cfg.spectrum_path = NULL;
	argv = cli_format_run(&cfg);
	out = malloc(CAP_OUT_MAX);
	while (argv && argv[n])
		n++;
	full = argv && out ? calloc(n + 2, sizeof(*full)) : NULL;
	if (!full) {
		cli_argv_free(argv);
		free(out);
		return -ENOMEM;
	}
	full[0] = (char *)sw->cmbench;
	memcpy(full + 1, argv, n * sizeof(*full));
	rc = meta_capture(full, out, CAP_OUT_MAX);
	free(full);
	cli_argv_free(argv);
	*exited = rc == 0;
	if (rc && rc != -EIO) {
		cmd_say("sweep", "the capacity run of %s failed: %.300s", c->id, out);
		free(out);
		unlink(tmp);
		return rc;
	}
	rc = cells_csv_read(tmp, csv);
	unlink(tmp);
	if (rc || csv->nrows != 1) {
		if (!rc)
			cells_csv_free(csv);
		cmd_say("sweep", "the capacity run of %s left no row: %.300s", c->id, out);
		free(out);
		return -EIO;
	}
	free(out);
	return 0;
}

/* One batch run of c's work: its throughput into *tps. */
static int cap_measure(const struct sweep *sw, const struct spec_cell *c, double *tps)
{
	struct run_cfg cfg = c->cfg;
	struct cells_csv csv;
	bool exited;
	int rc;

	cfg.rate_tps = 0;
	cfg.poisson = false;
	cfg.seed = 0;
	cfg.tasks = c->batch_tasks;
	rc = cap_run(sw, c, cfg, &csv, &exited);
	if (rc)
		return rc;
	*tps = exited ? col_num(&csv, 0, "throughput_tps") : 0;
	cells_csv_free(&csv);
	if (!(*tps > 0)) {
		cmd_say("sweep", "the capacity run of %s failed or printed no throughput", c->id);
		return -EIO;
	}
	return 0;
}

/* One probe of the search: does c's model sustain rate? */
static int cap_probe(const struct sweep *sw, struct cap *p, double rate, bool *ok)
{
	struct run_cfg cfg = p->cell->cfg;
	struct sustain_run r;
	struct cells_csv csv;
	enum sustain_verdict v;
	double n = ceil(rate * cap_probe_s);
	bool exited;
	int rc;

	cfg.rate_tps = rate;
	cfg.tasks = n < cap_probe_tasks ? cap_probe_tasks : (uint64_t)n;
	rc = cap_run(sw, p->cell, cfg, &csv, &exited);
	if (rc)
		return rc;
	p->probes++;
	r = (struct sustain_run){ .clean = exited && col_num(&csv, 0, "completed") == cfg.tasks &&
					   col_num(&csv, 0, "errors") == 0 &&
					   col_num(&csv, 0, "workers_lost") == 0,
				  .rate_tps = rate,
				  .tasks = (double)cfg.tasks,
				  .makespan_s = col_num(&csv, 0, "makespan_s"),
				  .p50_us = col_num(&csv, 0, "lat_p50_us"),
				  .p99_us = col_num(&csv, 0, "lat_p99_us"),
				  .p50_first_us = col_num(&csv, 0, "lat_p50_first_us"),
				  .p50_last_us = col_num(&csv, 0, "lat_p50_last_us") };
	cells_csv_free(&csv);
	v = sustain_judge(&r, p->slo_us);
	*ok = v == SUSTAIN_OK;
	fprintf(stderr, "cmbench sweep: search %s: %.1f tasks/s: %s (p99 %.3g ms)\n", p->id, rate,
		sustain_why(v), r.p99_us / 1e3);
	return 0;
}

/* Bracket, then bisect (geometrically) the highest sustained rate. */
static int cap_search(const struct sweep *sw, struct cap *p)
{
	double r = p->tps * CAP_START, floor = p->tps * CAP_FLOOR;
	bool ok;
	int rc;

	p->lo = NAN;
	p->hi = NAN;
	p->probes = 0;
	p->none = false;
	while (!proc_stop_sig() && p->probes < CAP_PROBES_MAX) {
		if ((rc = cap_probe(sw, p, r, &ok)))
			return rc;
		if (ok)
			p->lo = r;
		else
			p->hi = r;
		if (isfinite(p->lo) && isfinite(p->hi))
			break;
		if (!ok && r * CAP_DOWN < floor) {
			p->none = true; /* not even the lowest probe */
			p->sustained = NAN;
			return 0;
		}
		r *= ok ? CAP_UP : CAP_DOWN;
	}
	while (!proc_stop_sig() && isfinite(p->hi) && p->hi > CAP_BRACKET * p->lo &&
	       p->probes < CAP_PROBES_MAX) {
		r = sqrt(p->lo * p->hi);
		if ((rc = cap_probe(sw, p, r, &ok)))
			return rc;
		*(ok ? &p->lo : &p->hi) = r;
	}
	p->sustained = p->lo;
	return proc_stop_sig() ? -EINTR : 0;
}

static int cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Keep search number p->done, then, after the last, the summary: the
 * median rate (a search that sustained nothing counts 0), the span of
 * the brackets (open above when one is) and all probes. */
static void cap_keep(struct cap *p)
{
	double v[CAP_REPS_MAX], m;
	unsigned k = p->done++, n = p->done, probes = 0;

	p->rs[k] = p->none ? 0 : p->sustained;
	p->rlo[k] = p->lo;
	p->rhi[k] = p->hi;
	p->rprobes[k] = p->probes;
	if (n < p->nrep)
		return;
	memcpy(v, p->rs, n * sizeof(v[0]));
	qsort(v, n, sizeof(v[0]), cmp_dbl);
	m = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	p->lo = INFINITY;
	p->hi = -INFINITY;
	for (unsigned i = 0; i < n; i++) {
		probes += p->rprobes[i];
		if (isfinite(p->rlo[i]) && p->rlo[i] < p->lo)
			p->lo = p->rlo[i];
		if (!isfinite(p->rhi[i]))
			p->hi = NAN; /* one search found no rate it failed: open above */
		else if (!isnan(p->hi) && p->rhi[i] > p->hi)
			p->hi = p->rhi[i];
	}
	p->lo = isfinite(p->lo) ? p->lo : NAN;
	p->probes = probes;
	p->none = !(m > 0);
	p->sustained = p->none ? NAN : m;
}

/* order[0..n) shuffled from seed and round r (splitmix64, Fisher-Yates). */
static void cap_shuffle(size_t *order, size_t n, uint64_t seed, unsigned r)
{
	uint64_t x = seed ^ (0x5ea4c4ull << 32) ^ r;

	for (size_t i = 0; i < n; i++)
		order[i] = i;
	for (size_t i = n; i > 1; i--) {
		uint64_t z = (x += 0x9e3779b97f4a7c15ull);
		size_t j, tmp;

		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
		z ^= z >> 31;
		j = (size_t)(z % i);
		tmp = order[i - 1], order[i - 1] = order[j], order[j] = tmp;
	}
}

static int cap_collect(struct sweep *sw, struct cap_table *t)
{
	for (size_t i = 0; i < sw->ncells; i++) {
		const struct spec_cell *c = &sw->cells[i];
		const struct spec_grid *g = spec_grid_find(&sw->spec, c->grid);
		char id[SPEC_ID_MAX];
		struct cap *nv;

		if (c->load_pct <= 0)
			continue;
		spec_capacity_id(c, id);
		if (cap_find(t, id))
			continue;
		nv = realloc(t->v, (t->n + 1) * sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		t->v = nv;
		memset(&t->v[t->n], 0, sizeof(t->v[0]));
		snprintf(t->v[t->n].id, sizeof(t->v[0].id), "%s", id);
		t->v[t->n].cell = c;
		t->v[t->n].search = g && g->rate_search;
		t->v[t->n].slo_us = g ? (double)g->slo_us : SPEC_SLO_US;
		t->v[t->n].sustained = t->v[t->n].lo = t->v[t->n].hi = NAN;
		t->v[t->n].nrep = !t->v[t->n].search	    ? 0
				  : g && g->own_search_reps ? g->search_reps
							    : sw->spec.search_reps;
		if (t->v[t->n].search && t->v[t->n].nrep == 0)
			t->v[t->n].nrep = 1;
		t->n++;
	}
	return 0;
}

/* The cells of a model whose search found no rate are not run: drop
 * them from the plan (nothing ran yet, so done/ok/est are all clear). */
static void cap_drop_none(struct sweep *sw, struct cap_table *t)
{
	size_t k = 0;

	for (size_t i = 0; i < sw->ncells; i++) {
		struct spec_cell *c = &sw->cells[i];
		char id[SPEC_ID_MAX];
		const struct cap *p;

		if (c->load_pct > 0) {
			spec_capacity_id(c, id);
			p = cap_find(t, id);
			if (p && p->search && p->none) {
				cmd_say("sweep",
					"%s: no sustained rate (p99 <= %.0f ms, keeping up, no "
					"backlog) down to %.3g tasks/s: cell %s is not run",
					c->cfg.model->name, p->slo_us / 1e3, p->tps * CAP_FLOOR,
					c->id);
				continue;
			}
		}
		if (k != i)
			sw->cells[k] = *c;
		k++;
	}
	sw->ncells = k;
}

int sweep_capacity(struct sweep *sw)
{
	struct cap_table t = { 0 };
	char path[SWEEP_PATH_MAX + 32];
	bool measured = false;
	unsigned rounds = 1;
	size_t *order;
	const char *ps = getenv("CMBENCH_TEST_PROBE_S");
	int rc = cap_collect(sw, &t);

	if (rc || t.n == 0) {
		free(t.v);
		return rc;
	}
	if (ps && strtod(ps, NULL) > 0 && strtod(ps, NULL) <= CAP_PROBE_S) {
		cap_probe_s = strtod(ps, NULL);
		cap_probe_tasks = (unsigned)(1000 * cap_probe_s);
		cap_probe_tasks = cap_probe_tasks ? cap_probe_tasks : 1;
	}
	order = malloc(t.n * sizeof(*order));
	if (!order) {
		free(t.v);
		return -ENOMEM;
	}
	snprintf(path, sizeof(path), "%s/capacity.csv", sw->dir);
	cap_read(&t, path);
	for (size_t i = 0; i < t.n; i++)
		rounds = t.v[i].nrep > rounds ? t.v[i].nrep : rounds;
	/* round r: the r-th search of every model, in a shuffled order */
	for (unsigned r = 0; rc == 0 && r < rounds && !proc_stop_sig(); r++) {
		cap_shuffle(order, t.n, sw->meta.seed, r);
		for (size_t j = 0; rc == 0 && j < t.n && !proc_stop_sig(); j++) {
			struct cap *p = &t.v[order[j]];

			if (p->tps > 0 && (!p->search || p->done > r || r >= p->nrep))
				continue;
			if (!(p->tps > 0)) {
				rc = cap_measure(sw, p->cell, &p->tps);
				if (rc == 0)
					fprintf(stderr,
						"cmbench sweep: batch capacity of %s: %.1f "
						"tasks/s\n",
						p->id, p->tps);
			}
			measured = true;
			if (rc || !p->search || p->done > r || r >= p->nrep)
				continue;
			rc = cap_search(sw, p);
			if (rc)
				break;
			cap_keep(p);
			if (p->nrep > 1 && p->rs[r] > 0)
				fprintf(stderr,
					"cmbench sweep: search %u of %u of %s: %.1f tasks/s "
					"[%.1f, %.1f], %u probes\n",
					r + 1, p->nrep, p->id, p->rs[r], p->rlo[r], p->rhi[r],
					p->rprobes[r]);
			if (p->done == p->nrep && !p->none)
				fprintf(stderr,
					"cmbench sweep: sustained rate of %s: %.1f tasks/s [%.1f, "
					"%.1f], %u probes%s\n",
					p->id, p->sustained, p->lo, p->hi, p->probes,
					p->nrep > 1 ? " (median of the searches)" : "");
		}
	}
	free(order);
	if (measured && (rc == 0 || rc == -EINTR)) {
		int rc2 = setio_replace(path, cap_put, &t);

		rc = rc ? rc : rc2;
	}
	for (size_t i = 0; rc == 0 && i < sw->ncells; i++) {
		struct spec_cell *c = &sw->cells[i];
		char id[SPEC_ID_MAX];
		const struct cap *p;

		if (c->load_pct <= 0)
			continue;
		spec_capacity_id(c, id);
		p = cap_find(&t, id);
		spec_cell_set_rate(c, p->search ? (p->none ? 0 : p->sustained) : p->tps);
	}
	if (rc == 0)
		cap_drop_none(sw, &t);
	free(t.v);
	return rc;
}
