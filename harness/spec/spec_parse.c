/* spec_parse.c - read a sweep spec into struct spec.
 *
 * A spec is "key: value" lines; '#' starts a comment. Keys before the first
 * `grid:` line are global (name, reps, warmup, timeout); each `grid: NAME`
 * line opens a grid whose keys follow it. This file splits lines and
 * values and checks each grid once it is closed; spec_keys.c handles each
 * key. The format, with an example of every key, is the comment at the
 * top of sweeps/default. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../models/model.h"
#include "../../workloads/workload.h"
#include "../../lib/verdict.h"
#include "spec_int.h"

int spec_perr(struct spec_parser *ps, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(ps->err, ps->errlen, "%s:%d: ", ps->file, ps->line);
	if (n < 0 || (size_t)n >= ps->errlen)
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(ps->err + n, ps->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

int spec_split(char *value, char ***items)
{
	int n = 0, depth = 0;
	char *p = value, *start = NULL, **v;

	/* at most one item per two characters, plus one */
	v = malloc((strlen(value) / 2 + 2) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (;; p++) {
		bool sep = *p == '\0' || (depth == 0 && (isspace((unsigned char)*p) || *p == ','));

		if (*p == '(')
			depth++;
		else if (*p == ')' && depth > 0)
			depth--;
		if (!sep) {
			start = start ? start : p;
			continue;
		}
		if (start)
			v[n++] = start;
		start = NULL;
		if (*p == '\0')
			break;
		*p = '\0';
	}
	*items = v;
	return n;
}

/* Whether one of the grid's workloads has an io part (io) or a cpu part. */
static bool grid_uses(const struct spec_grid *g, bool io)
{
	for (size_t i = 0; i < g->n_workloads; i++)
		if (io ? g->workloads[i]->does_io : g->workloads[i]->does_cpu)
			return true;
	return false;
}

/* What is wrong with the closed grid's keys, or NULL. Every key but
 * payload: and conn: stores at least one value, so what a grid holds says
 * which keys it was given. */
static const char *grid_problem(const struct spec_grid *g)
{
	bool share = g->n_shares > 0, wl = g->n_workloads > 0;
	bool io = g->n_io > 0, cpu = g->n_cpu > 0, task_time = g->task_time_us > 0;

	static char why[160];

	if (!g->n_models)
		return "no models: line";
	if (g->rate_search && !g->slo_given)
		return "rate: search needs slo: (the p99 a sustained rate must keep)";
	for (size_t i = 0; (g->n_rates || g->rate_search) && i < g->n_models; i++)
		if (!g->models[i]->open_loop) {
			snprintf(why, sizeof(why), "rate: model %s cannot run open loop",
				 g->models[i]->name);
			return why;
		}
	if (!g->n_conc)
		return "no concurrency: line";
	if (!g->tasks[0])
		return "no tasks: line";
	if (share && wl)
		return "give share: (with task_time:) or workload:, not both";
	if (share && !task_time)
		return "share: needs task_time:";
	if (share && (io || cpu))
		return "share: sets io_latency and cpu from task_time; drop them";
	if (task_time && !share)
		return "task_time: needs share:";
	if (!share && !wl)
		return "no workload: (or share:) line";
	if (wl && grid_uses(g, true) != io)
		return io ? "io_latency: is unused without a workload with an io part"
			  : "a workload with an io part needs io_latency:";
	if (wl && grid_uses(g, false) != cpu)
		return cpu ? "cpu: is unused without a workload with a cpu part"
			   : "a workload with a cpu part needs cpu:";
	return NULL;
}

/* The closed grid has what it needs and nothing that contradicts it;
 * problems are reported at its `grid:` line. */
static int grid_check(struct spec_parser *ps, struct spec_grid *g)
{
	const char *why = grid_problem(g);
	int line = ps->line, rc = 0;

	if (why) {
		ps->line = g->line;
		rc = spec_perr(ps, "grid %s: %s", g->name, why);
		ps->line = line;
		return rc;
	}
	if ((rc = spec_check_stop(ps, g)))
		return rc;
	if (g->rate_search && g->n_rates == 0) { /* the searched rate itself */
		g->rates[g->n_rates] = 100;
		g->rate_rel[g->n_rates++] = true;
	}
	if (g->n_payload == 0)
		g->payload[g->n_payload++] = 256;
	if (g->n_conn == 0)
		g->keepalive[g->n_conn++] = false;
	return 0;
}

