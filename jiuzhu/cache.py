"""The parse cache: a registry file that did not change is not parsed or schema-checked again.

Where: `$JIUZHU_CACHE_DIR`, else `$XDG_CACHE_HOME/jiuzhu`, else `~/.cache/jiuzhu` — never inside
the registry. Per registry (named after a hash of its absolute path) a `.pack` file holds, for
every file, the blake2b hash of its bytes and, pickled, what reading it produced: the parsed
document (data, positions, text), the parse problems, the schema-checked data and its problems,
and `validate`'s personal-data scan of it (jiuzhu.privacy.scan looks for it on the document).
Entries are appended; after them comes an index (path -> stat, hash, offset), then a trailer
saying where that index starts, with its hash. A run that changed a few files appends their
entries and a new index; when more than half of the pack is outdated it is rewritten whole.
Entries are read only when used.

Every run needs every file's head (its problems and model records), 11k small pickles at 10k
tasks, each with its own copy of the same unit ids, states and dates. So a run that reads every
head also writes them all together, the heads block: pickles of up to BLOCK_PART heads, with equal
strings and dates shared (half the memory, a third of the time to read back; in a cold run the
pool workers build the parts as they parse); the index says where it is. Later runs take a file's
head from the block when its hash there is the entry's, else from the entry. The block is written
again only once more than an eighth of the files (and more than BLOCK_SLACK) are outside it (a
cold run, or many edits): one edited file costs an appended entry, not a new block.

An entry is used only when the file's bytes hash the same (mtime alone is useless after a git
checkout). Like git's index, a file whose size, mtime, inode and ctime are exactly those recorded when
it was last hashed is taken as unchanged without reading it, unless it was modified within two
seconds of that hashing ("racily clean": then it is read and hashed again). The pack is keyed on
its format, the Python version and a hash of jiuzhu's own source files, so another jiuzhu never
uses an entry it did not write. A missing, truncated, corrupt or foreign pack is a miss, never
an error; it is replaced atomically when the run ends, without the files no longer present.

Beside the pack, a `.memo` file keeps whole results keyed on the hash of every file's hash (and
whatever else the result depends on): `validate`'s problems, a query's printed output. Before
it comes the stat memo (jiuzhu.files): the same results keyed on every file's size, mtime, inode
and ctime, recorded only when no file was modified within two seconds of the walk; a hit there opens
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
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date as _date
from pathlib import Path
from typing import Any

from jiuzhu.files import cache_dir, pack_path  # noqa: F401  (their home: the light module)
from jiuzhu.problems import Pos, Problem
from jiuzhu.yamlread import Doc

FORMAT = 7
MAGIC = b"JIUZHU-PARSE-CACHE\n"
POOL_THRESHOLD = 400  # files to parse before 2 workers pay for their start (~50 ms); README "性能"
POOL_WORKERS = 2
COMPACT_SLACK = 1 << 20  # outdated bytes always allowed before the pack is rewritten
SPILL_THRESHOLD = 2000  # files parsed in one run from which their entries go to disk at once
RELEASE_EVERY = 4096  # entries read between letting go of the pack's pages (see __call__)
BLOCK_PART = 2048  # heads pickled together in the block (see _new_block)
BLOCK_SLACK = 64  # files outside the heads block always allowed before it is written again
MEMO_KEEP = 8  # results kept per name (e.g. several dates or formats of one query)
_RACY_NS = 2_000_000_000

Stat = tuple[int, int, int, int, int]  # size, mtime_ns, inode, ctime_ns, when the file was hashed (ns)
_TAIL = b"JZINDEX\n"
_TRAILER = 8 + 8 + 16 + len(_TAIL)  # where the index starts, its size, its hash, _TAIL

Index = dict[str, tuple[Stat, bytes, tuple[int, int]]]  # path -> stat, hash, (offset, size)


def _lock(fh: Any, how: str) -> None:
    """An advisory lock on the pack while it is mapped or appended to: "shared", "exclusive" or
    "off" (a map shares the file's lock, so it is always released explicitly)."""
    try:
        import fcntl
    except ImportError:  # not on Windows: appends there may make a concurrent reader miss
        return
    fcntl.flock(fh.fileno(), {"shared": fcntl.LOCK_SH, "exclusive": fcntl.LOCK_EX, "off": fcntl.LOCK_UN}[how])


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
    document, read only when a check points into it)."""
    return _entry(path, rel)[:3]


def _entry(path: Path | str, rel: str) -> tuple[bytes, bytes, Stat, Any]:
    """read_entry, and the head itself. Runs in pool workers too: plain values."""
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
    stat = (st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns, hashed)
    return digest(raw), len(head).to_bytes(4, "little") + head + body, stat, (problems, scanned, piece, doc is not None)


_PLAIN = frozenset({int, bool, float, type(None)})


def _share(obj: Any, pool: dict[Any, Any]) -> Any:
    """`obj` (a head: lists, tuples, named tuples of plain values) rebuilt with each string and date
    taken from `pool`: equal values become one object, pickled once in the heads block."""
    kind = type(obj)
    if kind in _PLAIN:
        return obj
    if kind is str or kind is _date:
        return pool.setdefault(obj, obj)
    if kind is Pos:  # the most common record: its file name is the only thing to share
        return tuple.__new__(Pos, (pool.setdefault(obj[0], obj[0]), obj[1], obj[2]))
    if kind is list:
        return [_share(x, pool) for x in obj]
    if kind is tuple:
        return tuple([_share(x, pool) for x in obj])
    if issubclass(kind, tuple):  # a record (jiuzhu.problems.fast_pickle: no Python __new__)
        return tuple.__new__(kind, [_share(x, pool) for x in obj])
    return obj


def _before(ref: Any, offset: int) -> bool:
    """Whether an entry lies in the pack before `offset`."""
    return isinstance(ref, tuple) and len(ref) == 2 and ref[0] < offset


Batch = tuple[list[tuple[str, bytes, bytes, Stat]], "bytes | None"]


def _read_many(items: list[tuple[str, str]], gather: bool = False) -> Batch:
    """Entries of these files: (path, hash, entry, stat) each; with `gather`, also their heads,
    shared (see _share) and pickled together: a part of the heads block (ParseCache._parts)."""
    entries: list[tuple[str, bytes, bytes, Stat]] = []
    heads: dict[str, tuple[bytes, Any]] = {}
    pool: dict[Any, Any] = {}
    with _collector(True):  # even inside the loader's pause: the YAML composer's nodes are cyclic garbage
        for rel, path in items:
            dig, blob, st, head = _entry(path, rel)
            entries.append((rel, dig, blob, st))
            if gather:
                heads[rel] = (dig, _share(head, pool))
    return entries, pickle.dumps(heads, protocol=5) if gather else None


@contextmanager
def _collector(on: bool) -> Iterator[None]:
    """The cyclic garbage collector on or off for a while, then as it was."""
    import gc

    was = gc.isenabled()
    gc.enable() if on else gc.disable()
    try:
        yield
    finally:
        gc.enable() if was else gc.disable()


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
        self.old: Index = {}
        self._map: mmap.mmap | None = None
        self._block: tuple[int, int] | None = None  # where the heads block is in the pack
        self._heads: dict[str, Any] | None = None  # the block, once read: path -> (hash, head)
        self._pool: dict[Any, Any] | None = None  # while heads are gathered for a new block
        self._fresh: dict[str, tuple[bytes, Any]] = {}  # those heads: path -> (hash, head)
        self._parts: list[bytes] = []  # the block's parts pickled so far (see _keep)
        self._unpacked: list[str] = []  # gathered heads not in a part yet
        self._ino = 0
        self._load_pack()
        self.memo: dict[str, list[tuple[bytes, bytes]]] | None = None
        self.new: dict[str, tuple[Stat, bytes, Any]] = {}
        self.files: list[tuple[str, Path | str]] | None = None
        self.listed: list[str] = []
        self.missing: list[tuple[str, Path | str]] = []
        self.dirty = False
        self.memo_dirty = False
        self.reused = 0  # files whose entry was used (not parsed again)
        self._served = 0
        self._spill: tuple[Any, str] | None = None  # (open file, path) of this run's spill file
        self._spill_map: mmap.mmap | None = None

    # --- the pack -----------------------------------------------------------------------------

    def _head(self) -> bytes:
        return MAGIC + self.fingerprint

    def _load_pack(self) -> None:
        """Map the pack and read its last index; anything unexpected leaves the cache empty."""
        try:
            with open(self.path, "rb") as fh:
                _lock(fh, "shared")  # not while another run appends
                try:
                    mm = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
                    ino = os.fstat(fh.fileno()).st_ino
                finally:
                    _lock(fh, "off")  # the map keeps the file open: unlock explicitly
        except (OSError, ValueError):  # missing, unreadable or empty
            return
        try:
            index, block = self._read_index(mm)
        except Exception:  # foreign, older, truncated or corrupt: a miss, never an error
            mm.close()
            return
        self.old, self._block, self._map, self._ino = index, block, mm, ino

    def _read_index(self, mm: mmap.mmap) -> tuple[Index, tuple[int, int] | None]:
        head = self._head()
        if len(mm) < len(head) + _TRAILER or mm[:len(head)] != head:
            raise ValueError("foreign pack")
        trailer = mm[len(mm) - _TRAILER:]
        start, size = int.from_bytes(trailer[:8], "little"), int.from_bytes(trailer[8:16], "little")
        if trailer[32:] != _TAIL or start < len(head) or start + size != len(mm) - _TRAILER:
            raise ValueError("no index at the end")
        raw = mm[start:start + size]
        if digest(raw) != trailer[16:32]:
            raise ValueError("index damaged")
        index, block = pickle.loads(raw)
        if not isinstance(index, dict) or any(off + n > start for _, _, (off, n) in index.values()):
            raise ValueError("truncated")
        if block is not None and block[0] + block[1] > start:
            raise ValueError("truncated")
        return index, block

    # An entry's bytes are referred to as: bytes (in memory), (offset, length) in the pack read at
    # the start, or ("spill", offset, length) in this run's spill file (see _parse_missing).

    def _where(self, ref: Any) -> tuple[Any, int, int]:
        if isinstance(ref, bytes):
            return ref, 0, len(ref)
        if len(ref) == 3:
            return self._spill_map, ref[1], ref[1] + ref[2]
        return self._map, ref[0], ref[0] + ref[1]

    def _blob(self, ref: Any) -> bytes:
        if isinstance(ref, bytes):
            return ref
        buf, start, end = self._where(ref)
        return buf[start:end]  # type: ignore[no-any-return]

    def close(self) -> None:
        """Write what changed; keep only files still present. New entries are appended to the
        pack with a new index after them (a few kB for one changed file, instead of rewriting
        the whole pack); when more than half of the pack is outdated it is rewritten, atomically.
        A heads block gathered in this run goes in before the index."""
        if self.files is None:
            return
        from jiuzhu.errors import InputRefused  # atomic_write's refusal to replace a non-file

        block = self._new_block()
        if self.dirty or set(self.new) != set(self.old) or block is not None:
            try:
                if not (self._adopt_spill(block) or self._append(block)):
                    self._rewrite(block)
            except (OSError, InputRefused):
                pass  # a read-only or full cache folder costs speed, never a result
            finally:
                self._drop_spill()
            self.dirty = False
        self._heads = None  # the loader keeps what it took from there
        if self.memo_dirty and self.memo is not None:
            from jiuzhu.writer import atomic_write

            try:
                atomic_write(self.memo_path, self._head() + pickle.dumps(self.memo, protocol=5), durable=False)
            except (OSError, InputRefused):
                pass
            self.memo_dirty = False

    def _new_block(self) -> bytes | None:
        """The heads block, when this run gathered the head of every file (see prepare)."""
        if self._pool is None or len(self._fresh) != len(self.new) or not self._fresh.keys() >= self.new.keys():
            return None
        self._pack_part()
        block, self._pool, self._fresh, self._parts = b"".join(self._parts), None, {}, []
        return block

    def _keep(self, rel: str, dig: bytes, head: Any) -> Any:
        """Gather one shared head for the new block; every BLOCK_PART heads are pickled at once
        (while the workers parse on), each part on its own: a pickler remembers every object it
        wrote (100k heads: 400 MB), and within a part almost every string repeats already."""
        assert self._pool is not None
        head = _share(head, self._pool)
        self._fresh[rel] = (dig, head)
        self._unpacked.append(rel)
        if len(self._unpacked) >= BLOCK_PART:
            self._pack_part()
        return head

    def _pack_part(self) -> None:
        if self._unpacked:  # a later part wins for a file gathered twice (read again when damaged)
            self._parts.append(pickle.dumps({rel: self._fresh[rel] for rel in self._unpacked}, protocol=5))
            self._unpacked = []

    def _layout(self, end: int, everything: bool, block: bytes | None,
                ) -> tuple[Index, tuple[int, int] | None, list[Any]]:
        """The index and the heads block's place after writing at `end` the entries held in memory
        (or `everything`), then `block` if any, and what to write. Without a new block, an append
        keeps the old one (it still lies before the new entries); a rewrite has none."""
        index: Index = {}
        chunks: list[Any] = []
        for rel, (st, dig, ref) in self.new.items():
            if everything or not (isinstance(ref, tuple) and len(ref) == 2):
                blob = self._blob(ref)
                index[rel] = (st, dig, (end, len(blob)))
                chunks.append(blob)
                end += len(blob)
            else:
                index[rel] = (st, dig, ref)
        where = None if everything else self._block
        if block is not None:
            where = (end, len(block))
            chunks.append(block)
            end += len(block)
        chunks += self._index_bytes(end, index, where)
        return index, where, chunks

    @staticmethod
    def _index_bytes(end: int, index: Index, block: tuple[int, int] | None) -> list[bytes]:
        """The index (with the heads block's place) and the trailer, to be written at `end`."""
        raw = pickle.dumps((index, block), protocol=5)
        return [raw, end.to_bytes(8, "little") + len(raw).to_bytes(8, "little") + digest(raw) + _TAIL]

    def _append(self, block: bytes | None) -> bool:
        """Append to the pack this run read, if it is still that file and mostly alive."""
        if self._map is None:
            return False
        live = sum(len(ref) if isinstance(ref, bytes) else ref[-1] for _, _, ref in self.new.values())
        with open(self.path, "r+b") as fh:
            _lock(fh, "exclusive")
            try:
                if os.fstat(fh.fileno()).st_ino != self._ino:  # rewritten by another run meanwhile
                    return False
                end = fh.seek(0, os.SEEK_END)
                if end > 2 * live + len(block or b"") + COMPACT_SLACK:  # mostly outdated: compact
                    return False
                index, where, chunks = self._layout(end, everything=False, block=block)
                fh.writelines(chunks)
                fh.flush()
                self._remap(fh, index, where)
            finally:
                _lock(fh, "off")
        return True

    def _adopt_spill(self, block: bytes | None) -> bool:
        """When every entry is in this run's spill file (a cold run), it becomes the pack: the heads
        block and the index are appended and it is renamed over the old one; nothing is copied."""
        if self._spill is None or not all(isinstance(ref, tuple) and len(ref) == 3 for _, _, ref in self.new.values()):
            return False
        fh, path = self._spill
        index: Index = {rel: (st, dig, (ref[1], ref[2])) for rel, (st, dig, ref) in self.new.items()}
        end = fh.seek(0, os.SEEK_END)
        where = None
        if block is not None:
            fh.write(block)
            where, end = (end, len(block)), end + len(block)
        fh.writelines(self._index_bytes(end, index, where))
        fh.flush()
        os.replace(path, self.path)
        self._spill = None
        try:
            self._remap(fh, index, where)
        finally:
            fh.close()
        return True

    def _drop_spill(self) -> None:
        if self._spill is not None:
            fh, path = self._spill
            self._spill = None
            fh.close()
            try:
                os.unlink(path)
            except OSError:
                pass

    def _rewrite(self, block: bytes | None) -> None:
        from jiuzhu.writer import atomic_write

        index, where, chunks = self._layout(len(self._head()), everything=True, block=block)
        atomic_write(self.path, itertools.chain([self._head()], chunks), durable=False)
        with open(self.path, "rb") as fh:
            self._remap(fh, index, where)

    def _remap(self, fh: Any, index: Index, block: tuple[int, int] | None) -> None:
        """From now on read entries from the pack just written (`fh`), whose index is `index`:
        the bytes of freshly parsed entries are let go."""
        try:
            mm = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):
            return
        if self._map is not None:
            self._map.close()
        self.old, self.new, self._map, self._ino = index, dict(index), mm, os.fstat(fh.fileno()).st_ino
        self._block, self._heads = block, None

    # --- the loader's hooks -------------------------------------------------------------------

    def prepare(self, files: Iterable[tuple[str, Path | str]],
                stats: dict[str, tuple[int, int, int, int]] | None = None) -> None:
        """For every registry file, whether its entry can be used; the rest are parsed later.
        `stats`: (size, mtime_ns, inode, ctime_ns) by file, from a walk that has just taken them."""
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
                (size, mtime, ino, ctime, hashed), old_digest, ref = entry
                seen = stats.get(rel) if stats else None
                if seen is None or seen[0] < 0:  # not walked, or gone meanwhile: ask again
                    try:
                        st = os.stat(path)
                    except OSError:
                        continue
                    seen = (st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns)
                if seen == (size, mtime, ino, ctime) and mtime < hashed - _RACY_NS:
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
        # Heads outside the block: more than an eighth of the files, and this run gathers them all
        # for a new one (read before the block was written: before its offset in the pack).
        after = self._block[0] if self._block else 0
        outside = len(files) - sum(1 for rel, _ in files if rel in self.new and _before(self.new[rel][2], after))
        if outside > max(BLOCK_SLACK, len(files) // 8):
            self._pool, self._fresh, self._parts, self._unpacked = {}, {}, [], []

    def _parse_missing(self) -> None:
        """Parse the files whose entry cannot be used. Also called before the load (tree_key needs
        every file's hash): the cyclic collector is paused as in jiuzhu.loader.load, here for the
        parts of the heads block taken from the workers (thousands of small objects, no cycle: 100k
        files took 11 s instead of 1 s while it walked them again and again), and runs only where
        YAML is parsed (_read_many: the composer's nodes are cyclic garbage)."""
        if not self.missing:
            return
        with _collector(False):
            self._parse_all_missing()

    def _parse_all_missing(self) -> None:
        items = [(rel, str(path)) for rel, path in self.missing]
        self.missing = []
        gather = self._pool is not None  # the workers share and pickle the heads of the block
        if self.pool and len(items) >= POOL_THRESHOLD and (os.cpu_count() or 1) > 1:
            batches: Iterable[Batch] = _in_pool(items, gather)
        else:
            batches = [_read_many(items, gather)]
        spill = self._open_spill() if len(items) >= SPILL_THRESHOLD else None
        if spill is None:
            for entries, part in batches:
                for rel, dig, blob, st in entries:
                    self.new[rel] = (st, dig, blob)
                self._take(part)
        else:  # many entries: onto disk as they come, not all held in memory (100k files: 350 MB)
            try:
                end = spill.seek(0, os.SEEK_END)
                for entries, part in batches:
                    for rel, dig, blob, st in entries:
                        spill.write(blob)
                        self.new[rel] = (st, dig, ("spill", end, len(blob)))
                        end += len(blob)
                    self._take(part)
                spill.flush()
                spill_map = mmap.mmap(spill.fileno(), 0, access=mmap.ACCESS_READ)
            except OSError:  # the cache folder filled up: this run keeps these entries in memory
                getattr(batches, "close", lambda: None)()  # a pool still running
                self._drop_spill()  # entries spilled by an earlier call stay readable in _spill_map
                entries, part = _read_many(items, gather)
                for rel, dig, blob, st in entries:
                    self.new[rel] = (st, dig, blob)
                self._take(part)
            else:
                if self._spill_map is not None:
                    self._spill_map.close()
                self._spill_map = spill_map
        self.dirty = True

    def _take(self, part: bytes | None) -> None:
        """A part of the new heads block from the files just parsed: its heads serve this run."""
        if part is not None and self._pool is not None:
            self._fresh.update(pickle.loads(part))
            self._parts.append(part)

    def _open_spill(self) -> Any:
        """This run's spill file beside the pack (a pack in the making: same head), or None when
        the cache folder cannot be written."""
        if self._spill is not None:
            return self._spill[0]
        import tempfile

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, path = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".spill", dir=self.path.parent)
        except OSError:
            return None
        fh = os.fdopen(fd, "w+b")
        fh.write(self._head())
        self._spill = (fh, path)
        return fh

    def __call__(self, path: Path, rel: str) -> Any:
        """The loader's `Read` of one file, from its entry (its document read on demand)."""
        from jiuzhu.loader import Read

        self._parse_missing()
        head = None
        fresh = self._fresh.get(rel)
        gathered = fresh is not None and rel in self.new and fresh[0] == self.new[rel][1]
        if gathered and fresh is not None:
            head = fresh[1]  # shared as it was parsed (_parse_missing)
            problems, scanned, piece, parsed = head
        elif rel in self.new:
            if self._heads is None and self._block is not None and self._pool is None:
                self._read_block()
            try:
                got = self._heads.get(rel) if self._heads else None
                if type(got) is tuple and got[0] == self.new[rel][1]:
                    head = got[1]
                else:
                    head = pickle.loads(self._part(rel, body=False))
                problems, scanned, piece, parsed = head
            except Exception:  # a damaged entry: read the file again
                head = None
        if head is None:  # damaged, or a file the loader did not announce
            dig, blob, st = read_entry(path, rel)
            self.new[rel] = (st, dig, blob)
            self.dirty = True
            head = pickle.loads(self._part(rel, body=False))
            problems, scanned, piece, parsed = head
        if self._pool is not None and not gathered:  # gathering a new heads block
            head = self._keep(rel, self.new[rel][1], head)
            problems, scanned, piece, parsed = head
        self._served += 1
        if not self._served % RELEASE_EVERY and hasattr(mmap, "MADV_DONTNEED"):
            # Heads sit between documents in the pack: reading them all would count the whole
            # pack (350 MB at 100k tasks) in this process's memory. Let the kernel keep the pages.
            for mapped in (self._map, self._spill_map):
                if mapped is not None and not mapped.closed:
                    mapped.madvise(mmap.MADV_DONTNEED)
        return Read(LazyDoc(rel, self._doc, scanned) if parsed else None, problems, piece)

    def _read_block(self) -> None:
        """Read the heads block; a damaged one is as good as none."""
        assert self._map is not None and self._block is not None
        import io

        off, size = self._block
        heads: dict[str, Any] = {}
        raw = io.BytesIO(self._map[off:off + size])
        try:
            while raw.tell() < size:
                heads.update(pickle.load(raw))
        except Exception:
            heads = {}
        self._heads = heads
        if hasattr(mmap, "MADV_DONTNEED"):
            self._map.madvise(mmap.MADV_DONTNEED)  # see __call__: the pages stay the kernel's

    def _doc(self, rel: str) -> Doc:
        data, values, keys, text = pickle.loads(self._part(rel, body=True))
        return Doc(rel, data, values, keys, text)

    def _part(self, rel: str, body: bool) -> bytes:
        """An entry's head or body (an entry: head size in 4 bytes, head, body)."""
        buf, start, end = self._where(self.new[rel][2])
        size = int.from_bytes(buf[start:start + 4], "little")
        return buf[start + 4 + size:end] if body else buf[start + 4:start + 4 + size]  # type: ignore[no-any-return]

    # --- whole results --------------------------------------------------------------------------

    def tree_key(self, *extra: str, others: Iterable[str] = ()) -> bytes:
        """A hash of every file's path and content hash (after `prepare`; files the loader does not
        read too: `validate` scans them for personal data, as the `others`, relative paths of the
        registry's other files), of the registry's templates (name, size, mtime), plus `extra`."""
        assert self.files is not None
        self._parse_missing()
        h = hashlib.blake2b(digest_size=16)
        base = os.path.join(str(self.root), "")
        for rel in self.listed:
            h.update(rel.encode("utf-8") + b"\0" + (self.new[rel][1] if rel in self.new else _loose(base + rel)))
        for rel in others:
            h.update(b"\3" + rel.encode("utf-8") + b"\0" + _loose(base + rel))
        for path in sorted((self.root / "templates").rglob("*")):
            try:
                st = path.stat()
            except OSError:  # a dangling link, or gone meanwhile
                h.update(f"\2{path.relative_to(self.root).as_posix()}|-".encode())
                continue
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


