"""Decisions (议定事项) of a joint meeting: one lead unit, its responsible units, and a deadline —
a date, or N working days from the meeting on China's official calendar (`jiuzhu.workdays`), stored
with how it was computed. Lead and responsible units left out are suggested by `jiuzhu.assign` from
the units' duties; explicit options always win.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jiuzhu.assign import Suggestion, resolve_area, suggest
from jiuzhu.checking import unresolved
from jiuzhu.errors import InputRefused
from jiuzhu.meetings import refuse_if_issued, refuse_if_liaison
from jiuzhu.model import Decision, Meeting, Registry
from jiuzhu.problems import Problem, error
from jiuzhu.proposals import require_text
from jiuzhu.queries import active_unit, find_meeting, find_proposal
from jiuzhu.records import append_to, flow
from jiuzhu.roundtrip import to_commented
from jiuzhu.workdays import Calendar
from jiuzhu.writer import Transaction

if TYPE_CHECKING:
    from jiuzhu.checking import Context


@dataclass(frozen=True)
class NewDecision:
    """What `decision add` was given (unit and area references as the user wrote them)."""

    meeting: str
    text: str
    areas: tuple[str, ...] = ()
    lead: str | None = None
    responsible: tuple[str, ...] | None = None
    due: dt.date | None = None
    due_workdays: int | None = None
    ongoing: bool = False
    proposal: str | None = None
    next_workday: bool = False  # a --due on a rest day moves to the next working day
    accept_suggestion: bool = False  # without --lead, the suggested lead is taken (scripts must say so)
    refer: bool = False  # a major issue: the lead unit refers it to the government for decision


class SuggestionNeeded(InputRefused):
    """No --lead was given: the suggested units and their reasons wait for the user's yes
    (`--accept-suggestion`, or the answer to the question the CLI asks in a terminal)."""

    def __init__(self, notes: tuple[str, ...]) -> None:
        super().__init__("没有指定牵头单位（--lead），按职责建议：" + "".join(f"\n  {n}" for n in notes),
                         "采用建议请加 --accept-suggestion，或用 --lead（和 --responsible）指定。")
        self.notes = notes


@dataclass(frozen=True)
class Added:
    id: str
    path: str
    lead: str
    responsible: tuple[str, ...]
    due: dt.date | None
    due_rule: dict[str, Any] | None
    areas: tuple[str, ...]
    notes: tuple[str, ...] = ()            # how lead/responsible were chosen, to show the user
    warnings: tuple[str, ...] = field(default_factory=tuple)


def add_decision(reg: Registry, new: NewDecision) -> Added:
    """Check everything, then append the decision to its meeting's file."""

    m = find_meeting(reg, new.meeting)
    refuse_if_liaison(m, "添加议定事项")
    refuse_if_issued(m)
    text = require_text(new.text, "--text", "写明议定的事项，例如 --text 12月底前完成低保标准调整测算。")
    due, due_rule, warnings = _deadline(reg, m, new)
    if new.refer:
        _refuse_unless_referable(reg)
    lead, responsible, areas, notes, how = _assignment(reg, text, new)
    for unit in (lead, *responsible):
        if unit not in reg.units:  # e.g. system.yaml names an office unit that does not exist
            raise InputRefused(f"单位“{unit}”不在登记册中，不能作为牵头或责任单位",
                               "先运行 jiuzhu validate 并修正登记册（例如 system.yaml 的 office.unit）。")
    proposal = None
    if new.proposal is not None:
        proposal = find_proposal(reg, new.proposal).id
        if proposal not in m.agenda:
            raise InputRefused(f"议题“{proposal}”不在该会议的议程中",
                               "议定事项只能来自本次会议的议题；议程：" + ("、".join(m.agenda) or "（空）") + "。")
    ident = _next_id(reg, m)
    entry = to_commented({k: v for k, v in {
        "id": ident, "text": text, "areas": list(areas), "lead": lead, "responsible": list(responsible),
        "due": due, "ongoing": True if new.ongoing else None, "due_rule": None, "proposal": proposal,
        "refer": True if new.refer else None, "assigned": how[0], "why": how[1]}.items() if v is not None})
    if due_rule:
        entry.insert(list(entry).index("due") + 1, "due_rule", flow(due_rule))

    tx = Transaction(Path(reg.root))
    tx.edit(m.file, lambda data: append_to(data, "decisions", entry))
    tx.commit()
    if m.consent is not None or m.signed is not None:
        warnings = (*warnings, "纪要稿已送出征求意见或已签发；议定事项有改动，印发前须重新送出"
                               "（jiuzhu minutes circulate）或重新签发（jiuzhu minutes sign）")
    return Added(ident, m.file, lead, responsible, due, due_rule, areas, notes, warnings)


