"""foreign_timer.py - the timer workload in Python: a task that only waits
--timer (the run's "timer" key, in microseconds) and touches no file, no
socket and no CPU, so that a ceiling measures what holding a task costs
the model alone, as workloads/timer.c does for the C models:

  py-threads, py-sequential  time.sleep in the task's thread (Blocking)
  py-processes               time.sleep in the pool's worker process
  py-asyncio, py-uvloop      await asyncio.sleep on the loop (Async)

The result is workloads/timer.c's: mix64(id ^ mix64(wait_us)), so the C
and the Python runs of equal parameters have equal checksums."""

import asyncio
import time

import foreign


def wait_us(run):
    return run.num_flag("timer", 5000)


def result(run, task_id):
    return foreign.mix64(task_id ^ foreign.mix64(wait_us(run)))


class Blocking:
    """foreign_work.py's I/O part: the task's thread or process sleeps."""

    def __init__(self, run):
        self.run, self.wait_s = run, wait_us(run) / 1e6

    def slot(self):
        return None

    def task(self, slot, task_id):
        time.sleep(self.wait_s)
        return result(self.run, task_id), "ok", slot

    def close(self, slot):
        pass


class Async:
    """foreign_aio_work.py's I/O part: the coroutine sleeps on the loop."""

    def __init__(self, run):
        self.run, self.wait_s = run, wait_us(run) / 1e6

    async def setup(self, n):
        pass

    async def io(self, task_id):
        await asyncio.sleep(self.wait_s)
        return result(self.run, task_id), "ok"

    async def close(self):
        pass
