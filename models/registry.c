/* registry.c - the table of models; `cmbench list` prints it. Adding a
 * model is one file in models/, its extern and its entry here. */
#include <string.h>

#include "model.h"
#include "../workloads/workload.h"

/* each model file exports one of these */
extern const struct model_ops model_sequential;
extern const struct model_ops model_eventloop;
extern const struct model_ops model_eventloop_offload;
extern const struct model_ops model_threadpool;
extern const struct model_ops model_forkpool;
extern const struct model_ops model_py_sequential;
extern const struct model_ops model_py_threads;
extern const struct model_ops model_py_processes;
extern const struct model_ops model_py_asyncio;
extern const struct model_ops model_py_uvloop;
extern const struct model_ops model_py_asyncio_offload;
extern const struct model_ops model_py_uvloop_prefork;
extern const struct model_ops model_thread_per_task;
extern const struct model_ops model_process_per_task;
extern const struct model_ops model_eventloop_prefork;
#ifdef CMB_FIXTURES /* the fixture build only (tests/fixtures/src/) */
extern const struct model_ops model_fixture;
#endif

const struct model_ops *const model_table[] = {
	&model_sequential,
	&model_eventloop,
	&model_eventloop_offload,
	&model_threadpool,
	&model_forkpool,
	&model_thread_per_task,
	&model_process_per_task,
	&model_eventloop_prefork,
	/* foreign: the seed's Python programs (python.c, models/python/) */
	&model_py_sequential,
	&model_py_threads,
	&model_py_processes,
	&model_py_asyncio,
	&model_py_uvloop,
	&model_py_asyncio_offload,
	&model_py_uvloop_prefork,
#ifdef CMB_FIXTURES
	&model_fixture,
#endif
	NULL,
};

const struct model_ops *model_find(const char *name)
{
	for (size_t i = 0; model_table[i]; i++)
		if (strcmp(model_table[i]->name, name) == 0)
			return model_table[i];
	return NULL;
}

uint64_t model_cpu_lanes(const struct model_ops *m, uint64_t concurrency, uint64_t workers)
{
	switch (m->par) {
	case MODEL_PAR_WORKERS:
		return workers < concurrency ? workers : concurrency;
	case MODEL_PAR_SLOTS:
		return concurrency;
	default:
		return 1;
	}
}

uint64_t model_worker_stats(const struct model_ops *m, const struct run_cfg *cfg)
{
	switch (m->wstats) {
	case MODEL_WSTATS_SLOTS:
		return cfg->concurrency;
	case MODEL_WSTATS_WORKERS:
		return cfg->workers < cfg->concurrency ? cfg->workers : cfg->concurrency;
	default:
		return 0;
	}
}

uint64_t model_tasks_per_process(const struct model_ops *m, const struct run_cfg *cfg)
{
	uint64_t w = model_worker_stats(m, cfg);

	if (m->kind == MODEL_KIND_PROCESSES)
		return cfg->concurrency ? 1 : 0;
	/* a loop per worker process, each on its share (one more for the first) */
	if (m->kind == MODEL_KIND_LOOP && m->wstats == MODEL_WSTATS_WORKERS && w > 0)
		return (cfg->concurrency + w - 1) / w;
	return cfg->concurrency;
}

bool model_takes(const struct model_ops *m, const struct workload_ops *w)
{
	if (!m->foreign || w->family != WL_FAMILY_OTHER)
		return true;
	return m->holds_wait && w->hold_flag && !w->does_io && !w->does_cpu && !w->blocking_only &&
	       !w->service;
}
