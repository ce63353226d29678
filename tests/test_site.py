"""The static site (issue 17 §1) without a browser: the files it writes, the date it follows, and
every refusal (nothing half-written). tests/test_site_browser.py opens the pages in Chromium."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import ok, refused, tree_hash
from docs_registry import MEETING_ID
from supervision_registry import INSPECTION, SUPERVISION_FILES


@pytest.fixture
def reg(make_registry) -> Path:
    return make_registry(SUPERVISION_FILES)


def _build(jz, reg: Path, out: Path, *args: str) -> str:
    return ok(jz, reg, "site", "build", "-o", str(out), "--no-pdf", *args)


def test_pages_minutes_and_assets(jz, reg):
    out = reg.parent / "site"
    said = _build(jz, reg, out, "--as-of", "2026-12-31")
    assert f"已生成站点：{out}" in said and "数据截至 2026-12-31" in said and "index.html" in said
    names = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    for page in ("index.html", "meetings.html", "units.html", "matrix.html", "tasks.html", "search.html",
                 f"meeting-{MEETING_ID}.html", "unit-minzheng.html", "unit-caizheng.html", "unit-weiji.html",
                 "assets/site.css", "assets/site.js", f"files/minutes-{MEETING_ID}.html",
                 f"files/minutes-{MEETING_ID}.docx"):
        assert page in names, page
    assert not any(n.endswith(".pdf") for n in names)  # --no-pdf
    assert (out / f"files/minutes-{MEETING_ID}.docx").read_bytes().startswith(b"PK")
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "数据截至 2026年12月31日" in index
    # no page reaches the network: no http(s) script, style or image
    for page in out.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r'(src|href)="(https?:)?//', text), page.name


def test_tasks_table_carries_every_task_with_its_source(jz, reg):
    out = reg.parent / "site"
    _build(jz, reg, out, "--as-of", "2026-12-31")
    listed = json.loads(ok(jz, reg, "tasks", "list", "--as-of", "2026-12-31", "--format", "json"))
    rows = re.findall(r'<tr id="([^"]+)" data-units="([^"]*)" data-status="([^"]*)" data-source="([^"]*)"',
                      (out / "tasks.html").read_text(encoding="utf-8"))
    assert [r[0] for r in rows] == [t["id"] for t in listed]
    by_id = {r[0]: r for r in rows}
    for t in listed:
        assert by_id[t["id"]][1].split() == [t["lead"], *t["responsible"]]
        assert by_id[t["id"]][2] == t["report_status"] and by_id[t["id"]][3] == t["source"]
    assert any(r[3] == "inspection" for r in rows)


def test_as_of_leaves_out_what_happened_later(jz, reg):
    """Before the inspection, its findings are not tasks; progress reported later does not count;
    minutes issued later show as not issued."""
    out = reg.parent / "site"
    _build(jz, reg, out, "--as-of", "2026-11-27")
    tasks = (out / "tasks.html").read_text(encoding="utf-8")
    assert INSPECTION not in tasks
    assert "数据截至 2026年11月27日" in (out / "index.html").read_text(encoding="utf-8")
    meeting = (out / f"meeting-{MEETING_ID}.html").read_text(encoding="utf-8")
    assert "尚未印发" in meeting and "files/minutes-" not in meeting
    assert not (out / "files").exists()
    later = reg.parent / "later"
    _build(jz, reg, later, "--as-of", "2026-12-31")
    assert INSPECTION in (later / "tasks.html").read_text(encoding="utf-8")
    assert "files/minutes-" in (later / f"meeting-{MEETING_ID}.html").read_text(encoding="utf-8")


def test_scheduled_meeting_is_listed_as_upcoming(jz, reg):
    ok(jz, reg, "meeting", "new", "--kind", "adhoc", "--date", "2027-01-20", "--place", "县政府二楼会议室")
    out = reg.parent / "site"
    _build(jz, reg, out, "--as-of", "2026-12-31")
    index = (out / "index.html").read_text(encoding="utf-8")
    upcoming = index.split("即将召开的会议")[1].split("最近召开的会议")[0]
    assert "2027年1月20日" in upcoming and "县政府二楼会议室" in upcoming
    page = next(out.glob("meeting-m-20270120-*.html")).read_text(encoding="utf-8")
    assert "尚未召开" in page


def test_untrusted_text_is_escaped(jz, reg):
    said = ok(jz, reg, "meeting", "new", "--kind", "adhoc", "--date", "2026-12-10")
    meeting = re.search(r"m-20261210-adhoc-[0-9a-f]+", said).group(0)
    ok(jz, reg, "decision", "add", meeting, "--text", "<script>alert(1)</script>核查“</script>”",
       "--lead", "minzheng", "--due", "2027-03-31")
    out = reg.parent / "site"
    _build(jz, reg, out, "--as-of", "2026-12-31")
    for name in ("tasks.html", "search.html", f"meeting-{meeting}.html"):
        text = (out / name).read_text(encoding="utf-8")
        assert "<script>alert(1)" not in text, name
    # the search index inside <script type="application/json"> cannot close its own script element
    search = (out / "search.html").read_text(encoding="utf-8")
    data = search.split('id="search-data">')[1].split("</script>")[0]
    assert any("alert(1)" in e["text"] for e in json.loads(data))


def test_force_replaces_a_previous_site_only(jz, reg):
    out = reg.parent / "site"
    _build(jz, reg, out, "--as-of", "2026-12-01")
    message = refused(jz, reg, "site", "build", "-o", str(out), "--no-pdf")
    assert "站点目录已存在" in message and "--force" in message
    _build(jz, reg, out, "--as-of", "2026-12-31", "--force")
    assert "数据截至 2026年12月31日" in (out / "index.html").read_text(encoding="utf-8")
    assert not [p for p in reg.parent.iterdir() if p.name.startswith(".site.")]  # no leftovers
    mine = reg.parent / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("别删我", encoding="utf-8")
    message = refused(jz, reg, "site", "build", "-o", str(mine), "--no-pdf", "--force")
    assert "不是 jiuzhu 生成的站点" in message
    assert (mine / "notes.txt").read_text(encoding="utf-8") == "别删我"


@pytest.mark.parametrize("where, message", [
    ("missing/site", "输出目录不存在"),
    ("file.txt", "是文件，不是目录"),
    ("registry/site", "在登记册目录"),
])
def test_refused_targets(jz, reg, where, message):
    (reg.parent / "file.txt").write_text("x", encoding="utf-8")
    before = tree_hash(reg.parent)
    assert message in refused(jz, reg, "site", "build", "-o", str(reg.parent / where), "--no-pdf")
    assert tree_hash(reg.parent) == before


def test_a_broken_template_writes_nothing(jz, reg):
    (reg / "templates/site").mkdir(parents=True)
    (reg / "templates/site/unit.html.j2").write_text("{{ unit.nosuch.deeper }}", encoding="utf-8")
    out = reg.parent / "site"
    message = refused(jz, reg, "site", "build", "-o", str(out), "--no-pdf")
    assert "模板" in message and "unit.html.j2" in message
    assert not out.exists() and not [p for p in reg.parent.iterdir() if p.name.startswith(".site.")]


def test_a_registry_can_restyle_its_site(jz, reg):
    (reg / "templates/site").mkdir(parents=True)
    (reg / "templates/site/site.css").write_text("body { color: #123456; }\n", encoding="utf-8")
    out = reg.parent / "site"
    _build(jz, reg, out)
    assert (out / "assets/site.css").read_text(encoding="utf-8") == "body { color: #123456; }\n"
