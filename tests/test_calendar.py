"""Calendars (issue 17 §2): meetings and task deadlines as iCalendar, read back with icalendar:
events, Asia/Shanghai times, UIDs stable across exports, one unit's calendar, refusals."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import icalendar
import pytest
from conftest import ok, refused
from docs_registry import DOCS_FILES, MEETING_ID


@pytest.fixture
def reg(make_registry) -> Path:
    return make_registry(DOCS_FILES)


def _events(path: Path) -> dict[str, icalendar.Event]:
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    return {str(e["uid"]): e for e in cal.walk("VEVENT")}


def test_meetings_and_open_deadlines(jz, reg):
    out = reg.parent / "联席会议.ics"
    assert "（3 个日程）" in ok(jz, reg, "calendar", "export", "-o", str(out), "--as-of", "2026-12-15")
    events = _events(out)
    meeting = next(e for u, e in events.items() if u.startswith(f"meeting-{MEETING_ID}@"))
    start = meeting.decoded("dtstart")
    assert start == dt.datetime(2026, 11, 26, 9, 30, tzinfo=start.tzinfo)
    assert str(start.tzinfo) == "Asia/Shanghai" and start.utcoffset() == dt.timedelta(hours=8)
    assert meeting.decoded("dtend") - start == dt.timedelta(hours=2)
    assert str(meeting["location"]) == "县政府三楼会议室"
    assert "1. 关于提高2027年城乡低保标准的议题" in str(meeting["description"])
    deadlines = {u.split("@")[0]: e for u, e in events.items() if u.startswith("task-")}
    # the two open tasks with a deadline; the ongoing one has none
    assert set(deadlines) == {f"task-{MEETING_ID}-1", f"task-{MEETING_ID}-2"}
    due = deadlines[f"task-{MEETING_ID}-2"]
    assert due.decoded("dtstart") == dt.date(2026, 12, 10) and "牵头单位：县财政局" in str(due["description"])
    assert b"BEGIN:VTIMEZONE" in out.read_bytes() and b"TZID:Asia/Shanghai" in out.read_bytes()


def test_uids_are_stable_so_a_new_export_updates_events(jz, reg):
    first, second = reg.parent / "a.ics", reg.parent / "b.ics"
    ok(jz, reg, "calendar", "export", "-o", str(first), "--as-of", "2026-12-15")
    ok(jz, reg, "tasks", "update", f"{MEETING_ID}-2", "--by", "caizheng", "--percent", "50", "--note", "起草中。",
       "--date", "2026-12-14", "--as-of", "2026-12-15")
    ok(jz, reg, "calendar", "export", "-o", str(second), "--as-of", "2026-12-15")
    before, after = _events(first), _events(second)
    assert set(before) == set(after)
    assert "进度 50%" in str(after[next(u for u in after if u.startswith(f"task-{MEETING_ID}-2@"))]["description"])
    # a task done leaves the calendar; the rest keep their UIDs
    ok(jz, reg, "tasks", "update", f"{MEETING_ID}-2", "--by", "caizheng", "--status", "已完成", "--note", "完成。",
       "--date", "2026-12-15", "--as-of", "2026-12-15")
    ok(jz, reg, "calendar", "export", "-o", str(second), "--as-of", "2026-12-15", "--force")
    assert set(_events(second)) == set(before) - {u for u in before if u.startswith(f"task-{MEETING_ID}-2@")}


def test_two_registries_never_share_a_uid(jz, make_registry, reg, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    system = (reg / "system.yaml").read_text(encoding="utf-8").replace("测试县", "另一县")
    shutil.copytree(reg, other / "registry")
    (other / "registry" / "system.yaml").write_text(system, encoding="utf-8")
    ok(jz, reg, "calendar", "export", "-o", str(tmp_path / "a.ics"))
    ok(jz, other / "registry", "calendar", "export", "-o", str(tmp_path / "b.ics"))
    assert not set(_events(tmp_path / "a.ics")) & set(_events(tmp_path / "b.ics"))


def test_one_units_calendar(jz, reg):
    out = reg.parent / "weiji.ics"
    ok(jz, reg, "calendar", "export", "--unit", "县卫生健康局", "-o", str(out), "--as-of", "2026-12-15")
    events = _events(out)
    assert [u.split("@")[0] for u in events] == [f"meeting-{MEETING_ID}"]  # expected there; its task is ongoing
    ok(jz, reg, "calendar", "export", "--unit", "minzheng", "-o", str(out), "--as-of", "2026-12-15", "--force")
    assert len([u for u in _events(out) if u.startswith("task-")]) == 2  # leads one, shares the other


@pytest.mark.parametrize(("args", "message"), [
    (["--unit", "县公安局"], "没有成员单位"),
    (["-o", "nowhere/x.ics"], "输出目录不存在"),
    (["-o", "x.xlsx"], "应以 .ics 结尾"),
])
def test_refusals(jz, reg, args, message):
    base = ["-o", str(reg.parent / "x.ics")]
    if "-o" in args:
        args = ["-o", str(reg.parent / args[1])]
    assert message in refused(jz, reg, "calendar", "export", *base, *args)
    assert not (reg.parent / "x.ics").exists()
