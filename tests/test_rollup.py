"""The roll-up of many registries (issue 17 §4): the numbers agree with each registry's own
`tasks list`, a broken registry is listed with its first problem while the others are rolled up,
every output format, every refusal, and each way a kept export could go stale."""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from pathlib import Path

import openpyxl
import pytest
from conftest import MINI_FILES, build_tree, ok, refused
from docs_registry import DOCS_FILES
from supervision_registry import INSPECTION, SUPERVISION_FILES

from jiuzhu import cache, cache_derived
from jiuzhu.rollup import rolled_up

AS_OF = "2026-12-31"


def _county(root: Path, files: dict[str, str | bytes], county: str) -> Path:
    merged = {**MINI_FILES, **files}
    merged["system.yaml"] = str(merged["system.yaml"]).replace("测试县", county)
    return build_tree(root, merged)


@pytest.fixture
def counties(tmp_path) -> tuple[Path, Path]:
    return (_county(tmp_path / "a" / "registry", SUPERVISION_FILES, "甲县"),
            _county(tmp_path / "b" / "registry", DOCS_FILES, "乙县"))


@pytest.fixture
def not_racy(monkeypatch):
    """Files just written count as settled (the racily-clean window is tested on its own)."""
    monkeypatch.setattr(cache, "RACY_NS", 0)


def _rollup(jz, *args: str) -> dict:
    return json.loads(ok(jz, ".", "rollup", *args, "--as-of", AS_OF, "--format", "json"))


def test_each_registry_agrees_with_its_own_task_list(jz, counties):
    answer = _rollup(jz, *map(str, counties))
    assert [r["name"] for r in answer["registry"]] == ["甲县", "乙县"] and answer["failed"] == []
    for reg, row in zip(counties, answer["registry"], strict=True):
        tasks = json.loads(ok(jz, reg, "tasks", "list", "--as-of", AS_OF, "--format", "json"))
        assert row["tasks"] == len(tasks)
        assert row["done"] == sum(t["status"] == "已完成" for t in tasks)
        assert row["overdue"] == sum(t["report_status"] == "逾期未完成" for t in tasks)
        assert row["due_soon"] == sum(t["report_status"] == "即将到期" for t in tasks)
        assert row["ongoing"] == sum(t["due"] is None for t in tasks)
    total = sum(r["tasks"] for r in answer["registry"])
    assert sum(r["tasks"] for r in answer["kind"]) == total
    assert sum(r["overdue"] for r in answer["kind"]) == sum(r["overdue"] for r in answer["registry"])
    assert sum(r["tasks"] for r in answer["area"]) >= total  # a task in two areas counts in both
    assert answer["as_of"] == AS_OF


