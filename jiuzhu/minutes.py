"""Minutes from the meeting to their issue.

The steps before issue are data (system.yaml `parameters.minutes_workflow`): a consent round
(经与会单位同意后印发: the draft is circulated, each attending unit agrees or comments) and a
sign-off by a convener (签发). A system without the parameter issues its minutes directly.

The round is recorded in the meeting file under `consent:` and the sign-off under `signed:`. The
round covers the decisions as circulated: a digest of them is kept, and a decision added or changed
afterwards means the draft has to go round again before it can be issued. Issuing numbers the
minutes (where the system numbers them), records the report to the government and freezes the
meeting.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jiuzhu import conveners
from jiuzhu.checking import unresolved
from jiuzhu.errors import InputRefused
from jiuzhu.meetings import chair_name, numbered, refuse_if_issued, refuse_if_liaison
from jiuzhu.model import Meeting, Registry, Reply, System
from jiuzhu.problems import Problem, error, warning
from jiuzhu.proposals import act, stage_act, states_for
from jiuzhu.queries import find_meeting, find_unit
from jiuzhu.records import flow
from jiuzhu.rules import basis
from jiuzhu.writer import Transaction

if TYPE_CHECKING:
    from jiuzhu.checking import Context

CONSENT, SIGN = "consent", "sign"
STEP_NAMES = {CONSENT: "征求与会单位意见", SIGN: "签发"}
AGREE, COMMENT = "同意", "有意见"
_LETTERS = str.maketrans("0123456789", "ghijklmnop")


def steps(s: System | None) -> tuple[str, ...]:
    return s.parameters.minutes_workflow.steps if s else ()


def signer(s: System) -> str:
    """Who signs the minutes off by default: `sign_by`, else whoever approves topics."""
    return s.parameters.minutes_workflow.sign_by or conveners.approver(s)


def digest(m: Meeting) -> str:
    """What the round agreed to: each decision's text, units and deadline, as 12 letters (no
    digits: nothing a reader could take for a number, a date or a phone number)."""
    h = hashlib.sha256()
    for d in m.decisions:
        h.update(repr((d.id, " ".join(d.text.split()), d.lead, d.responsible, d.due, d.ongoing)).encode())
    return h.hexdigest()[:12].translate(_LETTERS)


def consenters(reg: Registry, m: Meeting) -> tuple[str, ...]:
    """The units whose agreement the round needs: the attending units (or every expected unit)."""
    assert reg.system is not None
    if reg.system.parameters.minutes_workflow.consent_of == "expected":
        return m.expected
    return tuple(a.unit for a in m.attended if a.unit)


@dataclass(frozen=True)
class RoundState:
    """Where a meeting's minutes stand in the steps before issue."""

    circulated: dt.date | None
    stale: bool                                # decisions changed after the draft was circulated
    agreed: tuple[str, ...]
    comments: tuple[tuple[str, str], ...]      # (unit, comment) of units that have not agreed
    waiting: tuple[str, ...]                   # units that have not answered
    signed: dt.date | None
    signed_by: str | None

    @property
    def consented(self) -> bool:
        return self.circulated is not None and not self.stale and not self.comments and not self.waiting


def state(reg: Registry, m: Meeting) -> RoundState:
    c = m.consent
    latest: dict[str, tuple[bool, str | None]] = {}
    for r in c.replies if c else ():
        latest[r.unit] = (r.agrees, r.comment)
    needed = consenters(reg, m)
    return RoundState(
        c.circulated if c else None, c is not None and c.digest != digest(m),
        tuple(u for u in needed if latest.get(u, (False, None))[0]),
        tuple((u, latest[u][1] or "") for u in needed if u in latest and not latest[u][0]),
        tuple(u for u in needed if u not in latest),
        m.signed.date if m.signed else None, m.signed.by if m.signed else None)


