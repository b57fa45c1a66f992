/* python.c - the seed article's own programs as models: each is a program
 * in models/python/, run by the system python3 through the foreign runner
 * (foreign.c, protocol in models/python/README.md), so that CPython's
 * threads, processes and event loops are measured beside the C models on
 * the same workloads, against the same server, with the same checksums.
 * An entry here and a line in registry.c; the program does the rest. */
#include "foreign.h"

/* every program runs the timer through foreign_timer.py: time.sleep in a
 * thread or a pool's process, asyncio.sleep on a loop */
#define PY_MODEL                                                                                   \
	.foreign = true, .holds_wait = true, .open_loop = true, .run = foreign_run,                \
	.cpu_cost = foreign_cpu_cost, .check = foreign_check

const struct model_ops model_py_sequential = {
	.name = "py-sequential",
	.summary = "CPython: one task after another, blocking http.client",
	.label = "py-seq",
	.color = "#999999",
	.one_slot = true,
	.par = MODEL_PAR_ONE,
	.kind = MODEL_KIND_SEQUENTIAL,
	.program = "models/python/py_sequential.py",
	PY_MODEL,
};

/* The GIL: --concurrency threads wait on I/O together, but their CPU parts
 * run one at a time. */
const struct model_ops model_py_threads = {
	.name = "py-threads",
	.summary = "CPython: ThreadPoolExecutor(max_workers=C), blocking http.client",
	.label = "py-threads",
	.color = "#DDCC77",
	.par = MODEL_PAR_ONE,
	.kind = MODEL_KIND_THREADS,
	.program = "models/python/py_threads.py",
	PY_MODEL,
};

const struct model_ops model_py_processes = {
	.name = "py-processes",
	.summary = "CPython: multiprocessing.Pool(C) (--spawn fork|exec), imap_unordered",
	.label = "py-procs",
	.color = "#AA4499",
	.par = MODEL_PAR_SLOTS,
	.kind = MODEL_KIND_PROCESSES,
	.spawns = true,
	.program = "models/python/py_processes.py",
	PY_MODEL,
};

const struct model_ops model_py_asyncio = {
	.name = "py-asyncio",
	.summary = "CPython: asyncio streams, Semaphore(C) + gather, CPU inline on the loop",
	.label = "py-asyncio",
	.color = "#332288",
	.par = MODEL_PAR_ONE,
	.kind = MODEL_KIND_LOOP,
	.program = "models/python/py_asyncio.py",
	PY_MODEL,
};

const struct model_ops model_py_uvloop = {
	.name = "py-uvloop",
	.summary = "CPython: py-asyncio on uvloop's event loop policy",
	.label = "py-uvloop",
	.color = "#88CCEE",
	.par = MODEL_PAR_ONE,
	.kind = MODEL_KIND_LOOP,
	.program = "models/python/py_uvloop.py",
	PY_MODEL,
};

const struct model_ops model_py_asyncio_offload = {
	.name = "py-asyncio-offload",
	.summary = "CPython: py-asyncio, CPU parts to a ProcessPoolExecutor(--workers)",
	.label = "py-offload",
	.color = "#44AA99",
	.par = MODEL_PAR_WORKERS,
	.kind = MODEL_KIND_LOOP,
	.offload = true,
	.program = "models/python/py_asyncio_offload.py",
	PY_MODEL,
};

/* The seed's "asyncio + uvloop per process": W processes, each a uvloop
 * on its share of the tasks, beside eventloop-prefork. */
const struct model_ops model_py_uvloop_prefork = {
	.name = "py-uvloop-prefork",
	.summary = "CPython: --workers processes, each uvloop on its share of the tasks",
	.label = "py-uv/proc",
	.color = "#117733",
	.par = MODEL_PAR_WORKERS,
	.kind = MODEL_KIND_LOOP,
	.program = "models/python/py_uvloop_prefork.py",
	PY_MODEL,
};
