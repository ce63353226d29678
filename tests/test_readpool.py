"""Reading many files (jiuzhu.readpool): the kernel is asked for all of them first, a hint that
never blocks, never fails a read and never changes what is read."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from jiuzhu import readpool


def _read(path: str, rel: str) -> bytes:
    with open(path, "rb") as fh:
        return fh.read()


def _files(tmp_path: Path, n: int) -> list[tuple[str, str]]:
    items = []
    for i in range(n):
        path = tmp_path / f"f{i:03d}.yaml"
        path.write_text(f"id: f{i}\n", encoding="utf-8")
        items.append((path.name, str(path)))
    return items


@pytest.fixture
def advised(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    if not hasattr(os, "posix_fadvise"):
        pytest.skip("posix_fadvise: Linux and most Unixes; elsewhere prefetch does nothing")
    calls: list[tuple[int, int]] = []
    real = os.posix_fadvise

    def spy(fd: int, offset: int, length: int, advice: int) -> None:
        calls.append((os.fstat(fd).st_ino, advice))
        real(fd, offset, length, advice)

    monkeypatch.setattr(os, "posix_fadvise", spy)
    return calls


def test_every_file_is_asked_for_before_the_first_is_read(tmp_path: Path, advised: list[tuple[int, int]],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    items = _files(tmp_path, readpool.PREFETCH_MIN)
    seen_at_first_read: list[int] = []

    def read(path: str, rel: str) -> bytes:
        if not seen_at_first_read:
            seen_at_first_read.append(len(advised))
        return _read(path, rel)

    got = readpool.read_many(items, read)
    assert got == [(rel, _read(path, rel)) for rel, path in items]
    inodes = {os.stat(path).st_ino for _, path in items}
    assert {ino for ino, _ in advised} == inodes
    assert {advice for _, advice in advised} == {os.POSIX_FADV_WILLNEED}
    assert seen_at_first_read == [len(items)]


def test_many_files_are_asked_for_a_window_ahead_and_read_from_that_descriptor(
        tmp_path: Path, advised: list[tuple[int, int]], monkeypatch: pytest.MonkeyPatch) -> None:
    """Past two windows: each file is asked for before it is read, at most two windows are open at
    once, each is read from the descriptor opened for asking (no second open), and every
    descriptor is closed at the end, also those of files the reader never took."""
    monkeypatch.setattr(readpool, "WINDOW", 40)
    items = _files(tmp_path, 130)
    opened: list[str] = []
    real_open = os.open
    monkeypatch.setattr(os, "open", lambda path, *a, **k: (opened.append(str(path)), real_open(path, *a, **k))[1])
    fds_before = len(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else None
    most_open = []

    def read(path: str, rel: str) -> bytes:
        assert os.stat(path).st_ino in {ino for ino, _ in advised}  # asked for before its reading
        most_open.append(len(readpool._KEPT))
        if rel.endswith("7.yaml"):  # some are read by another way: their descriptor is closed anyway
            return _read(path, rel)
        return readpool.file_bytes(path)[1]

    got = readpool.read_many(items, read)
    assert got == [(rel, _read(path, rel)) for rel, path in items]
    assert sorted(opened) == sorted(path for _, path in items)  # each opened once
    assert max(most_open) <= 2 * 40 + 13 and readpool._KEPT == {}  # 13 files never taken
    if fds_before is not None:
        assert len(os.listdir("/proc/self/fd")) == fds_before


def test_a_few_files_are_just_read(tmp_path: Path, advised: list[tuple[int, int]]) -> None:
    items = _files(tmp_path, readpool.PREFETCH_MIN - 1)
    assert readpool.read_many(items, _read) == [(rel, _read(path, rel)) for rel, path in items]
    assert advised == []


def test_a_missing_file_or_a_pipe_does_not_stop_or_block_the_prefetch(tmp_path: Path,
                                                                      advised: list[tuple[int, int]]) -> None:
    items = _files(tmp_path, readpool.PREFETCH_MIN)
    gone = tmp_path / "gone.yaml"
    pipe = tmp_path / "pipe.yaml"
    os.mkfifo(pipe)  # opened for reading without a writer, a plain open would wait forever
    readpool.prefetch([str(gone), str(pipe), *(path for _, path in items)])
    assert {ino for ino, _ in advised} >= {os.stat(path).st_ino for _, path in items}


def test_a_file_is_read_whole_with_its_stat(tmp_path: Path) -> None:
    for size in (0, 1, 4095, 4096, 70_000, 3 << 20):
        path = tmp_path / f"f{size}.yaml"
        data = os.urandom(size)
        path.write_bytes(data)
        st, got = readpool.file_bytes(str(path))
        assert got == data
        assert (st.st_ino, st.st_size) == (os.stat(path).st_ino, size)


def test_a_file_that_grew_after_its_stat_is_read_to_its_end(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "grown.yaml"
    path.write_bytes(b"x" * 100_000)
    real = os.fstat

    def earlier(fd: int) -> os.stat_result:  # the stat of before the file grew
        st = real(fd)
        return os.stat_result((st.st_mode, st.st_ino, st.st_dev, st.st_nlink, st.st_uid, st.st_gid, 10,
                               st.st_atime, st.st_mtime, st.st_ctime))

    monkeypatch.setattr(os, "fstat", earlier)
    assert readpool.file_bytes(str(path))[1] == b"x" * 100_000


def test_a_pipe_or_folder_where_a_file_was_is_refused_not_waited_on(tmp_path: Path) -> None:
    folder = tmp_path / "d.yaml"
    folder.mkdir()
    with pytest.raises(IsADirectoryError):
        readpool.file_bytes(str(folder))
    if not hasattr(os, "mkfifo"):
        return
    pipe = tmp_path / "p.yaml"
    os.mkfifo(pipe)
    with pytest.raises(OSError, match="不是普通文件"):  # open() would wait for a writer forever
        readpool.file_bytes(str(pipe))
