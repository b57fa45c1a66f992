/* py_servers.c - the seed's Python services as server models: each is a
 * program in models/python/ (srv_*.py) on Debian's packages, run by the
 * system python3 through the foreign server runner (foreign_srv.c; the
 * protocol in models/python/README.md), answering the load generator
 * with the same handler workloads and checksums as the C server models.
 * An entry here and a line in registry.c; the program does the rest.
 * The kind says which libraries fit a handler (models/foreign.c): a loop's
 * handlers are `async def` (aiohttp, httpx.AsyncClient, asyncpg), the
 * others' are plain functions (requests, psycopg2). */
#include "../foreign.h"
#include "foreign_srv.h"

#define PY_SERVER                                                                                  \
	.foreign = true, .open_loop = true, .run = foreign_serve, .cpu_cost = foreign_cpu_cost,    \
	.check = foreign_check

const struct server_ops server_py_asyncio = {
	.base = {
		.name = "py-asyncio-server",
		.summary = "CPython: asyncio.start_server, a coroutine per connection",
		.label = "py-aio-srv",
		.color = "#332288",
		.par = MODEL_PAR_ONE,
		.kind = MODEL_KIND_LOOP,
		.program = "models/python/srv_asyncio.py",
		PY_SERVER,
	},
	.queue = "connections wait in the listen backlog; requests on the one loop",
};

const struct server_ops server_py_uvloop = {
	.base = {
		.name = "py-uvloop-server",
		.summary = "CPython: py-asyncio-server on uvloop's event loop policy",
		.label = "py-uv-srv",
		.color = "#88CCEE",
		.par = MODEL_PAR_ONE,
		.kind = MODEL_KIND_LOOP,
		.program = "models/python/srv_asyncio.py",
		PY_SERVER,
	},
	.queue = "connections wait in the listen backlog; requests on the one loop",
};

const struct server_ops server_py_aiohttp_web = {
	.base = {
		.name = "py-aiohttp-web",
		.summary = "CPython: aiohttp.web, an async def handler on asyncio's loop",
		.label = "py-aiohttp",
		.color = "#117733",
		.par = MODEL_PAR_ONE,
		.kind = MODEL_KIND_LOOP,
		.program = "models/python/srv_aiohttp.py",
		PY_SERVER,
	},
	.queue = "connections wait in the listen backlog; requests on the one loop",
};

/* the seed: "every route handler you declare as async def is executed
 * directly on the event loop" */
const struct server_ops server_py_fastapi = {
	.base = {
		.name = "py-fastapi",
		.summary = "CPython: FastAPI on one Uvicorn worker (h11, uvloop), an async def route",
		.label = "py-fastapi",
		.color = "#44AA99",
		.par = MODEL_PAR_ONE,
		.kind = MODEL_KIND_LOOP,
		.program = "models/python/srv_fastapi.py",
		PY_SERVER,
	},
	.queue = "connections wait in the listen backlog; requests on the one loop",
};

/* the seed: "handlers declared as plain def are offloaded to a thread
 * pool": Starlette's run_in_threadpool, anyio's default limiter of 40
 * threads (--threads T changes it) */
const struct server_ops server_py_fastapi_def = {
	.base = {
		.name = "py-fastapi-def",
		.summary = "CPython: the py-fastapi route as def, on anyio's pool (40; --threads T)",
		.label = "py-fastapi-def",
		.color = "#DDCC77",
		.par = MODEL_PAR_ONE,
		.kind = MODEL_KIND_THREADS,
		.offload = true,
		.program = "models/python/srv_fastapi.py",
		PY_SERVER,
	},
	.queue = "requests wait for one of anyio's limiter tokens (40, or --threads)",
};

/* the seed's multi-core row: "asyncio + uvloop per process, behind a load
 * balancer: Gunicorn + Uvicorn workers" */
const struct server_ops server_py_gunicorn_uvicorn = {
	.base = {
		.name = "py-gunicorn-uvicorn",
		.summary = "CPython: Gunicorn, --workers Uvicorn workers, the py-fastapi route",
		.label = "py-gunicorn-uv",
		.color = "#CC6677",
		.par = MODEL_PAR_WORKERS,
		.kind = MODEL_KIND_LOOP,
		.program = "models/python/srv_gunicorn.py",
		PY_SERVER,
	},
	.queue = "the workers' loops accept on Gunicorn's one shared listener",
};

const struct server_ops server_py_gunicorn_sync = {
	.base = {
		.name = "py-gunicorn-sync",
		.summary = "CPython: Gunicorn's sync workers (--workers), a WSGI app; closes",
		.label = "py-gunicorn-sync",
		.color = "#AA4499",
		.par = MODEL_PAR_WORKERS,
		.kind = MODEL_KIND_PROCESSES,
		.program = "models/python/srv_gunicorn.py",
		PY_SERVER,
	},
	.closes = true,
	.queue = "each worker blocks in accept() on the shared listener, one request at a time",
};

const struct server_ops server_py_gunicorn_gthread = {
	.base = {
		.name = "py-gunicorn-gthread",
		.summary = "CPython: Gunicorn's gthread workers (--workers x --threads, 1), WSGI",
		.label = "py-gunicorn-gthr",
		.color = "#882255",
		.par = MODEL_PAR_WORKERS,
		.kind = MODEL_KIND_THREADS,
		.program = "models/python/srv_gunicorn.py",
		PY_SERVER,
	},
	.queue = "a worker's loop hands each request to its pool of --threads (Gunicorn: 1)",
};

const struct server_ops server_py_gevent = {
	.base = {
		.name = "py-gevent",
		.summary = "CPython: gevent's pywsgi, monkey-patched, a greenlet per connection",
		.label = "py-gevent",
		.color = "#999933",
		.par = MODEL_PAR_ONE,
		.kind = MODEL_KIND_THREADS,
		.program = "models/python/srv_gevent.py",
		PY_SERVER,
	},
	.queue = "connections wait in the listen backlog; greenlets on gevent's one hub",
};
