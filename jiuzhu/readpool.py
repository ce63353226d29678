"""Reading many registry files at once, for the parse cache (jiuzhu.cache): in order, the kernel
asked for each a window ahead of its reading (the descriptor kept open for it), and by a pool of
processes when there are many.

`read_all(items, read_one, pool)` gives `(relative path, read_one(path, relative path))` for each
item, in order; `read_one` must be a module-level function (a pool worker gets it by name).
"""

from __future__ import annotations

import errno
import gc
import os
import stat
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from functools import partial
from typing import Any, TypeVar

from jiuzhu.problems import Pos

POOL_THRESHOLD = 400  # files to parse before 2 workers pay for their start (~50 ms)
POOL_WORKERS = 2
PREFETCH_MIN = 32  # fewer files are read about as fast one by one
WINDOW = 256  # files asked for ahead of the one being read

_T = TypeVar("_T")
Reader = Callable[[str, str], _T]


def prefetch(paths: Sequence[str], keep: bool = False) -> None:
    """Ask the kernel to start reading all these files now (posix_fadvise WILLNEED). Read one by
    one, files not in the page cache wait for the disk one by one: a county's 2,300 files took
    0.2 s, and 0.04 s once all were asked for first; in the page cache, asking costs ~2 µs a file.
    Only a hint: a file that cannot be opened here is reported by its reader. `keep`: leave each
    descriptor open for `file_bytes` (no second open and close); `release` closes those not read."""
    advise = getattr(os, "posix_fadvise", None)
    if advise is None:
        return
    for path in paths:
        try:
            fd = os.open(path, _READ_FLAGS)  # non-blocking: a pipe put in a file's place must not block
        except OSError:
            continue
        try:
            advise(fd, 0, 0, os.POSIX_FADV_WILLNEED)
        except OSError:
            pass
        if keep and path not in _KEPT:
            _KEPT[path] = fd
        else:
            os.close(fd)


def release() -> None:
    """Close the descriptors `prefetch` kept that no `file_bytes` took."""
    while _KEPT:
        os.close(_KEPT.popitem()[1])


_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
_KEPT: dict[str, int] = {}  # path -> a descriptor `prefetch` opened and advised, for `file_bytes`


def file_bytes(path: str) -> tuple[os.stat_result, bytes]:
    """A file's stat and its bytes, through its descriptor: no file object (open() took twice as
    long for a registry's small files). A pipe or device found where a file was listed is
    refused, not waited on; a directory is refused as open() would."""
    fd = _KEPT.pop(path, None)
    if fd is None:
        fd = os.open(path, _READ_FLAGS)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            if stat.S_ISDIR(st.st_mode):
                raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), path)
            raise OSError(0, "不是普通文件", path)
        data = os.read(fd, st.st_size + 1)  # one byte more: at the end of the file, one read
        if len(data) != st.st_size:  # it changed meanwhile (or a short read): read to its end
            parts = [data]
            while chunk := os.read(fd, 1 << 20):
                parts.append(chunk)
            data = b"".join(parts)
        return st, data
    finally:
        os.close(fd)


def read_many(items: Sequence[tuple[str, str]], read_one: Reader[_T]) -> list[tuple[str, _T]]:
    """What `read_one` gives for each of these files. Reading a file leaves no cyclic garbage
    (tests/test_cache.py), so the cyclic collector, paused by the loader, has nothing to find:
    walking the growing heap for nothing cost a fifth of a cold load. The kernel is asked for the
    files a window ahead (`prefetch`), and each is read from the descriptor opened for asking."""
    if len(items) < PREFETCH_MIN:
        return [(rel, read_one(path, rel)) for rel, path in items]
    paths = [path for _, path in items]
    out: list[tuple[str, _T]] = []
    try:  # each window asked for (and opened) while the one before it is read: at most 2 × WINDOW open
        prefetch(paths[:WINDOW], keep=True)
        for start in range(0, len(items), WINDOW):
            prefetch(paths[start + WINDOW:start + 2 * WINDOW], keep=True)
            out.extend((rel, read_one(path, rel)) for rel, path in items[start:start + WINDOW])
    finally:
        release()
    return out


def _read_in_worker(read_one: Reader[_T], items: Sequence[tuple[str, str]]) -> list[tuple[str, _T]]:
    """read_many in a pool worker, with the collector paused there too (a forked worker inherits
    the loader's pause; a spawned one does not)."""
    gc.disable()
    return read_many(items, read_one)


def read_all(items: list[tuple[str, str]], read_one: Reader[_T], pool: bool) -> Iterator[tuple[str, _T]]:
    """What `read_one` gives for each of these files, in order; many are read by POOL_WORKERS
    processes."""
    if not pool or len(items) < POOL_THRESHOLD or (os.cpu_count() or 1) < 2:
        yield from read_many(items, read_one)
        return
    size = max(1, min(len(items) // (POOL_WORKERS * 8), 1000))
    chunks = [items[i:i + size] for i in range(0, len(items), size)]
    done = 0
    # A file read here shares its short texts and days with every other (yamlread, schema_check);
    # a worker's batch shares them within itself. Across batches they are shared here, while the
    # workers parse on: a province's 100k files would otherwise hold each unit id and date
    # hundreds of times.
    shared: dict[Any, Any] = {}
    # imported here: multiprocessing costs ~9 ms of every start, and only a cold parse uses it
    from concurrent.futures import ProcessPoolExecutor

    try:
        with ProcessPoolExecutor(POOL_WORKERS) as workers:
            for batch in workers.map(partial(_read_in_worker, read_one), chunks):
                yield from ((rel, share(got, shared)) for rel, got in batch)
                done += len(batch)
    except (OSError, RuntimeError):  # no fork or semaphores here (some sandboxes): do it ourselves
        yield from read_many(items[done:], read_one)


_PLAIN = frozenset({int, bool, float, bytes, type(None)})


def share(obj: Any, pool: dict[Any, Any]) -> Any:
    """`obj` rebuilt with equal strings and dates as one object: a shard pickles each once."""
    kind = type(obj)
    if kind in _PLAIN:
        return obj
    if kind is str or kind is date:
        return pool.setdefault(obj, obj)
    if kind is Pos:  # the most common record: its file name is the only thing to share
        return tuple.__new__(Pos, (pool.setdefault(obj[0], obj[0]), obj[1], obj[2]))
    if kind is list:
        return [share(x, pool) for x in obj]
    if kind is tuple:
        return tuple([share(x, pool) for x in obj])
    if issubclass(kind, tuple):  # a record (jiuzhu.problems.fast_pickle: no Python __new__)
        return tuple.__new__(kind, [share(x, pool) for x in obj])
    return obj
