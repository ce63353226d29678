"""What each document says: the context a template gets, built from the registry as of the
document's date (minutes, notice, briefing, progress report)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from jiuzhu import conveners
from jiuzhu.errors import InputRefused
from jiuzhu.liaisons import directory, on
from jiuzhu.meetings import chair_name, kind_name, numbered, report_label
from jiuzhu.model import Meeting, Registry, System
from jiuzhu.queries import find_meeting
from jiuzhu.render import cn_date, doc_number
from jiuzhu.report_scope import Scope, describe, select
from jiuzhu.tasks import DONE, DUE_SOON, ONGOING, OVERDUE, TaskView, task_views
from jiuzhu.workdays import Calendar

# The 通报's work requirements when the registry gives none: no deadline a founding text did not set.
REPORT_REQUIREMENTS = (
    "各牵头单位要对照任务清单，切实履行牵头责任，会同责任单位细化措施、明确时限，确保议定事项按期办结。",
    "对逾期未完成的事项，牵头单位要向联席会议办公室书面说明原因和整改措施，并明确完成时间。",
)


def _system(reg: Registry) -> System:
    if reg.system is None:
        raise InputRefused("登记册缺少 system.yaml", "用 jiuzhu init 新建登记册。")
    return reg.system


def _office_contact(reg: Registry, s: System, day: dt.date) -> tuple[str | None, str | None]:
    """Who a member unit calls about a meeting, and the number: the office unit's liaison on the
    document's date (jiuzhu.liaisons; office phone, else mobile), else the office director (no number)."""
    liaison = on(reg.units[s.office.unit], "liaison", day) if s.office.unit in reg.units else None
    if liaison is None or not liaison.name:
        return s.office.director, None
    return liaison.name, liaison.phone or liaison.mobile or None


def _leaders(s: System) -> dict[str, str]:
    """Who documents name as leading and as addressee, from the registry (jiuzhu.conveners)."""
    docs = s.parameters.documents
    return {
        "briefing_send_to": docs.get("briefing_send_to") or conveners.leaders(s),
        "leaders": conveners.leaders(s),
        "convened_by": "联席会议" + conveners.title(s, conveners.default_chair(s)),
        # 报 (the default) or 抄报 (…印发有关方面并抄报区政府): how the minutes' imprint names its addressee
        "report_label": report_label(s),
    }


def system_context(reg: Registry, day: dt.date) -> dict[str, Any]:
    s = _system(reg)
    docs = s.parameters.documents
    office_unit = reg.units[s.office.unit].name_on(day) if s.office.unit in reg.units else s.office.unit
    contact, phone = _office_contact(reg, s, day)
    return {
        "office_contact": contact, "office_phone": phone,
        "name": s.name, "jurisdiction": s.jurisdiction, "government": s.government,
        "office_unit": office_unit, "office_director": s.office.director,
        "issuing_office": docs.get("issuing_office") or "联席会议办公室",
        "minutes_mark": docs.get("minutes_mark") or f"{s.name}纪要",
        "briefing_mark": docs.get("briefing_mark") or "社会救助工作简报",
        "briefing_compiler": docs.get("briefing_compiler") or docs.get("issuing_office") or office_unit,
        "briefing_report_to": docs.get("briefing_report_to") or f"{s.government}领导",
        **_leaders(s),
        "briefing_distribute_to": docs.get("briefing_distribute_to") or s.parameters.minutes_send_to,
        "report_title": docs.get("report_title") or f"{s.name}议定事项进展情况通报",
        "copies": docs.get("copies"),
        "report_requirements": list(docs.get("report_requirements") or REPORT_REQUIREMENTS),
        "rectification_requirement": docs.get("rectification_requirement")
        or "被检查单位要对照问题清单逐项整改，在整改时限内完成，并将整改情况书面报送联席会议办公室。",
        "reply_requirement": docs.get("reply_requirement")
        or "请按回复时限将上述事项的办理情况、未按期完成的原因和下一步措施书面回复联席会议办公室。",
        "report_to": s.parameters.minutes_report_to, "send_to": s.parameters.minutes_send_to,
        "escalation": [{"level": lv.level, "from_workdays": lv.from_workdays} for lv in s.parameters.escalation],
    }


