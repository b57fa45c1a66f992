/* plots_gnuplot.c - vars.gp and the gnuplot runs.
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

#include "../lib/clock.h"
#include "../lib/cmdutil.h"
#include "../lib/proc.h"
#include "../lib/spawn.h"
#include "plots.h"

const struct chart plots_charts[PLOTS_NCHARTS] = {
	{ "makespan", "Makespan vs concurrency" },
	{ "p99", "p99 latency vs concurrency" },
	{ "memory", "Memory per concurrent task" },
	{ "speedup", "CPU speedup vs workers" },
	{ "spectrum", "Latency percentile spectrum" },
	{ "matrix", "Decision matrix" },
	{ "latency", "Open loop: latency vs offered load" },
	{ "latency-spectrum", "Open loop: latency spectrum under load" },
	{ "stall", "A blocking call inside an event loop" },
	{ "ceiling", "Tasks held at once: memory and the limit" },
};

void plots_no_chart(struct set *s, const char *name)
{
	for (size_t i = 0; i < PLOTS_NCHARTS; i++)
		if (strcmp(plots_charts[i].name, name) == 0)
			s->no_chart[i] = true;
}

bool plots_chart_drawn(const struct set *s, size_t i)
{
	return i < PLOTS_NCHARTS && !s->no_chart[i];
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
	rc = plots_write_workload_charts(s);
	if (!rc)
		rc = plots_memfit(s);
	if (!rc)
		rc = plots_write_speedup(s);
	if (!rc)
		rc = plots_write_spectrum(s);
	if (!rc)
		rc = plots_write_heatmap_data(s);
	if (!rc)
		rc = plots_write_openloop(s);
	if (!rc)
		rc = plots_write_blocking(s);
	if (!rc)
		rc = plots_write_ceiling(s);
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

/* gnuplot -e "dir='DIR'; scripts='SCRIPTS'" SCRIPTS/<name>.gp; 0 when it
 * exited 0. Its messages go to our stderr. */
int plots_run_gnuplot(const struct set *s, const char *name)
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
	snprintf(script, sizeof(script), "%s/%s.gp", s->scripts, name);
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
