"""records_batched.py MODELS_PYTHON_DIR - foreign.py's Records and Tally on
a socketpair, os.write counted: 1,000 records that end within the heartbeat
go out in ceil(1000 / BATCH) writes, every one of them readable, each once;
a task that ends a heartbeat after the last write sends what is held at
once; the end flushes the rest; a Tally sends counts, not records. Prints
one line per check, "ok - ..." or "not ok - ...", for tests/it/foreign.sh."""

import os
import socket
import sys

sys.path.insert(0, sys.argv[1])
import foreign  # noqa: E402 pylint: disable=wrong-import-position

writes = []
real_write = os.write


def counting_write(fd, data):
    writes.append(len(data))
    return real_write(fd, data)


def check(what, cond):
    print(f"{'ok' if cond else 'not ok'} - {what}")


def drain(sock):
    sock.setblocking(False)
    got = b""
    try:
        while chunk := sock.recv(1 << 20):
            got += chunk
    except BlockingIOError:
        pass
    return got.decode().splitlines()


def main():
    ours, theirs = socket.socketpair()
    run = foreign.Run(["model=py-test", "workload=io", "tasks=1000", f"fd={theirs.fileno()}"])
    os.write = counting_write
    record = run.recorder()
    t = run._recorders[0].written  # pylint: disable=protected-access
    for i in range(1000):
        record(i, t + i, t + i + 1, i * 7, "ok")  # all within the heartbeat
    held = len(writes)
    lines = drain(ours)
    want = 1000 // foreign.BATCH
    check(f"1000 records within a heartbeat: {held} writes (want {want}, one per {foreign.BATCH})",
          held == want)
    run.flush()
    lines += drain(ours)
    ids = sorted(int(line.split()[1]) for line in lines if line.startswith("task "))
    check(f"after the flush every record is there once, readable ({len(ids)} of 1000)",
          ids == list(range(1000)) and all(len(line.split()) == 6 for line in lines))
    writes.clear()
    record(1000, t, t + 2 * foreign.HEARTBEAT_NS, 0, "ok")
    check(f"a task ending a heartbeat after the last write is written at once ({len(writes)} write)",
          len(writes) == 1 and drain(ours)[0].startswith("task 1000 "))
    writes.clear()
    bare = foreign.Run(["model=py-test", "workload=io", "bare=1", f"fd={theirs.fileno()}"])
    tally = bare.recorder()
    for i in range(300):
        tally(i, 0, t + i, 0, "ok" if i % 3 else "http")
    bare.flush()
    lines = drain(ours)
    check(f"--py-bare: 300 tasks in one line of counts ({lines})",
          len(writes) == 1 and lines == [f"done {t + 299} 200 0 0 0 100 0 0"])


if __name__ == "__main__":
    main()
