"""foreign_aio.py - the GET of the asyncio programs (py-asyncio, py-uvloop,
py-asyncio-offload) over asyncio streams: the same request and body hash as
foreign.py's blocking GET, with --timeout over the whole exchange."""

import asyncio
import time

from foreign import HttpError, error_kind

OK_STATUS = (b" 200 ", b" 200\r")


def header(head, name):
    """The value of header `name` (lower case, with its colon) in the
    lowered head, stripped; None when it is not there."""
    i = head.find(name)
    if i < 0:
        return None
    i += len(name)
    return head[i:head.index(b"\r\n", i)].strip()


def parse_head(buf, end):
    """The head buf[:end] (the status line and headers) as the C parser
    takes it: a 200 with a Content-Length body, not chunked. Returns
    (content length, close); an HttpError for anything else. A few byte
    searches, no decoding: the check costs about a microsecond."""
    if not buf.startswith(b"HTTP/1.") or buf[8:13] not in OK_STATUS or not 48 <= buf[7] <= 57:
        raise HttpError(f"status line {bytes(buf[:40])!r}")
    head = buf[:end + 2].lower()  # every header line ends in \r\n
    length = header(head, b"\r\ncontent-length:")
    if length is None or not length.isdigit():
        raise HttpError("no Content-Length, or not a number")
    coding = header(head, b"\r\ntransfer-encoding:")
    if coding is not None and coding != b"identity":
        raise HttpError("chunked")
    conn = header(head, b"\r\nconnection:")
    close = buf[7] == 48 if conn is None else conn.startswith(b"close")  # HTTP/1.0 closes
    return int(length), close


async def more(reader, got):
    """The next bytes of the response; EOF before its end is an io error."""
    chunk = await reader.read(65536)
    if not chunk:
        raise asyncio.IncompleteReadError(bytes(got), None)
    return chunk


async def open_stream(run):
    """A connection as asyncio streams: (reader, writer)."""
    return await asyncio.open_connection(run.host, run.port)


async def stream_get(run, stream, task_id):
    """One GET on an open stream: (body hash, close). It reads what arrives
    until the response is complete (usually one read: head and body); a
    byte past it (a stray response, junk) is an http error, as in the C
    client."""
    reader, writer = stream
    writer.write(run.request_bytes(task_id))
    await writer.drain()
    buf = await reader.read(65536)
    if not buf:
        raise asyncio.IncompleteReadError(b"", None)
    while (end := buf.find(b"\r\n\r\n")) < 0:
        if len(buf) > 8192:
            raise HttpError("headers too long")
        buf += await more(reader, buf)
    length, close = parse_head(buf, end)
    need = end + 4 + length
    if len(buf) < need:
        buf = bytearray(buf)
        while len(buf) < need:
            buf += await more(reader, buf)
    if len(buf) > need:
        raise HttpError("bytes after the response")
    return run.hash(memoryview(buf)[end + 4:]), close


async def bare_get(run, stream, task_id):
    """--py-bare: the same GET read as a minimal program reads it: up to the
    blank line, the body by its Content-Length; only the status checked,
    nothing hashed. (0, False)."""
    reader, writer = stream
    writer.write(run.request_bytes(task_id))
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    if head[9:12] != b"200":
        raise HttpError("not a 200")
    await reader.readexactly(int(header(head.lower(), b"\r\ncontent-length:")))
    return 0, False


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
            result, close = await (bare_get if run.bare else stream_get)(run, stream, task_id)
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
