"""closed_socket.py PROGRAM MODEL PORT LIB - plays cmbench's runner for one
foreign program (models/python/README.md's protocol) and closes its end of
the socket right after "go": the program can no longer write its records.
LIB is its --py-http library, resolved (streams on a loop, http.client
elsewhere). The interpreter is cmbench's: $CMBENCH_PYTHON or /usr/bin/python3.
It starts the program in a session of its own, waits up to 10 s for it to
exit, and prints one line for tests/it/foreign.sh:

  RC SECONDS STDERR_LINES LEFT | the first line of its stderr

LEFT is how many processes of that session (its workers) are still there
0.3 s after it exited; then they are killed."""

import os
import signal
import socket
import subprocess
import sys
import time


def session_pids(sid):
    pids = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", encoding="ascii", errors="replace") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == sid and fields[0] != "Z":  # field 6, the session
            pids.append(int(name))
    return pids


def main():
    program, model, port, lib = sys.argv[1:5]
    ours, theirs = socket.socketpair()
    args = [os.environ.get("CMBENCH_PYTHON") or "/usr/bin/python3", "-B", program, f"py-http={lib}", "mode=run", f"model={model}", "workload=io",
            "tasks=3000", "concurrency=4", "workers=2", "host=127.0.0.1", f"port={port}",
            "io_latency_us=2000", "payload=256", "conn=new", "timeout_us=5000000",
            f"fd={theirs.fileno()}"]  # the protocol's fd: 3 from cmbench, any here
    proc = subprocess.Popen(args, pass_fds=(theirs.fileno(),), start_new_session=True,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    theirs.close()
    ours.settimeout(30)
    said = b""
    while not said.endswith(b"\n"):
        b = ours.recv(1)
        if not b:
            break
        said += b
    if said != b"ready\n":
        proc.kill()
        print(f"-1 0 0 0 | no ready: {said!r} {proc.stdout.read()[:200]!r}")
        return
    ours.sendall(f"go {time.monotonic_ns()}\n".encode())
    time.sleep(0.2)  # its tasks run, a few records go out
    ours.close()
    t = time.monotonic()
    try:
        rc = proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        rc = "hung"
    secs = time.monotonic() - t
    time.sleep(0.3)
    left = session_pids(proc.pid)
    for pid in left:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    if rc == "hung":
        proc.kill()
        proc.wait()
    out = proc.stdout.read().decode(errors="replace").splitlines()
    print(f"{rc} {secs:.2f} {len(out)} {len(left)} | {out[0] if out else ''}")


if __name__ == "__main__":
    main()
