"""py-threads - concurrent.futures.ThreadPoolExecutor(max_workers=C): every
task submitted by a dispatcher thread (at once, or when due under --rate).
Blocking http.client calls release the GIL while they wait; the cpu kernel
holds it. Each worker thread records its own tasks as they end (a batched
recorder per thread: foreign.py), so no task hands its result to another
thread. See README.md for the protocol."""

import queue
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import foreign
import foreign_work


def main(run):
    # what a slot keeps (--conn keepalive's connection, a pg or sqlite
    # connection: foreign_work.py), C of them opened before the clock; each
    # task borrows one (a pool of C threads never waits for one). A new
    # connection per task keeps nothing: no slot to borrow.
    work = foreign_work.Blocking(run)
    slots = queue.Queue() if work.keeps() else None
    for _ in range(run.concurrency if slots is not None else 0):
        slots.put(work.slot())
    local = threading.local()

    def thread_init():
        local.record = run.recorder()

    def task(task_id):
        try:
            start = time.monotonic_ns()
            if slots is None:
                result, err, _ = work.task(None, task_id)
            else:
                slot = slots.get()
                try:
                    result, err, slot = work.task(slot, task_id)
                finally:
                    slots.put(slot)
            local.record(task_id, start, time.monotonic_ns(), result, err)
        except BaseException as e:  # noqa: BLE001 - a future would keep it unseen
            foreign.fail(run, e)

    with ThreadPoolExecutor(max_workers=run.concurrency, initializer=thread_init) as pool:
        # The executor starts a thread per submit until it has C; start all
        # C before the clock, as the C threadpool does, so that creating
        # them (and their recorders) is set-up and not part of the run.
        started = threading.Barrier(run.concurrency + 1)
        for _ in range(run.concurrency):
            pool.submit(started.wait)
        started.wait()
        run.ready()

        # a dispatcher thread submits each task when it is due (all at
        # once in a batch); leaving the with block waits for them all
        def dispatch():
            for i in run.on_time():
                pool.submit(task, i)

        dispatcher = threading.Thread(target=dispatch)
        dispatcher.start()
        dispatcher.join()
    run.end()  # every thread is done: their records go out, then "end"
    while slots is not None and not slots.empty():
        work.close(slots.get_nowait())


if __name__ == "__main__":
    foreign.main(main)
