"""foreign.py - what every program in models/python/ shares.

The protocol with cmbench (README.md beside this file): the run's parameters
come as key=value arguments, the handshake and one record per task go over
the inherited fd 3. The work of a task is written here once, exactly as the C
workloads do it (workloads/cpu.c, workloads/http.c), so that equal
parameters give equal checksums in C and in Python:

  cpu    result = cpu_kernel(mix64(id), cpu_iters)
  io     result = body_hash(body of GET ...?delay_us=L&bytes=P&id=id)
  mixed  result = cpu_kernel(body_hash(body), cpu_iters)

What differs between the programs is only how they run tasks concurrently.
The asyncio GET is in foreign_aio.py, so that the programs that do not use
asyncio do not import it (a spawned worker would pay for the import).
"""

import array
import http.client
import os
import socket
import sys
import time

M64 = (1 << 64) - 1
FNV_OFFSET = 0xCBF29CE484222325
FNV_PRIME = 0x100000001B3
ERR_KINDS = ("ok", "connect", "timeout", "io", "http", "query", "worker")
WORKLOADS = ("io", "cpu", "mixed", "blocking", "sqlite", "pg", "timer")


def mix64(x):
    """splitmix64's finaliser, as lib/util.h mix64()."""
    x = (x + 0x9E3779B97F4A7C15) & M64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & M64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & M64
    return x ^ (x >> 31)


def cpu_kernel(seed, iters):
    """iters rounds of x = mix64(x + i): cpu_kernel() of workloads/cpu.c.

    mix64 is written out in the loop: a call per round would make the kernel
    half again as slow, and a Python programmer tuning a hot loop does this."""
    x = seed
    for i in range(iters):
        x = (x + i + 0x9E3779B97F4A7C15) & M64
        x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & M64
        x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & M64
        x ^= x >> 31
    return x


def body_hash(body):
    """FNV-1a over the body, folded with its length: http_resp_hash()."""
    h = FNV_OFFSET
    for b in body:
        h = ((h ^ b) * FNV_PRIME) & M64
    return mix64(h ^ mix64(len(body)))


def read_release(fd, tasks):
    """The open loop's schedule from fd (tasks native uint64 offsets in ns
    from t0), or None: no fd, a batch."""
    if fd < 0:
        return None
    with os.fdopen(fd, "rb") as f:
        release = array.array("Q")
        release.frombytes(f.read())
    if len(release) != tasks:
        sys.exit(f"release_fd: {len(release)} offsets for {tasks} tasks")
    return release


class HttpError(Exception):
    """A response we refuse: not a 200, or one we cannot parse."""


def error_kind(exc, connected=True):
    """The task_err kind (workloads/workload.h) of an exception."""
    if isinstance(exc, TimeoutError):
        return "timeout"
    if not connected and isinstance(exc, OSError):
        return "connect"
    # asyncio.IncompleteReadError is an EOFError: the peer closed early
    if isinstance(exc, (http.client.IncompleteRead, ConnectionError, EOFError)):
        return "io"
    if isinstance(exc, (HttpError, http.client.HTTPException, ValueError)):
        return "http"
    if isinstance(exc, OSError):
        return "io"
    raise exc


