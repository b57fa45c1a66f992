"""py-processes - multiprocessing.Pool(processes=C): the tasks go to the
workers through imap_unordered and their records come back pickled.
--spawn fork|exec picks the start method: fork, or spawn (a fresh
interpreter per worker, what macOS and Windows always do). See README.md
for the protocol."""

import multiprocessing
import time

import foreign

RUN = None  # the run, in each worker
CONN = None  # the worker's keep-alive connection


def worker_init(run, started):
    global RUN, CONN
    RUN = run
    if run.keepalive:
        CONN = foreign.http_connection(run, connect=True)
    started.release()


def task(task_id):
    start = time.monotonic_ns()
    result, err = foreign.blocking_task(RUN, CONN, task_id)
    return task_id, start, time.monotonic_ns(), result, err


def main(run):
    ctx = multiprocessing.get_context("spawn" if run.spawn == "exec" else "fork")
    started = ctx.Semaphore(0)
    with ctx.Pool(run.concurrency, initializer=worker_init, initargs=(run, started)) as pool:
        for _ in range(run.concurrency):  # every worker is up: the clock may start
            started.acquire()
        run.ready()
        # the pool's task handler (a thread of this parent) takes the ids
        # from run.on_time(): in an open loop, each when it is due
        for record in pool.imap_unordered(task, run.on_time()):
            run.record(*record)
        run.end()


if __name__ == "__main__":
    foreign.main(main)
