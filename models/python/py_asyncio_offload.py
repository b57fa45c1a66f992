"""py-asyncio-offload - py-asyncio with each task's cpu part handed to a
concurrent.futures.ProcessPoolExecutor(max_workers=--workers) through
loop.run_in_executor: the seed's fix for CPU work inside async code. The
loop keeps doing I/O while the workers compute. See README.md for the
protocol."""

import asyncio
import os
import time
from concurrent.futures import ProcessPoolExecutor

import foreign
import foreign_aio


async def amain(run, executor):
    loop = asyncio.get_running_loop()
    pool = await foreign_aio.stream_pool(run, run.concurrency) if run.keepalive else None
    bound = asyncio.Semaphore(run.concurrency)
    # start the W workers before the clock (they start on first use)
    await asyncio.gather(*(loop.run_in_executor(executor, os.getpid)
                           for _ in range(run.workers)))

    async def task(task_id):
        async with bound:
            start = time.monotonic_ns()
            if run.does_io:
                result, err = await foreign_aio.async_get(run, pool, task_id)
            else:
                result, err = run.seed(task_id), "ok"
            if run.does_cpu and err == "ok":
                result = await loop.run_in_executor(executor, foreign.cpu_kernel, result,
                                                    run.cpu_iters)
            run.record(task_id, start, time.monotonic_ns(), result, err)

    run.ready()
    await foreign_aio.gather_on_time(run, task)  # open loop: loop.call_at
    run.end()
    while pool is not None and not pool.empty():
        await foreign_aio.close_stream(pool.get_nowait())


def main(run):
    with ProcessPoolExecutor(max_workers=run.workers) as executor:
        asyncio.run(amain(run, executor))


if __name__ == "__main__":
    foreign.main(main)
