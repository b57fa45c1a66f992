"""py-sequential - one task after another with blocking calls: the seed's
`for url in urls: requests.get(url)`, with http.client (the stdlib under
requests). See README.md for the protocol."""

import time

import foreign
import foreign_work


def main(run):
    # one slot, opened before the clock: --conn keepalive's connection, the
    # pg or sqlite connection (foreign_work.py)
    work = foreign_work.Blocking(run)
    slot = work.slot()
    record = run.recorder()  # batched: no system call of its own (foreign.py)
    run.ready()
    for task_id in run.on_time():  # open loop: each when it is due
        start = time.monotonic_ns()
        result, err, slot = work.task(slot, task_id)
        record(task_id, start, time.monotonic_ns(), result, err)
    run.end()
    work.close(slot)


if __name__ == "__main__":
    foreign.main(main)
