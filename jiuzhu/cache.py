"""The parse cache: a registry file whose bytes did not change is not parsed, checked or built again.

It keeps, per file, what `jiuzhu.pieces.read_bytes` gave (problems, personal-data scan, model
piece): a pure function of the file's bytes and path, jiuzhu's code and the libraries that
parse and interpret them. It never keeps a command's answer: every command computes its answer
from the registry of now, on the date of now.

The key, built here and nowhere else:
- the code key (`code_key`): cache format, Python, jiuzhu's version and the bytes of every jiuzhu
  source file, the versions of ruamel.yaml and chinese-calendar. Another key: every entry is a miss.
- per file, the blake2b hash of its bytes. Like git's index, a file whose size, mtime, inode and
  ctime are those seen when it was hashed is taken as unchanged without reading it — unless it
  was modified within RACY_NS of that hashing ("racily clean"): such an entry keeps no stat
  (`seen_of`), so the file is read and hashed again until it has been quiet long enough.

Where: `$JIUZHU_CACHE_DIR`, else `$XDG_CACHE_HOME/jiuzhu`, else `~/.cache/jiuzhu` — never inside the
registry; one folder per registry (by absolute path), its entries in pickles ("shards", as many
as `shard_count` says for the registry's size) by a hash of the file's path, so one edited file
rewrites one shard. Shards are replaced atomically; a missing,
foreign, damaged or unreadable shard is a miss; a cache folder that cannot be written costs speed,
never a result. Pickles run code when read: a cache folder writable by others is not used.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import pickle
import re
import struct
import sys
import time
import zlib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, NamedTuple

import chinese_calendar

import jiuzhu
from jiuzhu import privacy, readpool
from jiuzhu.atomic import atomic_write
from jiuzhu.doc import Doc
from jiuzhu.errors import InputRefused
from jiuzhu.pieces import parse_yaml, read_bytes, unreadable
from jiuzhu.problems import Problem, fast_pickle
from jiuzhu.yamlerrors import decode

FORMAT = 10
MAGIC = b"JIUZHU-PARSE-CACHE\n"
PER_SHARD = 256  # entries a shard holds, at least (unless there is only one)
MAX_SHARDS = 128  # 100k files: one changed file rewrites 1/128 of the entries (0.5 s at 32)
RACY_NS = 2_000_000_000

# A file's stat when its bytes were read (size, mtime_ns, inode, ctime_ns): packed, one object per
# file instead of five.
_STAT = struct.Struct("<QqQq")


@fast_pickle
class Entry(NamedTuple):
    seen: bytes  # the stat that vouches for the bytes (`seen_of`); b"": none does
    digest: bytes
    head: tuple[list[Problem], list[Problem], Any, bool]  # problems, personal-data scan, piece, parsed


def cache_dir() -> Path:
    env = os.environ.get("JIUZHU_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "jiuzhu"


def folder_for(root: Path, directory: Path | None = None) -> Path:
    resolved = root.resolve()
    tag = hashlib.blake2b(str(resolved).encode("utf-8"), digest_size=10).hexdigest()
    return (directory or cache_dir()) / f"{resolved.name or 'registry'}-{tag}"


def code_key() -> bytes:
    """Everything besides a file's bytes that changes what reading it gives."""
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{FORMAT}|{sys.version}|{jiuzhu.__version__}|{chinese_calendar.__version__}|".encode())
    h.update(_parser_identity())
    package = Path(jiuzhu.__file__).parent
    for path in sorted(package.rglob("*.py")):
        h.update(b"\0" + path.relative_to(package).as_posix().encode() + b"\0")
        h.update(path.read_bytes())
    return h.digest()


def _parser_identity() -> bytes:
    """Which ruamel.yaml parses, without importing it (15 ms; a warm load parses nothing): the
    bytes of its `__init__.py`, which carry its version, and the size and time of its C parser."""
    out = []
    for name in ("ruamel.yaml", "_ruamel_yaml"):
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            spec = None
        origin = spec.origin if spec is not None else None
        if origin is None:
            out.append(f"{name}: none".encode())
        elif name == "ruamel.yaml":
            out.append(Path(origin).read_bytes())
        else:
            st = os.stat(origin)
            out.append(f"{origin}|{st.st_size}|{st.st_mtime_ns}".encode())
    return b"\0".join(out)


def digest(raw: bytes) -> bytes:
    return hashlib.blake2b(raw, digest_size=16).digest()


def stat_of(st: os.stat_result) -> bytes:
    return _STAT.pack(st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns)


def seen_of(st: os.stat_result, hashed: int) -> bytes:
    """git's racily-clean rule, applied once, when the bytes are hashed (at `hashed`, ns): a file
    modified within RACY_NS before could be written again in the same clock tick without its stat
    changing, so its stat vouches for nothing (b"") and it is hashed again next time."""
    if st.st_mtime_ns < hashed - RACY_NS and st.st_ctime_ns < hashed - RACY_NS:
        return stat_of(st)
    return b""


