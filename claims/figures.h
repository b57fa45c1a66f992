/* figures.h - the figures of each claim, by name: a claim's measure
 * function (verdicts.c) fills v[] by these names, and its subjects and its
 * usable() (table.c) read them, so no index is a bare number. Each list
 * ends with its count, which must fit in CLAIM_FIGS. Not for use outside
 * claims/ and its test. */
#ifndef CMB_CLAIMS_FIGURES_H
#define CMB_CLAIMS_FIGURES_H

#include <stdbool.h>
#include <stddef.h>

#include "claims.h"

/* sequential-500s */
enum {
	SEQ_PY_S, /* CPython, extrapolated to the article's 1,000 */
	SEQ_C_S,  /* C, the same */
	SEQ_NFIGS
};
_Static_assert(SEQ_NFIGS <= CLAIM_FIGS, "sequential-500s: too many figures");

/* asyncio-5s */
enum {
	A5S_PY_S,     /* asyncio, 100 at a time, extrapolated */
	A5S_C_S,      /* the C loop, the same */
	A5S_PY_ALL_S, /* asyncio, all at once */
	A5S_C_ALL_S,  /* the C loop, all at once */
	A5S_NFIGS
};
_Static_assert(A5S_NFIGS <= CLAIM_FIGS, "asyncio-5s: too many figures");

/* idle-cpu */
enum {
	IDLE_PY_BUSY_PCT, /* CPython: busy share of a 500 ms request */
	IDLE_C_BUSY_PCT,  /* C: the same */
	IDLE_NFIGS
};
_Static_assert(IDLE_NFIGS <= CLAIM_FIGS, "idle-cpu: too many figures");

/* thread-stack */
enum {
	STACK_PY_KIB,	    /* PSS of one more CPython thread */
	STACK_C_KIB,	    /* of one more C thread */
	STACK_PY_LARGE_KIB, /* of one more CPython thread among many (the ceiling's scale) */
	STACK_NFIGS
};
_Static_assert(STACK_NFIGS <= CLAIM_FIGS, "thread-stack: too many figures");

/* thousand-threads */
enum {
	T1K_PY_KIB,	    /* 1,000 CPython threads' own memory */
	T1K_PY_PROCESS_KIB, /* the whole CPython process at 1,000 */
	T1K_C_KIB,	    /* 1,000 C threads' own memory */
	T1K_PY_LARGE_KIB,   /* 1,000 of many CPython threads held (the ceiling's scale) */
	T1K_NFIGS
};
_Static_assert(T1K_NFIGS <= CLAIM_FIGS, "thousand-threads: too many figures");

/* coroutine */
enum {
	CORO_TRACEMALLOC_B,	 /* a suspended coroutine, allocated (tracemalloc) */
	CORO_PSS_B,		 /* its PSS */
	CORO_GETSIZEOF_B,	 /* sys.getsizeof */
	CORO_TASK_TRACEMALLOC_B, /* as an asyncio Task, allocated */
	CORO_TASK_PSS_B,	 /* as a Task, PSS */
	CORO_PY_REQUEST_B,	 /* one more request in flight, CPython asyncio */
	CORO_C_REQUEST_B,	 /* one more request in flight, the C loop */
	CORO_PY_LARGE_B,	 /* one more coroutine Task held on a timer among many */
	CORO_NFIGS
};
_Static_assert(CORO_NFIGS <= CLAIM_FIGS, "coroutine: too many figures");

/* process-memory */
enum {
	PMEM_SPAWN_KIB,	     /* PSS of one more worker, spawn */
	PMEM_FORK_KIB,	     /* with fork */
	PMEM_SPAWN_RSS_KIB,  /* RSS per worker with spawn */
	PMEM_C_KIB,	     /* a worker of C's process pool */
	PMEM_FORK_LARGE_KIB, /* one more forked worker among many (the ceiling's scale) */
	PMEM_NFIGS
};
_Static_assert(PMEM_NFIGS <= CLAIM_FIGS, "process-memory: too many figures");

