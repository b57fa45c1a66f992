#!/usr/bin/env python3
"""stop_leaves_nothing.py SIG MIN_PROCS SETTLE_S CMD... - start CMD in a
session of its own, wait until the run has MIN_PROCS processes (then
SETTLE_S more seconds), send SIG (INT: to the command's process group, as
a terminal's Ctrl-C does; TERM, HUP: to the command), wait for it, and at
once (no sleep) list every process of the run still there, zombies
included. The run's processes: those of the session, and their
descendants that made sessions of their own (postgres's backends), as
seen just before the signal (pid and start time, so a reused pid is not
taken for one). Prints one line: "exit RC running N left K [pid:comm:state ...]"."""
import os
import signal
import subprocess
import sys
import time


def procs():
    """pid -> (comm, state, ppid, session, start time) of every process."""
    out = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                st = f.read()
        except OSError:
            continue
        rest = st[st.rfind(")") + 2:].split()
        comm = st[st.find("(") + 1:st.rfind(")")]
        # state ppid pgrp session ... starttime (field 22)
        out[int(d)] = (comm, rest[0], int(rest[1]), int(rest[3]), rest[19])
    return out


def run_procs(sid, known=None):
    """The run's processes now: the session's and their descendants', and
    any of `known` (pid -> start time) still alive."""
    ps = procs()
    mine = {pid for pid, p in ps.items() if p[3] == sid}
    grew = True
    while grew:
        more = {pid for pid, p in ps.items() if p[2] in mine and pid not in mine}
        mine |= more
        grew = bool(more)
    for pid, start in (known or {}).items():
        if pid in ps and ps[pid][4] == start:
            mine.add(pid)
    return {pid: ps[pid] for pid in mine}


def session_procs(sid, known=None):
    return [f"{pid}:{p[0]}:{p[1]}" for pid, p in run_procs(sid, known).items()]


def main():
    sig = getattr(signal, "SIG" + sys.argv[1])
    want, settle, cmd = int(sys.argv[2]), float(sys.argv[3]), sys.argv[4:]
    p = subprocess.Popen(cmd, start_new_session=True, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    end = time.monotonic() + 30
    n = 0
    while time.monotonic() < end and p.poll() is None:
        n = len(session_procs(p.pid))
        if n >= want:
            break
        time.sleep(0.05)
    time.sleep(settle)
    known = {pid: q[4] for pid, q in run_procs(p.pid).items()}
    n = max(n, len(known))
    try:
        if sig == signal.SIGINT:
            os.killpg(p.pid, sig)
        else:
            os.kill(p.pid, sig)
    except ProcessLookupError:
        pass  # it ended before: its exit status says how
    try:
        rc = p.wait(timeout=60)
    except subprocess.TimeoutExpired:
        rc = "hung"
    left = session_procs(p.pid, known)
    print(f"exit {rc} running {n} left {len(left)} {' '.join(left[:8])}")
    for q in left:  # the next case starts clean
        try:
            os.kill(int(q.split(":")[0]), signal.SIGKILL)
        except OSError:
            pass


main()
