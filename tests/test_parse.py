"""Values as people write them (jiuzhu.parse), and the commands that take them that way."""

from __future__ import annotations

import datetime as dt

import pytest

from jiuzhu import parse
from jiuzhu.errors import InputRefused

TODAY = dt.date(2026, 12, 3)


@pytest.mark.parametrize("text", ["2026-9-22", "2026-09-22", "2026/9/22", "2026.9.22", "2026年9月22日",
                                  "2026年9月22号", "9月22日", "20260922", "２０２６年９月２２日", " 2026-9-22 "])
def test_dates_as_people_write_them(text: str) -> None:
    assert parse.date(text, "--date", TODAY) == dt.date(2026, 9, 22)


def test_relative_dates() -> None:
    assert parse.date("今天", "--date", TODAY) == TODAY
    assert parse.date("昨天", "--date", TODAY) == dt.date(2026, 12, 2)
    assert parse.date("明天", "--date", TODAY) == dt.date(2026, 12, 4)


@pytest.mark.parametrize(("text", "message"), [
    ("2026-2-30", "不是存在的日期"), ("9月", "不是日期"), ("下周一", "不是日期"), ("9999-1-1", "超出可处理的范围"),
])
def test_dates_refused(text: str, message: str) -> None:
    with pytest.raises(InputRefused) as err:
        parse.date(text, "--date", TODAY)
    assert message in err.value.message and f"“{text}”" in err.value.message or "9999" in err.value.message


@pytest.mark.parametrize(("text", "expected"), [
    ("9:00", "09:00"), ("09:30", "09:30"), ("9：30", "09:30"), ("9点", "09:00"), ("9点30", "09:30"),
    ("9点30分", "09:30"), ("9点半", "09:30"), ("9时", "09:00"), ("下午3点", "15:00"), ("下午3:30", "15:30"),
    ("上午10点", "10:00"), ("中午12点", "12:00"), ("晚上7点", "19:00"),
])
def test_times_as_people_write_them(text: str, expected: str) -> None:
    assert parse.time(text, "--time") == expected


@pytest.mark.parametrize("text", ["25点", "9:75", "九点", "上午", ""])
def test_times_refused(text: str) -> None:
    with pytest.raises(InputRefused):
        parse.time(text, "--time")


@pytest.mark.parametrize(("text", "expected"), [("40", 40), ("40%", 40), ("40％", 40), ("0", 0), ("100%", 100)])
def test_percent(text: str, expected: int) -> None:
    assert parse.percent(text, "--percent") == expected


@pytest.mark.parametrize("text", ["101", "-1", "四十", "40.5", "%"])
def test_percent_refused(text: str) -> None:
    with pytest.raises(InputRefused, match="0 到 100"):
        parse.percent(text, "--percent")


def test_lists_by_comma_dunhao_or_repetition() -> None:
    assert parse.items(["县民政局,县财政局", "县卫健局、县医保局", "县教育局；"]) == (
        "县民政局", "县财政局", "县卫健局", "县医保局", "县教育局")
    assert parse.items(None) == ()


def test_choice_by_identifier_or_chinese_name() -> None:
    names = {"regular": "例会", "adhoc": "临时会议", "liaison": "联络员会议"}
    assert parse.choice("例会", names, "--kind") == "regular"
    assert parse.choice("liaison", names, "--kind") == "liaison"
    with pytest.raises(InputRefused, match="--kind 的值“年会”不可用"):
        parse.choice("年会", names, "--kind")


def test_single_line_fields_and_limits() -> None:
    assert parse.line("  县政府第一会议室 ", "--place") == "县政府第一会议室"
    for bad in ("甲\n乙", "甲\r乙", "甲\x00乙", "甲\u2028乙", "甲\x1b[2J"):
        with pytest.raises(InputRefused, match="--place 的值含有"):
            parse.line(bad, "--place")
    with pytest.raises(InputRefused, match="超过上限 200 个字"):
        parse.line("长" * 201, "--title")
    assert parse.text("第一段\n第二段", "--note") == "第一段\n第二段"
    with pytest.raises(InputRefused, match="控制字符 U\\+0007"):
        parse.text("响铃\x07", "--note")
    with pytest.raises(InputRefused, match="超过上限 2000 个字"):
        parse.text("长" * 2001, "--note")


# --- the commands take them -------------------------------------------------------------------------

def test_a_meeting_written_the_way_a_clerk_writes_it(make_registry, jz, monkeypatch) -> None:
    from jiuzhu.loader import load

    monkeypatch.setenv("JIUZHU_TODAY", "2026-09-01")
    root = make_registry()
    res = jz(root, "meeting", "new", "--kind", "例会", "--date", "2026年9月22日", "--time", "下午3点",
             "--format", "json")
    assert res.exit_code == 0, res.output
    (meeting,) = load(root).registry.meetings.values()
    assert (meeting.kind, meeting.date, meeting.time) == ("regular", dt.date(2026, 9, 22), "15:00")
    res = jz(root, "meeting", "attend", meeting.id, "县民政局、县财政局", "--attended")
    assert res.exit_code == 0, res.output
    attended = load(root).registry.meetings[meeting.id].attended
    assert [a.unit for a in attended] == ["minzheng", "caizheng"]


def test_progress_with_a_percent_sign_and_a_chinese_date(make_registry, jz, monkeypatch) -> None:
    from test_tasks import MEETING, M

    from jiuzhu.loader import load

    monkeypatch.setenv("JIUZHU_TODAY", "2026-10-20")  # 10月9日 is of this year
    root = make_registry({f"meetings/2026/{M}.yaml": MEETING})
    res = jz(root, "tasks", "update", f"{M}-1", "--by", "县民政局", "--note", "已起草", "--percent", "40%",
             "--date", "10月9日", "--as-of", "2026年10月20日")
    assert res.exit_code == 0, res.output
    (entry,) = load(root).registry.tasks[f"{M}-1"].log
    assert (entry.percent, entry.date) == (40, dt.date(2026, 10, 9))