/* process-spawn */
enum {
	PSPAWN_SPAWN_MIN_MS,	  /* start to running its target, spawn, least */
	PSPAWN_FORK_MIN_MS,	  /* fork, least */
	PSPAWN_SPAWN_MEDIAN_MS,	  /* spawn, median */
	PSPAWN_FORK_MEDIAN_MS,	  /* fork, median */
	PSPAWN_SPAWN_CPU_MS,	  /* CPU of one start, spawn */
	PSPAWN_FORK_CPU_MS,	  /* fork */
	PSPAWN_FORKSERVER_MIN_MS, /* forkserver, least */
	PSPAWN_POOL_SETUP_MS,	  /* more set-up per worker of a pool of 8, spawn */
	PSPAWN_NFIGS
};
_Static_assert(PSPAWN_NFIGS <= CLAIM_FIGS, "process-spawn: too many figures");

/* uvloop */
enum {
	UV_NEW_X,		/* uvloop over asyncio, requests/s, a new connection each */
	UV_KEEP_X,		/* kept alive */
	UV_NEW_CPU_X,		/* CPU per request, asyncio over uvloop, new connections */
	UV_KEEP_CPU_X,		/* kept alive */
	UV_ASYNCIO_NEW_TPS,	/* requests/s (best): asyncio, new */
	UV_UVLOOP_NEW_TPS,	/* uvloop, new */
	UV_ASYNCIO_KEEP_TPS,	/* asyncio, kept alive */
	UV_UVLOOP_KEEP_TPS,	/* uvloop, kept alive */
	UV_C_NEW_TPS,		/* the C loop, new */
	UV_ASYNCIO_NEW_CPU_US,	/* CPU per request: asyncio, new */
	UV_UVLOOP_NEW_CPU_US,	/* uvloop, new */
	UV_ASYNCIO_KEEP_CPU_US, /* asyncio, kept alive */
	UV_UVLOOP_KEEP_CPU_US,	/* uvloop, kept alive */
	UV_NFIGS
};
_Static_assert(UV_NFIGS <= CLAIM_FIGS, "uvloop: too many figures");

/* gil */
enum {
	GIL_PY_THREADS_X, /* speed-up of 2 CPython threads over 1 */
	GIL_C_THREADS_X,  /* the control: 2 C threads over 1 */
	GIL_PY_PROCS_X,	  /* 2 CPython processes over 1 */
	GIL_CORES,	  /* the cores the control ran on */
	GIL_NFIGS
};
_Static_assert(GIL_NFIGS <= CLAIM_FIGS, "gil: too many figures");

/* context-switches */
enum {
	CTX_PY,		    /* context switches per request, CPython asyncio */
	CTX_PY_VOLUNTARY,   /* its voluntary ones */
	CTX_PY_INVOLUNTARY, /* its involuntary ones */
	CTX_PY_THREADS,	    /* CPython threads */
	CTX_C,		    /* the C loop */
	CTX_C_THREADS,	    /* C threads */
	CTX_NFIGS
};
_Static_assert(CTX_NFIGS <= CLAIM_FIGS, "context-switches: too many figures");

/* asyncpg-3-5x */
enum {
	PG_OVER_PSYCOPG2_X,    /* asyncpg over psycopg2, queries/s */
	PG_OVER_PSYCOPG_X,     /* asyncpg over psycopg */
	PG_ASYNCPG_TPS,	       /* queries/s (best): asyncpg */
	PG_PSYCOPG2_TPS,       /* psycopg2 in threads */
	PG_PSYCOPG_TPS,	       /* psycopg in threads */
	PG_PSYCOPG_ASYNC_TPS,  /* psycopg async */
	PG_C_LOOP_TPS,	       /* libpq on the C loop */
	PG_C_THREADS_TPS,      /* libpq in C threads */
	PG_SA_ASYNC_TPS,       /* SQLAlchemy's async engine on asyncpg, asyncio */
	PG_SA_THREADS_TPS,     /* SQLAlchemy's engine on psycopg2, threads */
	PG_SA_ASYNC_COST_US,   /* wall time a query more than asyncpg's, at C=100 */
	PG_SA_THREADS_COST_US, /* more than psycopg2's */
	PG_SA_OVER_X,	       /* through SQLAlchemy: on asyncpg over on psycopg2 */
	PG_NFIGS
};
_Static_assert(PG_NFIGS <= CLAIM_FIGS, "asyncpg-3-5x: too many figures");

/* sqlite-threads */
enum {
	SQLT_PY_X,	 /* sqlite3 reads, 2 CPython threads over 1 */
	SQLT_C_X,	 /* the control: 2 C threads over 1 */
	SQLT_CORES,	 /* the cores the control ran on */
	SQLT_PY_ONE_TPS, /* reads/s, one CPython thread */
	SQLT_C_ONE_TPS,	 /* one C thread */
	SQLT_NFIGS
};
_Static_assert(SQLT_NFIGS <= CLAIM_FIGS, "sqlite-threads: too many figures");

