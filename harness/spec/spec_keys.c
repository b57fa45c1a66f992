/* spec_keys.c - one handler per key of a sweep spec, and the key table.
 * Each handler checks its value and stores it in the spec or the open
 * grid; the parser (spec_parse.c) has already split the value into items
 * and checked the key's scope. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../workloads/workload.h"
#include "../cli.h"
#include "spec_int.h"

int spec_parse_u64(struct spec_parser *ps, const char *key, const char *s, uint64_t min,
		   uint64_t max, uint64_t *out)
{
	char err[CLI_ERR_MAX];

	if (cli_parse_u64(key, s, min, max, out, err, sizeof(err)))
		return spec_perr(ps, "%s", err);
	return 0;
}

static int parse_dur(struct spec_parser *ps, const char *key, const char *s, uint64_t min,
		     uint64_t *out)
{
	char err[CLI_ERR_MAX];

	if (cli_parse_duration_us(key, s, min, 3600000000ull, out, err, sizeof(err)))
		return spec_perr(ps, "%s", err);
	return 0;
}

static int one_item(struct spec_parser *ps, const char *key, int n)
{
	if (n != 1)
		return spec_perr(ps, "%s: takes one value, got %d", key, n);
	return 0;
}

/* n more values fit an axis that holds *have of SPEC_LIST_MAX. */
static int axis_room(struct spec_parser *ps, const char *key, size_t have, int n)
{
	if (have + (size_t)n > SPEC_LIST_MAX)
		return spec_perr(ps, "%s: more than %d values", key, SPEC_LIST_MAX);
	return 0;
}

