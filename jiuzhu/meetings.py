"""Meetings: liaison-officer meetings (联络员会议) prepare joint meetings (例会, 临时会议); a joint
meeting hears approved topics, makes decisions, and its minutes (会议纪要) are numbered, issued and
reported to the government. Once the minutes are issued the meeting is frozen.

Ids are `m-<date>-<kind>-<4 random hex>`: readable, sortable, and two offices creating a meeting on
the same day on two branches still get two ids.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jiuzhu import conveners
from jiuzhu.errors import InputRefused
from jiuzhu.meeting_kinds import KIND_NAMES, kind_name, kind_of  # noqa: F401  (re-exported)
from jiuzhu.model import Attendee, Meeting, Person, Proposal, Registry, System
from jiuzhu.proposals import act, last_act_date, stage_act, states_for
from jiuzhu.queries import active_unit, find_meeting
from jiuzhu.records import draw_id, flow, new_file, token
from jiuzhu.roundtrip import commented_seq, quoted, to_commented
from jiuzhu.schema import TIME_RE
from jiuzhu.writer import Transaction

MODES = {"attended": "出席", "excused": "请假", "observers": "列席"}
PREPARING, HELD, ISSUED = "筹备中", "已召开", "纪要已印发"


def minutes_number(m: Meeting) -> str | None:
    """〔2026〕1号; for minutes issued without a number, the date they were issued."""
    if m.minutes is None:
        return None
    if m.minutes.number is None:
        return f"{m.minutes.issued.isoformat()}印发，不编号"
    return f"〔{m.minutes.year}〕{m.minutes.number}号"


def numbered(s: System) -> bool:
    """Whether this system numbers its minutes (documents.minutes_numbered, default yes)."""
    return s.parameters.documents.get("minutes_numbered", True) is not False


def report_label(s: System | None) -> str:
    """报 (the default) or 抄报 (…印发有关方面并抄报区政府): how minutes name the government they go to."""
    return (s.parameters.documents.get("minutes_report_label") if s else None) or "报"


def refuse_if_issued(m: Meeting) -> None:
    """Issued minutes freeze the meeting: its decisions are changed only by recorded reassignments."""
    if m.minutes:
        raise InputRefused(f"会议“{m.id}”的纪要已于 {m.minutes.issued} 印发（{minutes_number(m)}），不能再修改",
                           "议定事项的调整用 jiuzhu tasks reassign 另行记录；需要新的决定请另开会议。")


def refuse_if_liaison(m: Meeting, what: str) -> None:
    if not m.is_joint:
        raise InputRefused(f"会议“{m.id}”是联络员会议，不能{what}",
                           "联络员会议只研究议题、形成初步意见；议定事项和会议纪要属于联席会议（例会或临时会议）。"
                           f"联络员会议的记录用 jiuzhu minutes render {m.id} 生成，由办公室留存，不编号、不印发。")


# --- meeting new ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class NewMeeting:
    id: str
    path: str
    title: str
    chair: str
    agenda: tuple[Proposal, ...]


def new_meeting(reg: Registry, kind: str, day: dt.date, time: str | None = None, place: str | None = None,
                chair: str | None = None, title: str | None = None, draw: Callable[[], str] = token) -> NewMeeting:
    """A meeting file pre-filled with what the office knows beforehand: chair, expected units in
    founding-document order, and the agenda (joint: approved topics, which are marked 上会;
    liaison: topics that passed review)."""
    assert reg.system is not None
    _check_kind_and_time(kind, time)
    role, name = _chair(reg, kind, chair)
    root = Path(reg.root)
    ident = draw_id(f"m-{day:%Y%m%d}-{kind}", lambda i: i in reg.meetings
                    or (root / f"meetings/{day.year}/{i}.yaml").exists(), draw)
    rel = f"meetings/{day.year}/{ident}.yaml"
    title = (title or "").strip() or f"{reg.system.name}{day.year}年{kind_name(reg.system, kind)}"
    agenda = _agenda(reg, kind, day)
    data: dict[str, Any] = {"id": ident, "kind": kind, "title": title, "date": day,
                            "time": None if time is None else quoted(time), "place": place,
                            "chair": {"role": role, "name": name}, "expected": _expected(reg, day),
                            "agenda": [p.id for p in agenda], **({} if kind == "liaison" else {"decisions": []})}
    tx = Transaction(root)
    tx.create(rel, new_file(data, title, flow_maps=["chair"]))
    if kind != "liaison":
        for p in agenda:
            stage_act(tx, p, act(reg, p, "schedule", day, "office", None, ident))
    tx.commit()
    who = (_role_name(reg.system, role) or role) + (f"（{name}）" if name else "")
    return NewMeeting(ident, rel, title, who, tuple(agenda))


def _expected(reg: Registry, day: dt.date) -> list[str]:
    """The member units on `day`, in founding-document order."""
    return [u.id for u in reg.active_units() if u.since is None or u.since <= day]


def _check_kind_and_time(kind: str, time: str | None) -> None:
    if kind not in KIND_NAMES:
        raise InputRefused(f"会议类型“{kind}”不可用",
                           "--kind 只能是 regular（例会）、adhoc（临时会议）或 liaison（联络员会议）。")
    if time is not None and not TIME_RE.match(time):
        raise InputRefused(f"--time 的值“{time}”不是时间", "时间写成 HH:MM，例如 09:30。")


def _chair(reg: Registry, kind: str, chair: str | None) -> tuple[str, str | None]:
    """(role, name) of the chair. A joint meeting is chaired by the registry's default chair (the
    chief convener, or a convener where there is no chief) or a convener by role, name or post;
    where the registry allows delegation, by any official named (委托有关同志主持). A liaison
    meeting is organised by the office."""
    s = reg.system
    assert s is not None
    if chair is None:
        if kind == "liaison":
            return "office", s.office.director
        role = conveners.default_chair(s)
        return role, _only_name(s, role)
    chair = chair.strip()
    if chair in conveners.ROLES:
        if chair not in conveners.roles(s):
            raise InputRefused(f"制度没有{conveners.title(s, chair)}",
                               f"用 --chair {conveners.role_help(s)}，或写姓名。")
        return chair, _only_name(s, chair)
    named = _named_chair(s, chair)
    if named is not None:
        return named
    if kind == "liaison":
        return "office", None if chair == "office" else chair
    if s.leadership.delegation and chair not in ("", "office"):
        return conveners.DELEGATE, chair
    known = "、".join(p.name for _, p in conveners.people(s) if p.name)
    titles = "或".join(conveners.title(s, r) for r in conveners.roles(s))
    raise InputRefused(f"“{chair}”不是{titles}，不能主持联席会议",
                       f"用 --chair {conveners.role_help(s)}" + (f"，或写姓名：{known}" if known else "")
                       + "；制度允许委托有关同志主持时，在 system.yaml 的 conveners 中写 delegation: true。")


def _role_name(s: System | None, role: str | None) -> str | None:
    if role == "office":
        return "联席会议办公室"
    return conveners.title(s, role) if s is not None and role else role


def _only_name(s: System, role: str) -> str | None:
    """The name of the person in that role when there is exactly one."""
    if role == conveners.CHIEF:
        return s.chief.name if s.chief else None
    return s.conveners[0].name if len(s.conveners) == 1 else None


def _named_chair(s: System, chair: str) -> tuple[str, str | None] | None:
    """The convener named by name or post, if any."""
    if not chair:
        return None
    return next(((role, p.name or None) for role, p in conveners.people(s) if chair in (p.name, p.post)), None)


def _agenda(reg: Registry, kind: str, day: dt.date) -> list[Proposal]:
    """Joint meeting: topics approved on or before `day` and not yet on a meeting. Liaison meeting:
    topics that passed the office review on or before `day` (approved or awaiting approval).
    Both in the order the topics were proposed."""
    if kind == "liaison":
        states, needed = set(states_for(reg, "approve")) | set(states_for(reg, "schedule")), "review_pass"
    else:
        states, needed = set(states_for(reg, "schedule")), "approve"
    chosen = []
    for p in reg.proposals.values():
        when = last_act_date(p, needed)
        if p.status in states and when is not None and when <= day:
            chosen.append(p)
    return sorted(chosen, key=lambda p: (p.history[0].date, p.id))  # in the order they were proposed


# --- attendance ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Attendance:
    mode: str
    units: tuple[str, ...]
    org: str | None
    names: tuple[str, ...]


def attend(reg: Registry, ref: str, mode: str, units: Iterable[str] = (), names: Iterable[str] = (),
           org: str | None = None, rest: bool = False) -> Attendance:
    """Record units (or an outside organisation, for observers) as attended / excused / observers.
    A unit already recorded is moved, so each unit appears once."""
    m = find_meeting(reg, ref)
    refuse_if_issued(m)
    if mode not in MODES:
        raise InputRefused(f"出席情况“{mode}”不可用",
                           "用 --attended（出席）、--excused（请假）或 --observer（列席）之一。")
    names = tuple(n.strip() for n in names if n.strip())
    org = (org or "").strip() or None
    ids = _attending(reg, m, mode, units, rest)
    _check_attendance(reg, m, mode, ids, names, org)
    # a unit attending without --name is represented by its member of the joint meeting, where named
    entries = [{"unit": u, "names": list(names) or _member(reg, u, mode)} for u in ids]
    if org:
        entries.append({"org": org, "names": list(names)})
    tx = Transaction(Path(reg.root))
    tx.edit(m.file, _recorder(mode, ids, entries))
    tx.commit()
    return Attendance(mode, tuple(ids), org, names)


def _member(reg: Registry, unit: str, mode: str) -> list[str]:
    member = reg.units[unit].member
    return [member.name] if mode == "attended" and member is not None and member.name else []


def _attending(reg: Registry, m: Meeting, mode: str, units: Iterable[str], rest: bool) -> list[str]:
    ids = [active_unit(reg, u) for u in units]
    if rest:
        recorded = {a.unit for a in (*m.attended, *m.excused)}
        ids += [u for u in m.expected if u not in recorded and u not in ids]
    return ids


def _check_attendance(reg: Registry, m: Meeting, mode: str, ids: list[str], names: tuple[str, ...],
                      org: str | None) -> None:
    if org and mode != "observers":
        raise InputRefused("--org 只用于列席人员",
                           "成员单位用 --unit；非成员单位的列席人员用 --observer --org 单位名称。")
    if not ids and not org:
        raise InputRefused("没有指定单位", "用 --unit 指定单位（可重复），或用 --rest 表示其余应到单位。")
    if names and len(ids) + (1 if org else 0) > 1:
        raise InputRefused("--name 只能用于一个单位", "姓名逐个单位记录：每次一个 --unit 加它的 --name。")
    outside = [u for u in ids if u not in m.expected] if mode != "observers" else []
    if outside:
        raise InputRefused(f"{reg.units[outside[0]].name}不在该会议的应到单位之中",
                           "非应到单位的人员请用 --observer 记为列席。")


def _recorder(mode: str, ids: list[str], entries: list[dict[str, Any]]) -> Callable[[Any], None]:
    """The edit of the meeting file: the units moved out of any other list, added to `mode`'s."""
    def change(data: Any) -> None:
        if data.get("attendance") is None:
            data["attendance"] = to_commented({})
        att = data["attendance"]
        for key in MODES:
            kept = [a for a in att.get(key) or () if not (a.get("unit") and a.get("unit") in ids)]
            if key in att and len(kept) != len(att[key]):
                att[key] = _block(kept)
        target = list(att.get(mode) or ())
        att[mode] = _block(target + [flow({k: v for k, v in e.items() if v != []}) for e in entries])

    return change