class Run:
    """The run's parameters (argv key=value) and the channel to cmbench.

    Picklable: a process pool may send it to its workers."""

    def __init__(self, argv):
        kv = dict(a.split("=", 1) for a in argv)

        def num(key, default):
            return int(kv.get(key) or default)

        self.mode = kv.get("mode", "run")
        self.model = kv.get("model", "")
        self.workload = kv.get("workload", "cpu")
        self.tasks = num("tasks", 1)
        self.concurrency = num("concurrency", 1)
        self.workers = num("workers", 1)
        self.host = kv.get("host") or "127.0.0.1"
        self.port = num("port", 80)
        self.path = kv.get("path") or "/"
        self.io_latency_us = num("io_latency_us", 0)
        self.payload = num("payload", 0)
        self.keepalive = kv.get("conn") == "keepalive"
        self.cpu_iters = num("cpu_iters", 0)
        self.cpu_us = num("cpu_us", 0)
        self.timeout = num("timeout_us", 5000000) / 1e6
        self.spawn = kv.get("spawn") or "fork"
        self.fd = num("fd", 3)
        # the workload's own flags (--pg-rows ...) by name, its text slots
        # (the sqlite file, the pg conninfo) as wl_str0 and wl_str1, and the
        # library flags --py-http and --py-pg ("default": the model's own)
        self.flags = kv
        self.py_http = kv.get("py-http", "default")
        self.py_pg = kv.get("py-pg", "default")
        if self.workload not in WORKLOADS:
            sys.exit(f"{self.model}: workload {self.workload} is not supported")
        self.does_io = self.workload in ("io", "mixed")
        self.does_cpu = self.workload in ("cpu", "mixed")
        # blocking and sqlite are one blocking call: a loop runs it inline
        # or offloads it; pg is a query through the --py-pg driver
        self.blocking_only = self.workload in ("blocking", "sqlite")
        self.t0 = 0
        # open loop (--rate): task i is due at t0 + release[i] ns; None: at t0
        self.release = read_release(num("release_fd", -1), self.tasks)

    def __getstate__(self):
        """What a process pool sends its workers: not the schedule."""
        state = dict(self.__dict__)
        state["release"] = None
        return state

    # --- the open loop: when each task is due ------------------------------

    def due_ns(self, task_id):
        """When task_id is due (CLOCK_MONOTONIC ns): t0 in a batch."""
        return self.t0 + (self.release[task_id] if self.release is not None else 0)

    def on_time(self):
        """The task ids in order, each when it is due: all at once in a batch;
        in an open loop the caller (a dispatcher) sleeps until each is due."""
        for task_id in range(self.tasks):
            if self.release is not None:
                due = self.t0 + self.release[task_id]
                while (left := due - time.monotonic_ns()) > 0:
                    time.sleep(left / 1e9)
            yield task_id

    def flag(self, name, default=""):
        """A workload flag as cmbench passed it (--pg-rows: "pg-rows")."""
        return self.flags.get(name) or default

    def num_flag(self, name, default=0):
        return int(self.flags.get(name) or default)

    # --- the work of one task --------------------------------------------

    def target(self, task_id):
        """The request target, as http_request() of workloads/http.c."""
        sep = "&" if "?" in self.path else "?"
        return (f"{self.path}{sep}delay_us={self.io_latency_us}&bytes={self.payload}"
                f"&id={task_id}")

    def headers(self):
        h = {"User-Agent": "cmbench"}
        if not self.keepalive:
            h["Connection"] = "close"
        return h

    def request_bytes(self, task_id):
        """The whole GET, for the programs that write it to a stream."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        close = "" if self.keepalive else "Connection: close\r\n"
        return (f"GET {self.target(task_id)} HTTP/1.1\r\nHost: {host}:{self.port}\r\n"
                f"User-Agent: cmbench\r\n{close}\r\n").encode()

    def seed(self, task_id):
        """The cpu workload's kernel seed."""
        return mix64(task_id)

    # --- the protocol ------------------------------------------------------

    def _say(self, line):
        os.write(self.fd, (line + "\n").encode())

    def _hear(self):
        """One line from cmbench; '' at EOF."""
        buf = b""
        while not buf.endswith(b"\n"):
            b = os.read(self.fd, 1)
            if not b:
                return ""
            buf += b
        return buf.decode().strip()

    def ready(self):
        """Everything is set up: say so, block until go; returns t0."""
        self._say("ready")
        words = self._hear().split()
        if len(words) != 2 or words[0] != "go":
            sys.exit(f"{self.model}: expected 'go T0' from cmbench")
        self.t0 = int(words[1])
        return self.t0

    def record(self, task_id, start_ns, end_ns, result, err):
        self._say(f"task {task_id} {start_ns} {end_ns} {result & M64:016x} {err}")

    def end(self):
        """The last task is recorded: say so, and wait until cmbench has taken
        its final sample (a line 'bye', or EOF) before tearing down."""
        self._say("end")
        self._hear()


# --- the blocking GET (sequential, threads, processes) ------------------------

class StrictResponse(http.client.HTTPResponse):
    """http.client reads ahead and, when a body ends, drops whatever it read
    past it. On a kept-alive connection such bytes would be taken for the
    next task's answer: the C client fails the task as an http error, and so
    does this one. `stray` holds what was there."""

    def __init__(self, sock, *args, **kwargs):
        super().__init__(sock, *args, **kwargs)
        self._sock, self.stray = sock, b""

    def _close_conn(self):  # http.client calls it when the body has ended
        if self.fp is not None:
            timeout = self._sock.gettimeout()
            self._sock.settimeout(0)  # look at what is buffered, never wait
            try:
                self.stray = self.fp.peek(1)
            except OSError:
                pass
            finally:
                self._sock.settimeout(timeout)
        super()._close_conn()


