/* spec.c - parse sweep specs and expand their grids into cells.
 *
 * A spec is "key: value" lines; '#' starts a comment. Keys before the first
 * `grid:` line are global (name, reps, warmup, timeout); each `grid: NAME`
 * line opens a grid whose keys follow it. The format, with an example of
 * every key, is the comment at the top of sweeps/default. */
#include "spec.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../models/model.h"
#include "../cli.h"

#define EXPR_LIMIT 1000000000LL /* no value of an expression may exceed this */

/* ---- expressions ------------------------------------------------------ */

struct expr {
	const char *s;     /* the whole expression, for messages */
	const char *p;     /* the next character to read */
	long long c;       /* the value of C, < 0: undefined */
	long long nproc;   /* the value of nproc */
	char *err;         /* where a problem is described */
	size_t errlen;
};

static int expr_sum(struct expr *x, long long *v);

static int expr_fail(struct expr *x, const char *why)
{
	snprintf(x->err, x->errlen, "'%s': %s", x->s, why);
	return -1;
}

static void expr_skip(struct expr *x)
{
	while (isspace((unsigned char)*x->p))
		x->p++;
}

static bool expr_word(struct expr *x, const char *w)
{
	size_t n = strlen(w);

	if (strncmp(x->p, w, n) != 0 || isalnum((unsigned char)x->p[n]) || x->p[n] == '_')
		return false;
	x->p += n;
	return true;
}

/* max(a, b) or min(a, b), after the name. */
static int expr_call(struct expr *x, bool is_max, long long *v)
{
	long long a, b;

	expr_skip(x);
	if (*x->p++ != '(')
		return expr_fail(x, "max and min need (a, b)");
	if (expr_sum(x, &a))
		return -1;
	expr_skip(x);
	if (*x->p++ != ',')
		return expr_fail(x, "max and min need (a, b)");
	if (expr_sum(x, &b))
		return -1;
	expr_skip(x);
	if (*x->p++ != ')')
		return expr_fail(x, "missing )");
	*v = is_max ? (a > b ? a : b) : (a < b ? a : b);
	return 0;
}

static int expr_factor(struct expr *x, long long *v)
{
	expr_skip(x);
	if (isdigit((unsigned char)*x->p)) {
		*v = 0;
		while (isdigit((unsigned char)*x->p)) {
			*v = *v * 10 + (*x->p++ - '0');
			if (*v > EXPR_LIMIT)
				return expr_fail(x, "a number is too large");
		}
		return 0;
	}
	if (*x->p == '(') {
		x->p++;
		if (expr_sum(x, v))
			return -1;
		expr_skip(x);
		if (*x->p++ != ')')
			return expr_fail(x, "missing )");
		return 0;
	}
	if (expr_word(x, "C")) {
		if (x->c < 0)
			return expr_fail(x, "C (the concurrency) cannot be used here");
		*v = x->c;
		return 0;
	}
	if (expr_word(x, "nproc")) {
		*v = x->nproc;
		return 0;
	}
	if (expr_word(x, "max"))
		return expr_call(x, true, v);
	if (expr_word(x, "min"))
		return expr_call(x, false, v);
	return expr_fail(x, "expected a number, C, nproc, max(a, b), min(a, b) or (");
}

static int expr_term(struct expr *x, long long *v)
{
	long long r;
	char op;

	if (expr_factor(x, v))
		return -1;
	for (;;) {
		expr_skip(x);
		op = *x->p;
		if (op != '*' && op != '/')
			return 0;
		x->p++;
		if (expr_factor(x, &r))
			return -1;
		if (op == '/' && r == 0)
			return expr_fail(x, "division by zero");
		*v = op == '*' ? *v * r : *v / r;
		if (*v > EXPR_LIMIT || *v < -EXPR_LIMIT)
			return expr_fail(x, "the value is too large");
	}
}