def _chair(s: System, m: Meeting) -> str:
    """Who chaired, as minutes write it: 副县长、联席会议总召集人张三; 受联席会议召集人委托，王五."""
    if m.chair_role == "office":
        title = "副主任" if m.chair_name and m.chair_name in s.office.deputies else "主任"
        return f"联席会议办公室{title}{m.chair_name or s.office.director or ''}"
    if m.chair_role == conveners.DELEGATE:
        return f"受联席会议{conveners.title(s, conveners.default_chair(s))}委托，{m.chair_name or ''}"
    role = m.chair_role or conveners.default_chair(s)
    person = conveners.person(s, role, m.chair_name)
    label = "联席会议" + conveners.title(s, role)
    name = chair_name(s, m) or ""
    post = person.post if person and (not m.chair_name or person.name == m.chair_name) else None
    return f"{post}、{label}{name}" if post else f"{label}{name}"


def _attendees(items: Iterable[Any], order: Mapping[str, int]) -> list[dict[str, Any]]:
    rows = [{"unit": a.unit, "names": list(a.names), "org": a.org} for a in items]
    return sorted(rows, key=lambda r: order.get(r["unit"] or "", len(order)))


def meeting_context(reg: Registry, m: Meeting) -> dict[str, Any]:
    s = _system(reg)
    order = {uid: i for i, uid in enumerate(reg.units)}
    agenda = []
    for pid in m.agenda:
        p = reg.proposals.get(pid)
        agenda.append({"id": pid, "title": p.title if p else pid, "unit": p.unit if p else None,
                       "summary": p.summary if p else None})
    return {
        "id": m.id, "kind": m.kind, "kind_name": kind_name(s, m.kind), "is_joint": m.is_joint,
        "title": m.title or f"{s.name}{m.date.year}年{kind_name(s, m.kind)}",
        "date": m.date, "time": m.time, "place": m.place, "chair": _chair(s, m),
        "chair_name": chair_name(s, m), "expected": sorted(m.expected, key=lambda u: order.get(u, len(order)))
        or [u.id for u in reg.active_units()],
        "attended": _attendees(m.attended, order), "excused": _attendees(m.excused, order),
        "observers": _attendees(m.observers, order),
        "agenda": agenda, "heard": list(m.heard),
        "decisions": [{"n": d.seq, "id": d.id, "text": d.text, "lead": d.lead, "responsible": list(d.responsible),
                       "due": d.due, "ongoing": d.ongoing,
                       "refer": s.parameters.major_issues_to if d.refer else None} for d in m.decisions],
    }


def minutes_context(reg: Registry, ref: str) -> dict[str, Any]:
    """会议纪要: numbered when issued (`minutes issue`), otherwise a marked draft."""
    m = find_meeting(reg, ref)
    mi = m.minutes
    return {
        # a liaison meeting only prepares the joint meeting: its record is kept by the office, not
        # numbered or issued (minutes issue refuses it), so it is rendered as a 会议记录, not a draft
        "kind": "minutes" if m.is_joint else "record",
        "doc_date": m.date,
        "system": system_context(reg, m.date),
        "meeting": meeting_context(reg, m),
        "minutes": {"draft": mi is None, "numbered": numbered(_system(reg)), "year": m.date.year, "number": None,
                    "issued": None, "reported_to": None, **(mi._asdict() if mi else {})},
    }


def notice_context(reg: Registry, ref: str, day: dt.date) -> dict[str, Any]:
    """会议通知 dated `day`: replies are due two working days before the meeting."""

    m = find_meeting(reg, ref)
    if day > m.date:
        raise InputRefused(f"通知日期 {cn_date(day)} 晚于会议日期 {cn_date(m.date)}（会议 {m.id}）",
                           "会议通知须在会前发出：用 --date 写会前的日期，或不加 --date（默认今天）。")
    reply_by = Calendar.of(reg).add_workdays(m.date, -2).date
    return {
        "doc_date": day,
        "system": system_context(reg, day),
        "meeting": meeting_context(reg, m),
        "notice": {"date": day, "reply_by": max(reply_by, day)},
    }


def briefing_period(reg: Registry, start: dt.date | None, end: dt.date | None, day: dt.date) -> tuple[dt.date, dt.date]:
    """Default period: from the day after the last issued briefing's end (or 1 January) to `day`."""
    end = end or day
    if start is None:
        ends = [b.period_to for b in _system(reg).briefings if b.period_to and b.period_to < end]
        start = max(ends) + dt.timedelta(days=1) if ends else dt.date(end.year, 1, 1)
    if start > end:
        raise InputRefused(f"简报期间的开始日期 {start} 晚于结束日期 {end}", "检查 --from 和 --to。")
    return start, end