static int key_name(struct spec_parser *ps, const char *key, char **items, int n)
{
	if (one_item(ps, key, n))
		return -EINVAL;
	for (const char *p = items[0]; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
			return spec_perr(ps, "%s: '%s' may hold only letters, digits, - and _", key,
					 items[0]);
	if (strlen(items[0]) >= sizeof(ps->spec->name))
		return spec_perr(ps, "%s: '%s' is too long", key, items[0]);
	snprintf(ps->spec->name, sizeof(ps->spec->name), "%s", items[0]);
	return 0;
}

/* role: WORD - what the charts use the grid for (plots find grids by it):
 * matrix, scaling, memory, offload, or a word of the spec's own */
static int key_role(struct spec_parser *ps, const char *key, char **items, int n)
{
	if (one_item(ps, key, n))
		return -EINVAL;
	for (const char *p = items[0]; *p; p++)
		if (!islower((unsigned char)*p) && *p != '_')
			return spec_perr(ps, "%s: '%s' may hold only a-z and _", key, items[0]);
	if (strlen(items[0]) >= sizeof(ps->grid->role))
		return spec_perr(ps, "%s: '%s' is too long", key, items[0]);
	snprintf(ps->grid->role, sizeof(ps->grid->role), "%s", items[0]);
	return 0;
}

/* reps: N or MIN..MAX: the rounds of a grid point */
static int key_reps(struct spec_parser *ps, const char *key, char **items, int n)
{
	char lo[32], *dots;
	uint64_t a, b;

	if (one_item(ps, key, n))
		return -EINVAL;
	dots = strstr(items[0], "..");
	if (strlen(items[0]) >= sizeof(lo))
		return spec_perr(ps, "%s: '%s' is not N or MIN..MAX", key, items[0]);
	snprintf(lo, sizeof(lo), "%.*s", dots ? (int)(dots - items[0]) : (int)strlen(items[0]),
		 items[0]);
	if (spec_parse_u64(ps, key, lo, 1, SPEC_REPS_MAX, &a))
		return -EINVAL;
	b = a;
	if (dots && spec_parse_u64(ps, key, dots + 2, 1, SPEC_REPS_MAX, &b))
		return -EINVAL;
	if (b < a)
		return spec_perr(ps, "%s: '%s': MIN is above MAX", key, items[0]);
	if (ps->grid) {
		ps->grid->reps = (unsigned)a;
		ps->grid->reps_max = (unsigned)b;
		ps->grid->own_reps = true;
	} else {
		ps->spec->reps = (unsigned)a;
		ps->spec->reps_max = (unsigned)b;
	}
	return 0;
}

/* search_reps: N - the searches of `rate: search` per model, interleaved */
static int key_search_reps(struct spec_parser *ps, const char *key, char **items, int n)
{
	uint64_t a;

	if (one_item(ps, key, n) || spec_parse_u64(ps, key, items[0], 1, SPEC_REPS_MAX, &a))
		return -EINVAL;
	if (ps->grid) {
		ps->grid->search_reps = (unsigned)a;
		ps->grid->own_search_reps = true;
	} else {
		ps->spec->search_reps = (unsigned)a;
	}
	return 0;
}

/* ci: P% - the half-width of the 95% interval of the geometric mean of the reps that ends the
 * rounds */
static int key_ci(struct spec_parser *ps, const char *key, char **items, int n)
{
	char *end;
	double v;

	if (one_item(ps, key, n))
		return -EINVAL;
	v = strtod(items[0], &end);
	if (end == items[0] || strcmp(end, "%") != 0 || !(v > 0 && v <= 100))
		return spec_perr(ps, "%s: '%s' is not a percent above 0 and at most 100, like 3%%",
				 key, items[0]);
	if (ps->grid) {
		ps->grid->ci_pct = v;
		ps->grid->own_ci = true;
	} else {
		ps->spec->ci_pct = v;
	}
	return 0;
}

/* equiv: M% - the margin within which two models are "equivalent" (TOST) */
static int key_equiv(struct spec_parser *ps, const char *key, char **items, int n)
{
	char *end;
	double v;

	if (one_item(ps, key, n))
		return -EINVAL;
	v = strtod(items[0], &end);
	if (end == items[0] || strcmp(end, "%") != 0 || !(v > 0 && v < 100))
		return spec_perr(ps, "%s: '%s' is not a percent above 0 and below 100, like 5%%",
				 key, items[0]);
	if (ps->grid) {
		ps->grid->equiv_pct = v;
		ps->grid->own_equiv = true;
		ps->grid->equiv_line = ps->line;
	} else {
		ps->spec->equiv_pct = v;
		ps->spec->equiv_line = ps->line;
	}
	return 0;
}

/* stop: decided | ci - what ends a point's rounds past MIN: every verdict
 * decided (winner or equivalent, the looks corrected), or every model's
 * interval within ci: */
static int key_stop(struct spec_parser *ps, const char *key, char **items, int n)
{
	bool ci;

	if (one_item(ps, key, n))
		return -EINVAL;
	ci = strcmp(items[0], "ci") == 0;
	if (!ci && strcmp(items[0], "decided") != 0)
		return spec_perr(ps, "%s: '%s' is not decided or ci", key, items[0]);
	if (ps->grid) {
		ps->grid->stop_ci = ci;
		ps->grid->own_stop = true;
		ps->grid->stop_line = ps->line;
	} else {
		ps->spec->stop_ci = ci;
		ps->spec->stop_line = ps->line;
	}
	return 0;
}

/* stop: ci ends the rounds when each model's 95% interval is within
 * +-ci%; the interval of a ratio of two such is then about sqrt(2) times
 * as wide, so a margin below ci * sqrt(2) can never be shown. */
int spec_check_stop(struct spec_parser *ps, const struct spec_grid *g)
{
	const struct spec *s = ps->spec;
	bool ci = g->own_stop ? g->stop_ci : s->stop_ci;
	double m = g->own_equiv ? g->equiv_pct : s->equiv_pct;
	double c = g->own_ci ? g->ci_pct : s->ci_pct;
	int eline = g->own_equiv ? g->equiv_line : s->equiv_line, line = ps->line, rc;

	if (!ci || eline == 0 || c * 1.41421356 < m)
		return 0;
	ps->line = eline;
	rc = spec_perr(ps,
		       "equiv: %g%% cannot be honoured by stop: ci at ci: %g%% (grid %s: the "
		       "ratio's interval may still be +-%.2g%% wide); use stop: decided, or ci: "
		       "below %.3g%%",
		       m, c, g->name, c * 1.41421356, m / 1.41421356);
	ps->line = line;
	return rc;
}

/* budget: D - the time a grid may spend on rounds past MIN */
static int key_budget(struct spec_parser *ps, const char *key, char **items, int n)
{
	uint64_t v;

	if (one_item(ps, key, n) || parse_dur(ps, key, items[0], 1000000, &v))
		return -EINVAL;
	if (ps->grid) {
		ps->grid->budget_us = v;
		ps->grid->own_budget = true;
	} else {
		ps->spec->budget_us = v;
	}
	return 0;
}

static int key_warmup(struct spec_parser *ps, const char *key, char **items, int n)
{
	uint64_t v;

	if (one_item(ps, key, n) || spec_parse_u64(ps, key, items[0], 0, 10, &v))
		return -EINVAL;
	if (ps->grid) {
		ps->grid->warmup = (unsigned)v;
		ps->grid->own_warmup = true;
	} else {
		ps->spec->warmup = (unsigned)v;
	}
	return 0;
}

static int key_timeout(struct spec_parser *ps, const char *key, char **items, int n)
{
	if (one_item(ps, key, n))
		return -EINVAL;
	return parse_dur(ps, key, items[0], 1000, &ps->spec->timeout_us);
}

int spec_key_grid(struct spec_parser *ps, const char *key, char **items, int n)
{
	struct spec *s = ps->spec;
	struct spec_grid *g;

	if (one_item(ps, key, n))
		return -EINVAL;
	for (const char *p = items[0]; *p; p++)
		if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '_')
			return spec_perr(ps, "grid: '%s' may hold only a-z, 0-9 and _", items[0]);
	if (strlen(items[0]) >= sizeof(g->name))
		return spec_perr(ps, "grid: '%s' is too long", items[0]);
	g = (struct spec_grid *)spec_grid_find(s, items[0]);
	if (g)
		return spec_perr(ps, "grid: '%s' is already defined on line %d", items[0], g->line);
	g = realloc(s->grids, (s->n_grids + 1) * sizeof(*g));
	if (!g)
		return -ENOMEM;
	s->grids = g;
	g = &s->grids[s->n_grids++];
	memset(g, 0, sizeof(*g));
	snprintf(g->name, sizeof(g->name), "%s", items[0]);
	g->line = ps->line;
	g->duration_us = SPEC_DURATION_US;
	g->slo_us = SPEC_SLO_US;
	ps->grid = g;
	return 0;
}

