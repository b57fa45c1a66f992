"""foreign_http.py - the blocking HTTP clients of --py-http for sequential,
threads, processes (and the blocking workload on a loop): http.client (the
default, foreign.py's GET), requests and httpx. Each has the same shape: a
slot (a kept-alive connection or session, opened before the clock with
--conn keepalive, or None: a new connection per task) and get(slot, id) ->
(body hash, err), the same request and body hash as the C client."""

import foreign
import foreign_libs


def url(run, task_id):
    host = f"[{run.host}]" if ":" in run.host else run.host
    return f"http://{host}:{run.port}{run.target(task_id)}"


def warm_url(run):
    """A request that opens a kept-alive connection before the clock."""
    host = f"[{run.host}]" if ":" in run.host else run.host
    sep = "&" if "?" in run.path else "?"
    return f"http://{host}:{run.port}{run.path}{sep}delay_us=0&bytes=0&id=0"


class HttpClient:
    """http.client, with foreign.py's strict response."""

    def __init__(self, run):
        self.run = run
        self.warm()

    def warm(self):
        """One request on a connection of its own before the clock: the first
        address lookup (getaddrinfo loads its modules and reads the resolver's
        files) and http.client's first request and parse are set-up, 0.4-1 s
        in a freshly forked worker, not the first task's latency."""
        sep = "&" if "?" in self.run.path else "?"
        conn = foreign.http_connection(self.run)
        try:
            conn.request("GET", f"{self.run.path}{sep}delay_us=0&bytes=0&id=0",
                         headers=self.run.headers())
            conn.getresponse().read()
        except Exception:  # noqa: BLE001 - a failure is the first task's to count
            pass
        finally:
            conn.close()

    def slot(self):
        return foreign.http_connection(self.run, connect=True) if self.run.keepalive else None

    def get(self, slot, task_id):
        return foreign.http_get(self.run, slot, task_id)

    def close(self, slot):
        if slot is not None:
            slot.close()


class Requests:
    """requests: requests.get() per task, or a Session per slot."""

    def __init__(self, run):
        self.run = run
        self.lib = foreign_libs.need(run, "--py-http", "requests")
        exc = self.lib.exceptions
        self.kinds = ((exc.Timeout, "timeout"), (exc.ConnectionError, "io"),
                      (exc.RequestException, "http"))
        if not run.keepalive:  # what the library does on first use is set-up
            try:
                self.lib.get(warm_url(run), headers=run.headers(), timeout=run.timeout).close()
            except exc.RequestException:
                pass

    def slot(self):
        if not self.run.keepalive:
            return None
        s = self.lib.Session()
        try:
            s.get(warm_url(self.run), headers=self.run.headers(), timeout=self.run.timeout)
        except self.lib.exceptions.RequestException:
            pass  # the first task reconnects, and counts it
        return s

    def get(self, slot, task_id):
        try:
            call = slot.get if slot is not None else self.lib.get
            r = call(url(self.run, task_id), headers=self.run.headers(), timeout=self.run.timeout)
            if r.status_code != 200:
                return 0, "http"
            return self.run.hash(r.content), "ok"
        except Exception as e:  # noqa: BLE001 - every failure is a counted kind
            return 0, self.kind(e)

    def kind(self, e):
        exc = self.lib.exceptions
        if isinstance(e, exc.ConnectionError) and not isinstance(e, exc.ReadTimeout):
            text = str(e)
            if "NewConnectionError" in text or "Connection refused" in text:
                return "connect"
        for cls, kind in self.kinds:
            if isinstance(e, cls):
                return kind
        return foreign.error_kind(e)

    def close(self, slot):
        if slot is not None:
            slot.close()


def httpx_kind(lib, e):
    """The task_err kind of an httpx exception."""
    if isinstance(e, lib.TimeoutException):
        return "timeout"
    if isinstance(e, lib.ConnectError):
        return "connect"
    if isinstance(e, (lib.ReadError, lib.WriteError, lib.CloseError, lib.RemoteProtocolError)):
        return "io"
    if isinstance(e, lib.HTTPError):
        return "http"
    return foreign.error_kind(e)


class Httpx:
    """httpx: a Client per slot (kept alive), or one Client that keeps no
    connection (a new one per task; a Client is costly to make: its SSL
    context), made before the clock and shared by the threads."""

    def __init__(self, run):
        self.run = run
        self.lib = foreign_libs.need(run, "--py-http", "httpx")
        self.shared = None if run.keepalive else self.client(keep=0)
        if self.shared is not None:  # what the library does on first use is set-up
            try:
                self.shared.get(warm_url(run))
            except self.lib.HTTPError:
                pass

    def client(self, keep=None):
        limits = self.lib.Limits(max_keepalive_connections=keep)
        return self.lib.Client(timeout=self.run.timeout, headers=self.run.headers(),
                               limits=limits)

    def slot(self):
        if not self.run.keepalive:
            return None
        c = self.client()
        try:
            c.get(warm_url(self.run))
        except self.lib.HTTPError:
            pass
        return c

    def get(self, slot, task_id):
        c = slot if slot is not None else self.shared
        try:
            r = c.get(url(self.run, task_id))
            if r.status_code != 200:
                return 0, "http"
            return self.run.hash(r.content), "ok"
        except Exception as e:  # noqa: BLE001
            return 0, httpx_kind(self.lib, e)

    def close(self, slot):
        if slot is not None:
            slot.close()


BLOCKING = {"http.client": HttpClient, "requests": Requests, "httpx": Httpx}


def blocking_client(run):
    """The --py-http client of a blocking GET."""
    return BLOCKING.get(run.py_http, HttpClient)(run)