def next_briefing_number(reg: Registry, year: int) -> int:
    return max((b.number for b in _system(reg).briefings if b.year == year), default=0) + 1


def briefing_context(reg: Registry, start: dt.date | None, end: dt.date | None, day: dt.date) -> dict[str, Any]:
    """工作简报 for a period: its meetings and decisions, progress reported, totals at its end."""

    start, end = briefing_period(reg, start, end, day)
    state = task_state(reg, day)
    meetings = [meeting_context(reg, m) for m in reg.meetings.values() if start <= m.date <= end]
    for m in meetings:
        m["decisions"] = [_in_force(d, state) for d in m["decisions"]]
    progress: list[dict[str, Any]] = []
    for task in reg.tasks.values():
        decision = reg.decisions.get(task.id)
        entries = [{"date": e.date, "unit": e.by, "note": e.note, "percent": e.percent, "status": e.status}
                   for e in task.log if start <= e.date <= end]
        if decision and entries:
            lead = state[task.id].lead if task.id in state else decision.lead
            progress.append({"task": task.id, "text": decision.text, "lead": lead, "entries": entries})
    progress.sort(key=lambda g: (g["entries"][0]["date"], g["task"]))
    views = [v for v in task_views(reg, end) if v.meeting_date <= end]
    return {
        "doc_date": day,
        "system": system_context(reg, day),
        "briefing": {"year": day.year, "number": next_briefing_number(reg, day.year), "date": day,
                     "from": start, "to": end},
        "meetings": meetings,
        "inspections": _inspections(reg, start, end),
        "progress": progress,
        "totals": _totals(views, end, reg),
    }


