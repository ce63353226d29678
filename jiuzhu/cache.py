"""The parse cache: a registry file that did not change is not parsed or schema-checked again.

One pack file per registry, outside it: `$JIUZHU_CACHE_DIR`, else `$XDG_CACHE_HOME/jiuzhu`, else
`~/.cache/jiuzhu`, named after a hash of the registry's absolute path. For every file the pack
keeps the blake2b hash of its bytes and, pickled, what reading it produced: the parsed document
(data, positions, text), the parse problems, and the schema-checked data with its problems.

An entry is used only when the file's bytes hash the same (mtime alone is useless after a git
checkout). Like git's index, a file whose size, mtime and inode are exactly those recorded when it
was last hashed is taken as unchanged without reading it, unless it was modified within two
seconds of that read ("racily clean": it is read and hashed again). The whole pack is keyed on
the pack format, the Python version and a hash of jiuzhu's own source files, so a new jiuzhu
never sees an old entry. A missing, truncated, corrupt or foreign pack is a miss, never an error;
it is replaced atomically when the run ends. Entries of files no longer present are dropped.

Beside the entries the pack keeps whole results (`memo`): `validate` stores its problems under the
hash of every file's hash plus the date checked, and prints them again while nothing changed.

Cold reads of many files are spread over a small process pool.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from jiuzhu.problems import Problem
from jiuzhu.yamlread import Doc

FORMAT = 1
MAGIC = b"JIUZHU-PARSE-CACHE\n"
POOL_THRESHOLD = 400  # files to parse before a process pool pays for its start (measured: bench/)
POOL_WORKERS = 2
_RACY_NS = 2_000_000_000

Stat = tuple[int, int, int, int]  # size, mtime_ns, inode, when it was hashed (ns)


def cache_dir() -> Path:
    """Where packs live: $JIUZHU_CACHE_DIR, else $XDG_CACHE_HOME/jiuzhu, else ~/.cache/jiuzhu."""
    env = os.environ.get("JIUZHU_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "jiuzhu"


def pack_path(root: Path, directory: Path | None = None) -> Path:
    key = hashlib.blake2b(str(root.resolve()).encode("utf-8"), digest_size=10).hexdigest()
    return (directory or cache_dir()) / f"{root.resolve().name or 'registry'}-{key}.pack"


def _fingerprint() -> bytes:
    """What a pack must have been written by: format, Python, jiuzhu's version and source."""
    import jiuzhu

    h = hashlib.blake2b(digest_size=16)
    h.update(f"{FORMAT}|{sys.version_info[:2]}|{jiuzhu.__version__}|{pickle.HIGHEST_PROTOCOL}".encode())
    package = Path(jiuzhu.__file__).parent
    for path in sorted(package.rglob("*.py")):
        h.update(path.relative_to(package).as_posix().encode())
        h.update(path.read_bytes())
    return h.digest()


def digest(raw: bytes) -> bytes:
    return hashlib.blake2b(raw, digest_size=16).digest()


def read_entry(path: Path, rel: str) -> tuple[bytes, bytes, Stat]:
    """Read, parse and schema-check one file: (hash of its bytes, pickled entry, its stat).
    Runs in pool workers too, so it takes and returns only picklable plain values."""
    from jiuzhu import schema
    from jiuzhu.loader import spec_for
    from jiuzhu.yamlread import decode, parse_text

    before = time.time_ns()
    st = os.stat(path)
    raw = path.read_bytes()
    text, problems = decode(raw, rel)
    doc = None
    if text is not None:
        doc, problems = parse_text(text, rel)
    spec = spec_for(rel)
    checked: Any = None
    found: list[Problem] = []
    if doc is not None and spec is not None:
        checked, found = schema.check(doc, spec)
    fields = None if doc is None else tuple(getattr(doc, f) for f in _doc_fields())
    blob = pickle.dumps((fields, problems, spec is not None, checked, found), protocol=5)
    return digest(raw), blob, (st.st_size, st.st_mtime_ns, st.st_ino, before)