def round_detail(reg: Registry, m: Meeting) -> dict[str, Any] | None:
    """The steps before issue as `meeting show` reports them; None where the system has none."""
    if not steps(reg.system) or not m.is_joint:
        return None
    st = state(reg, m)

    def named(units: tuple[str, ...]) -> list[str]:
        return [reg.units[u].name if u in reg.units else u for u in units]

    return {"steps": [STEP_NAMES[s] for s in steps(reg.system)],
            "circulated": st.circulated.isoformat() if st.circulated else None, "stale": st.stale,
            "agreed": named(st.agreed), "waiting": named(st.waiting),
            "comments": [{"unit": n, "comment": c} for n, (_, c) in zip(named(tuple(u for u, _ in st.comments)),
                                                                         st.comments, strict=True)],
            "consented": st.consented, "signed": st.signed.isoformat() if st.signed else None,
            "signed_by": conveners.title(reg.system, st.signed_by) if st.signed_by and reg.system else None}


def _open(reg: Registry, ref: str, step: str) -> Meeting:
    m = find_meeting(reg, ref)
    refuse_if_liaison(m, STEP_NAMES[step])
    refuse_if_issued(m)
    if step not in steps(reg.system):
        raise InputRefused(f"本制度的会议纪要印发前没有“{STEP_NAMES[step]}”这一步",
                           "印发前的步骤由 system.yaml 的 parameters.minutes_workflow.steps 规定；"
                           f"没有这一步就直接用 jiuzhu minutes issue {m.id} 印发。")
    return m


def circulate(reg: Registry, ref: str, day: dt.date) -> tuple[str, ...]:
    """Send the draft round (again): record the date and the decisions' digest; earlier replies
    no longer count. Returns the units asked."""
    m = _open(reg, ref, CONSENT)
    refuse_unready(reg, m)
    if day < m.date:
        raise InputRefused(f"征求意见日期 {day} 早于会议日期 {m.date}",
                           "纪要稿在会后送与会单位，--date 不能早于会议日期。")
    asked = consenters(reg, m)

    def change(data: Any) -> None:
        data["consent"] = flow({"circulated": day, "digest": digest(m)})
        data["consent"]["replies"] = []
        data["consent"].fa.set_block_style()

    tx = Transaction(Path(reg.root))
    tx.edit(m.file, change)
    tx.commit()
    return asked


def reply(reg: Registry, ref: str, unit_ref: str, agrees: bool, comment: str | None,
          day: dt.date) -> tuple[str, RoundState]:
    """Record one unit's answer to the round; its latest answer counts. Returns the unit id and
    where the round stands after it."""
    m = _open(reg, ref, CONSENT)
    if m.consent is None:
        raise InputRefused(f"会议“{m.id}”的纪要稿还没有送与会单位征求意见",
                           f"先用 jiuzhu minutes circulate {m.id} 登记送出，再登记各单位的答复。")
    unit = find_unit(reg, unit_ref).id
    if unit not in consenters(reg, m):
        raise InputRefused(f"{reg.units[unit].name}不在本次征求意见的范围内",
                           "只登记出席会议的成员单位的答复（见 jiuzhu meeting show " + m.id + "）。")
    if day < m.consent.circulated:
        raise InputRefused(f"答复日期 {day} 早于送出日期 {m.consent.circulated}", "答复在送出之后，--date 不能更早。")
    if not agrees and not (comment or "").strip():
        raise InputRefused("有意见的答复须写明意见", "用 --comment 写明修改意见；同意则用 --agree。")

    answer = Reply(unit, day, agrees, (comment or "").strip() or None)

    def change(data: Any) -> None:
        data["consent"]["replies"].append(flow({"unit": unit, "date": day, "result": AGREE if agrees else COMMENT,
                                                "comment": answer.comment}))

    tx = Transaction(Path(reg.root))
    tx.edit(m.file, change)
    tx.commit()
    return unit, state(reg, m._replace(consent=m.consent._replace(replies=(*m.consent.replies, answer))))