def unchanged(st: os.stat_result, entry: Entry) -> bool:
    """git's stat shortcut: the same size, mtime, inode and ctime as when the file was hashed
    (and not racily clean then: `seen_of`). Equal stats mean equal mtime and ctime, so the rule
    decided at hashing time still holds."""
    return entry.seen == stat_of(st)


def read_entry(path: str, rel: str) -> Entry:
    """Read, parse, check and build one file, hashing the very bytes that were parsed."""
    hashed = time.time_ns()
    try:
        st, raw = readpool.file_bytes(path)
    except OSError as exc:  # no stat in `seen`: the entry never counts as unchanged (`unchanged`)
        _, problems, piece = unreadable(rel, exc)
        return Entry(b"", b"", (problems, [], piece, False))
    doc, problems, piece = read_bytes(raw, rel)
    scanned = privacy.scan(doc) if doc is not None and piece.kind else []
    return Entry(seen_of(st, hashed), digest(raw),
                 (problems, scanned, piece, doc is not None))


class LazyDoc:
    """A file's `Doc` in `Registry.files`, parsed again from the file the first time a check asks
    (most checks use the records' own positions). Refused if the file changed meanwhile: its
    positions would no longer be those of the records."""

    __slots__ = ("file", "scanned", "_path", "_digest", "_doc")

    def __init__(self, file: str, path: str, dig: bytes, scanned: list[Problem]) -> None:
        self.file, self._path, self._digest, self.scanned = file, path, dig, scanned
        self._doc: Doc | None = None

    def __getattr__(self, name: str) -> Any:
        if self._doc is None:
            try:
                raw = readpool.file_bytes(self._path)[1]
            except OSError:  # removed or replaced meanwhile
                raw = b""
            text, _ = decode(raw, self.file)
            doc = parse_yaml(text, self.file)[0] if text is not None and digest(raw) == self._digest else None
            if doc is None:
                raise InputRefused(f"登记册文件 {self.file} 在 jiuzhu 运行期间被修改了",
                                   "等修改完成后重新运行这条命令。")
            self._doc = doc
        return getattr(self._doc, name)


class LazyDocs(Mapping[str, Any]):
    """`Registry.files` of a load through the cache: a file's `LazyDoc` is made when a check first
    asks for it (most commands ask for none; 100k stand-ins made up front cost 0.1 s)."""

    __slots__ = ("entries", "_made")

    def __init__(self) -> None:
        self.entries: dict[str, tuple[str, Entry]] = {}  # relative path -> (path, its entry)
        self._made: dict[str, LazyDoc] = {}

    def __getitem__(self, rel: str) -> LazyDoc:
        doc = self._made.get(rel)
        if doc is None:
            path, entry = self.entries[rel]
            doc = self._made[rel] = LazyDoc(rel, path, entry.digest, entry.head[1])
        return doc

    def __contains__(self, rel: object) -> bool:
        return rel in self.entries

    def __iter__(self) -> Iterator[str]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)


