"""The parse cache: a registry file that did not change is not parsed or schema-checked again.

Where: `$JIUZHU_CACHE_DIR`, else `$XDG_CACHE_HOME/jiuzhu`, else `~/.cache/jiuzhu` — never inside
the registry. Per registry (named after a hash of its absolute path) a `.pack` file holds, for
every file, the blake2b hash of its bytes and, pickled, what reading it produced: the parsed
document (data, positions, text), the parse problems, the schema-checked data and its problems,
and `validate`'s personal-data scan of it (jiuzhu.privacy.scan looks for it on the document).
The pack starts with a small index (path -> stat, hash, offset); entries are read only when used.

An entry is used only when the file's bytes hash the same (mtime alone is useless after a git
checkout). Like git's index, a file whose size, mtime and inode are exactly those recorded when
it was last hashed is taken as unchanged without reading it, unless it was modified within two
seconds of that hashing ("racily clean": then it is read and hashed again). The pack is keyed on
its format, the Python version and a hash of jiuzhu's own source files, so another jiuzhu never
uses an entry it did not write. A missing, truncated, corrupt or foreign pack is a miss, never
an error; it is replaced atomically when the run ends, without the files no longer present.

Beside the pack, a `.memo` file keeps whole results keyed on the hash of every file's hash (and
whatever else the result depends on): `validate`'s problems, a query's printed output. Before
it comes the stat memo (jiuzhu.files): the same results keyed on every file's size, mtime and
inode, recorded only when no file was modified within two seconds of the walk; a hit there opens
neither the pack nor the memo. After a git checkout (new mtimes, same bytes) the memo still hits.

Cold reads of many files are spread over a small process pool.
"""

from __future__ import annotations

import hashlib
import itertools
import mmap
import os
import pickle
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from jiuzhu.files import cache_dir, pack_path  # noqa: F401  (their home: the light module)
from jiuzhu.problems import Problem
from jiuzhu.yamlread import Doc

FORMAT = 4
MAGIC = b"JIUZHU-PARSE-CACHE\n"
POOL_THRESHOLD = 400  # files to parse before 2 workers pay for their start (~50 ms); README "性能"
POOL_WORKERS = 2
MEMO_KEEP = 8  # results kept per name (e.g. several dates or formats of one query)
_RACY_NS = 2_000_000_000

Stat = tuple[int, int, int, int]  # size, mtime_ns, inode, when the file was hashed (ns)


def _fingerprint() -> bytes:
    """What a pack must have been written by: format, Python, jiuzhu's version and source."""
    import jiuzhu

    h = hashlib.blake2b(digest_size=16)
    h.update(f"{FORMAT}|{sys.version_info[:2]}|{jiuzhu.__version__}".encode())
    package = Path(jiuzhu.__file__).parent
    for path in sorted(package.rglob("*.py")):
        h.update(path.relative_to(package).as_posix().encode())
        h.update(path.read_bytes())
    return h.digest()


def digest(raw: bytes) -> bytes:
    return hashlib.blake2b(raw, digest_size=16).digest()


def read_entry(path: Path | str, rel: str) -> tuple[bytes, bytes, Stat]:
    """Read, parse, check and build one file: (hash of its bytes, its entry, its stat). The entry
    is a head (problems, personal-data scan, model piece: what every run needs) and a body (the
    document, read only when a check points into it). Runs in pool workers too: plain values."""
    from jiuzhu import privacy
    from jiuzhu.loader import read_doc
    from jiuzhu.yamlread import decode, parse_text

    hashed = time.time_ns()
    with open(path, "rb") as fh:
        st = os.fstat(fh.fileno())
        raw = fh.read()
    text, problems = decode(raw, rel)
    doc = None
    if text is not None:
        doc, problems = parse_text(text, rel)
    doc, problems, piece = read_doc(doc, problems, rel)
    scanned = privacy.scan(doc) if doc is not None and piece.kind else []
    head = pickle.dumps((problems, scanned, piece, doc is not None), protocol=5)
    body = b"" if doc is None else pickle.dumps((doc.data, doc.values, doc.keys, doc.text), protocol=5)
    return digest(raw), len(head).to_bytes(4, "little") + head + body, (st.st_size, st.st_mtime_ns, st.st_ino, hashed)


def _read_many(items: list[tuple[str, str]]) -> list[tuple[str, bytes, bytes, Stat]]:
    return [(rel, *read_entry(path, rel)) for rel, path in items]


class LazyDoc:
    """Stands in for a file's `Doc` in `Registry.files`: the file name is known, the rest (data,
    positions, text) is read from the pack the first time a check asks, which is rare: most checks
    use the records' own positions and look into a document only to point at a problem."""

    __slots__ = ("file", "scanned", "_read", "_doc")

    def __init__(self, file: str, read: Callable[[str], Doc], scanned: list[Problem]) -> None:
        self.file, self.scanned, self._read = file, scanned, read
        self._doc: Doc | None = None

    def __getattr__(self, name: str) -> Any:  # only for what a Doc has and this does not
        if self._doc is None:
            self._doc = self._read(self.file)
        return getattr(self._doc, name)


