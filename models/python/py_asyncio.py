"""py-asyncio - one event loop: every task a coroutine, asyncio.gather over
all of them, asyncio.Semaphore(C) as the bound (the seed's Example 1), the
GET over asyncio streams. The cpu kernel runs inline on the loop: while it
runs, nothing else does - the lesson. See README.md for the protocol."""

import asyncio
import time

import foreign
import foreign_aio
import foreign_aio_work


async def amain(run, executor=None):
    # what is kept before the clock (foreign_aio_work.py): --conn keepalive's
    # C connections (the pool is then the bound), the driver's pool of C, C
    # slots of a blocking call; otherwise a new connection per task, C at a
    # time. executor: where a blocking call goes (None: inline).
    work = foreign_aio_work.work(run, executor)
    await work.setup(run.concurrency)
    bound = asyncio.Semaphore(run.concurrency)
    record = run.recorder()  # batched: no system call of its own (foreign.py)

    async def task(task_id):
        async with bound:
            start = time.monotonic_ns()
            result, err = await work.io(task_id)
            if run.does_cpu and err == "ok":
                result = foreign.cpu_kernel(result, run.cpu_iters)  # blocks the loop
            record(task_id, start, time.monotonic_ns(), result, err)

    run.ready()
    await foreign_aio.gather_on_time(run, task)  # open loop: loop.call_at
    run.end()
    await work.close()


def main(run):
    asyncio.run(amain(run))


if __name__ == "__main__":
    foreign.main(main)
