"""py-uvloop-prefork - W processes (--workers), each running uvloop on its
share of the tasks: the seed's "asyncio + uvloop per process, behind a
load balancer" (what Gunicorn + Uvicorn workers give a server), the
Python analog of eventloop-prefork.

As there, the balancer is a task counter in shared memory that every loop
takes its next id from (a loop that runs ahead takes more), --concurrency
is split across the loops (worker i gets C/W slots, one more for the first
C%W; with fewer slots than workers only C are forked), and the CPU part
runs inline on the worker's loop; under --rate a slot that takes a task
waits until it is due. Each worker sets up (its connections,
its driver's pool) before the parent says ready, starts on go, writes its
own records on the protocol's fd (batched, foreign.py: a batch of whole
lines in one write of a few KiB, which a unix stream socket keeps whole),
says done and waits for the parent's bye before tearing down, so the final
sample holds every loop. The parent watches the protocol's fd meanwhile:
when cmbench's end closes, it kills the workers and says so in one line.
See README.md."""

import asyncio
import multiprocessing
import os
import select
import signal
import sys
import time

import uvloop

import foreign
import foreign_aio_work


async def worker_loop(run, slots, counter, go_fd, done_fd):
    work = foreign_aio_work.work(run)
    await work.setup(slots)
    os.write(done_fd, b"r")  # ready
    t0 = os.read(go_fd, 32)  # the parent's go: t0, or EOF (abort)
    if not t0:
        return
    run.t0 = int(t0)

    record = run.recorder()  # this worker's, batched (foreign.py)

    def next_id():
        with counter.get_lock():
            i = counter.value
            counter.value = i + 1
        return i

    async def slot():
        while (task_id := next_id()) < run.tasks:
            # open loop (--rate): not before it is due; uvloop's timers count
            # whole ms, so a sleep may end early: sleep again
            while (early := run.due_ns(task_id) - time.monotonic_ns()) > 0:
                await asyncio.sleep(early / 1e9)
            start = time.monotonic_ns()
            result, err = await work.io(task_id)
            if run.does_cpu and err == "ok":
                result = foreign.cpu_kernel(result, run.cpu_iters)  # blocks this loop
            record(task_id, start, time.monotonic_ns(), result, err)

    await asyncio.gather(*(slot() for _ in range(slots)))
    run.flush()  # what this worker still holds, before it says done
    os.write(done_fd, b"d")
    os.read(go_fd, 1)  # EOF: the parent heard bye
    await work.close()


class SetupError(Exception):
    """A worker could not set up."""


def worker(run, slots, counter, go_fd, done_fd):
    """In the forked child: never returns."""
    code = 0
    run.quiet_lost = True  # a closed fd 3: the parent says it, and kills us
    try:
        asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
        asyncio.run(worker_loop(run, slots, counter, go_fd, done_fd))
    except BaseException as e:  # noqa: BLE001 - say it in one line, and die
        code = 1
        try:  # before ready, the parent says it ("fail WHY"); after, we do
            os.write(done_fd, b"f" + foreign.one_line(e).encode()[:200])
        except OSError:
            pass
        if run.t0:
            print(f"{run.model}: worker {os.getpid()}: {foreign.one_line(e)}", file=sys.stderr)
    finally:
        sys.stderr.flush()
        os._exit(code)  # pylint: disable=protected-access


def wait_done(run, done_fds):
    """Until every worker said done (or died: EOF, its tasks unreported),
    watching fd 3: cmbench says nothing until bye, so a readable fd 3 is
    its end closed (lost_channel: one line, the workers killed, exit 1).
    Returns how many died."""
    watch, left, lost = select.poll(), set(done_fds), 0
    for d in done_fds:
        watch.register(d, select.POLLIN)
    watch.register(run.fd, select.POLLIN)
    while left:
        for fd, _ in watch.poll():
            if fd == run.fd:
                foreign.lost_channel(run, EOFError("cmbench closed the protocol socket"))
            said = os.read(fd, 1)
            lost += said != b"d"
            watch.unregister(fd)
            left.discard(fd)
    return lost


def main(run):
    n = max(1, min(run.workers, run.concurrency))
    counter = multiprocessing.Value("Q", 0)
    kids = []  # (pid, go write end, done read end)
    for i in range(n):
        slots = run.concurrency // n + (1 if i < run.concurrency % n else 0)
        go_r, go_w = os.pipe()
        done_r, done_w = os.pipe()
        pid = os.fork()
        if pid == 0:
            for _, g, d in kids:
                os.close(g)
                os.close(d)
            os.close(go_w)
            os.close(done_r)
            worker(run, slots, counter, go_r, done_w)
        os.close(go_r)
        os.close(done_w)
        kids.append((pid, go_w, done_r))
        run.kids.append(pid)
    lost, why = 0, ""
    for _, _, d in kids:  # every loop set up: the clock may start
        said = os.read(d, 1)
        if said != b"r":
            lost += 1
            if said == b"f" and not why:
                why = os.read(d, 256).decode(errors="replace")
    if lost:
        for pid, _, _ in kids:
            os.kill(pid, signal.SIGKILL)
        raise SetupError(f"{lost} worker(s) died before they were ready"
                         + (f" ({why})" if why else ""))
    t0 = run.ready()
    for _, g, _ in kids:
        os.write(g, str(t0).encode())
    lost += wait_done(run, [d for _, _, d in kids])
    run.end()
    for pid, g, d in kids:
        os.close(g)
        os.close(d)
        _, st = os.waitpid(pid, 0)
        lost += st != 0
    if lost:
        sys.exit(1)


if __name__ == "__main__":
    foreign.main(main)