class ParseCache:
    """A parser for `jiuzhu.loader.load(root, parser=...)` that reads through the pack.

    Besides being called like `loader.read_file(path, rel)`, it offers the loader's optional
    hooks: `prepare(files)` (find what changed) and `close()` (write the pack)."""

    def __init__(self, root: Path, directory: Path | None = None, pool: bool = True) -> None:
        self.root = root
        self.path = pack_path(root, directory)
        self.memo_path = self.path.with_suffix(".memo")
        self.pool = pool
        self.fingerprint = _fingerprint()
        self.old: dict[str, tuple[Stat, bytes, tuple[int, int]]] = {}
        self._map: mmap.mmap | None = None
        self._base = 0
        self._load_pack()
        self.memo: dict[str, list[tuple[bytes, bytes]]] | None = None
        self.new: dict[str, tuple[Stat, bytes, Any]] = {}
        self.files: list[tuple[str, Path | str]] | None = None
        self.listed: list[str] = []
        self.missing: list[tuple[str, Path | str]] = []
        self.dirty = False
        self.memo_dirty = False
        self.reused = 0  # files whose entry was used (not parsed again)

    # --- the pack -----------------------------------------------------------------------------

    def _head(self) -> bytes:
        return MAGIC + self.fingerprint

    def _load_pack(self) -> None:
        """Map the old pack and read its index; anything unexpected leaves the cache empty."""
        try:
            with open(self.path, "rb") as fh:
                mm = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):  # missing, unreadable or empty
            return
        head = self._head()
        try:
            if mm[:len(head)] != head:
                raise ValueError("foreign pack")
            size = int.from_bytes(mm[len(head):len(head) + 8], "little")
            base = len(head) + 8 + size
            index = pickle.loads(mm[len(head) + 8:base])
            if not isinstance(index, dict):
                raise ValueError("not an index")
            end = max((off + length for _, _, (off, length) in index.values()), default=0)
            if base + end > len(mm):
                raise ValueError("truncated")
        except Exception:  # foreign, older, truncated or corrupt: a miss, never an error
            mm.close()
            return
        self.old, self._map, self._base = index, mm, base

    def _blob(self, ref: Any) -> bytes:
        if isinstance(ref, bytes):
            return ref
        assert self._map is not None
        off, length = ref
        return self._map[self._base + off:self._base + off + length]

    def close(self) -> None:
        """Write what changed, atomically; keep only files still present."""
        if self.files is None:
            return
        from jiuzhu.writer import atomic_write

        if self.dirty or set(self.new) != set(self.old):
            index: dict[str, tuple[Stat, bytes, tuple[int, int]]] = {}
            offset = 0
            for rel, (st, dig, ref) in self.new.items():
                length = len(ref) if isinstance(ref, bytes) else ref[1]
                index[rel] = (st, dig, (offset, length))
                offset += length
            head = pickle.dumps(index, protocol=5)
            chunks = (self._blob(ref) for _, _, ref in self.new.values())
            try:  # in chunks: a 100k-file pack is not joined in memory
                atomic_write(self.path, itertools.chain([self._head(), len(head).to_bytes(8, "little"), head], chunks),
                             durable=False)
            except OSError:
                pass  # a read-only or full cache folder costs speed, never a result
            else:  # let go of the entries' bytes: from now on they are read from the new pack
                self._remap(index, head)
            self.dirty = False
        if self.memo_dirty and self.memo is not None:
            try:
                atomic_write(self.memo_path, self._head() + pickle.dumps(self.memo, protocol=5))
            except OSError:
                pass
            self.memo_dirty = False

    def _remap(self, index: dict[str, tuple[Stat, bytes, tuple[int, int]]], pickled: bytes) -> None:
        """Read entries from the pack just written (its index is `index`, known without reading
        it back), unless another process has replaced it since: then keep what is in memory."""
        try:
            with open(self.path, "rb") as fh:
                mm = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):
            return
        start = len(self._head()) + 8
        base = start + len(pickled)
        end = max((off + length for _, _, (off, length) in index.values()), default=0)
        if len(mm) != base + end or mm[:len(self._head())] != self._head() or mm[start:base] != pickled:
            mm.close()
            return
        if self._map is not None:
            self._map.close()
        self.old, self.new, self._map, self._base = index, dict(index), mm, base

    # --- the loader's hooks -------------------------------------------------------------------

    def prepare(self, files: Iterable[tuple[str, Path | str]],
                stats: dict[str, tuple[int, int, int]] | None = None) -> None:
        """For every registry file, whether its entry can be used; the rest are parsed later.
        `stats`: (size, mtime_ns, inode) by file, from a walk that has just taken them."""
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
                (size, mtime, ino, hashed), old_digest, ref = entry
                seen = stats.get(rel) if stats else None
                if seen is None or seen[0] < 0:  # not walked, or gone meanwhile: ask again
                    try:
                        st = os.stat(path)
                    except OSError:
                        continue
                    seen = (st.st_size, st.st_mtime_ns, st.st_ino)
                if seen == (size, mtime, ino) and mtime < hashed - _RACY_NS:
                    self.new[rel] = entry
                    self.reused += 1
                    continue
                with open(path, "rb") as fh:
                    same = digest(fh.read()) == old_digest
                if same:
                    self.new[rel] = ((*seen, now), old_digest, ref)
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

    def __call__(self, path: Path, rel: str) -> Any:
        """The loader's `Read` of one file, from its entry (its document read on demand)."""
        from jiuzhu.loader import Read

        self._parse_missing()
        head = None
        if rel in self.new:
            try:
                head = pickle.loads(self._part(rel, body=False))
            except Exception:  # a damaged entry: read the file again
                head = None
        if head is None:  # damaged, or a file the loader did not announce
            dig, blob, st = read_entry(path, rel)
            self.new[rel] = (st, dig, blob)
            self.dirty = True
            head = pickle.loads(self._part(rel, body=False))
        problems, scanned, piece, parsed = head
        return Read(LazyDoc(rel, self._doc, scanned) if parsed else None, problems, piece)

    def _doc(self, rel: str) -> Doc:
        data, values, keys, text = pickle.loads(self._part(rel, body=True))
        return Doc(rel, data, values, keys, text)

    def _part(self, rel: str, body: bool) -> bytes:
        """An entry's head or body (an entry: head size in 4 bytes, head, body)."""
        ref = self.new[rel][2]
        if isinstance(ref, bytes):
            buf: Any = ref
            start, end = 0, len(ref)
        else:
            buf = self._map
            start = self._base + ref[0]
            end = start + ref[1]
        size = int.from_bytes(buf[start:start + 4], "little")
        return buf[start + 4 + size:end] if body else buf[start + 4:start + 4 + size]  # type: ignore[no-any-return]

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

    def _memo(self) -> dict[str, list[tuple[bytes, bytes]]]:
        if self.memo is None:
            self.memo = {}
            try:
                raw = self.memo_path.read_bytes()
                if raw.startswith(self._head()):
                    memo = pickle.loads(raw[len(self._head()):])
                    if isinstance(memo, dict):
                        self.memo = memo
            except Exception:  # missing, foreign or corrupt: a miss
                pass
        return self.memo

    def recall(self, name: str, key: bytes) -> Any:
        """The value remembered under `name` for `key`, or None."""
        for k, value in self._memo().get(name, []):
            if k == key:
                try:
                    return pickle.loads(value)
                except Exception:
                    return None
        return None

    def remember(self, name: str, key: bytes, value: Any) -> None:
        kept = [(k, v) for k, v in self._memo().get(name, []) if k != key]
        self._memo()[name] = [(key, pickle.dumps(value, protocol=5)), *kept][:MEMO_KEEP]
        self.memo_dirty = True