/* requests-stall */
enum {
	STALL_IN_FLIGHT_C100, /* requests in flight on average at C=100 */
	STALL_IN_FLIGHT_C10,  /* at C=10 */
	STALL_FACTOR_C10,     /* makespan over the offloaded one, C=10 */
	STALL_FACTOR_C100,    /* C=100 */
	STALL_NFIGS
};
_Static_assert(STALL_NFIGS <= CLAIM_FIGS, "requests-stall: too many figures");

/* open-stall */
enum {
	FILE_IN_FLIGHT_C100,	 /* open().read() inline: reads in flight on average, cold */
	FILE_AIO_IN_FLIGHT_C100, /* aiofiles: the same */
	FILE_STALL_X,		 /* makespan inline over aiofiles' */
	FILE_READ_US,		 /* a plain read, warm, one at a time: wall time a task */
	FILE_AIO_COST_US,	 /* aiofiles' cost per call over it */
	FILE_NFIGS
};
_Static_assert(FILE_NFIGS <= CLAIM_FIGS, "open-stall: too many figures");

/* clients-5s */
enum {
	CL5_AIOHTTP_S,	    /* aiohttp, 100 at a time, extrapolated */
	CL5_HTTPX_S,	    /* httpx */
	CL5_STREAMS_S,	    /* asyncio streams */
	CL5_AIOHTTP_CPU_US, /* CPU per request, aiohttp */
	CL5_HTTPX_CPU_US,   /* httpx */
	CL5_STREAMS_CPU_US, /* asyncio streams */
	CL5_NFIGS
};
_Static_assert(CL5_NFIGS <= CLAIM_FIGS, "clients-5s: too many figures");

/* uvicorn-in-flight */
enum {
	UVI_IN_FLIGHT, /* requests in flight on one Uvicorn worker: rate x p50 latency */
	UVI_SHARE,     /* answered per second over offered */
	UVI_ERRORS,    /* failed requests */
	UVI_BEHIND,    /* the load generator fell behind: 1 */
	UVI_NFIGS
};
_Static_assert(UVI_NFIGS <= CLAIM_FIGS, "uvicorn-in-flight: too many figures");

/* def-no-stall */
enum {
	DEF_SHARE,	 /* def route: answered per second over offered */
	DEF_ASYNC_SHARE, /* the same call in an async def route */
	DEF_STALL_X,	 /* def's answered rate over async def's */
	DEF_ERRORS,	 /* failed requests, both runs */
	DEF_BEHIND,	 /* the load generator fell behind in either: 1 */
	DEF_NFIGS
};
_Static_assert(DEF_NFIGS <= CLAIM_FIGS, "def-no-stall: too many figures");

/* The measure functions of the table (verdicts.c), and its usable()s. */
#define CLAIM_MEASURE(name)                                                                        \
	void claim_measure_##name(const struct claim *c, const struct claims_set *s, double *v,    \
				  char *figure, size_t cap)
CLAIM_MEASURE(sequential_500s);
CLAIM_MEASURE(asyncio_5s);
CLAIM_MEASURE(idle_cpu);
CLAIM_MEASURE(thread_stack);
CLAIM_MEASURE(thousand_threads);
CLAIM_MEASURE(coroutine);
CLAIM_MEASURE(process_memory);
CLAIM_MEASURE(process_spawn);
CLAIM_MEASURE(uvloop);
CLAIM_MEASURE(gil);
CLAIM_MEASURE(context_switches);
CLAIM_MEASURE(asyncpg_speed);
CLAIM_MEASURE(sqlite_threads);
CLAIM_MEASURE(requests_stall);
CLAIM_MEASURE(clients_5s);
CLAIM_MEASURE(open_stall);
CLAIM_MEASURE(uvicorn_in_flight);
CLAIM_MEASURE(def_no_stall);
bool claim_usable_gil(const struct claim *c, const double *v, char *why, size_t cap);
bool claim_usable_uvicorn_in_flight(const struct claim *c, const double *v, char *why, size_t cap);
bool claim_usable_def_no_stall(const struct claim *c, const double *v, char *why, size_t cap);
bool claim_usable_sqlite_threads(const struct claim *c, const double *v, char *why, size_t cap);

#endif