def _inspections(reg: Registry, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """The inspections held in a briefing's period, as its sentences need them."""
    return [{"date": i.date, "kind": i.kind, "topic": i.topic, "lead": i.lead, "units": list(i.units),
             "findings": len(i.findings), "samples": len(i.samples),
             "false": sum(1 for x in i.samples if x.result == "不属实")}
            for i in reg.inspections.values() if start <= i.date <= end]


def _minutes_no(reg: Registry, meeting: str) -> str:
    """The 纪要号 of the meeting that took a decision (〔2026〕1号), or "" before its minutes are issued."""
    m = reg.meetings.get(meeting)
    if m is None or m.minutes is None or m.minutes.number is None:
        return ""
    return doc_number(m.minutes.year, m.minutes.number)


def source_label(reg: Registry, v: TaskView) -> str:
    """Where a task comes from, as a document names it: a meeting's 纪要号 (or its date and title
    before issue), an inspection's kind and date."""
    if v.source == "inspection":
        ins = reg.inspections.get(v.meeting)
        return f"{cn_date(ins.date)}{ins.kind}" if ins else v.meeting
    m = reg.meetings.get(v.meeting)
    if m is None:
        return v.meeting
    if m.minutes is not None:
        if m.minutes.number is None:
            return f"{cn_date(m.date)}会议纪要"
        return f"纪要{doc_number(m.minutes.year, m.minutes.number)}"
    return f"{cn_date(m.date)}会议"


def task_state(reg: Registry, day: dt.date) -> dict[str, Any]:
    """Each task as it stands on a document's date (lead and responsible units after any
    reassignment): the one source every document that reports on tasks reads. Minutes reproduce
    the decision as the meeting took it; a reassignment is its own record."""
    return {v.id: v for v in task_views(reg, day)}


def _in_force(decision: dict[str, Any], state: dict[str, Any]) -> dict[str, Any]:
    v = state.get(decision["id"])
    if v is None:
        return decision
    return {**decision, "lead": v.lead, "responsible": list(v.responsible), "due": v.due,
            "reassigned": (v.lead, tuple(v.responsible)) != (decision["lead"], tuple(decision["responsible"]))}


def _totals(views: list[Any], as_of: dt.date, reg: Registry) -> dict[str, Any]:
    done = [v for v in views if v.report_status == DONE]
    due = [v for v in views if v.due is not None and v.due <= as_of]
    on_time = [v for v in due if v.report_status == DONE and (_done_on(reg, v.id) or as_of) <= v.due]
    return {
        "total": len(views), "done": len(done), "overdue": sum(v.report_status == OVERDUE for v in views),
        "in_progress": sum(v.report_status not in (DONE, OVERDUE, ONGOING) for v in views),
        "due_soon": sum(v.report_status == DUE_SOON for v in views),
        "ongoing": sum(v.report_status == ONGOING for v in views),
        "due": len(due), "on_time": len(on_time),
    }


def _done_on(reg: Registry, task_id: str) -> dt.date | None:
    """The date a task was first reported done (for the on-time rate)."""
    task = reg.tasks.get(task_id)
    return next((e.date for e in task.log if e.status == "已完成"), None) if task else None


def next_report_number(reg: Registry, year: int) -> int:
    return max((r.number for r in _system(reg).reports if r.year == year), default=0) + 1


def progress_context(reg: Registry, as_of: dt.date, number: int | None = None, scope: Scope | None = None,
                     issuing: bool = False) -> dict[str, Any]:
    """进展情况通报 on `as_of` for the decisions `scope` covers (jiuzhu.report_scope): totals, late
    items by lead unit, the task table. Its number is the next of its year kept in system.yaml
    (`reports.issued`), or `number`; issuing a number already given is refused."""
    scope = scope or Scope()
    views = select(scope, task_state(reg, as_of).values(), as_of)
    title = meeting_context(reg, reg.meetings[scope.meeting])["title"] if scope.meeting else None
    covers = describe(reg, scope, as_of, views, title)
    if not views:
        raise InputRefused(f"截至{cn_date(as_of)}，没有{covers['record']}，不生成通报",
                           "换一个范围（--meeting、--year、--from/--to、--unit），或检查 --as-of。")
    taken = {r.number: r for r in _system(reg).reports if r.year == as_of.year}
    number = number or next_report_number(reg, as_of.year)
    if issuing and number in taken:
        raise InputRefused(f"{as_of.year}年第{number}期通报已于{cn_date(taken[number].date)}登记",
                           f"去掉 --number（下一期是第{next_report_number(reg, as_of.year)}期），"
                           "或去掉 --issue 只重新生成这一期。")
    order = {uid: i for i, uid in enumerate(reg.units)}
    late: dict[str, list[dict[str, Any]]] = {}
    rows: list[dict[str, Any]] = []
    for n, v in enumerate(views, 1):
        row = {
            "n": n, "id": v.id, "text": v.text, "meeting": v.meeting, "meeting_date": v.meeting_date,
            "lead": v.lead, "responsible": list(v.responsible), "due": v.due, "ongoing": v.due is None,
            "status": v.report_status, "percent": v.percent, "note": v.last_note, "note_date": v.last_date,
            "level": v.level, "days_overdue": v.days_overdue, "workdays_overdue": v.workdays_overdue,
            "minutes_no": _minutes_no(reg, v.meeting), "source": source_label(reg, v),
        }
        rows.append(row)
        if v.report_status == OVERDUE:
            late.setdefault(v.lead, []).append(row)
    by_unit: list[dict[str, Any]] = [
        {"unit": uid, "tasks": sorted(late[uid], key=lambda r: -int(r["workdays_overdue"]))}
        for uid in sorted(late, key=lambda u: order.get(u, len(order)))
    ]
    return {
        "doc_date": as_of,
        "system": system_context(reg, as_of),
        "report": {"as_of": as_of, "year": as_of.year, "number": number, "scope": covers["record"],
                   "what": covers["what"], "unit": covers["unit"]},
        "totals": _totals(views, as_of, reg),
        "late": by_unit,
        "rows": rows,
    }


def liaisons_context(reg: Registry, day: dt.date) -> dict[str, Any]:
    """联络员通讯录 on `day`: each member unit's liaison and deputy (jiuzhu.liaisons)."""
    by_unit: dict[str, dict[str, Any]] = {}
    for e in directory(reg, day):
        row = by_unit.setdefault(e.unit, {"unit": e.unit_name, "liaison": "", "liaison_phones": "",
                                          "deputy": "", "deputy_phones": ""})
        if e.contact is not None:
            row[e.role] = " ".join(x for x in (e.contact.name, e.contact.post) if x)
            row[f"{e.role}_phones"] = " ".join(x for x in (e.contact.phone, e.contact.mobile) if x)
    return {"doc_date": day, "system": system_context(reg, day),
            "directory": {"title": f"{_system(reg).name}联络员通讯录", "date": day, "rows": list(by_unit.values())}}
