"""py-threads - concurrent.futures.ThreadPoolExecutor(max_workers=C): every
task submitted by a dispatcher thread (at once, or when due under --rate),
results taken as they complete. Blocking http.client calls release the GIL
while they wait; the cpu kernel holds it. See README.md for the protocol."""

import queue
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import foreign
import foreign_work


def main(run):
    # C slots opened before the clock (--conn keepalive's connections, a
    # pg or sqlite connection each: foreign_work.py); each task borrows one
    # (a pool of C threads never waits for one)
    work = foreign_work.Blocking(run)
    slots = queue.Queue()
    for _ in range(run.concurrency):
        slots.put(work.slot())

    def task(task_id):
        start = time.monotonic_ns()
        slot = slots.get()
        try:
            result, err, slot = work.task(slot, task_id)
        finally:
            slots.put(slot)
        return task_id, start, time.monotonic_ns(), result, err

    with ThreadPoolExecutor(max_workers=run.concurrency) as pool:
        # The executor starts a thread per submit until it has C; start all
        # C before the clock, as the C threadpool does, so that creating
        # them is set-up and not part of the run.
        started = threading.Barrier(run.concurrency + 1)
        for _ in range(run.concurrency):
            pool.submit(started.wait)
        started.wait()
        run.ready()
        # a dispatcher thread submits each task when it is due (all at
        # once in a batch); this thread reports them as they complete
        done = queue.SimpleQueue()

        def dispatch():
            for i in run.on_time():
                pool.submit(task, i).add_done_callback(done.put)

        dispatcher = threading.Thread(target=dispatch)
        dispatcher.start()
        for _ in range(run.tasks):
            run.record(*done.get().result())
        dispatcher.join()
        run.end()
    while not slots.empty():
        work.close(slots.get_nowait())


if __name__ == "__main__":
    foreign.main(main)
