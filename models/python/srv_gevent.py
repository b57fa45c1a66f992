"""py-gevent - gevent's pywsgi server with the standard library
monkey-patched (gevent.monkey.patch_all(), first, before anything imports
socket or threading): a greenlet per connection on gevent's one hub, and a
WSGI app whose handler makes plain blocking calls (requests, psycopg2,
http.client) that the patched sockets turn into cooperative waits. The
third way Python people choose: green threads. The handler is
foreign_srv.SyncHandler with one slot per connection; the protocol runs on a
greenlet (the patched threading.Thread) over the patched socket. See
README.md for the protocol."""

import sys

if "mode=cpu" not in sys.argv:  # the cpu cost question needs no gevent
    try:
        from gevent import monkey
        monkey.patch_all()
    except ImportError:
        pass  # foreign_srv.main names the package

import foreign_srv  # noqa: E402 - after the patching, as gevent asks


def serve(run, ch):
    import gevent  # pylint: disable=import-outside-toplevel
    from gevent.pywsgi import WSGIServer  # pylint: disable=import-outside-toplevel
    sock, port = foreign_srv.listener(run)
    handler = foreign_srv.SyncHandler(run, run.concurrency)
    server = WSGIServer(sock, foreign_srv.wsgi_app(lambda: handler), log=None)
    server.start()
    ch.start(port, lambda: True)
    gevent.wait()  # until the channel ends the program


if __name__ == "__main__":
    foreign_srv.main(serve, ("gevent", "gevent.pywsgi"))
