/* sweep_rows.c - a cell's measured rows, from its scratch file (each run
 * of `cmbench run --append` wrote one) to results.csv in one write, all of
 * them or none: the last reps rows, a failure row for a run that left
 * none, and a stop when the binary writes other columns than the set's. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../result.h"
#include "../set/cells.h"
#include "../../lib/cmdutil.h"
#include "../set/setio.h"
#include "sweep.h"

/* The row of a trial that left none (its run died): the parameters, with
 * nothing completed, so the cell reads as failed. */
static int failure_row(FILE *f, const struct spec_cell *c, int cores)
{
	struct result_row r;

	result_params(&c->cfg, &r);
	snprintf(r.checksum, sizeof(r.checksum), "%s", "0000000000000000");
	snprintf(r.libuv, sizeof(r.libuv), "%s", "none");
	r.cores = cores;
	result_csv_row(f, &r);
	return 0;
}

/* Whether a run's csv (the scratch file) has the run columns of results.csv. */
static bool same_columns(const struct cells_csv *t)
{
	char *hdr = sweep_results_header(), *p;
	size_t len;
	bool same = hdr != NULL;

	p = hdr ? hdr + strlen("cell,rep,") : NULL;
	for (size_t k = 0; same && k < t->ncols; k++) {
		len = strlen(t->hdr[k]);
		same = strncmp(p, t->hdr[k], len) == 0 && p[len] == (k + 1 < t->ncols ? ',' : '\n');
		p += len + 1;
	}
	free(hdr);
	return same;
}

/* The cell's results.csv rows: the last reps rows of the scratch table
 * (the first ones are the warm-ups); a trial that left no row gets a
 * failure row. */
static void put_rows(FILE *m, const struct sweep *sw, const struct spec_cell *c,
		     const struct cells_csv *t)
{
	unsigned reps = c->reps;
	unsigned have = t->nrows < reps ? (unsigned)t->nrows : reps, missing = reps - have;
	size_t from = t->nrows - have;

	for (unsigned r = 1; r <= reps; r++) {
		fprintf(m, "%s,%u,", c->id, r);
		if (r <= missing) {
			failure_row(m, c, sw->meta.cores);
		} else {
			char **f = t->rows[from + r - 1 - missing];

			for (size_t k = 0; k < t->ncols; k++)
				fprintf(m, "%s%s", k ? "," : "", f[k]);
		}
		fputc('\n', m);
	}
}

int sweep_keep_rows(struct sweep *sw, const struct spec_cell *c, const char *scratch)
{
	char path[PATH_MAX], *buf = NULL;
	size_t len = 0;
	struct cells_csv t;
	FILE *m;
	int fd, rc;

	if (cells_csv_read(scratch, &t) != 0)
		memset(&t, 0, sizeof(t));
	if (t.hdr && !same_columns(&t)) {
		cmd_say("sweep", "%s writes other columns than results.csv has; stopping",
			sw->cmbench);
		cells_csv_free(&t);
		return -CMD_EUSAGE;
	}
	m = open_memstream(&buf, &len);
	if (m) {
		put_rows(m, sw, c, &t);
		fclose(m);
	}
	cells_csv_free(&t);
	setio_path(path, sizeof(path), sw->dir, "results.csv");
	fd = buf ? open(path, O_WRONLY | O_APPEND | O_CLOEXEC) : -1;
	rc = !buf ? -ENOMEM : fd < 0 ? -errno : setio_append(fd, buf, len);
	if (fd >= 0)
		close(fd);
	if (rc)
		cmd_say("sweep", "cannot append to %s: %s", path, strerror(-rc));
	free(buf);
	return rc;
}