def _in_pool(items: list[tuple[str, str]]) -> list[tuple[str, bytes, bytes, Stat]]:
    """Parse in POOL_WORKERS processes, in order; falls back to this process if a pool fails."""
    from concurrent.futures import ProcessPoolExecutor

    size = max(1, len(items) // (POOL_WORKERS * 8))
    chunks = [items[i:i + size] for i in range(0, len(items), size)]
    try:
        with ProcessPoolExecutor(POOL_WORKERS) as pool:
            return [r for part in pool.map(_read_many, chunks) for r in part]
    except (OSError, RuntimeError):  # no fork or semaphores here (some sandboxes): do it ourselves
        return _read_many(items)


def cached(root: Path, name: str, extra: tuple[str, ...], compute: Callable[[ParseCache], Any],
           directory: Path | None = None, scan: Any = None) -> Any:
    """`compute(cache)` for this registry's current content and `extra`, or what it gave last
    time. `compute` loads the registry through `cache` (so its misses land in the pack too).

    First by stat (jiuzhu.files.Scan: one stat of each file, nothing opened), then by content
    (the pack: every file's hash). `scan`: the caller's walk, whose stat memo it already asked."""
    from jiuzhu.files import Scan

    if scan is None:
        scan = Scan(root, directory)
        hit, value = scan.recall(name, extra)
        if hit:
            return value
    cache = ParseCache(root, directory)
    base = str(root)
    cache.prepare(((rel, os.path.join(base, rel)) for rel in scan.paths),
                  dict(zip(scan.paths, scan.stats, strict=True)))
    key = cache.tree_key(*extra)
    value = cache.recall(name, key)
    if value is None:
        value = compute(cache)
        cache.remember(name, key, value)
    cache.close()
    # the value is what these exact files gave: record it under their stat key (with the content
    # hash of any file modified within the racy window: a file the loader does not read counts by name)
    if all(rel not in cache.new or cache.new[rel][0][:3] == st for rel, st in zip(scan.paths, scan.stats, strict=True)):
        scan.remember(name, extra, value, lambda rel: cache.new[rel][1] if rel in cache.new else b"")
    return value
