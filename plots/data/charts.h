/* charts.h - the floor of charts: one table (registry.c), a chart per
 * entry: its writer puts the chart's series under DIR/plotdata/ and its
 * variables in vars.gp, and its script (data/NAME.gp) draws DIR/NAME.png
 * and .svg from them (gnuplot reads nothing else). gnuplot.c writes
 * vars.gp, calls the writers in the table's order and runs the scripts. */
#ifndef CMB_PLOTS_CHARTS_H
#define CMB_PLOTS_CHARTS_H

#include <stdbool.h>
#include <stdio.h>

#include "../set.h"

/* What a writer returns when the set has nothing for its chart: it is not
 * drawn, nor listed in REPORT.md, and an earlier drawing of it is removed.
 * Otherwise 0, or -errno. */
#define CHART_EMPTY 1

struct chart {
	const char *name;	     /* DIR/<name>.png and .svg */
	const char *title;	     /* in REPORT.md */
	int (*write)(struct set *s); /* its plotdata and vars */
	const char *script;	     /* under --scripts PLOTS_DIR (a path when it has a /) */
};

/* registry.c: the charts, in the order they are written and listed
 * (each file exports one struct chart); chart_count() of them. */
extern const struct chart *const chart_table[];
size_t chart_count(void);

/* gnuplot.c */
/* name = 'formatted' in vars.gp, a single-quoted string: gnuplot expands
 * nothing in it, whatever a result set holds. */
void plots_var_str(struct set *s, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* DIR/plotdata/: vars.gp and every chart's series (s->drawn). */
int plots_write_plotdata(struct set *s);
bool plots_on_path(const char *prog);
/* Chart i of the table has something to draw. */
bool plots_chart_drawn(const struct set *s, size_t i);
/* The path of chart i's script into b. */
const char *plots_chart_script(const struct set *s, size_t i, char *b, size_t n);
int plots_run_gnuplot(const struct set *s, size_t i);

/* panels.c: what the per-panel charts share */
FILE *plots_dat_open(const struct set *s, const char *name, const char *what, const char *columns);
void plots_panel_vars(struct set *s);
size_t plots_panel_levels(const struct set *s, const struct panel *p, bool all, double *lv);
/* One series per model of chart's panel p: x = concurrency, y = metric m
 * times scale, with min and max (spread: a one-slot model at every
 * level). 0 or -errno. */
int plots_panel_chart(struct set *s, const struct panel *p, const char *chart, enum metric m,
		      double scale, bool spread, const char *unit);

#endif