static int key_workload(struct spec_parser *ps, const char *key, char **items, int n)
{
	struct spec_grid *g = ps->grid;

	g->workloads = calloc((size_t)n, sizeof(*g->workloads));
	if (!g->workloads)
		return -ENOMEM;
	for (int i = 0; i < n; i++) {
		const struct workload_ops *w = workload_find(items[i]);

		if (!w)
			return spec_perr(ps, "%s: unknown workload '%s' (cmbench list shows them)",
					 key, items[i]);
		for (size_t j = 0; j < g->n_workloads; j++)
			if (g->workloads[j] == w)
				return spec_perr(ps, "%s: '%s' is listed twice", key, items[i]);
		g->workloads[g->n_workloads++] = w;
	}
	return 0;
}

static int key_share(struct spec_parser *ps, const char *key, char **items, int n)
{
	struct spec_grid *g = ps->grid;
	uint64_t v;

	if (axis_room(ps, key, g->n_shares, n))
		return -EINVAL;
	for (int i = 0; i < n; i++) {
		if (spec_parse_u64(ps, key, items[i], 0, 100, &v))
			return -EINVAL;
		g->shares[g->n_shares++] = (int)v;
	}
	return 0;
}

static int key_task_time(struct spec_parser *ps, const char *key, char **items, int n)
{
	if (one_item(ps, key, n))
		return -EINVAL;
	return parse_dur(ps, key, items[0], 1, &ps->grid->task_time_us);
}

