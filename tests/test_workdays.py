"""Working-day arithmetic on the official calendar: library, registry calendar.yaml, weekends."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from jiuzhu.loader import load
from jiuzhu.workdays import Calendar

D = dt.date

CAL_2027 = """
years:
  2027:
    holidays: [2027-01-01, 2027-02-05, 2027-02-06, 2027-02-07, 2027-02-08, 2027-02-09, 2027-02-10, 2027-02-11]
    workdays: [2027-02-13, 2027-02-20]
"""


def test_library_knows_national_day_2026_and_its_make_up_saturday() -> None:
    cal = Calendar()
    assert cal.source(2026) == "chinese-calendar"
    assert not cal.is_workday(D(2026, 10, 1))
    assert not cal.is_workday(D(2026, 10, 7))
    assert cal.is_workday(D(2026, 10, 8))
    assert cal.is_workday(D(2026, 10, 10))  # Saturday, make-up workday (调休上班)
    assert not cal.is_workday(D(2026, 10, 11))


def test_day_one_is_the_first_working_day_after_the_start() -> None:
    cal = Calendar()
    # Wed 2026-09-30 meeting: Oct 1-7 off, Thu 8 = 1, Fri 9 = 2, Sat 10 (make-up) = 3, Mon 12 = 4.
    assert cal.add_workdays(D(2026, 9, 30), 1).date == D(2026, 10, 8)
    assert cal.add_workdays(D(2026, 9, 30), 3).date == D(2026, 10, 10)
    counted = cal.add_workdays(D(2026, 9, 30), 4)
    assert counted.date == D(2026, 10, 12)
    assert counted.source == "chinese-calendar"
    assert counted.warnings == ()
    # A plain week: Mon 2026-11-23 + 5 = Mon 2026-11-30.
    assert cal.add_workdays(D(2026, 11, 23), 5).date == D(2026, 11, 30)
    assert cal.add_workdays(D(2026, 11, 23), 0).date == D(2026, 11, 23)


def test_counting_backwards() -> None:
    cal = Calendar()
    assert cal.add_workdays(D(2026, 10, 12), -4).date == D(2026, 9, 30)
    assert cal.add_workdays(D(2026, 10, 8), -1).date == D(2026, 9, 30)


def test_spring_festival_2026() -> None:
    cal = Calendar()
    # 2026: Feb 15-23 off; make-up workdays Sat Feb 14 and Sat Feb 28.
    assert cal.is_workday(D(2026, 2, 14))
    assert not cal.is_workday(D(2026, 2, 16))
    assert cal.add_workdays(D(2026, 2, 13), 1).date == D(2026, 2, 14)
    assert cal.add_workdays(D(2026, 2, 13), 2).date == D(2026, 2, 24)
    assert cal.workdays_between(D(2026, 2, 13), D(2026, 2, 28)) == 6  # 14, 24, 25, 26, 27, 28


def test_workdays_between_is_signed() -> None:
    cal = Calendar()
    assert cal.workdays_between(D(2026, 9, 30), D(2026, 10, 12)) == 4
    assert cal.workdays_between(D(2026, 10, 12), D(2026, 9, 30)) == -4
    assert cal.workdays_between(D(2026, 10, 1), D(2026, 10, 1)) == 0
    assert cal.workdays_between(D(2026, 10, 2), D(2026, 10, 7)) == 0


def test_a_year_from_calendar_yaml(make_registry) -> None:
    root: Path = make_registry({"calendar.yaml": CAL_2027})
    reg = load(root).registry
    cal = Calendar.of(reg)
    assert cal.source(2027) == "calendar.yaml"
    assert not cal.is_workday(D(2027, 2, 8))  # listed holiday, a Monday
    assert cal.is_workday(D(2027, 2, 13))  # listed make-up Saturday
    assert not cal.is_workday(D(2027, 2, 14))  # plain Sunday
    # Thu 2027-02-04 + 1 = Fri 2027-02-12 (5th-11th off), + 2 = Sat 13 (make-up).
    assert cal.add_workdays(D(2027, 2, 4), 1).date == D(2027, 2, 12)
    counted = cal.add_workdays(D(2027, 2, 4), 2)
    assert counted.date == D(2027, 2, 13)
    assert counted.source == "calendar.yaml"
    assert counted.warnings == ()
    # Across the new year, library then registry: the weakest source is the registry's.
    across = cal.add_workdays(D(2026, 12, 30), 2)
    assert across.date == D(2027, 1, 4)  # Dec 31 = 1; Jan 1 off; Jan 2-3 weekend; Jan 4 = 2
    assert across.source == "calendar.yaml"
    assert cal.warnings == ()


def test_calendar_yaml_overrides_the_library(make_registry) -> None:
    # The office corrects the library: a (fictional) extra holiday on Fri 2026-12-04.
    root = make_registry({"calendar.yaml": "years:\n  2026:\n    holidays: [2026-12-04]\n    workdays: []\n"})
    cal = Calendar.of(load(root).registry)
    assert cal.source(2026) == "calendar.yaml"
    assert not cal.is_workday(D(2026, 12, 4))
    assert cal.add_workdays(D(2026, 12, 3), 1).date == D(2026, 12, 7)


def test_a_year_nobody_knows_counts_weekends_and_warns() -> None:
    cal = Calendar()
    counted = cal.add_workdays(D(2031, 9, 30), 5)
    assert counted.date == D(2031, 10, 7)  # weekends only: Oct 1-3, 6, 7
    assert counted.source == "weekends"
    assert counted.warnings == ("2031 年的法定节假日未知（chinese-calendar 和 calendar.yaml 都没有），按周末计算",)
    assert cal.warnings == counted.warnings


def test_workdays_between_collects_warnings() -> None:
    cal = Calendar()
    assert cal.workdays_between(D(2026, 12, 31), D(2028, 1, 3)) > 0
    assert cal.warnings == (
        "2027 年的法定节假日未知（chinese-calendar 和 calendar.yaml 都没有），按周末计算",
        "2028 年的法定节假日未知（chinese-calendar 和 calendar.yaml 都没有），按周末计算",
    )


def test_sources_read_in_chinese(make_registry, jz) -> None:  # type: ignore[no-untyped-def]
    from cycle_helpers import meeting, ok

    from jiuzhu.workdays import source_label

    assert [source_label(s) for s in ("chinese-calendar", "calendar.yaml", "weekends")] == [
        "国务院节假日安排（chinese-calendar）", "登记册 calendar.yaml", "仅按周末计算"]
    root = make_registry()
    mid = meeting(jz, root, "regular", "2026-09-22")
    res = ok(jz, root, "decision", "add", mid, "--text", "研究提出低保标准调整方案", "--lead", "minzheng",
             "--responsible", "caizheng", "--area", "低保", "--due-workdays", "10")
    assert "（会议日期 2026-09-22 起 10 个工作日，依据国务院节假日安排（chinese-calendar））" in res.output
    assert "依据 chinese-calendar" not in res.output


def test_calendars_one_after_the_other_never_mix() -> None:
    """A roll-up counts working days for hundreds of registries in one process: a registry's own
    year never leaks into the next registry's calendar, nor the library's into its own."""
    import chinese_calendar

    own = {2026: {"holidays": (D(2026, 12, 4),), "workdays": (D(2026, 12, 5),)}}  # Fri off, Sat on
    before = Calendar()
    assert before.is_workday(D(2026, 12, 4)) and not before.is_workday(D(2026, 12, 5))
    corrected = Calendar(own)  # after a plain calendar counted 2026: its own year
    assert not corrected.is_workday(D(2026, 12, 4)) and corrected.is_workday(D(2026, 12, 5))
    after = Calendar()  # and the correction does not leak into the next registry's calendar
    assert after.is_workday(D(2026, 12, 4)) and not after.is_workday(D(2026, 12, 5))
    # the library's answer for every day of a year it knows; an unknown year, weekends only
    day = D(2026, 1, 1)
    while day.year == 2026:
        assert after.is_workday(day) == chinese_calendar.is_workday(day), day
        day += dt.timedelta(days=1)
    assert [after.is_workday(D(2031, 10, d)) for d in (1, 4, 5)] == [True, False, False]
    assert after.source(2031) == "weekends" and after.warnings == (
        "2031 年的法定节假日未知（chinese-calendar 和 calendar.yaml 都没有），按周末计算",)
