"""The founding side of the model: the system, its conveners, office, rules and parameters
(system.yaml). Plain immutable records like the rest of `jiuzhu.model`, which re-exports them."""

# No `from __future__ import annotations`: see jiuzhu.model.

import datetime as dt
from collections.abc import Mapping
from typing import Any, NamedTuple

from jiuzhu.problems import Pos, fast_pickle

_fast = fast_pickle

NOWHERE = Pos("", 1, 1)


@_fast
class Person(NamedTuple):
    name: str | None = None
    post: str | None = None


@_fast
class TextItem(NamedTuple):
    """A numbered paragraph of the founding document (joint-meeting duty, office duty, rule)."""

    id: str
    text: str
    areas: tuple[str, ...] = ()
    pos: Pos = NOWHERE
    ref: str | None = None  # how the founding document numbers it, as messages cite it: 议事规则四、1


@_fast
class Transition(NamedTuple):
    action: str
    from_states: tuple[str, ...]
    to: str
    by: str = ""


@_fast
class Workflow(NamedTuple):
    """Proposal states and allowed transitions: data from system.yaml, never code."""

    initial: str
    states: tuple[str, ...]
    transitions: tuple[Transition, ...]

    def allowed_from(self, state: str) -> tuple[Transition, ...]:
        return tuple(t for t in self.transitions if state in t.from_states)


@_fast
class Level(NamedTuple):
    """One rung of the escalation ladder: reached `from_workdays` working days after the due date
    (negative: before it), or once `after_notices` supervision notices were sent about the task
    after its deadline while it stays open. A notice at this level asks for a reply within `reply_workdays`."""

    level: str
    from_workdays: int
    after_notices: int | None = None
    reply_workdays: int | None = None
    title: str | None = None  # the title of a notice at this level (default 督办通知单)


@_fast
class MinutesWorkflow(NamedTuple):
    """The steps before minutes are issued, in order (jiuzhu.minutes): `consent` (the attending or
    all expected units agree to the draft) and `sign` (a convener signs it off)."""

    steps: tuple[str, ...] = ()
    consent_of: str = "attended"
    sign_by: str | None = None


@_fast
class Parameters(NamedTuple):
    regular_meetings_per_year: int
    liaison_meeting_before_joint: bool
    minutes_report_to: str
    minutes_send_to: str
    due_soon_workdays: int
    workflow: Workflow
    escalation: tuple[Level, ...]
    documents: Mapping[str, Any]
    basis: Mapping[str, str] = {}  # a check's name -> the id of the rule it enforces (cited in its message)
    minutes_workflow: MinutesWorkflow = MinutesWorkflow()
    major_issues_to: str | None = None  # 重大问题……由牵头单位报<this>决定 (None: the text says nothing)


@_fast
class FoundingDocument(NamedTuple):
    title: str
    issuer: str
    date: dt.date
    index_number: str | None = None
    number: str | None = None
    preamble: str | None = None


@_fast
class Office(NamedTuple):
    unit: str
    director: str | None
    text: str | None
    duties: tuple[TextItem, ...]
    deputies: tuple[str, ...] = ()  # 办公室副主任


@_fast
class BriefingIssue(NamedTuple):
    year: int
    number: int
    date: dt.date
    period_from: dt.date | None
    period_to: dt.date | None


@_fast
class ReportIssue(NamedTuple):
    """A 进展情况通报 given its per-year number (`report progress --issue`)."""

    year: int
    number: int
    date: dt.date
    scope: str | None


@_fast
class Leadership(NamedTuple):
    """How the conveners lead (system.yaml `conveners`): their titles, who approves topics and who
    chairs a joint meeting by default (None: the chief convener if there is one, else a convener),
    and whether a convener may delegate the chair to another official (由召集人委托有关同志主持)."""

    chief_title: str = "总召集人"
    convener_title: str = "召集人"
    approves: str | None = None
    chairs: str | None = None
    delegation: bool = False


@_fast
class System(NamedTuple):
    name: str
    jurisdiction: str
    government: str
    founding: FoundingDocument
    chief: Person | None  # None: the system has no chief convener (总召集人)
    conveners: tuple[Person, ...]
    office: Office
    duties: tuple[TextItem, ...]
    rules: tuple[TextItem, ...]
    parameters: Parameters
    briefings: tuple[BriefingIssue, ...] = ()
    reports: tuple[ReportIssue, ...] = ()
    pos: Pos = NOWHERE
    leadership: Leadership = Leadership()
