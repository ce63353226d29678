"""Which files make up a registry: every YAML file under its folder, in one stable order."""

from __future__ import annotations

import os
from collections.abc import Collection
from pathlib import Path
from typing import NamedTuple

# Folders inside a registry that are not part of it.
IGNORED_DIRS = frozenset({"templates", ".git"})


def registry_paths(root: Path | str, only: Collection[str] | None = None,
                   trouble: list[tuple[str, str]] | None = None,
                   stats: list[os.stat_result | None] | None = None) -> list[str]:
    """The relative POSIX paths of every YAML file of the registry, sorted by their parts (each
    folder's entries by name, a folder's files at its place). `only`: just these top-level files
    and folders. `trouble` receives (relative path, kind) for a folder
    that cannot be listed ("unreadable") or is named like a YAML file ("yaml-folder"), a link
    leading out of the registry ("outside", never read), a link to nothing ("dangling"), a linked
    folder ("linked-folder", not followed) and a YAML-named pipe, socket or device ("special",
    never opened: reading a pipe would wait forever): the one real cause of what goes missing.
    `stats` receives each listed file's stat (through links; None if it failed), taken while
    listing: on Unix beside the open folder (fstatat), a third faster than os.stat by path.
    os.scandir, not Path.rglob: five times faster on a 10k-file registry."""
    paths: list[str] = []
    _walk(str(root), "", only, paths, trouble if trouble is not None else [], stats)
    return paths


class Listing(NamedTuple):
    """One listing of a whole registry (`take`), for two readers that must see the same files:
    the roll-up's export key (jiuzhu.cache_derived) and the load after it (jiuzhu.loader)."""

    paths: list[str]
    stats: list[os.stat_result | None]
    trouble: list[tuple[str, str]]


def take(root: Path | str) -> Listing:
    trouble: list[tuple[str, str]] = []
    stats: list[os.stat_result | None] = []
    return Listing(registry_paths(root, None, trouble, stats), stats, trouble)


_BY_FD = os.scandir in os.supports_fd  # Unix: a folder listed through its descriptor


def _entries(folder: str) -> tuple[list[os.DirEntry[str]], int | None]:
    """The folder's entries by name, and the descriptor they were listed through (None: by path)."""
    if not _BY_FD:
        with os.scandir(folder) as it:
            return sorted(it, key=lambda e: e.name), None
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        with os.scandir(fd) as it:
            return sorted(it, key=lambda e: e.name), fd
    except BaseException:
        os.close(fd)
        raise


def _walk(folder: str, prefix: str, only: Collection[str] | None, out: list[str],
          trouble: list[tuple[str, str]], stats: list[os.stat_result | None] | None) -> None:
    try:
        entries, fd = _entries(folder)
    except OSError:
        if prefix:
            trouble.append((prefix.rstrip("/"), "unreadable"))
        return
    try:
        for e in entries:
            name = e.name
            # most entries: a regular file (no link) named *.yaml in a folder, taken here as `_visit`
            # would take it without its three calls (a province lists 100k of them every run)
            if prefix and name.endswith(".yaml") and e.is_file(follow_symlinks=False) and name.lstrip(".") != "yaml":
                out.append(prefix + name)
                if stats is not None:
                    stats.append(_stat_of(e))
            else:
                _visit(e, folder, prefix, only, out, trouble, stats)
    finally:
        if fd is not None:
            os.close(fd)


def _visit(e: os.DirEntry[str], folder: str, prefix: str, only: Collection[str] | None, out: list[str],
           trouble: list[tuple[str, str]], stats: list[os.stat_result | None] | None) -> None:
    """One entry of `folder` (an entry listed by descriptor knows only its name, not its path)."""
    name = e.name
    if not prefix and only is not None and name not in only:
        return
    if e.is_dir(follow_symlinks=False):  # like rglob: no descent into linked folders
        if name.endswith((".yaml", ".yml")):
            trouble.append((prefix + name, "yaml-folder"))
        elif prefix or name not in IGNORED_DIRS:
            _walk(os.path.join(folder, name), prefix + name + "/", only, out, trouble, stats)
    elif _is_yaml_file(e):
        if e.is_symlink() and not _inside(os.path.join(folder, name), folder, prefix):
            trouble.append((prefix + name, "outside"))  # a link to a file outside the registry
        else:
            out.append(prefix + name)
            if stats is not None:
                stats.append(_stat_of(e))
    else:
        kind = _not_a_file(e, os.path.join(folder, name), prefix)
        if kind:
            trouble.append((prefix + name, kind))


def _stat_of(e: os.DirEntry[str]) -> os.stat_result | None:
    try:
        return e.stat()
    except OSError:
        return None


def _not_a_file(e: os.DirEntry[str], path: str, prefix: str) -> str:
    """What a YAML-named entry that is no file is ("dangling", "linked-folder", "special"), or a
    linked folder of any name ("linked-folder"): its files would silently go missing. "" else."""
    if _yaml_named(e.name):
        return ("dangling" if e.is_symlink() and not os.path.exists(path)
                else "linked-folder" if e.is_dir() else "special")
    if e.is_symlink() and e.is_dir() and (prefix or e.name not in IGNORED_DIRS):
        return "linked-folder"
    return ""


def _yaml_named(name: str) -> bool:
    # os.path.splitext's rule: ".yaml" or "..yml" have no extension
    return name.endswith((".yaml", ".yml")) and name.lstrip(".") not in ("yaml", "yml")


def _is_yaml_file(e: os.DirEntry[str]) -> bool:
    return _yaml_named(e.name) and e.is_file()


def _inside(path: str, folder: str, prefix: str) -> bool:
    """Whether a link at `path` (in `folder`, `prefix` deep in the registry) leads into the registry."""
    root = os.path.realpath(os.path.join(folder, *[".."] * prefix.count("/")))
    return os.path.realpath(path).startswith(root + os.sep)
