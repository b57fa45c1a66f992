/* memory.c - the memory chart (memory.gp): memory per concurrent task
 * against concurrency, per model, in the grid of role memory when the set
 * has one (it holds the models that create a thread or a process per task
 * beside the pools), else the main grid's first panel (io), where
 * concurrency goes highest; and the slopes fitted by ../memfit.c. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../../lib/util.h"
#include "../../workloads/workload.h"
#include "charts.h"

/* plotdata/memfit-MODEL.dat: the slope, KiB per task, across the levels
 * fitted; memfit_models in vars.gp. */
static int write_fits(struct set *s)
{
	char list[PLOTS_LIST_LEN] = "", name[160];

	for (size_t i = 0; i < s->nfits; i++) {
		const struct memfit *m = &s->fits[i];
		FILE *d;

		snprintf(name, sizeof(name), "memfit-%s", m->model);
		d = plots_dat_open(s, name, m->model, "concurrency  slope_kib");
		if (!d)
			return -EIO;
		fprintf(d, "%g %.6g\n%g %.6g\n", m->lo, m->slope, m->hi, m->slope);
		if (fclose(d) != 0)
			return -errno;
		plots_list_add(list, sizeof(list), m->model);
	}
	plots_var_str(s, "memfit_models", "%s", list);
	return 0;
}

static int memory_series(struct set *s)
{
	const struct panel *mem = s->npanels ? &s->panels[0] : NULL;
	struct panel own;
	char buf[96];

	for (size_t i = 0; i < s->ncells; i++)
		if (strcmp(s->cells[i].grid, s->memory_grid) == 0) {
			const char *main_grid = s->grid;
			int rc;

			snprintf(own.key, sizeof(own.key), "%s", "memory");
			own.share = s->cells[i].share;
			s->grid = s->memory_grid;
			plots_var_str(s, "memory_panel", "%s", own.key);
			plots_var_str(s, "memory_title", "workload %s, io %s (grid %s)",
				      s->cells[i].w ? s->cells[i].w->name : "?",
				      fmt_us(buf, sizeof(buf), s->cells[i].io_us, FMT_PROSE),
				      s->memory_grid);
			rc = plots_panel_chart(s, &own, "memory", M_MEM, 1, false, "KiB");
			s->grid = main_grid;
			return rc;
		}
	plots_var_str(s, "memory_panel", "%s", mem ? mem->key : "");
	plots_var_str(s, "memory_title", "%s",
		      mem ? plots_regime(mem->share, buf, sizeof(buf)) : "no cells");
	if (mem)
		return plots_panel_chart(s, mem, "memory", M_MEM, 1, false, "KiB");
	plots_var_str(s, "memory_models_", "%s", "");
	plots_var_str(s, "memory_note_", "%s", "");
	return CHART_EMPTY;
}

static int write_memory(struct set *s)
{
	int rc = memory_series(s);

	if (rc >= 0) {
		int fr = write_fits(s);

		rc = fr ? fr : rc;
	}
	return rc;
}

const struct chart chart_memory = {
	.name = "memory",
	.title = "Memory per concurrent task",
	.write = write_memory,
	.script = "memory.gp",
};
