/* gnuplot.c - vars.gp, the writers of the chart table, and the gnuplot
 * runs.
 *
 * gnuplot runs the command in `backquotes` inside a double-quoted string,
 * and a result set is data from anywhere (a CPU name in meta.json, a
 * directory name). So every string cmbench hands to gnuplot is
 * single-quoted (a quote doubled, no control character), in vars.gp and on
 * gnuplot's command line alike, and gnuplot expands nothing in it. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../lib/clock.h"
#include "../../lib/cmdutil.h"
#include "../../lib/proc.h"
#include "../../lib/spawn.h"
#include "charts.h"

bool plots_chart_drawn(const struct set *s, size_t i)
{
	return s->drawn && i < chart_count() && s->drawn[i];
}

const char *plots_chart_script(const struct set *s, size_t i, char *b, size_t n)
{
	const char *script = chart_table[i]->script;

	if (strchr(script, '/'))
		snprintf(b, n, "%s", script);
	else
		snprintf(b, n, "%s/%s", s->scripts, script);
	return b;
}

/* s as a gnuplot single-quoted string: ' doubled, control characters as
 * blanks. */
static void sq_put(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++) {
		if (*s == '\'')
			fputc('\'', f);
		fputc((unsigned char)*s < 0x20 ? ' ' : *s, f);
	}
	fputc('\'', f);
}

void plots_var_str(struct set *s, const char *name, const char *fmt, ...)
{
	char buf[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fprintf(s->vars, "%s = ", name);
	sq_put(s->vars, buf);
	fputc('\n', s->vars);
}

/* One word per model, in line type order: names, labels or colours. */
static void var_models(struct set *s, const char *name,
		       const char *(*word)(const struct set *s, size_t k))
{
	char list[PLOTS_LIST_LEN] = "";

	for (size_t k = 0; k < s->nmodels; k++)
		plots_list_add(list, sizeof(list), word(s, k));
	plots_var_str(s, name, "%s", list);
}

static const char *model_name(const struct set *s, size_t k)
{
	return s->models[k];
}

/* The host line, the models with their colours, and which have a valid cell. */
static void write_host_vars(struct set *s)
{
	const struct meta *m = &s->meta;
	char models[PLOTS_LIST_LEN] = "", cores[16];

	snprintf(s->subtitle, sizeof(s->subtitle), "%s · %s cores · Linux %s · result set %s",
		 *m->cpu_model ? m->cpu_model : "unknown CPU", plots_cores(s, cores, sizeof(cores)),
		 *m->kernel ? m->kernel : "?", s->run_id);
	fprintf(s->vars, "# vars.gp - written by `cmbench plots`; every plots/NAME.gp loads it.\n");
	var_models(s, "models", model_name);
	var_models(s, "model_colors", plots_color);
	for (size_t i = 0; i < s->nmodels; i++)
		for (size_t j = 0; j < s->ncells; j++)
			if (s->cells[j].ok && strcmp(s->cells[j].model, s->models[i]) == 0) {
				plots_list_add(models, sizeof(models), s->models[i]);
				break;
			}
	plots_var_str(s, "present_models", "%s", models);
	plots_var_str(s, "subtitle", "%s", s->subtitle);
	plots_var_str(s, "run_id", "%s", s->run_id);
	fprintf(s->vars, "cores = %g\n", isfinite(s->cores) ? s->cores : 0);
}

int plots_write_plotdata(struct set *s)
{
	char path[PLOTS_PATH_LEN];
	int rc;

	snprintf(path, sizeof(path), "%s/plotdata", s->dir);
	if (mkdir(path, 0777) && errno != EEXIST) {
		cmd_say("plots", "%s: %s", path, strerror(errno));
		return -errno;
	}
	snprintf(path, sizeof(path), "%s/plotdata/vars.gp", s->dir);
	s->vars = fopen(path, "w");
	if (!s->vars) {
		cmd_say("plots", "%s: %s", path, strerror(errno));
		return -errno;
	}
	write_host_vars(s);
	plots_panel_vars(s);
	free(s->drawn);
	s->drawn = calloc(chart_count() + 1, sizeof(*s->drawn));
	rc = s->drawn ? 0 : -ENOMEM;
	for (size_t i = 0; rc == 0 && chart_table[i]; i++) {
		rc = chart_table[i]->write(s);
		s->drawn[i] = rc == 0;
		rc = rc == CHART_EMPTY ? 0 : rc;
	}
	if (fclose(s->vars) && !rc) {
		cmd_say("plots", "%s: %s", path, strerror(errno));
		rc = -errno;
	}
	s->vars = NULL;
	return rc;
}

bool plots_on_path(const char *prog)
{
	const char *path = getenv("PATH");
	char dir[PLOTS_PATH_LEN];

	if (!path || !*path)
		path = "/usr/bin:/bin";
	while (*path) {
		size_t n = strcspn(path, ":");

		snprintf(dir, sizeof(dir), "%.*s/%s", (int)n, n ? path : ".", prog);
		if (access(dir, X_OK) == 0)
			return true;
		path += n + (path[n] == ':');
	}
	return false;
}

#define PLOTS_GNUPLOT_MS 300000 /* one chart: killed past five minutes */

/* gnuplot -e "dir='DIR'; scripts='SCRIPTS'" SCRIPT of chart i; 0 when it
 * exited 0. Its messages go to our stderr. */
int plots_run_gnuplot(const struct set *s, size_t i)
{
	char script[PLOTS_PATH_LEN], *expr = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&expr, &len);
	char *argv[] = { "gnuplot", "-e", NULL, script, NULL };
	struct proc_wait w = { .grace_ms = 0 };
	struct proc_end e;
	struct spawn sp;
	int rc;
	pid_t pid;

	if (!m)
		return -ENOMEM;
	plots_chart_script(s, i, script, sizeof(script));
	fputs("dir=", m);
	sq_put(m, s->dir);
	fputs("; scripts=", m);
	sq_put(m, s->scripts);
	if (fclose(m) != 0) {
		free(expr);
		return -ENOMEM;
	}
	argv[2] = expr;
	spawn_init(&sp);
	sp.death_sig = SIGKILL;
	rc = spawn_exec(&sp, argv, &pid);
	free(expr);
	w.deadline_ns = clock_now_ns() + (uint64_t)PLOTS_GNUPLOT_MS * 1000000; /* then SIGKILL */
	if (rc == 0)
		rc = proc_wait(pid, &w, &e);
	if (rc != 0)
		return rc;
	return e.code == 0 ? 0 : -EIO;
}
