/* hyperfine.c - read what hyperfine measured for a cell from its
 * --export-json file: the wall time and exit status of every measured
 * run (results[0].times and results[0].exit_codes). */
#include <errno.h>
#include <jansson.h>
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
