"""foreign_srv.py - what every server program (srv_*.py) shares: the server
variant of the protocol (README.md, "The server protocol"), the listener,
the counters the workers keep, and the handler of a request, which runs one
task of the run's workload with the existing adapters (foreign_aio_work.py
on a loop, foreign_work.py in a plain function) and answers its 64-bit
result as 16 hex digits, exactly as the C server models do
(models/servers/srv.c), so that the load generator folds the same checksum.

  cmbench -> program   (argv) mode=serve listen_port=P threads=T ...
  program -> cmbench   ready PORT          listening, every worker set up
  cmbench -> program   go T0
  cmbench -> program   end                 the load is done
  program -> cmbench   served N CHECKSUM E_CONNECT E_TIMEOUT E_IO E_HTTP E_QUERY E_WORKER
  cmbench -> program   bye                 (then EOF) stop the workers, exit 0

The protocol runs on a thread of the program's first process (a greenlet
under gevent), beside whatever the stack does in its main thread. When the
socket closes before "bye", the program kills its workers and exits at
once."""

import mmap
import os
import queue
import signal
import socket
import struct
import sys
import threading
import time
import urllib.parse

import foreign
import foreign_libs

# the counters: a slot per worker process in one shared anonymous mapping
# made before any fork; a worker claims one (Gunicorn: by its age)
SLOTS = 1024
REC = struct.Struct("9Q")  # ready, served, checksum, the six error kinds
KINDS = foreign.ERR_KINDS[1:]  # connect timeout io http query worker

# what each stack imports, and the Debian package that has it
DEBIAN = {
    "fastapi": "python3-fastapi", "uvicorn": "python3-uvicorn",
    "starlette": "python3-starlette", "anyio": "python3-anyio", "h11": "python3-h11",
    "gunicorn": "python3-gunicorn", "gevent": "python3-gevent",
    "aiohttp": "python3-aiohttp", "uvloop": "python3-uvloop",
}
# the seed: Starlette runs a def route on anyio's default thread limiter
ANYIO_DEFAULT_THREADS = 40
IDLE_S = 60  # a kept connection's idle time before a server closes it (srv.h)


class Counters:
    """What the server side answered, in shared memory: each worker process
    adds to its own slot, the first process sums them."""

    def __init__(self):
        self.mm = mmap.mmap(-1, SLOTS * REC.size)  # MAP_SHARED | MAP_ANONYMOUS
        self.slot, self.v = 0, [0] * 9
        self.lock = threading.Lock()

    def claim(self, k):
        """In a worker: its own slot."""
        self.slot, self.v = k % SLOTS, [0] * 9
        self.lock = threading.Lock()

    def _flush(self):
        REC.pack_into(self.mm, self.slot * REC.size, *self.v)

    def ready(self):
        with self.lock:
            self.v[0] = 1
            self._flush()

    def add(self, task_id, result, err):
        with self.lock:
            self.v[1] += 1
            if err == "ok":
                self.v[2] = (self.v[2] + foreign.mix64((result & foreign.M64)
                                                       ^ foreign.mix64(task_id))) & foreign.M64
            else:
                self.v[3 + KINDS.index(err)] += 1
            self._flush()

    def ready_count(self):
        return sum(REC.unpack_from(self.mm, k * REC.size)[0] for k in range(SLOTS))

    def total(self):
        t = [0] * 9
        for k in range(SLOTS):
            for i, x in enumerate(REC.unpack_from(self.mm, k * REC.size)):
                t[i] += x
        return t[1], t[2] & foreign.M64, t[3:]


COUNTERS = Counters()


class Channel:
    """The protocol on fd 3, run by a thread (start) once the stack runs."""

    def __init__(self, run):
        self.run = run
        self.sock = socket.socket(fileno=run.fd)
        self.buf = b""
        self.said_ready = False
        self.lock = threading.Lock()
        self.kill_workers = lambda: None

    def say(self, line):
        with self.lock:
            self.sock.sendall((line + "\n").encode())

    def hear(self):
        """One line; '' at EOF."""
        while b"\n" not in self.buf:
            try:
                got = self.sock.recv(4096)
            except OSError:
                got = b""
            if not got:
                return ""
            self.buf += got
        line, self.buf = self.buf.split(b"\n", 1)
        return line.decode().strip()

    def close_in_worker(self):
        """A forked worker keeps no end of the channel."""
        try:
            os.close(self.sock.detach())
        except OSError:
            pass

    def start(self, port, is_ready):
        threading.Thread(target=self._talk, args=(port, is_ready), daemon=True).start()

    def _talk(self, port, is_ready):
        try:
            while not is_ready():
                time.sleep(0.005)
            with self.lock:
                self.said_ready = True
            self.say(f"ready {port}")
            words = self.hear().split()
            if len(words) != 2 or words[0] != "go":
                self.gone(1)
            self.run.t0 = int(words[1])
            if self.hear() != "end":
                self.gone(1)
            n, checksum, errors = COUNTERS.total()
            self.say(f"served {n} {checksum:016x} " + " ".join(str(e) for e in errors))
            self.hear()  # bye, or EOF
            self.gone(0)
        except OSError:
            self.gone(1)

    def gone(self, code):
        """Stop every worker and exit now (the socket closed, or bye)."""
        try:
            self.kill_workers()
        finally:
            os._exit(code)  # pylint: disable=protected-access

    def fail(self, e):
        """Set-up failed: 'fail WHY' before ready, else one line; exit 1."""
        try:
            if not self.said_ready:
                self.say(f"fail {foreign.one_line(e)}")
            else:
                print(f"{self.run.model}: {foreign.one_line(e)}", file=sys.stderr)
        except OSError:
            pass
        self.gone(1)