/* The key called name (without its colon), or NULL. */
static const struct spec_key *key_find(const char *name)
{
	size_t n = strlen(name);

	for (size_t i = 0; i < spec_nkeys; i++)
		if (strncmp(spec_keys[i].name, name, n) == 0 &&
		    strcmp(spec_keys[i].name + n, ":") == 0)
			return &spec_keys[i];
	return NULL;
}

/* Is key k allowed here, and not given before? Marks it given. */
static int key_scope(struct spec_parser *ps, const struct spec_key *k, const char *key)
{
	unsigned bit = 1u << (k - spec_keys), *seen;

	if (k->scope == SPEC_ANY)
		; /* reps: and warmup: - the spec's, or a grid's own */
	else if (k->scope == SPEC_GLOBAL && ps->grid)
		return spec_perr(ps, "%s: a global key; put it before the first grid: line", key);
	if (k->scope == SPEC_GRID && !ps->grid)
		return spec_perr(ps, "%s: belongs to a grid; start one with 'grid: NAME'", key);
	seen = ps->grid ? &ps->grid->seen : &ps->global_seen;
	if ((*seen & bit) && !k->repeats)
		return ps->grid ? spec_perr(ps, "%s: given twice in grid %s", key, ps->grid->name)
				: spec_perr(ps, "%s: given twice", key);
	*seen |= bit;
	return 0;
}

/* The items of a value: the whole value for a `whole` key. */
static int value_items(char *value, bool whole, char ***items)
{
	if (!whole)
		return spec_split(value, items);
	*items = malloc(sizeof(**items));
	if (!*items)
		return -ENOMEM;
	while (isspace((unsigned char)*value))
		value++;
	for (char *e = value + strlen(value); e > value && isspace((unsigned char)e[-1]); e--)
		e[-1] = '\0';
	(*items)[0] = value;
	return *value ? 1 : 0;
}

/* The key of "key: value", without blanks; value set past the colon. */
static char *split_key(char *s, char **value)
{
	char *colon = strchr(s, ':'), *end;

	if (!colon)
		return NULL;
	*colon = '\0';
	for (end = colon; end > s && isspace((unsigned char)end[-1]); end--)
		;
	*end = '\0';
	*value = colon + 1;
	return s;
}

/* One line, already stripped of its comment. */
static int parse_line(struct spec_parser *ps, char *s)
{
	const struct spec_key *k;
	char *key, *value, **items = NULL;
	int n, rc;

	while (isspace((unsigned char)*s))
		s++;
	if (*s == '\0')
		return 0;
	key = split_key(s, &value);
	if (!key)
		return spec_perr(ps, "expected 'key: value', got '%s'", s);
	k = key_find(key);
	if (!k && strcmp(key, "grid") != 0)
		return spec_perr(ps, "unknown key '%s'", key);
	n = value_items(value, k && k->whole, &items);
	if (n == 0)
		rc = spec_perr(ps, "%s: no value (an empty list)", key);
	else if (n < 0)
		rc = n;
	else if (!k)
		rc = ps->grid ? grid_check(ps, ps->grid) : 0;
	else
		rc = key_scope(ps, k, key);
	if (rc == 0)
		rc = k ? k->fn(ps, key, items, n) : spec_key_grid(ps, key, items, n);
	free(items);
	return rc;
}

