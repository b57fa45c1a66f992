"""py-processes - multiprocessing.Pool(processes=C): the tasks go to the
workers through imap_unordered and their records come back pickled.
--spawn fork|exec picks the start method: fork, or spawn (a fresh
interpreter per worker, what macOS and Windows always do). See README.md
for the protocol."""

import multiprocessing
import time

import foreign
import foreign_work

WORK = None  # the task's work, in each worker
SLOT = None  # the worker's slot: keep-alive, pg or sqlite connection


def worker_init(run, started):
    global WORK, SLOT
    try:
        WORK = foreign_work.Blocking(run)
        SLOT = WORK.slot()
    finally:
        started.release()


def task(task_id):
    global SLOT
    start = time.monotonic_ns()
    result, err, SLOT = WORK.task(SLOT, task_id)
    return task_id, start, time.monotonic_ns(), result, err


def main(run):
    ctx = multiprocessing.get_context("spawn" if run.spawn == "exec" else "fork")
    started = ctx.Semaphore(0)
    record = run.recorder()  # the parent's, batched (foreign.py)
    with ctx.Pool(run.concurrency, initializer=worker_init, initargs=(run, started)) as pool:
        for _ in range(run.concurrency):  # every worker is up: the clock may start
            started.acquire()
        run.ready()
        # the pool's task handler (a thread of this parent) takes the ids
        # from run.on_time(): in an open loop, each when it is due
        for rec in pool.imap_unordered(task, run.on_time()):
            record(*rec)
        run.end()


if __name__ == "__main__":
    foreign.main(main)
