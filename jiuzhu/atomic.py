"""Replacing one file whole: a crash leaves the old file or the new one, never a torn one.

Kept apart from the registry writer (jiuzhu.writer: locks, round-trip YAML, the journal of a
multi-file write) so that what only reads — the loader and its parse cache — imports none of that.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from jiuzhu.errors import InputRefused

# The writer's journal of an unfinished multi-file write (jiuzhu.writer); the loader reports one left behind.
JOURNAL = ".jiuzhu-journal.json"


def atomic_write(path: Path, data: bytes | Iterable[bytes], durable: bool = True) -> None:
    """Replace `path` with `data` so a crash leaves the old file or the new one, never a torn one.
    `data` may come in chunks (the parse cache writes hundreds of MB without joining them).
    `durable=False` skips the fsyncs: for the parse cache, where a file lost in a power cut is only
    a cache miss (its reader checks every entry), not for anything of the user's."""
    tmp = prepare(path, data, durable)
    try:
        os.replace(tmp, path)
    except BaseException:
        unlink(tmp)
        raise
    if durable:
        sync_folder(path.parent)


def prepare(path: Path, data: bytes | Iterable[bytes], durable: bool, tmp: Path | None = None) -> Path:
    """`data` in a temporary file beside `path` (named `tmp` if given), with `path`'s mode."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        pass
    else:
        if not stat.S_ISREG(st.st_mode):
            raise InputRefused(f"{path} 不是普通文件（符号链接、设备、管道或目录），不会替换它",
                               "换一个输出路径，写到普通文件。")
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = None
    try:
        mode = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        pass
    if tmp is None:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        tmp = Path(name)
    else:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            if isinstance(data, (bytes, bytearray, memoryview)):
                fh.write(data)
            else:
                fh.writelines(data)
            fh.flush()
            if durable:
                os.fsync(fh.fileno())
        os.chmod(tmp, mode if mode is not None else 0o644)
    except BaseException:
        unlink(tmp)
        raise
    return tmp


def unlink(path: Path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def sync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable."""
    try:
        dfd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:
        pass
