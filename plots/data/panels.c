/* panels.c - what the per-panel charts share (makespan.c, p99.c,
 * memory.c): a .dat file under DIR/plotdata/, the panels' titles in
 * vars.gp, and one series per model of a figure against concurrency, its
 * min and max, with a note naming the failed cells left out. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../../lib/cmdutil.h"
#include "../../lib/util.h"
#include "charts.h"

/* A comment line of a .dat file: no newline may end it early. */
static void put_comment(FILE *f, const char *text)
{
	fputs("# ", f);
	for (; *text; text++)
		fputc((unsigned char)*text < 0x20 ? ' ' : *text, f);
	fputc('\n', f);
}

FILE *plots_dat_open(const struct set *s, const char *name, const char *what, const char *columns)
{
	char path[PLOTS_PATH_LEN], line[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/plotdata/%s.dat", s->dir, name);
	f = fopen(path, "w");
	if (!f) {
		cmd_say("plots", "%s: %s", path, strerror(errno));
		return NULL;
	}
	put_comment(f, what);
	snprintf(line, sizeof(line), "result set %s; written by cmbench plots", s->run_id);
	put_comment(f, line);
	put_comment(f, columns);
	return f;
}

/* The levels of a panel's cells (concurrent ones only when not all). */
size_t plots_panel_levels(const struct set *s, const struct panel *p, bool all, double *lv)
{
	size_t nlv = 0;

	for (size_t i = 0; i < s->ncells; i++)
		if (strcmp(s->cells[i].grid, s->grid) == 0 && s->cells[i].share == p->share &&
		    (all || !s->cells[i].one_slot))
			plots_axis_add(lv, &nlv, s->cells[i].conc);
	return nlv;
}

/* What one chart of one panel draws. */
struct series {
	const char *chart;	   /* makespan, p99, memory */
	const struct panel *p;	   /* the panel */
	enum metric m;		   /* the figure */
	double scale;		   /* times this for the axis unit */
	bool spread;		   /* a one-slot model is drawn at every level */
	const char *unit;	   /* of the axis, for the note */
	char note[PLOTS_NOTE_LEN]; /* failed cells */
	size_t dropped;		   /* figures <= 0 a log axis cannot show */
};

/* The points of model k; 0 or -errno. *drawn says whether it has any. */
static int model_points(struct set *s, struct series *x, size_t k, const double *lv, size_t nlv,
			bool *drawn)
{
	char name[160];
	FILE *f = NULL;

	for (size_t j = 0; j < nlv; j++) {
		const struct cell *c =
			plots_find_cell(s, s->grid, s->models[k], x->p->share, lv[j], true);
		double v, lo, hi;

		if (!c || (c->one_slot && !x->spread && c->conc != lv[j]))
			continue;
		if (!plots_usable(c, x->m, true)) {
			if (!c->ok && (!c->one_slot || c->conc == lv[j])) {
				snprintf(name, sizeof(name), "%s@%g", c->model, c->conc);
				plots_list_add(x->note, sizeof(x->note), name);
			} else if (c->ok) {
				x->dropped++;
			}
			continue;
		}
		if (!f) {
			snprintf(name, sizeof(name), "%s-%s-%s", x->chart, x->p->key, s->models[k]);
			f = plots_dat_open(s, name, s->models[k], "concurrency  median  min  max");
			if (!f)
				return -EIO;
		}
		v = c->v[x->m][MED];
		lo = c->v[x->m][MIN] > 0 ? c->v[x->m][MIN] : v;
		hi = isfinite(c->v[x->m][MAX]) ? c->v[x->m][MAX] : v;
		fprintf(f, "%g %.6g %.6g %.6g\n", lv[j], v * x->scale, lo * x->scale,
			hi * x->scale);
	}
	*drawn = f != NULL;
	return f && fclose(f) != 0 ? -errno : 0;
}

/* One series per model of a per-workload chart: x = concurrency, y = the
 * metric times scale, with min and max. Sets <chart>_models_<panel> and
 * <chart>_note_<panel> in vars.gp. */
static int write_panel_series(struct set *s, struct series *x)
{
	char models[PLOTS_LIST_LEN] = "", var[96];
	double lv[PLOTS_MAX_AXIS];
	size_t nlv = plots_panel_levels(s, x->p, true, lv);
	bool drawn;
	int rc;

	for (size_t k = 0; k < s->nmodels; k++) {
		if ((rc = model_points(s, x, k, lv, nlv, &drawn)))
			return rc;
		if (drawn)
			plots_list_add(models, sizeof(models), s->models[k]);
	}
	snprintf(var, sizeof(var), "%s_models_%s", x->chart, x->p->key);
	plots_var_str(s, var, "%s", models);
	snprintf(var, sizeof(var), "%s_note_%s", x->chart, x->p->key);
	if (*x->note && x->dropped)
		plots_var_str(s, var, "failed, not drawn: %s; %zu figures <= 0 %s not drawn",
			      x->note, x->dropped, x->unit);
	else if (*x->note)
		plots_var_str(s, var, "failed, not drawn: %s", x->note);
	else if (x->dropped)
		plots_var_str(s, var, "%zu figures <= 0 %s not drawn (log scale)", x->dropped,
			      x->unit);
	else
		plots_var_str(s, var, "%s", "");
	return 0;
}

int plots_panel_chart(struct set *s, const struct panel *p, const char *chart, enum metric m,
		      double scale, bool spread, const char *unit)
{
	struct series x = {
		.chart = chart, .p = p, .m = m, .scale = scale, .spread = spread, .unit = unit
	};

	return write_panel_series(s, &x);
}

void plots_panel_vars(struct set *s)
{
	char list[128] = "", var[64], buf[96];

	for (size_t i = 0; i < s->npanels; i++) {
		const struct panel *p = &s->panels[i];

		plots_list_add(list, sizeof(list), p->key);
		snprintf(var, sizeof(var), "panel_title_%s", p->key);
		plots_var_str(s, var, "%s", plots_regime(p->share, buf, sizeof(buf)));
	}
	plots_var_str(s, "panels", "%s", list);
}