def sign(reg: Registry, ref: str, by: str | None, day: dt.date) -> str:
    """The convener's sign-off (签发), after the round where there is one. Returns the signer's role."""
    assert reg.system is not None
    m = _open(reg, ref, SIGN)
    wf = reg.system.parameters.minutes_workflow
    before = wf.steps[: wf.steps.index(SIGN)]
    if CONSENT in before:
        _refuse_without_consent(reg, m)
    role = by or signer(reg.system)
    if role not in conveners.roles(reg.system):
        raise InputRefused(f"--by {role}：本制度没有这一职务",
                           f"可写 {'、'.join(conveners.roles(reg.system))}（{conveners.role_help(reg.system)}）。")
    if day < m.date:
        raise InputRefused(f"签发日期 {day} 早于会议日期 {m.date}", "纪要在会后签发，--date 不能早于会议日期。")

    def change(data: Any) -> None:
        data["signed"] = flow({"date": day, "by": role, "digest": digest(m)})

    tx = Transaction(Path(reg.root))
    tx.edit(m.file, change)
    tx.commit()
    return role


def refuse_unless_ready(reg: Registry, m: Meeting) -> None:
    """Before `minutes issue`: every step the system sets has been done, on the decisions as they are."""
    for step in steps(reg.system):
        if step == CONSENT:
            _refuse_without_consent(reg, m)
        elif m.signed is None or m.signed.digest != digest(m):
            who = conveners.title(reg.system, signer(reg.system)) if reg.system else "召集人"
            what = "还没有签发" if m.signed is None else f"在 {m.signed.date} 签发后议定事项有改动，须重新签发"
            raise InputRefused(f"会议“{m.id}”的纪要{what}{basis(reg, 'minutes_workflow')}",
                               f"纪要须经{who}签发后印发：用 jiuzhu minutes sign {m.id} 登记签发。")


def _refuse_without_consent(reg: Registry, m: Meeting) -> None:
    st = state(reg, m)
    rule = basis(reg, "minutes_workflow")

    def names(units: tuple[str, ...]) -> str:
        return "、".join(reg.units[u].name if u in reg.units else u for u in units)

    if st.circulated is None:
        raise InputRefused(f"会议“{m.id}”的纪要还没有征求与会单位意见{rule}",
                           f"纪要须经与会单位同意后印发：先用 jiuzhu minutes circulate {m.id} 送与会单位征求意见。")
    if st.stale:
        raise InputRefused(f"会议“{m.id}”的议定事项在 {st.circulated} 征求意见后有改动",
                           f"改动后的纪要稿须重新征求意见：用 jiuzhu minutes circulate {m.id} 再次送出。")
    if st.comments:
        first, text = st.comments[0]
        raise InputRefused(f"{names(tuple(u for u, _ in st.comments))}对纪要稿有意见（{names((first,))}：{text}）",
                           "修改纪要稿后重新征求意见（jiuzhu minutes circulate），或该单位同意后用 "
                           f"jiuzhu minutes reply {m.id} --unit 单位 --agree 登记。")
    if st.waiting:
        raise InputRefused(f"还有 {len(st.waiting)} 个与会单位没有答复：{names(st.waiting)}",
                           f"各单位同意后用 jiuzhu minutes reply {m.id} --unit 单位 --agree 登记，再印发。")


# --- issue ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Issued:
    meeting: str
    number: str
    issued: dt.date
    reported_to: str
    decided: tuple[str, ...]
    chair_name: str | None = None


