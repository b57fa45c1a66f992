"""foreign.py - what every program in models/python/ shares.

The protocol with cmbench (README.md beside this file): the run's parameters
come as key=value arguments, the handshake and one record per task go over
the inherited fd 3. The work of a task is written here once, exactly as the C
workloads do it (workloads/cpu.c, workloads/http.c), so that equal
parameters give equal checksums in C and in Python:

  cpu    result = cpu_kernel(mix64(id), cpu_iters)
  io     result = body_hash(body of GET ...?delay_us=L&bytes=P&id=id)
                = mix64(zlib.crc32(body) ^ (len(body) << 32))
  mixed  result = cpu_kernel(body_hash(body), cpu_iters)

What differs between the programs is only how they run tasks concurrently.
The asyncio GET is in foreign_aio.py, so that the programs that do not use
asyncio do not import it (a spawned worker would pay for the import).

The instrument stays off a task's path: the body's checksum is zlib's
CRC-32 (C code, about 0.2 us for 256 bytes), and a task's record is kept in
memory and written with others in one write (Records below), so that it
costs no system call of its own. With bare=1 (cmbench run --py-bare, the
control of docs/python.md) the GETs are read as a minimal program reads
them, nothing is hashed, and each worker reports counts (Tally).
"""

import array
import http.client
import os
import select
import signal
import socket
import sys
import time
import zlib

M64 = (1 << 64) - 1
# FNV-1a, for the pg and sqlite result hashes (workloads/pg.c, sqlite.c)
FNV_OFFSET = 0xCBF29CE484222325
FNV_PRIME = 0x100000001B3
# the task_err kinds, in the order of workloads/workload.h (and of a Tally)
ERR_KINDS = ("ok", "connect", "timeout", "io", "http", "query", "worker")
# Records: a batch is written when it holds BATCH records (about 6 KiB, one
# write a unix stream socket keeps whole), when a task ends HEARTBEAT_NS or
# more after the last write, and at the end. The runner's silence limit is
# 2 s and more (models/foreign.c, silence_ns): well above the heartbeat.
BATCH = 64
HEARTBEAT_NS = 100_000_000
WORKLOADS = ("io", "cpu", "mixed", "blocking", "sqlite", "pg", "file", "timer")


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
    """The body's CRC-32 (zlib's, as workloads/http.c computes it) folded
    with its length by one mix64 (written out): http_resp_hash()."""
    x = ((zlib.crc32(body) ^ (len(body) << 32)) + 0x9E3779B97F4A7C15) & M64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & M64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & M64
    return x ^ (x >> 31)


def no_hash(body):  # pylint: disable=unused-argument
    """--py-bare: the body is not looked at."""
    return 0


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


RECORD = "task %d %d %d %016x %s\n"


class Records:
    """One worker's task records (a thread's, a process's, a loop's: only
    that worker adds to it), batched: add() keeps the record in a list, and
    the list goes out in one write when it holds BATCH, when a task ends
    HEARTBEAT_NS or more after the last write, and at the end (flush). A
    task's record costs no system call of its own; its time stamps are
    taken when the task runs, so a late write changes no figure."""

    __slots__ = ("run", "pending", "written")

    def __init__(self, run):
        self.run, self.pending, self.written = run, [], time.monotonic_ns()

    def add(self, task_id, start_ns, end_ns, result, err):
        pending = self.pending
        pending.append((task_id, start_ns, end_ns, result & M64, err))
        if len(pending) >= BATCH or end_ns - self.written >= HEARTBEAT_NS:
            self.flush(end_ns)

    def flush(self, now_ns=0):
        pending, self.pending = self.pending, []
        self.written = now_ns or time.monotonic_ns()
        if pending:
            self.run.send("".join([RECORD % r for r in pending]).encode())


class Tally:
    """--py-bare: a worker's count of its tasks by kind instead of a record
    each, written as "done END N_OK N_CONNECT ... N_WORKER" (the tasks since
    the last such line, the last ending at END) on the same heartbeat."""

    __slots__ = ("run", "counts", "end", "written")

    def __init__(self, run):
        self.run, self.end, self.written = run, 0, time.monotonic_ns()
        self.counts = dict.fromkeys(ERR_KINDS, 0)

    def add(self, task_id, start_ns, end_ns, result, err):  # pylint: disable=unused-argument
        self.counts[err] += 1
        self.end = end_ns
        if end_ns - self.written >= HEARTBEAT_NS:
            self.flush(end_ns)

    def flush(self, now_ns=0):
        counts, self.counts = self.counts, dict.fromkeys(ERR_KINDS, 0)
        self.written = now_ns or time.monotonic_ns()
        if any(counts.values()):
            self.run.send((f"done {self.end} " + " ".join(str(counts[k]) for k in ERR_KINDS)
                           + "\n").encode())


def kill_workers(run):
    """SIGKILL every process this program started: multiprocessing's (pools,
    executors) and the pids in run.kids (forked by hand)."""
    mp = sys.modules.get("multiprocessing")
    for p in mp.active_children() if mp is not None else ():
        try:
            p.kill()
        except OSError:
            pass
    for pid in run.kids:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


