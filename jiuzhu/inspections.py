"""Inspections (专项检查、重点抽查、专题走访、调研): one file each under `inspections/<year>/`.

Each finding is a rectification task (整改任务): a `Decision` record whose source is the
inspection, tracked exactly like a meeting's decision (progress, working-day deadlines, overdue,
the escalation ladder). A spot check (重点抽查) picks tasks reported done, reproducibly and spread
over their lead units, and records what verification found; a task found not done is reopened.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jiuzhu import schema
from jiuzhu.checking import Context, id_matches_file, unresolved
from jiuzhu.decisions import deadline
from jiuzhu.errors import InputRefused
from jiuzhu.model import Inspection, Registry
from jiuzhu.problems import Problem, error
from jiuzhu.proposals import require_text
from jiuzhu.queries import find_inspection, find_task, find_unit, member_on, unit_names
from jiuzhu.records import append_to, draw_id, flow, new_file, token
from jiuzhu.roundtrip import to_commented
from jiuzhu.task_writes import stage_entry
from jiuzhu.tasks import DONE, IN_PROGRESS, assignment, state, task_file
from jiuzhu.writer import Transaction

KINDS = schema.INSPECTION_KINDS
RESULTS = ("属实", "不属实")


@dataclass(frozen=True)
class NewInspection:
    kind: str
    topic: str
    date: dt.date
    units: tuple[str, ...]
    lead: str | None = None  # the organising unit; default the office's unit


def new_inspection(reg: Registry, new: NewInspection, draw: Callable[[], str] = token) -> tuple[str, str]:
    """Create `inspections/<year>/<id>.yaml`; returns (id, file)."""
    if new.kind not in KINDS:
        raise InputRefused(f"检查类型“{new.kind}”不可用", "--kind 只能是 " + "、".join(KINDS) + "。")
    topic = require_text(new.topic, "--topic", "写明检查的内容，例如 --topic 低保资金发放情况。")
    if not new.units:
        raise InputRefused("没有写被检查的单位", "用 --units 列出被检查的成员单位，可多次或用顿号连接。")
    units = list(dict.fromkeys(_member(reg, u, new.date, "被检查单位") for u in new.units))
    office = reg.system.office.unit if reg.system else ""
    lead = _member(reg, new.lead, new.date, "组织单位") if new.lead else office
    root = Path(reg.root)
    ident = draw_id(f"in-{new.date:%Y%m%d}", lambda i: i in reg.inspections
                    or (root / f"inspections/{new.date.year}/{i}.yaml").exists(), draw)
    rel = f"inspections/{new.date.year}/{ident}.yaml"
    data = {"id": ident, "kind": new.kind, "topic": topic, "date": new.date, "lead": lead, "units": units,
            "findings": []}
    tx = Transaction(root)
    tx.create(rel, new_file(data, f"{new.kind}：{topic}"))
    tx.commit()
    return ident, rel


def _member(reg: Registry, ref: str, day: dt.date, role: str) -> str:
    unit = find_unit(reg, ref)
    if not member_on(unit, day):
        raise InputRefused(f"{unit.name}在 {day} 不是联席会议成员单位，不能作为{role}",
                           "检查日期和单位；用 jiuzhu units list 查看成员单位及其加入、退出日期。")
    return unit.id


@dataclass(frozen=True)
class NewFinding:
    inspection: str
    unit: str
    text: str
    due: dt.date | None = None
    due_workdays: int | None = None
    responsible: tuple[str, ...] = ()
    next_workday: bool = False


def add_finding(reg: Registry, new: NewFinding) -> tuple[str, dt.date, tuple[str, ...], str]:
    """Append a finding (a rectification task) to its inspection; returns (task id, due date,
    calendar warnings, file)."""
    ins = find_inspection(reg, new.inspection)
    text = require_text(new.text, "--text", "写明发现的问题和整改要求，例如 --text 3户低保对象未按期复核，限期整改。")
    unit = find_unit(reg, new.unit)
    if unit.id not in ins.units:
        raise InputRefused(f"{unit.name}不是这次检查的被检查单位，不能承担它发现问题的整改",
                           f"被检查单位：{unit_names(reg, ins.units)}。")
    helpers = [_member(reg, u, ins.date, "配合单位") for u in new.responsible]
    if unit.id in helpers:
        raise InputRefused(f"{unit.name}不能既是整改单位又是配合单位", "从 --responsible 中去掉整改单位。")
    due, rule, warnings = deadline(reg, ins.date, new.due, new.due_workdays, new.next_workday, "检查")
    assert due is not None
    n = len(ins.findings) + 1
    while f"{ins.id}-{n}" in reg.decisions:
        n += 1
    ident = f"{ins.id}-{n}"
    entry = to_commented({k: v for k, v in {"id": ident, "text": text, "lead": unit.id,
                                            "responsible": list(dict.fromkeys(helpers)) or None,
                                            "due": due}.items() if v is not None})
    if rule:
        entry["due_rule"] = flow(rule)

    tx = Transaction(Path(reg.root))
    tx.edit(ins.file, lambda data: append_to(data, "findings", entry))
    tx.commit()
    return ident, due, warnings, ins.file


# --- spot checks (重点抽查) ---------------------------------------------------------------------

def done_tasks(reg: Registry, on: dt.date) -> list[tuple[str, str]]:
    """(task id, lead unit) of every task reported done by `on`."""
    out = []
    for d in reg.decisions.values():
        task = reg.tasks.get(d.id)
        if task is None:
            continue
        reported = task._replace(log=tuple(e for e in task.log if e.date <= on))
        if state(d, reported)[0] == DONE:
            out.append((d.id, assignment(d, task, on)[0]))
    return out


def pick(candidates: Iterable[tuple[str, str]], n: int, seed: str) -> list[str]:
    """`n` task ids drawn with `seed`, spread over the lead units: each unit's tasks shuffled, the
    units in a shuffled order, then one task a unit in turn until `n` are picked (every unit with a
    done task is checked before any is checked twice)."""
    rng = random.Random(seed)
    by_unit: dict[str, list[str]] = {}
    for task, unit in sorted(candidates):
        by_unit.setdefault(unit, []).append(task)
    units = sorted(by_unit)
    rng.shuffle(units)
    for u in units:
        rng.shuffle(by_unit[u])
    picked: list[str] = []
    while len(picked) < n:
        for u in units:
            if by_unit[u] and len(picked) < n:
                picked.append(by_unit[u].pop())
    return picked


def sample(reg: Registry, ref: str | None, n: int, seed: str | None, on: dt.date) -> tuple[list[str], str]:
    """Pick `n` done tasks for verification; with an inspection (`ref`), record them in it (tasks
    already sampled there are not picked again). Returns (task ids, the seed used)."""
    ins = find_inspection(reg, ref) if ref else None
    if n < 1:
        raise InputRefused(f"--n 的值 {n} 应为正整数", "例如 --n 10。")
    day = ins.date if ins else on
    taken = {s.task for s in ins.samples} if ins else set()
    candidates = [(t, u) for t, u in done_tasks(reg, day) if t not in taken]
    if n > len(candidates):
        raise InputRefused(f"要抽查 {n} 项，但截至 {day} 报告已完成（且未抽过）的任务只有 {len(candidates)} 项",
                           f"把 --n 改为不超过 {len(candidates)} 的数。")
    used = seed or (ins.seed if ins and ins.seed else None) or (ins.id if ins else str(day))
    picked = pick(candidates, n, used)
    if ins is not None:
        _record_samples(reg, ins, picked, used)
    return picked, used


def _record_samples(reg: Registry, ins: Inspection, picked: list[str], seed: str) -> None:
    def change(data: Any) -> None:
        if not data.get("seed"):
            data["seed"] = seed
        append_to(data, "samples", *(flow({"task": t}) for t in picked))

    tx = Transaction(Path(reg.root))
    tx.edit(ins.file, change)
    tx.commit()


def verify(reg: Registry, ref: str, task_ref: str, result: str, reason: str | None, day: dt.date,
           as_of: dt.date) -> bool:
    """Record what verifying a sampled task found. 不属实 reopens the task (a progress entry by the
    office, 推进中, with the reason), in the same write. Returns whether the task was reopened."""
    ins = find_inspection(reg, ref)
    d = find_task(reg, task_ref)
    place = next((s.place for s in ins.samples if s.task == d.id), None)
    if place is None:
        raise InputRefused(f"任务“{d.id}”不在检查“{ins.id}”的抽查名单中",
                           "先用 jiuzhu inspection sample 抽取，或检查任务编号。")
    if result not in RESULTS:
        raise InputRefused(f"核实结果“{result}”不可用", "--result 只能是 属实 或 不属实。")
    reason = (reason or "").strip() or None
    if result == "不属实" and not reason:
        raise InputRefused("核实不属实时要写明原因", "加 --reason，例如 --reason 2户未实际发放到位。")
    if day > as_of:
        raise InputRefused(f"核实日期 {day} 晚于今天（{as_of}）", "只能记录已经完成的核实。")
    if day < ins.date:
        raise InputRefused(f"核实日期 {day} 早于检查日期 {ins.date}", "检查日期和 --date。")
    already = ins.samples[place]
    if already.result is not None:
        raise InputRefused(f"任务“{d.id}”已于 {already.checked} 核实为{already.result}",
                           "核实结果不改写；如有新情况，用 jiuzhu tasks update 记录。")
    reopen = result == "不属实" and state(d, reg.tasks.get(d.id))[0] == DONE
    tx = Transaction(Path(reg.root))

    def change(data: Any) -> None:
        item = data["samples"][place]
        item["result"] = result
        item["checked"] = day
        if reason:
            item["reason"] = reason

    tx.edit(ins.file, change)
    if reopen:
        office = reg.system.office.unit if reg.system else ""
        stage_entry(tx, task_file(reg, d), d.id, "log",
                    {"date": day, "by": office, "status": IN_PROGRESS,
                     "note": f"{ins.kind}核实不属实，重新办理", "reason": reason})
    tx.commit()
    return reopen



# --- validate -----------------------------------------------------------------------------------

def check_inspections(reg: Registry, ctx: Context) -> Iterable[Problem]:
    for ins in reg.inspections.values():
        doc = reg.files[ins.file]
        yield from id_matches_file(doc, ins.id, "检查编号")
        if ins.lead not in reg.units:
            yield unresolved(doc.at("lead"), "组织单位", ins.lead, reg.units)
        for u in ins.units:
            unit = reg.units.get(u)
            if unit is None:
                yield unresolved(doc.item_at(("units",), u), "被检查单位", u, reg.units)
            elif not member_on(unit, ins.date):
                yield error(doc.item_at(("units",), u), "inspected-non-member",
                            f"{unit.name}在检查日期 {ins.date} 不是联席会议成员单位",
                            "检查日期和被检查单位；已撤销或尚未加入的单位不能被检查。")
        yield from _check_findings(reg, doc, ins)
        yield from _check_samples(reg, doc, ins)


def _check_findings(reg: Registry, doc: Any, ins: Inspection) -> Iterator[Problem]:
    for f in ins.findings:
        path = ("findings", f.seq - 1)
        if f.lead in reg.units and f.lead not in ins.units:
            yield error(doc.at(*path, "lead"), "finding-not-inspected",
                        f"整改单位{reg.units[f.lead].name}不是这次检查的被检查单位",
                        "把它加入 units，或改正整改单位。")
        elif f.lead not in reg.units:
            yield unresolved(doc.at(*path, "lead"), "整改单位", f.lead, reg.units)
        for u in f.responsible:
            if u not in reg.units:
                yield unresolved(doc.item_at((*path, "responsible"), u), "配合单位", u, reg.units)
        if f.due is None:
            yield error(doc.key_at(*path), "finding-without-due", f"整改任务“{f.id}”没有整改时限",
                        "写上 due: YYYY-MM-DD；每个检查发现的问题都要限期整改。")
        elif f.due < ins.date:
            yield error(doc.at(*path, "due"), "due-before-inspection", f"整改时限 {f.due} 早于检查日期 {ins.date}",
                        "检查两个日期。")


def _check_samples(reg: Registry, doc: Any, ins: Inspection) -> Iterator[Problem]:
    for s in ins.samples:
        if s.task not in reg.decisions:
            yield unresolved(doc.at("samples", s.place, "task"), "抽查的任务", s.task, reg.decisions)
        if s.result == "不属实" and not s.reason:
            yield error(doc.at("samples", s.place, "result"), "sample-without-reason", "核实不属实但没有写原因",
                        "在这一条加上 reason: 写明哪些情况与报告不符。")
        if s.result is not None and s.checked is None:
            yield error(doc.at("samples", s.place, "result"), "sample-without-date", "有核实结果但没有核实日期",
                        "加上 checked: YYYY-MM-DD。")
