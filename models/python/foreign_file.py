"""foreign_file.py - the file workload through the library of --py-file, on
the file set cmbench's service made before the clock (its directory passed
as wl_str1): the same file, offset, bytes and result as workloads/file.c.

Task id works on file f{mix64(id) mod count:04d}:
  read    --file-bytes at offset (mix64(mix64(id)) mod (size // bytes)) * bytes
  append  the first --file-bytes of f0000 with its first (up to 8) bytes
          XORed with id (little-endian), written at the end, then fsync
The result is foreign.body_hash of the bytes, the io body's hash:
mix64(zlib.crc32(bytes) ^ (len << 32)), zlib's CRC-32 in C, so no Python
loop over the bytes.

The libraries (--py-file), each as its users write it:
  open       with open(path, "rb") as f: f.seek(off); f.read(n) - a blocking
             call: the sequential, thread and process models make it, a
             loop makes it inline (the stall) and py-asyncio-offload in
             its executor (foreign_aio_work.Blocking)
  aiofiles   async with aiofiles.open(...) as f: await f.seek(off);
             await f.read(n): each call a trip to the loop's default
             executor (open, seek, read, close: four)
  to_thread  await asyncio.to_thread(the open() task): one trip to the
             same default executor
The default executor has min(32, cores + 4) threads; they are started
before the clock."""

import os

import foreign
import foreign_libs


class Files:
    """The set and the task's place in it."""

    def __init__(self, run):
        self.dir = run.flag("wl_str1")
        self.bytes = run.num_flag("file-bytes", 4096)
        self.size = run.num_flag("file-size", 1 << 20)
        self.count = run.num_flag("file-count", 16)
        self.append = run.flag("file-mode", "read") == "append"
        self.paths = [os.path.join(self.dir, f"f{i:04d}") for i in range(self.count)]
        self.base = b""
        if self.append:  # the block every append starts from
            with open(self.paths[0], "rb") as f:
                self.base = f.read(self.bytes)

    def path(self, task_id):
        return self.paths[foreign.mix64(task_id) % self.count]

    def offset(self, task_id):
        return foreign.mix64(foreign.mix64(task_id)) % (self.size // self.bytes) * self.bytes

    def block(self, task_id):
        """The task's block: the base with id XORed into its first bytes."""
        k = min(8, len(self.base))
        head = int.from_bytes(self.base[:k], "little") ^ (task_id & ((1 << (8 * k)) - 1))
        return head.to_bytes(k, "little") + self.base[k:]

    def result(self, data):
        """(result, err) of the bytes a task read or wrote."""
        if len(data) != self.bytes:
            return 0, "io"  # a short read
        return foreign.body_hash(data), "ok"


class Blocking:
    """open() with blocking calls (foreign_work.py's shape): no slot."""

    def __init__(self, run):
        self.files = Files(run)

    def slot(self):
        return None

    def call(self, task_id):
        """The task: (result, err)."""
        fs = self.files
        try:
            if fs.append:
                data = fs.block(task_id)
                with open(fs.path(task_id), "ab") as f:
                    f.write(data)
                    f.flush()
                    os.fsync(f.fileno())
            else:
                with open(fs.path(task_id), "rb") as f:
                    f.seek(fs.offset(task_id))
                    data = f.read(fs.bytes)
        except OSError:
            return 0, "io"
        return fs.result(data)

    def task(self, slot, task_id):
        result, err = self.call(task_id)
        return result, err, slot

    def close(self, slot):
        pass


class Aiofiles:
    """aiofiles on the loop (foreign_aio_work.py's shape)."""

    def __init__(self, run):
        self.files = Files(run)
        self.lib = foreign_libs.need(run, "--py-file", "aiofiles")
        import aiofiles.os  # pylint: disable=import-outside-toplevel
        self.fsync = aiofiles.os.wrap(os.fsync)  # aiofiles wraps no fsync of its own

    async def setup(self, n):
        await start_default_executor()

    async def io(self, task_id):
        fs = self.files
        try:
            if fs.append:
                data = fs.block(task_id)
                async with self.lib.open(fs.path(task_id), "ab") as f:
                    await f.write(data)
                    await f.flush()
                    await self.fsync(f.fileno())
            else:
                async with self.lib.open(fs.path(task_id), "rb") as f:
                    await f.seek(fs.offset(task_id))
                    data = await f.read(fs.bytes)
        except OSError:
            return 0, "io"
        return fs.result(data)

    async def close(self):
        pass


class ToThread:
    """asyncio.to_thread of the blocking open() task."""

    def __init__(self, run):
        import asyncio  # pylint: disable=import-outside-toplevel
        self.work, self.to_thread = Blocking(run), asyncio.to_thread

    async def setup(self, n):
        await start_default_executor()

    async def io(self, task_id):
        return await self.to_thread(self.work.call, task_id)

    async def close(self):
        pass


async def start_default_executor():
    """Start every thread of the loop's default executor now, before the
    clock: it starts one per call until it has its max_workers, and
    asyncio.to_thread and aiofiles both use it. Each of the first calls
    waits for all of them, so no thread serves two."""
    import asyncio  # pylint: disable=import-outside-toplevel
    import threading  # pylint: disable=import-outside-toplevel
    from concurrent.futures import ThreadPoolExecutor  # pylint: disable=import-outside-toplevel
    loop = asyncio.get_running_loop()
    pool = ThreadPoolExecutor()  # the size asyncio gives its own: min(32, cores + 4)
    loop.set_default_executor(pool)
    n = pool._max_workers  # pylint: disable=protected-access
    started = threading.Barrier(n)
    await asyncio.gather(*(loop.run_in_executor(None, started.wait) for _ in range(n)))


ASYNC = {"aiofiles": Aiofiles, "to_thread": ToThread}


def work(run):
    """The loop's file work for --py-file aiofiles or to_thread."""
    return ASYNC[run.py_file](run)
