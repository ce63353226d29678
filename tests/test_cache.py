"""The parse cache gives exactly what reading the files gives, and never trusts a stale entry."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import pytest
from conftest import bench_gen

from jiuzhu import cache
from jiuzhu.cache import MAGIC, ParseCache, pack_path
from jiuzhu.loader import Loaded, load
from jiuzhu.validate import run

AS_OF = dt.date(2026, 11, 26)


pytestmark = pytest.mark.usefixtures("cache_dir")


def _generated(tmp_path: Path, tasks: int = 200) -> Path:
    out = tmp_path / "generated"
    bench_gen().generate(out, tasks, seed=3)
    return out


def _snapshot(loaded: Loaded) -> tuple[Any, ...]:
    """Everything a load produced, in comparable form (documents field by field)."""
    reg = loaded.registry
    fields = {f.name: getattr(reg, f.name) for f in dataclasses.fields(reg) if f.name != "files"}
    docs = {rel: (doc.file, doc.data, doc.values, doc.keys, doc.text) for rel, doc in reg.files.items()}
    return fields, docs, loaded.problems, run(loaded, AS_OF)


def _cached_load(root: Path, **kw: Any) -> tuple[Loaded, ParseCache]:
    parser = ParseCache(root, **kw)
    return load(root, parser=parser), parser


def _age(root: Path, seconds: int = 60) -> None:
    """Files written by a test are 'racily clean' for two seconds; pretend they are older."""
    past = os.stat(root).st_mtime - seconds
    for p in root.rglob("*"):
        os.utime(p, (past, past))


@pytest.mark.parametrize("which", ["shipped", "generated"])
def test_same_results_with_and_without_cache(which: str, tmp_path: Path, shipped_copy: Path) -> None:
    root = shipped_copy if which == "shipped" else _generated(tmp_path)
    plain = _snapshot(load(root))
    cold, first = _cached_load(root)
    warm, second = _cached_load(root)
    assert first.reused == 0 and second.reused == len(second.files or [])
    assert _snapshot(cold) == plain
    assert _snapshot(warm) == plain


def test_pool_parses_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _generated(tmp_path)
    monkeypatch.setattr(cache, "POOL_THRESHOLD", 10)
    pooled, _ = _cached_load(root)
    assert _snapshot(pooled) == _snapshot(load(root))


def test_changed_file_is_read_again(make_registry: Any) -> None:
    root = make_registry()
    _age(root)
    _cached_load(root)
    unit = root / "units" / "caizheng.yaml"
    unit.write_text(unit.read_text(encoding="utf-8").replace("县财政局", "县财政局（改）"), encoding="utf-8")
    loaded, parser = _cached_load(root)
    assert loaded.registry.units["caizheng"].name == "县财政局（改）"
    assert parser.reused == len(parser.files or []) - 1
    assert _snapshot(loaded) == _snapshot(load(root))


def test_same_size_same_mtime_change_is_caught_while_racy(make_registry: Any) -> None:
    """An edit that keeps size and mtime is caught when the entry was hashed within two seconds
    of the file's mtime (git's "racily clean" rule)."""
    root = make_registry()
    _cached_load(root)
    unit = root / "units" / "caizheng.yaml"
    st = unit.stat()
    unit.write_text(unit.read_text(encoding="utf-8").replace("县财政局", "县审计局"), encoding="utf-8")
    os.utime(unit, ns=(st.st_atime_ns, st.st_mtime_ns))
    loaded, _ = _cached_load(root)
    assert loaded.registry.units["caizheng"].name == "县审计局"


def test_unchanged_files_are_not_read(make_registry: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_registry()
    _age(root)
    _cached_load(root)  # hashes every file
    _cached_load(root)  # records them as older than two seconds: trusted by stat from now on
    read: list[Path] = []
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self) or real(self))
    _cached_load(root)
    assert [p for p in read if p.is_relative_to(root)] == []


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty", "foreign"])
def test_damaged_pack_is_a_miss_and_replaced(damage: str, make_registry: Any, tmp_path: Path) -> None:
    root = make_registry()
    expected = _snapshot(load(root))
    _cached_load(root)
    pack = pack_path(root)
    raw = pack.read_bytes()
    pack.write_bytes({"garbage": b"\x00not a pack\xff" * 50, "truncated": raw[: len(raw) // 2], "empty": b"",
                      "foreign": MAGIC + b"0" * 16 + raw[len(MAGIC) + 16:]}[damage])
    loaded, parser = _cached_load(root)
    assert parser.reused == 0
    assert _snapshot(loaded) == expected
    assert pack.read_bytes().startswith(MAGIC + parser.fingerprint)


def test_other_version_is_a_miss(make_registry: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_registry()
    _cached_load(root)
    monkeypatch.setattr(cache, "FORMAT", cache.FORMAT + 1)
    _, parser = _cached_load(root)
    assert parser.reused == 0


def test_removed_files_are_pruned(make_registry: Any) -> None:
    root = make_registry()
    _cached_load(root)
    (root / "units" / "caizheng.yaml").unlink()
    _cached_load(root)
    _, parser = _cached_load(root)
    assert set(parser.old) == {"system.yaml", "areas.yaml", "units/minzheng.yaml"}


def test_unwritable_cache_dir_is_not_an_error(make_registry: Any, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    monkeypatch.setenv("JIUZHU_CACHE_DIR", str(blocker / "cache"))
    root = make_registry()
    loaded, _ = _cached_load(root)
    assert _snapshot(loaded) == _snapshot(load(root))


def test_cache_lives_outside_the_registry(make_registry: Any, cache_dir: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_registry()
    _cached_load(root)
    assert pack_path(root).parent == cache_dir and pack_path(root).is_file()
    assert not any(p.suffix == ".pack" for p in root.rglob("*"))
    monkeypatch.delenv("JIUZHU_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", "/x/cache")
    assert cache.cache_dir() == Path("/x/cache/jiuzhu")


def test_validate_uses_and_bypasses_the_cache(jz: Any, make_registry: Any, cache_dir: Path) -> None:
    root = make_registry()
    bypassed = jz(root, "validate", "--no-cache", "--as-of", "2026-11-26")
    assert bypassed.exit_code == 0 and not cache_dir.exists()
    assert jz(root, "--no-cache", "units", "list").exit_code == 0 and not cache_dir.exists()
    first = jz(root, "validate", "--as-of", "2026-11-26")
    assert pack_path(root).is_file()
    again = jz(root, "validate", "--as-of", "2026-11-26")
    assert first.output == again.output == bypassed.output


def test_validate_result_follows_changes(jz: Any, make_registry: Any) -> None:
    root = make_registry()
    assert jz(root, "validate", "--as-of", "2026-11-26").exit_code == 0
    unit = root / "units" / "caizheng.yaml"
    unit.write_text(unit.read_text(encoding="utf-8").replace("areas: [zijin]", "areas: [zijinn]"), encoding="utf-8")
    broken = jz(root, "validate", "--as-of", "2026-11-26")
    assert broken.exit_code == 1 and "zijinn" in broken.output
    assert broken.output == jz(root, "validate", "--no-cache", "--as-of", "2026-11-26").output


def test_query_output_is_replayed_only_while_nothing_changed(jz: Any, tmp_path: Path) -> None:
    root = _generated(tmp_path)
    args = ("tasks", "overdue", "--as-of", "2027-02-01", "--fail")  # 2027: a calendar warning on stderr
    plain = jz(root, "--no-cache", *args)
    first, again = jz(root, *args), jz(root, *args)
    assert plain.exit_code == first.exit_code == again.exit_code == 1
    assert "警告：2027 年的法定节假日未知" in plain.output
    assert first.output == again.output == plain.output
    overdue = json.loads(jz(root, "--no-cache", "tasks", "overdue", "--as-of", "2027-02-01", "--format", "json").stdout)
    done = overdue[0]
    update = jz(root, "tasks", "update", done["id"], "--by", done["lead"], "--status", "已完成", "--note", "已办结",
                "--date", "2027-01-29", "--as-of", "2027-02-01")
    assert update.exit_code == 0, update.output
    changed = jz(root, *args)
    assert done["id"] in first.output and done["id"] not in changed.output
    assert changed.output == jz(root, "--no-cache", *args).output


def test_validate_reads_only_the_documents_it_points_into(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """From a warm cache, records come from each entry's head; a file's document (data, positions,
    text) is read only when a check needs it: the founding files, and a file with a problem."""
    root = _generated(tmp_path)
    _cached_load(root)
    read: list[str] = []
    real = ParseCache._doc

    def counting(self: ParseCache, rel: str) -> Any:
        read.append(rel)
        return real(self, rel)

    monkeypatch.setattr(ParseCache, "_doc", counting)
    warm, _ = _cached_load(root)
    clean = run(warm, AS_OF)
    assert read and all(not rel.startswith(("tasks/", "meetings/", "proposals/")) for rel in read)

    task = sorted((root / "tasks").rglob("*.yaml"))[0]
    rel = task.relative_to(root).as_posix()
    text = task.read_text(encoding="utf-8")
    task.write_text(text.replace("by: ", "by: nosuchunit", 1), encoding="utf-8")
    read.clear()
    changed, _ = _cached_load(root)
    problems = run(changed, AS_OF)
    assert [p for p in problems if p not in clean] and all(p.pos.file == rel for p in problems if p not in clean)
    assert {r for r in read if r.startswith("tasks/")} <= {rel}
    assert run(load(root), AS_OF) == problems


def _edit_unit(root: Path, name: str) -> None:
    unit = root / "units" / "caizheng.yaml"
    text = unit.read_text(encoding="utf-8")
    unit.write_text(text.replace(text.split("name: ")[1].split("\n")[0], name, 1), encoding="utf-8")


def test_a_change_is_appended_not_rewritten(make_registry: Any) -> None:
    """One changed file adds its entry and a new index at the end of the pack; everything before
    stays byte for byte, and the next run reads the file's new entry from there."""
    root = make_registry()
    _cached_load(root)
    pack = pack_path(root)
    before = pack.read_bytes()
    _edit_unit(root, "县财政局（改）")
    _cached_load(root)
    after = pack.read_bytes()
    assert after.startswith(before) and len(after) > len(before)
    loaded, parser = _cached_load(root)
    assert parser.reused == len(parser.files or [])
    assert loaded.registry.units["caizheng"].name == "县财政局（改）"
    assert _snapshot(loaded) == _snapshot(load(root))


