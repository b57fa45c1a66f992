"""py-gunicorn-uvicorn, py-gunicorn-sync, py-gunicorn-gthread - Gunicorn run
by its programmatic API (a gunicorn.app.base.BaseApplication), so that its
master is the process cmbench spawned and its --workers workers are that
process's children: the monitor measures master and workers as the
server's tree, and every worker dies with the master (PR_SET_PDEATHSIG in
post_fork; the runner kills what is left).

  py-gunicorn-uvicorn  worker_class uvicorn.workers.UvicornWorker, the
                       py-fastapi app (async def; srv_fastapi.make_app) in
                       every worker: the seed's "Gunicorn + Uvicorn workers"
  py-gunicorn-sync     Gunicorn's sync workers and a WSGI app: one request
                       at a time per worker, the connection closed after it
  py-gunicorn-gthread  gthread workers, each a pool of --threads threads
                       (Gunicorn's default: 1), the same WSGI app

Gunicorn binds the listener cmbench's protocol made (bind fd://N), so all
workers accept on one shared socket. Each worker counts what it answered in
its own slot of the shared counters (foreign_srv.Counters, by its age) and
says it is set up there; the master says ready once --workers have. See
README.md for the protocol."""

import os
import signal
import sys

import foreign_srv

KEEPALIVE_S = foreign_srv.IDLE_S


def serve(run, ch):
    from gunicorn.app.base import BaseApplication  # pylint: disable=import-outside-toplevel
    sock, port = foreign_srv.listener(run)
    os.set_inheritable(sock.fileno(), True)
    kind = run.model.rsplit("-", 1)[1]  # uvicorn, sync, gthread
    nthreads = foreign_srv.threads(run, 1) if kind == "gthread" else 1
    arbiter, worker_handler = [], []
    master = os.getpid()

    def when_ready(server):
        arbiter.append(server)

    def post_fork(server, worker):  # pylint: disable=unused-argument
        foreign_srv.die_with_parent(master)
        ch.close_in_worker()
        foreign_srv.COUNTERS.claim(worker.age)

    def post_worker_init(worker):  # pylint: disable=unused-argument
        if kind != "uvicorn":  # a WSGI worker's slots, one per thread
            worker_handler.append(foreign_srv.SyncHandler(run, min(nthreads, run.concurrency)))
            foreign_srv.COUNTERS.ready()

    class App(BaseApplication):  # pylint: disable=abstract-method
        def load_config(self):
            settings = {
                "bind": [f"fd://{sock.fileno()}"], "workers": run.workers,
                "worker_class": ("uvicorn.workers.UvicornWorker" if kind == "uvicorn"
                                 else kind),
                "threads": nthreads, "keepalive": KEEPALIVE_S, "backlog": 4096,
                "loglevel": "error", "accesslog": None, "graceful_timeout": 1,
                "when_ready": when_ready, "post_fork": post_fork,
                "post_worker_init": post_worker_init,
            }
            for key, value in settings.items():
                self.cfg.set(key, value)

        def load(self):  # in each worker
            if kind == "uvicorn":
                import srv_fastapi  # pylint: disable=import-outside-toplevel
                return srv_fastapi.make_app(run, lambda h: foreign_srv.COUNTERS.ready())
            return foreign_srv.wsgi_app(lambda: worker_handler[0])

    def kill_workers():
        if arbiter:  # no worker respawned meanwhile
            arbiter[0].num_workers = 0
        for pid in list(arbiter[0].WORKERS) if arbiter else ():
            try:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except OSError:
                pass

    ch.kill_workers = kill_workers
    ch.start(port, lambda: foreign_srv.COUNTERS.ready_count() >= run.workers)
    App().run()
    raise RuntimeError("gunicorn's master stopped")


def stack():
    mods = ["gunicorn", "gunicorn.app.base"]
    if "model=py-gunicorn-uvicorn" in sys.argv:
        mods += ["uvicorn", "uvicorn.workers", "fastapi", "starlette", "anyio", "h11"]
    return mods


if __name__ == "__main__":
    foreign_srv.main(serve, stack())