def lost_channel(run, e):
    """cmbench's end of fd 3 is gone (it died, or closed it): nobody hears
    the records any more. One line, no process of ours left (threads die
    with the process), exit 1 at once. A forked worker of a program that
    watches fd 3 itself (run.quiet_lost) leaves the line to its parent."""
    if not run.quiet_lost:
        try:
            os.write(2, f"{run.model}: cannot write its records ({one_line(e)}); "
                        f"cmbench is gone, stopping\n".encode())
        except OSError:
            pass
        kill_workers(run)
    os._exit(1)  # pylint: disable=protected-access


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
        # --py-bare: the GET read as a minimal program reads it, no body
        # hash, no record per task (a Tally); the control of docs/python.md
        self.bare = kv.get("bare") == "1"
        self.hash = no_hash if self.bare else body_hash
        self.kids = []  # pids forked by hand, killed with us (lost_channel)
        self.quiet_lost = False
        self._recorders, self._record = [], None
        # the workload's own flags (--pg-rows ...) by name, its text slots
        # (the sqlite file, the pg conninfo) as wl_str0 and wl_str1, and the
        # library flags --py-http and --py-pg ("default": the model's own)
        self.flags = kv
        self.py_http = kv.get("py-http", "default")
        self.py_pg = kv.get("py-pg", "default")
        self.py_file = kv.get("py-file", "default")
        if self.workload not in WORKLOADS:
            sys.exit(f"{self.model}: workload {self.workload} is not supported")
        self.does_io = self.workload in ("io", "mixed")
        self.does_cpu = self.workload in ("cpu", "mixed")
        # blocking and sqlite are one blocking call: a loop runs it inline
        # or offloads it; pg is a query through the --py-pg driver; file is
        # one too with open() (aiofiles and to_thread are the loop's own)
        self.blocking_only = (self.workload in ("blocking", "sqlite")
                              or (self.workload == "file" and self.py_file == "open"))
        self.t0 = 0
        # open loop (--rate): task i is due at t0 + release[i] ns; None: at t0
        self.release = read_release(num("release_fd", -1), self.tasks)
        # what every GET sends, made once: the id goes between the two
        sep = "&" if "?" in self.path else "?"
        host = f"[{self.host}]" if ":" in self.host else self.host
        close = "" if self.keepalive else "Connection: close\r\n"
        self._target = (f"{self.path}{sep}delay_us={self.io_latency_us}&bytes={self.payload}"
                        f"&id=")
        self._request = (f"GET {self._target}".encode(),
                         f" HTTP/1.1\r\nHost: {host}:{self.port}\r\nUser-Agent: cmbench\r\n"
                         f"{close}\r\n".encode())
        self._headers = {"User-Agent": "cmbench"}
        if not self.keepalive:
            self._headers["Connection"] = "close"

    def __getstate__(self):
        """What a process pool sends its workers: not the schedule, nor the
        parent's records."""
        state = dict(self.__dict__)
        state["release"] = None
        state["_recorders"], state["_record"] = [], None
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
        return self._target + str(task_id)

    def headers(self):
        """The GET's headers (one dict: the clients only read it)."""
        return self._headers

    def request_bytes(self, task_id):
        """The whole GET, for the programs that write it to a stream."""
        head, tail = self._request
        return b"%s%d%s" % (head, task_id, tail)

    def seed(self, task_id):
        """The cpu workload's kernel seed."""
        return mix64(task_id)

    # --- the protocol ------------------------------------------------------

    def send(self, data):
        """data, whole, on the protocol fd; a closed socket ends the program
        (lost_channel)."""
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(self.fd, view):]
        except OSError as e:
            lost_channel(self, e)

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

    def recorder(self):
        """A new worker's record(task_id, start_ns, end_ns, result, err): a
        Records' add (a Tally's with --py-bare). One per thread, process or
        loop that records; end() (or flush()) writes what each still holds."""
        r = (Tally if self.bare else Records)(self)
        self._recorders.append(r)
        return r.add

    def record(self, task_id, start_ns, end_ns, result, err):
        """One task's record, on one recorder shared by the callers (a program
        that records from one thread only)."""
        if self._record is None:
            self._record = self.recorder()
        self._record(task_id, start_ns, end_ns, result, err)

    def flush(self):
        """Write what every recorder of this process holds (no worker adds
        any more)."""
        for r in self._recorders:
            r.flush()

    def end(self):
        """The last task is recorded: write what is held, say so, and wait
        until cmbench has taken its final sample (a line 'bye', or EOF)
        before tearing down."""
        self.flush()
        self.send(b"end\n")
        self._hear()


# --- the blocking GET (sequential, threads, processes) ------------------------

class StrictResponse(http.client.HTTPResponse):
    """http.client reads ahead and, when a body ends, drops whatever it read
    past it. On a kept-alive connection such bytes would be taken for the
    next task's answer: the C client fails the task as an http error, and so
    does this one. `stray` holds what was there. (A new connection per task
    is closed once its body is read: nothing on it can be taken for another
    answer, so it is spared the look, three system calls.)"""

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
    if run.keepalive and not run.bare:
        conn.response_class = StrictResponse
    if connect:
        try:
            conn.connect()
        except OSError:
            conn.close()
    return conn


def idle_bytes(conn):
    """Did the idle kept-alive connection receive anything? A byte is a
    stray response (True); EOF means the server closed it: reconnect. One
    poll when nothing came (the usual case; select() would refuse an fd
    past 1023)."""
    watch = select.poll()
    watch.register(conn.sock, select.POLLIN)
    if not watch.poll(0):
        return False
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
        if conn.sock is not None and not run.bare and idle_bytes(conn):
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
        if resp.status != 200 or getattr(resp, "stray", None):
            raise HttpError(resp.status)
        return run.hash(body), "ok"
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
    kill_workers(run)  # a pool's workers would wait for tasks forever
    os._exit(1)  # pylint: disable=protected-access
