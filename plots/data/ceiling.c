/* ceiling.c - the set's ceiling.csv (`cmbench ceiling`) and the ceiling
 * chart (ceiling.gp): memory against tasks held, one line per model
 * ending at its ceiling, the limit named there (findings/ceiling.c reads
 * the same rows). ceiling.csv is read as untrusted: a row whose names are
 * not plain, or whose limit text holds anything but letters, digits,
 * blanks and . : ; ( ) = / _ + - %, is left out. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/util.h"
#include "ceiling.h"
#include "charts.h"

#define CEIL_WLS 4 /* workloads drawn, one panel each */

static bool plain_name(const char *s)
{
	if (!*s || strlen(s) > 40)
		return false;
	for (; *s; s++)
		if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '-'))
			return false;
	return true;
}

static bool plain_text(const char *s)
{
	if (strlen(s) > 400)
		return false;
	for (; *s; s++)
		if (!(isalnum((unsigned char)*s) || strchr(" .:;()=/_+-%", *s)))
			return false;
	return true;
}

/* DIR/ceiling.csv's good rows into *rows (malloc'd); the table in t. */
size_t ceiling_load(const struct set *s, struct cells_csv *t, struct crow **rows)
{
	char path[PLOTS_PATH_LEN];
	int c[10];
	static const char *const cols[10] = { "row",	      "model",	"workload",
					      "concurrency",  "ok",	"pss_peak_kib",
					      "pss_base_kib", "hold_s", "first_fail",
					      "limit" };
	int cd, cs, ck, cl;
	size_t n = 0;

	*rows = NULL;
	snprintf(path, sizeof(path), "%s/ceiling.csv", s->dir);
	if (cells_csv_read(path, t) != 0)
		return 0;
	for (size_t k = 0; k < 10; k++)
		if ((c[k] = cells_csv_col(t, cols[k])) < 0)
			return 0;
	cd = cells_csv_col(t, "detail");
	cs = cells_csv_col(t, "slope_kib");
	ck = cells_csv_col(t, "kmem_kib");
	cl = cells_csv_col(t, "lift");
	*rows = calloc(t->nrows ? t->nrows : 1, sizeof(**rows));
	for (size_t i = 0; *rows && i < t->nrows; i++) {
		char **f = t->rows[i];
		struct crow *r = &(*rows)[n];

		if (!plain_name(f[c[0]]) || !plain_name(f[c[1]]) || !plain_name(f[c[2]]) ||
		    !plain_text(f[c[9]]) || (cd >= 0 && !plain_text(f[cd])) ||
		    (cl >= 0 && !plain_text(f[cl])))
			continue;
		r->row = f[c[0]];
		r->model = f[c[1]];
		r->wl = f[c[2]];
		r->conc = strtod(f[c[3]], NULL);
		r->ok = strtod(f[c[4]], NULL);
		r->pss = strtod(f[c[5]], NULL);
		r->base = strtod(f[c[6]], NULL);
		r->hold = strtod(f[c[7]], NULL);
		r->first_fail = strtod(f[c[8]], NULL);
		r->limit = f[c[9]];
		r->detail = cd >= 0 ? f[cd] : "";
		r->slope = cs >= 0 && *f[cs] ? strtod(f[cs], NULL) : NAN;
		r->kmem = ck >= 0 && *f[ck] ? strtod(f[ck], NULL) : NAN;
		r->lift = cl >= 0 ? f[cl] : "";
		if (isfinite(r->conc) && r->conc >= 0 && isfinite(r->pss) && r->pss >= 0)
			n++;
	}
	return n;
}

static int cmp_conc(const void *a, const void *b)
{
	double x = ((const struct crow *)a)->conc, y = ((const struct crow *)b)->conc;

	return x < y ? -1 : x > y;
}

/* The search's closing row of model on wl, or NULL. */
const struct crow *ceiling_final_row(const struct crow *r, size_t n, const char *model,
				     const char *wl)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(r[i].row, "ceiling") == 0 && strcmp(r[i].model, model) == 0 &&
		    strcmp(r[i].wl, wl) == 0)
			return &r[i];
	return NULL;
}

