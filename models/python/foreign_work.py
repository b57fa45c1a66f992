"""foreign_work.py - a whole task with blocking calls, whatever the
workload: what py-sequential, py-threads and py-processes run, and what a
loop runs inline or offloads for the blocking workloads (blocking, sqlite).

  io, mixed, blocking  the GET through the --py-http client (foreign_http.py)
  pg                   the query through the --py-pg driver (foreign_pg.py)
  sqlite               the query through sqlite3 (foreign_sqlite.py)
  file                 the read or append with open() (foreign_file.py)
  cpu (and mixed)      the kernel, after the I/O part
  timer                the wait alone: time.sleep (foreign_timer.py)

A slot is what the workload keeps between tasks (a kept-alive connection, a
database connection), opened before the clock; a model keeps one per
thread, process or loop slot, as the C models do."""

import foreign


class _Http:
    def __init__(self, run):
        import foreign_http  # pylint: disable=import-outside-toplevel
        self.run = run
        self.client = foreign_http.blocking_client(run)

    def slot(self):
        return self.client.slot()

    def keeps(self):
        return self.run.keepalive

    def task(self, slot, task_id):
        result, err = self.client.get(slot, task_id)
        return result, err, slot

    def close(self, slot):
        self.client.close(slot)


def _io(run):
    if run.workload in ("io", "mixed", "blocking"):
        return _Http(run)
    if run.workload == "pg":
        import foreign_pg  # pylint: disable=import-outside-toplevel
        return foreign_pg.blocking(run)
    if run.workload == "sqlite":
        import foreign_sqlite  # pylint: disable=import-outside-toplevel
        return foreign_sqlite.Sqlite(run)
    if run.workload == "file":
        import foreign_file  # pylint: disable=import-outside-toplevel
        return foreign_file.Blocking(run)
    if run.workload == "timer":
        import foreign_timer  # pylint: disable=import-outside-toplevel
        return foreign_timer.Blocking(run)
    return None


class Blocking:
    """The task of the run's workload with blocking calls."""

    def __init__(self, run):
        self.run = run
        self.io = _io(run)

    def slot(self):
        return self.io.slot() if self.io else None

    def keeps(self):
        """Does a slot hold something between tasks (a connection)? A new
        HTTP connection per task, or the cpu workload, keeps nothing."""
        return self.io is not None and getattr(self.io, "keeps", lambda: True)()

    def task(self, slot, task_id):
        """(result, err, slot): the slot to keep (it may be replaced)."""
        if self.io:
            result, err, slot = self.io.task(slot, task_id)
            if err != "ok":
                return 0, err, slot
        else:
            result = self.run.seed(task_id)
        if self.run.does_cpu:
            result = foreign.cpu_kernel(result, self.run.cpu_iters)
        return result, "ok", slot

    def close(self, slot):
        if self.io:
            self.io.close(slot)
