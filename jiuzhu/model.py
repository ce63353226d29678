"""The registry as plain immutable records: no I/O, built once per run by `jiuzhu.loader`.

Every entity keeps `pos`, the place in its file where it is defined, so checks that run long after
loading can still point at the exact line a user must fix.

Records are named tuples rather than frozen dataclasses: a province-sized registry has a few
hundred thousand of them, and the parse cache (jiuzhu.cache) stores each file's records pickled.
A tuple is a third of a dataclass's memory, and `_fast` makes unpickling one a single C call
(`tuple.__new__`) instead of a Python `__init__` or `__setstate__` (docs/performance.md).
"""

# No `from __future__ import annotations` here or in model_system: typing.NamedTuple turns each
# string annotation into a compiled ForwardRef, ~250 compiles and about 5 ms of every run's start
# (python -X importtime); these annotations are plain runtime types.

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeVar

from jiuzhu.model_system import (  # noqa: F401  (re-exported: the model is one namespace)
    NOWHERE,
    BriefingIssue,
    FoundingDocument,
    Leadership,
    Level,
    MinutesWorkflow,
    Office,
    Parameters,
    Person,
    ReportIssue,
    System,
    TextItem,
    Transition,
    Workflow,
)
from jiuzhu.problems import Pos, fast_pickle

_fast = fast_pickle

_T = TypeVar("_T")


class Index(dict[str, _T]):
    """Entities by id. `incomplete` is set when a file of this kind failed to load, so checks do
    not report references to ids that may well be defined in that broken file."""

    incomplete: bool = False


@_fast
class Area(NamedTuple):
    id: str
    name: str
    kind: str
    synonyms: tuple[str, ...] = ()
    lead: str | None = None
    pos: Pos = NOWHERE


@_fast
class Duty(NamedTuple):
    """One duty sentence of a unit: its areas, the unit's role (lead/support/info), what
    information it provides for household verification, and per-area roles when the sentence's
    clauses differ (统计局 leads 统计 but only 协同 on 低保标准)."""

    id: str
    unit: str
    text: str
    areas: tuple[str, ...]
    role: str
    info: tuple[str, ...] = ()
    shared_with: tuple[str, ...] = ()
    moved_from: str | None = None
    since: dt.date | None = None
    pos: Pos = NOWHERE
    roles: tuple[tuple[str, str], ...] = ()   # (area, role) where a clause's role differs from `role`

    def role_in(self, area: str) -> str:
        """The unit's role in one of the duty's areas: `roles` overrides `role` for that area."""
        return dict(self.roles).get(area, self.role)


@_fast
class Liaison(NamedTuple):
    """A unit's liaison officer or deputy (officials' work contacts): the one in office, or in
    `Unit.contacts` one who was, from `since` to `until`."""

    name: str | None = None
    phone: str | None = None  # office telephone
    post: str | None = None
    mobile: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    role: str = "liaison"  # liaison | deputy


@_fast
class UnitEvent(NamedTuple):
    """A reorganisation act recorded in a unit's file (renamed, merged, dissolved ...)."""

    date: dt.date
    act: str
    name: str | None = None
    old_name: str | None = None
    units: tuple[str, ...] = ()
    into: str | None = None
    duties_to: str | None = None
    note: str | None = None
    pos: Pos = NOWHERE


@_fast
class Unit(NamedTuple):
    id: str
    name: str
    kind: str
    order: int
    item: int | None
    active: bool
    since: dt.date | None
    until: dt.date | None
    liaison: Liaison
    reviewers: tuple[str, ...]
    history: tuple[UnitEvent, ...]
    duties: tuple[Duty, ...]
    file: str
    pos: Pos = NOWHERE
    aliases: tuple[str, ...] = ()  # other names clerks use for it (jiuzhu.unitnames)
    deputy: Liaison = Liaison(role="deputy")
    contacts: tuple[Liaison, ...] = ()  # former liaisons and deputies (liaison_history), oldest first
    member: Person | None = None  # its member of the joint meeting (联席会议成员：有关负责同志)

    def name_on(self, day: dt.date) -> str:
        """The unit's name as it was on `day` (renames are recorded with their dates)."""
        name = self.name
        for ev in sorted(self.history, key=lambda e: e.date, reverse=True):
            if ev.act == "renamed" and ev.old_name and day < ev.date:
                name = ev.old_name
        return name


@_fast
class Act(NamedTuple):
    """One step of a proposal's history: who did what, when, with which opinion."""

    action: str
    to: str
    date: dt.date
    by: str
    opinion: str | None = None
    meeting: str | None = None
    pos: Pos = NOWHERE


@_fast
class Proposal(NamedTuple):
    id: str
    unit: str
    title: str
    summary: str | None
    history: tuple[Act, ...]
    file: str
    pos: Pos = NOWHERE

    @property
    def status(self) -> str:
        return self.history[-1].to if self.history else ""


@_fast
class Attendee(NamedTuple):
    unit: str | None = None
    names: tuple[str, ...] = ()
    org: str | None = None


@_fast
class Decision(NamedTuple):
    """A decision (议定事项) of a meeting; tracked as a task with the same id."""

    id: str
    meeting: str
    text: str
    areas: tuple[str, ...]
    lead: str
    responsible: tuple[str, ...]
    due: dt.date | None
    ongoing: bool = False
    due_rule: Mapping[str, Any] | None = None
    proposal: str | None = None
    assigned: str = "manual"
    why: str | None = None
    seq: int = 0  # 1-based place in the meeting's decisions list
    pos: Pos = NOWHERE
    source: str = "meeting"  # meeting | inspection: where the task comes from (`meeting` holds its id)
    made: dt.date | None = None  # the date of that meeting or inspection
    refer: bool = False  # a major issue the lead unit refers to the government (parameters.major_issues_to)


