/* sweep_capacity.c - the capacity behind an open-loop grid's relative
 * rates (`rate: 70%`): before the grid's cells, one batch run per model
 * and work setting at the grid's concurrency, on the grid's tasks, gives
 * the throughput that 100% means. The figures are kept in the set's
 * capacity.csv (one row per batch run), so a resumed sweep offers the
 * same rates and a reader sees what the percentages stood for. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../models/model.h"
#include "../../workloads/workload.h"
#include "../cli.h"
#include "cells.h"
#include "../../lib/cmdutil.h"
#include "setio.h"
#include "sweep.h"

#define CAP_OUT_MAX 16384 /* the output of one `cmbench run --format csv` */

struct cap {
	char id[SPEC_ID_MAX];	      /* spec_capacity_id */
	const struct spec_cell *cell; /* the first cell that needs it */
	double tps;		      /* measured throughput, tasks/s */
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

/* The capacities of an earlier run of this set (a resume). */
static void cap_read(struct cap_table *t, const char *path)
{
	struct cells_csv csv;
	int cid, ctps;

	if (cells_csv_read(path, &csv) != 0)
		return;
	cid = cells_csv_col(&csv, "capacity_id");
	ctps = cells_csv_col(&csv, "capacity_tps");
	for (size_t i = 0; cid >= 0 && ctps >= 0 && i < csv.nrows; i++) {
		struct cap *c = cap_find(t, csv.rows[i][cid]);
		double v = strtod(csv.rows[i][ctps], NULL);

		if (c && v > 0)
			c->tps = v;
	}
	cells_csv_free(&csv);
}

static int cap_put(FILE *f, const void *arg)
{
	const struct cap_table *t = arg;

	fprintf(f, "capacity_id,grid,model,workload,concurrency,io_latency_us,cpu_us,tasks,"
		   "capacity_tps\n");
	for (size_t i = 0; i < t->n; i++) {
		const struct spec_cell *c = t->v[i].cell;

		fprintf(f, "%s,%s,%s,%s,%llu,%llu,%llu,%llu,%.6g\n", t->v[i].id, c->grid,
			c->cfg.model->name, c->cfg.workload->name,
			(unsigned long long)c->cfg.concurrency,
			(unsigned long long)c->cfg.io_latency_us, (unsigned long long)c->cpu_us,
			(unsigned long long)c->batch_tasks, t->v[i].tps);
	}
	return ferror(f) ? -EIO : 0;
}

/* One batch run of c's work: its throughput into *tps. */
static int cap_measure(const struct sweep *sw, const struct spec_cell *c, double *tps)
{
	struct run_cfg cfg = c->cfg;
	struct cells_csv csv;
	char **argv, **full = NULL, *out, tmp[SWEEP_PATH_MAX + 64];
	size_t n = 0;
	int rc, col;

	snprintf(tmp, sizeof(tmp), "%s/.capacity.%d.csv", sw->dir, (int)getpid());
	unlink(tmp);

	cfg.rate_tps = 0;
	cfg.poisson = false;
	cfg.seed = 0;
	cfg.duration_us = 0;
	cfg.tasks = c->batch_tasks;
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
	if (rc) {
		cmd_say("sweep", "the capacity run of %s failed: %.300s", c->id, out);
		free(out);
		unlink(tmp);
		return -EIO;
	}
	free(out);
	rc = cells_csv_read(tmp, &csv);
	unlink(tmp);
	if (rc) {
		cmd_say("sweep", "the capacity run of %s left no row", c->id);
		return -EIO;
	}
	col = cells_csv_col(&csv, "throughput_tps");
	*tps = col >= 0 && csv.nrows == 1 ? strtod(csv.rows[0][col], NULL) : 0;
	cells_csv_free(&csv);
	if (!(*tps > 0)) {
		cmd_say("sweep", "the capacity run of %s printed no throughput", c->id);
		return -EIO;
	}
	return 0;
}

int sweep_capacity(struct sweep *sw)
{
	struct cap_table t = { 0 };
	char path[SWEEP_PATH_MAX + 32];
	bool measured = false;
	int rc = 0;

	for (size_t i = 0; i < sw->ncells; i++) {
		const struct spec_cell *c = &sw->cells[i];
		char id[SPEC_ID_MAX];
		struct cap *nv;

		if (c->load_pct <= 0)
			continue;
		spec_capacity_id(c, id);
		if (cap_find(&t, id))
			continue;
		nv = realloc(t.v, (t.n + 1) * sizeof(*nv));
		if (!nv) {
			free(t.v);
			return -ENOMEM;
		}
		t.v = nv;
		memset(&t.v[t.n], 0, sizeof(t.v[0]));
		snprintf(t.v[t.n].id, sizeof(t.v[0].id), "%s", id);
		t.v[t.n++].cell = c;
	}
	if (t.n == 0)
		return 0;
	snprintf(path, sizeof(path), "%s/capacity.csv", sw->dir);
	cap_read(&t, path);
	for (size_t i = 0; rc == 0 && i < t.n && !sweep_stop_sig; i++) {
		if (t.v[i].tps > 0)
			continue;
		rc = cap_measure(sw, t.v[i].cell, &t.v[i].tps);
		if (rc == 0)
			fprintf(stderr, "cmbench sweep: capacity of %s: %.1f tasks/s\n", t.v[i].id,
				t.v[i].tps);
		measured = true;
	}
	if (rc == 0 && measured)
		rc = setio_replace(path, cap_put, &t);
	for (size_t i = 0; rc == 0 && i < sw->ncells; i++) {
		struct spec_cell *c = &sw->cells[i];
		char id[SPEC_ID_MAX];

		if (c->load_pct <= 0)
			continue;
		spec_capacity_id(c, id);
		spec_cell_set_rate(c, cap_find(&t, id)->tps);
	}
	free(t.v);
	return rc;
}
