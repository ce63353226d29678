"""Which files make up a registry (jiuzhu.listing): the stat each file gets while listing is the
one os.stat gives, through links, for every file listed and in the same order."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from jiuzhu import listing
from jiuzhu.listing import registry_paths


def _same(a: os.stat_result | None, b: os.stat_result) -> bool:
    return a is not None and (a.st_ino, a.st_size, a.st_mtime_ns, a.st_ctime_ns) == (
        b.st_ino, b.st_size, b.st_mtime_ns, b.st_ctime_ns)


@pytest.mark.parametrize("by_fd", [True, False], ids=["by-descriptor", "by-path"])
def test_each_listed_file_has_its_stat(by_fd: bool, make_registry: Any, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    if by_fd and not listing._BY_FD:
        pytest.skip("listing by descriptor: Unix only")
    monkeypatch.setattr(listing, "_BY_FD", by_fd)
    root = make_registry()
    (root / "units" / "linked.yaml").symlink_to(root / "units" / "caizheng.yaml")  # a link inside: listed
    (root / "units" / "out.yaml").symlink_to(tmp_path / "elsewhere.yaml")  # outside: reported, not listed
    (tmp_path / "elsewhere.yaml").write_text("id: x\n", encoding="utf-8")
    stats: list[os.stat_result | None] = []
    trouble: list[tuple[str, str]] = []
    paths = registry_paths(root, trouble=trouble, stats=stats)
    assert paths == registry_paths(root) and len(stats) == len(paths)
    assert "units/linked.yaml" in paths and ("units/out.yaml", "outside") in trouble
    for rel, st in zip(paths, stats, strict=True):
        assert _same(st, os.stat(root / rel)), rel
    linked = stats[paths.index("units/linked.yaml")]
    assert _same(linked, os.stat(root / "units" / "caizheng.yaml"))  # through the link


def test_a_file_gone_before_its_stat_has_none(make_registry: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_registry()
    real = listing._entries

    def vanishing(folder: str) -> Any:
        listed = real(folder)
        if folder.endswith("units"):
            os.unlink(root / "units" / "caizheng.yaml")  # removed between the listing and its stat
        return listed

    monkeypatch.setattr(listing, "_entries", vanishing)
    stats: list[os.stat_result | None] = []
    paths = registry_paths(root, stats=stats)
    assert stats[paths.index("units/caizheng.yaml")] is None
    assert all(st is not None for rel, st in zip(paths, stats, strict=True) if rel != "units/caizheng.yaml")


def test_the_quick_path_lists_what_the_rules_list(tmp_path: Path) -> None:
    """Entries of every kind in a folder: a regular *.yaml file is taken on the quick path, all
    else by the full rules, and the listing is the one those rules give."""
    root = tmp_path / "reg"
    units = root / "units"
    units.mkdir(parents=True)
    for name in ("a.yaml", "b.yml", ".yaml", "..yaml", ".hidden.yaml", "c.yaml.bak", "d.YAML", "e.yaml"):
        (units / name).write_text("id: x\n", encoding="utf-8")
    (units / "dir.yaml").mkdir()
    (units / "link.yaml").symlink_to(units / "a.yaml")
    (units / "gone.yaml").symlink_to(units / "nothing.yaml")
    if hasattr(os, "mkfifo"):
        os.mkfifo(units / "pipe.yaml")
    trouble: list[tuple[str, str]] = []
    stats: list[os.stat_result | None] = []
    paths = registry_paths(root, trouble=trouble, stats=stats)
    assert paths == ["units/.hidden.yaml", "units/a.yaml", "units/b.yml", "units/e.yaml", "units/link.yaml"]
    assert sorted(trouble) == sorted([("units/dir.yaml", "yaml-folder"), ("units/gone.yaml", "dangling"),
                                      *([("units/pipe.yaml", "special")] if hasattr(os, "mkfifo") else [])])
    assert all(st is not None for st in stats)
