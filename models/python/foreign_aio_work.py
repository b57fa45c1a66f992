"""foreign_aio_work.py - the I/O part of a task on an event loop (py-asyncio,
py-uvloop, py-asyncio-offload, py-uvloop-prefork), whatever the workload:

  io, mixed   the GET through the --py-http client: asyncio streams
              (foreign_aio.py, the default), aiohttp or httpx.AsyncClient
  pg          the query through the --py-pg driver: asyncpg or psycopg
  blocking,   the blocking call of foreign_work.py: inline on the loop (it
  sqlite,     stalls: requests.get() inside async def), or offloaded to a
  file (open) thread pool by run_in_executor when the model offloads
  file        aiofiles or asyncio.to_thread (foreign_file.py)
  cpu         the seed (the kernel is the model's business)
  timer       the wait alone: asyncio.sleep (foreign_timer.py)

setup(n) opens what is kept before the clock (n kept-alive connections,
the driver's pool of n, n slots); io(id) -> (result, err); close()."""

import asyncio
import queue

import foreign
import foreign_aio
import foreign_http
import foreign_libs


class Streams:
    def __init__(self, run):
        self.run, self.pool = run, None

    async def setup(self, n):
        if self.run.keepalive:
            self.pool = await foreign_aio.stream_pool(self.run, n)
        else:  # the first lookup (and the loop's resolver threads) is set-up
            try:
                await asyncio.get_running_loop().getaddrinfo(self.run.host, self.run.port)
            except OSError:
                pass  # the first task fails and counts it

    async def io(self, task_id):
        return await foreign_aio.async_get(self.run, self.pool, task_id)

    async def close(self):
        while self.pool is not None and not self.pool.empty():
            await foreign_aio.close_stream(self.pool.get_nowait())


class Aiohttp:
    def __init__(self, run):
        self.run, self.session = run, None
        self.lib = foreign_libs.need(run, "--py-http", "aiohttp")

    async def setup(self, n):
        lib = self.lib
        self.session = lib.ClientSession(
            connector=lib.TCPConnector(limit=n, force_close=not self.run.keepalive),
            timeout=lib.ClientTimeout(total=self.run.timeout), auto_decompress=False)
        # keep-alive: n connections opened before the clock; otherwise one
        # request, so that what the library does on first use is set-up
        await asyncio.gather(*(self.warm() for _ in range(n if self.run.keepalive else 1)))

    async def warm(self):
        try:
            async with self.session.get(foreign_http.warm_url(self.run)) as r:
                await r.read()
        except (self.lib.ClientError, asyncio.TimeoutError):
            pass

    async def io(self, task_id):
        lib = self.lib
        try:
            async with self.session.get(foreign_http.url(self.run, task_id),
                                        headers=self.run.headers()) as r:
                body = await r.read()
                if r.status != 200:
                    return 0, "http"
                return self.run.hash(body), "ok"
        except asyncio.TimeoutError:
            return 0, "timeout"
        except lib.ClientConnectorError:
            return 0, "connect"
        except (lib.ServerDisconnectedError, lib.ClientOSError, lib.ClientPayloadError):
            return 0, "io"
        except lib.ClientError:
            return 0, "http"

    async def close(self):
        if self.session is not None:
            await self.session.close()


class Httpx:
    def __init__(self, run):
        self.run, self.client = run, None
        self.lib = foreign_libs.need(run, "--py-http", "httpx")

    async def setup(self, n):
        lib = self.lib
        limits = lib.Limits(max_connections=n,
                            max_keepalive_connections=n if self.run.keepalive else 0)
        self.client = lib.AsyncClient(timeout=self.run.timeout, limits=limits,
                                      headers=self.run.headers())
        await asyncio.gather(*(self.warm() for _ in range(n if self.run.keepalive else 1)))

    async def warm(self):
        try:
            await self.client.get(foreign_http.warm_url(self.run))
        except self.lib.HTTPError:
            pass

    async def io(self, task_id):
        try:
            r = await self.client.get(foreign_http.url(self.run, task_id))
            if r.status_code != 200:
                return 0, "http"
            return self.run.hash(r.content), "ok"
        except Exception as e:  # noqa: BLE001 - every failure is a counted kind
            return 0, foreign_http.httpx_kind(self.lib, e)

    async def close(self):
        if self.client is not None:
            await self.client.aclose()


class Blocking:
    """A blocking call (foreign_work.py) on the loop: inline, or through
    loop.run_in_executor(executor) when one is given. n slots, borrowed by
    the task in flight."""

    def __init__(self, run, executor):
        import foreign_work  # pylint: disable=import-outside-toplevel
        self.work, self.executor = foreign_work.Blocking(run), executor
        self.slots = queue.Queue()

    async def setup(self, n):
        for _ in range(n):
            self.slots.put(self.work.slot())

    def call(self, task_id):
        slot = self.slots.get()
        try:
            result, err, slot = self.work.task(slot, task_id)
        finally:
            self.slots.put(slot)
        return result, err

    async def io(self, task_id):
        if self.executor is None:
            return self.call(task_id)  # blocks the loop
        return await asyncio.get_running_loop().run_in_executor(self.executor, self.call,
                                                                 task_id)

    async def close(self):
        while not self.slots.empty():
            self.work.close(self.slots.get_nowait())


class Seed:
    def __init__(self, run):
        self.run = run

    async def setup(self, n):
        pass

    async def io(self, task_id):
        return self.run.seed(task_id), "ok"

    async def close(self):
        pass


HTTP = {"streams": Streams, "aiohttp": Aiohttp, "httpx": Httpx}


def work(run, executor=None):
    """The loop's work for the run. executor: where a blocking call goes
    (None: inline on the loop)."""
    if run.blocking_only:
        return Blocking(run, executor)
    if run.workload == "file":  # aiofiles, asyncio.to_thread
        import foreign_file  # pylint: disable=import-outside-toplevel
        return foreign_file.work(run)
    if run.workload == "pg":
        import foreign_pg  # pylint: disable=import-outside-toplevel
        return foreign_pg.AsyncPg(run)
    if run.does_io:
        return HTTP.get(run.py_http, Streams)(run)
    if run.workload == "timer":
        import foreign_timer  # pylint: disable=import-outside-toplevel
        return foreign_timer.Async(run)
    return Seed(run)
