/* cells_csv.c - a csv file as a table of strings: the reader behind
 * results.csv, cells.csv and the spectra. No quoting: no field cmbench
 * writes holds a comma or a newline. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cells.h"
#include "setio.h"

/* Split one line at commas into a malloc'd array of fields. */
static char **split_fields(char *line, size_t *n)
{
	size_t count = 1, i = 0;
	char **f;

	for (char *p = line; *p; p++)
		count += *p == ',';
	f = malloc(count * sizeof(*f));
	if (!f)
		return NULL;
	f[i++] = line;
	for (char *p = line; *p; p++)
		if (*p == ',') {
			*p = '\0';
			f[i++] = p + 1;
		}
	*n = count;
	return f;
}

/* Keep a data row f of nf fields (or count it dropped). 0 or -ENOMEM. */
static int add_row(struct cells_csv *t, char **f, size_t nf, size_t *cap)
{
	char ***nr;

	if (nf != t->ncols) {
		free(f);
		t->dropped++;
		return 0;
	}
	if (t->nrows == *cap) {
		*cap = *cap ? 2 * *cap : 64;
		nr = realloc(t->rows, *cap * sizeof(*nr));
		if (!nr) {
			free(f);
			return -ENOMEM;
		}
		t->rows = nr;
	}
	t->rows[t->nrows++] = f;
	return 0;
}

int cells_csv_parse(char *text, struct cells_csv *t)
{
	char *line = text, *nl, **f;
	size_t cap = 0, nf;

	memset(t, 0, sizeof(*t));
	t->buf = text;
	for (; *line; line = nl ? nl + 1 : line + strlen(line)) {
		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		line[strcspn(line, "\r")] = '\0';
		if (!*line)
			continue;
		f = split_fields(line, &nf);
		if (!f)
			goto out_nomem;
		if (!t->hdr) {
			t->hdr = f;
			t->ncols = nf;
		} else if (add_row(t, f, nf, &cap)) {
			goto out_nomem;
		}
		if (!nl)
			break;
	}
	return 0;
out_nomem:
	cells_csv_free(t);
	return -ENOMEM;
}

int cells_csv_read(const char *path, struct cells_csv *t)
{
	char *text;
	int rc = setio_slurp(path, &text);

	if (rc) {
		memset(t, 0, sizeof(*t));
		return rc;
	}
	return cells_csv_parse(text, t);
}

void cells_csv_free(struct cells_csv *t)
{
	for (size_t i = 0; i < t->nrows; i++)
		free(t->rows[i]);
	free(t->rows);
	free(t->hdr);
	free(t->buf);
	memset(t, 0, sizeof(*t));
}

int cells_csv_col(const struct cells_csv *t, const char *name)
{
	for (size_t i = 0; i < t->ncols; i++)
		if (strcmp(t->hdr[i], name) == 0)
			return (int)i;
	return -1;
}
