"""Writing progress: a unit's progress entry and the office's reassignment, appended to the
task's file under a lock (concurrent updates of one task are serialised, none lost)."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jiuzhu.errors import InputRefused, RegistryInvalid
from jiuzhu.model import Decision, Index, LogEntry, Registry, Task, Unit
from jiuzhu.notices import check_reply
from jiuzhu.pieces import read_file
from jiuzhu.queries import find_task, find_unit, unit_names
from jiuzhu.roundtrip import new_document, to_commented
from jiuzhu.tasks import (
    DONE,
    IN_PROGRESS,
    NOT_STARTED,
    ONGOING,
    STATUSES,
    assignment,
    bad_status,
    state,
    task_file,
)
from jiuzhu.writer import Transaction

LOCK_TIMEOUT = 30.0


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
    reply_to: str | None = None  # the supervision notice this report answers


def update_task(root: Path, reg: Registry, upd: Update, as_of: dt.date) -> tuple[str, dict[str, Any]]:
    """Append one progress entry (checked against the file as it is inside the lock).
    Returns (file, entry)."""
    d = find_task(reg, upd.task)
    _progress_entry(reg, d, upd, as_of)  # refuse early, before touching anything
    return _append(reg, root, task_file(reg, d), d.id, "log",
                   lambda fresh: _progress_entry(fresh, find_task(fresh, d.id), upd, as_of))


def _progress_entry(reg: Registry, d: Decision, upd: Update, as_of: dt.date) -> dict[str, Any]:
    task = reg.tasks.get(d.id)
    day = upd.date or as_of
    _check_day(day, d.made, as_of, d.id)
    unit = _reporter(reg, d, task, upd.by, day)
    _check_update(upd)
    status, percent = state(d, task)
    reason = (upd.reason or "").strip() or None
    new_percent = _new_percent(d, upd, status, percent, reason)
    entry: dict[str, Any] = {"date": day, "by": unit.id}
    if new_percent is not None:
        entry["percent"] = new_percent
    if upd.status is not None:
        entry["status"] = upd.status
    entry["note"] = upd.note.strip()
    if reason:
        entry["reason"] = reason
    if upd.reply_to is not None:
        entry["reply_to"] = check_reply(reg, upd.reply_to, d.id, day)
    _check_consistent(d, task, entry)
    return entry


def _reporter(reg: Registry, d: Decision, task: Task | None, by: str, day: dt.date) -> Unit:
    """The unit reporting: the lead, a responsible unit or the office on `day`."""
    unit = find_unit(reg, by)
    lead, responsible = assignment(d, task, day)
    office = reg.system.office.unit if reg.system else ""
    if unit.id not in (lead, *responsible, office):
        raise InputRefused(f"{unit.name}不是任务“{d.id}”的牵头单位、责任单位，也不是联席会议办公室，不能报告它的进展",
                           f"牵头单位：{unit_names(reg, [lead])}；责任单位：{unit_names(reg, responsible) or '无'}。")
    return unit


def _check_update(upd: Update) -> None:
    if not upd.note.strip():
        raise InputRefused("--note 不能为空", "用一两句话写明本次进展。")
    if upd.status is not None and upd.status not in STATUSES:
        raise bad_status(upd.status, "--status")
    if upd.percent is not None and not 0 <= upd.percent <= 100:
        raise InputRefused(f"--percent 的值 {upd.percent} 超出 0–100 的范围", "完成进度写成 0 到 100 之间的整数。")


def _new_percent(d: Decision, upd: Update, status: str, percent: int, reason: str | None) -> int | None:
    """The percent the entry records (100 when marked done), refused when the step is not allowed."""
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
    return new_percent


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
    _check_day(day, d.made, as_of, d.id)
    lead = find_unit(reg, act.lead)
    responsible = _new_responsible(reg, d, act, lead)
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


def _new_responsible(reg: Registry, d: Decision, act: Reassign, lead: Unit) -> list[Unit]:
    if act.responsible is not None:
        return [find_unit(reg, r) for r in act.responsible]
    # not given: the responsible units in force stay, the new lead leaves them
    current = assignment(d, reg.tasks.get(d.id))[1]
    return [reg.units[r] for r in current if r != lead.id and r in reg.units]


def _check_day(day: dt.date, meeting_date: dt.date | None, as_of: dt.date, task_id: str) -> None:
    if meeting_date is not None and day < meeting_date:
        raise InputRefused(f"日期 {day} 早于作出该事项的会议日期 {meeting_date}",
                           f"任务“{task_id}”从会议当天起才能记录。")
    if day > as_of:
        raise InputRefused(f"日期 {day} 晚于今天（{as_of}），不能预先记录",
                           "进展和调整只能记已经发生的事，去掉 --date 即为今天。")


def _reread(reg: Registry, path: Path, rel: str, task_id: str) -> Registry:
    """`reg` with the task file as it is on disk now (another process may have just appended)."""
    fresh = copy.copy(reg)
    fresh.tasks = Index(reg.tasks)
    fresh.tasks.pop(task_id, None)
    if path.exists():
        doc, problems, piece = read_file(path, rel)
        errors = [p for p in problems if p.is_error]
        if errors or doc is None or piece.kind != "task":
            raise RegistryInvalid(errors)
        fresh.tasks[task_id] = piece.value
    return fresh


def stage_entry(tx: Transaction, rel: str, task_id: str, key: str, entry: dict[str, Any]) -> None:
    """Stage `entry` appended to the `key` list (log or reassignments) of a task's file."""
    if (tx.root / rel).exists():
        def change(data: Any) -> None:
            if data.get(key):
                data[key].append(to_commented(entry))
            else:  # missing or an empty `[]`: start a block list
                data[key] = to_commented([entry])
        tx.edit(rel, change)
    else:
        tx.create(rel, new_document({"task": task_id, key: [entry]},
                                    f"议定事项 {task_id} 的办理进展：只追加，不改写已有记录"))


def _append(reg: Registry, root: Path, rel: str, task_id: str, key: str,
            entry_for: Callable[[Registry], dict[str, Any]]) -> tuple[str, dict[str, Any]]:
    """Under the task's file lock: re-read the task file, re-check the entry against it (another
    process may have just appended), then append it to `key` through the writer."""


    from filelock import FileLock, Timeout  # imported here: see jiuzhu.writer.registry_lock

    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(path.parent / f".{path.stem}.lock"), timeout=LOCK_TIMEOUT)
    try:
        with lock:
            entry = entry_for(_reread(reg, path, rel, task_id))
            tx = Transaction(root)
            stage_entry(tx, rel, task_id, key, entry)
            tx.commit()
    except Timeout:
        raise InputRefused(f"任务“{task_id}”正被另一个进程更新，{LOCK_TIMEOUT:.0f} 秒内未能取得文件锁",
                           "稍后重试；若没有别的更新在进行，删除 " + str(lock.lock_file) + "。") from None
    return rel, entry