@_fast
class Minutes(NamedTuple):
    year: int
    number: int | None  # None: the system issues its minutes without a number (documents.minutes_numbered)
    issued: dt.date
    reported_to: str


@_fast
class Reply(NamedTuple):
    """A unit's answer to the consent round on a draft of the minutes (jiuzhu.minutes)."""

    unit: str
    date: dt.date
    agrees: bool
    comment: str | None = None


@_fast
class Consent(NamedTuple):
    circulated: dt.date
    digest: str  # the decisions as circulated (jiuzhu.minutes.digest)
    replies: tuple[Reply, ...] = ()


@_fast
class Signed(NamedTuple):
    date: dt.date
    by: str
    digest: str = ""  # the decisions as signed (jiuzhu.minutes.digest)


@_fast
class Meeting(NamedTuple):
    id: str
    kind: str
    title: str | None
    date: dt.date
    time: str | None
    place: str | None
    chair_role: str | None
    chair_name: str | None
    expected: tuple[str, ...]
    attended: tuple[Attendee, ...]
    excused: tuple[Attendee, ...]
    observers: tuple[Attendee, ...]
    agenda: tuple[str, ...]
    heard: tuple[str, ...]
    decisions: tuple[Decision, ...]
    minutes: Minutes | None
    file: str
    pos: Pos = NOWHERE
    consent: Consent | None = None
    signed: Signed | None = None

    @property
    def is_joint(self) -> bool:
        return self.kind in ("regular", "adhoc")


@_fast
class LogEntry(NamedTuple):
    date: dt.date
    by: str
    note: str
    percent: int | None = None
    status: str | None = None
    reason: str | None = None
    place: int = 0  # its index in the file's `log` list (a position there is looked up only for a problem)
    reply_to: str | None = None  # the supervision notice this entry answers


@_fast
class Reassignment(NamedTuple):
    date: dt.date
    lead: str
    responsible: tuple[str, ...]
    reason: str
    decided_by: str
    pos: Pos = NOWHERE


@_fast
class Task(NamedTuple):
    """The progress file of one decision: append-only log and reassignment acts."""

    id: str
    log: tuple[LogEntry, ...]
    reassignments: tuple[Reassignment, ...]
    file: str
    pos: Pos = NOWHERE


@_fast
class Sample(NamedTuple):
    """A task reported done, picked in a spot check (重点抽查) for verification, and what was found."""

    task: str
    result: str | None = None  # 属实 | 不属实, None until checked
    checked: dt.date | None = None
    reason: str | None = None
    place: int = 0


@_fast
class Inspection(NamedTuple):
    """An inspection (专项检查、重点抽查、专题走访、调研): who inspected whom, when, on what; its
    findings are rectification tasks (Decision records with source "inspection")."""

    id: str
    kind: str
    topic: str
    date: dt.date
    lead: str
    units: tuple[str, ...]
    findings: tuple[Decision, ...]
    samples: tuple[Sample, ...]
    seed: str | None
    file: str
    pos: Pos = NOWHERE


@_fast
class Notice(NamedTuple):
    """A supervision notice (督办通知单) sent to one unit about some of its tasks; the unit's reply
    is a progress entry with `reply_to` naming the notice."""

    id: str
    unit: str
    date: dt.date
    level: str
    tasks: tuple[str, ...]
    reply_due: dt.date
    file: str
    pos: Pos = NOWHERE


@_fast
class Indicator(NamedTuple):
    """One indicator of the annual evaluation: its weight and how it is computed (jiuzhu.evaluation)."""

    id: str
    name: str
    weight: int
    measure: str
    within_workdays: int | None = None
    excused: float = 0.0
    kinds: tuple[str, ...] = ("regular", "adhoc", "liaison")
    source: str | None = None
    pos: Pos = NOWHERE


@_fast
class EvaluationRules(NamedTuple):
    """evaluation.yaml: indicators, what an indicator with nothing to count scores, the bar under
    which a unit gets its own paragraph, and manual scores by year, unit and indicator."""

    indicators: tuple[Indicator, ...]
    no_data: str = "full"
    improve_below: int | None = None
    scores: Mapping[int, Mapping[str, Mapping[str, Any]]] = {}
    file: str = "evaluation.yaml"
    pos: Pos = NOWHERE


@dataclass
class Registry:
    """Everything loaded, indexed by id. Units iterate in founding-document order."""

    root: str
    system: System | None = None
    areas: Index[Area] = field(default_factory=Index)
    units: Index[Unit] = field(default_factory=Index)
    proposals: Index[Proposal] = field(default_factory=Index)
    meetings: Index[Meeting] = field(default_factory=Index)
    decisions: Index[Decision] = field(default_factory=Index)
    tasks: Index[Task] = field(default_factory=Index)
    inspections: Index[Inspection] = field(default_factory=Index)
    notices: Index[Notice] = field(default_factory=Index)
    evaluation: EvaluationRules | None = None  # evaluation.yaml, None without the file
    calendar: dict[int, dict[str, tuple[dt.date, ...]]] = field(default_factory=dict)
    files: Mapping[str, Any] = field(default_factory=dict)  # relative path -> Doc (or a stand-in)

    def duties(self) -> list[Duty]:
        return [d for u in self.units.values() for d in u.duties]

    def active_units(self) -> list[Unit]:
        return [u for u in self.units.values() if u.active]
