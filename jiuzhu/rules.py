"""The rules of procedure (seed 四、1-5) over meetings, as `jiuzhu validate` checks them: chairs,
member units, agenda items reviewed and approved in time, liaison meetings before joint ones, a
regular meeting every year, issued minutes complete and numbered without duplicates.

Proposal histories are checked in `jiuzhu.proposals`, decisions in `jiuzhu.decisions`.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from jiuzhu import conveners
from jiuzhu.checking import id_matches_file, unresolved
from jiuzhu.meetings import MODES, numbered
from jiuzhu.model import Meeting, Proposal, Registry
from jiuzhu.problems import Problem, error, warning
from jiuzhu.proposals import last_act_date

if TYPE_CHECKING:
    from jiuzhu.checking import Context
    from jiuzhu.doc import Doc


def _check_chair(reg: Registry, m: Meeting, doc: Doc) -> Iterable[Problem]:
    """A joint meeting is chaired by a convener of the registry (a chief convener only where there
    is one), or by a delegated official where the registry allows delegation; where the registry
    names the conveners, the chair's name must be one of those names."""
    s = reg.system
    if s is None:
        return
    allowed = conveners.roles(s) + ((conveners.DELEGATE,) if s.leadership.delegation else ())
    if m.chair_role not in allowed:
        chief, convener = conveners.title(s, conveners.CHIEF), conveners.title(s, conveners.CONVENER)
        who = f"{chief}或其委托的{convener}" if conveners.has_chief(s) else convener
        delegated = "或委托有关同志主持" if s.leadership.delegation else ""
        yield error(doc.at("chair"), "bad-chair", f"联席会议应由{who}主持{delegated}",
                    "写成 " + " 或 ".join(f"chair: {{role: {r}}}" for r in allowed) + "。")
        return
    if not m.chair_name or m.chair_role == conveners.DELEGATE:
        return
    known = [p.name for role, p in conveners.people(s) if role == m.chair_role and p.name]
    if known and m.chair_name not in known:
        title = conveners.title(s, m.chair_role)
        yield error(doc.at("chair", "name"), "bad-chair", f"主持人“{m.chair_name}”不是登记的{title}",
                    f"登记的{title}：{'、'.join(known)}；如有变动，先在 system.yaml 的 conveners 中更新。")


def check_meetings(reg: Registry, ctx: Context) -> Iterable[Problem]:
    """Per meeting: id matches file, chair, member units, agenda references and approvals, minutes."""
    numbers: dict[tuple[int, int], str] = {}
    for m in reg.meetings.values():
        doc = reg.files[m.file]  # positions in it (its document) are looked up only for a problem
        if doc.file.rsplit("/", 1)[-1].rsplit(".", 1)[0] != m.id:
            yield from id_matches_file(doc, m.id, "会议编号")
        if m.is_joint:
            yield from _check_chair(reg, m, doc)
        yield from _check_units(reg, m, doc)
        yield from _check_agenda(reg, m, doc)
        mi = m.minutes
        if mi and m.is_joint and mi.issued >= m.date and mi.year == mi.issued.year and mi.reported_to.strip() \
                and mi.number is not None and (mi.year, mi.number) not in numbers:
            numbers[mi.year, mi.number] = m.id  # the common case of `_minutes`: nothing to report
        elif mi:
            yield from _minutes(reg, m, numbers)


def _check_units(reg: Registry, m: Meeting, doc: Any) -> Iterator[Problem]:
    """Expected, attending, excused and observing units are member units."""
    for u in m.expected:
        if u is not None and u not in reg.units:
            yield unresolved(_item(doc, "expected", u), "成员单位", u, reg.units)
    for key in MODES:
        for a in getattr(m, key):
            if a.unit is not None and a.unit not in reg.units:
                yield unresolved(_item(doc, key, a.unit), "成员单位", a.unit, reg.units)


def _check_agenda(reg: Registry, m: Meeting, doc: Any) -> Iterator[Problem]:
    for i, pid in enumerate(m.agenda):
        p = reg.proposals.get(pid)
        if p is None:
            yield unresolved(doc.at("agenda", i), "议题", pid, reg.proposals)
        elif m.is_joint:
            yield from _approved_before(reg, p, m, doc, i)


def _item(doc: Any, key: str, unit: str) -> Any:
    if key == "expected":
        return doc.item_at(("expected",), unit)
    for i, a in enumerate((doc.data.get("attendance") or {}).get(key) or ()):
        if isinstance(a, dict) and a.get("unit") == unit:
            return doc.at("attendance", key, i)
    return doc.at("attendance")


def basis(reg: Registry, check: str) -> str:
    """The founding text a check enforces, quoted from the registry (parameters.basis names the
    rule; the rule's `ref` is how its document numbers it): "（议事规则四、1：……）", or nothing."""
    s = reg.system
    rule_id = s.parameters.basis.get(check) if s else None
    rule = next((r for r in s.rules if r.id == rule_id), None) if s and rule_id else None
    return f"（{rule.ref or rule.id}：{rule.text}）" if rule else ""


