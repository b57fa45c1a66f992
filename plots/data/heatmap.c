/* heatmap.c - the decision matrix chart (matrix.gp): per criterion a
 * cell per (share, concurrency) of the main grid, coloured by its winner
 * (../verdicts/ decides), with two label lines. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../verdicts/verdicts.h"
#include "charts.h"

/* The two label lines of a heatmap cell: the winner's short label, then
 * its margin (or the runner-up it ties with). */
static int heat_labels(const struct set *s, const struct matrix_verdict *v, char *l1, char *l2,
		       size_t n)
{
	if (v->winner < 0) {
		snprintf(l1, n, "failed");
		snprintf(l2, n, "%d cells", v->nfailed);
		return s->fail_lt;
	}
	snprintf(l1, n, "%s", plots_label(s, (size_t)s->mc_src[v->winner]->lt - 1));
	words_cell_margin(s, v, true, l2, n);
	return s->mc_src[v->winner]->lt;
}

/* plotdata/matrix-<key>.dat of criterion k. */
static int heat_file(struct set *s, size_t k)
{
	char name[64], l1[48], l2[48];
	FILE *f;

	snprintf(name, sizeof(name), "matrix-%s", plots_criteria[k].key);
	f = plots_dat_open(s, name, plots_criteria[k].title,
			   "share_index  level_index  linetype  tie  \"winner\"  \"margin\"");
	if (!f)
		return -EIO;
	for (size_t i = 0; i < s->nverdict[k]; i++) {
		const struct matrix_verdict *v = &s->verdict[k][i];
		int lt = heat_labels(s, v, l1, l2, sizeof(l1));

		fprintf(f, "%zu %zu %d %d \"%s\" \"%s\"\n",
			plots_axis_index(s->shares, s->nshares, v->share_pct),
			plots_axis_index(s->levels, s->nlevels, v->concurrency), lt, v->tie, l1,
			l2);
	}
	return fclose(f) != 0 ? -errno : 0;
}

/* plotdata/matrix-<key>.dat: x index, y index, line type, tie, two label
 * lines; and the tic positions in vars.gp (single-quoted labels). */
static int write_matrix(struct set *s)
{
	char tics[1024] = "", labels[1024] = "", item[64], cnt[32];
	int rc;

	/* the key lists the models that win a cell, no other */
	for (size_t m = 0; m < s->nmodels; m++) {
		bool wins = false;

		for (size_t k = 0; k < NCRIT && !wins; k++)
			for (size_t i = 0; i < s->nverdict[k] && !wins; i++)
				wins = s->verdict[k][i].winner >= 0 &&
				       (size_t)s->mc_src[s->verdict[k][i].winner]->lt == m + 1;
		if (!wins)
			continue;
		plots_list_add(tics, sizeof(tics), s->models[m]);
		snprintf(item, sizeof(item), "%s", plots_label(s, m));
		for (char *p = item; *p; p++)
			if (*p == ' ')
				*p = '_';
		plots_list_add(labels, sizeof(labels), item);
	}
	plots_var_str(s, "matrix_models", "%s", tics);
	plots_var_str(s, "matrix_labels", "%s", labels);
	tics[0] = '\0';
	for (size_t k = 0; k < NCRIT; k++)
		if ((rc = heat_file(s, k)))
			return rc;
	for (size_t i = 0; i < s->nshares; i++) {
		snprintf(item, sizeof(item), "%s'%g%%%%' %zu", i ? ", " : "", s->shares[i], i);
		strncat(tics, item, sizeof(tics) - strlen(tics) - 1);
	}
	plots_var_str(s, "matrix_xtics", "(%s)", tics);
	tics[0] = '\0';
	for (size_t i = 0; i < s->nlevels; i++) {
		snprintf(item, sizeof(item), "%s'%s' %zu", i ? ", " : "",
			 plots_count(s->levels[i], cnt, sizeof(cnt)), i);
		strncat(tics, item, sizeof(tics) - strlen(tics) - 1);
	}
	plots_var_str(s, "matrix_ytics", "(%s)", tics);
	fprintf(s->vars, "matrix_nx = %zu\nmatrix_ny = %zu\nfail_lt = %d\n", s->nshares, s->nlevels,
		s->fail_lt);
	return s->nverdict[0] ? 0 : CHART_EMPTY;
}

const struct chart chart_matrix = {
	.name = "matrix",
	.title = "Decision matrix",
	.write = write_matrix,
	.script = "matrix.gp",
};
