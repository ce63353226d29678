"""Supervision (督办): every decision is a task until done.

Progress lives in `tasks/<year>/<decision-id>.yaml`, one file a decision, with an append-only
`log` and `reassignments`; the current state is derived from them, never stored twice. Deadlines
and the escalation ladder count working days on the official calendar (`jiuzhu.workdays`).
Writes take a file lock and re-read the file inside it, so concurrent updates never lose one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Container, Iterable, Iterator
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jiuzhu.errors import InputRefused
from jiuzhu.model import Decision, Level, LogEntry, Registry, Task
from jiuzhu.problems import Pos, Problem, error, nearest
from jiuzhu.queries import find_unit, lookup, unit_names
from jiuzhu.workdays import Calendar

if TYPE_CHECKING:
    from jiuzhu.checking import Context

NOT_STARTED, IN_PROGRESS, DONE, ONGOING = "未开始", "推进中", "已完成", "长期坚持"
STATUSES = (NOT_STARTED, IN_PROGRESS, DONE, ONGOING)
DUE_SOON, OVERDUE = "即将到期", "逾期未完成"
LOCK_TIMEOUT = 30.0


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
    meeting: str
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
    status = next((e.status for e in reversed(log) if e.status), None)
    percent = next((e.percent for e in reversed(log) if e.percent is not None), 0)
    if status is None:
        status = ONGOING if decision.ongoing else (IN_PROGRESS if log else NOT_STARTED)
    return status, percent


def level_for(ladder: Iterable[Level], signed_workdays: int) -> str | None:
    """The highest rung reached by `signed_workdays` relative to the due date (after: positive)."""
    reached = [lv for lv in ladder if signed_workdays >= lv.from_workdays]
    return max(reached, key=lambda lv: lv.from_workdays).level if reached else None


def task_views(reg: Registry, as_of: dt.date, calendar: Calendar | None = None,
               overdue_only: bool = False) -> list[TaskView]:
    """Every decision as a task on `as_of`, in meeting order (the progress report uses this);
    `overdue_only`: only those past their deadline and not done."""
    cal = calendar or Calendar.of(reg)
    ladder = reg.system.parameters.escalation if reg.system else ()
    soon = reg.system.parameters.due_soon_workdays if reg.system else 5
    views = []
    for m in reg.meetings.values():
        for d in m.decisions:
            if overdue_only and (d.ongoing or d.due is None or d.due >= as_of):
                continue
            task = reg.tasks.get(d.id)
            status, percent = state(d, task)
            open_ = status not in (DONE, ONGOING) and not d.ongoing and d.due is not None
            if overdue_only and not open_:
                continue
            lead, responsible = assignment(d, task)
            last = task.log[-1] if task and task.log else None
            days = max(0, (as_of - d.due).days) if open_ and d.due else 0
            left = cal.workdays_between(as_of, d.due) if open_ and d.due else None
            level = level_for(ladder, -left) if left is not None else None
            views.append(TaskView(
                id=d.id, text=d.text, meeting=m.id, meeting_date=m.date, lead=lead,
                lead_name=reg.units[lead].name if lead in reg.units else lead, responsible=responsible,
                due=None if d.ongoing else d.due, status=status, percent=percent,
                last_note=last.note if last else None, last_date=last.date if last else None,
                days_overdue=days, workdays_overdue=max(0, -left) if left is not None and days else 0,
                workdays_left=left, level=level,
                report_status=_report_status(status, d.ongoing, days, left, soon),
            ))
    return views


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
        raise _bad_status(status, "--status")
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
        "lead": v.lead, "lead_name": v.lead_name, "responsible": list(v.responsible),
        "responsible_names": [reg.units[u].name if u in reg.units else u for u in v.responsible],
        "due": v.due.isoformat() if v.due else None,
        "days_overdue": v.days_overdue, "workdays_overdue": v.workdays_overdue, "status": v.status,
        "percent": v.percent, "level": v.level, "report_status": v.report_status,
        "last_date": v.last_date.isoformat() if v.last_date else None, "last_note": v.last_note,
    }


def find_task(reg: Registry, ref: str) -> Decision:
    """A task by its decision id; refused with the nearest id."""
    return lookup(reg.decisions, ref, "任务", "jiuzhu tasks list")


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
    return f"tasks/{reg.meetings[d.meeting].date.year}/{d.id}.yaml"


@dataclass(frozen=True)
class Update:
    """A progress report as given on the command line."""

    task: str
    by: str
    note: str
    percent: int | None = None
    status: str | None = None
    date: dt.date | None = None
    reason: str | None = None


def update_task(root: Path, reg: Registry, upd: Update, as_of: dt.date) -> tuple[str, dict[str, Any]]:
    """Append one progress entry (checked against the file as it is inside the lock).
    Returns (file, entry)."""
    d = find_task(reg, upd.task)
    _progress_entry(reg, d, upd, as_of)  # refuse early, before touching anything
    return _append(reg, root, task_file(reg, d), d.id, "log",
                   lambda fresh: _progress_entry(fresh, find_task(fresh, d.id), upd, as_of))


def _progress_entry(reg: Registry, d: Decision, upd: Update, as_of: dt.date) -> dict[str, Any]:
    task = reg.tasks.get(d.id)
    meeting = reg.meetings[d.meeting]
    day = upd.date or as_of
    _check_day(day, meeting.date, as_of, d.id)
    unit = find_unit(reg, upd.by)
    lead, responsible = assignment(d, task, day)
    office = reg.system.office.unit if reg.system else ""
    if unit.id not in (lead, *responsible, office):
        raise InputRefused(f"{unit.name}不是任务“{d.id}”的牵头单位、责任单位，也不是联席会议办公室，不能报告它的进展",
                           f"牵头单位：{unit_names(reg, [lead])}；责任单位：{unit_names(reg, responsible) or '无'}。")
    if not upd.note.strip():
        raise InputRefused("--note 不能为空", "用一两句话写明本次进展。")
    if upd.status is not None and upd.status not in STATUSES:
        raise _bad_status(upd.status, "--status")
    if upd.percent is not None and not 0 <= upd.percent <= 100:
        raise InputRefused(f"--percent 的值 {upd.percent} 超出 0–100 的范围", "完成进度写成 0 到 100 之间的整数。")
    status, percent = state(d, task)
    reason = (upd.reason or "").strip() or None
    if status == DONE and not (upd.status == IN_PROGRESS and reason):
        raise InputRefused(f"任务“{d.id}”已完成，不能再报告进展",
                           "如需重新办理，加 --status 推进中 --reason 说明重新打开的原因。")
    if upd.status == ONGOING and not d.ongoing:
        raise InputRefused(f"任务“{d.id}”有完成时限（{d.due}），不能标记为长期坚持",
                           "只有会议议定为长期坚持的事项才用这个状态；时限需要调整请提交联席会议决定。")
    new_percent = upd.percent if upd.percent is not None else (100 if upd.status == DONE else None)
    if upd.status == DONE and new_percent != 100:
        raise InputRefused(f"标记为已完成时进度应为 100%，而不是 {new_percent}%",
                           "去掉 --percent，或写 --percent 100。")
    if new_percent is not None and new_percent < percent and not reason:
        raise InputRefused(f"进度从 {percent}% 降为 {new_percent}%，需要说明原因", "加 --reason 说明进度为什么下降。")
    entry: dict[str, Any] = {"date": day, "by": unit.id}
    if new_percent is not None:
        entry["percent"] = new_percent
    if upd.status is not None:
        entry["status"] = upd.status
    entry["note"] = upd.note.strip()
    if reason:
        entry["reason"] = reason
    _check_consistent(d, task, entry)
    return entry


def _check_consistent(d: Decision, task: Task | None, entry: dict[str, Any]) -> None:
    """Refuse an entry after which the task would read 未开始 with progress made (e.g.
    `--status 未开始` on a task at 50%, or a percent on a task last marked 未开始)."""

    new = LogEntry(entry["date"], entry["by"], entry["note"], entry.get("percent"), entry.get("status"))
    base = task or Task(d.id, (), (), "")
    status, percent = state(d, base._replace(log=(*base.log, new)))
    if status == NOT_STARTED and percent > 0:
        if entry.get("status") == NOT_STARTED:
            raise InputRefused(f"状态为未开始时进度应为 0%，而任务“{d.id}”的进度将是 {percent}%",
                               "已有进展的任务用 --status 推进中；"
                               "确需退回未开始，同时写 --percent 0 --reason 说明原因。")
        raise InputRefused(f"任务“{d.id}”的状态是未开始，不能只把进度改为 {percent}%",
                           "同时写 --status 推进中。")



@dataclass(frozen=True)
class Reassign:
    """A reassignment act as given on the command line."""

    task: str
    lead: str
    responsible: tuple[str, ...] | None  # None: keep those in force (less the new lead)
    reason: str
    decided_by: str
    date: dt.date | None = None


def reassign_task(root: Path, reg: Registry, act: Reassign, as_of: dt.date) -> tuple[str, dict[str, Any]]:
    """Record a change of lead/responsible units (allowed after the minutes are issued; the
    decision itself and earlier acts are never rewritten). Returns (file, entry)."""
    d = find_task(reg, act.task)
    _reassignment(reg, d, act, as_of)
    return _append(reg, root, task_file(reg, d), d.id, "reassignments",
                   lambda fresh: _reassignment(fresh, find_task(fresh, d.id), act, as_of))


def _reassignment(reg: Registry, d: Decision, act: Reassign, as_of: dt.date) -> dict[str, Any]:
    day = act.date or as_of
    _check_day(day, reg.meetings[d.meeting].date, as_of, d.id)
    lead = find_unit(reg, act.lead)
    if act.responsible is None:  # not given: the responsible units in force stay, the new lead leaves them
        current = assignment(d, reg.tasks.get(d.id))[1]
        responsible = [reg.units[r] for r in current if r != lead.id and r in reg.units]
    else:
        responsible = [find_unit(reg, r) for r in act.responsible]
    for u in (lead, *responsible):
        if not u.active:
            kept = act.responsible is None and u is not lead
            raise InputRefused(f"{u.name}已不是成员单位，不能承担任务",
                               "它是现有的责任单位：用 --responsible 重新写明责任单位。" if kept
                               else "用 jiuzhu units list 查看现有成员单位。")
    if lead in responsible:
        raise InputRefused(f"{lead.name}不能既是牵头单位又是责任单位", "从 --responsible 中去掉牵头单位。")
    ids = list(dict.fromkeys(u.id for u in responsible))
    if (lead.id, tuple(ids)) == assignment(d, reg.tasks.get(d.id)):
        raise InputRefused(f"任务“{d.id}”的牵头单位和责任单位已经是这样，无需调整", "检查 --lead 和 --responsible。")
    if not act.reason.strip() or not act.decided_by.strip():
        raise InputRefused("--reason 和 --decided-by 不能为空",
                           "写明调整原因和作出决定的会议或领导，例如 --decided-by 总召集人。")
    return {"date": day, "lead": lead.id, "responsible": ids, "reason": act.reason.strip(),
            "decided_by": act.decided_by.strip()}


def _check_day(day: dt.date, meeting_date: dt.date, as_of: dt.date, task_id: str) -> None:
    if day < meeting_date:
        raise InputRefused(f"日期 {day} 早于作出该事项的会议日期 {meeting_date}",
                           f"任务“{task_id}”从会议当天起才能记录。")
    if day > as_of:
        raise InputRefused(f"日期 {day} 晚于今天（{as_of}），不能预先记录",
                           "进展和调整只能记已经发生的事，去掉 --date 即为今天。")


def _reread(reg: Registry, path: Path, rel: str, task_id: str) -> Registry:
    """`reg` with the task file as it is on disk now (another process may have just appended)."""
    import copy

    from jiuzhu import schema
    from jiuzhu.errors import RegistryInvalid
    from jiuzhu.model import Index
    from jiuzhu.pieces import build_task
    from jiuzhu.yamlread import parse_file

    fresh = copy.copy(reg)
    fresh.tasks = Index(reg.tasks)
    fresh.tasks.pop(task_id, None)
    if path.exists():
        doc, problems = parse_file(path, rel)
        data, more = schema.check(doc, schema.TASK) if doc is not None else (None, [])
        errors = [p for p in (*problems, *more) if p.is_error]
        if errors or doc is None or not isinstance(data, dict):
            raise RegistryInvalid(errors)
        fresh.tasks[task_id] = build_task(doc, data)
    return fresh


def _append(reg: Registry, root: Path, rel: str, task_id: str, key: str,
            entry_for: Callable[[Registry], dict[str, Any]]) -> tuple[str, dict[str, Any]]:
    """Under the task's file lock: re-read the task file, re-check the entry against it (another
    process may have just appended), then append it to `key` through the writer."""
    from filelock import FileLock, Timeout

    from jiuzhu.writer import Transaction, new_document, to_commented

    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(path.parent / f".{path.stem}.lock"), timeout=LOCK_TIMEOUT)
    try:
        with lock:
            entry = entry_for(_reread(reg, path, rel, task_id))
            tx = Transaction(root)
            if path.exists():
                def change(data: Any) -> None:
                    if data.get(key):
                        data[key].append(to_commented(entry))
                    else:  # missing or an empty `[]`: start a block list
                        data[key] = to_commented([entry])
                tx.edit(rel, change)
            else:
                tx.create(rel, new_document({"task": task_id, key: [entry]},
                                            f"议定事项 {task_id} 的办理进展：只追加，不改写已有记录"))
            tx.commit()
    except Timeout:
        raise InputRefused(f"任务“{task_id}”正被另一个进程更新，{LOCK_TIMEOUT:.0f} 秒内未能取得文件锁",
                           "稍后重试；若没有别的更新在进行，删除 " + str(lock.lock_file) + "。") from None
    return rel, entry


def _bad_status(value: str, option: str) -> InputRefused:
    near = nearest(value, list(STATUSES))
    return InputRefused(f"{option} 的值“{value}”不是任务状态",
                        "可选：" + "、".join(STATUSES) + (f"；你是不是想写“{near}”？" if near else ""))


# --- validate checks -----------------------------------------------------------------------------

def check_task_files(reg: Registry, ctx: Context) -> Iterable[Problem]:
    from jiuzhu.checking import id_matches_file, unresolved

    # The task files are many: positions inside one (which load its document) are looked up only
    # for an entry that has a problem.
    office = reg.system.office.unit if reg.system else ""
    units = reg.units
    for task in reg.tasks.values():
        doc = reg.files[task.file]
        if doc.file.rsplit("/", 1)[-1].rsplit(".", 1)[0] != task.id:
            yield from id_matches_file(doc, task.id, "任务编号", key="task")
        d = reg.decisions.get(task.id)
        if d is None:
            yield unresolved(doc.at("task"), "议定事项", task.id, reg.decisions)
        log, met = task.log, None
        fine: Container[str] = units
        if log:
            met = reg.meetings[d.meeting].date if d is not None else None
            bys = set(map(_BY, log))
            if (_PERCENTS.issuperset(map(_PERCENT, log)) and (met is None or min(map(_DATE, log)) >= met)
                    and units.keys() >= bys and (d is None or not task.reassignments
                                                 and not bys.difference(d.responsible, (d.lead, office)))):
                log = ()  # the common case, judged for the whole log at once: every entry is fine
            else:  # who may report without any problem (with reassignments: ask `_entry_wrong`)
                fine = (units if d is None else () if task.reassignments
                        else {u for u in (d.lead, *d.responsible, office) if u in units})
        for e in log:
            p = e.percent
            if ((p is None or 0 <= p <= 100) and (met is None or e.date >= met)
                    and (e.by in fine or not _entry_wrong(reg, d, task, e, office))):
                continue
            bad_percent = p is not None and not 0 <= p <= 100
            early = met is not None and e.date < met
            i = entry_index(doc, "log", e.pos)
            yield from _check_entry(reg, d, task, e, office, doc.at("log", i, "by"))
            if bad_percent:
                yield error(doc.at("log", i, "percent"), "bad-percent", f"进度 {e.percent}% 超出 0–100 的范围",
                            "完成进度写成 0 到 100 之间的整数。")
            if early:
                yield error(doc.at("log", i, "date"), "task-before-meeting",
                            f"进展日期 {e.date} 早于作出该事项的会议日期 {met}",
                            "检查日期；事项在会议议定后才开始办理。")
        for r in task.reassignments:
            if r.lead in units and r.lead not in r.responsible and all(map(units.__contains__, r.responsible)):
                continue
            i = entry_index(doc, "reassignments", r.pos)
            for j, uid in enumerate((r.lead, *r.responsible)):
                if uid not in units:
                    where = (doc.at("reassignments", i, "lead") if j == 0
                             else doc.at("reassignments", i, "responsible", j - 1))
                    yield unresolved(where, "成员单位", uid, reg.units)
            if r.lead in r.responsible:
                yield error(doc.at("reassignments", i, "responsible"), "lead-in-responsible",
                            f"{unit_names(reg, [r.lead])}既是牵头单位又是责任单位", "从 responsible 中去掉牵头单位。")


_BY, _DATE, _PERCENT = attrgetter("by"), attrgetter("date"), attrgetter("percent")
_PERCENTS = frozenset([None, *range(101)])  # the percents without a problem


def entry_index(doc: Any, key: str, pos: Pos) -> int:
    """The index in the file's `key` list of the entry at `pos` (a list entry the loader skipped,
    being incomplete, shifts the model's indexes but not the file's)."""
    raw = doc.data.get(key) if isinstance(doc.data, dict) else None
    return next((j for j in range(len(raw) if isinstance(raw, list) else 0) if doc.at(key, j) == pos), 0)


def _entry_wrong(reg: Registry, d: Decision | None, task: Task, e: LogEntry, office: str) -> bool:
    """Whether `_check_entry` has a problem to report (without needing the entry's position)."""
    if e.by not in reg.units:
        return True
    if d is None or e.by == office:
        return False
    lead, responsible = assignment(d, task, e.date)
    return e.by != lead and e.by not in responsible


def _check_entry(reg: Registry, d: Decision | None, task: Task, e: LogEntry, office: str,
                 pos: Pos) -> Iterator[Problem]:
    from jiuzhu.checking import unresolved

    if e.by not in reg.units:
        yield unresolved(pos, "成员单位", e.by, reg.units)
        return
    if d is None:
        return
    lead, responsible = assignment(d, task, e.date)
    if e.by not in (lead, *responsible, office):
        yield error(pos, "task-not-assigned",
                    f"{unit_names(reg, [e.by])}在 {e.date} 既不是该事项的牵头单位、责任单位，也不是联席会议办公室",
                    "进展由牵头单位、责任单位或办公室报告；需要换单位请先用 jiuzhu tasks reassign 调整。")


CHECKS = [check_task_files]
