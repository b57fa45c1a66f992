"""py-sequential - one task after another with blocking calls: the seed's
`for url in urls: requests.get(url)`, with http.client (the stdlib under
requests). See README.md for the protocol."""

import time

import foreign


def main(run):
    # --conn keepalive: one connection, opened before the clock
    conn = foreign.http_connection(run, connect=True) if run.keepalive else None
    run.ready()
    for task_id in run.on_time():  # open loop: each when it is due
        start = time.monotonic_ns()
        result, err = foreign.blocking_task(run, conn, task_id)
        run.record(task_id, start, time.monotonic_ns(), result, err)
    run.end()


if __name__ == "__main__":
    foreign.main(main)
