"""Supervision notices (督办通知单) as records: `notices/<year>/<id>.yaml`, one a notice sent.

A notice goes to one unit about its overdue and due-soon tasks, at a level of the registry's
escalation ladder (催办/督办/通报/约谈, or another county's 蓝色提醒/黄色预警/红色通报), with a reply
deadline in working days from that rung. The unit's reply is a progress entry whose `reply_to`
names the notice (`tasks update --reply-to`); a notice is answered when every task in it has one.
Notices sent count toward a task's level (`jiuzhu.tasks.level_for`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jiuzhu.checking import Context, id_matches_file, unresolved
from jiuzhu.errors import InputRefused
from jiuzhu.model import Level, Notice, Registry, Unit
from jiuzhu.problems import Problem, error, nearest
from jiuzhu.queries import find_unit
from jiuzhu.records import draw_id, new_file, token
from jiuzhu.tasks import TaskView, overdue_tasks, task_views
from jiuzhu.workdays import Calendar
from jiuzhu.writer import Transaction

DEFAULT_REPLY_WORKDAYS = 5  # a rung without reply_workdays (docs/supervision.md)
OPEN, ANSWERED, LATE, ANSWERED_LATE = "待回复", "已回复", "逾期未回复", "逾期回复"


def ladder(reg: Registry) -> tuple[Level, ...]:
    return reg.system.parameters.escalation if reg.system else ()


def _no_ladder() -> InputRefused:
    return InputRefused("system.yaml 没有督办升级阶梯（parameters.escalation）",
                        "先在 system.yaml 写明各级名称和条件，例如 - {level: 督办, from_workdays: 1}。")


def rung(reg: Registry, level: str) -> Level:
    for lv in ladder(reg):
        if lv.level == level:
            return lv
    names = [lv.level for lv in ladder(reg)]
    if not names:
        raise _no_ladder()
    near = nearest(level, names)
    raise InputRefused(f"督办等级“{level}”不在升级阶梯中",
                       "可选：" + "、".join(names) + (f"；你是不是想写“{near}”？" if near else "。"))


@dataclass(frozen=True)
class Draft:
    """A notice before it is sent: its unit, tasks, level and reply deadline."""

    unit: Unit
    date: dt.date
    level: str
    reply_due: dt.date
    overdue: list[TaskView]
    due_soon: list[TaskView]
    number: int  # how many notices this unit had before (this is the n+1th)

    @property
    def tasks(self) -> list[TaskView]:
        return [*self.overdue, *self.due_soon]


def draft(reg: Registry, unit_ref: str, day: dt.date, level: str | None = None,
          views: list[TaskView] | None = None) -> Draft:
    """The notice one unit would get on `day`: its open tasks (as lead) that are overdue or due
    soon; the level is the highest its tasks reached unless `level` is given. `views`: the tasks on
    `day` when the caller already has them (one notice a unit, `--all`)."""
    unit = find_unit(reg, unit_ref)
    overdue, due_soon = _tasks_of(reg, unit, day, task_views(reg, day) if views is None else views)
    if not overdue and not due_soon:
        raise InputRefused(f"{unit.name}截至 {day} 没有逾期或即将到期的任务，不需要督办",
                           "用 jiuzhu tasks list --unit 查看它的任务。")
    lv = rung(reg, level or _highest(reg, [v.level for v in overdue + due_soon if v.level]))
    counted = Calendar.of(reg).add_workdays(day, lv.reply_workdays or DEFAULT_REPLY_WORKDAYS)
    before = sum(1 for n in reg.notices.values() if n.unit == unit.id and n.date <= day)
    return Draft(unit, day, lv.level, counted.date, overdue, due_soon, before)


def _tasks_of(reg: Registry, unit: Unit, day: dt.date, views: list[TaskView]) -> tuple[list[TaskView], list[TaskView]]:
    """(overdue, due soon) open tasks `unit` leads on `day`."""
    soon = reg.system.parameters.due_soon_workdays if reg.system else 5
    mine = [v for v in views if v.lead == unit.id]
    overdue = sorted((v for v in mine if v.days_overdue > 0), key=lambda v: (-v.days_overdue, v.id))
    due_soon = sorted((v for v in mine if v.days_overdue == 0 and v.workdays_left is not None
                       and v.workdays_left <= soon), key=lambda v: (v.due or day, v.id))
    return overdue, due_soon


def _highest(reg: Registry, reached: list[str]) -> str:
    """The heaviest level among `reached` (the ladder's first without any)."""
    names = [lv.level for lv in ladder(reg)]
    if not names:
        raise _no_ladder()
    known = [r for r in reached if r in names]
    return max(known, key=names.index) if known else names[0]


def units_to_notify(reg: Registry, day: dt.date) -> list[str]:
    """Units leading overdue tasks on `day`, most overdue first (`supervise notice --all`)."""
    return list(dict.fromkeys(v.lead for v in overdue_tasks(reg, day).views))


def all_drafts(reg: Registry, day: dt.date, level: str | None = None) -> list[Draft]:
    """The notice of every unit leading overdue tasks on `day` (the tasks counted once)."""
    views = task_views(reg, day)
    return [draft(reg, u, day, level, views) for u in units_to_notify(reg, day)]


def new_id(reg: Registry, d: Draft, taken: set[str | None] | None = None,
           draw: Callable[[], str] = token) -> str:
    """A fresh notice id: `dn-<date>-<unit>-xxxx` (not in the registry, on disk or in `taken`)."""
    root = Path(reg.root)
    return draw_id(f"dn-{d.date:%Y%m%d}-{d.unit.id}", lambda i: i in reg.notices or i in (taken or ())
                   or (root / f"notices/{d.date.year}/{i}.yaml").exists(), draw)


def stage(reg: Registry, d: Draft, ident: str, tx: Transaction | None = None) -> Transaction:
    """Stage the record of a notice sent: `notices/<year>/<id>.yaml`."""
    tx = tx or Transaction(Path(reg.root))
    data = {"id": ident, "unit": d.unit.id, "date": d.date, "level": d.level, "tasks": [v.id for v in d.tasks],
            "reply_due": d.reply_due}
    tx.create(f"notices/{d.date.year}/{ident}.yaml", new_file(data, f"{d.level}通知单：{d.unit.name}"))
    return tx


def stage_all(reg: Registry, drafts: list[tuple[Draft, str | None]]) -> Transaction:
    tx = Transaction(Path(reg.root))
    for d, ident in drafts:
        assert ident is not None
        stage(reg, d, ident, tx)
    return tx


# --- replies and the list of notices --------------------------------------------------------------

def replies(reg: Registry, n: Notice) -> dict[str, dt.date]:
    """Task id -> the date of its first reply to notice `n`."""
    out: dict[str, dt.date] = {}
    for t in n.tasks:
        task = reg.tasks.get(t)
        for e in task.log if task else ():
            if e.reply_to == n.id:
                out[t] = e.date
                break
    return out


def status(reg: Registry, n: Notice, as_of: dt.date) -> tuple[str, dict[str, dt.date]]:
    got = {t: day for t, day in replies(reg, n).items() if day <= as_of}
    if len(got) == len(n.tasks):
        return (ANSWERED_LATE if max(got.values()) > n.reply_due else ANSWERED), got
    return (LATE if as_of > n.reply_due else OPEN), got


def notice_rows(reg: Registry, as_of: dt.date, open_only: bool = False) -> list[dict[str, Any]]:
    rows = []
    for n in reg.notices.values():
        if n.date > as_of:
            continue
        st, got = status(reg, n, as_of)
        if open_only and st in (ANSWERED, ANSWERED_LATE):
            continue
        unit = reg.units.get(n.unit)
        rows.append({"id": n.id, "unit": n.unit, "unit_name": unit.name if unit else n.unit,
                     "date": n.date.isoformat(), "level": n.level, "tasks": list(n.tasks),
                     "replied": sorted(got), "reply_due": n.reply_due.isoformat(), "status": st,
                     "days_late": max(0, (as_of - n.reply_due).days) if st == LATE else 0, "file": n.file})
    return rows


def check_reply(reg: Registry, ref: str, task_id: str, day: dt.date) -> str:
    """The notice a progress entry replies to (`tasks update --reply-to`), refused when it does
    not exist, is not about this task or was sent after the reply."""
    n = reg.notices.get(ref)
    if n is None:
        near = nearest(ref, list(reg.notices))
        raise InputRefused(f"没有督办通知单“{ref}”",
                           f"你是不是想写“{near}”？" if near else "用 jiuzhu supervise list 查看督办通知单。")
    if task_id not in n.tasks:
        raise InputRefused(f"督办通知单“{n.id}”没有督办任务“{task_id}”", "它督办的任务：" + "、".join(n.tasks) + "。")
    if day < n.date:
        raise InputRefused(f"回复日期 {day} 早于通知单发出的日期 {n.date}", "检查 --date。")
    return n.id


# --- validate -----------------------------------------------------------------------------------

def check_notices(reg: Registry, ctx: Context) -> Iterable[Problem]:
    names = {lv.level for lv in ladder(reg)}
    for n in reg.notices.values():
        doc = reg.files[n.file]
        yield from id_matches_file(doc, n.id, "督办通知单编号")
        if n.unit not in reg.units:
            yield unresolved(doc.at("unit"), "成员单位", n.unit, reg.units)
        for t in n.tasks:
            if t not in reg.decisions:
                yield unresolved(doc.item_at(("tasks",), t), "任务", t, reg.decisions)
        if reg.system is not None and n.level not in names:
            yield unresolved(doc.at("level"), "督办等级", n.level, names)
        if n.reply_due < n.date:
            yield error(doc.at("reply_due"), "reply-before-notice", f"回复时限 {n.reply_due} 早于发出日期 {n.date}",
                        "检查两个日期。")
    yield from _check_reply_refs(reg)


def _check_reply_refs(reg: Registry) -> Iterator[Problem]:
    for task in reg.tasks.values():
        for e in task.log:
            if e.reply_to is None:
                continue
            doc = reg.files[task.file]
            n = reg.notices.get(e.reply_to)
            if n is None:
                yield unresolved(doc.at("log", e.place, "reply_to"), "督办通知单", e.reply_to, reg.notices)
            elif task.id not in n.tasks:
                yield error(doc.at("log", e.place, "reply_to"), "reply-wrong-notice",
                            f"督办通知单“{n.id}”没有督办任务“{task.id}”", "检查 reply_to 写的通知单编号。")
