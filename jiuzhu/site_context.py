"""What each page of the static site shows (jiuzhu.site writes them): plain dicts and lists for the
templates in templates/site/, built from the registry as of the site's date (jiuzhu.snapshot).

Numbers come from the same task views as `tasks list` and the 通报 (jiuzhu.tasks); charts are
geometry computed here and drawn as inline SVG by the templates, so the pages need no script to
show them and a test can count the bars.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from jiuzhu import snapshot
from jiuzhu.meetings import kind_name
from jiuzhu.model import Meeting, Registry
from jiuzhu.queries import KIND_NAMES as UNIT_KINDS
from jiuzhu.queries import duty_matrix, duty_rows, member_on
from jiuzhu.render_context import meeting_context, source_label
from jiuzhu.tasks import DONE, DUE_SOON, IN_PROGRESS, ONGOING, OVERDUE, TaskView, task_views
from jiuzhu.workdays import Calendar

STATUS_ORDER = (OVERDUE, DUE_SOON, IN_PROGRESS, ONGOING, DONE)
STATUS_CLASS = {OVERDUE: "overdue", DUE_SOON: "soon", IN_PROGRESS: "progress", ONGOING: "ongoing", DONE: "done"}
SOURCE_NAMES = {"meeting": "会议议定", "inspection": "检查整改"}
TREND_MONTHS = 12
BAR_WIDTH = 420  # px of the longest bar in the overdue chart


def unit_name(reg: Registry, uid: str, day: dt.date) -> str:
    return reg.units[uid].name_on(day) if uid in reg.units else uid


def task_rows(reg: Registry, views: list[TaskView], day: dt.date) -> list[dict[str, Any]]:
    """One row a task for the tables: what is shown, and what filtering and sorting read."""
    rows = []
    for v in views:
        rows.append({
            "id": v.id, "text": v.text, "source": v.source, "source_name": SOURCE_NAMES.get(v.source, v.source),
            "from": source_label(reg, v), "meeting": v.meeting if v.source == "meeting" else None,
            "made": v.meeting_date, "lead": v.lead, "lead_name": v.lead_name,
            "responsible": "、".join(unit_name(reg, u, day) for u in v.responsible),
            "units": " ".join((v.lead, *v.responsible)), "due": v.due, "status": v.report_status,
            "status_class": STATUS_CLASS.get(v.report_status, ""), "percent": v.percent,
            "days_overdue": v.days_overdue, "last_date": v.last_date, "last_note": v.last_note or "",
        })
    return rows


def _overdue_bars(reg: Registry, views: list[TaskView], day: dt.date) -> list[dict[str, Any]]:
    counts = Counter(v.lead for v in views if v.report_status == OVERDUE)
    order = {u: i for i, u in enumerate(reg.units)}
    most = max(counts.values(), default=1)
    return [{"unit": u, "name": unit_name(reg, u, day), "count": n, "width": max(2, round(n / most * BAR_WIDTH))}
            for u, n in sorted(counts.items(), key=lambda kv: (-kv[1], order.get(kv[0], len(order)), kv[0]))]


def _month_ends(first: dt.date, last: dt.date) -> list[dt.date]:
    """The last day of each month from `first`'s to `last`'s (`last` itself closes its month)."""
    ends = []
    year, month = first.year, first.month
    while (year, month) < (last.year, last.month):
        nxt = dt.date(year + month // 12, month % 12 + 1, 1)
        ends.append(nxt - dt.timedelta(days=1))
        year, month = nxt.year, nxt.month
    return [*ends, last]


def completion_trend(reg: Registry, day: dt.date, calendar: Calendar) -> list[dict[str, Any]]:
    """The share of tasks with a deadline that were done, at the end of each of the last twelve
    months (the registry as it stood then), for the line chart."""
    dates = [m.date for m in reg.meetings.values() if m.date <= day]
    dates += [i.date for i in reg.inspections.values() if i.date <= day]
    if not dates:
        return []
    back = day.year * 12 + day.month - TREND_MONTHS  # the month TREND_MONTHS - 1 before the day's
    start = max(min(dates).replace(day=1), dt.date(back // 12, back % 12 + 1, 1))
    points: list[dict[str, Any]] = []
    for end in _month_ends(start, day):
        views = [v for v in task_views(snapshot.on(reg, end), end, calendar) if v.status != ONGOING]
        if views:
            done = sum(1 for v in views if v.status == DONE)
            points.append({"date": end, "label": f"{end.year}年{end.month}月", "done": done, "total": len(views),
                           "rate": round(done * 100 / len(views))})
    width = 560
    step = width / max(len(points) - 1, 1)
    for i, p in enumerate(points):
        p["x"], p["y"] = round(40 + i * step), round(20 + (100 - p["rate"]) * 1.6)
    return points


def _meeting_row(reg: Registry, m: Meeting) -> dict[str, Any]:
    kind = kind_name(reg.system, m.kind)
    return {"id": m.id, "date": m.date, "time": m.time, "place": m.place, "kind": kind,
            "title": m.title or f"{kind}（{m.date.isoformat()}）",
            "decisions": len(m.decisions), "minutes": m.minutes}


def overview(reg: Registry, full: Registry, views: list[TaskView], day: dt.date, calendar: Calendar) -> dict[str, Any]:
    counts = Counter(v.report_status for v in views)
    held = sorted(reg.meetings.values(), key=lambda m: (m.date, m.id))
    upcoming = sorted((m for m in full.meetings.values() if m.date > day), key=lambda m: (m.date, m.id))
    return {
        "statuses": [{"name": s, "count": counts.get(s, 0), "class": STATUS_CLASS[s]} for s in STATUS_ORDER],
        "total": len(views), "bars": _overdue_bars(reg, views, day), "bar_width": BAR_WIDTH,
        "trend": completion_trend(reg, day, calendar),
        "upcoming": [_meeting_row(full, m) for m in upcoming[:5]],
        "recent": [_meeting_row(reg, m) for m in reversed(held[-5:])],
    }


def meetings(reg: Registry, full: Registry, day: dt.date) -> list[dict[str, Any]]:
    """Held meetings (as of the day) and scheduled ones, newest first."""
    rows = [{**_meeting_row(reg, m), "held": True} for m in reg.meetings.values()]
    rows += [{**_meeting_row(full, m), "held": False} for m in full.meetings.values() if m.date > day]
    return sorted(rows, key=lambda r: (r["date"], r["id"]), reverse=True)


def meeting_page(reg: Registry, m: Meeting, views: dict[str, TaskView], day: dt.date) -> dict[str, Any]:
    ctx = meeting_context(reg, m)
    attended = {a["unit"] for a in ctx["attended"] if a.get("unit")} if m.date <= day else set()
    excused = {a["unit"] for a in ctx["excused"] if a.get("unit")}
    ctx["absent"] = [u for u in ctx["expected"] if u not in attended and u not in excused] if m.attended else []
    ctx["held"] = m.date <= day
    ctx["tasks"] = task_rows(reg, [views[d.id] for d in m.decisions if d.id in views], day)
    ctx["minutes"] = m.minutes
    return ctx


def units(reg: Registry, views: list[TaskView], day: dt.date) -> list[dict[str, Any]]:
    led, involved, late = Counter(), Counter(), Counter()  # type: ignore[var-annotated]
    for v in views:
        led[v.lead] += 1
        for u in {v.lead, *v.responsible}:
            involved[u] += 1
        if v.report_status == OVERDUE:
            late[v.lead] += 1
    office = reg.system.office.unit if reg.system else None
    return [{"id": u.id, "name": u.name_on(day), "kind": UNIT_KINDS.get(u.kind, u.kind), "office": u.id == office,
             "liaison": u.liaison.name or "", "duties": len(u.duties), "led": led[u.id], "involved": involved[u.id],
             "overdue": late[u.id]}
            for u in reg.units.values() if member_on(u, day)]


def unit_page(reg: Registry, uid: str, views: list[TaskView], day: dt.date) -> dict[str, Any]:
    u = reg.units[uid]
    mine = [v for v in views if v.lead == uid or uid in v.responsible]
    return {"id": u.id, "name": u.name_on(day), "kind": UNIT_KINDS.get(u.kind, u.kind), "aliases": list(u.aliases),
            "liaison": {"name": u.liaison.name, "post": u.liaison.post, "phone": u.liaison.phone},
            "duties": duty_rows(reg, u), "tasks": task_rows(reg, mine, day),
            "overdue": sum(1 for v in mine if v.report_status == OVERDUE)}


def matrix(reg: Registry, day: dt.date) -> list[dict[str, Any]]:
    rows = duty_matrix(reg)
    for r in rows:
        for role in ("lead", "support", "info"):
            r[role] = [{"id": u, "name": unit_name(reg, u, day)} for u in r[role]]
        r["designated"] = unit_name(reg, r["designated_lead"], day) if r["designated_lead"] else ""
    return rows


def search_index(reg: Registry, views: list[TaskView], day: dt.date) -> list[dict[str, str]]:
    """What the search page looks through: units (with aliases), duties and decisions."""
    entries = []
    for u in reg.units.values():
        if member_on(u, day):
            entries.append({"kind": "成员单位", "title": u.name_on(day), "text": " ".join(u.aliases),
                            "href": f"unit-{u.id}.html"})
            entries += [{"kind": "职责", "title": u.name_on(day), "text": d.text, "href": f"unit-{u.id}.html#{d.id}"}
                        for d in u.duties]
    for v in views:
        href = f"meeting-{v.meeting}.html#{v.id}" if v.source == "meeting" else f"tasks.html#{v.id}"
        entries.append({"kind": SOURCE_NAMES.get(v.source, v.source), "title": f"{v.lead_name}牵头",
                        "text": v.text, "href": href})
    return entries
