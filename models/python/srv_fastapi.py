"""py-fastapi, py-fastapi-def - FastAPI on one Uvicorn worker, run by
Uvicorn's programmatic API (uvicorn.Config + uvicorn.Server.serve on the
listener cmbench's protocol made), so that the program stays the process
cmbench spawned. Uvicorn as Debian has it: h11 (no httptools), and its
loop "auto" (uvloop, installed).

py-fastapi's route is `async def` and runs on the loop
(foreign_srv.AsyncHandler); py-fastapi-def's is the same route as a plain
`def`, which Starlette runs with run_in_threadpool on anyio's default
thread limiter: 40 threads (ANYIO_DEFAULT_THREADS), or --threads T
(threads=T), set on the limiter at start-up (foreign_srv.SyncHandler,
one slot per thread that can be busy: at most --connections). make_app is Gunicorn's too (srv_gunicorn.py). See
README.md for the protocol."""

import asyncio

import foreign_srv


def make_app(run, setup):
    """The FastAPI app of the run's model; setup(handler) runs at start-up
    (in each worker under Gunicorn), on the loop."""
    from fastapi import FastAPI, Response  # pylint: disable=import-outside-toplevel
    app = FastAPI()
    state = {}

    if run.model.endswith("-def"):
        n = foreign_srv.threads(run, foreign_srv.ANYIO_DEFAULT_THREADS)

        async def startup():
            import anyio.to_thread  # pylint: disable=import-outside-toplevel
            anyio.to_thread.current_default_thread_limiter().total_tokens = n
            # a slot per thread that can be busy: no more than the connections
            state["h"] = foreign_srv.SyncHandler(run, min(n, run.concurrency))
            setup(state["h"])

        @app.get("/")
        def route(id: int):  # pylint: disable=redefined-builtin,invalid-name
            status, body = state["h"].handle(id)
            return Response(content=body, status_code=status, media_type="text/plain")
    else:
        async def startup():
            state["h"] = foreign_srv.AsyncHandler(run)
            await state["h"].setup(slots(run))
            setup(state["h"])

        @app.get("/")
        async def route(id: int):  # pylint: disable=redefined-builtin,invalid-name,function-redefined
            status, body = await state["h"].handle(id)
            return Response(content=body, status_code=status, media_type="text/plain")

    app.router.on_startup.append(startup)
    return app


def slots(run):
    """A worker's share of the connections: what it keeps downstream."""
    workers = run.workers if run.model.startswith("py-gunicorn") else 1
    return max(1, -(-run.concurrency // workers))


def serve(run, ch):
    import uvicorn  # pylint: disable=import-outside-toplevel
    sock, port = foreign_srv.listener(run)
    app = make_app(run, lambda h: None)
    config = uvicorn.Config(app, http="h11", loop="auto", lifespan="on", log_level="warning",
                            access_log=False, timeout_keep_alive=foreign_srv.IDLE_S,
                            backlog=4096)
    server = uvicorn.Server(config)
    config.setup_event_loop()  # loop "auto": uvloop's policy
    ch.start(port, lambda: server.started)
    asyncio.run(server.serve(sockets=[sock]))
    raise RuntimeError("uvicorn stopped (its start-up failed?)")


if __name__ == "__main__":
    foreign_srv.main(serve, ("fastapi", "uvicorn", "starlette", "anyio", "h11"))
