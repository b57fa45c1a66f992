/* hyperfine.c - read what hyperfine measured for a cell from its
 * --export-json file: the wall time and exit status of every measured
 * run (results[0].times and results[0].exit_codes); and the exports of a
 * cell's rounds (one hyperfine run each) merged into one. */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cells.h"
#include "setio.h"

/* The numbers of a JSON array into v (at most max); null reads as -1. */
static size_t numbers(json_t *arr, double *v, size_t max)
{
	size_t i, n = 0;
	json_t *x;

	json_array_foreach(arr, i, x)
	{
		if (n == max)
			break;
		if (json_is_number(x))
			v[n++] = json_number_value(x);
		else if (json_is_null(x))
			v[n++] = -1;
	}
	return n;
}

int cells_hf_parse(const char *json, struct cells_hf *hf)
{
	double codes[CELLS_MAX_REPS];
	json_t *root, *res;

	memset(hf, 0, sizeof(*hf));
	root = json_loads(json, 0, NULL);
	if (!root)
		return -EINVAL;
	res = json_array_get(json_object_get(root, "results"), 0);
	hf->ntimes = numbers(json_object_get(res, "times"), hf->times, CELLS_MAX_REPS);
	hf->ncodes = numbers(json_object_get(res, "exit_codes"), codes, CELLS_MAX_REPS);
	for (size_t i = 0; i < hf->ncodes; i++)
		hf->codes[i] = (int)codes[i];
	json_decref(root);
	return hf->ntimes ? 0 : -EINVAL;
}

int cells_hf_read(const char *path, struct cells_hf *hf)
{
	char *text;
	int rc = setio_slurp(path, &text);

	if (rc) {
		memset(hf, 0, sizeof(*hf));
		return rc;
	}
	rc = cells_hf_parse(text, hf);
	free(text);
	return rc;
}

/* Append the array member key of src to that of dst (both results[0]). */
static void extend(json_t *dst, json_t *src, const char *key)
{
	json_t *a = json_object_get(dst, key), *b = json_object_get(src, key);

	if (json_is_array(a) && json_is_array(b))
		json_array_extend(a, b);
}

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return (a > b) - (a < b);
}

/* mean, median, min, max and stddev of the merged times again. */
static void restate(json_t *res)
{
	struct cells_hf hf;
	json_t *t = json_object_get(res, "times");
	double sum = 0, ss = 0, mean;
	size_t i, n;
	json_t *x;

	memset(&hf, 0, sizeof(hf));
	json_array_foreach(t, i, x)
	{
		if (hf.ntimes < CELLS_MAX_REPS && json_is_number(x))
			hf.times[hf.ntimes++] = json_number_value(x);
	}
	n = hf.ntimes;
	if (n == 0)
		return;
	for (i = 0; i < n; i++)
		sum += hf.times[i];
	mean = sum / (double)n;
	for (i = 0; i < n; i++)
		ss += (hf.times[i] - mean) * (hf.times[i] - mean);
	qsort(hf.times, n, sizeof(double), cmp_double);
	json_object_set_new(res, "mean", json_real(mean));
	json_object_set_new(
		res, "median",
		json_real(n % 2 ? hf.times[n / 2] : (hf.times[n / 2 - 1] + hf.times[n / 2]) / 2));
	json_object_set_new(res, "min", json_real(hf.times[0]));
	json_object_set_new(res, "max", json_real(hf.times[n - 1]));
	json_object_set_new(res, "stddev",
			    n > 1 ? json_real(sqrt(ss / (double)(n - 1))) : json_null());
}

static int put_text(FILE *f, const void *arg)
{
	fputs(arg, f);
	fputc('\n', f);
	return ferror(f) ? -EIO : 0;
}

/* The result of command name in an export, or NULL; *pos its place in
 * the export (hyperfine lists the commands in the order it ran them). */
static json_t *result_named(json_t *o, const char *name, size_t *pos)
{
	json_t *arr = json_object_get(o, "results"), *r;
	size_t i;

	json_array_foreach(arr, i, r)
	{
		const char *c = json_string_value(json_object_get(r, "command"));

		if (c && strcmp(c, name) == 0) {
			*pos = i;
			return r;
		}
	}
	return NULL;
}

int cells_hf_merge(const char *const *paths, size_t n, const char *name, const char *out)
{
	json_t *root = NULL, *res = NULL, *order = json_array();
	char *text;
	int rc = 0;

	for (size_t i = 0; i < n; i++) {
		json_t *o = json_load_file(paths[i], 0, NULL);
		size_t pos = 0;
		json_t *r = result_named(o, name, &pos);

		if (r)
			json_array_append_new(order, json_integer((json_int_t)pos));
		if (!r) { /* a round whose hyperfine left nothing: its rows say so */
			json_decref(o);
			continue;
		}
		if (!root) { /* the export of this cell alone: its result only */
			root = json_object();
			res = json_deep_copy(r);
			json_object_set_new(root, "results", json_array());
			json_array_append_new(json_object_get(root, "results"), res);
			json_decref(o);
			continue;
		}
		extend(res, r, "times");
		extend(res, r, "exit_codes");
		extend(res, r, "user_times");
		extend(res, r, "system_times");
		json_decref(o);
	}
	if (!root) {
		json_decref(order);
		return -ENOENT;
	}
	restate(res);
	json_object_set_new(root, "rounds", json_integer((json_int_t)n));
	/* where the cell ran in each round's shuffled order (0: first) */
	json_object_set_new(root, "round_positions", order);
	text = json_dumps(root, JSON_INDENT(2));
	json_decref(root);
	if (!text)
		return -ENOMEM;
	rc = setio_replace(out, put_text, text);
	free(text);
	return rc;
}
