"""probe_coroutines.py - what one suspended asyncio coroutine costs, for
`cmbench claims` ("An asyncio coroutine object is roughly 200 bytes").

N coroutines of `async def waiter(fut): await fut` are each run to their
await and left there, suspended on one shared future, exactly as a Task
would drive them (coro.send(None)) but without the Task: what is measured is
the coroutine object itself, with its frame and the iterator of the await it
is suspended in. Then the same N as asyncio Tasks on a running loop, what
`asyncio.gather` makes of them. Each is measured twice, in this order:

  *_pss_b          the growth of this process's PSS (/proc/self/smaps_rollup)
                   per coroutine, tracemalloc off (it would add its own);
  *_tracemalloc_b  the bytes Python allocated per coroutine (tracemalloc),
                   what the object and its frame take on the heap.

The list that holds them is allocated before the first sample. Prints one
csv header and one row of figures on stdout. Usage: probe_coroutines.py
[n=10000]; bad arguments: one line on stderr, exit 2."""

import asyncio
import gc
import sys
import tracemalloc


async def waiter(fut):
    await fut


def pss_kib():
    with open("/proc/self/smaps_rollup", encoding="ascii") as f:
        for line in f:
            if line.startswith("Pss:"):
                return int(line.split()[1])
    raise OSError("no Pss in /proc/self/smaps_rollup")


def suspend_bare(n, fut, hold):
    """n coroutines, each run to its await of fut: suspended, no Task."""
    for i in range(n):
        coro = waiter(fut)
        if coro.send(None) is not fut:  # it yields the future it waits for
            raise RuntimeError("the coroutine did not suspend on the future")
        fut._asyncio_future_blocking = False  # as a Task does once it holds fut
        hold[i] = coro


async def suspend_tasks(n, fut, hold):
    """n Tasks, each suspended on fut once the loop has run them."""
    for i in range(n):
        hold[i] = asyncio.ensure_future(waiter(fut))
    await asyncio.sleep(0)  # every task runs to its await


def release(hold):
    for i, c in enumerate(hold):
        if c is not None and hasattr(c, "close"):
            c.close()  # a suspended coroutine: GeneratorExit at its await
        hold[i] = None
    gc.collect()


def per_coroutine(n, fill, use_tracemalloc):
    """Bytes per coroutine that fill(hold) adds: PSS or tracemalloc."""
    hold = [None] * n
    gc.collect()
    if use_tracemalloc:
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        fill(hold)
        gc.collect()
        after = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        grown = after - before
    else:
        before = pss_kib()
        fill(hold)
        gc.collect()
        grown = (pss_kib() - before) * 1024
    size = sys.getsizeof(hold[0])
    return grown / n, size, hold


def bare(n, use_tracemalloc):
    loop = asyncio.new_event_loop()
    fut = loop.create_future()
    try:
        per, size, hold = per_coroutine(n, lambda h: suspend_bare(n, fut, h), use_tracemalloc)
        release(hold)
    finally:
        loop.close()
    return per, size


def tasks(n, use_tracemalloc):
    async def main():
        fut = asyncio.get_running_loop().create_future()
        hold = [None] * n
        gc.collect()
        if use_tracemalloc:
            tracemalloc.start()
            before = tracemalloc.get_traced_memory()[0]
        else:
            before = pss_kib()
        await suspend_tasks(n, fut, hold)
        gc.collect()
        if use_tracemalloc:
            grown = tracemalloc.get_traced_memory()[0] - before
            tracemalloc.stop()
        else:
            grown = (pss_kib() - before) * 1024
        fut.set_result(None)
        await asyncio.gather(*hold)
        return grown / n

    return asyncio.run(main())


def main(argv):
    n = 10000
    for a in argv:
        key, _, val = a.partition("=")
        if key != "n" or not val.isdigit() or not 100 <= int(val) <= 10_000_000:
            print(f"probe_coroutines: bad argument '{a}' (n=100..10000000)", file=sys.stderr)
            return 2
        n = int(val)
    # PSS first, while the heap has never held them; tracemalloc after
    coro_pss, size = bare(n, False)
    task_pss = tasks(n, False)
    coro_tm, _ = bare(n, True)
    task_tm = tasks(n, True)
    print("n,coro_getsizeof_b,coro_tracemalloc_b,coro_pss_b,task_tracemalloc_b,task_pss_b")
    print(f"{n},{size},{coro_tm:.1f},{coro_pss:.1f},{task_tm:.1f},{task_pss:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