/* plotdata/ceiling-W-M.dat: concurrency, PSS MiB of the clean probes and
 * PSS with the tree's kernel memory (NaN where the set has none);
 * plotdata/ceiling-labels-I.dat: the end of each line and its limit;
 * vars ceiling_n, ceiling_wlI, ceiling_titleI, ceiling_modelsI. */
static int write_ceiling(struct set *s)
{
	struct cells_csv t = { 0 };
	struct crow *r;
	size_t n = ceiling_load(s, &t, &r), nwl = 0;
	const char *wls[CEIL_WLS];
	char name[128];

	for (size_t i = 0; i < n && nwl < CEIL_WLS; i++) {
		bool seen = false;

		for (size_t k = 0; k < nwl; k++)
			seen |= strcmp(wls[k], r[i].wl) == 0;
		if (!seen)
			wls[nwl++] = r[i].wl;
	}
	if (n) /* qsort of no rows: NULL, which it may not take */
		qsort(r, n, sizeof(*r), cmp_conc);
	for (size_t w = 0; w < nwl; w++) {
		char models[PLOTS_LIST_LEN] = "", var[48];
		FILE *lab;
		double hold = 0;

		snprintf(name, sizeof(name), "ceiling-labels-%zu", w + 1);
		lab = plots_dat_open(s, name, wls[w], "tasks_held  pss_mib  \"limit\"");
		if (!lab)
			goto fail;
		for (size_t i = 0; i < n; i++) {
			const struct crow *fin;
			FILE *f;
			bool listed = false;

			if (strcmp(r[i].wl, wls[w]) != 0 || strcmp(r[i].row, "ceiling") != 0)
				continue;
			fin = &r[i];
			hold = fin->hold;
			snprintf(name, sizeof(name), "ceiling-%s-%s", wls[w], fin->model);
			f = plots_dat_open(s, name, fin->model,
					   "tasks_held  pss_mib  pss_and_kernel_mib");
			if (!f) {
				fclose(lab);
				goto fail;
			}
			for (size_t k = 0; k < n; k++)
				if (strcmp(r[k].row, "probe") == 0 && r[k].ok > 0 &&
				    strcmp(r[k].model, fin->model) == 0 &&
				    strcmp(r[k].wl, wls[w]) == 0 && r[k].pss > 0 && r[k].conc > 0) {
					fprintf(f, "%g %.6g %.6g\n", r[k].conc, r[k].pss / 1024.0,
						(r[k].pss + r[k].kmem) / 1024.0);
					listed = true;
				}
			fclose(f);
			if (listed && fin->conc > 0)
				fprintf(lab, "%g %.6g \"%s %s\"\n", fin->conc, fin->pss / 1024.0,
					fin->model, fin->limit);
			if (listed)
				plots_list_add(models, sizeof(models), fin->model);
		}
		if (fclose(lab) != 0)
			goto fail;
		snprintf(var, sizeof(var), "ceiling_wl%zu", w + 1);
		plots_var_str(s, var, "%s", wls[w]);
		snprintf(var, sizeof(var), "ceiling_models%zu", w + 1);
		plots_var_str(s, var, "%s", models);
		snprintf(var, sizeof(var), "ceiling_title%zu", w + 1);
		plots_var_str(s, var,
			      "%s: every task waits %.3g s or more (dots: PSS and the kernel's "
			      "page tables, stacks and socket buffers)",
			      wls[w], hold);
	}
	fprintf(s->vars, "ceiling_n = %zu\n", nwl);
	free(r);
	cells_csv_free(&t);
	return nwl ? 0 : CHART_EMPTY;
fail:
	free(r);
	cells_csv_free(&t);
	return -EIO;
}

const struct chart chart_ceiling = {
	.name = "ceiling",
	.title = "Tasks held at once: memory and the limit",
	.write = write_ceiling,
	.script = "ceiling.gp",
};
