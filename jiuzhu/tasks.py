"""Supervision (督办): every decision is a task until done.

Progress lives in `tasks/<year>/<decision-id>.yaml`, one file a decision, with an append-only
`log` and `reassignments`; the current state is derived from them, never stored twice. Deadlines
and the escalation ladder count working days on the official calendar (`jiuzhu.workdays`).
Writes take a file lock and re-read the file inside it, so concurrent updates never lose one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from jiuzhu.errors import InputRefused
from jiuzhu.model import Decision, Level, Meeting, Registry, Task
from jiuzhu.problems import nearest
from jiuzhu.queries import find_task, find_unit, unit_names
from jiuzhu.workdays import Calendar

NOT_STARTED, IN_PROGRESS, DONE, ONGOING = "未开始", "推进中", "已完成", "长期坚持"
STATUSES = (NOT_STARTED, IN_PROGRESS, DONE, ONGOING)
DUE_SOON, OVERDUE = "即将到期", "逾期未完成"


@dataclass(frozen=True)
class TaskView:
    """One decision as the office supervises it on `as_of`.

    lead/responsible are those in force (the last reassignment, else the decision's). status and
    percent come from the last log entry that set them. days_overdue / workdays_overdue are 0
    unless the task is overdue (a date-only deadline ends with its day, Asia/Shanghai).
    workdays_left is signed (negative once overdue; None without a deadline). level is the highest
    rung of the escalation ladder reached; report_status is the status printed in documents.
    """

    id: str
    text: str
    meeting: str  # the id of the meeting or inspection the task comes from
    meeting_date: dt.date
    lead: str
    lead_name: str
    responsible: tuple[str, ...]
    due: dt.date | None
    status: str
    percent: int
    last_note: str | None
    last_date: dt.date | None
    days_overdue: int
    workdays_overdue: int
    workdays_left: int | None
    level: str | None
    report_status: str
    source: str = "meeting"  # meeting | inspection
    notices: int = 0  # supervision notices sent about it so far


@dataclass(frozen=True)
class Listing:
    """Task views for a command, with the calendar warnings met while counting."""

    views: list[TaskView]
    warnings: tuple[str, ...] = ()


# --- derived state ------------------------------------------------------------------------------

def assignment(decision: Decision, task: Task | None, on: dt.date | None = None) -> tuple[str, tuple[str, ...]]:
    """(lead, responsible) in force: the last reassignment (dated on or before `on`, if given),
    else the decision's own."""
    lead, responsible = decision.lead, decision.responsible
    for r in task.reassignments if task else ():
        if on is None or r.date <= on:
            lead, responsible = r.lead, r.responsible
    return lead, responsible


def state(decision: Decision, task: Task | None) -> tuple[str, int]:
    """(status, percent) from the log: the last entry that set each; 未开始 / 0 without a log."""
    log = task.log if task else ()
    status, percent = None, None
    for e in reversed(log):  # one pass from the end, stopping once both are known
        if status is None and e.status:
            status = e.status
        if percent is None:
            percent = e.percent
        if status is not None and percent is not None:
            break
    if status is None:
        status = ONGOING if decision.ongoing else (IN_PROGRESS if log else NOT_STARTED)
    return status, percent or 0


def level_for(ladder: Iterable[Level], signed_workdays: int | None, notices: int = 0) -> str | None:
    """The highest rung (in the ladder's order, lightest first) reached by `signed_workdays`
    relative to the due date (after: positive; None without a deadline) or by the number of
    supervision notices already sent about the open task."""
    found = None
    for lv in ladder:
        if ((signed_workdays is not None and signed_workdays >= lv.from_workdays)
                or (lv.after_notices is not None and notices >= lv.after_notices)):
            found = lv.level
    return found


def sources(reg: Registry) -> list[Any]:
    """Meetings and inspections, the two sources of tasks, by date (meetings first on a day)."""
    if not reg.inspections:
        return list(reg.meetings.values())
    return sorted([*reg.meetings.values(), *reg.inspections.values()], key=lambda s: s.date)


def notices_sent(reg: Registry, as_of: dt.date) -> dict[str, tuple[dt.date, ...]]:
    """The dates of the supervision notices sent about each task on or before `as_of`."""
    sent: dict[str, tuple[dt.date, ...]] = {}
    for n in reg.notices.values():
        if n.date <= as_of:
            for t in n.tasks:
                sent[t] = (*sent.get(t, ()), n.date)
    return sent


def task_views(reg: Registry, as_of: dt.date, calendar: Calendar | None = None,
               overdue_only: bool = False) -> list[TaskView]:
    """Every decision as a task on `as_of`, in meeting order (the progress report uses this);
    `overdue_only`: only those past their deadline and not done."""
    cal = calendar or Calendar.of(reg)
    sent = notices_sent(reg, as_of) if reg.notices else {}
    views = []
    for m in sources(reg):
        for d in m.decisions if isinstance(m, Meeting) else m.findings:
            if overdue_only and (d.ongoing or d.due is None or d.due >= as_of):
                continue
            task = reg.tasks.get(d.id)
            status, percent = state(d, task)
            if overdue_only and status in (DONE, ONGOING):
                continue
            views.append(_view(reg, d, task, status, percent, as_of, cal, sent.get(d.id, ())))
    return views


def _view(reg: Registry, d: Decision, task: Task | None, status: str, percent: int, as_of: dt.date,
          cal: Calendar, notices: tuple[dt.date, ...] = ()) -> TaskView:
    params = reg.system.parameters if reg.system else None
    lead, responsible = assignment(d, task)
    last_note, last_date = (task.log[-1].note, task.log[-1].date) if task and task.log else (None, None)
    days, left, level = _lateness(d, status, as_of, cal, params.escalation if params else (), notices)
    return TaskView(
        id=d.id, text=d.text, meeting=d.meeting, meeting_date=d.made or as_of, lead=lead,
        lead_name=reg.units[lead].name if lead in reg.units else lead, responsible=responsible,
        due=None if d.ongoing else d.due, status=status, percent=percent,
        last_note=last_note, last_date=last_date,
        days_overdue=days, workdays_overdue=max(0, -left) if left is not None and days else 0,
        workdays_left=left, level=level,
        report_status=_report_status(status, d.ongoing, days, left, params.due_soon_workdays if params else 5),
        source=d.source, notices=len(notices),
    )


def _lateness(d: Decision, status: str, as_of: dt.date, cal: Calendar, ladder: Iterable[Level],
              notices: tuple[dt.date, ...]) -> tuple[int, int | None, str | None]:
    """(calendar days overdue, signed working days left, escalation level) of an open task. The
    notices that count toward the level are those sent after the deadline (a reminder before it
    does not make the task later)."""
    if status in (DONE, ONGOING) or d.ongoing or not d.due:
        return 0, None, None
    days = max(0, (as_of - d.due).days)
    left = cal.workdays_between(as_of, d.due)
    after_due = sum(1 for day in notices if day > d.due)
    return days, left, level_for(ladder, -left, after_due)


def _report_status(status: str, ongoing: bool, days: int, left: int | None, soon: int) -> str:
    if status == DONE:
        return DONE
    if status == ONGOING or ongoing:
        return ONGOING
    if left is None:
        return IN_PROGRESS
    if days > 0:
        return OVERDUE
    return DUE_SOON if left <= soon else IN_PROGRESS


# --- queries for the commands ---------------------------------------------------------------------

def list_tasks(reg: Registry, as_of: dt.date, unit: str | None = None, status: str | None = None) -> Listing:
    if status is not None and status not in STATUSES:
        raise bad_status(status, "--status")
    cal = Calendar.of(reg)
    views = [v for v in _for_unit(reg, task_views(reg, as_of, cal), unit) if status is None or v.status == status]
    return Listing(views, cal.warnings)


def overdue_tasks(reg: Registry, as_of: dt.date, unit: str | None = None) -> Listing:
    """Overdue tasks grouped by lead unit (the group with the most overdue task first), most
    overdue first inside each group."""
    cal = Calendar.of(reg)
    views = [v for v in _for_unit(reg, task_views(reg, as_of, cal, overdue_only=True), unit) if v.days_overdue > 0]
    order = {u: i for i, u in enumerate(reg.units)}
    worst: dict[str, int] = {}
    for v in views:
        worst[v.lead] = max(worst.get(v.lead, 0), v.days_overdue)
    views.sort(key=lambda v: (-worst[v.lead], order.get(v.lead, len(order)), v.lead, -v.days_overdue, v.id))
    return Listing(views, cal.warnings)


def due_soon_tasks(reg: Registry, as_of: dt.date, within: int | None = None, unit: str | None = None) -> Listing:
    """Open tasks due within `within` working days from `as_of` (due today included)."""
    n = within if within is not None else (reg.system.parameters.due_soon_workdays if reg.system else 5)
    if n < 0:
        raise InputRefused(f"--within 的值 {n} 不能为负数", "写成要提前提醒的工作日数，例如 --within 5。")
    cal = Calendar.of(reg)
    views = [v for v in _for_unit(reg, task_views(reg, as_of, cal), unit)
             if v.workdays_left is not None and v.days_overdue == 0 and v.workdays_left <= n]
    views.sort(key=lambda v: (v.due or as_of, v.id))
    return Listing(views, cal.warnings)


def _for_unit(reg: Registry, views: list[TaskView], unit: str | None) -> Iterator[TaskView]:
    uid = find_unit(reg, unit).id if unit else None
    return (v for v in views if uid is None or uid == v.lead or uid in v.responsible)


def view_row(reg: Registry, v: TaskView) -> dict[str, Any]:
    """The JSON porcelain of one task (keys fixed in DESIGN.md, plus names and report fields)."""
    return {
        "id": v.id, "text": v.text, "meeting": v.meeting, "meeting_date": v.meeting_date.isoformat(),
        "source": v.source, "notices": v.notices,
        "lead": v.lead, "lead_name": v.lead_name, "responsible": list(v.responsible),
        "responsible_names": [reg.units[u].name if u in reg.units else u for u in v.responsible],
        "due": v.due.isoformat() if v.due else None,
        "days_overdue": v.days_overdue, "workdays_overdue": v.workdays_overdue, "status": v.status,
        "percent": v.percent, "level": v.level, "report_status": v.report_status,
        "last_date": v.last_date.isoformat() if v.last_date else None, "last_note": v.last_note,
    }


def task_detail(reg: Registry, ref: str, as_of: dt.date) -> dict[str, Any]:
    """One task with its whole progress log and reassignment history (for `tasks show`)."""
    d = find_task(reg, ref)
    view = next(v for v in task_views(reg, as_of) if v.id == d.id)
    task = reg.tasks.get(d.id)
    return {
        **view_row(reg, view),
        "original_lead": d.lead, "original_responsible": list(d.responsible),
        "file": task.file if task else task_file(reg, d),
        "log": [{"date": e.date.isoformat(), "by": e.by, "by_name": unit_names(reg, [e.by]), "percent": e.percent,
                 "status": e.status, "note": e.note, "reason": e.reason} for e in (task.log if task else ())],
        "reassignments": [{"date": r.date.isoformat(), "lead": r.lead, "responsible": list(r.responsible),
                           "reason": r.reason, "decided_by": r.decided_by}
                          for r in (task.reassignments if task else ())],
    }


# --- writing: updates and reassignments -----------------------------------------------------------

def task_file(reg: Registry, d: Decision) -> str:
    """Where the progress file of decision `d` lives (relative to the registry)."""
    if d.id in reg.tasks:
        return reg.tasks[d.id].file
    assert d.made is not None  # set for every loaded decision and finding
    return f"tasks/{d.made.year}/{d.id}.yaml"


def bad_status(value: str, option: str) -> InputRefused:
    near = nearest(value, list(STATUSES))
    return InputRefused(f"{option} 的值“{value}”不是任务状态",
                        "可选：" + "、".join(STATUSES) + (f"；你是不是想写“{near}”？" if near else ""))


# --- validate checks -----------------------------------------------------------------------------




