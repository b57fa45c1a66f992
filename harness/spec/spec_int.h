/* spec_int.h - what the spec parser (spec_parse.c) and its key handlers
 * (spec_keys.c, spec_models.c) share. Not for use outside harness/spec/spec_*.c. */
#ifndef CMB_SPEC_INT_H
#define CMB_SPEC_INT_H

#include "spec.h"

struct spec_parser {
	const char *file; /* for messages */
	int line;	  /* the line being parsed */
	struct spec *spec;
	struct spec_grid *grid; /* the open grid, NULL before the first */
	unsigned global_seen;	/* bit per global key given */
	char *err;
	size_t errlen;
};

/* One line "file:line: problem" into err; returns -EINVAL. */
int spec_perr(struct spec_parser *ps, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

enum spec_key_scope { SPEC_GLOBAL, SPEC_GRID, SPEC_ANY /* global, or a grid's own */ };

struct spec_key {
	const char *name;	   /* as written in a spec, with its colon: "reps:" */
	enum spec_key_scope scope; /* before the first grid, or in one */
	bool whole;		   /* the value is one item: blanks are part of it */
	bool repeats;		   /* may be given more than once */
	/* items[0..n) are the value's items; 0 or -EINVAL / -ENOMEM */
	int (*fn)(struct spec_parser *ps, const char *key, char **items, int n);
};

/* The keys, and their count. The bit of key i in `seen` is 1u << i. */
extern const struct spec_key spec_keys[];
extern const size_t spec_nkeys;

/* Whether the closed grid g's stopping rule can honour its equivalence
 * margin (stop: ci at a ci: too wide cannot); 0 or -EINVAL, naming the
 * equiv: line. */
int spec_check_stop(struct spec_parser *ps, const struct spec_grid *g);
/* Open a new grid (the value of a `grid:` line). */
int spec_key_grid(struct spec_parser *ps, const char *key, char **items, int n);
/* The keys that name models (spec_models.c): models:, cpu_scale:, folklore:. */
int spec_key_models(struct spec_parser *ps, const char *key, char **items, int n);
int spec_key_cpu_scale(struct spec_parser *ps, const char *key, char **items, int n);
int spec_key_folklore(struct spec_parser *ps, const char *key, char **items, int n);
/* A whole number in [min, max] into *out, or -EINVAL said as the key's. */
int spec_parse_u64(struct spec_parser *ps, const char *key, const char *s, uint64_t min,
		   uint64_t max, uint64_t *out);
/* An expression's syntax checked now, with C = 1 (when c_ok) and nproc = 1:
 * 0, or -EINVAL said. */
int spec_check_expr(struct spec_parser *ps, const char *key, const char *s, bool c_ok);
/* Split value into items at blanks and commas outside parentheses, in
 * place, into a malloc'd array *items (the caller frees it). Returns the
 * count, or -ENOMEM. */
int spec_split(char *value, char ***items);

#endif