def _block(items: list[Any]) -> Any:
    return commented_seq(items, flow=True if not items else None)


# --- queries ---------------------------------------------------------------------------------------

def chair_name(s: System, m: Meeting) -> str | None:
    """The chair's name: as recorded for the meeting, else the registry's person in that role."""
    if m.chair_name:
        return m.chair_name
    if m.chair_role == "office":
        return s.office.director
    person = conveners.person(s, m.chair_role or "")
    return person.name if person else None


def convener(s: System, name: str | None) -> Person | None:
    """The convener of that name, else the first one."""
    return conveners.person(s, conveners.CONVENER, name)


def meeting_status(m: Meeting, today: dt.date) -> str:
    if m.minutes:
        return ISSUED
    if m.date <= today or m.attended or m.decisions:
        return HELD
    return PREPARING


def meeting_rows(reg: Registry, today: dt.date, year: int | None = None) -> list[dict[str, Any]]:
    return [{"id": m.id, "kind": m.kind, "kind_name": kind_name(reg.system, m.kind), "date": m.date.isoformat(),
             "time": m.time, "title": m.title, "status": meeting_status(m, today), "agenda": len(m.agenda),
             "decisions": len(m.decisions), "minutes": minutes_number(m)}
            for m in reg.meetings.values() if year is None or m.date.year == year]