static int expr_sum(struct expr *x, long long *v)
{
	long long r;
	char op;

	if (expr_term(x, v))
		return -1;
	for (;;) {
		expr_skip(x);
		op = *x->p;
		if (op != '+' && op != '-')
			return 0;
		x->p++;
		if (expr_term(x, &r))
			return -1;
		*v = op == '+' ? *v + r : *v - r;
		if (*v > EXPR_LIMIT || *v < -EXPR_LIMIT)
			return expr_fail(x, "the value is too large");
	}
}

int spec_eval(const char *expr, long long c, long long nproc, long long *out, char *err,
	      size_t errlen)
{
	struct expr x = { expr, expr, c, nproc, err, errlen };

	if (expr_sum(&x, out))
		return -1;
	expr_skip(&x);
	if (*x.p)
		return expr_fail(&x, "unexpected text after the expression");
	return 0;
}

/* ---- parsing ------------------------------------------------------------ */

struct parser {
	const char *file;      /* for messages */
	int line;              /* the line being parsed */
	struct spec *spec;
	struct spec_grid *grid; /* the open grid, NULL before the first */
	unsigned global_seen;  /* bit per global key given */
	char *err;
	size_t errlen;
};

static int perr(struct parser *ps, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* One line "file:line: problem" into err; returns 2, the usage status. */
static int perr(struct parser *ps, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(ps->err, ps->errlen, "%s:%d: ", ps->file, ps->line);
	if (n < 0 || (size_t)n >= ps->errlen)
		return 2;
	va_start(ap, fmt);
	vsnprintf(ps->err + n, ps->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return 2;
}

/* Split value into items at blanks and commas outside parentheses; the
 * items are written into value (it is modified). Returns the count, or
 * -1 when there are more than max. */
static int split_items(char *value, char **items, int max)
{
	int n = 0, depth = 0;
	char *p = value, *start = NULL;

	for (;; p++) {
		bool sep = *p == '\0' || (depth == 0 && (isspace((unsigned char)*p) || *p == ','));

		if (*p == '(')
			depth++;
		else if (*p == ')' && depth > 0)
			depth--;
		if (sep) {
			if (start) {
				if (n == max)
					return -1;
				items[n++] = start;
				start = NULL;
			}
			if (*p == '\0')
				return n;
			*p = '\0';
		} else if (!start) {
			start = p;
		}
	}
}

typedef int (*key_fn)(struct parser *ps, const char *key, char **items, int n);

static int parse_u64(struct parser *ps, const char *key, const char *s, uint64_t min,
		     uint64_t max, uint64_t *out)
{
	char err[CLI_ERR_MAX];

	if (cli_parse_u64(key, s, min, max, out, err, sizeof(err)))
		return perr(ps, "%s", err);
	return 0;
}

static int parse_dur(struct parser *ps, const char *key, const char *s, uint64_t min,
		     uint64_t *out)
{
	char err[CLI_ERR_MAX];

	if (cli_parse_duration_us(key, s, min, 3600000000ull, out, err, sizeof(err)))
		return perr(ps, "%s", err);
	return 0;
}

static int one_item(struct parser *ps, const char *key, int n)
{
	if (n != 1)
		return perr(ps, "%s: takes one value, got %d", key, n);
	return 0;
}

static int key_name(struct parser *ps, const char *key, char **items, int n)
{
	if (one_item(ps, key, n))
		return 2;
	for (const char *p = items[0]; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
			return perr(ps, "%s: '%s' may hold only letters, digits, - and _", key,
				    items[0]);
	if (strlen(items[0]) >= sizeof(ps->spec->name))
		return perr(ps, "%s: '%s' is too long", key, items[0]);
	snprintf(ps->spec->name, sizeof(ps->spec->name), "%s", items[0]);
	return 0;
}

static int key_reps(struct parser *ps, const char *key, char **items, int n)
{
	uint64_t v;

	if (one_item(ps, key, n) || parse_u64(ps, key, items[0], 1, 100, &v))
		return 2;
	ps->spec->reps = (unsigned)v;
	return 0;
}

static int key_warmup(struct parser *ps, const char *key, char **items, int n)
{
	uint64_t v;

	if (one_item(ps, key, n) || parse_u64(ps, key, items[0], 0, 10, &v))
		return 2;
	ps->spec->warmup = (unsigned)v;
	return 0;
}

static int key_timeout(struct parser *ps, const char *key, char **items, int n)
{
	if (one_item(ps, key, n))
		return 2;
	return parse_dur(ps, key, items[0], 1000, &ps->spec->timeout_us);
}

static int key_grid(struct parser *ps, const char *key, char **items, int n)
{
	struct spec *s = ps->spec;
	struct spec_grid *g;

	if (one_item(ps, key, n))
		return 2;
	for (const char *p = items[0]; *p; p++)
		if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '_')
			return perr(ps, "grid: '%s' may hold only a-z, 0-9 and _", items[0]);
	if (strlen(items[0]) >= sizeof(g->name))
		return perr(ps, "grid: '%s' is too long", items[0]);
	for (size_t i = 0; i < s->n_grids; i++)
		if (strcmp(s->grids[i].name, items[0]) == 0)
			return perr(ps, "grid: '%s' is already defined on line %d", items[0],
				    s->grids[i].line);
	if (s->n_grids == SPEC_GRIDS_MAX)
		return perr(ps, "grid: more than %d grids", SPEC_GRIDS_MAX);
	g = &s->grids[s->n_grids++];
	memset(g, 0, sizeof(*g));
	snprintf(g->name, sizeof(g->name), "%s", items[0]);
	g->line = ps->line;
	ps->grid = g;
	return 0;
}

static int key_models(struct parser *ps, const char *key, char **items, int n)
{
	struct spec_grid *g = ps->grid;

	if (n > SPEC_MODELS_MAX)
		return perr(ps, "%s: more than %d models", key, SPEC_MODELS_MAX);
	for (int i = 0; i < n; i++) {
		if (!model_find(items[i]))
			return perr(ps, "%s: unknown model '%s' (cmbench list shows them)", key,
				    items[i]);
		for (size_t j = 0; j < g->n_models; j++)
			if (strcmp(g->models[j], items[i]) == 0)
				return perr(ps, "%s: '%s' is listed twice", key, items[i]);
		snprintf(g->models[g->n_models++], sizeof(g->models[0]), "%s", items[i]);
	}
	return 0;
}

static int key_workload(struct parser *ps, const char *key, char **items, int n)
{
	static const char *const names[] = { "io", "cpu", "mixed" };
	struct spec_grid *g = ps->grid;

	if (n > 3)
		return perr(ps, "%s: at most io, cpu and mixed", key);
	for (int i = 0; i < n; i++) {
		int w = -1;

		for (int j = 0; j < 3; j++)
			if (strcmp(items[i], names[j]) == 0)
				w = j;
		if (w < 0)
			return perr(ps, "%s: unknown workload '%s' (io, cpu or mixed)", key,
				    items[i]);
		for (size_t j = 0; j < g->n_workloads; j++)
			if ((int)g->workloads[j] == w)
				return perr(ps, "%s: '%s' is listed twice", key, items[i]);
		g->workloads[g->n_workloads++] = (enum spec_workload)w;
	}
	return 0;
}

static int key_share(struct parser *ps, const char *key, char **items, int n)
{
	struct spec_grid *g = ps->grid;
	uint64_t v;

	for (int i = 0; i < n; i++) {
		if (parse_u64(ps, key, items[i], 0, 100, &v))
			return 2;
		g->shares[g->n_shares++] = (int)v;
	}
	return 0;
}

static int key_task_time(struct parser *ps, const char *key, char **items, int n)
{
	if (one_item(ps, key, n))
		return 2;
	return parse_dur(ps, key, items[0], 1, &ps->grid->task_time_us);
}

static int key_io_latency(struct parser *ps, const char *key, char **items, int n)
{
	struct spec_grid *g = ps->grid;

	for (int i = 0; i < n; i++)
		if (parse_dur(ps, key, items[i], 0, &g->io_latency_us[g->n_io++]))
			return 2;
	return 0;
}

static int key_cpu(struct parser *ps, const char *key, char **items, int n)
{
	struct spec_grid *g = ps->grid;

	for (int i = 0; i < n; i++)
		if (parse_dur(ps, key, items[i], 1, &g->cpu_us[g->n_cpu++]))
			return 2;
	return 0;
}

static int key_payload(struct parser *ps, const char *key, char **items, int n)
{
	struct spec_grid *g = ps->grid;

	for (int i = 0; i < n; i++)
		if (parse_u64(ps, key, items[i], 0, 1 << 30, &g->payload[g->n_payload++]))
			return 2;
	return 0;
}

static int key_conn(struct parser *ps, const char *key, char **items, int n)
{
	struct spec_grid *g = ps->grid;

	if (n > 2)
		return perr(ps, "%s: at most new and keepalive", key);
	for (int i = 0; i < n; i++) {
		bool ka = strcmp(items[i], "keepalive") == 0;

		if (!ka && strcmp(items[i], "new") != 0)
			return perr(ps, "%s: '%s' is not new or keepalive", key, items[i]);
		if (g->n_conn == 1 && g->keepalive[0] == ka)
			return perr(ps, "%s: '%s' is listed twice", key, items[i]);
		g->keepalive[g->n_conn++] = ka;
	}
	return 0;
}

/* Check an expression's syntax now, with C = 1 and nproc = 1 where allowed. */
static int check_expr(struct parser *ps, const char *key, const char *s, bool c_ok)
{
	char err[SPEC_ERR_MAX];
	long long v;

	if (strlen(s) >= SPEC_EXPR_MAX)
		return perr(ps, "%s: '%s' is too long", key, s);
	if (spec_eval(s, c_ok ? 1 : -1, 1, &v, err, sizeof(err)))
		return perr(ps, "%s: %s", key, err);
	return 0;
}

static int key_concurrency(struct parser *ps, const char *key, char **items, int n)
{
	struct spec_grid *g = ps->grid;

	for (int i = 0; i < n; i++) {
		if (check_expr(ps, key, items[i], false))
			return 2;
		snprintf(g->conc[g->n_conc++], SPEC_EXPR_MAX, "%s", items[i]);
	}
	g->conc_line = ps->line;
	return 0;
}

static int key_workers(struct parser *ps, const char *key, char **items, int n)
{
	struct spec_grid *g = ps->grid;

	for (int i = 0; i < n; i++) {
		if (check_expr(ps, key, items[i], true))
			return 2;
		snprintf(g->workers[g->n_workers++], SPEC_EXPR_MAX, "%s", items[i]);
	}
	g->workers_line = ps->line;
	return 0;
}

static int key_tasks(struct parser *ps, const char *key, char **items, int n)
{
	if (one_item(ps, key, n) || check_expr(ps, key, items[0], true))
		return 2;
	snprintf(ps->grid->tasks, SPEC_EXPR_MAX, "%s", items[0]);
	ps->grid->tasks_line = ps->line;
	return 0;
}

enum key_scope { GLOBAL, GRID };

static const struct key {
	const char *name;
	enum key_scope scope;
	key_fn fn;
} keys[] = {
	{ "name", GLOBAL, key_name },	      { "reps", GLOBAL, key_reps },
	{ "warmup", GLOBAL, key_warmup },     { "timeout", GLOBAL, key_timeout },
	{ "models", GRID, key_models },	      { "workload", GRID, key_workload },
	{ "share", GRID, key_share },	      { "task_time", GRID, key_task_time },
	{ "io_latency", GRID, key_io_latency }, { "cpu", GRID, key_cpu },
	{ "payload", GRID, key_payload },     { "conn", GRID, key_conn },
	{ "concurrency", GRID, key_concurrency }, { "workers", GRID, key_workers },
	{ "tasks", GRID, key_tasks },
};
#define NKEYS (sizeof(keys) / sizeof(keys[0]))

static bool grid_has(const struct spec_grid *g, const char *name)
{
	for (size_t i = 0; i < NKEYS; i++)
		if (strcmp(keys[i].name, name) == 0)
			return g->seen & (1u << i);
	return false;
}

static bool grid_uses(const struct spec_grid *g, bool io)
{
	for (size_t i = 0; i < g->n_workloads; i++)
		if (g->workloads[i] == SPEC_WL_MIXED ||
		    g->workloads[i] == (io ? SPEC_WL_IO : SPEC_WL_CPU))
			return true;
	return false;
}

/* The closed grid has what it needs and nothing that contradicts it;
 * problems are reported at its `grid:` line. */
static int grid_check(struct parser *ps, struct spec_grid *g)
{
	int line = ps->line;
	int rc = 0;

	ps->line = g->line;
	if (!grid_has(g, "models"))
		rc = perr(ps, "grid %s: no models: line", g->name);
	else if (!grid_has(g, "concurrency"))
		rc = perr(ps, "grid %s: no concurrency: line", g->name);
	else if (!grid_has(g, "tasks"))
		rc = perr(ps, "grid %s: no tasks: line", g->name);
	else if (grid_has(g, "share") && grid_has(g, "workload"))
		rc = perr(ps, "grid %s: give share: (with task_time:) or workload:, not both",
			  g->name);
	else if (grid_has(g, "share") && !grid_has(g, "task_time"))
		rc = perr(ps, "grid %s: share: needs task_time:", g->name);
	else if (grid_has(g, "share") && (grid_has(g, "io_latency") || grid_has(g, "cpu")))
		rc = perr(ps, "grid %s: share: sets io_latency and cpu from task_time; drop them",
			  g->name);
	else if (grid_has(g, "task_time") && !grid_has(g, "share"))
		rc = perr(ps, "grid %s: task_time: needs share:", g->name);
	else if (!grid_has(g, "share") && !grid_has(g, "workload"))
		rc = perr(ps, "grid %s: no workload: (or share:) line", g->name);
	else if (grid_has(g, "workload") && grid_uses(g, true) != grid_has(g, "io_latency"))
		rc = perr(ps, "grid %s: %s", g->name,
			  grid_uses(g, true)
				  ? "workload io or mixed needs io_latency:"
				  : "io_latency: is unused without workload io or mixed");
	else if (grid_has(g, "workload") && grid_uses(g, false) != grid_has(g, "cpu"))
		rc = perr(ps, "grid %s: %s", g->name,
			  grid_uses(g, false) ? "workload cpu or mixed needs cpu:"
					      : "cpu: is unused without workload cpu or mixed");
	ps->line = line;
	if (rc)
		return rc;
	if (g->n_payload == 0)
		g->payload[g->n_payload++] = 256;
	if (g->n_conn == 0)
		g->keepalive[g->n_conn++] = false;
	return 0;
}

/* One line, already stripped of its comment. */
static int parse_line(struct parser *ps, char *s)
{
	char *colon, *key, *value, *end, *items[SPEC_LIST_MAX];
	const struct key *k = NULL;
	int n;

	while (isspace((unsigned char)*s))
		s++;
	if (*s == '\0')
		return 0;
	colon = strchr(s, ':');
	if (!colon)
		return perr(ps, "expected 'key: value', got '%s'", s);
	*colon = '\0';
	key = s;
	for (end = colon; end > key && isspace((unsigned char)end[-1]); end--)
		;
	*end = '\0';
	value = colon + 1;
	for (size_t i = 0; i < NKEYS; i++)
		if (strcmp(keys[i].name, key) == 0)
			k = &keys[i];
	if (!k && strcmp(key, "grid") != 0)
		return perr(ps, "unknown key '%s'", key);
	if (k && k->fn == key_tasks) {
		/* one expression: blanks are part of it, not separators */
		while (isspace((unsigned char)*value))
			value++;
		for (end = value + strlen(value); end > value && isspace((unsigned char)end[-1]);
		     end--)
			;
		*end = '\0';
		items[0] = value;
		n = *value ? 1 : 0;
	} else {
		n = split_items(value, items, SPEC_LIST_MAX);
	}
	if (n < 0)
		return perr(ps, "%s: more than %d values", key, SPEC_LIST_MAX);
	if (n == 0)
		return perr(ps, "%s: no value (an empty list)", key);
	if (!k) {
		if (ps->grid && grid_check(ps, ps->grid))
			return 2;
		return key_grid(ps, key, items, n);
	}
	if (k->scope == GLOBAL) {
		if (ps->grid)
			return perr(ps, "%s: a global key; put it before the first grid: line",
				    key);
		if (ps->global_seen & (1u << (k - keys)))
			return perr(ps, "%s: given twice", key);
		ps->global_seen |= 1u << (k - keys);
	} else {
		if (!ps->grid)
			return perr(ps, "%s: belongs to a grid; start one with 'grid: NAME'", key);
		if (ps->grid->seen & (1u << (k - keys)))
			return perr(ps, "%s: given twice in grid %s", key, ps->grid->name);
		ps->grid->seen |= 1u << (k - keys);
	}
	return k->fn(ps, key, items, n);
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

int spec_parse(const char *file, const char *text, struct spec *spec, char *err, size_t errlen)
{
	struct parser ps = { file, 0, spec, NULL, 0, err, errlen };
	char line[1024];
	const char *p = text, *nl;
	size_t len;

	memset(spec, 0, sizeof(*spec));
	spec->reps = 3;
	spec->warmup = 1;
	spec->timeout_us = 5000000;
	default_name(spec, file);
	while (*p) {
		ps.line++;
		nl = strchr(p, '\n');
		len = nl ? (size_t)(nl - p) : strlen(p);
		if (len >= sizeof(line))
			return perr(&ps, "line too long (over %zu characters)", sizeof(line) - 1);
		memcpy(line, p, len);
		line[len] = '\0';
		line[strcspn(line, "#\r")] = '\0';
		if (parse_line(&ps, line))
			return 2;
		p = nl ? nl + 1 : p + len;
	}
	if (ps.grid && grid_check(&ps, ps.grid))
		return 2;
	if (spec->n_grids == 0) {
		ps.line = ps.line ? ps.line : 1;
		return perr(&ps, "no grid: line; a spec needs at least one grid");
	}
	return 0;
}

int spec_load(const char *path, struct spec *spec, char **text, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *buf;
	size_t n;
	int rc;

	if (!f) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return 2;
	}
	buf = malloc(SPEC_TEXT_MAX + 1);
	if (!buf) {
		fclose(f);
		snprintf(err, errlen, "%s: out of memory", path);
		return 2;
	}
	n = fread(buf, 1, SPEC_TEXT_MAX + 1, f);
	fclose(f);
	if (n > SPEC_TEXT_MAX) {
		free(buf);
		snprintf(err, errlen, "%s: larger than %d bytes", path, SPEC_TEXT_MAX);
		return 2;
	}
	buf[n] = '\0';
	if (memchr(buf, '\0', n)) {
		free(buf);
		snprintf(err, errlen, "%s: not a text file", path);
		return 2;
	}
	rc = spec_parse(path, buf, spec, err, errlen);
	if (rc == 0 && text)
		*text = buf;
	else
		free(buf);
	return rc;
}

/* ---- expansion ---------------------------------------------------------- */

static const char *const wl_names[] = { "io", "cpu", "mixed" };

void spec_cell_id(struct spec_cell *c, bool with_workers)
{
	size_t n = sizeof(c->id), o = 0;
	bool io = strcmp(c->workload, "cpu") != 0;
	bool cpu = strcmp(c->workload, "io") != 0;

#define ADD(...) (o += (size_t)snprintf(c->id + o, o < n ? n - o : 0, __VA_ARGS__))
	ADD("%s-%s-%s", c->grid, c->model, c->workload);
	if (c->share_pct >= 0)
		ADD("-s%d", c->share_pct);
	ADD("-c%llu-n%llu", (unsigned long long)c->concurrency, (unsigned long long)c->tasks);
	if (with_workers)
		ADD("-w%llu", (unsigned long long)c->workers);
	if (io)
		ADD("-io%lluus-p%llu-%s", (unsigned long long)c->io_latency_us,
		    (unsigned long long)c->payload, c->keepalive ? "ka" : "new");
	if (cpu)
		ADD("-cpu%lluus", (unsigned long long)c->cpu_us);
#undef ADD
}

struct cell_list {
	struct spec_cell *v; /* the cells so far */
	size_t n, cap;
};

static int list_add(struct cell_list *l, const struct spec_cell *c)
{
	struct spec_cell *nv;

	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].id, c->id) == 0)
			return 0; /* one-slot models collapse the concurrency axis */
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		nv = realloc(l->v, l->cap * sizeof(*nv));
		if (!nv)
			return -1;
		l->v = nv;
	}
	l->v[l->n++] = *c;
	return 0;
}