def _loose(path: str) -> bytes:
    """A file the loader does not read, as `validate`'s personal-data scan sees it: the hash of its
    bytes, or only its size when that scan skips it (too large), or a mark (not a file, unreadable)."""
    import stat

    from jiuzhu.privacy import _MAX_TEXT

    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):
            return b"-"
        if st.st_size > _MAX_TEXT:
            return b"size %d" % st.st_size
        with open(path, "rb") as fh:
            return digest(fh.read())
    except OSError:
        return b"?"


def _in_pool(items: list[tuple[str, str]], gather: bool) -> Iterator[Batch]:
    """Parse in POOL_WORKERS processes, in order, as results come; what a failing pool did not
    deliver is parsed in this process."""
    from concurrent.futures import ProcessPoolExecutor
    from functools import partial

    size = max(1, min(len(items) // (POOL_WORKERS * 8), 1000))
    chunks = [items[i:i + size] for i in range(0, len(items), size)]
    done = 0
    try:
        with ProcessPoolExecutor(POOL_WORKERS) as pool:  # _read_many runs the collector there too
            for batch in pool.map(partial(_read_many, gather=gather), chunks):
                yield batch
                done += len(batch[0])
    except (OSError, RuntimeError):  # no fork or semaphores here (some sandboxes): do it ourselves
        yield _read_many(items[done:], gather)


def cached(root: Path, name: str, extra: tuple[str, ...], compute: Callable[[ParseCache], Any],
           directory: Path | None = None, scan: Any = None, valid: Callable[[Any], bool] = lambda value: True) -> Any:
    """`compute(cache)` for this registry's current content and `extra`, or what it gave last
    time. `compute` loads the registry through `cache` (so its misses land in the pack too).

    First by stat (jiuzhu.files.Scan: one stat of each file, nothing opened), then by content
    (the pack: every file's hash). `scan`: the caller's walk, whose stat memo it already asked.
    A remembered value that is not `valid` (a damaged memo that still decodes) is computed again."""
    from jiuzhu.files import Scan

    if scan is None:
        scan = Scan(root, directory)
        hit, value = scan.recall(name, extra)
        if hit and valid(value):
            return value
    cache = ParseCache(root, directory)
    base = os.path.join(str(root), "")  # with the separator: joined by +, 11k times
    cache.prepare(((rel, base + rel) for rel in scan.paths),
                  dict(zip(scan.paths, scan.stats, strict=True)))
    key = cache.tree_key(*extra, others=[rel for rel, *_ in scan.others])
    value = cache.recall(name, key)
    if value is None or not valid(value):
        value = compute(cache)
        cache.remember(name, key, value)
    cache.close()
    # the value is what these exact files gave: record it under their stat key (with the content
    # hash of any file modified within the racy window, those the loader does not read included)
    if all(rel not in cache.new or cache.new[rel][0][:4] == st for rel, st in zip(scan.paths, scan.stats, strict=True)):
        scan.remember(name, extra, value, lambda rel: cache.new[rel][1] if rel in cache.new else _loose(base + rel))
    return value
