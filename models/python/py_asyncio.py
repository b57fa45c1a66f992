"""py-asyncio - one event loop: every task a coroutine, asyncio.gather over
all of them, asyncio.Semaphore(C) as the bound (the seed's Example 1), the
GET over asyncio streams. The cpu kernel runs inline on the loop: while it
runs, nothing else does - the lesson. See README.md for the protocol."""

import asyncio
import time

import foreign
import foreign_aio


async def amain(run):
    # --conn keepalive: C streams opened before the clock; the pool is then
    # the bound. Otherwise a new connection per task, C at a time.
    pool = await foreign_aio.stream_pool(run, run.concurrency) if run.keepalive else None
    bound = asyncio.Semaphore(run.concurrency)

    async def task(task_id):
        async with bound:
            start = time.monotonic_ns()
            if run.does_io:
                result, err = await foreign_aio.async_get(run, pool, task_id)
            else:
                result, err = run.seed(task_id), "ok"
            if run.does_cpu and err == "ok":
                result = foreign.cpu_kernel(result, run.cpu_iters)  # blocks the loop
            run.record(task_id, start, time.monotonic_ns(), result, err)

    run.ready()
    await foreign_aio.gather_on_time(run, task)  # open loop: loop.call_at
    run.end()
    while pool is not None and not pool.empty():
        await foreign_aio.close_stream(pool.get_nowait())


def main(run):
    asyncio.run(amain(run))


if __name__ == "__main__":
    foreign.main(main)
