"""validate's checks of progress files: each entry's unit, date, percent and status in order,
and the file named for its task."""

from __future__ import annotations

from collections.abc import Container, Iterable, Iterator
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from jiuzhu.checking import id_matches_file, unresolved
from jiuzhu.model import Decision, LogEntry, Registry, Task
from jiuzhu.problems import Pos, Problem, error
from jiuzhu.queries import unit_names
from jiuzhu.tasks import assignment

if TYPE_CHECKING:
    from jiuzhu.checking import Context

_BY, _DATE, _PERCENT = attrgetter("by"), attrgetter("date"), attrgetter("percent")


def check_task_files(reg: Registry, ctx: Context) -> Iterable[Problem]:
    # The task files are many: positions inside one (which load its document) are looked up only
    # for an entry that has a problem.
    office = reg.system.office.unit if reg.system else ""
    for task in reg.tasks.values():
        doc = reg.files[task.file]
        if doc.file.rsplit("/", 1)[-1].rsplit(".", 1)[0] != task.id:
            yield from id_matches_file(doc, task.id, "任务编号", key="task")
        d = reg.decisions.get(task.id)
        if d is None:
            yield unresolved(doc.at("task"), "议定事项", task.id, reg.decisions)
        yield from _check_log(reg, doc, d, task, office)
        yield from _check_reassignments(reg, doc, task)


def _check_log(reg: Registry, doc: Any, d: Decision | None, task: Task, office: str) -> Iterator[Problem]:
    log = task.log
    if not log:
        return
    met = d.made if d is not None else None
    if _all_fine(reg, d, task, office, met):
        return  # the common case, judged for the whole log at once
    units = reg.units
    # who may report without any problem (with reassignments: ask `_entry_wrong`)
    fine: Container[str] = (units if d is None else () if task.reassignments
                            else {u for u in (d.lead, *d.responsible, office) if u in units})
    for e in log:
        p = e.percent
        if ((p is None or 0 <= p <= 100) and (met is None or e.date >= met)
                and (e.by in fine or not _entry_wrong(reg, d, task, e, office))):
            continue
        yield from _entry_problems(reg, doc, d, task, e, office, met)


def _all_fine(reg: Registry, d: Decision | None, task: Task, office: str, met: Any) -> bool:
    log = task.log
    bys = set(map(_BY, log))
    return (_PERCENTS.issuperset(map(_PERCENT, log)) and (met is None or min(map(_DATE, log)) >= met)
            and reg.units.keys() >= bys and (d is None or not task.reassignments
                                             and not bys.difference(d.responsible, (d.lead, office))))


def _entry_problems(reg: Registry, doc: Any, d: Decision | None, task: Task, e: LogEntry, office: str,
                    met: Any) -> Iterator[Problem]:
    i = e.place
    yield from _check_entry(reg, d, task, e, office, doc.at("log", i, "by"))
    if e.percent is not None and not 0 <= e.percent <= 100:
        yield error(doc.at("log", i, "percent"), "bad-percent", f"进度 {e.percent}% 超出 0–100 的范围",
                    "完成进度写成 0 到 100 之间的整数。")
    if met is not None and e.date < met:
        yield error(doc.at("log", i, "date"), "task-before-meeting",
                    f"进展日期 {e.date} 早于作出该事项的会议日期 {met}", "检查日期；事项在会议议定后才开始办理。")


def _check_reassignments(reg: Registry, doc: Any, task: Task) -> Iterator[Problem]:
    units = reg.units
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
