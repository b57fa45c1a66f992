"""foreign_pg.py - the pg workload through the drivers of --py-pg: the
same table, query, parameters and result hash as workloads/pg.c.

  SELECT count(*), sum(v) FROM kv WHERE k BETWEEN $1 AND $2
      [AND (SELECT pg_sleep($3)) IS NOT NULL]      (with --io-latency)

lo = 1 + mix64(id) mod (rows - range + 1), hi = lo + range - 1; the result
is FNV-1a over every value as text (0x1f after a value, 0x100 after a
NULL, 0x1e after a row), folded by mix64. cmbench's service hands the
conninfo (server, search_path of the run's schema, statement_timeout) as
the --pg flag. --pg-conn pool: C connections opened before the clock (a
slot each, or the driver's pool of C; one that cannot open leaves each task
to connect, counted, as a C slot does); new: each task connects and closes.

Blocking drivers: psycopg2, psycopg (sequential, threads, processes).
Async drivers: asyncpg (create_pool), psycopg (AsyncConnectionPool).
sqlalchemy: its engine and a session per task, on asyncpg on a loop
(create_async_engine, AsyncSession) and on psycopg2 elsewhere
(create_engine, Session), the same query as text() with named binds.
asyncpg's pool (0.27, Debian 12's) resets a connection when it is released
(pg_advisory_unlock_all, CLOSE ALL, UNLISTEN, RESET ALL): one more round
trip per task, which is what its users get; psycopg's pool and the slots of
the blocking drivers send nothing between tasks."""

import asyncio
import logging
import re

import foreign
import foreign_libs

SQL_PLAIN = "SELECT count(*), sum(v) FROM kv WHERE k BETWEEN {0} AND {1}"
SQL_WAIT = SQL_PLAIN + " AND (SELECT pg_sleep({2})) IS NOT NULL"
GRACE_S = 1.0  # past statement_timeout, before a loop gives up (PG_GRACE_US)
SETUP_S = 60.0  # the longest a pool of C connections may take to open (set-up)


def params(run, task_id):
    """(lo, hi[, seconds]) of the task, as pg_params()."""
    rows, rng = run.num_flag("pg-rows", 100000), run.num_flag("pg-range", 100)
    rng = min(rng, rows)
    lo = 1 + foreign.mix64(task_id) % (rows - rng + 1)
    p = (lo, lo + rng - 1)
    return p + (run.io_latency_us / 1e6,) if run.io_latency_us else p


def sql(run, style):
    """The query with placeholders of the driver's style: "$" or "%s"."""
    text = SQL_WAIT if run.io_latency_us else SQL_PLAIN
    marks = ["$1", "$2", "$3"] if style == "$" else ["%s"] * 3
    return text.format(*marks)


def as_text(v):
    """A value as PostgreSQL prints it (integers and numeric without scale)."""
    return str(v).encode()


def rows_hash(rows):
    """pg_hash(): FNV-1a over the values as text."""
    h = foreign.FNV_OFFSET
    P, M = foreign.FNV_PRIME, foreign.M64
    for row in rows:
        for v in row:
            if v is not None:
                for b in as_text(v):
                    h = ((h ^ b) * P) & M
            h = ((h ^ (0x100 if v is None else 0x1F)) * P) & M
        h = ((h ^ 0x1E) * P) & M
    return foreign.mix64(h)


def conninfo_parse(s):
    """libpq's key='value' ... (as cmbench's service writes it) into a dict."""
    out = {}
    for m in re.finditer(r"(\w+)\s*=\s*(?:'((?:[^'\\]|\\.)*)'|(\S*))", s):
        val = m.group(2)
        out[m.group(1)] = re.sub(r"\\(.)", r"\1", val) if val is not None else m.group(3)
    return out


