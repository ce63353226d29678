"""The registry as it stood at the end of a day: what had happened by then, nothing after.

The site (`jiuzhu site build --as-of`) and the roll-up show a registry on a date. Holding meetings,
inspecting, reporting progress and sending notices are dated records, so the registry of a past
day is the same registry with the later records left out: meetings and inspections held after
the day (and their decisions), progress entries and reassignments dated after it, notices sent
after it, and minutes issued after it (the meeting stays, its minutes not yet issued).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

from jiuzhu.model import Index, Registry, Task


def _kept(index: Index, keep: Callable[[object], bool]) -> Index:
    out = Index((k, v) for k, v in index.items() if keep(v))
    out.incomplete = index.incomplete
    return out


def _task_on(task: Task, day: dt.date) -> Task:
    return task._replace(log=tuple(e for e in task.log if e.date <= day),
                         reassignments=tuple(r for r in task.reassignments if r.date <= day))


def on(reg: Registry, day: dt.date) -> Registry:
    """`reg` as of the end of `day`: a new Registry sharing the unchanged records."""
    meetings = _kept(reg.meetings, lambda m: m.date <= day)  # type: ignore[attr-defined]
    for mid, m in meetings.items():
        if m.minutes is not None and m.minutes.issued > day:
            meetings[mid] = m._replace(minutes=None)
    inspections = _kept(reg.inspections, lambda i: i.date <= day)  # type: ignore[attr-defined]
    held = set(meetings) | set(inspections)
    decisions = _kept(reg.decisions, lambda d: d.meeting in held)  # type: ignore[attr-defined]
    tasks = Index((k, _task_on(t, day)) for k, t in reg.tasks.items() if k in decisions)
    tasks.incomplete = reg.tasks.incomplete
    notices = _kept(reg.notices, lambda n: n.date <= day)  # type: ignore[attr-defined]
    return dataclasses.replace(reg, meetings=meetings, inspections=inspections, decisions=decisions,
                               tasks=tasks, notices=notices)
