#!/usr/bin/python3
"""bad_server.py MODE - an HTTP server that misbehaves in one way, for the
client's tests. It prints its port, then answers each request with a valid
200 response and then, by MODE:
  double   a second, unsolicited response right after the first
  trailing a few stray bytes after the body
It runs until killed (the test kills it) or for 60 s at most."""
import socket
import sys
import threading
import time

MODE = sys.argv[1]
BODY = b"x" * 16
RESP = b"HTTP/1.1 200 OK\r\nContent-Length: 16\r\n\r\n" + BODY


def serve(conn):
    conn.settimeout(10)
    buf = b""
    try:
        while True:
            data = conn.recv(4096)
            if not data:
                return
            buf += data
            while b"\r\n\r\n" in buf:
                _, buf = buf.split(b"\r\n\r\n", 1)
                if MODE == "double":
                    conn.sendall(RESP + RESP)
                else:
                    conn.sendall(RESP + b"junk")
    except OSError:
        return
    finally:
        conn.close()


def main():
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", 0))
    ls.listen(128)
    print(ls.getsockname()[1], flush=True)
    ls.settimeout(60)
    end = time.time() + 60
    while time.time() < end:
        try:
            conn, _ = ls.accept()
        except OSError:
            return
        threading.Thread(target=serve, args=(conn,), daemon=True).start()


main()