def err_kind(e, connected=True):
    """The task_err kind of a driver's exception: 57014 (statement_timeout)
    is a timeout, a broken connection io, any other error a query error.
    SQLAlchemy's exceptions are judged by the driver's they wrap (orig);
    its own TimeoutError (no pooled connection in time) is a timeout."""
    if getattr(e, "orig", None) is not None:
        e = e.orig
    elif type(e).__name__ == "TimeoutError":
        return "timeout"
    state = getattr(e, "sqlstate", None) or getattr(e, "pgcode", None)
    if state == "57014":
        return "timeout"
    if isinstance(e, (TimeoutError, asyncio.TimeoutError)):
        return "timeout"
    if not connected:
        return "connect"
    name = type(e).__name__
    if isinstance(e, (OSError, EOFError)) or name in (
            "OperationalError", "InterfaceError", "ConnectionDoesNotExistError",
            "InternalClientError", "ConnectionFailure"):
        return "io" if not state or state.startswith("08") else "query"
    return "query"


def setup_s(run):
    """The longest a pool of C may take to open: half the set-up time
    cmbench allows (models/foreign.c, setup_ns()), so that a pool that
    cannot open (the server is full or gone) leaves time to say so."""
    return min(SETUP_S, (20 + (run.concurrency + run.workers) // 25) / 2)


def pool_mode(run):
    return run.flag("pg-conn", "pool") != "new"


# --- blocking: psycopg2, psycopg ------------------------------------------------

class Blocking:
    """A slot is one connection (pool mode) or None (new per task)."""

    def __init__(self, run):
        self.run = run
        self.name = run.py_pg if run.py_pg in ("psycopg2", "psycopg") else "psycopg2"
        self.lib = foreign_libs.need(run, "--py-pg", self.name)
        self.dsn = run.flag("pg")
        self.sql = sql(run, "%s")

    def connect(self):
        c = self.lib.connect(self.dsn)
        c.autocommit = True
        return c

    def slot(self):
        if not pool_mode(self.run):
            return None
        try:
            return self.connect()
        except Exception:  # noqa: BLE001 - the first task reconnects, and counts it
            return None

    def task(self, slot, task_id):
        """(result, err, slot): the slot may come back replaced or None."""
        conn = slot
        if conn is None:
            try:
                conn = self.connect()
            except Exception as e:  # noqa: BLE001
                return 0, err_kind(e, connected=False), None
        try:
            with conn.cursor() as cur:
                cur.execute(self.sql, params(self.run, task_id))
                result, err = rows_hash(cur.fetchall()), "ok"
        except Exception as e:  # noqa: BLE001
            result, err = 0, err_kind(e)
        broken = bool(getattr(conn, "closed", False))
        if not pool_mode(self.run) or broken:
            self.close(conn)
            conn = None
        return result, err, conn

    def close(self, slot):
        if slot is not None:
            try:
                slot.close()
            except Exception:  # noqa: BLE001
                pass


# --- async: asyncpg, psycopg --------------------------------------------------

class Asyncpg:
    def __init__(self, run):
        self.run = run
        self.lib = foreign_libs.need(run, "--py-pg", "asyncpg")
        self.sql = sql(run, "$")
        self.pool = None
        info = conninfo_parse(run.flag("pg"))
        settings = dict(re.findall(r"-c\s*([\w.]+)=(\S+)", info.get("options", "")))
        if info.get("application_name"):
            settings["application_name"] = info["application_name"]
        self.kw = {"host": info.get("host") or info.get("hostaddr"), "port": info.get("port"),
                   "user": info.get("user"), "password": info.get("password"),
                   "database": info.get("dbname"), "server_settings": settings,
                   "timeout": float(info.get("connect_timeout") or 60)}
        if info.get("sslmode"):
            self.kw["ssl"] = info["sslmode"]
        self.kw = {k: v for k, v in self.kw.items() if v is not None}

    async def setup(self, n):
        if pool_mode(self.run):
            # n connections at once before the clock: a busy server may take
            # longer than connect_timeout to fork n backends; set-up may
            kw = dict(self.kw, timeout=max(self.kw["timeout"], SETUP_S))
            pool = self.lib.create_pool(min_size=n, max_size=n, **kw)
            try:
                async with asyncio.timeout(setup_s(self.run)):
                    self.pool = await pool
            except Exception:  # noqa: BLE001 - as a C slot: each task connects, and counts it
                pool.terminate()  # the connections it did open
                self.pool = None

    async def task(self, task_id):
        p = params(self.run, task_id)
        if self.pool is not None:
            async with self.pool.acquire() as conn:
                return rows_hash(await conn.fetch(self.sql, *p))
        try:
            conn = await self.lib.connect(**self.kw)
        except Exception as e:  # noqa: BLE001
            raise Connect(e) from e
        try:
            return rows_hash(await conn.fetch(self.sql, *p))
        finally:
            conn.terminate()

    async def close(self):
        if self.pool is not None:
            self.pool.terminate()


class PsycopgAsync:
    def __init__(self, run):
        self.run = run
        self.lib = foreign_libs.need(run, "--py-pg", "psycopg")
        import psycopg_pool  # pylint: disable=import-outside-toplevel
        self.pools = psycopg_pool
        self.dsn = run.flag("pg")
        self.sql = sql(run, "%s")
        self.pool = None

    async def setup(self, n):
        if pool_mode(self.run):
            self.pool = self.pools.AsyncConnectionPool(
                self.dsn, min_size=n, max_size=n, open=False,
                kwargs={"autocommit": True}, timeout=max(self.run.timeout, 30))
            logging.getLogger("psycopg.pool").setLevel(logging.CRITICAL)  # no retry chatter
            try:
                await self.pool.open(wait=True, timeout=setup_s(self.run))
            except Exception:  # noqa: BLE001 - as a C slot: each task connects, and counts it
                await self.pool.close(timeout=1)
                self.pool = None

    async def query(self, conn, task_id):
        async with conn.cursor() as cur:
            await cur.execute(self.sql, params(self.run, task_id))
            return rows_hash(await cur.fetchall())

    async def task(self, task_id):
        if self.pool is not None:
            async with self.pool.connection() as conn:
                return await self.query(conn, task_id)
        try:
            conn = await self.lib.AsyncConnection.connect(self.dsn, autocommit=True)
        except Exception as e:  # noqa: BLE001
            raise Connect(e) from e
        try:
            return await self.query(conn, task_id)
        finally:
            await conn.close()

    async def close(self):
        if self.pool is not None:
            await self.pool.close(timeout=5)


class Connect(Exception):
    """A per-task connect failed (--pg-conn new)."""


# --- SQLAlchemy: its engine and a session per task, on either side ---------------

def named(run, task_id):
    """params() as SQLAlchemy's text() binds them: lo, hi[, s]."""
    return dict(zip(("lo", "hi", "s"), params(run, task_id)))


def sa_text(run):
    """The query as a text() construct with named binds."""
    from sqlalchemy import text  # pylint: disable=import-outside-toplevel
    return text((SQL_WAIT if run.io_latency_us else SQL_PLAIN).format(":lo", ":hi", ":s"))


class SqlAlchemyAsync:
    """create_async_engine on asyncpg (its pool of C, or NullPool for
    --pg-conn new), an AsyncSession per task: `async with AsyncSession(engine)
    as s: await s.execute(text(...), params)`. The session begins a
    transaction (BEGIN) and rolls it back when it closes (ROLLBACK), as the
    ORM does for its users: two round trips more than a bare query."""

    def __init__(self, run):
        self.run = run
        foreign_libs.need(run, "--py-pg", "sqlalchemy")
        foreign_libs.need(run, "--py-pg", "greenlet")
        self.raw = Asyncpg(run)  # asyncpg, and the arguments of its connect
        from sqlalchemy.ext import asyncio as sa_aio  # pylint: disable=import-outside-toplevel
        self.aio, self.stmt, self.engine = sa_aio, sa_text(run), None

    async def setup(self, n):
        from sqlalchemy.pool import NullPool  # pylint: disable=import-outside-toplevel
        kw = {"connect_args": self.raw.kw}
        if pool_mode(self.run):
            kw.update(pool_size=n, max_overflow=0, pool_timeout=max(self.run.timeout, 30))
        else:
            kw["poolclass"] = NullPool
        self.engine = self.aio.create_async_engine("postgresql+asyncpg://", **kw)
        if pool_mode(self.run):  # the pool's n connections, open before the clock
            try:
                async with asyncio.timeout(setup_s(self.run)):
                    held = await asyncio.gather(*(self.engine.connect() for _ in range(n)),
                                                return_exceptions=True)
            except Exception:  # noqa: BLE001 - as a C slot: each task connects, and counts it
                held = []
            for c in held:
                if not isinstance(c, BaseException):
                    await c.close()

    async def task(self, task_id):
        async with self.aio.AsyncSession(self.engine) as s:
            try:
                await s.connection()
            except Exception as e:  # noqa: BLE001
                raise Connect(e) from e
            return rows_hash((await s.execute(self.stmt, named(self.run, task_id))).all())

    async def close(self):
        if self.engine is not None:
            await self.engine.dispose()


class SqlAlchemyBlocking:
    """create_engine on psycopg2 (QueuePool of C, or NullPool), a Session per
    task; the connections are psycopg2's own, not in autocommit, so each
    session's query is inside BEGIN ... ROLLBACK, as above. A slot is no
    connection: the engine's pool is shared by the threads of a process;
    each slot() opens one more of them before the clock."""

    def __init__(self, run):
        self.run = run
        self.sa = foreign_libs.need(run, "--py-pg", "sqlalchemy")
        self.raw = Blocking(run)  # psycopg2 and the conninfo
        from sqlalchemy import orm, pool  # pylint: disable=import-outside-toplevel
        kw = {"creator": lambda: self.raw.lib.connect(self.raw.dsn)}
        if pool_mode(run):
            kw.update(pool_size=run.concurrency, max_overflow=0,
                      pool_timeout=max(run.timeout, 30))
        else:
            kw["poolclass"] = pool.NullPool
        self.engine = self.sa.create_engine("postgresql+psycopg2://", **kw)
        self.session, self.stmt, self.opened = orm.Session, sa_text(run), 0

    def slot(self):
        if pool_mode(self.run):  # hold one more than before at once: the pool grows by one
            held = []
            try:
                for _ in range(self.opened + 1):
                    held.append(self.engine.raw_connection())
            except Exception:  # noqa: BLE001 - the first task connects, and counts it
                pass
            for c in held:
                c.close()
            self.opened += 1
        return None

    def task(self, slot, task_id):
        with self.session(self.engine) as s:
            try:
                s.connection()
            except Exception as e:  # noqa: BLE001
                return 0, err_kind(e, connected=False), slot
            try:
                rows = s.execute(self.stmt, named(self.run, task_id)).all()
                return rows_hash(rows), "ok", slot
            except Exception as e:  # noqa: BLE001
                return 0, err_kind(e), slot

    def close(self, slot):
        self.engine.dispose()


def blocking(run):
    """The blocking models' pg: the driver's own, or SQLAlchemy on psycopg2."""
    return SqlAlchemyBlocking(run) if run.py_pg == "sqlalchemy" else Blocking(run)


ASYNC = {"asyncpg": Asyncpg, "psycopg": PsycopgAsync, "sqlalchemy": SqlAlchemyAsync}


class AsyncPg:
    """The loops' pg: the driver's task under the client-side limit."""

    def __init__(self, run):
        self.run = run
        self.drv = ASYNC.get(run.py_pg, Asyncpg)(run)

    async def setup(self, n):
        await self.drv.setup(n)

    async def io(self, task_id):
        try:
            async with asyncio.timeout(self.run.timeout + GRACE_S):
                return await self.drv.task(task_id), "ok"
        except Connect as e:
            return 0, err_kind(e.__cause__, connected=False)
        except Exception as e:  # noqa: BLE001
            return 0, err_kind(e)

    async def close(self):
        await self.drv.close()
