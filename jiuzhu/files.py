"""Which files make up a registry, and the stat-keyed memo: a warm query answered from one stat of
each file, before anything heavy (the loader, the model, the pack) is imported.

Light on purpose: only the standard library's cheapest modules. `jiuzhu.loader.registry_paths`
is `registry_paths` here (one implementation of the listing).

The stat memo (README "性能"): beside the pack, one `.fast` file per query name keeps results keyed
on a hash of every listed file's (path, size, mtime, inode, ctime), the registry's templates/ folder and
the query's own key, under a fingerprint of jiuzhu's sources taken the same way. A result is only
recorded there (by `jiuzhu.cache.cached`, after computing it on the content-hash path) when every
file and every jiuzhu source was last modified more than two seconds before it was listed: like
git's "racily clean" rule, a later edit then always changes an mtime, even on a file system with
coarse timestamps. Anything unexpected in a `.fast` file is a miss, never an error.
"""

from __future__ import annotations

import marshal  # version 0 below: no interning flags or back-references, so the bytes are canonical
import os
import sys
import time
from collections.abc import Callable, Collection
from operator import attrgetter
from pathlib import Path
from typing import Any

try:  # blake2b without loading OpenSSL (hashlib's import costs ~4 ms of every start)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - another Python
    from hashlib import blake2b

IGNORED_DIRS = frozenset({"templates", ".git", ".jiuzhu-cache"})
RACY_NS = 2_000_000_000  # the same rule as jiuzhu.cache._RACY_NS
FAST_FORMAT = 3
FAST_MAGIC = b"JIUZHU-STAT-MEMO\n"
FAST_KEEP = 8  # results kept per name (several dates or formats of one query)
FAST_RACY_MAX = 64  # racy files whose content a stat-memo hit may re-hash; more: not recorded

Stat = tuple[int, int, int, int]  # size, mtime_ns, inode, ctime_ns (a chmod changes it: unreadable now?)
MISSING: Stat = (-1, -1, -1, -1)  # vanished between listing and stat: never trusted
_NAME = attrgetter("name")
_BY_FD = os.scandir in os.supports_fd  # not on Windows


def cache_dir() -> Path:
    """Where packs live: $JIUZHU_CACHE_DIR, else $XDG_CACHE_HOME/jiuzhu, else ~/.cache/jiuzhu."""
    env = os.environ.get("JIUZHU_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "jiuzhu"


def pack_path(root: Path, directory: Path | None = None) -> Path:
    resolved = root.resolve()
    key = blake2b(str(resolved).encode("utf-8"), digest_size=10).hexdigest()
    return (directory or cache_dir()) / f"{resolved.name or 'registry'}-{key}.pack"


def _walk(root: str, only: Collection[str] | None, stats: list[Stat] | None,
          others: list[tuple[str, int, int, int, int]] | None = None) -> list[str]:
    """The registry's YAML files (relative POSIX paths) sorted by their parts; with `stats`, each
    file's stat is appended to it in the same order. Each folder's entries are sorted by name and
    a folder's files listed at its place: the same order as sorting the paths' parts. With
    `others`, every other entry that is not a folder (notes, CSV ...; not `*.lock`) is appended to
    it with its stat: `validate`'s personal-data scan reads them (jiuzhu.privacy.scan_other_files)."""
    paths: list[str] = []
    add = paths.append

    def walk(folder: str, prefix: str) -> None:
        try:  # entries of a folder opened by descriptor: each stat resolves one name, not a path
            fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)) if _BY_FD else -1
        except OSError:
            return
        try:
            with os.scandir(fd if _BY_FD else folder) as it:
                entries = sorted(it, key=_NAME)
            for e in entries:
                name = e.name
                if only is not None and not prefix and name not in only:
                    continue
                if e.is_dir(follow_symlinks=False):  # like rglob: no descent into linked folders
                    if prefix or name not in IGNORED_DIRS:
                        walk(folder + os.sep + name, prefix + name + "/")
                # os.path.splitext's rule: ".yaml" or "..yml" have no extension
                elif name.endswith((".yaml", ".yml")) and name.lstrip(".") not in ("yaml", "yml") and e.is_file():
                    add(prefix + name)
                    if stats is not None:
                        try:
                            s = e.stat()
                            stats.append((s.st_size, s.st_mtime_ns, s.st_ino, s.st_ctime_ns))
                        except OSError:
                            stats.append(MISSING)
                elif others is not None and not name.endswith(".lock"):
                    try:
                        s = e.stat()
                    except OSError:  # a dangling link: its own stat
                        try:
                            s = e.stat(follow_symlinks=False)
                        except OSError:
                            others.append((prefix + name, *MISSING))
                            continue
                    others.append((prefix + name, s.st_size, s.st_mtime_ns, s.st_ino, s.st_ctime_ns))
        except OSError:
            return
        finally:
            if _BY_FD:
                os.close(fd)

    walk(root, "")
    return paths