def listener(run):
    """The listening socket on 127.0.0.1:listen_port (0: any), and its port."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", int(run.flag("listen_port", "0"))))
    s.listen(4096)
    return s, s.getsockname()[1]


def threads(run, default):
    """--threads T, or the stack's own default."""
    return int(run.flag("threads", "0")) or default


def task_id(query):
    """The request's id= (the load generator's GET /?...&id=N)."""
    for k, v in urllib.parse.parse_qsl(query):
        if k == "id":
            return int(v)
    raise ValueError("no id= in the request")


def answer(result, err):
    """(status, body) of a task that ended: as srv_answer() of srv.c."""
    if err == "ok":
        return 200, f"{result & foreign.M64:016x}"
    return 502, err


class AsyncHandler:
    """An async def handler: the task's I/O through foreign_aio_work (a
    blocking workload inline on the loop: the seed's requests.get() inside
    async def), its CPU part inline."""

    def __init__(self, run):
        import foreign_aio_work  # pylint: disable=import-outside-toplevel
        self.run = run
        self.work = foreign_aio_work.work(run, None)

    async def setup(self, n):
        await self.work.setup(n)

    async def handle(self, tid):
        try:
            result, err = await self.work.io(tid)
            if self.run.does_cpu and err == "ok":
                result = foreign.cpu_kernel(result, self.run.cpu_iters)  # blocks the loop
        except Exception:  # noqa: BLE001 - a handler that raised is a worker error
            result, err = 0, "worker"
        COUNTERS.add(tid, result, err)
        return answer(result, err)


class SyncHandler:
    """A plain function handler (FastAPI def, WSGI, gevent): the whole task
    with blocking calls (foreign_work.py), on one of n slots (what the
    workload keeps: a kept-alive connection, a database connection), one
    per thread or greenlet that may run it."""

    def __init__(self, run, n):
        import foreign_work  # pylint: disable=import-outside-toplevel
        self.work = foreign_work.Blocking(run)
        self.slots = queue.Queue()
        for _ in range(n):
            self.slots.put(self.work.slot())

    def handle(self, tid):
        slot = self.slots.get()
        try:
            result, err, slot = self.work.task(slot, tid)
        except Exception:  # noqa: BLE001 - a handler that raised is a worker error
            result, err = 0, "worker"
        finally:
            self.slots.put(slot)
        COUNTERS.add(tid, result, err)
        return answer(result, err)


def wsgi_app(handler):
    """The WSGI application (Gunicorn sync and gthread, gevent's pywsgi);
    handler() gives the worker's SyncHandler."""
    def app(environ, start_response):
        try:
            status, body = handler().handle(task_id(environ.get("QUERY_STRING", "")))
        except ValueError:
            status, body = 400, "bad request"
        data = body.encode()
        start_response(f"{status} {'OK' if status == 200 else 'Bad Gateway'}",
                       [("Content-Type", "text/plain"), ("Content-Length", str(len(data)))])
        return [data]
    return app


def die_with_parent(parent):
    """In a worker just forked by parent: SIGKILL when parent dies (prctl
    PR_SET_PDEATHSIG), so that no worker outlives it; and if it died
    already (before the prctl), exit now."""
    import ctypes  # pylint: disable=import-outside-toplevel
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL), 0, 0, 0)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:
        os._exit(1)  # pylint: disable=protected-access


def need_stack(model, modules):
    """Import the stack's modules: a missing one is one line naming its
    Debian package, exit 2."""
    import importlib  # pylint: disable=import-outside-toplevel
    for name in modules:
        try:
            importlib.import_module(name)
        except ImportError as e:
            top = name.split(".")[0]
            print(f"{model}: cannot import {name} ({e}); it is in the Debian package "
                  f"{DEBIAN.get(top, top)}", file=sys.stderr)
            sys.exit(2)


def main(serve, modules):
    """Entry point of every server program: mode=cpu and mode=probe as in
    foreign.main (probe also imports the stack), mode=serve runs
    serve(run, channel)."""
    kv = dict(a.split("=", 1) for a in sys.argv[1:] if "=" in a)
    if kv.get("mode") != "cpu":
        need_stack(kv.get("model", "server"), modules)

    def program(run):
        ch = Channel(run)
        try:
            serve(run, ch)
        except foreign_libs.Missing:
            raise
        except Exception as e:  # noqa: BLE001 - one line, never a traceback
            ch.fail(e)
        ch.fail(RuntimeError("the server stopped before the end"))

    foreign.main(program)