def _read_many(items: list[tuple[str, str]]) -> list[tuple[str, bytes, bytes, Stat]]:
    return [(rel, *read_entry(Path(path), rel)) for rel, path in items]


def _doc_fields() -> tuple[str, ...]:
    import dataclasses

    return tuple(f.name for f in dataclasses.fields(Doc) if f.name != "file")


class ParseCache:
    """A parser for `jiuzhu.loader.load(root, parser=...)` that reads through the pack.

    Besides being called like `parse_file(path, rel)`, it offers the loader's optional hooks:
    `prepare(files)` (hash what changed, parse the misses, in a pool when there are many),
    `check(doc, spec)` (the schema check, from the entry) and `close()` (write the pack)."""

    def __init__(self, root: Path, directory: Path | None = None, pool: bool = True) -> None:
        self.root = root
        self.path = pack_path(root, directory)
        self.pool = pool
        self.fingerprint = _fingerprint()
        self.old: dict[str, tuple[Stat, bytes, bytes]] = {}
        self.memo: dict[str, tuple[bytes, bytes]] = {}
        self._load_pack()
        self.new: dict[str, tuple[Stat, bytes, bytes]] = {}
        self.files: list[tuple[str, Path]] | None = None
        self.listed: list[str] = []
        self.hold = False  # True while `cached` still has a result to add before writing
        self.missing: list[tuple[str, Path]] = []
        self.served: dict[str, tuple[Doc | None, Any, list[Problem]]] = {}
        self.dirty = False
        self.reused = 0  # files whose entry was used (not parsed again)

    # --- the pack -----------------------------------------------------------------------------

    def _load_pack(self) -> None:
        try:
            raw = self.path.read_bytes()
        except OSError:
            return
        head = MAGIC + self.fingerprint
        if not raw.startswith(head):
            return  # foreign, older jiuzhu or truncated header: a miss
        try:
            files, memo = pickle.loads(memoryview(raw)[len(head):])
            if isinstance(files, dict) and isinstance(memo, dict):
                self.old, self.memo = files, memo
        except Exception:  # corrupt or truncated: a miss, never an error
            self.old, self.memo = {}, {}

    def close(self) -> None:
        """Write the pack (atomically) when anything changed; keep only files still present."""
        if self.files is None or self.hold:
            return
        if set(self.new) != set(self.old):
            self.dirty = True
        if not self.dirty:
            return
        from jiuzhu.writer import atomic_write

        body = pickle.dumps((self.new, self.memo), protocol=5)
        try:
            atomic_write(self.path, MAGIC + self.fingerprint + body)
        except OSError:
            pass  # a read-only or full cache folder costs speed, never a result
        self.dirty = False

    # --- the loader's hooks -------------------------------------------------------------------

    def prepare(self, files: Iterable[tuple[str, Path]]) -> None:
        """Find, for every file, whether its entry can be used; parse the rest."""
        from jiuzhu.loader import spec_for

        files = list(files)
        listed = [rel for rel, _ in files]
        if self.files is not None and listed == self.listed:
            return
        self.listed = listed  # unknown files too: they change what `validate` says
        self.files = files = [(rel, path) for rel, path in files if spec_for(rel) is not None]
        self.missing = []
        now = time.time_ns()
        for rel, path in files:
            entry = self.old.get(rel)
            if entry is not None:
                (size, mtime, ino, hashed), old_digest, blob = entry
                try:
                    st = os.stat(path)
                except OSError:
                    continue
                if (st.st_size, st.st_mtime_ns, st.st_ino) == (size, mtime, ino) and mtime < hashed - _RACY_NS:
                    self.new[rel] = entry
                    self.reused += 1
                    continue
                raw = path.read_bytes()
                if digest(raw) == old_digest:
                    self.new[rel] = ((st.st_size, st.st_mtime_ns, st.st_ino, now), old_digest, blob)
                    self.reused += 1
                    self.dirty = True
                    continue
            self.missing.append((rel, path))

    def _parse_missing(self) -> None:
        if not self.missing:
            return
        items = [(rel, str(path)) for rel, path in self.missing]
        self.missing = []
        if self.pool and len(items) >= POOL_THRESHOLD and (os.cpu_count() or 1) > 1:
            results = _in_pool(items)
        else:
            results = _read_many(items)
        for rel, dig, blob, st in results:
            self.new[rel] = (st, dig, blob)
        self.dirty = True

    def __call__(self, path: Path, rel: str) -> tuple[Doc | None, list[Problem]]:
        self._parse_missing()
        if rel not in self.new:  # a file the loader did not announce: read it alone
            dig, blob, st = read_entry(path, rel)
            self.new[rel] = (st, dig, blob)
            self.dirty = True
        _, _, blob = self.new[rel]
        fields, problems, _, checked, found = pickle.loads(blob)
        doc = None if fields is None else Doc(rel, *fields)
        self.served[rel] = (doc, checked, found)
        return doc, list(problems)

    def check(self, doc: Doc, spec: Any) -> tuple[Any, list[Problem]]:
        """The schema check of a document this cache just served, from its entry."""
        served = self.served.pop(doc.file, None)
        if served is not None and served[0] is doc:
            return served[1], list(served[2])
        from jiuzhu import schema

        return schema.check(doc, spec)

    # --- whole results --------------------------------------------------------------------------

    def tree_key(self, *extra: str) -> bytes:
        """A hash of every file's path and content hash (after `prepare`), of the registry's
        templates (name, size, mtime), plus `extra`."""
        assert self.files is not None
        self._parse_missing()
        h = hashlib.blake2b(digest_size=16)
        for rel in self.listed:
            h.update(rel.encode("utf-8") + b"\0" + (self.new[rel][1] if rel in self.new else b"-"))
        for path in sorted((self.root / "templates").rglob("*")):
            st = path.stat()
            h.update(f"\2{path.relative_to(self.root).as_posix()}|{st.st_size}|{st.st_mtime_ns}".encode())
        for e in extra:
            h.update(b"\1" + e.encode("utf-8"))
        return h.digest()

    def recall(self, name: str, key: bytes) -> Any:
        """The value stored under `name` for `key`, or None."""
        found = self.memo.get(name)
        if found is None or found[0] != key:
            return None
        try:
            return pickle.loads(found[1])
        except Exception:
            return None

    def remember(self, name: str, key: bytes, value: Any) -> None:
        self.memo[name] = (key, pickle.dumps(value, protocol=5))
        self.dirty = True


def _in_pool(items: list[tuple[str, str]]) -> list[tuple[str, bytes, bytes, Stat]]:
    """Parse in POOL_WORKERS processes, in order; falls back to this process if a pool fails."""
    from concurrent.futures import ProcessPoolExecutor

    size = max(1, len(items) // (POOL_WORKERS * 8))
    chunks = [items[i:i + size] for i in range(0, len(items), size)]
    try:
        with ProcessPoolExecutor(POOL_WORKERS) as pool:
            return [r for part in pool.map(_read_many, chunks) for r in part]
    except (OSError, RuntimeError):  # no fork/semaphores here (some sandboxes): do it ourselves
        return _read_many(items)


def cached(root: Path, name: str, extra: tuple[str, ...], compute: Callable[[ParseCache], Any],
           directory: Path | None = None) -> Any:
    """`compute(cache)` for this registry's current content, or the value it gave last time."""
    from jiuzhu.loader import registry_files

    cache = ParseCache(root, directory)
    cache.prepare(registry_files(root))
    key = cache.tree_key(*extra)
    value = cache.recall(name, key)
    if value is None:
        cache.hold = True
        value = compute(cache)
        cache.remember(name, key, value)
        cache.hold = False
    cache.close()
    return value
