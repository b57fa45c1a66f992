"""py-asyncio-offload - py-asyncio with each task's cpu part handed to a
concurrent.futures.ProcessPoolExecutor(max_workers=--workers) through
loop.run_in_executor: the seed's fix for CPU work inside async code. The
loop keeps doing I/O while the workers compute. See README.md for the
protocol."""

import asyncio
import os
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import foreign
import foreign_aio
import foreign_aio_work


async def amain(run, executor):
    loop = asyncio.get_running_loop()
    # a blocking call (the blocking and sqlite workloads) goes to a thread
    # pool of W: asyncio.to_thread's executor, sized as C's libuv pool
    work = foreign_aio_work.work(run, executor if run.blocking_only else None)
    await work.setup(run.concurrency)
    bound = asyncio.Semaphore(run.concurrency)
    record = run.recorder()  # batched: no system call of its own (foreign.py)
    # start the W workers before the clock (they start on first use)
    await asyncio.gather(*(loop.run_in_executor(executor, os.getpid)
                           for _ in range(run.workers)))

    async def task(task_id):
        async with bound:
            start = time.monotonic_ns()
            result, err = await work.io(task_id)
            if run.does_cpu and err == "ok":
                result = await loop.run_in_executor(executor, foreign.cpu_kernel, result,
                                                    run.cpu_iters)
            record(task_id, start, time.monotonic_ns(), result, err)

    run.ready()
    await foreign_aio.gather_on_time(run, task)  # open loop: loop.call_at
    run.end()
    await work.close()


def main(run):
    # CPU parts go to processes; a blocking call to threads (the GIL is
    # released while it waits), as the seed says for each
    pool = ThreadPoolExecutor if run.blocking_only else ProcessPoolExecutor
    with pool(max_workers=run.workers) as executor:
        asyncio.run(amain(run, executor))


if __name__ == "__main__":
    foreign.main(main)
