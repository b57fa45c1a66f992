/* ceiling.h - the rows of a set's ceiling.csv (ceiling.c), for the chart
 * and the finding (findings/ceiling.c). */
#ifndef CMB_PLOTS_CEILING_H
#define CMB_PLOTS_CEILING_H

#include "../set.h"

struct crow {
	const char *row, *model, *wl, *limit, *detail;
	double conc, ok, pss, base, hold, first_fail;
	/* of a newer ceiling.csv (NAN or "" in an older one): the fit's KiB a
	 * task, the tree's kernel memory (page tables, stacks, socket
	 * buffers), the command that lifts the limit */
	double slope, kmem;
	const char *lift;
};

/* DIR/ceiling.csv's good rows into *rows (malloc'd; free it and t). */
size_t ceiling_load(const struct set *s, struct cells_csv *t, struct crow **rows);
/* The search's closing row of model on wl among r[0..n), or NULL. */
const struct crow *ceiling_final_row(const struct crow *r, size_t n, const char *model,
				     const char *wl);

#endif
