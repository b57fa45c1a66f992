/* merge.c - `cmbench merge OUT DIR... [--force]`: join result sets (the
 * shards of one sweep) into one. results.csv gets every source's rows, a
 * (cell, rep) once; cells.csv is recomputed from them in the spec's order;
 * hyperfine exports and spectra are copied; meta.json names the sources.
 * Sets from different hosts are refused unless --force. OUT is locked
 * while it is written, like a sweep's set. */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sweep.h"
#include "../set/cells.h"
#include "../../lib/cmdutil.h"
#include "../set/meta.h"
#include "../set/setio.h"
#include "../spec/spec.h"

#define USAGE "usage: cmbench merge OUT DIR... [--force]"

struct source {
	const char *dir;	 /* the set */
	struct meta meta;	 /* its meta.json */
	struct cells_csv res;	 /* its results.csv */
	struct spec_cell *cells; /* its cells.csv parameters */
	size_t ncells;
};

static int load_source(struct source *s, const char *dir)
{
	char path[PATH_MAX];
	struct cells_csv t;
	int rc;

	s->dir = dir;
	setio_path(path, sizeof(path), dir, "meta.json");
	if (meta_read(path, &s->meta)) {
		cmd_say("merge", "%s: no readable meta.json; not a result set", dir);
		return -CMD_EUSAGE;
	}
	setio_path(path, sizeof(path), dir, "results.csv");
	if (cells_csv_read(path, &s->res)) {
		cmd_say("merge", "%s: cannot read", path);
		return -CMD_EUSAGE;
	}
	setio_path(path, sizeof(path), dir, "cells.csv");
	if (cells_csv_read(path, &t)) {
		cmd_say("merge", "%s: cannot read", path);
		return -CMD_EUSAGE;
	}
	rc = cells_params(&t, &s->cells, &s->ncells);
	cells_csv_free(&t);
	if (rc) {
		cmd_say("merge",
			"%s/cells.csv: not a cells table (a model or workload this cmbench "
			"lacks, or a cell id that is not a plain name)",
			dir);
		return -CMD_EUSAGE;
	}
	return 0;
}

static bool same_header(const struct cells_csv *a, const struct cells_csv *b)
{
	if (a->ncols != b->ncols)
		return false;
	for (size_t i = 0; i < a->ncols; i++)
		if (strcmp(a->hdr[i], b->hdr[i]) != 0)
			return false;
	return true;
}

/* The sources can be joined: one header, one host (or --force). */
static int check_sources(const struct source *src, size_t nsrc, bool force)
{
	for (size_t s = 1; s < nsrc; s++) {
		const struct meta *a = &src[0].meta, *b = &src[s].meta;

		if (strcmp(a->checksum_scheme, b->checksum_scheme) != 0) {
			cmd_say("merge",
				"%s (checksums by %s) and %s (by %s): the same work has different "
				"checksums in them, so their cells cannot be joined (even with "
				"--force); rerun the older set with this cmbench",
				src[0].dir, a->checksum_scheme, src[s].dir, b->checksum_scheme);
			return -CMD_EUSAGE;
		}
		if (!same_header(&src[0].res, &src[s].res)) {
			cmd_say("merge", "%s and %s: results.csv columns differ", src[0].dir,
				src[s].dir);
			return -CMD_EUSAGE;
		}
		if (strcmp(a->cpu_model, b->cpu_model) == 0 && a->cores == b->cores)
			continue;
		if (!force) {
			cmd_say("merge",
				"%s (%s, %d cores) and %s (%s, %d cores) come from different "
				"hosts; --force joins them anyway",
				src[0].dir, a->cpu_model, a->cores, src[s].dir, b->cpu_model,
				b->cores);
			return -CMD_EUSAGE;
		}
		cmd_say("merge", "warning: %s and %s come from different hosts", src[0].dir,
			src[s].dir);
	}
	return 0;
}

/* The position of each cell in the expansion of the first set's spec, so
 * the merged cells.csv lists cells in spec order; unknown ones go last. */
/* Returns how many cells the spec has (0 if it cannot be read), and in
 * *matched how many of them the merged cells hold. */
static size_t spec_order(const struct source *s, struct spec_cell *cells, size_t n, size_t *rank,
			 size_t *matched)
{
	struct spec spec;
	struct spec_cell *all = NULL;
	size_t nall = 0;
	char err[SPEC_ERR_MAX];

	*matched = 0;
	for (size_t i = 0; i < n; i++)
		rank[i] = SIZE_MAX / 2 + i;
	if (!s->meta.spec_text ||
	    spec_parse(s->meta.spec_file, s->meta.spec_text, &spec, err, sizeof(err)))
		return 0;
	if (spec_expand(&spec, s->meta.cores, &all, &nall, err, sizeof(err)) == 0)
		for (size_t i = 0; i < n; i++)
			for (size_t k = 0; k < nall; k++)
				if (strcmp(cells[i].id, all[k].id) == 0) {
					rank[i] = k;
					(*matched)++;
					break;
				}
	free(all);
	spec_free(&spec);
	return nall;
}