class ParseCache:
    """A reader for `jiuzhu.loader.load`: `prepare(files)`, then `gather(files, …)` for their
    problems, pieces and documents, then `close()` to write what changed."""

    def __init__(self, root: Path, directory: Path | None = None, pool: bool = True, key: bytes | None = None) -> None:
        """`key`: `code_key()`, when the caller has it already (the roll-up: one for all its registries)."""
        self.folder = folder_for(root, directory)
        self.pool = pool
        self.key = key or code_key()
        self.entries: dict[str, Entry] = {}
        self.changed: set[str] = set()  # files whose entry is new, renewed or gone
        self.found: list[str] = []  # the shard files in the folder when it was read
        self.redo: set[str] = set()  # those of them that were damaged or foreign
        self.parsed = 0  # files parsed in this run (the others' entries were used)

    def prepare(self, files: list[tuple[str, str]], stats: Mapping[str, os.stat_result | None] | None = None) -> None:
        """Take each file's entry from the shards if its stat or bytes say it is unchanged, else
        read it. `stats`: the files' stat as the listing took it (`jiuzhu.listing`); a file
        without one is stat-ed here."""
        old = self._load_shards()
        missing: list[tuple[str, str]] = []
        listed = set()
        entries, given = self.entries, stats or {}
        for rel, path in files:  # 100k files: each call saved in this loop saves 0.05 s
            listed.add(rel)
            entry = old.get(rel)
            if entry is not None:
                st = given.get(rel) or _stat(path)
                if st is not None:
                    if not unchanged(st, entry):
                        entry = self._same_bytes(rel, path, st, entry)
                    if entry is not None:
                        entries[rel] = entry
                        continue
            missing.append((rel, path))
        self.changed.update(old.keys() - listed)  # pruned
        for rel, entry in readpool.read_all(missing, read_entry, self.pool):
            entries[rel] = entry
            self.changed.add(rel)
            self.parsed += 1

    def _same_bytes(self, rel: str, path: str, st: os.stat_result, entry: Entry) -> Entry | None:
        """`entry` for a file whose stat does not vouch for it but whose bytes are still those of
        `entry` (vouched for from now on by the new stat, if it is quiet); None if they are not."""
        hashed = time.time_ns()
        try:
            raw = readpool.file_bytes(path)[1]
        except OSError:
            return None
        if digest(raw) != entry.digest:
            return None
        self.changed.add(rel)
        return entry._replace(seen=seen_of(st, hashed))

    def gather(self, files: list[tuple[str, str]], problems: list[Problem], pieces: list[Any]) -> LazyDocs:
        """After `prepare`: every file's problems and piece, in order; returns `Registry.files`."""
        docs = LazyDocs()
        parsed_docs, entries = docs.entries, self.entries
        for rel, path in files:
            entry = entries.get(rel)
            if entry is None:  # not announced by prepare
                entry = entries[rel] = read_entry(path, rel)
                self.changed.add(rel)
                self.parsed += 1
            found, _, piece, parsed = entry.head
            if found:
                problems.extend(found)
            if parsed:
                parsed_docs[rel] = (path, entry)
            pieces.append(piece)
        return docs

    def close(self) -> None:
        """Write the shards that changed. When the registry has grown or shrunk past a size where
        `shard_count` changes, every shard is written anew and the others are removed."""
        count = shard_count(len(self.entries))
        others = {name for name in self.found if not _of(name, count)}
        if others:
            dirty = set(range(count))
        else:
            dirty = {_shard(rel, count) for rel in self.changed} | {int(name[4:7]) for name in self.redo}
        if not dirty:
            return
        by_shard: dict[int, dict[str, Entry]] = {n: {} for n in dirty}
        for rel, entry in self.entries.items():
            n = _shard(rel, count)
            if n in by_shard:
                by_shard[n][rel] = entry
        try:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            for n, entries in by_shard.items():  # fresh entries share their strings already (as read)
                atomic_write(self.folder / _shard_name(count, n),
                             [MAGIC, self.key, pickle.dumps(entries, protocol=5)], durable=False)
            for name in others:  # after the new ones: a crash between leaves both, each entry still checked
                (self.folder / name).unlink(missing_ok=True)
        except (OSError, InputRefused):  # read-only, full, or a name taken by a folder
            pass
        self.changed.clear()
        self.redo.clear()
        self.found = [name for name in self.found if name not in others]

    def _load_shards(self) -> dict[str, Entry]:
        """Every entry of the folder's shards (`found`), of whatever count; the damaged or
        foreign ones go to `redo`. One listing of the folder, no failed open per missing shard."""
        if not private(self.folder):
            return {}
        try:
            self.found = names = [name for name in os.listdir(self.folder) if _SHARD_NAME.fullmatch(name)]
        except OSError:
            return {}
        old: dict[str, Entry] = {}
        head = MAGIC + self.key
        for name in names:
            try:
                with open(self.folder / name, "rb") as fh:
                    raw = fh.read()
                got = pickle.loads(memoryview(raw)[len(head):]) if raw.startswith(head) else None
            except FileNotFoundError:
                continue
            except Exception:  # damaged: a miss, rewritten at close
                got = None
            if type(got) is dict:
                old.update(got)
            else:  # another jiuzhu's or another format's
                self.redo.add(name)
        return {rel: e for rel, e in old.items() if type(e) is Entry}


def _stat(path: str) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None


def private(folder: Path) -> bool:
    """Whether only this user can write the cache folder (else its pickles are not trusted)."""
    try:
        st = folder.stat()
    except OSError:
        return False
    return not st.st_mode & 0o022 and (not hasattr(os, "getuid") or st.st_uid == os.getuid())


def shard_count(files: int) -> int:
    """How many shards hold the entries of this many files: a power of two, each shard at least
    PER_SHARD entries, at most MAX_SHARDS shards (a county's 2,300 files: 8 shards to write and read,
    not 128)."""
    n = 1
    while n < MAX_SHARDS and files >= 2 * n * PER_SHARD:
        n *= 2
    return n


_SHARD_NAME = re.compile(r"(?:[0-9]{3}-)?[0-9]{3}\.pack")  # count-number; number alone: before counts


def _shard_name(count: int, n: int) -> str:
    return f"{count:03d}-{n:03d}.pack"


def _of(name: str, count: int) -> bool:
    """Whether a shard file is one of `count` shards."""
    return len(name) == 12 and name[:3] == f"{count:03d}" and int(name[4:7]) < count


def _shard(rel: str, count: int) -> int:
    return zlib.crc32(rel.encode("utf-8")) % count


def shard_files(root: Path, directory: Path | None = None) -> Iterable[Path]:
    """The cache's files for a registry (for tests and for anyone clearing it by hand)."""
    return sorted(folder_for(root, directory).glob("*.pack"))