def _approved_before(reg: Registry, p: Proposal, m: Meeting, doc: Any, i: int) -> Iterator[Problem]:
    """Agenda item `i` of `m` (proposal `p`) was reviewed and approved by the meeting date."""
    reviewed, approved = last_act_date(p, "review_pass"), last_act_date(p, "approve")
    if reviewed is None or approved is None or approved > m.date or reviewed > m.date:
        who = "或".join(conveners.title(reg.system, r) for r in conveners.roles(reg.system)) if reg.system else "召集人"
        missing = "办公室初审" if reviewed is None or reviewed > m.date else f"{who}审定"
        yield error(doc.at("agenda", i), "agenda-not-approved", f"议题“{p.id}”在会议日期 {m.date} 前未经{missing}",
                    f"议题须先经办公室初审、再经审定，才能提交联席会议{basis(reg, 'approval')}："
                    "用 jiuzhu proposal review / approve，或把它从议程中移出。")


def _minutes(reg: Registry, m: Meeting, numbers: dict[tuple[int, int], str]) -> Iterator[Problem]:
    assert m.minutes is not None
    doc = reg.files[m.file]  # its positions are looked up only for a problem found
    mi = m.minutes
    if not m.is_joint:
        yield error(doc.at("minutes"), "liaison-minutes", "联络员会议不印发编号的会议纪要",
                    "删除 minutes；纪要由联席会议印发。")
    if mi.issued < m.date:
        yield error(doc.at("minutes", "issued"), "minutes-date", f"纪要印发日期 {mi.issued} 早于会议日期 {m.date}",
                    "纪要在会后印发。")
    if mi.year != mi.issued.year:
        yield error(doc.at("minutes", "year"), "minutes-year", f"纪要年份 {mi.year} 与印发日期 {mi.issued} 不符",
                    "纪要编号〔年份〕按印发年份。")
    if not mi.reported_to.strip():
        yield error(doc.at("minutes", "reported_to"), "minutes-report", "没有记录纪要报送对象",
                    f"会议纪要须报{reg.system.parameters.minutes_report_to if reg.system else '本级政府'}，"
                    "填写 reported_to。")
    if mi.number is None:
        if reg.system is not None and numbered(reg.system):
            yield error(doc.at("minutes"), "missing-field", "缺少必填字段“number”（纪要印发）",
                        "写上纪要编号；制度不给纪要编号时，在 system.yaml 的 parameters.documents 中写 "
                        "minutes_numbered: false。")
        return
    key = (mi.year, mi.number)
    if key in numbers:
        yield error(doc.at("minutes", "number"), "duplicate-minutes-number",
                    f"纪要编号〔{mi.year}〕{mi.number}号与会议“{numbers[key]}”重复",
                    "两处分支可能同时印发了纪要：把后印发的一份改为下一个未用的编号。")
    numbers.setdefault(key, m.id)


def check_regular_meetings(reg: Registry, ctx: Context) -> Iterable[Problem]:
    """At least `regular_meetings_per_year` regular meetings in each finished calendar year of the
    system's life (founding year .. as-of date). The as-of year is judged only once it is over."""
    if reg.system is None or reg.meetings.incomplete:
        return
    per_year = reg.system.parameters.regular_meetings_per_year
    held: dict[int, int] = {}
    for m in reg.meetings.values():
        if m.kind == "regular" and m.date <= ctx.as_of:
            held[m.date.year] = held.get(m.date.year, 0) + 1
    last = ctx.as_of.year if ctx.as_of >= dt.date(ctx.as_of.year, 12, 31) else ctx.as_of.year - 1
    missing = [y for y in range(reg.system.founding.date.year, last + 1) if held.get(y, 0) < per_year]
    if missing:
        years = "、".join(str(y) for y in missing)
        yield warning(reg.files["system.yaml"].at("parameters", "regular_meetings_per_year"), "no-regular-meeting",
                      (f"{years} 年没有例会记录" if per_year == 1 else f"{years} 年的例会少于 {per_year} 次")
                      + basis(reg, "regular_meetings"),
                      "把当年召开的例会记入 meetings/（jiuzhu meeting new --kind regular --date …）。")


def check_liaison_before_joint(reg: Registry, ctx: Context) -> Iterable[Problem]:
    """Each topic of a joint meeting was discussed by a liaison meeting held since the previous joint
    meeting and not after this one (rule 四、2)."""
    if reg.system is None or not reg.system.parameters.liaison_meeting_before_joint:
        return

    liaisons = sorted((x for x in reg.meetings.values() if x.kind == "liaison"), key=_order)
    keys = [_order(x) for x in liaisons]  # bisect, not a scan per meeting: 100k-task registries
    dates = [x.date for x in liaisons]
    previous: Meeting | None = None
    for m in reg.meetings.values():  # in date order
        if not m.is_joint:
            continue
        lo = 0 if previous is None else bisect.bisect_right(dates, previous.date)
        prep = liaisons[lo:bisect.bisect_left(keys, _order(m))]
        discussed = {p for x in prep for p in x.agenda}
        doc = reg.files[m.file]
        if not prep:
            yield warning(doc.at("date"), "no-liaison-meeting", "联席会议召开前没有召开联络员会议",
                          f"联席会议召开前组织召开联络员会议研究议题{basis(reg, 'liaison_before_joint')}"
                          "（jiuzhu meeting new --kind liaison）。")
        else:
            for i, pid in enumerate(m.agenda):
                if pid not in discussed:
                    yield warning(doc.at("agenda", i), "not-discussed", f"议题“{pid}”未经会前的联络员会议研究",
                                  "把该议题列入会前联络员会议的议程。", pid)
        previous = m


def _order(m: Meeting) -> tuple[dt.date, str]:
    """Sort key for "held before": on the same day without times, the liaison meeting comes first."""
    return (m.date, m.time or ("" if m.kind == "liaison" else "99:99"))


CHECKS = [check_meetings, check_regular_meetings, check_liaison_before_joint]
