/* spec_models.c - the keys of a sweep spec that name models: `models:`
 * (a model under its own name, or LABEL=MODEL for an A/A check),
 * `cpu_scale:` (a label's cpu work times F, for an A/B check) and
 * `folklore:` (what common wisdom answers for a range of cpu shares, and
 * the models it means). The rest of the key table is spec_keys.c's. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../models/model.h"
#include "spec_int.h"

/* Look up n model names into a malloc'd array; 0 or -EINVAL / -ENOMEM. */
static int model_list(struct spec_parser *ps, const char *key, char **items, int n,
		      const struct model_ops ***out, size_t *nout)
{
	const struct model_ops **v = calloc((size_t)n, sizeof(*v));

	if (!v)
		return -ENOMEM;
	for (int i = 0; i < n; i++) {
		v[i] = model_find(items[i]);
		for (int j = 0; v[i] && j < i; j++)
			if (v[j] == v[i]) {
				free(v);
				return spec_perr(ps, "%s: '%s' is listed twice", key, items[i]);
			}
		if (!v[i]) {
			free(v);
			return spec_perr(ps, "%s: unknown model '%s' (cmbench list shows them)",
					 key, items[i]);
		}
	}
	*out = v;
	*nout = (size_t)n;
	return 0;
}

/* A label: [a-z0-9-], not empty, shorter than SPEC_NAME_MAX. */
static bool label_ok(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n < SPEC_NAME_MAX &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-") == n;
}

/* models: NAME or LABEL=MODEL: a model under its own name or a new one
 * (a grid may run one model twice, for an A/A check). */
static int key_models_labels(struct spec_parser *ps, const char *key, char **items, int n)
{
	struct spec_grid *g = ps->grid;
	char **names = calloc((size_t)n, sizeof(*names));
	int rc;

	g->labels = calloc((size_t)n, sizeof(*g->labels));
	g->cpu_scale = calloc((size_t)n, sizeof(*g->cpu_scale));
	if (!names || !g->labels || !g->cpu_scale) {
		free(names);
		return -ENOMEM;
	}
	for (int i = 0; i < n; i++) {
		char *eq = strchr(items[i], '=');

		g->cpu_scale[i] = 1;
		names[i] = eq ? eq + 1 : items[i];
		if (!eq)
			continue;
		*eq = '\0';
		if (!label_ok(items[i])) {
			free(names);
			return spec_perr(ps, "%s: label '%s' may hold only a-z, 0-9 and -", key,
					 items[i]);
		}
		if (model_find(items[i])) {
			free(names);
			return spec_perr(ps,
					 "%s: label '%s' is the name of a model; choose a new one",
					 key, items[i]);
		}
		if (!model_find(names[i])) {
			int rc = spec_perr(
				ps, "%s: '%s=%s': unknown model '%s' (cmbench list shows them)",
				key, items[i], names[i], names[i]);

			free(names); /* names[i] is read above, before the array goes */
			return rc;
		}
		snprintf(g->labels[i], SPEC_NAME_MAX, "%s", items[i]);
	}
	for (int i = 0; i < n; i++)
		for (int j = 0; j < i; j++) {
			const char *a = g->labels[i][0] ? g->labels[i] : names[i];
			const char *b = g->labels[j][0] ? g->labels[j] : names[j];

			if (strcmp(a, b) == 0) {
				free(names);
				return spec_perr(ps, "%s: '%s' is listed twice", key, a);
			}
		}
	/* a model under two names is the point of a label: check the rest */
	rc = 0;
	g->models = calloc((size_t)n, sizeof(*g->models));
	if (!g->models)
		rc = -ENOMEM;
	for (int i = 0; rc == 0 && i < n; i++)
		if (!(g->models[i] = model_find(names[i])))
			rc = spec_perr(ps, "%s: unknown model '%s' (cmbench list shows them)", key,
				       names[i]);
	if (rc == 0)
		g->n_models = (size_t)n;
	free(names);
	return rc;
}

/* cpu_scale: LABEL=F - that label's cpu work times F (an A/B check of a
 * known difference) */