static int expand_err(char *err, size_t errlen, const struct spec_grid *g, int line,
		      const char *what)
{
	snprintf(err, errlen, "grid %s (line %d): %s", g->name, line, what);
	return 2;
}

static int eval_pos(const struct spec_grid *g, int line, const char *expr, long long c,
		    int nproc, uint64_t *out, char *err, size_t errlen)
{
	char why[SPEC_ERR_MAX], msg[SPEC_ERR_MAX + 64];
	long long v;

	if (spec_eval(expr, c, nproc, &v, why, sizeof(why)))
		return expand_err(err, errlen, g, line, why);
	if (v < 1) {
		snprintf(msg, sizeof(msg), "'%s' is %lld, must be at least 1", expr, v);
		return expand_err(err, errlen, g, line, msg);
	}
	*out = (uint64_t)v;
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* The grid's concurrency levels, evaluated, sorted and without repeats. */
static int grid_levels(const struct spec_grid *g, int nproc, uint64_t *lv, size_t *n, char *err,
		       size_t errlen)
{
	size_t k = 0;

	for (size_t i = 0; i < g->n_conc; i++)
		if (eval_pos(g, g->conc_line, g->conc[i], -1, nproc, &lv[i], err, errlen))
			return 2;
	qsort(lv, g->n_conc, sizeof(lv[0]), cmp_u64);
	for (size_t i = 0; i < g->n_conc; i++)
		if (k == 0 || lv[k - 1] != lv[i])
			lv[k++] = lv[i];
	*n = k;
	return 0;
}

/* The cells of one model at one concurrency level, over the workers axis. */
static int expand_model(const struct spec_grid *g, struct spec_cell *c, uint64_t level,
			int nproc, struct cell_list *l, char *err, size_t errlen)
{
	const struct model_ops *m = model_find(c->model);
	size_t nw = g->n_workers ? g->n_workers : 1;

	c->concurrency = m && m->one_slot ? 1 : level;
	if (eval_pos(g, g->tasks_line, g->tasks, (long long)c->concurrency, nproc, &c->tasks, err,
		     errlen))
		return 2;
	for (size_t i = 0; i < nw; i++) {
		c->workers = (uint64_t)nproc;
		if (g->n_workers && eval_pos(g, g->workers_line, g->workers[i],
					     (long long)c->concurrency, nproc, &c->workers, err,
					     errlen))
			return 2;
		if (c->workers > 1024)
			return expand_err(err, errlen, g, g->workers_line,
					  "workers over 1024 (the limit of cmbench run)");
		spec_cell_id(c, g->n_workers > 0);
		if (list_add(l, c))
			return expand_err(err, errlen, g, g->line, "out of memory");
	}
	return 0;
}

/* Every cell of one kind of work (workload, io latency, cpu, share). */
static int expand_work(const struct spec_grid *g, struct spec_cell *c, const uint64_t *lv,
		       size_t nlv, int nproc, struct cell_list *l, char *err, size_t errlen)
{
	bool io = strcmp(c->workload, "cpu") != 0;
	size_t np = io ? g->n_payload : 1, nc = io ? g->n_conn : 1;

	for (size_t p = 0; p < np; p++) {
		c->payload = io ? g->payload[p] : 0;
		for (size_t k = 0; k < nc; k++) {
			c->keepalive = io ? g->keepalive[k] : false;
			for (size_t i = 0; i < nlv; i++)
				for (size_t m = 0; m < g->n_models; m++) {
					snprintf(c->model, sizeof(c->model), "%s", g->models[m]);
					if (expand_model(g, c, lv[i], nproc, l, err, errlen))
						return 2;
				}
		}
	}
	return 0;
}

/* A one-slot model (sequential) gets one cell that competes at every
 * concurrency level of its grid, which is only fair when every level runs
 * the same number of tasks: refuse a tasks expression that depends on C
 * in such a grid. */
static int tasks_fixed_for_one_slot(const struct spec_grid *g, const uint64_t *lv, size_t nlv,
				    int nproc, char *err, size_t errlen)
{
	uint64_t first = 0, t;
	bool one_slot = false;

	for (size_t i = 0; i < g->n_models; i++) {
		const struct model_ops *m = model_find(g->models[i]);

		one_slot |= m && m->one_slot;
	}
	if (!one_slot)
		return 0;
	for (size_t i = 0; i < nlv; i++) {
		if (eval_pos(g, g->tasks_line, g->tasks, (long long)lv[i], nproc, &t, err, errlen))
			return 2;
		if (i > 0 && t != first)
			return expand_err(err, errlen, g, g->tasks_line,
					  "tasks must be the same at every concurrency level when "
					  "the grid has sequential (it competes at each level)");
		first = t;
	}
	return 0;
}

static int expand_grid(const struct spec_grid *g, int nproc, struct cell_list *l, char *err,
		       size_t errlen)
{
	uint64_t lv[SPEC_LIST_MAX];
	struct spec_cell c;
	size_t nlv;

	if (grid_levels(g, nproc, lv, &nlv, err, errlen))
		return 2;
	if (tasks_fixed_for_one_slot(g, lv, nlv, nproc, err, errlen))
		return 2;
	memset(&c, 0, sizeof(c));
	snprintf(c.grid, sizeof(c.grid), "%s", g->name);
	for (size_t s = 0; s < g->n_shares; s++) {
		int pct = g->shares[s];

		c.share_pct = pct;
		snprintf(c.workload, sizeof(c.workload), "%s",
			 pct == 0 ? "io" : pct == 100 ? "cpu" : "mixed");
		c.io_latency_us = g->task_time_us * (uint64_t)(100 - pct) / 100;
		c.cpu_us = g->task_time_us * (uint64_t)pct / 100;
		if (expand_work(g, &c, lv, nlv, nproc, l, err, errlen))
			return 2;
	}
	c.share_pct = -1;
	for (size_t w = 0; w < g->n_workloads; w++) {
		enum spec_workload wl = g->workloads[w];
		size_t ni = wl == SPEC_WL_CPU ? 1 : g->n_io;
		size_t nc = wl == SPEC_WL_IO ? 1 : g->n_cpu;

		snprintf(c.workload, sizeof(c.workload), "%s", wl_names[wl]);
		for (size_t i = 0; i < ni; i++)
			for (size_t k = 0; k < nc; k++) {
				c.io_latency_us = wl == SPEC_WL_CPU ? 0 : g->io_latency_us[i];
				c.cpu_us = wl == SPEC_WL_IO ? 0 : g->cpu_us[k];
				if (expand_work(g, &c, lv, nlv, nproc, l, err, errlen))
					return 2;
			}
	}
	return 0;
}

int spec_expand(const struct spec *spec, int nproc, struct spec_cell **cells, size_t *n,
		char *err, size_t errlen)
{
	struct cell_list l = { NULL, 0, 0 };

	if (nproc < 1)
		nproc = 1;
	for (size_t i = 0; i < spec->n_grids; i++) {
		if (expand_grid(&spec->grids[i], nproc, &l, err, errlen)) {
			free(l.v);
			return 2;
		}
	}
	*cells = l.v;
	*n = l.n;
	return 0;
}
