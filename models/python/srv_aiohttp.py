"""py-aiohttp-web - aiohttp.web as its documentation writes it: an
Application, an async def handler on GET /, run by an AppRunner on a
SockSite (the listener cmbench's protocol made), on asyncio's own loop.
The handler is foreign_srv.AsyncHandler. See README.md for the protocol."""

import asyncio

import foreign_srv


async def serve_async(run, ch):
    from aiohttp import web  # pylint: disable=import-outside-toplevel
    sock, port = foreign_srv.listener(run)
    handler = foreign_srv.AsyncHandler(run)
    await handler.setup(run.concurrency)

    async def route(request):
        try:
            tid = foreign_srv.task_id(request.query_string)
        except ValueError:
            return web.Response(status=400, text="bad request")
        status, body = await handler.handle(tid)
        return web.Response(status=status, text=body, content_type="text/plain")

    app = web.Application()
    app.router.add_get("/", route)
    runner = web.AppRunner(app, access_log=None, keepalive_timeout=foreign_srv.IDLE_S,
                           handle_signals=False)
    await runner.setup()
    await web.SockSite(runner, sock, backlog=4096).start()
    ch.start(port, lambda: True)
    await asyncio.Event().wait()  # until the channel ends the program


def serve(run, ch):
    asyncio.run(serve_async(run, ch))


if __name__ == "__main__":
    foreign_srv.main(serve, ("aiohttp", "aiohttp.web"))
