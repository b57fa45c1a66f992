/* meta_json.c - meta.json read and written with libjansson. The keys stay
 * in the order below, one per line, so the file reads well as it is. */
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "meta.h"
#include "setio.h"
#include "../../lib/stats.h"

/* ---- writing ------------------------------------------------------------- */

static int set(json_t *o, const char *key, json_t *v)
{
	return v ? json_object_set_new(o, key, v) : -1;
}

static int set_str(json_t *o, const char *key, const char *s)
{
	return set(o, key, json_string(s ? s : ""));
}

static int set_num(json_t *o, const char *key, uint64_t v)
{
	return set(o, key, json_integer((json_int_t)v));
}

static json_t *sources_json(const struct meta *m)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < m->nsources; i++)
		if (json_array_append_new(a, json_string(m->sources[i])) != 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}

static json_t *calibration_json(const struct meta *m)
{
	return json_pack("{sIsI}", "ref_us", (json_int_t)m->cal_ref_us, "ref_iters",
			 (json_int_t)m->cal_ref_iters);
}

static json_t *levels_json(const struct meta *m)
{
	json_t *o = json_object();
	char key[32];

	for (size_t i = 0; o && i < m->nlevels; i++) {
		snprintf(key, sizeof(key), "%" PRIu64 "us", m->level_us[i]);
		if (set_num(o, key, m->level_iters[i])) {
			json_decref(o);
			return NULL;
		}
	}
	return o;
}

/* The sweep's keys; returns the number of failures. */
static int put_sweep(json_t *o, const struct meta *m)
{
	int bad = set_str(o, "run_id", m->run_id) + set_str(o, "spec_name", m->spec_name) +
		  set_str(o, "spec_file", m->spec_file) + set_str(o, "spec_text", m->spec_text) +
		  set_str(o, "shard", m->shard);

	if (m->nsources)
		bad += set(o, "sources", sources_json(m));
	bad += set_num(o, "reps_max", m->reps_max) + set(o, "ci_pct", json_real(m->ci_pct)) +
	       set_num(o, "seed", (double)m->seed);
	bad += set_str(o, "cmbench", m->cmbench) + set_num(o, "reps", m->reps) +
	       set_num(o, "warmup", m->warmup) + set_num(o, "cells_total", m->cells_total) +
	       set_num(o, "cells_done", m->cells_done) +
	       set_num(o, "cells_failed", m->cells_failed) +
	       set(o, "cpu_calibration", calibration_json(m)) +
	       set(o, "cpu_iters", levels_json(m)) + set_str(o, "start_utc", m->start_utc);
	bad += m->end_utc[0] ? set_str(o, "end_utc", m->end_utc) : set(o, "end_utc", json_null());
	return bad;
}

/* The host's, the build's and the tools' keys; the number of failures. */
static int put_host(json_t *o, const struct meta *m)
{
	return set_str(o, "host", m->host) + set_str(o, "cpu_model", m->cpu_model) +
	       set_num(o, "cores", (uint64_t)m->cores) +
	       set_num(o, "cores_online", (uint64_t)m->cores_online) +
	       set_str(o, "kernel", m->kernel) + set_str(o, "clocksource", m->clocksource) +
	       set_str(o, "hypervisor", m->hypervisor) +
	       set_str(o, "transparent_hugepages", m->thp) +
	       set_str(o, "cpu_mitigations", m->mitigations) +
	       set_str(o, "cpu_governor", m->governor) +
	       set_str(o, "overcommit_memory", m->overcommit) +
	       set_str(o, "rlimit_nofile", m->nofile) + set_str(o, "rlimit_stack", m->stack) +
	       set_str(o, "compiler", m->compiler) + set_str(o, "cflags", m->cflags) +
	       set_str(o, "libuv", m->libuv) + set_str(o, "hyperfine", m->hyperfine) +
	       set_str(o, "gnuplot", m->gnuplot) + set_str(o, "git_rev", m->git_rev) +
	       set(o, "git_dirty", json_boolean(m->git_dirty)) + set_str(o, "note", m->note) +
	       set_str(o, "checksum_scheme", m->checksum_scheme);
}

static int put_meta(FILE *f, const void *arg)
{
	const struct meta *m = arg;
	json_t *o = json_object();
	char *text = NULL;
	int rc = -ENOMEM;

	if (o && put_sweep(o, m) == 0 && put_host(o, m) == 0)
		text = json_dumps(o, JSON_INDENT(2));
	if (text && fprintf(f, "%s\n", text) >= 0)
		rc = 0;
	free(text);
	json_decref(o);
	return rc;
}

int meta_write(const char *path, const struct meta *m)
{
	return setio_replace(path, put_meta, m);
}

/* ---- reading ------------------------------------------------------------- */

static void get_str(json_t *o, const char *key, char *buf, size_t len)
{
	const char *s = json_string_value(json_object_get(o, key));

	snprintf(buf, len, "%s", s ? s : "");
}

static uint64_t get_num(json_t *o, const char *key)
{
	json_int_t v = json_integer_value(json_object_get(o, key));

	return v > 0 ? (uint64_t)v : 0;
}

static char *get_dup(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? strdup(s) : NULL;
}