def issue_minutes(reg: Registry, ref: str, day: dt.date) -> Issued:
    """Number the minutes (a sequence per year), record the issue and the report to the government,
    and mark the topics on the agenda decided. The meeting is frozen from now on."""
    assert reg.system is not None
    m = find_meeting(reg, ref)
    refuse_if_liaison(m, "印发会议纪要")
    refuse_if_issued(m)
    if not m.decisions:
        raise InputRefused(f"会议“{m.id}”还没有议定事项", "会议纪要以议定事项为内容：先用 jiuzhu decision add 添加。")
    if day < m.date:
        raise InputRefused(f"印发日期 {day} 早于会议日期 {m.date}", "纪要在会后印发，--date 不能早于会议日期。")
    refuse_unready(reg, m)
    refuse_unless_ready(reg, m)
    number = max((x.minutes.number or 0 for x in reg.meetings.values() if x.minutes and x.minutes.year == day.year),
                 default=0) + 1 if numbered(reg.system) else None
    report_to = reg.system.parameters.minutes_report_to
    label = f"〔{day.year}〕{number}号" if number is not None else f"（{day.isoformat()}，不编号）"
    tx = Transaction(Path(reg.root))
    decided = []
    for pid in m.agenda:
        p = reg.proposals.get(pid)
        if p is not None and p.status in states_for(reg, "decide"):
            stage_act(tx, p, act(reg, p, "decide", max(m.date, p.history[-1].date), "meeting",
                                 f"会议纪要{label}", m.id))
            decided.append(pid)

    def change(data: Any) -> None:
        fields = {"year": day.year, "number": number, "issued": day, "reported_to": report_to}
        data["minutes"] = flow({k: v for k, v in fields.items() if v is not None})

    tx.edit(m.file, change)
    tx.commit()
    return Issued(m.id, label, day, report_to, tuple(decided), chair_name(reg.system, m))


def refuse_unready(reg: Registry, m: Meeting) -> None:
    """Minutes record who attended and each decision once: refuse what an office would send back."""
    if not (m.attended or m.excused):
        example = next((reg.units[u].name for u in m.expected if u in reg.units), "单位名称")
        raise InputRefused(f"会议“{m.id}”还没有登记出席情况",
                           f"纪要要写明出席、请假和列席单位：先用 jiuzhu meeting attend {m.id} 登记"
                           f"（例如 --unit {example} --attended，其余单位用 --rest --attended）。")
    seen: dict[str, str] = {}
    for d in m.decisions:
        key = "".join(d.text.split()).rstrip("。；;.")
        if key in seen:
            raise InputRefused(f"议定事项 {seen[key]} 和 {d.id} 的内容相同：“{d.text}”",
                               f"同一事项只写一次：删除会议文件 {m.file} 中重复的一条，或改写使两条内容不同。")
        seen[key] = d.id


# --- validate ---------------------------------------------------------------------------------------

def check_minutes_workflow(reg: Registry, ctx: Context) -> Iterable[Problem]:
    """The steps before issue are written once and name a signer the system has; each reply of a
    round names a unit of the registry; minutes recorded as issued went through every step on the
    decisions as issued (a hand-edited file is caught here)."""
    for m in reg.meetings.values():
        for i, r in enumerate(m.consent.replies if m.consent else ()):
            if r.unit not in reg.units:
                yield unresolved(reg.files[m.file].at("consent", "replies", i, "unit"), "答复单位", r.unit, reg.units)
    s = reg.system
    if s is None or not steps(s):
        return
    yield from _check_settings(s, reg.files["system.yaml"])
    for m in reg.meetings.values():
        if m.minutes is None or not m.is_joint:
            continue
        try:
            refuse_unless_ready(reg, m)
        except InputRefused as missing:
            yield warning(reg.files[m.file].at("minutes"), "minutes-steps",
                          f"会议纪要已登记印发，但{missing.message}", missing.hint or "")


def _check_settings(s: System, doc: Any) -> Iterable[Problem]:
    wf = s.parameters.minutes_workflow
    if len(set(wf.steps)) < len(wf.steps):
        yield error(doc.at("parameters", "minutes_workflow", "steps"), "duplicate-step",
                    f"纪要印发前的步骤重复：{'、'.join(wf.steps)}", "每个步骤只写一次，按先后顺序排列。")
    if wf.sign_by and wf.sign_by not in conveners.roles(s):
        yield error(doc.at("parameters", "minutes_workflow", "sign_by"), "unknown-signer",
                    f"签发人 {wf.sign_by}：本制度没有这一职务", f"写 {'或'.join(conveners.roles(s))}。")
