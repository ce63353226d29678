"""Files derived from a whole registry and kept between runs: the roll-up's task export of each
registry (jiuzhu.rollup), so a province's roll-up re-reads only the counties that changed.

Kept beside the parse cache (jiuzhu.cache: same folder per registry, same code key, same stat
rule) and keyed here and nowhere else. The key of a derived file is
- the code key (jiuzhu's sources, Python, ruamel.yaml and chinese-calendar: jiuzhu.cache.code_key),
- the registry's state: every YAML file's path, size, mtime, inode and ctime (git's stat shortcut;
  a write always changes ctime, an added or removed file changes the list),
- what the caller adds (the roll-up: the export's format and the date it is computed for).
A registry with a file modified within RACY_NS of now has no key (racily clean: a second write in
the same clock tick would leave its stat unchanged): it is computed and not kept.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

from jiuzhu import cache
from jiuzhu.atomic import atomic_write, unlink
from jiuzhu.listing import Listing, take


def state(root: Path, listed: Listing | None = None) -> bytes | None:
    """The registry's files by their stat (as `listed`, or listed now), or None when one is too
    recent (or vanished) to trust."""
    h = hashlib.blake2b(digest_size=16)
    paths, stats, trouble = listed or take(root)
    recent = time.time_ns() - cache.RACY_NS
    for rel, st in zip(paths, stats, strict=True):
        if st is None:
            return None
        if st.st_mtime_ns >= recent or st.st_ctime_ns >= recent:
            return None
        h.update(rel.encode("utf-8") + b"\0" + cache.stat_of(st))
    h.update(repr(trouble).encode("utf-8"))
    return h.digest()


def key(root: Path, extra: str, listed: Listing | None = None, code: bytes | None = None) -> str | None:
    """`code`: jiuzhu.cache.code_key(), when the caller has it already."""
    found = state(root, listed)
    if found is None:
        return None
    h = hashlib.blake2b(code or cache.code_key(), digest_size=16)
    h.update(found + b"\0" + extra.encode("utf-8"))
    return h.hexdigest()


def _folder(root: Path) -> Path:
    return cache.folder_for(root)


def path(root: Path, name: str, ident: str, suffix: str) -> Path | None:
    """The kept file for this key, if there is one (in a folder only this user can write)."""
    found = _folder(root) / f"{name}-{ident}{suffix}"
    return found if found.is_file() and cache.private(found.parent) else None


def keep(root: Path, name: str, ident: str, suffix: str, data: bytes) -> Path | None:
    """Keep `data` under this key, replacing the file kept under an older key; None when the
    cache folder cannot be written (costs speed, never a result)."""
    folder = _folder(root)
    target = folder / f"{name}-{ident}{suffix}"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not cache.private(folder):
            return None
        atomic_write(target, data, durable=False)
        for old in folder.glob(f"{name}-*{suffix}"):
            if old != target:
                unlink(old)
    except OSError:
        return None
    return target
