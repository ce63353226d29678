"""Meetings and task deadlines as iCalendar (RFC 5545) through the icalendar library, for the
calendars on leaders' and liaison officers' phones.

Each event's UID is built from the registry's name and the record's id, never from the export: a
calendar that imports the file again updates its events instead of adding copies. A meeting with a
time is a two-hour event in Asia/Shanghai (the time zone is written into the file); without a time it
is an all-day event. A task's deadline is an all-day event on its due date, open tasks only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any
from zoneinfo import ZoneInfo

from jiuzhu.meetings import kind_name
from jiuzhu.model import Meeting, Registry
from jiuzhu.queries import find_unit, unit_names
from jiuzhu.tasks import DONE, ONGOING, TaskView, task_views

SHANGHAI = ZoneInfo("Asia/Shanghai")
MEETING_HOURS = 2


def uid(reg: Registry, kind: str, ident: str) -> str:
    """A UID stable across exports and distinct between registries (two counties' meetings may
    share an id such as m-20260922-regular-a1b2)."""
    name = reg.system.name if reg.system else reg.root
    scope = hashlib.sha256(name.encode("utf-8")).hexdigest()[:12]
    return f"{kind}-{ident}@{scope}.jiuzhu"


def export(reg: Registry, as_of: dt.date, unit: str | None = None, stamp: dt.datetime | None = None) -> bytes:
    """The .ics bytes: every meeting (with `unit`: those it is expected at) and the deadline of every
    open task (with `unit`: those it leads or shares) on `as_of`."""
    import icalendar

    uid_unit = find_unit(reg, unit).id if unit is not None else None
    stamp = stamp or dt.datetime.now(dt.UTC).replace(microsecond=0)
    cal = icalendar.Calendar()
    cal.add("prodid", "-//jiuzhu//社会救助工作联席会议//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    title = reg.system.name if reg.system else "联席会议"
    cal.add("x-wr-calname", title + (f"（{reg.units[uid_unit].name}）" if uid_unit else ""))
    cal.add("x-wr-timezone", "Asia/Shanghai")
    for m in reg.meetings.values():
        if uid_unit is None or uid_unit in m.expected:
            cal.add_component(_meeting(reg, m, stamp))
    for v in task_views(reg, as_of):
        if v.due is None or v.status in (DONE, ONGOING):
            continue
        if uid_unit is None or uid_unit == v.lead or uid_unit in v.responsible:
            cal.add_component(_deadline(reg, v, stamp))
    cal.add_missing_timezones()
    return bytes(cal.to_ical())


def _meeting(reg: Registry, m: Meeting, stamp: dt.datetime) -> Any:
    import icalendar

    ev = icalendar.Event()
    ev.add("uid", uid(reg, "meeting", m.id))
    ev.add("dtstamp", stamp)
    ev.add("summary", m.title or f"{kind_name(reg.system, m.kind)}（{m.date}）")
    if m.time:
        hour, minute = (int(x) for x in m.time.split(":"))
        start = dt.datetime.combine(m.date, dt.time(hour, minute), SHANGHAI)
        ev.add("dtstart", start)
        ev.add("dtend", start + dt.timedelta(hours=MEETING_HOURS))
    else:
        ev.add("dtstart", m.date)
        ev.add("dtend", m.date + dt.timedelta(days=1))
    if m.place:
        ev.add("location", m.place)
    agenda = [reg.proposals[p].title if p in reg.proposals else p for p in m.agenda]
    lines = [f"{kind_name(reg.system, m.kind)}，会议编号 {m.id}"]
    if agenda:
        lines += ["议程："] + [f"{i}. {t}" for i, t in enumerate(agenda, 1)]
    ev.add("description", "\n".join(lines))
    ev.add("categories", ["联席会议"])
    return ev


def _deadline(reg: Registry, v: TaskView, stamp: dt.datetime) -> Any:
    import icalendar

    assert v.due is not None
    ev = icalendar.Event()
    ev.add("uid", uid(reg, "task", v.id))
    ev.add("dtstamp", stamp)
    ev.add("summary", f"【完成时限】{v.text if len(v.text) <= 30 else v.text[:30] + '…'}")
    ev.add("dtstart", v.due)
    ev.add("dtend", v.due + dt.timedelta(days=1))
    ev.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy
    lines = [v.text, f"任务编号：{v.id}", f"牵头单位：{v.lead_name}"]
    if v.responsible:
        lines.append(f"责任单位：{unit_names(reg, v.responsible)}")
    lines.append(f"状态：{v.status}，进度 {v.percent}%")
    ev.add("description", "\n".join(lines))
    ev.add("categories", ["督办任务"])
    return ev