static void sort_by_rank(struct spec_cell *cells, size_t *rank, size_t n)
{
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && rank[j - 1] > rank[j]; j--) {
			struct spec_cell c = cells[j];
			size_t r = rank[j];

			cells[j] = cells[j - 1];
			rank[j] = rank[j - 1];
			cells[j - 1] = c;
			rank[j - 1] = r;
		}
}

/* Whether a (cell, rep) row of t was kept already; remembers it if not. */
static int seen_before(char ***seen, size_t *nseen, const char *cell, const char *rep)
{
	char key[SPEC_ID_MAX + 16], **ns;

	snprintf(key, sizeof(key), "%s,%s", cell, rep);
	for (size_t j = 0; j < *nseen; j++)
		if (strcmp((*seen)[j], key) == 0)
			return 1;
	ns = realloc(*seen, (*nseen + 1) * sizeof(*ns));
	if (!ns)
		return -ENOMEM;
	*seen = ns;
	ns[*nseen] = strdup(key);
	return ns[(*nseen)++] ? 0 : -ENOMEM;
}

struct rows_arg {
	const struct source *src; /* the sets */
	size_t nsrc;
};

/* The merged results.csv: every source's rows, a (cell, rep) once. */
static int put_rows(FILE *f, const void *arg)
{
	const struct rows_arg *a = arg;
	const struct cells_csv *h = &a->src[0].res;
	char **seen = NULL;
	size_t nseen = 0;
	int rc = 0;

	for (size_t k = 0; k < h->ncols; k++)
		fprintf(f, "%s%s", k ? "," : "", h->hdr[k]);
	fputc('\n', f);
	for (size_t s = 0; s < a->nsrc && rc >= 0; s++) {
		const struct cells_csv *t = &a->src[s].res;
		int ccell = cells_csv_col(t, "cell"), crep = cells_csv_col(t, "rep");

		for (size_t i = 0; ccell >= 0 && crep >= 0 && i < t->nrows && rc >= 0; i++) {
			rc = seen_before(&seen, &nseen, t->rows[i][ccell], t->rows[i][crep]);
			for (size_t k = 0; rc == 0 && k < t->ncols; k++)
				fprintf(f, "%s%s", k ? "," : "", t->rows[i][k]);
			if (rc == 0)
				fputc('\n', f);
		}
	}
	for (size_t j = 0; j < nseen; j++)
		free(seen[j]);
	free(seen);
	return rc < 0 ? rc : 0;
}

/* Copy a cell's hyperfine export and spectrum, where the source has them. */
static void copy_cell_files(const char *out, const char *from_dir, const char *id)
{
	static const char *const kinds[][2] = { { "hyperfine", "json" }, { "spectra", "csv" } };
	char from[PATH_MAX * 2], to[PATH_MAX * 2];

	for (size_t k = 0; k < 2; k++) {
		snprintf(from, sizeof(from), "%s/%s/%s.%s", from_dir, kinds[k][0], id, kinds[k][1]);
		snprintf(to, sizeof(to), "%s/%s/%s.%s", out, kinds[k][0], id, kinds[k][1]);
		if (access(from, R_OK) == 0)
			setio_copy(from, to);
	}
}

/* Every source's cells once, in spec order, their files copied into out. */
static int merge_cells(const char *out, struct source *src, size_t nsrc, struct spec_cell **cells,
		       size_t *ncells, size_t *nspec, size_t *matched)
{
	size_t total = 0, n = 0, *rank;
	struct spec_cell *v;

	for (size_t s = 0; s < nsrc; s++)
		total += src[s].ncells;
	v = calloc(total ? total : 1, sizeof(*v));
	rank = calloc(total ? total : 1, sizeof(*rank));
	if (!v || !rank) {
		free(v);
		free(rank);
		return -ENOMEM;
	}
	for (size_t s = 0; s < nsrc; s++)
		for (size_t i = 0; i < src[s].ncells; i++) {
			bool dup = false;

			for (size_t j = 0; j < n && !dup; j++)
				dup = strcmp(v[j].id, src[s].cells[i].id) == 0;
			if (dup)
				continue;
			v[n++] = src[s].cells[i];
			copy_cell_files(out, src[s].dir, src[s].cells[i].id);
		}
	*nspec = spec_order(&src[0], v, n, rank, matched);
	sort_by_rank(v, rank, n);
	free(rank);
	*cells = v;
	*ncells = n;
	return 0;
}

