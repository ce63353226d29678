"""Which decisions a 进展情况通报 covers, and how the document says so.

An office reports per meeting (`--meeting`), per year (`--year`), per period of meetings
(`--from/--to`), or — by default — the decisions of the report's year together with those of
earlier years not finished by its date (an unfinished task never drops out of the report because
the calendar turned). `--unit` narrows any of these to one unit's tasks (lead or responsible): the
督办 view addressed to that unit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from jiuzhu.errors import InputRefused
from jiuzhu.model import Registry
from jiuzhu.queries import find_meeting, find_unit
from jiuzhu.render import cn_date
from jiuzhu.tasks import DONE


@dataclass(frozen=True)
class Scope:
    meeting: str | None = None  # a meeting id
    year: int | None = None
    start: dt.date | None = None  # meetings held from this day …
    end: dt.date | None = None  # … to this day (both inclusive)
    unit: str | None = None  # a unit id: its tasks only


def resolve(reg: Registry, meeting: str | None = None, year: int | None = None, start: dt.date | None = None,
            end: dt.date | None = None, unit: str | None = None) -> Scope:
    """The scope the options ask for; contradicting options are refused, names become ids."""
    if meeting is not None and (year is not None or start is not None or end is not None):
        raise InputRefused("--meeting 不能与 --year、--from、--to 同时使用：一次会议的议定事项已经确定了范围",
                           "只留 --meeting，或去掉它按年度、期间通报。")
    if year is not None and (start is not None or end is not None):
        raise InputRefused("--year 不能与 --from、--to 同时使用", "按年度通报用 --year；按期间通报用 --from 和 --to。")
    if start is not None and end is not None and start > end:
        raise InputRefused(f"--from {start} 晚于 --to {end}", "把两个日期对调。")
    if year is not None and not 1900 <= year <= 9999:
        raise InputRefused(f"--year {year} 不是有效的年份", "写四位数的年份，例如 --year 2026。")
    return Scope(meeting=find_meeting(reg, meeting).id if meeting is not None else None, year=year,
                 start=start, end=end, unit=find_unit(reg, unit).id if unit is not None else None)


def select(scope: Scope, views: Iterable[Any], as_of: dt.date) -> list[Any]:
    """The task views (jiuzhu.tasks.TaskView) the report covers, in the given order."""
    chosen = []
    for v in views:
        if v.meeting_date > as_of:
            continue
        if scope.meeting is not None:
            keep = v.meeting == scope.meeting
        elif scope.year is not None:
            keep = v.meeting_date.year == scope.year
        elif scope.start is not None or scope.end is not None:
            keep = (scope.start or dt.date.min) <= v.meeting_date <= (scope.end or dt.date.max)
        else:
            keep = v.meeting_date.year == as_of.year or v.report_status != DONE
        if keep and scope.unit is not None:
            keep = v.lead == scope.unit or scope.unit in v.responsible
        if keep:
            chosen.append(v)
    return chosen


def describe(reg: Registry, scope: Scope, as_of: dt.date, chosen: list[Any],
             meeting_title: str | None) -> dict[str, Any]:
    """How the document names what it covers: `what` ("2026年联席会议议定事项") for its sentences,
    `record` (kept with the issue number in system.yaml) and the `unit` a 督办 view addresses."""
    items = "议定事项" + ("和检查整改任务" if any(v.source == "inspection" for v in chosen) else "")
    if scope.meeting is not None:
        m = reg.meetings[scope.meeting]
        what = f"{cn_date(m.date)}{meeting_title or ''}议定事项"
    elif scope.year is not None:
        what = f"{scope.year}年联席会议{items}"
    elif scope.start is not None or scope.end is not None:
        span = (f"{cn_date(scope.start)}至{cn_date(scope.end)}" if scope.start and scope.end
                else f"{cn_date(scope.start)}以来" if scope.start else f"{cn_date(scope.end)}以前")
        what = f"{span}召开的联席会议议定事项" if items == "议定事项" else f"{span}的联席会议{items}"
    else:
        earlier = sum(v.meeting_date.year < as_of.year for v in chosen)
        what = f"{as_of.year}年联席会议{items}" + ("及以前年度未办结事项" if earlier else "")
    record = what if scope.unit is None else f"{what}（{reg.units[scope.unit].name_on(as_of)}）"
    return {"what": what, "record": record, "unit": scope.unit}