def test_mostly_outdated_pack_is_compacted(make_registry: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_registry()
    monkeypatch.setattr(cache, "COMPACT_SLACK", 0)
    _cached_load(root)
    pack = pack_path(root)
    sizes = [pack.stat().st_size]
    for i in range(40):  # each run appends an entry and an index: the pack outgrows twice its live size
        _edit_unit(root, f"县财政局{i}")
        _cached_load(root)
        sizes.append(pack.stat().st_size)
    grew = [b > a for a, b in zip(sizes, sizes[1:], strict=False)]
    assert True in grew and False in grew  # appended, then compacted
    assert max(sizes) < 3 * sizes[0]
    loaded, _ = _cached_load(root)
    assert loaded.registry.units["caizheng"].name == "县财政局39"
    assert _snapshot(loaded) == _snapshot(load(root))


def test_pack_replaced_by_another_run_is_not_appended_to(make_registry: Any) -> None:
    """Run A reads the pack; run B rewrites it (another file changed); A then must not append
    entries whose index points into the old file's offsets: A rewrites, and results stay right."""
    root = make_registry()
    _cached_load(root)
    a = ParseCache(root)
    _edit_unit(root, "县财政局（甲）")
    b = ParseCache(root)
    load(root, parser=b)
    pack = pack_path(root)
    copy = pack.with_suffix(".copy")
    copy.write_bytes(pack.read_bytes())
    os.replace(copy, pack)  # B's pack lands as a new file (another inode), as a rewrite would
    ino = pack.stat().st_ino
    load(root, parser=a)
    assert pack.stat().st_ino != ino  # A rewrote it instead of appending to B's file
    loaded, _ = _cached_load(root)
    assert loaded.registry.units["caizheng"].name == "县财政局（甲）"
    assert _snapshot(loaded) == _snapshot(load(root))


def test_many_new_entries_go_to_disk_as_they_come(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Above SPILL_THRESHOLD parsed files, entries are written to a spill file beside the pack as
    they arrive (a cold run's spill becomes the pack); results are the same and no spill is left."""
    monkeypatch.setattr(cache, "SPILL_THRESHOLD", 1)
    monkeypatch.setattr(cache, "POOL_THRESHOLD", 10)
    root = _generated(tmp_path)
    expected = _snapshot(load(root))
    cold, parser = _cached_load(root)
    assert parser.reused == 0 and _snapshot(cold) == expected
    for task in sorted((root / "tasks").rglob("*.yaml"))[:3]:  # a few changed: spilled, then appended
        task.write_text(task.read_text(encoding="utf-8") + "# 复核\n", encoding="utf-8")
    expected = _snapshot(load(root))
    changed, parser = _cached_load(root)
    assert parser.reused == len(parser.files or []) - 3 and _snapshot(changed) == expected
    warm, parser = _cached_load(root)
    assert parser.reused == len(parser.files or []) and _snapshot(warm) == expected
    assert list(pack_path(root).parent.glob("*.spill")) == []


def _head_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files whose head a ParseCache reads from its own entry (not from the heads block)."""
    reads: list[str] = []
    real = ParseCache._part

    def counting(self: ParseCache, rel: str, body: bool) -> Any:
        if not body:
            reads.append(rel)
        return real(self, rel, body)

    monkeypatch.setattr(ParseCache, "_part", counting)
    return reads


def test_heads_come_from_the_block_and_match(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cold run writes every file's head in one block; a warm run reads heads only from there,
    with equal strings shared between files, and loads exactly what a plain load gives."""
    root = _generated(tmp_path)
    expected = _snapshot(load(root))
    _, cold = _cached_load(root)
    assert cold._block is not None
    reads = _head_reads(monkeypatch)
    warm, _ = _cached_load(root)
    assert reads == [] and _snapshot(warm) == expected
    by = [entry.by for task in warm.registry.tasks.values() for entry in task.log]
    assert len({id(b) for b in by}) == len(set(by)) < len(by)


def test_changed_file_head_comes_from_its_entry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After a few edits the block stays (the pack is only appended to); the edited files' heads
    come from their new entries, the rest from the block, and the result is a plain load's."""
    root = _generated(tmp_path)
    _age(root)
    _cached_load(root)
    pack = pack_path(root)
    before = pack.read_bytes()
    tasks = sorted((root / "tasks").rglob("*.yaml"))[:2]
    for task in tasks:
        task.write_text(task.read_text(encoding="utf-8").replace("已完成", "已办结", 1) + "# 复核\n", encoding="utf-8")
    expected = _snapshot(load(root))
    reads = _head_reads(monkeypatch)
    changed, parser = _cached_load(root)
    assert sorted(reads) == sorted(t.relative_to(root).as_posix() for t in tasks)
    assert _snapshot(changed) == expected
    assert pack.read_bytes().startswith(before)
    reads.clear()
    again, _ = _cached_load(root)
    assert sorted(reads) == sorted(t.relative_to(root).as_posix() for t in tasks) and _snapshot(again) == expected


def test_block_is_written_again_after_many_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "BLOCK_SLACK", 0)  # the rule alone: more than an eighth of the files
    root = _generated(tmp_path)
    _cached_load(root)
    tasks = sorted((root / "tasks").rglob("*.yaml"))
    for task in tasks[: len(tasks) // 4]:  # more than an eighth of the files
        task.write_text(task.read_text(encoding="utf-8") + "# 复核\n", encoding="utf-8")
    expected = _snapshot(load(root))
    _cached_load(root)  # gathers every head again
    reads = _head_reads(monkeypatch)
    warm, _ = _cached_load(root)
    assert reads == [] and _snapshot(warm) == expected


def test_damaged_block_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _generated(tmp_path)
    expected = _snapshot(load(root))
    _, cold = _cached_load(root)
    assert cold._block is not None
    off, size = cold._block
    pack = pack_path(root)
    raw = bytearray(pack.read_bytes())
    raw[off + size // 2: off + size // 2 + 64] = b"\x8b" * 64  # inside the block; the index is intact
    pack.write_bytes(bytes(raw))
    reads = _head_reads(monkeypatch)
    loaded, _ = _cached_load(root)
    assert len(reads) > 0 and _snapshot(loaded) == expected


def test_collector_runs_while_parsing_and_is_restored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Parsing leaves cyclic garbage (YAML nodes): the collector runs there even inside the loader's
    pause, and is back as it was afterwards (paused for the load, running outside it)."""
    import gc

    root = _generated(tmp_path, tasks=20)
    seen: list[bool] = []
    real = cache._entry

    def watching(path: Any, rel: str) -> Any:
        seen.append(gc.isenabled())
        return real(path, rel)

    monkeypatch.setattr(cache, "_entry", watching)
    assert gc.isenabled()
    loaded, parser = _cached_load(root, pool=False)
    assert seen and all(seen) and gc.isenabled()
    assert _snapshot(loaded) == _snapshot(load(root))
    gc.disable()
    try:
        seen.clear()
        cache._read_many([("units/caizheng.yaml", str(root / "units" / "caizheng.yaml"))])
        assert seen == [True] and not gc.isenabled()
    finally:
        gc.enable()