int spec_key_cpu_scale(struct spec_parser *ps, const char *key, char **items, int n)
{
	struct spec_grid *g = ps->grid;

	for (int i = 0; i < n; i++) {
		char *eq = strchr(items[i], '='), *end;
		double f;
		size_t k;

		if (!eq)
			return spec_perr(ps, "%s: '%s' is not LABEL=FACTOR", key, items[i]);
		*eq = '\0';
		f = strtod(eq + 1, &end);
		if (end == eq + 1 || *end || !(f >= 0.1 && f <= 10))
			return spec_perr(ps, "%s: factor '%s' is not a number from 0.1 to 10", key,
					 eq + 1);
		for (k = 0; k < g->n_models; k++)
			if (strcmp(g->labels[k][0] ? g->labels[k] : g->models[k]->name, items[i]) ==
			    0)
				break;
		if (k == g->n_models)
			return spec_perr(ps, "%s: '%s' is not a model of this grid (models: first)",
					 key, items[i]);
		g->cpu_scale[k] = f;
	}
	return 0;
}

int spec_key_models(struct spec_parser *ps, const char *key, char **items, int n)
{
	return key_models_labels(ps, key, items, n);
}

/* s without its leading and trailing blanks (s is modified). */
static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	for (e = s + strlen(s); e > s && isspace((unsigned char)e[-1]); e--)
		;
	*e = '\0';
	return s;
}

/* "A" or "A-B", shares in percent, into f->lo and f->hi. */
static int folklore_shares(struct spec_parser *ps, const char *key, char *s,
			   struct spec_folklore *f)
{
	char *dash = strchr(s, '-');
	uint64_t lo, hi;

	if (dash)
		*dash = '\0';
	if (spec_parse_u64(ps, key, trim(s), 0, 100, &lo) ||
	    spec_parse_u64(ps, key, dash ? trim(dash + 1) : s, 0, 100, &hi))
		return -EINVAL;
	if (lo > hi)
		return spec_perr(ps, "%s: the share range %d-%d is backwards", key, (int)lo,
				 (int)hi);
	f->lo = (int)lo;
	f->hi = (int)hi;
	return 0;
}

/* folklore: SHARES | what it says | MODELS - the common answer for a
 * range of cpu shares, which decision-matrix.md holds the measured
 * winner against. */
int spec_key_folklore(struct spec_parser *ps, const char *key, char **items, int n)
{
	struct spec_grid *g = ps->grid;
	struct spec_folklore f = { 0 }, *nv;
	char *part[3], *says, *at, **names = NULL;
	int nn, rc;

	(void)n;
	part[0] = items[0];
	part[1] = strchr(part[0], '|');
	part[2] = part[1] ? strchr(part[1] + 1, '|') : NULL;
	if (!part[2] || strchr(part[2] + 1, '|'))
		return spec_perr(ps, "%s: expected 'SHARES | what it says | MODELS'", key);
	*part[1]++ = '\0';
	*part[2]++ = '\0';
	says = trim(part[1]);
	if (!*says || strlen(says) >= sizeof(f.says))
		return spec_perr(ps, "%s: say something, in under %zu characters", key,
				 sizeof(f.says));
	snprintf(f.says, sizeof(f.says), "%s", says);
	at = strchr(part[0], '@');
	if (at) {
		*at++ = '\0';
		at = trim(at);
		if (spec_check_expr(ps, key, at, false))
			return -EINVAL;
		snprintf(f.at, sizeof(f.at), "%s", at);
	}
	if (folklore_shares(ps, key, part[0], &f))
		return -EINVAL;
	nn = spec_split(part[2], &names);
	if (nn <= 0) {
		free(names);
		return nn < 0 ? nn : spec_perr(ps, "%s: name the models it means", key);
	}
	rc = model_list(ps, key, names, nn, &f.models, &f.n_models);
	free(names);
	if (rc)
		return rc;
	nv = realloc(g->folklore, (g->n_folklore + 1) * sizeof(*nv));
	if (!nv) {
		free(f.models);
		return -ENOMEM;
	}
	g->folklore = nv;
	g->folklore[g->n_folklore++] = f;
	return 0;
}