def meeting_detail(reg: Registry, ref: str, today: dt.date) -> dict[str, Any]:
    m = find_meeting(reg, ref)

    def name(u: str | None) -> str | None:
        return reg.units[u].name if u is not None and u in reg.units else u

    def people(items: tuple[Attendee, ...]) -> list[dict[str, Any]]:
        return [{"unit": a.unit, "unit_name": name(a.unit), "org": a.org, "names": list(a.names)} for a in items]

    recorded = {a.unit for a in (*m.attended, *m.excused)}
    return {
        "id": m.id, "kind": m.kind, "kind_name": kind_name(reg.system, m.kind), "title": m.title,
        "date": m.date.isoformat(), "time": m.time, "place": m.place, "status": meeting_status(m, today),
        "chair": {"role": m.chair_role, "role_name": _role_name(reg.system, m.chair_role),
                  "name": m.chair_name},
        "expected": list(m.expected), "attended": people(m.attended), "excused": people(m.excused),
        "observers": people(m.observers), "not_recorded": [u for u in m.expected if u not in recorded],
        "agenda": [{"id": p, "title": reg.proposals[p].title if p in reg.proposals else None,
                    "unit_name": name(reg.proposals[p].unit) if p in reg.proposals else None,
                    "status": reg.proposals[p].status if p in reg.proposals else None} for p in m.agenda],
        "decisions": [{"id": d.id, "text": d.text, "lead": d.lead, "lead_name": name(d.lead),
                       "responsible": list(d.responsible), "responsible_names": [name(u) for u in d.responsible],
                       "due": d.due.isoformat() if d.due else None, "ongoing": d.ongoing} for d in m.decisions],
        "minutes": ({"number": minutes_number(m), "issued": m.minutes.issued.isoformat(),
                     "reported_to": m.minutes.reported_to} if m.minutes else None),
        "file": m.file,
    }