/* A list of durations of at least min into v (n_v values so far). */
static int dur_list(struct spec_parser *ps, const char *key, char **items, int n, uint64_t min,
		    uint64_t *v, size_t *n_v)
{
	if (axis_room(ps, key, *n_v, n))
		return -EINVAL;
	for (int i = 0; i < n; i++)
		if (parse_dur(ps, key, items[i], min, &v[(*n_v)++]))
			return -EINVAL;
	return 0;
}

static int key_io_latency(struct spec_parser *ps, const char *key, char **items, int n)
{
	return dur_list(ps, key, items, n, 0, ps->grid->io_latency_us, &ps->grid->n_io);
}

static int key_cpu(struct spec_parser *ps, const char *key, char **items, int n)
{
	return dur_list(ps, key, items, n, 1, ps->grid->cpu_us, &ps->grid->n_cpu);
}

static int key_payload(struct spec_parser *ps, const char *key, char **items, int n)
{
	struct spec_grid *g = ps->grid;

	if (axis_room(ps, key, g->n_payload, n))
		return -EINVAL;
	for (int i = 0; i < n; i++)
		if (spec_parse_u64(ps, key, items[i], 0, 1 << 30, &g->payload[g->n_payload++]))
			return -EINVAL;
	return 0;
}

static int key_conn(struct spec_parser *ps, const char *key, char **items, int n)
{
	struct spec_grid *g = ps->grid;

	if (n > 2)
		return spec_perr(ps, "%s: at most new and keepalive", key);
	for (int i = 0; i < n; i++) {
		bool ka = strcmp(items[i], "keepalive") == 0;

		if (!ka && strcmp(items[i], "new") != 0)
			return spec_perr(ps, "%s: '%s' is not new or keepalive", key, items[i]);
		if (g->n_conn == 1 && g->keepalive[0] == ka)
			return spec_perr(ps, "%s: '%s' is listed twice", key, items[i]);
		g->keepalive[g->n_conn++] = ka;
	}
	return 0;
}

/* Check an expression's syntax now, with C = 1 and nproc = 1 where allowed. */
int spec_check_expr(struct spec_parser *ps, const char *key, const char *s, bool c_ok)
{
	char err[SPEC_ERR_MAX];
	long long v;

	if (strlen(s) >= SPEC_EXPR_MAX)
		return spec_perr(ps, "%s: '%s' is too long", key, s);
	if (spec_eval(s, c_ok ? 1 : -1, 1, &v, err, sizeof(err)))
		return spec_perr(ps, "%s: %s", key, err);
	return 0;
}

/* A list of expressions into v (n_v so far); C allowed when c_ok. */
static int expr_list(struct spec_parser *ps, const char *key, char **items, int n, bool c_ok,
		     char (*v)[SPEC_EXPR_MAX], size_t *n_v)
{
	if (axis_room(ps, key, *n_v, n))
		return -EINVAL;
	for (int i = 0; i < n; i++) {
		if (spec_check_expr(ps, key, items[i], c_ok))
			return -EINVAL;
		snprintf(v[(*n_v)++], SPEC_EXPR_MAX, "%s", items[i]);
	}
	return 0;
}

static int key_concurrency(struct spec_parser *ps, const char *key, char **items, int n)
{
	ps->grid->conc_line = ps->line;
	return expr_list(ps, key, items, n, false, ps->grid->conc, &ps->grid->n_conc);
}

static int key_workers(struct spec_parser *ps, const char *key, char **items, int n)
{
	ps->grid->workers_line = ps->line;
	return expr_list(ps, key, items, n, true, ps->grid->workers, &ps->grid->n_workers);
}

