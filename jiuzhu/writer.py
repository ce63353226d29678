"""The one writer: every change to a registry file goes through here.

Edits use ruamel.yaml's round-trip mode so comments, key order, quoting and indentation survive;
files are replaced atomically (temp file in the same folder, flush, fsync, os.replace, mode kept).
A `Transaction` stages all files of one command and writes them only after every check passed,
so refused input never leaves a byte behind.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from jiuzhu import privacy
from jiuzhu.atomic import JOURNAL, atomic_write, prepare, sync_folder, unlink
from jiuzhu.errors import InputRefused, no_registry
from jiuzhu.pieces import read_bytes, spec_for
from jiuzhu.roundtrip import dump_rt, load_rt
from jiuzhu.yamlread import parse_text

# --- several files, all or nothing ------------------------------------------------------------------
#
# A command's files (a meeting and the proposals it schedules, or a single one) are first written
# beside their places, then a journal names them, then they are put in place. Killed before
# the journal says "ready", the next writer removes the new contents (nothing happened); after,
# it puts the rest in place (everything happened). `validate` reports a journal left behind.

_before_replace: Callable[[Path], None] | None = None  # a test's hook: kill the process at a step


def _journal(root: Path, state: str, files: list[tuple[Path, Path]]) -> None:
    entries = [[tmp.relative_to(root).as_posix(), path.relative_to(root).as_posix()] for tmp, path in files]
    atomic_write(root / JOURNAL, json.dumps({"state": state, "files": entries}, ensure_ascii=False).encode())


def _write_all(root: Path, changed: list[tuple[Path, bytes]]) -> None:
    files = [(path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp", path) for path, _ in changed]
    _journal(root, "preparing", files)
    for (tmp, path), (_, data) in zip(files, changed, strict=True):
        prepare(path, data, durable=True, tmp=tmp)
    _journal(root, "ready", files)
    _finish(root, files)


def _finish(root: Path, files: list[tuple[Path, Path]]) -> None:
    for tmp, path in files:
        if _before_replace is not None:
            _before_replace(path)
        if tmp.exists():
            os.replace(tmp, path)
    for folder in {path.parent for _, path in files}:
        sync_folder(folder)
    os.unlink(root / JOURNAL)
    sync_folder(root)


def recover(root: Path) -> None:
    """Complete or undo a change a killed command left half done (under the registry's lock)."""
    journal = root / JOURNAL
    for stray in root.glob(f".{JOURNAL}.*.tmp"):  # a journal that was being written
        unlink(stray)
    if not journal.exists():
        return
    plan = json.loads(journal.read_text(encoding="utf-8"))
    files = [(root / tmp, root / path) for tmp, path in plan["files"]]
    if plan["state"] == "ready":
        _finish(root, files)
        return
    for tmp, _ in files:
        unlink(tmp)
    os.unlink(journal)
    sync_folder(root)


LOCK_NAME = ".jiuzhu.lock"  # in the registry folder; `jiuzhu init` ignores `.*.lock` in git
LOCK_TIMEOUT = 60.0
_held: dict[str, int] = {}  # registry folder -> how deeply this process holds its lock


@contextmanager
def registry_lock(root: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Held by every command that changes a registry, from before it reads the registry until its
    last write: two commands never both decide from the same state, so no write is lost and every
    id and document number is drawn from what the other one wrote. Re-entrant in one process."""
    key = os.path.realpath(root)
    if _held.get(key):
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
    if not os.path.isdir(key):
        raise no_registry(root)
    # imported here: filelock takes ~15 ms to import, and `validate`, which imports every feature
    # module (their checks) and so this writer, never locks (python -X importtime)
    from filelock import FileLock, Timeout

    lock = FileLock(os.path.join(key, LOCK_NAME), timeout=timeout)
    try:
        lock.acquire()
    except Timeout:
        raise InputRefused(f"登记册正被另一个 jiuzhu 命令修改，{timeout:.0f} 秒内未能等到它结束",
                           "稍后再试；如果没有别的命令在运行，检查是否有卡住的 jiuzhu 进程。") from None
    _held[key] = 1
    try:
        recover(Path(key))
        yield
    finally:
        del _held[key]
        lock.release()


class Transaction:
    """Stage every file a command writes; `commit()` writes them, only those that changed. Only
    under `registry_lock`: a write decided on a state another command has since changed is lost."""

    def __init__(self, root: Path) -> None:
        if not _held.get(os.path.realpath(root)):
            raise RuntimeError(f"registry write outside registry_lock: {root}")  # a bug, not the user's
        self.root = root
        self.staged: dict[Path, bytes] = {}

    def create(self, rel: str, text: str) -> Path:
        path = self.root / rel
        if path.exists() or path in self.staged:
            raise InputRefused(f"文件已存在：{rel}", "换一个编号，或先检查该文件是否已是你要建立的记录。")
        self.staged[path] = text.encode("utf-8")
        return path

    def edit(self, rel: str, change: Callable[[Any], None]) -> Path:
        """Round-trip edit of one file: `change` mutates the loaded data in place."""
        path = self.root / rel
        current = self.staged.get(path)
        raw = current if current is not None else path.read_bytes()
        bom = raw.startswith(b"\xef\xbb\xbf")
        text = raw.decode("utf-8-sig")
        yaml, data = load_rt(text, rel)
        before = dump_rt(yaml, data, text)
        change(data)
        new = dump_rt(yaml, data, text)
        if new != before:  # a no-op change keeps the file's bytes, whatever ruamel would reformat
            if b"\r\n" in raw:  # the file's own line endings (ruamel writes \n)
                new = new.replace("\r\n", "\n").replace("\n", "\r\n")
            self.staged[path] = (b"\xef\xbb\xbf" if bom else b"") + new.encode("utf-8")
        return path

    def commit(self) -> list[Path]:
        """Write the staged files that changed. Refused, writing nothing, when the change would add
        personal data of people seeking assistance (an ID number in a note, a phone in a title)."""
        self._refuse_personal_data()
        self._refuse_unreadable()
        changed = [(path, data) for path, data in self.staged.items()
                   if not (path.exists() and path.read_bytes() == data)]
        self.staged.clear()
        if changed:  # through the journal even for one file: a killed write leaves nothing behind
            _write_all(self.root, changed)
        return [path for path, _ in changed]

    def _refuse_personal_data(self) -> None:
        for path, data in self.staged.items():
            before = _personal_data(self._rel(path), path.read_bytes()) if path.exists() else []
            added = [p for p in _personal_data(self._rel(path), data) if p.message not in {b.message for b in before}]
            if added:
                what = added[0].message.removeprefix("发现疑似")
                raise InputRefused(f"输入中含有疑似{what}，未写入",
                                   "登记册保存在 git 中，不能记录申请人的身份证号、银行卡号或手机号；"
                                   "请改写为不含个人信息的表述（如“某户”）。")

    def _refuse_unreadable(self) -> None:
        """Read every registry file back as jiuzhu's own reader would: a write that would leave an
        error the file did not have (bytes that are not UTF-8, broken YAML, a wrong field) is
        refused before anything is written — after it, every command would refuse the registry."""
        for path, data in self.staged.items():
            rel = self._rel(path)
            if spec_for(rel) is None:
                continue
            before = {p.message for p in read_bytes(path.read_bytes(), rel).problems if p.is_error} \
                if path.exists() else set()
            new = [p for p in read_bytes(data, rel).problems if p.is_error and p.message not in before]
            if new:
                raise InputRefused(f"写入后 {rel} 将无法读取（{new[0].message}），未写入",
                                   "检查输入中是否有无效的字符或格式；这是 jiuzhu 的缺陷时请报告。")

    def _rel(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.name


def _personal_data(rel: str, data: bytes) -> list[Any]:
    """The personal-data problems of one file's bytes (a unit's liaison phone is allowed)."""

    text = data.decode("utf-8-sig", errors="replace")
    doc, _ = parse_text(text, rel) if rel.endswith((".yaml", ".yml")) else (None, [])
    return privacy.scan(doc) if doc is not None else privacy.scan_text(rel, text)


# --- new records: ids and the text of new files ---------------------------------------------------