static void get_levels(json_t *o, struct meta *m)
{
	json_t *cal = json_object_get(o, "cpu_calibration"), *v;
	const char *key;
	char *end;

	m->cal_ref_us = get_num(cal, "ref_us");
	m->cal_ref_iters = get_num(cal, "ref_iters");
	json_object_foreach(json_object_get(o, "cpu_iters"), key, v)
	{
		uint64_t us = strtoull(key, &end, 10);

		if (m->nlevels == META_LEVELS || strcmp(end, "us") != 0 || !json_is_integer(v))
			continue;
		m->level_us[m->nlevels] = us;
		m->level_iters[m->nlevels++] = (uint64_t)json_integer_value(v);
	}
}

static int get_sources(json_t *o, struct meta *m)
{
	json_t *a = json_object_get(o, "sources"), *v;
	size_t i;

	if (!json_array_size(a))
		return 0;
	m->sources = calloc(json_array_size(a), sizeof(*m->sources));
	if (!m->sources)
		return -ENOMEM;
	json_array_foreach(a, i, v)
	{
		const char *s = json_string_value(v);

		m->sources[m->nsources] = strdup(s ? s : "");
		if (!m->sources[m->nsources++])
			return -ENOMEM;
	}
	return 0;
}

static void get_sweep(json_t *o, struct meta *m)
{
	get_str(o, "run_id", m->run_id, sizeof(m->run_id));
	get_str(o, "spec_name", m->spec_name, sizeof(m->spec_name));
	get_str(o, "spec_file", m->spec_file, sizeof(m->spec_file));
	m->spec_text = get_dup(o, "spec_text");
	get_str(o, "shard", m->shard, sizeof(m->shard));
	get_str(o, "cmbench", m->cmbench, sizeof(m->cmbench));
	m->reps = (unsigned)get_num(o, "reps");
	m->warmup = (unsigned)get_num(o, "warmup");
	m->reps_max = (unsigned)get_num(o, "reps_max");
	m->ci_pct = json_number_value(json_object_get(o, "ci_pct"));
	m->seed = (uint64_t)get_num(o, "seed");
	m->cells_total = (unsigned)get_num(o, "cells_total");
	m->cells_done = (unsigned)get_num(o, "cells_done");
	m->cells_failed = (unsigned)get_num(o, "cells_failed");
	get_levels(o, m);
	get_str(o, "start_utc", m->start_utc, sizeof(m->start_utc));
	get_str(o, "end_utc", m->end_utc, sizeof(m->end_utc));
}

static void get_host(json_t *o, struct meta *m)
{
	get_str(o, "host", m->host, sizeof(m->host));
	get_str(o, "cpu_model", m->cpu_model, sizeof(m->cpu_model));
	m->cores = (int)get_num(o, "cores");
	m->cores_online = (int)get_num(o, "cores_online");
	get_str(o, "kernel", m->kernel, sizeof(m->kernel));
	get_str(o, "clocksource", m->clocksource, sizeof(m->clocksource));
	get_str(o, "hypervisor", m->hypervisor, sizeof(m->hypervisor));
	get_str(o, "transparent_hugepages", m->thp, sizeof(m->thp));
	get_str(o, "cpu_mitigations", m->mitigations, sizeof(m->mitigations));
	get_str(o, "cpu_governor", m->governor, sizeof(m->governor));
	get_str(o, "overcommit_memory", m->overcommit, sizeof(m->overcommit));
	get_str(o, "rlimit_nofile", m->nofile, sizeof(m->nofile));
	get_str(o, "rlimit_stack", m->stack, sizeof(m->stack));
	get_str(o, "compiler", m->compiler, sizeof(m->compiler));
	get_str(o, "cflags", m->cflags, sizeof(m->cflags));
	get_str(o, "libuv", m->libuv, sizeof(m->libuv));
	get_str(o, "hyperfine", m->hyperfine, sizeof(m->hyperfine));
	get_str(o, "gnuplot", m->gnuplot, sizeof(m->gnuplot));
	get_str(o, "git_rev", m->git_rev, sizeof(m->git_rev));
	m->git_dirty = json_is_true(json_object_get(o, "git_dirty"));
	get_str(o, "note", m->note, sizeof(m->note));
	get_str(o, "checksum_scheme", m->checksum_scheme, sizeof(m->checksum_scheme));
	if (!m->checksum_scheme[0]) /* a set from before the key */
		snprintf(m->checksum_scheme, sizeof(m->checksum_scheme), "%s", CHECKSUM_SCHEME_OLD);
}

int meta_read(const char *path, struct meta *m)
{
	json_error_t jerr;
	json_t *o;
	int rc;

	memset(m, 0, sizeof(*m));
	o = json_load_file(path, 0, &jerr);
	if (!o)
		return json_error_code(&jerr) == json_error_cannot_open_file ? -ENOENT : -EINVAL;
	if (!json_is_object(o) || !json_is_string(json_object_get(o, "run_id"))) {
		json_decref(o);
		return -EINVAL;
	}
	get_sweep(o, m);
	get_host(o, m);
	rc = get_sources(o, m);
	json_decref(o);
	if (rc)
		meta_free(m);
	return rc;
}

void meta_free(struct meta *m)
{
	for (size_t i = 0; i < m->nsources; i++)
		free(m->sources[i]);
	free(m->sources);
	free(m->spec_text);
	m->sources = NULL;
	m->nsources = 0;
	m->spec_text = NULL;
}