def registry_paths(root: Path | str, only: Collection[str] | None = None) -> list[str]:
    """The relative POSIX paths of every YAML file of the registry, sorted by their parts
    (os.scandir, not Path.rglob: five times faster on a 10k-file registry; same files, same
    order). `only`: just these top-level files and folders."""
    return _walk(str(root), only, None)


def _tree(folder: str, prefix: str, out: list[tuple[str, int, int, int]]) -> None:
    """Every entry under `folder` (like Path.rglob("*"): no descent into linked folders)."""
    try:
        entries = os.scandir(folder)
    except OSError:
        return
    with entries:
        for e in entries:
            rel = prefix + e.name
            try:
                s = e.stat()
                out.append((rel, s.st_size, s.st_mtime_ns, s.st_ino))
            except OSError:
                out.append((rel, -1, -1, -1))
            if e.is_dir(follow_symlinks=False):
                _tree(e.path, rel + "/", out)


def _source_stats() -> tuple[list[tuple[str, int, int, int]], str]:
    import jiuzhu

    package = os.path.dirname(os.path.abspath(jiuzhu.__file__))
    out: list[tuple[str, int, int, int]] = []
    _tree(package, "", out)
    return [t for t in out if t[0].endswith(".py")], package


class Scan:
    """One walk of the registry: its files (as `registry_paths` lists them) and their stats."""

    def __init__(self, root: Path, directory: Path | None = None) -> None:
        self.root = root
        self.directory = directory
        self.started = time.time_ns()
        self.stats: list[Stat] = []
        self.others: list[tuple[str, int, int, int, int]] = []  # the files besides YAML (see _walk)
        self.paths = _walk(str(root), None, self.stats, self.others)
        self.templates: list[tuple[str, int, int, int]] = []
        _tree(os.path.join(str(root), "templates"), "", self.templates)
        self.sources, package = _source_stats()
        import jiuzhu

        h = blake2b(digest_size=16)
        h.update(FAST_MAGIC + f"{FAST_FORMAT}|{sys.version_info[:2]}|{jiuzhu.__version__}|{package}".encode())
        h.update(marshal.dumps(self.sources, 0))
        self.fingerprint = h.digest()
        h.update(marshal.dumps(self.paths, 0))
        h.update(marshal.dumps(self.stats, 0))
        h.update(marshal.dumps(self.templates, 0))
        h.update(marshal.dumps(self.others, 0))
        self._base = h

    def key(self, extra: tuple[str, ...]) -> bytes:
        h = self._base.copy()
        h.update(marshal.dumps(tuple(extra), 0))
        return h.digest()

    def settled(self) -> bool:
        """Whether every template, other file (see _walk) and jiuzhu source was last modified more
        than two seconds before this walk began: only then may a result be recorded under the stat key."""
        limit = self.started - RACY_NS
        return all(0 <= t[2] < limit for t in self.templates) and all(0 <= t[2] < limit for t in self.others) \
            and all(0 <= t[2] < limit for t in self.sources)

    def racy(self) -> list[str]:
        """The registry files modified within two seconds of this walk (or gone): a later edit of
        the same size could keep their mtime, so a result keeps their content hash too."""
        limit = self.started - RACY_NS
        return [rel for rel, (_, mtime, _, _) in zip(self.paths, self.stats, strict=True) if not 0 <= mtime < limit]

    def memo_path(self, name: str) -> Path:
        tag = blake2b(name.encode("utf-8"), digest_size=6).hexdigest()
        return pack_path(self.root, self.directory).with_suffix(f".{tag}.fast")

    def _entries(self, name: str) -> list[tuple[bytes, tuple[tuple[str, bytes], ...], bytes]]:
        try:
            with open(self.memo_path(name), "rb") as fh:
                raw = fh.read()
            head = FAST_MAGIC + self.fingerprint
            if raw.startswith(head):
                entries = marshal.loads(memoryview(raw)[len(head):])
                if isinstance(entries, list):
                    return [e for e in entries if isinstance(e, tuple) and len(e) == 3]
        except Exception:  # missing, foreign or corrupt: a miss
            pass
        return []

    def _same_content(self, hashes: tuple[tuple[str, bytes], ...]) -> bool:
        """Whether each racy file (when recorded) still has the bytes the result was computed from."""
        base = str(self.root)
        for rel, digest in hashes:
            if digest:  # b"": a file whose name alone counts (not a kind the loader reads)
                try:
                    with open(os.path.join(base, rel), "rb") as fh:
                        if blake2b(fh.read(), digest_size=16).digest() != digest:
                            return False
                except OSError:
                    return False
        return True

    def recall(self, name: str, extra: tuple[str, ...]) -> tuple[bool, Any]:
        """(True, the result recorded for this stat key) or (False, None)."""
        key = self.key(extra)
        for k, hashes, value in self._entries(name):
            if k == key:
                try:
                    if self._same_content(hashes):
                        return True, _decode(value)
                except Exception:  # corrupt: a miss
                    pass
                break
        return False, None

    def remember(self, name: str, extra: tuple[str, ...], value: Any, digest: Callable[[str], bytes]) -> None:
        """Record `value` under the stat key, if the racy rule allows (see `settled` and `racy`).
        `digest(rel)`: the hash of the bytes of `rel` the value was computed from (jiuzhu.cache's
        `digest`, blake2b of 16 bytes), b"" for a file whose content does not count."""
        if not self.settled():
            return
        racy = self.racy()
        if MISSING in self.stats or len(racy) > FAST_RACY_MAX:
            return
        from jiuzhu.errors import InputRefused
        from jiuzhu.writer import atomic_write

        key = self.key(extra)
        hashes = tuple((rel, digest(rel)) for rel in racy)
        kept = [e for e in self._entries(name) if e[0] != key]
        entries = [(key, hashes, _encode(value)), *kept][:FAST_KEEP]
        try:
            path = self.memo_path(name)
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(path, FAST_MAGIC + self.fingerprint + marshal.dumps(entries), durable=False)
        except (OSError, InputRefused):  # InputRefused: the memo's name is taken by a folder, a link
            pass  # a read-only or full cache folder costs speed, never a result


def _encode(value: Any) -> bytes:
    """A query's printed output (strings and numbers) as marshal data, which needs no import to
    read; anything else (validate's problems) pickled."""
    try:
        return b"m" + marshal.dumps(value)
    except ValueError:
        import pickle

        return b"p" + pickle.dumps(value, protocol=5)


def _decode(raw: bytes) -> Any:
    if raw[:1] == b"m":
        return marshal.loads(raw[1:])
    if raw[:1] == b"p":
        import pickle

        return pickle.loads(raw[1:])
    raise ValueError("unknown encoding")
