"""foreign_aio.py - the GET of the asyncio programs (py-asyncio, py-uvloop,
py-asyncio-offload) over asyncio streams: the same request and body hash as
foreign.py's blocking GET, with --timeout over the whole exchange."""

import asyncio
import time

from foreign import HttpError, body_hash, error_kind


def parse_head(head):
    """Status line and headers: (status, content length, close)."""
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/1.") or not parts[1].isdigit():
        raise HttpError("bad status line")
    length, close = None, parts[0] == "HTTP/1.0"
    for line in lines[1:]:
        name, _, value = line.partition(":")
        name, value = name.strip().lower(), value.strip()
        if name == "content-length":
            if not value.isdigit():
                raise HttpError("bad Content-Length")
            length = int(value)
        elif name == "connection":
            close = value.lower().startswith("close")
        elif name == "transfer-encoding" and value.lower() != "identity":
            raise HttpError("chunked")
    if length is None:
        raise HttpError("no Content-Length")
    return int(parts[1]), length, close


async def open_stream(run):
    """A connection as asyncio streams: (reader, writer)."""
    return await asyncio.open_connection(run.host, run.port)


async def stream_get(run, stream, task_id):
    """One GET on an open stream: (body hash, close). It reads what arrives
    until the response is complete; a byte past it (a stray response, junk)
    is an http error, as in the C client."""
    reader, writer = stream
    writer.write(run.request_bytes(task_id))
    await writer.drain()
    buf, need = bytearray(), None
    while need is None or len(buf) < need:
        chunk = await reader.read(65536)
        if not chunk:
            raise asyncio.IncompleteReadError(bytes(buf), need)
        buf += chunk
        end = buf.find(b"\r\n\r\n") if need is None else -1
        if end >= 0:
            status, length, close = parse_head(bytes(buf[:end + 4]))
            if status != 200:
                raise HttpError(status)
            need = end + 4 + length
        elif need is None and len(buf) > 8192:
            raise HttpError("headers too long")
    if len(buf) > need:
        raise HttpError("bytes after the response")
    return body_hash(memoryview(buf)[need - length:]), close


async def close_stream(stream):
    if stream is not None:
        stream[1].close()
        try:
            await stream[1].wait_closed()
        except OSError:
            pass


async def async_get(run, pool, task_id):
    """GET with --timeout over the whole exchange: (body hash, err). pool is
    None (a new connection per task) or an asyncio.Queue of open streams
    (keep-alive); a failed or closed stream goes back as None and the next
    task reconnects."""
    stream = None if pool is None else await pool.get()
    connected = stream is not None
    try:
        async with asyncio.timeout(run.timeout):
            if stream is None:
                stream = await open_stream(run)
                connected = True
            result, close = await stream_get(run, stream, task_id)
        if pool is None or close:
            await close_stream(stream)
            stream = None
        return result, "ok"
    except Exception as e:  # noqa: BLE001 - every failure is a counted kind
        await close_stream(stream)
        stream = None
        return 0, error_kind(e, connected)
    finally:
        if pool is not None:
            pool.put_nowait(stream)


async def stream_pool(run, n):
    """n keep-alive streams opened before the clock (None where a connect
    failed: the first task on it reconnects and counts the failure)."""
    pool = asyncio.Queue()
    for _ in range(n):
        try:
            pool.put_nowait(await open_stream(run))
        except OSError:
            pool.put_nowait(None)
    return pool


async def gather_on_time(run, task):
    """asyncio.gather(*(task(i) for i in ids)), every coroutine started when
    its task is due: all at once in a batch; in an open loop by
    loop.call_at at its release time (the loop's clock is CLOCK_MONOTONIC;
    uvloop's counts whole ms, so a call that fires early waits again)."""
    if run.release is None:
        await asyncio.gather(*(task(i) for i in range(run.tasks)))
        return
    loop = asyncio.get_running_loop()
    started, all_started = [], loop.create_future()

    def fire(task_id):
        early = run.due_ns(task_id) - time.monotonic_ns()
        if early > 0:
            loop.call_later(early / 1e9, fire, task_id)
            return
        started.append(asyncio.ensure_future(task(task_id)))
        if len(started) == run.tasks:
            all_started.set_result(None)

    for task_id in range(run.tasks):
        loop.call_at(run.due_ns(task_id) / 1e9, fire, task_id)
    await all_started
    await asyncio.gather(*started)