def _refuse_unless_referable(reg: Registry) -> None:
    """Only a system whose rules send major issues to the government can refer one."""
    if reg.system is None or not reg.system.parameters.major_issues_to:
        raise InputRefused("本制度的议事规则没有“重大问题报请决定”的规定，不能用 --refer",
                           "制度有此规定的，在 system.yaml 的 parameters.major_issues_to 写明报谁决定（如 国务院），"
                           "并在 parameters.basis.major_issues 写明所依据的议事规则。")


def _next_id(reg: Registry, m: Meeting) -> str:
    n = len(m.decisions) + 1
    while f"{m.id}-{n}" in reg.decisions:
        n += 1
    return f"{m.id}-{n}"


Deadline = tuple[dt.date | None, dict[str, Any] | None, tuple[str, ...]]


def _deadline(reg: Registry, m: Meeting, new: NewDecision) -> Deadline:
    """(due, due_rule, calendar warnings)."""
    if new.ongoing:
        if new.due is not None or new.due_workdays is not None:
            raise InputRefused("长期坚持（--ongoing）的事项没有完成时限",
                               "去掉 --due / --due-workdays，或去掉 --ongoing。")
        return None, None, ()
    return deadline(reg, m.date, new.due, new.due_workdays, new.next_workday, "会议",
                    "长期坚持的事项用 --ongoing。")


def deadline(reg: Registry, start: dt.date, due: dt.date | None, workdays: int | None, next_workday: bool,
             what: str, other: str = "") -> Deadline:
    """A deadline given as a date or as N working days from `start` (the day of the meeting or
    inspection, `what`), on the official calendar: (due, due_rule, calendar warnings)."""
    if due is not None and workdays is not None:
        raise InputRefused("--due 和 --due-workdays 只能用一个",
                           "要么给出日期（--due 2026-12-31），要么给出工作日数（--due-workdays 15）。")
    if due is None and workdays is None:
        raise InputRefused("没有完成时限", "用 --due YYYY-MM-DD 或 --due-workdays N 给出时限。" + other)
    if workdays is not None:
        if not 1 <= workdays <= 2500:
            raise InputRefused(f"--due-workdays 的值 {workdays} 不可用",
                               f"工作日数应为 1 到 2500 之间的整数（约十年），从{what}日期的下一个工作日算起。")
        counted = Calendar.of(reg).add_workdays(start, workdays)
        rule = {"workdays": workdays, "from": start, "source": counted.source}
        return counted.date, rule, tuple(counted.warnings)
    assert due is not None
    if due < start:
        raise InputRefused(f"完成时限 {due} 早于{what}日期 {start}",
                           "完成时限不能早于作出决定的会议。" if what == "会议" else f"完成时限不能早于{what}日期。")
    return _on_a_workday(Calendar.of(reg), due, next_workday)


def _on_a_workday(cal: Calendar, due: dt.date, move: bool) -> Deadline:
    """A deadline on a weekend or an official holiday: said, and moved only when asked."""
    if cal.is_workday(due):
        return due, None, ()
    nxt = due + dt.timedelta(days=1)
    while not cal.is_workday(nxt):
        nxt += dt.timedelta(days=1)
    rest = "星期六" if due.weekday() == 5 else "星期日" if due.weekday() == 6 else "法定节假日"
    if move:
        return nxt, None, (f"完成时限 {due} 是{rest}，已改为下一个工作日 {nxt}",)
    return due, None, (f"完成时限 {due} 是{rest}，不是工作日；下一个工作日是 {nxt}"
                       f"（加 --next-workday 改用它，或用 --due 另定日期）",)


def _assignment(reg: Registry, text: str, new: NewDecision
                ) -> tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, str | None]]:
    """(lead, responsible, areas, notes for the user, (assigned, why)). Explicit options win; what is
    missing comes from the assignment engine, and the user is told what was chosen and why."""

    lead = active_unit(reg, new.lead) if new.lead is not None else None
    responsible = (None if new.responsible is None
                   else tuple(dict.fromkeys(active_unit(reg, u) for u in new.responsible)))
    areas = tuple(dict.fromkeys(resolve_area(reg, a) for a in new.areas))
    notes: list[str] = []
    how: tuple[str, str | None] = ("manual", None)
    if lead is None or responsible is None or not areas:
        s = suggest(reg, text, areas)
        areas = tuple(s.areas)
        if lead is None:
            lead = _suggested_lead(s, notes)
            how = ("suggested", s.lead.why if s.lead else None)
        if responsible is None:
            responsible = _suggested_responsible(s, lead, notes)
            how = ("suggested", how[1])
        if new.lead is None and not new.accept_suggestion:
            raise SuggestionNeeded(tuple(notes))
    if lead in responsible:
        raise InputRefused(f"牵头单位{reg.units[lead].name}不能同时是责任单位",
                           "从 --responsible 中去掉牵头单位；每个议定事项只有一个牵头单位，其余为责任单位。")
    return lead, responsible, areas, tuple(notes), how


