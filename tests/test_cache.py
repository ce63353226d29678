"""The parse cache gives exactly what reading the files gives, and never serves a stale entry;
no command's answer is remembered (a new day, a new holiday table, an edited template or source
all change what a command says)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import importlib.machinery
import importlib.util
import os
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import chinese_calendar
import pytest
from conftest import bench_gen

import jiuzhu
from jiuzhu import cache, readpool
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


def _age(root: Path, seconds: int = 60) -> None:
    """Files written by a test are 'racily clean' for two seconds; make them older."""
    past = os.stat(root).st_mtime - seconds
    for p in [root, *root.rglob("*")]:
        os.utime(p, (past, past))


def _count(root: Path) -> int:
    return sum(1 for _ in root.rglob("*.yaml"))


@pytest.mark.parametrize("which", ["shipped", "generated"])
def test_same_results_with_and_without_cache(which: str, tmp_path: Path, shipped_copy: Path) -> None:
    root = shipped_copy if which == "shipped" else _generated(tmp_path)
    plain = _snapshot(load(root, use_cache=False))
    cold = load(root)
    _age(root)
    warm = load(root)
    assert cold.parsed == _count(root) and warm.parsed == 0
    assert _snapshot(cold) == plain
    assert _snapshot(warm) == plain


def test_pool_parses_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _generated(tmp_path, 60)
    monkeypatch.setattr(readpool, "POOL_THRESHOLD", 10)
    assert _snapshot(load(root)) == _snapshot(load(root, use_cache=False))


@pytest.mark.skipif(not hasattr(os, "posix_fadvise"), reason="posix_fadvise: Linux and most Unixes")
def test_a_cold_load_asks_the_kernel_for_every_file_before_reading(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    root = _generated(tmp_path, 60)
    advised: set[int] = set()
    real = os.posix_fadvise

    def spy(fd: int, offset: int, length: int, advice: int) -> None:
        advised.add(os.fstat(fd).st_ino)
        real(fd, offset, length, advice)

    monkeypatch.setattr(os, "posix_fadvise", spy)
    monkeypatch.setattr(readpool, "POOL_THRESHOLD", 10**9)  # read here, where the spy sees it
    loaded = load(root)
    assert loaded.parsed == _count(root) >= readpool.PREFETCH_MIN
    assert advised == {p.stat().st_ino for p in root.rglob("*.yaml")}
    advised.clear()
    _age(root)
    load(root)
    assert load(root).parsed == 0 and not advised  # nothing to read: nothing asked for


BROKEN = {"tasks/2026/x.yaml": "task: x\nlog: [\n", "units/a.yaml": "id: a\nid: b\n",
          "meetings/2026/m.yaml": "id: m\ndate: 2026-02-30\nbad key: 1\n"}


def test_reading_files_leaves_no_cyclic_garbage(tmp_path: Path, shipped_copy: Path) -> None:
    """The loader pauses the cyclic collector while it reads (readpool.read_many): that is only
    sound while reading a file, sound or broken, frees everything it drops by reference counting."""
    broken = tmp_path / "broken"
    for rel, text in BROKEN.items():
        (broken / rel).parent.mkdir(parents=True, exist_ok=True)
        (broken / rel).write_text(text, encoding="utf-8")
    roots = [shipped_copy, _generated(tmp_path, 30), broken, *Path(jiuzhu.__file__).parent.parent.glob("examples/*/")]
    gc.collect()
    paused = gc.isenabled()
    gc.disable()
    try:
        for root in roots:
            for path in sorted(root.rglob("*.yaml")):
                cache.read_entry(str(path), path.relative_to(root).as_posix())
            assert gc.collect() == 0, root
    finally:
        if paused:
            gc.enable()


def test_a_file_just_written_is_hashed_again_not_trusted_by_stat(make_registry: Any) -> None:
    root = make_registry()
    load(root)
    again = load(root)  # every file was written within the racy window: hashed, found the same
    assert again.parsed == 0
    path = root / "units" / "caizheng.yaml"
    st = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("县财政局", "县审计局"), encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # same size, same mtime
    changed = load(root)
    assert changed.parsed == 1 and changed.registry.units["caizheng"].name == "县审计局"


def test_a_stat_vouches_for_bytes_only_once_the_file_has_been_quiet(make_registry: Any,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """git's racily-clean rule, decided when the bytes are hashed (cache.seen_of): a file changed
    within RACY_NS keeps no stat, so the next run reads and hashes it again."""
    root = make_registry()
    path = root / "units" / "caizheng.yaml"
    fresh = cache.read_entry(str(path), "units/caizheng.yaml")
    assert fresh.seen == b"" and not cache.unchanged(path.stat(), fresh)
    now = time.time_ns()
    monkeypatch.setattr(time, "time_ns", lambda: now + cache.RACY_NS + 1)
    quiet = cache.read_entry(str(path), "units/caizheng.yaml")
    assert quiet.seen == cache.stat_of(path.stat()) and cache.unchanged(path.stat(), quiet)
    assert quiet.digest == fresh.digest


def test_same_size_same_mtime_edit_of_an_old_file_is_caught_by_ctime(make_registry: Any) -> None:
    root = make_registry()
    _age(root)
    load(root)
    assert load(root).parsed == 0  # settled: trusted by stat
    path = root / "units" / "caizheng.yaml"
    st = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("县财政局", "县审计局"), encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size and path.stat().st_mtime_ns == st.st_mtime_ns
    assert load(root).registry.units["caizheng"].name == "县审计局"


def test_git_checkout_of_an_older_commit(make_registry: Any) -> None:
    root = make_registry()
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-C", str(root)]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "v1"], check=True)
    path = root / "units" / "caizheng.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("县财政局", "县审计局"), encoding="utf-8")
    subprocess.run([*git, "commit", "-qam", "v2"], check=True)
    assert load(root).registry.units["caizheng"].name == "县审计局"
    subprocess.run([*git, "checkout", "-q", "HEAD~1"], check=True)
    assert load(root).registry.units["caizheng"].name == "县财政局"


def test_a_cache_folder_shared_by_two_registries(make_registry: Any, tmp_path: Path) -> None:
    one = make_registry()
    two = tmp_path / "other" / "registry"  # same folder name, same relative paths
    shutil.copytree(one, two)
    path = two / "units" / "caizheng.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("县财政局", "县审计局"), encoding="utf-8")
    _age(one)
    _age(two)
    for _ in range(2):
        assert load(one).registry.units["caizheng"].name == "县财政局"
        assert load(two).registry.units["caizheng"].name == "县审计局"


def test_an_edited_jiuzhu_source_of_same_size_and_mtime_changes_the_key(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "jiuzhu"
    shutil.copytree(Path(jiuzhu.__file__).parent, package, ignore=shutil.ignore_patterns("__pycache__", "templates"))
    monkeypatch.setattr(jiuzhu, "__file__", str(package / "__init__.py"))
    before = cache.code_key()
    source = package / "schema.py"
    st = source.stat()
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("from __future__", "from __FUTURE__", 1), encoding="utf-8")
    os.utime(source, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert cache.code_key() != before


def test_a_library_release_changes_the_key(make_registry: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_registry()
    _age(root)
    load(root)
    assert load(root).parsed == 0
    monkeypatch.setattr(chinese_calendar, "__version__", "9.9.9")
    assert load(root).parsed == _count(root)
    assert load(root).parsed == 0


@pytest.mark.parametrize("library", ["ruamel.yaml", "_ruamel_yaml"])
def test_a_parser_release_changes_the_key(library: str, make_registry: Any, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """ruamel.yaml is not imported on a warm load: a new release is seen in its files."""
    root = make_registry()
    _age(root)
    load(root)
    assert load(root).parsed == 0
    real = importlib.util.find_spec(library)
    assert real is not None and real.origin is not None
    released = tmp_path / "release" / Path(real.origin).name
    released.parent.mkdir()
    raw = Path(real.origin).read_bytes()
    new = raw.replace(b"version_info=(", b"version_info=(9, ", 1) if library == "ruamel.yaml" else raw + b"\0"
    assert new != raw
    released.write_bytes(new)
    find = importlib.util.find_spec

    def new_release(name: str, package: str | None = None) -> Any:
        spec = find(name, package)
        return importlib.machinery.ModuleSpec(name, None, origin=str(released)) if name == library else spec

    monkeypatch.setattr(importlib.util, "find_spec", new_release)
    assert load(root).parsed == _count(root)


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty", "foreign"])
def test_damaged_shard_is_a_miss_and_replaced(damage: str, make_registry: Any) -> None:
    root = make_registry()
    _age(root)
    plain = _snapshot(load(root, use_cache=False))
    load(root)
    for shard in cache.shard_files(root):
        raw = shard.read_bytes()
        shard.write_bytes({"truncate": raw[: len(raw) // 2], "garbage": raw[:40] + b"\x80junk" * 50, "empty": b"",
                           "foreign": cache.MAGIC + b"\0" * 16 + raw[len(cache.MAGIC) + 16:]}[damage])
    damaged = load(root)
    assert damaged.parsed == _count(root) and _snapshot(damaged) == plain
    assert load(root).parsed == 0  # replaced


def test_shard_count_follows_the_registry_size() -> None:
    sizes = (0, 1, 511, 512, 1023, 1024, 2300, 11_228, 100_000, 10**7)
    assert [cache.shard_count(n) for n in sizes] == [1, 1, 1, 2, 2, 4, 8, 32, 128, 128]


def _shards(root: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in cache.shard_files(root)}


def _units(root: Path, names: range) -> None:
    for i in names:
        (root / "units" / f"extra{i}.yaml").write_text(f"id: extra{i}\nname: 县第{i}局\n", encoding="utf-8")


def test_one_changed_file_rewrites_one_shard(make_registry: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "PER_SHARD", 2)
    monkeypatch.setattr(cache, "RACY_NS", 0)  # every stat vouches at once (else all are renewed once quiet)
    root = make_registry()
    time.sleep(0.05)  # past the clock's tick
    load(root)
    count = cache.shard_count(_count(root))
    before = _shards(root)
    assert count > 1 and all(name.startswith(f"{count:03d}-") for name in before)
    path = root / "units" / "caizheng.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("县财政局", "县审计局"), encoding="utf-8")
    time.sleep(0.05)
    assert load(root).parsed == 1
    after = _shards(root)
    assert [name for name in after if after[name] != before.get(name)] == [
        cache._shard_name(count, cache._shard("units/caizheng.yaml", count))]


@pytest.mark.parametrize("change", ["grown", "shrunk"])
def test_a_registry_past_another_shard_count_is_resharded_without_parsing_again(
        change: str, make_registry: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "PER_SHARD", 2)
    root = make_registry()
    small = cache.shard_count(_count(root))
    added = range(4 * small - _count(root) + 8)  # enough for twice the shards
    if change == "shrunk":
        _units(root, added)
    _age(root)
    load(root)
    before = cache.shard_count(_count(root))
    if change == "grown":
        _units(root, added)
    else:
        for i in added:
            (root / "units" / f"extra{i}.yaml").unlink()
    _age(root)
    loaded = load(root)
    after = cache.shard_count(_count(root))
    assert (after > before) if change == "grown" else (after < before)
    assert loaded.parsed == (len(added) if change == "grown" else 0)
    names = _shards(root)
    assert names and all(name.startswith(f"{after:03d}-") for name in names)
    assert load(root).parsed == 0
    assert _snapshot(load(root)) == _snapshot(load(root, use_cache=False))


def test_shards_of_an_older_jiuzhu_are_removed(make_registry: Any) -> None:
    root = make_registry()
    folder = cache.folder_for(root)
    folder.mkdir(parents=True, mode=0o700)
    for n in range(3):
        (folder / f"{n:03d}.pack").write_bytes(cache.MAGIC + b"an older format")
    load(root)
    assert sorted(p.name for p in folder.glob("*.pack")) == sorted(_shards(root))
    assert all(len(name) == 12 for name in _shards(root))


def test_removed_files_are_pruned(make_registry: Any) -> None:
    root = make_registry()
    load(root)
    (root / "units" / "caizheng.yaml").unlink()
    load(root)
    kept = cache.ParseCache(root)._load_shards()
    assert "units/caizheng.yaml" not in kept and "units/minzheng.yaml" in kept


def test_unwritable_cache_folder_is_not_an_error(make_registry: Any, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_registry()
    blocked = tmp_path / "blocked"
    blocked.write_text("a file, not a folder")
    monkeypatch.setenv("JIUZHU_CACHE_DIR", str(blocked))
    assert _snapshot(load(root)) == _snapshot(load(root, use_cache=False))


def test_a_cache_folder_others_can_write_is_not_used(make_registry: Any, cache_dir: Path) -> None:
    root = make_registry()
    _age(root)
    load(root)
    assert load(root).parsed == 0
    folder = cache.folder_for(root)
    folder.chmod(0o777)
    assert load(root).parsed == _count(root)


def test_cache_lives_outside_the_registry(make_registry: Any, cache_dir: Path) -> None:
    root = make_registry()
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    load(root)
    assert sorted(p.relative_to(root) for p in root.rglob("*")) == before
    assert list(cache_dir.rglob("*.pack"))


def test_a_document_changed_while_a_command_runs_is_refused(make_registry: Any) -> None:
    from jiuzhu.errors import InputRefused

    root = make_registry()
    load(root)
    reg = load(root).registry
    (root / "units" / "caizheng.yaml").write_text("id: caizheng\n", encoding="utf-8")
    with pytest.raises(InputRefused, match="运行期间被修改"):
        reg.files["units/caizheng.yaml"].at("name")
    (root / "units" / "minzheng.yaml").unlink()  # removed meanwhile: refused the same way, no traceback
    with pytest.raises(InputRefused, match="运行期间被修改"):
        reg.files["units/minzheng.yaml"].at("name")


def test_validate_with_and_without_cache(jz: Any, make_registry: Any) -> None:
    root = make_registry()
    first = jz(root, "validate", "--as-of", "2026-11-26")
    assert first.exit_code == 0
    path = root / "units" / "caizheng.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("role: support", "role: helper"), encoding="utf-8")
    for args in ((), ("--no-cache",)):
        again = jz(root, *args, "validate", "--as-of", "2026-11-26")
        assert again.exit_code == 1 and "helper" in again.output


# --- no answer is remembered -------------------------------------------------------------------

def _with_decision(jz: Any, root: Path, due: str) -> str:
    made = jz(root, "meeting", "new", "--kind", "regular", "--date", "2026-09-22", "--format", "json")
    meeting = __import__("json").loads(made.output)["id"]
    added = jz(root, "decision", "add", meeting, "--text", "完善低保资金发放机制", "--lead", "minzheng", "--due", due)
    assert added.exit_code == 0, added.output
    return meeting


def test_overdue_follows_the_day(jz: Any, make_registry: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same question asked just before and just after midnight gets two answers."""
    root = make_registry()
    _with_decision(jz, root, "2026-10-09")
    monkeypatch.setenv("JIUZHU_TODAY", "2026-10-09")
    assert "没有逾期任务" in jz(root, "tasks", "overdue").output
    monkeypatch.setenv("JIUZHU_TODAY", "2026-10-10")
    assert "完善低保资金发放机制" in jz(root, "tasks", "overdue").output


def test_overdue_follows_the_holiday_table(jz: Any, make_registry: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """A new chinese-calendar release (a new holiday) changes the working days counted."""
    root = make_registry()
    _with_decision(jz, root, "2026-10-12")
    args = ("tasks", "overdue", "--as-of", "2026-10-16", "--format", "json")
    before = __import__("json").loads(jz(root, *args).output)[0]["workdays_overdue"]
    monkeypatch.setitem(chinese_calendar.holidays, dt.date(2026, 10, 14), "新节日")
    after = __import__("json").loads(jz(root, *args).output)[0]["workdays_overdue"]
    assert after == before - 1


def test_an_edited_template_changes_the_document(jz: Any, make_registry: Any) -> None:
    root = make_registry()
    meeting = _with_decision(jz, root, "2026-10-12")
    first = jz(root, "minutes", "render", meeting, "--format", "md")
    assert first.exit_code == 0, first.output
    (root / "templates").mkdir()
    (root / "templates" / "minutes.md.j2").write_text("纪要 {{ meeting.id }}\n", encoding="utf-8")
    second = jz(root, "minutes", "render", meeting, "--format", "md")
    assert second.output.strip() == f"纪要 {meeting}"