def test_a_broken_registry_is_listed_and_the_others_rolled_up(jz, counties, runner):
    a, b = counties
    bad = b / "meetings/2026/m-20261126-regular-a1b2.yaml"
    bad.write_text(bad.read_text(encoding="utf-8") + "\n  broken: [\n", encoding="utf-8")
    from jiuzhu.cli import app

    result = runner.invoke(app, ["rollup", str(a), str(b), str(a.parent / "nowhere"), "--as-of", AS_OF,
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert [r["name"] for r in answer["registry"]] == ["甲县"]
    failed = {f["registry"]: f["problem"] for f in answer["failed"]}
    assert f"{b}/meetings/2026/m-20261126-regular-a1b2.yaml:" in failed[str(b)]
    assert "找不到登记册目录" in failed[str(a.parent / "nowhere")]
    assert "未纳入汇总" in result.stderr


def test_config_file_with_relative_folders(jz, counties, tmp_path):
    config = tmp_path / "rollup.yaml"
    config.write_text("title: 某市社会救助工作联席会议汇总\nregistries:\n  - a/registry\n  - b/registry\n",
                      encoding="utf-8")
    answer = _rollup(jz, "--config", str(config))
    assert answer["title"] == "某市社会救助工作联席会议汇总"
    assert [r["name"] for r in answer["registry"]] == ["甲县", "乙县"]


@pytest.mark.parametrize("text, message", [
    ("registries: [\n", "rollup.yaml:"),
    ("title: 汇总\n", "需要 registries"),
    ("registries:\n  - a/registry\n  - {x: 1}\n", "rollup.yaml:3:"),
])
def test_config_mistakes_point_at_the_line(jz, tmp_path, text, message):
    config = tmp_path / "rollup.yaml"
    config.write_text(text, encoding="utf-8")
    assert message in refused(jz, tmp_path, "rollup", "--config", str(config))


@pytest.mark.parametrize("args, message", [
    ((), "没有给出要汇总的登记册"),
    (("{a}", "{a}/"), "重复列出"),
    (("{a}", "--format", "csv", "-o", "{tmp}/x.xlsx"), "扩展名不符"),
    (("{a}", "--format", "xlsx"), "需要用 -o"),
    (("{a}", "--format", "html", "-o", "{tmp}/missing/x.html"), "输出目录不存在"),
    (("{a}", "-o", "{tmp}/x.csv"), "-o 只用于"),
])
def test_refusals(jz, counties, tmp_path, args, message):
    a, _ = counties
    filled = [x.format(a=a, tmp=tmp_path) for x in args]
    assert message in refused(jz, tmp_path, "rollup", *filled)
    assert not list(tmp_path.glob("x.*"))


def test_xlsx_csv_and_html(jz, counties, tmp_path):
    a, b = counties
    book_path = tmp_path / "汇总.xlsx"
    ok(jz, ".", "rollup", str(a), str(b), "--as-of", AS_OF, "--format", "xlsx", "-o", str(book_path))
    book = openpyxl.load_workbook(book_path)
    assert book.sheetnames == ["登记册", "牵头单位类别", "救助领域", "未纳入汇总"]
    rows = list(book["登记册"].iter_rows(values_only=True))
    assert rows[0] == ("登记册", "任务", "已完成", "逾期未完成", "即将到期", "长期坚持", "完成率%")
    assert [r[0] for r in rows[1:]] == ["甲县", "乙县"]
    csv_text = ok(jz, ".", "rollup", str(a), str(b), "--as-of", AS_OF, "--format", "csv", "--by", "领域")
    assert csv_text.splitlines()[0] == "救助领域,任务,已完成,逾期未完成,即将到期,长期坚持,完成率%"
    page = tmp_path / "汇总.html"
    ok(jz, ".", "rollup", str(a), str(b), "--as-of", AS_OF, "--format", "html", "-o", str(page))
    html = page.read_text(encoding="utf-8")
    assert "数据截至 2026年12月31日" in html and 'id="by-registry"' in html and "甲县" in html
    assert "http://" not in html and "https://" not in html


def test_table(jz, counties):
    a, b = counties
    text = ok(jz, ".", "rollup", str(a), str(b), "--as-of", AS_OF)
    assert "按登记册" in text and "按牵头单位类别" in text and "按救助领域" in text and "甲县" in text


# --- the kept exports -------------------------------------------------------------------------

def _members(roots, day=AS_OF):
    with rolled_up(list(roots), dt.date.fromisoformat(day), workers=1) as r:
        return r.members, r.tables


def test_an_unchanged_registry_is_not_read_again(counties, not_racy):
    first, tables = _members(counties)
    assert [m.reused for m in first] == [False, False]
    again, same = _members(counties)
    assert [m.reused for m in again] == [True, True] and same == tables


def test_an_edit_keeping_size_and_mtime_is_seen(counties, not_racy):
    a, _ = counties
    _members(counties)
    task = a / f"inspections/2026/{INSPECTION}.yaml"
    text = task.read_text(encoding="utf-8")
    st = task.stat()
    edited = text.replace("due: 2026-12-15", "due: 2027-12-15")  # same length: no longer overdue
    assert len(edited) == len(text) and edited != text
    task.write_text(edited, encoding="utf-8")
    os.utime(task, ns=(st.st_atime_ns, st.st_mtime_ns))
    members, tables = _members(counties)
    assert [m.reused for m in members] == [False, True]
    fresh, _ = _members_without_kept(counties)
    assert tables == fresh


def _members_without_kept(roots):
    for root in roots:
        for f in cache.folder_for(root).glob("rollup-*"):
            f.unlink()
    return _members(roots)[1], None


def test_added_and_removed_files_are_seen(counties, not_racy):
    a, _ = counties
    _members(counties)
    notice = next((a / "notices").rglob("*.yaml"))
    notice.unlink()
    members, tables = _members(counties)
    assert not members[0].reused
    assert tables == _members_without_kept(counties)[0]
    (a / "notices/2026/extra.yaml").write_text("id: extra\n", encoding="utf-8")  # a file that does not load
    members, _ = _members(counties)
    assert members[0].problem is not None and not members[0].reused


def test_another_day_and_another_code_are_computed_again(counties, not_racy, monkeypatch):
    _members(counties)
    later, tables = _members(counties, "2027-06-30")
    assert [m.reused for m in later] == [False, False]
    assert tables != _members(counties)[1]
    monkeypatch.setattr(cache, "code_key", lambda: b"another jiuzhu")
    again, _ = _members(counties)
    assert [m.reused for m in again] == [False, False]


def test_the_code_key_is_computed_once_for_a_roll_up(counties, monkeypatch):
    """Reading jiuzhu's sources for the code key costs ~5 ms: a roll-up does it once, not twice a
    registry (its export key and its parse cache), and both use that key."""
    real, calls = cache.code_key, []
    monkeypatch.setattr(cache, "code_key", lambda: (calls.append(1), real())[1])
    members, _ = _members(counties)
    assert len(members) == 2 and not any(m.problem for m in members) and len(calls) == 1
    seen = []
    monkeypatch.setattr(cache.ParseCache, "close", lambda self: seen.append(self.key))
    _members(counties, "2027-06-30")
    assert seen == [real(), real()]


def test_one_listing_serves_the_key_and_the_load(counties, not_racy, monkeypatch):
    """A registry is listed once for its export's key and its load, and a load from that listing
    is the load of a listing taken by the loader itself."""
    from jiuzhu import listing, loader

    a, _ = counties
    walked: list[str] = []
    real = listing._walk
    monkeypatch.setattr(listing, "_walk", lambda folder, prefix, *rest: (
        walked.append(prefix), real(folder, prefix, *rest))[1])
    members, _ = _members([a])
    assert not members[0].reused and walked.count("") == 1
    own, given = loader.load(a, use_cache=False), loader.load(a, use_cache=False, listed=listing.take(a))
    assert given.problems == own.problems and given.registry.decisions == own.registry.decisions
    assert sorted(given.registry.files) == sorted(own.registry.files)


def test_a_file_changed_just_now_is_not_kept(counties):
    """Racily clean: a file written within the stat clock's reach of now could change again
    unseen, so no key is made and nothing is kept for that registry."""
    a, _ = counties
    assert cache_derived.key(a, "x") is None
    members, _ = _members(counties)
    assert not any(m.reused for m in members)
    assert not list(cache.folder_for(a).glob("rollup-*"))
    old = time.time() - 10
    for p in a.rglob("*"):
        os.utime(p, (old, old))
    assert cache_derived.key(a, "x") is None  # ctime is still recent: mtime alone is not trusted


def test_exports_are_the_documented_csv(jz, counties, tmp_path):
    import csv

    from jiuzhu.rollup_export import COLUMNS

    a, b = counties
    folder = tmp_path / "exports"
    folder.mkdir()
    ok(jz, ".", "rollup", str(a), str(b), "--as-of", AS_OF, "--exports", str(folder), "--format", "json")
    assert sorted(p.name for p in folder.iterdir()) == ["乙县.csv", "甲县.csv"]
    with open(folder / "甲县.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == [c for c, _ in COLUMNS]
    tasks = json.loads(ok(jz, a, "tasks", "list", "--as-of", AS_OF, "--format", "json"))
    assert [r["task"] for r in rows] == [t["id"] for t in tasks]
    assert {r["as_of"] for r in rows} == {AS_OF} and {r["jurisdiction"] for r in rows} == {"甲县"}
    assert "--exports 的目录不存在" in refused(jz, tmp_path, "rollup", str(a), "--exports", str(tmp_path / "none"))