static int key_tasks(struct spec_parser *ps, const char *key, char **items, int n)
{
	if (one_item(ps, key, n) || spec_check_expr(ps, key, items[0], true))
		return -EINVAL;
	snprintf(ps->grid->tasks, SPEC_EXPR_MAX, "%s", items[0]);
	ps->grid->tasks_line = ps->line;
	return 0;
}

/* rate: open-loop arrival rates, each a number of tasks per second (500,
 * 2.5) or a percent of the capacity the sweep measures (70%); `search`
 * measures that capacity as the highest sustained rate (sweep_capacity.c)
 * instead of a batch run's throughput. */
static int key_rate(struct spec_parser *ps, const char *key, char **items, int n)
{
	struct spec_grid *g = ps->grid;

	if (axis_room(ps, key, g->n_rates, n))
		return -EINVAL;
	for (int i = 0; i < n; i++) {
		char *end;
		double v;
		bool rel;

		if (strcmp(items[i], "search") == 0) {
			if (g->rate_search)
				return spec_perr(ps, "%s: 'search' is listed twice", key);
			g->rate_search = true;
			continue;
		}
		errno = 0;
		v = strtod(items[i], &end);
		rel = *end == '%';

		if (end == items[i] || errno || (rel ? end[1] != '\0' : *end != '\0') || !(v > 0) ||
		    v > (rel ? 1000 : 10000000))
			return spec_perr(ps,
					 "%s: '%s' is not a rate (tasks/s above 0, at most 1e7, "
					 "or a percent of capacity like 70%%, at most 1000%%)",
					 key, items[i]);
		if (rel && v != (double)(int)v)
			return spec_perr(ps, "%s: '%s': a percent of capacity is a whole number",
					 key, items[i]);
		for (size_t j = 0; j < g->n_rates; j++)
			if (g->rates[j] == v && g->rate_rel[j] == rel)
				return spec_perr(ps, "%s: '%s' is listed twice", key, items[i]);
		g->rates[g->n_rates] = v;
		g->rate_rel[g->n_rates++] = rel;
	}
	return 0;
}

/* flags: NAME=VALUE ... - a workload's own flags (cmbench run --NAME
 * VALUE), checked against the workload's flag table when the grid is
 * expanded. */
static int key_flags(struct spec_parser *ps, const char *key, char **items, int n)
{
	struct spec_grid *g = ps->grid;

	for (int i = 0; i < n; i++) {
		char *eq = strchr(items[i], '=');
		const char *name = items[i];

		if (name[0] == '-' && name[1] == '-')
			name += 2;
		if (!eq || eq == name)
			return spec_perr(ps, "%s: '%s' is not NAME=VALUE", key, items[i]);
		if (g->n_flags == SPEC_FLAGS_MAX)
			return spec_perr(ps, "%s: more than %d flags", key, SPEC_FLAGS_MAX);
		*eq = '\0';
		if (strlen(name) >= SPEC_FLAG_MAX || strlen(eq + 1) >= SPEC_FLAG_MAX)
			return spec_perr(ps, "%s: '%s' is too long", key, name);
		snprintf(g->flags[g->n_flags][0], SPEC_FLAG_MAX, "%s", name);
		snprintf(g->flags[g->n_flags][1], SPEC_FLAG_MAX, "%s", eq + 1);
		g->n_flags++;
	}
	return 0;
}

static int key_arrivals(struct spec_parser *ps, const char *key, char **items, int n)
{
	if (one_item(ps, key, n))
		return -EINVAL;
	if (strcmp(items[0], "poisson") != 0 && strcmp(items[0], "const") != 0)
		return spec_perr(ps, "%s: '%s' is not const or poisson", key, items[0]);
	ps->grid->poisson = strcmp(items[0], "poisson") == 0;
	return 0;
}

