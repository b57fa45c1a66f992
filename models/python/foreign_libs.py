"""foreign_libs.py - the library a run uses for its I/O (--py-http,
--py-pg), and importing it. cmbench resolves "default" before it starts the
program and refuses a library that does not fit the model, so the program
gets the name of one that does (README.md, "Libraries"). A library that
cannot be imported is one line (Missing) and exit 2, never a traceback:
cmbench asks with mode=probe before the run."""

import importlib

# the module(s) each library needs, and the Debian package that has them
MODULES = {
    "streams": (),
    "http.client": (),
    "aiohttp": ("aiohttp",),
    "httpx": ("httpx",),
    "requests": ("requests",),
    "asyncpg": ("asyncpg",),
    "psycopg": ("psycopg", "psycopg_pool"),
    "psycopg2": ("psycopg2", "psycopg2.extensions"),
    "sqlite3": ("sqlite3",),
    "sqlalchemy": ("sqlalchemy",),
    "greenlet": ("greenlet",),  # SQLAlchemy's asyncio extension runs on it
    "open": (),
    "to_thread": (),
    "aiofiles": ("aiofiles", "aiofiles.os"),
}
DEBIAN = {
    "aiohttp": "python3-aiohttp", "httpx": "python3-httpx", "requests": "python3-requests",
    "asyncpg": "python3-asyncpg", "psycopg": "python3-psycopg",
    "psycopg_pool": "python3-psycopg-pool", "psycopg2": "python3-psycopg2",
    "sqlite3": "libpython3-stdlib", "sqlalchemy": "python3-sqlalchemy",
    "greenlet": "python3-greenlet", "aiofiles": "python3-aiofiles",
}


class Missing(Exception):
    """A library the run needs cannot be imported."""


def lib_of(run):
    """(flag, library) of the run's I/O, or (None, None) for cpu."""
    if run.workload in ("io", "mixed", "blocking"):
        return "--py-http", run.py_http
    if run.workload == "pg":
        return "--py-pg", run.py_pg
    if run.workload == "sqlite":
        return "--workload sqlite", "sqlite3"
    if run.workload == "file":
        return "--py-file", run.py_file
    return None, None


def need(run, flag, lib):
    """Import lib's modules; the first one (the library) is returned."""
    if lib not in MODULES:
        raise Missing(f"{flag}: unknown library {lib}")
    mods = []
    for name in MODULES[lib]:
        try:
            mods.append(importlib.import_module(name))
        except ImportError as e:
            top = name.split(".")[0]
            raise Missing(f"{flag} {lib}: cannot import {name} ({e}); it is in the Debian "
                          f"package {DEBIAN.get(top, top)}") from None
    return mods[0] if mods else None


def probe(run):
    flag, lib = lib_of(run)
    if lib:
        need(run, flag, lib)
