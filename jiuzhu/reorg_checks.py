"""validate's checks of reorganisations: open tasks whose lead unit is gone, unit histories in order."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from jiuzhu.checking import unresolved
from jiuzhu.model import Decision, Registry, Task, Unit, UnitEvent
from jiuzhu.problems import Problem, error, warning
from jiuzhu.task_checks import entry_index
from jiuzhu.tasks import DONE, assignment, state

if TYPE_CHECKING:
    from jiuzhu.checking import Context


def open_decisions(reg: Registry) -> Iterator[tuple[Decision, Task | None, str]]:
    """Decisions not done yet, with their task file and the lead unit in force."""

    for d in reg.decisions.values():
        task = reg.tasks.get(d.id)
        if state(d, task)[0] != DONE:
            yield d, task, assignment(d, task)[0]


def check_orphan_tasks(reg: Registry, ctx: Context) -> Iterable[Problem]:
    """An open task led by a unit that is no longer a member is an error until reassigned."""

    retired = {k for k, u in reg.units.items() if not u.active}
    if not retired:
        return
    for d in reg.decisions.values():  # open_decisions, the lead in force (tasks.assignment) first
        task = reg.tasks.get(d.id)
        lead = task.reassignments[-1].lead if task and task.reassignments else d.lead
        if lead not in retired or state(d, task)[0] == DONE:
            continue
        unit = reg.units[lead]
        if task and task.reassignments:
            doc = reg.files[task.file]
            pos = doc.at("reassignments", entry_index(doc, "reassignments", task.reassignments[-1].pos), "lead")
        else:
            pos = reg.files[d.pos.file].at("decisions", d.seq - 1, "lead")
        when = f"自 {unit.until} 起" if unit.until else ""
        yield error(pos, "orphan-task", f"未完成的议定事项 {d.id} 由{unit.name}牵头，但该单位{when}已不是成员单位",
                    f"用 jiuzhu tasks reassign {d.id} --lead <单位> --reason … --decided-by … 调整牵头单位。")


def check_unit_history(reg: Registry, ctx: Context) -> Iterable[Problem]:
    """Reorganisation records hang together: references resolve, retired units are inactive with
    an end date, the office stays in an active unit."""
    for unit in reg.units.values():
        doc = reg.files[unit.file]
        for i, e in enumerate(unit.history):
            yield from _check_event(reg, unit, doc, i, e)
        if not unit.active and unit.until is None:
            yield warning(doc.at("active"), "missing-until", f"{unit.name}已不是成员单位，但没有写退出日期",
                          "在 active: false 下加 until: YYYY-MM-DD。", unit.name)
        if unit.since and unit.until and unit.until < unit.since:
            yield error(doc.at("until"), "bad-until", f"{unit.name}的退出日期 {unit.until} 早于加入日期 {unit.since}",
                        "检查 since 和 until。")
        for i, d in enumerate(unit.duties):
            if d.moved_from and d.moved_from not in reg.units:
                yield unresolved(doc.at("duties", i, "moved_from"), "成员单位", d.moved_from, reg.units)
    office = reg.units.get(reg.system.office.unit) if reg.system else None
    if office is not None and not office.active:
        yield error(reg.files["system.yaml"].at("office", "unit"), "office-inactive",
                    f"联席会议办公室设在{office.name}，但该单位已不是成员单位",
                    "把 office.unit 改为承接办公室的成员单位。")


def _check_event(reg: Registry, unit: Unit, doc: Any, i: int, e: UnitEvent) -> Iterator[Problem]:
    refs = [("into", e.into), ("duties_to", e.duties_to)] + [(("units", j), u) for j, u in enumerate(e.units)]
    for key, ref in refs:
        if ref and ref not in reg.units:
            path = key if isinstance(key, tuple) else (key,)
            yield unresolved(doc.at("history", i, *path), "成员单位", ref, reg.units)
    if e.act in ("merged_into", "dissolved", "split") and unit.active:
        yield error(e.pos, "retired-unit-active", f"{unit.name}记录了{e.date}的撤销/并入，却仍是成员单位",
                    "把 active 改为 false 并填写 until，或删除这条记录。")


CHECKS = [check_orphan_tasks, check_unit_history]
