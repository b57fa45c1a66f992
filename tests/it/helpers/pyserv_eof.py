#!/usr/bin/env python3
"""pyserv_eof.py PYTHON PROGRAM KEY=VALUE... - start a server program of
models/python/ by hand, with the protocol's socketpair on its fd 3, wait for
"ready PORT", then close our end (as a runner that died would) and see
that the program and every process it started are gone within 5 s. Prints
"ready PORT procs N left K"."""
import os
import socket
import subprocess
import sys
import time


def tree(pid):
    """pid and its descendants, through /proc/PID/task/*/children."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for t in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{t}/children") as f:
                    todo += [int(c) for c in f.read().split()]
        except OSError:
            pass
    return out


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def main():
    ours, theirs = socket.socketpair()
    fd = theirs.fileno()
    proc = subprocess.Popen([sys.argv[1], "-B", sys.argv[2]] + sys.argv[3:] + ["fd=3"],
                            pass_fds=(fd, 3), stdin=subprocess.DEVNULL,
                            preexec_fn=lambda: os.dup2(fd, 3))
    theirs.close()
    ours.settimeout(30)
    line = b""
    while not line.endswith(b"\n"):
        got = ours.recv(1)
        if not got:
            break
        line += got
    time.sleep(0.3)
    procs = tree(proc.pid)
    ours.close()  # the runner is gone
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(alive(p) for p in procs if p != proc.pid):
        time.sleep(0.05)
    try:
        proc.wait(timeout=max(0.1, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        pass
    left = [p for p in procs if alive(p)]
    for p in left:  # never leave one behind
        try:
            os.kill(p, 9)
        except OSError:
            pass
    print(f"{line.decode().strip() or 'no-ready'} procs {len(procs)} left {len(left)}")


main()
