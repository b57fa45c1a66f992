"""py-asyncio-server, py-uvloop-server - an HTTP/1.1 server written on
asyncio streams as a Python programmer would: asyncio.start_server, a
coroutine per connection reading a request head, awaiting the handler
(foreign_srv.AsyncHandler: the run's workload, its CPU part inline on the
loop) and writing the answer, keep-alive until the client closes.
py-uvloop-server is the same under uvloop's event loop policy. See
README.md for the protocol."""

import asyncio
import sys

import foreign_srv

HEAD_MAX = 2048  # bytes of a request head (srv.h SRV_HEAD_MAX)


def response(status, body, close):
    data = body.encode()
    reason = "OK" if status == 200 else "Bad Gateway"
    conn = "Connection: close\r\n" if close else ""
    return (f"HTTP/1.1 {status} {reason}\r\nContent-Length: {len(data)}\r\n{conn}\r\n"
            .encode() + data)


async def serve_async(run, ch):
    sock, port = foreign_srv.listener(run)
    handler = foreign_srv.AsyncHandler(run)
    await handler.setup(run.concurrency)

    async def connection(reader, writer):
        try:
            while True:
                head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"),
                                              foreign_srv.IDLE_S)
                words = head.split(b"\r\n", 1)[0].split()
                close = b"connection: close" in head.lower() or words[-1] == b"HTTP/1.0"
                try:
                    target = words[1].decode()
                    tid = foreign_srv.task_id(target.partition("?")[2])
                except (IndexError, ValueError):
                    writer.write(response(400, "bad request", True))
                    break
                status, body = await handler.handle(tid)
                writer.write(response(status, body, close))
                await writer.drain()
                if close:
                    break
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, asyncio.TimeoutError,
                ConnectionError):
            pass
        finally:
            writer.close()

    await asyncio.start_server(connection, sock=sock, limit=HEAD_MAX)
    ch.start(port, lambda: True)
    await asyncio.Event().wait()  # until the channel ends the program


def serve(run, ch):
    if run.model.startswith("py-uvloop"):
        import uvloop  # pylint: disable=import-outside-toplevel
        asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    asyncio.run(serve_async(run, ch))


if __name__ == "__main__":
    foreign_srv.main(serve, ("uvloop",) if "model=py-uvloop-server" in sys.argv else ())