def _suggested_responsible(s: Suggestion, lead: str, notes: list[str]) -> tuple[str, ...]:
    """The suggested responsible units other than the lead (their reasons added to `notes`)."""
    others = [c for c in s.responsible if c.unit != lead]
    notes += [f"建议责任单位：{c.name}（{c.why}）" for c in others]
    return tuple(c.unit for c in others)


def _suggested_lead(s: Suggestion, notes: list[str]) -> str:
    """The suggested lead (its reason added to `notes`), refused when two units tie or none fits."""
    if s.tied:
        both = "、".join(f"{c.name}（{c.unit}）" for c in (s.lead, *s.tied) if c is not None)
        raise InputRefused(f"无法确定牵头单位：{both}同样适合牵头",
                           "用 --lead 指定其中一个（每个议定事项只有一个牵头单位）。")
    if s.lead is None:
        raise InputRefused("没有找到合适的牵头单位", "用 --lead 指定牵头单位。")
    notes.append(s.lead.why if s.no_match else f"建议牵头单位：{s.lead.name}（{s.lead.why}）")
    return s.lead.unit


# --- validate ---------------------------------------------------------------------------------------

def check_decisions(reg: Registry, ctx: Context) -> Iterable[Problem]:
    """Every decision: one lead (not also responsible), member units, a deadline not before the
    meeting (or ongoing), known areas and source proposal; only joint meetings decide."""
    units, areas, proposals = reg.units, reg.areas, reg.proposals
    has_unit, has_area = units.__contains__, areas.__contains__
    referable = bool(reg.system and reg.system.parameters.major_issues_to)
    for m in reg.meetings.values():
        doc = reg.files[m.file]  # its positions (its document) are needed only for a problem found
        joint, day = m.is_joint, m.date
        for d in m.decisions:
            due = d.due
            if (joint and d.lead in units and (d.ongoing if due is None else due >= day)
                    and d.lead not in d.responsible and all(map(has_unit, d.responsible))
                    and all(map(has_area, d.areas)) and (d.proposal is None or d.proposal in proposals)
                    and (referable or not d.refer)):
                continue
            yield from _check_decision(reg, m, d, doc)


def _check_decision(reg: Registry, m: Meeting, d: Decision, doc: Any) -> Iterator[Problem]:
    units = reg.units
    path = doc.path_of(d.pos)
    if not m.is_joint:
        yield error(d.pos, "liaison-decision", "联络员会议不作议定事项", "议定事项由联席会议（例会或临时会议）作出。")
    if d.lead not in units:
        yield unresolved(doc.at(*path, "lead"), "牵头单位", d.lead, reg.units)
    for u in d.responsible:
        if u not in units:
            yield unresolved(doc.item_at((*path, "responsible"), u), "责任单位", u, reg.units)
    if d.lead in d.responsible:
        yield error(doc.item_at((*path, "responsible"), d.lead), "lead-also-responsible",
                    f"牵头单位“{d.lead}”同时列为责任单位", "从 responsible 中删去牵头单位：每个事项只有一个牵头单位。")
    yield from _check_areas_and_referral(reg, d, doc, path)
    if d.due is not None and d.due < m.date:
        yield error(doc.at(*path, "due"), "due-before-meeting", f"完成时限 {d.due} 早于会议日期 {m.date}",
                    "改为会议日期之后的日期。")
    if d.due is None and not d.ongoing:
        yield error(d.pos, "no-deadline", f"议定事项“{d.id}”没有完成时限",
                    "加 due: YYYY-MM-DD，长期坚持的事项写 ongoing: true。")
    if d.proposal is not None and d.proposal not in reg.proposals:
        yield unresolved(doc.at(*path, "proposal"), "来源议题", d.proposal, reg.proposals)



def _check_areas_and_referral(reg: Registry, d: Decision, doc: Any, path: tuple[Any, ...]) -> Iterator[Problem]:
    for a in d.areas:
        if a not in reg.areas:
            yield unresolved(doc.item_at((*path, "areas"), a), "领域", a, reg.areas)
    if d.refer and not (reg.system and reg.system.parameters.major_issues_to):
        yield error(doc.at(*path, "refer"), "refer-without-rule", "议定事项标为报请决定（refer），但本制度没有这一规定",
                    "在 system.yaml 的 parameters.major_issues_to 写明报谁决定，或去掉 refer。")


CHECKS = [check_decisions]