/* The spec's default name: the file's base name without an extension. */
static void default_name(struct spec *spec, const char *file)
{
	const char *b = strrchr(file, '/');
	size_t n;

	b = b ? b + 1 : file;
	n = strcspn(b, ".");
	if (n >= sizeof(spec->name))
		n = sizeof(spec->name) - 1;
	memcpy(spec->name, b, n);
	spec->name[n] = '\0';
	for (char *p = spec->name; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
			*p = '_';
	if (!spec->name[0])
		snprintf(spec->name, sizeof(spec->name), "spec");
}

static int parse_text(struct spec_parser *ps, const char *text)
{
	char line[1024];
	const char *p = text, *nl;
	size_t len;
	int rc;

	for (; *p; p = nl ? nl + 1 : p + len) {
		ps->line++;
		nl = strchr(p, '\n');
		len = nl ? (size_t)(nl - p) : strlen(p);
		if (len >= sizeof(line))
			return spec_perr(ps, "line too long (over %zu characters)",
					 sizeof(line) - 1);
		memcpy(line, p, len);
		line[len] = '\0';
		line[strcspn(line, "#\r")] = '\0';
		rc = parse_line(ps, line);
		if (rc)
			return rc;
	}
	if (ps->grid && (rc = grid_check(ps, ps->grid)))
		return rc;
	if (ps->spec->n_grids == 0) {
		ps->line = ps->line ? ps->line : 1;
		return spec_perr(ps, "no grid: line; a spec needs at least one grid");
	}
	return 0;
}

int spec_parse(const char *file, const char *text, struct spec *spec, char *err, size_t errlen)
{
	struct spec_parser ps = { file, 0, spec, NULL, 0, err, errlen };
	int rc;

	memset(spec, 0, sizeof(*spec));
	spec->reps = spec->reps_max = 3;
	spec->search_reps = 1;
	spec->ci_pct = 3;
	spec->equiv_pct = 5;
	spec->warmup = 1;
	spec->timeout_us = 5000000;
	default_name(spec, file);
	rc = parse_text(&ps, text);
	if (rc == -ENOMEM)
		snprintf(err, errlen, "%s: out of memory", file);
	if (rc)
		spec_free(spec);
	return rc;
}

/* The whole file, at most SPEC_TEXT_MAX bytes of text, into *out. */
static int read_text(const char *path, char **out, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *buf;
	size_t n;

	if (!f) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return -errno;
	}
	buf = malloc(SPEC_TEXT_MAX + 1);
	n = buf ? fread(buf, 1, SPEC_TEXT_MAX + 1, f) : 0;
	fclose(f);
	if (!buf) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -ENOMEM;
	}
	buf[n > SPEC_TEXT_MAX ? SPEC_TEXT_MAX : n] = '\0';
	if (n > SPEC_TEXT_MAX || memchr(buf, '\0', n)) {
		free(buf);
		snprintf(err, errlen, "%s: %s", path,
			 n > SPEC_TEXT_MAX ? "larger than 65536 bytes" : "not a text file");
		return -EINVAL;
	}
	*out = buf;
	return 0;
}

int spec_load(const char *path, struct spec *spec, char **text, char *err, size_t errlen)
{
	char *buf = NULL;
	int rc;

	memset(spec, 0, sizeof(*spec));
	rc = read_text(path, &buf, err, errlen);
	if (rc)
		return rc;
	rc = spec_parse(path, buf, spec, err, errlen);
	if (rc == 0 && text)
		*text = buf;
	else
		free(buf);
	return rc;
}

void spec_free(struct spec *spec)
{
	for (size_t i = 0; i < spec->n_grids; i++) {
		struct spec_grid *g = &spec->grids[i];

		for (size_t k = 0; k < g->n_folklore; k++)
			free(g->folklore[k].models);
		free(g->folklore);
		free(g->models);
		free(g->labels);
		free(g->cpu_scale);
		free(g->workloads);
	}
	free(spec->grids);
	spec->grids = NULL;
	spec->n_grids = 0;
}

const struct spec_grid *spec_grid_find(const struct spec *spec, const char *name)
{
	for (size_t i = 0; i < spec->n_grids; i++)
		if (strcmp(spec->grids[i].name, name) == 0)
			return &spec->grids[i];
	return NULL;
}

void spec_grid_rule(const struct spec *spec, const struct spec_grid *g, double *alpha,
		    double *margin)
{
	unsigned lo = g && g->own_reps ? g->reps : spec->reps;
	unsigned hi = g && g->own_reps ? g->reps_max : spec->reps_max;
	bool ci = g && g->own_stop ? g->stop_ci : spec->stop_ci;
	double m = g && g->own_equiv ? g->equiv_pct : spec->equiv_pct;

	*alpha = ci ? VERDICT_ALPHA : verdict_look_alpha(lo, hi);
	*margin = m > 0 ? m / 100 : VERDICT_MARGIN;
}

const struct spec_folklore *spec_folklore_at(const struct spec_grid *g, double share_pct)
{
	for (size_t i = 0; g && i < g->n_folklore; i++)
		if (share_pct >= g->folklore[i].lo && share_pct <= g->folklore[i].hi)
			return &g->folklore[i];
	return NULL;
}