/* cells.csv of the merged set, recomputed from its results.csv. */
static int merge_summaries(const char *out, const struct spec_cell *cells, size_t n, unsigned reps,
			   unsigned *done, unsigned *failed)
{
	char path[PATH_MAX * 2];
	struct cells_csv res;
	struct cells_summary *sum;
	struct cells_hf hf;
	size_t k = 0;
	int rc, got = 0;

	setio_path(path, sizeof(path), out, "results.csv");
	if ((rc = cells_csv_read(path, &res)))
		return rc;
	sum = calloc(n ? n : 1, sizeof(*sum));
	for (size_t i = 0; sum && got >= 0 && i < n; i++) {
		snprintf(path, sizeof(path), "%s/hyperfine/%s.json", out, cells[i].id);
		got = cells_summarize(&cells[i], &res, cells_hf_read(path, &hf) == 0 ? &hf : NULL,
				      &sum[k]);
		if (got <= 0)
			continue;
		*done += sum[k].reps >= reps;
		*failed += sum[k].reps >= reps && !sum[k].ok;
		k++;
	}
	setio_path(path, sizeof(path), out, "cells.csv");
	rc = !sum ? -ENOMEM : got < 0 ? got : cells_write(path, sum, k);
	for (size_t i = 0; sum && i < n; i++)
		cells_summary_free(&sum[i]);
	free(sum);
	cells_csv_free(&res);
	return rc;
}

static int merge_meta(const char *out, struct source *src, size_t nsrc, size_t ncells,
		      unsigned done, unsigned failed)
{
	struct meta m = src[0].meta;
	char path[PATH_MAX], base[PATH_MAX];
	int rc;

	snprintf(base, sizeof(base), "%s", out);
	snprintf(m.run_id, sizeof(m.run_id), "%s", basename(base));
	snprintf(m.shard, sizeof(m.shard), "merged");
	m.sources = calloc(nsrc, sizeof(*m.sources));
	if (!m.sources)
		return -ENOMEM;
	m.nsources = nsrc;
	for (size_t s = 0; s < nsrc; s++) {
		size_t used = strlen(m.host);

		m.sources[s] = (char *)src[s].dir;
		if (s > 0 && src[s].meta.host[0] && !strstr(m.host, src[s].meta.host) &&
		    used + 2 + strlen(src[s].meta.host) < sizeof(m.host))
			snprintf(m.host + used, sizeof(m.host) - used, "; %s", src[s].meta.host);
		if (strcmp(src[s].meta.start_utc, m.start_utc) < 0)
			snprintf(m.start_utc, sizeof(m.start_utc), "%s", src[s].meta.start_utc);
		if (strcmp(src[s].meta.end_utc, m.end_utc) > 0)
			snprintf(m.end_utc, sizeof(m.end_utc), "%s", src[s].meta.end_utc);
	}
	m.cells_total = (unsigned)ncells;
	m.cells_done = done;
	m.cells_failed = failed;
	setio_path(path, sizeof(path), out, "meta.json");
	rc = meta_write(path, &m);
	free(m.sources);
	return rc;
}

struct merge {
	const char *out;    /* OUT */
	bool force;	    /* --force */
	struct source *src; /* the DIRs */
	size_t nsrc;
	struct spec_cell *cells; /* the merged cells, in spec order */
	size_t ncells;
	int lock_fd; /* holds OUT/.lock */
};

/* The flags, OUT and the sources; 0, 1 for --help, or -CMD_EUSAGE. */
static int parse_args(struct merge *mg, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "force", no_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	int c, rc = 0;

	optind = 0;
	while ((c = cmd_getopt("merge", argc, argv, "h", opts)) != -1) {
		if (c == 'h') {
			printf(USAGE
			       "\n  joins result sets (shards of one sweep) into OUT; --force "
			       "joins sets from different hosts\n");
			return 1;
		}
		if (c != 'f')
			return -CMD_EUSAGE;
		mg->force = true;
	}
	if (argc - optind < 2) {
		cmd_say("merge", USAGE);
		return -CMD_EUSAGE;
	}
	mg->out = argv[optind++];
	mg->src = calloc((size_t)(argc - optind), sizeof(*mg->src));
	if (!mg->src)
		return -ENOMEM;
	while (rc == 0 && optind < argc)
		rc = load_source(&mg->src[mg->nsrc++], argv[optind++]);
	return rc;
}

