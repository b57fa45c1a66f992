"""py-uvloop - py-asyncio, unchanged, on uvloop's event loop (libuv under
Cython): the seed's one line, asyncio.set_event_loop_policy(
uvloop.EventLoopPolicy()). See README.md for the protocol."""

import asyncio

import uvloop

import foreign
import py_asyncio

if __name__ == "__main__":
    asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    foreign.main(py_asyncio.main)