def http_connection(run, connect=False):
    """An http.client connection to the target; connect=True opens it now (a
    keep-alive slot opened before the clock). A failed connect is left to the
    first task, which retries it and counts it, as the C models do."""
    conn = http.client.HTTPConnection(run.host, run.port, timeout=run.timeout)
    conn.response_class = StrictResponse
    if connect:
        try:
            conn.connect()
        except OSError:
            conn.close()
    return conn


def idle_bytes(conn):
    """Did the idle kept-alive connection receive anything? A byte is a
    stray response (True); EOF means the server closed it: reconnect."""
    timeout = conn.sock.gettimeout()
    conn.sock.settimeout(0)  # with a timeout, recv would wait for a byte first
    try:
        got = conn.sock.recv(1, socket.MSG_PEEK)
    except BlockingIOError:
        return False
    except OSError:
        got = b""
    finally:
        conn.sock.settimeout(timeout)
    if not got:
        conn.close()
    return bool(got)


def http_get(run, conn, task_id):
    """GET over conn (keep-alive) or a fresh connection: (body hash, err)."""
    if conn is None:
        conn = http_connection(run)
        own = True
    else:
        own = False
    try:
        if conn.sock is not None and idle_bytes(conn):
            raise HttpError("bytes while idle")
        if conn.sock is None:
            try:
                conn.connect()
            except OSError as e:
                conn.close()
                return 0, error_kind(e, connected=False)
        conn.request("GET", run.target(task_id), headers=run.headers())
        resp = conn.getresponse()
        body = resp.read()
        if resp.status != 200 or resp.stray:
            raise HttpError(resp.status)
        return body_hash(body), "ok"
    except Exception as e:  # noqa: BLE001 - every failure is a counted kind
        conn.close()
        return 0, error_kind(e)
    finally:
        if own:
            conn.close()


def blocking_task(run, conn, task_id):
    """One whole task with blocking calls: (result, err)."""
    if run.does_io:
        result, err = http_get(run, conn, task_id)
        if err != "ok":
            return 0, err
    else:
        result = run.seed(task_id)
    if run.does_cpu:
        result = cpu_kernel(result, run.cpu_iters)
    return result, "ok"


# --- the cpu cost (mode=cpu) ------------------------------------------------

def _time_kernel_us(iters):
    t = time.perf_counter_ns()
    cpu_kernel(t & M64, iters)
    return (time.perf_counter_ns() - t) / 1e3


def cpu_calibrate(us):
    """Iterations that take about us microseconds here: cpu_calibrate()."""
    probe = 1 << 8
    while _time_kernel_us(probe) < 2000 and probe < (1 << 40):
        probe *= 2
    best = min(_time_kernel_us(probe) for _ in range(5)) or 1
    return max(1, round(probe * us / best))


def cpu_measure_us(iters):
    """Median time of one kernel call: cpu_measure_us()."""
    t, spent = [], 0.0
    while len(t) < 15 and (len(t) < 3 or spent < 100000):
        t.append(_time_kernel_us(iters))
        spent += t[-1]
    return sorted(t)[len(t) // 2]


def main(program):
    """Entry point of every program: mode=cpu answers the cpu cost question,
    mode=probe imports the libraries the run would use (cmbench asks before
    the run: a missing one is one line and exit 2), otherwise program(run)
    runs the tasks."""
    run = Run(sys.argv[1:])
    if run.mode == "cpu":
        iters = cpu_calibrate(run.cpu_us) if run.cpu_us else run.cpu_iters
        run._say(f"cpu {iters} {cpu_measure_us(iters):.3f}")
        return
    import foreign_libs  # pylint: disable=import-outside-toplevel
    try:
        foreign_libs.probe(run)
        if run.mode == "probe":
            return
        program(run)
    except foreign_libs.Missing as e:
        print(f"{run.model}: {e}", file=sys.stderr)
        sys.exit(2)
    except Exception as e:  # noqa: BLE001 - one line, never a traceback
        fail(run, e)


def one_line(e):
    """An exception as one short line: its type and first line."""
    text = str(e).strip().splitlines()
    return f"{type(e).__name__}: {text[0] if text else ''}"[:200]


def fail(run, e):
    """What set-up or the run raised, as one line, and exit 1. Before
    ready it is the protocol's "fail WHY" (cmbench prints "MODEL: set-up
    failed: WHY"); after, one line on stderr (cmbench counts the tasks it
    never heard of)."""
    try:
        if not run.t0:
            run._say(f"fail {one_line(e)}")  # pylint: disable=protected-access
        else:
            print(f"{run.model}: {one_line(e)}", file=sys.stderr)
    except OSError:
        pass
    sys.stderr.flush()
    os._exit(1)  # pylint: disable=protected-access