/* Create and lock OUT, which must not hold a set yet. */
static int open_out(struct merge *mg)
{
	char path[PATH_MAX];
	int rc;

	if (!setio_path_safe(mg->out)) {
		cmd_say("merge",
			"%s: quotes, backquotes, backslashes, $ and control characters "
			"are not allowed in the set's path",
			mg->out);
		return -CMD_EUSAGE;
	}
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s%s", mg->out,
			 i == 0	  ? ""
			 : i == 1 ? "/hyperfine"
				  : "/spectra");
		if ((rc = setio_mkdir_p(path))) {
			cmd_say("merge", "cannot create %s: %s", path, strerror(-rc));
			return rc;
		}
	}
	mg->lock_fd = setio_lock(mg->out);
	if (mg->lock_fd < 0) {
		cmd_say("merge", "%s is in use by another sweep or merge (it holds %s/.lock)",
			mg->out, mg->out);
		return -CMD_EUSAGE;
	}
	setio_path(path, sizeof(path), mg->out, "results.csv");
	if (setio_nonempty(path)) {
		cmd_say("merge", "%s already holds a result set", mg->out);
		return -CMD_EUSAGE;
	}
	return 0;
}

/* The sources' ceiling.csv rows (cmbench ceiling), the header once. */
static int put_ceiling(FILE *f, const void *arg)
{
	const struct rows_arg *a = arg;
	char path[PATH_MAX], *text, *body;
	bool header = false;

	for (size_t s = 0; s < a->nsrc; s++) {
		setio_path(path, sizeof(path), a->src[s].dir, "ceiling.csv");
		if (setio_slurp(path, &text) != 0)
			continue;
		body = strchr(text, '\n');
		if (body && !header) {
			fwrite(text, 1, (size_t)(body + 1 - text), f);
			header = true;
		}
		if (body && body[1]) {
			char *end = strrchr(body + 1, '\n'); /* whole lines only */

			if (end)
				fwrite(body + 1, 1, (size_t)(end + 1 - (body + 1)), f);
		}
		free(text);
	}
	return ferror(f) ? -EIO : 0;
}

/* The merged set's files. */
static int write_set(struct merge *mg)
{
	struct rows_arg rows = { mg->src, mg->nsrc };
	unsigned done = 0, failed = 0;
	size_t nspec = 0, matched = 0;
	char path[PATH_MAX];
	bool ceiling = false;
	int rc;

	setio_path(path, sizeof(path), mg->out, "results.csv");
	rc = setio_replace(path, put_rows, &rows);
	if (rc == 0)
		rc = merge_cells(mg->out, mg->src, mg->nsrc, &mg->cells, &mg->ncells, &nspec,
				 &matched);
	if (rc == 0)
		rc = merge_summaries(mg->out, mg->cells, mg->ncells, mg->src[0].meta.reps, &done,
				     &failed);
	if (rc == 0)
		rc = merge_meta(mg->out, mg->src, mg->nsrc,
				nspec > matched ? mg->ncells + nspec - matched : mg->ncells, done,
				failed);
	for (size_t s = 0; s < mg->nsrc; s++) {
		setio_path(path, sizeof(path), mg->src[s].dir, "ceiling.csv");
		ceiling |= setio_nonempty(path);
	}
	setio_path(path, sizeof(path), mg->out, "ceiling.csv");
	if (rc == 0 && ceiling)
		rc = setio_replace(path, put_ceiling, &rows);
	if (rc) {
		cmd_say("merge", "cannot write the set %s: %s", mg->out, strerror(-rc));
		return rc;
	}
	fprintf(stderr, "cmbench merge: %zu sets, %zu cells (%u done, %u failed) into %s\n",
		mg->nsrc, mg->ncells, done, failed, mg->out);
	if (nspec > matched) {
		/* a shard that failed, or never came back: its cells are not
		 * lost, the merged set knows its spec and --resume runs them */
		cmd_say("merge",
			"%zu of the spec's %zu cells are in no source (a shard failed or did not "
			"come back); they are marked for --resume: cmbench sweep %s -o %s --resume",
			nspec - matched, nspec, mg->src[0].meta.spec_file, mg->out);
		return -CMD_EFAILED;
	}
	return 0;
}

int merge_main(int argc, char **argv)
{
	struct merge mg = { .lock_fd = -1 };
	int rc;

	signal(SIGXFSZ, SIG_IGN); /* past a file size limit: EFBIG, said */
	rc = parse_args(&mg, argc, argv);
	if (rc == 0)
		rc = check_sources(mg.src, mg.nsrc, mg.force);
	if (rc == 0)
		rc = open_out(&mg);
	if (rc == 0)
		rc = write_set(&mg);
	for (size_t s = 0; s < mg.nsrc; s++) {
		meta_free(&mg.src[s].meta);
		cells_csv_free(&mg.src[s].res);
		free(mg.src[s].cells);
	}
	if (mg.lock_fd >= 0)
		close(mg.lock_fd);
	free(mg.cells);
	free(mg.src);
	return rc == 1 ? 0 : cmd_exit(rc);
}
