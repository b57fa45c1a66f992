"""probe_spawn.py - how long CPython takes to start one worker process, for
`cmbench claims` ("spawning a new process takes 100-500 milliseconds").

For each start method of multiprocessing (spawn: a fresh interpreter, what
macOS and Windows use; fork: Linux's default in CPython 3.11; forkserver),
one process at a time is started and timed from Process.start() until its
target runs (it sets an Event the parent waits for): the wall-clock time to
spawn one process on an otherwise idle interpreter. One unmeasured start
per method first (it starts the resource tracker, the fork server). Then
reps starts: their median and least, in ms (the least is the start that
other work on the machine disturbed least), and for spawn and fork the CPU
time the children took (their whole life: start-up, the target, exit) per
start; a fork server's children are not ours, so it has none.

Prints one csv header and one row on stdout. Usage: probe_spawn.py
[reps=10]; bad arguments: one line on stderr, exit 2."""

import multiprocessing
import resource
import statistics
import sys
import time

METHODS = ("spawn", "fork", "forkserver")
WAIT_S = 30  # a start that takes longer than this has failed


def started(event):
    event.set()


def children_cpu_s():
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def one_start(ctx):
    """Seconds from start() until the child runs its target."""
    event = ctx.Event()
    proc = ctx.Process(target=started, args=(event,))
    t0 = time.monotonic()
    proc.start()
    ok = event.wait(WAIT_S)
    took = time.monotonic() - t0
    proc.join(WAIT_S)
    if not ok or proc.exitcode != 0:
        raise RuntimeError(f"a {ctx.get_start_method()} worker did not start")
    return took


def measure(method, reps):
    ctx = multiprocessing.get_context(method)
    one_start(ctx)  # the resource tracker, the fork server: once per program
    cpu0 = children_cpu_s()
    times = [one_start(ctx) for _ in range(reps)]
    cpu = (children_cpu_s() - cpu0) / reps if method != "forkserver" else float("nan")
    return statistics.median(times) * 1e3, min(times) * 1e3, cpu * 1e3


def main(argv):
    reps = 10
    for a in argv:
        key, _, val = a.partition("=")
        if key != "reps" or not val.isdigit() or not 1 <= int(val) <= 1000:
            print(f"probe_spawn: bad argument '{a}' (reps=1..1000)", file=sys.stderr)
            return 2
        reps = int(val)
    head, row = ["reps"], [str(reps)]
    for method in METHODS:
        med, least, cpu = measure(method, reps)
        head += [f"{method}_ms", f"{method}_min_ms", f"{method}_cpu_ms"]
        row += [f"{med:.3f}", f"{least:.3f}", f"{cpu:.3f}"]
    print(",".join(head))
    print(",".join(row))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