static int key_duration(struct spec_parser *ps, const char *key, char **items, int n)
{
	if (one_item(ps, key, n))
		return -EINVAL;
	return parse_dur(ps, key, items[0], 1000, &ps->grid->duration_us);
}

static int key_slo(struct spec_parser *ps, const char *key, char **items, int n)
{
	if (one_item(ps, key, n))
		return -EINVAL;
	ps->grid->slo_given = true;
	return parse_dur(ps, key, items[0], 1, &ps->grid->slo_us);
}

/* spawn: fork exec - how the models with the spawns trait start a process */
static int key_spawn(struct spec_parser *ps, const char *key, char **items, int n)
{
	struct spec_grid *g = ps->grid;

	if (n > 2)
		return spec_perr(ps, "%s: at most fork and exec", key);
	for (int i = 0; i < n; i++) {
		bool ex = strcmp(items[i], "exec") == 0;

		if (!ex && strcmp(items[i], "fork") != 0)
			return spec_perr(ps, "%s: '%s' is not fork or exec", key, items[i]);
		if (g->n_spawn == 1 && g->spawn_exec[0] == ex)
			return spec_perr(ps, "%s: '%s' is listed twice", key, items[i]);
		g->spawn_exec[g->n_spawn++] = ex;
	}
	return 0;
}

/* plateau_samples: N - hold each run's wave until N memory samples of it */
static int key_plateau(struct spec_parser *ps, const char *key, char **items, int n)
{
	if (one_item(ps, key, n))
		return -EINVAL;
	return spec_parse_u64(ps, key, items[0], 0, 1000, &ps->grid->plateau_samples);
}

/* The keys as a spec spells them, colon included. */
/* clang-format off */
const struct spec_key spec_keys[] = {
	{ "name:", SPEC_GLOBAL, false, false, key_name },
	{ "reps:", SPEC_ANY, false, false, key_reps },
	{ "warmup:", SPEC_ANY, false, false, key_warmup },
	{ "search_reps:", SPEC_ANY, false, false, key_search_reps },
	{ "ci:", SPEC_ANY, false, false, key_ci },
	{ "budget:", SPEC_ANY, false, false, key_budget },
	{ "equiv:", SPEC_ANY, false, false, key_equiv },
	{ "stop:", SPEC_ANY, false, false, key_stop },
	{ "cpu_scale:", SPEC_GRID, false, false, spec_key_cpu_scale },
	{ "timeout:", SPEC_GLOBAL, false, false, key_timeout },
	{ "role:", SPEC_GRID, false, false, key_role },
	{ "models:", SPEC_GRID, false, false, spec_key_models },
	{ "workload:", SPEC_GRID, false, false, key_workload },
	{ "share:", SPEC_GRID, false, false, key_share },
	{ "task_time:", SPEC_GRID, false, false, key_task_time },
	{ "io_latency:", SPEC_GRID, false, false, key_io_latency },
	{ "cpu:", SPEC_GRID, false, false, key_cpu },
	{ "payload:", SPEC_GRID, false, false, key_payload },
	{ "conn:", SPEC_GRID, false, false, key_conn },
	{ "concurrency:", SPEC_GRID, false, false, key_concurrency },
	{ "workers:", SPEC_GRID, false, false, key_workers },
	{ "tasks:", SPEC_GRID, true, false, key_tasks },
	{ "folklore:", SPEC_GRID, true, true, spec_key_folklore },
	{ "rate:", SPEC_GRID, false, false, key_rate },
	{ "arrivals:", SPEC_GRID, false, false, key_arrivals },
	{ "duration:", SPEC_GRID, false, false, key_duration },
	{ "slo:", SPEC_GRID, false, false, key_slo },
	{ "flags:", SPEC_GRID, false, true, key_flags },
	{ "spawn:", SPEC_GRID, false, false, key_spawn },
	{ "plateau_samples:", SPEC_GRID, false, false, key_plateau },
};
/* clang-format on */
const size_t spec_nkeys = sizeof(spec_keys) / sizeof(spec_keys[0]);
