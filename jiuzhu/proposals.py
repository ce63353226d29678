"""Proposals (议题): submitted by a member unit, reviewed by the office (初审), approved by a convener
(审定), put on a joint meeting (上会) and decided there (议定).

The states and the allowed steps between them are data (`parameters.proposal_workflow` in
system.yaml); this module only knows the action names the commands use. Every step is appended to
the proposal's `history` with who, when and the opinion; the status is the `to` of the last step.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jiuzhu import conveners
from jiuzhu.checking import id_matches_file, unresolved
from jiuzhu.errors import InputRefused
from jiuzhu.model import Proposal, Registry, Transition, Workflow
from jiuzhu.problems import Problem, error, nearest
from jiuzhu.queries import active_unit, find_proposal
from jiuzhu.records import draw_id, flow, new_file, token
from jiuzhu.writer import Transaction

if TYPE_CHECKING:
    from jiuzhu.checking import Context
    from jiuzhu.writer import Transaction

# What each action is called, and the command that performs it (for "next steps" hints).
ACTION_NAMES = {
    "submit": "提交", "review_pass": "初审通过", "review_return": "初审退回", "resubmit": "修改后重新提交",
    "approve": "审定", "schedule": "列入联席会议议程", "decide": "会议议定",
}
ACTION_COMMANDS = {
    "review_pass": "jiuzhu proposal review ID --pass", "review_return": "jiuzhu proposal review ID --return",
    "resubmit": "jiuzhu proposal resubmit ID", "approve": "jiuzhu proposal approve ID",
    "schedule": "jiuzhu meeting new --kind regular|adhoc", "decide": "jiuzhu minutes issue MEETING",
}


@dataclass(frozen=True)
class Created:
    """A new file: its id and its path relative to the registry."""

    id: str
    path: str


def require_text(value: str | None, option: str, hint: str) -> str:
    text = (value or "").strip()
    if not text:
        raise InputRefused(f"{option} 不能为空", hint)
    return text


def workflow(reg: Registry) -> Workflow:
    """The proposal workflow of system.yaml; refused when system.yaml could not be read."""
    if reg.system is None:
        raise InputRefused("system.yaml 有错误，读不到议题流转规则",
                           "先运行 jiuzhu validate 并修正 system.yaml。")
    return reg.system.parameters.workflow


def states_for(reg: Registry, action: str) -> tuple[str, ...]:
    """The states from which `action` is allowed."""
    return tuple(s for t in workflow(reg).transitions if t.action == action for s in t.from_states)


def last_act_date(p: Proposal, action: str) -> dt.date | None:
    return next((a.date for a in reversed(p.history) if a.action == action), None)


# --- the transitions ---------------------------------------------------------------------------------

def next_steps(reg: Registry, state: str) -> str:
    allowed = workflow(reg).allowed_from(state)
    if not allowed:
        return "该状态没有后续步骤。"
    return "可以进行的下一步：" + "；".join(
        f"{ACTION_NAMES.get(t.action, t.action)}（{ACTION_COMMANDS.get(t.action, t.action)}）" for t in allowed) + "。"


def transition(reg: Registry, p: Proposal, action: str) -> Transition:
    """The allowed transition for `action` from the proposal's status, or a refusal naming the
    current status and what may happen next."""
    t = next((t for t in workflow(reg).allowed_from(p.status) if t.action == action), None)
    if t is None:
        raise InputRefused(f"议题“{p.id}”当前状态为“{p.status}”，不能{ACTION_NAMES.get(action, action)}",
                           next_steps(reg, p.status))
    return t


def act(reg: Registry, p: Proposal, action: str, day: dt.date, by: str, opinion: str | None = None,
        meeting: str | None = None) -> dict[str, Any]:
    """One checked history step (not yet written)."""
    t = transition(reg, p, action)
    last = p.history[-1].date if p.history else day
    if day < last:
        raise InputRefused(f"日期 {day} 早于该议题上一步的日期 {last}", "流转记录按时间先后追加，日期不能倒退。")
    return {"action": action, "to": t.to, "date": day, "by": by, "opinion": opinion, "meeting": meeting}


def stage_act(tx: Transaction, p: Proposal, step: dict[str, Any], **fields: str) -> None:
    """Append `step` to the proposal's history (and change `fields`, e.g. a revised title)."""
    def change(data: Any) -> None:
        for key, value in fields.items():
            data[key] = value
        data["history"].append(flow(step))

    tx.edit(p.file, change)


def _commit(reg: Registry, p: Proposal, step: dict[str, Any], **fields: str) -> dict[str, Any]:
    tx = Transaction(Path(reg.root))
    stage_act(tx, p, step, **fields)
    tx.commit()
    return step


def new_proposal(reg: Registry, unit_ref: str, title: str, summary: str | None, day: dt.date,
                 draw: Callable[[], str] = token) -> Created:
    """A member unit proposes a topic: proposals/<year>/<id>.yaml with its submit step."""

    unit = active_unit(reg, unit_ref)
    title = require_text(title, "--title", "写明议题的标题，例如 --title 关于提高城乡低保标准的议题。")
    wf = workflow(reg)
    root = Path(reg.root)
    ident = draw_id(f"p-{day:%Y%m%d}-{unit}", lambda i: i in reg.proposals
                    or (root / f"proposals/{day.year}/{i}.yaml").exists(), draw)
    rel = f"proposals/{day.year}/{ident}.yaml"
    step = {"action": "submit", "to": wf.initial, "date": day, "by": unit}
    text = new_file({"id": ident, "unit": unit, "title": title, "summary": (summary or "").strip() or None,
                   "history": [step]}, f"议题：{title}", flow_items=["history"])
    tx = Transaction(root)
    tx.create(rel, text)
    tx.commit()
    return Created(ident, rel)


def review(reg: Registry, ref: str, passed: bool, opinion: str, day: dt.date) -> dict[str, Any]:
    """The office's initial review (初审): pass it on to the conveners, or return it to the unit."""
    p = find_proposal(reg, ref)
    action = "review_pass" if passed else "review_return"
    step = act(reg, p, action, day, _by(reg, p, action), opinion)
    opinion = require_text(opinion, "--opinion", "写明初审意见，例如 --opinion 同意提交联席会议审定。")
    return _commit(reg, p, {**step, "opinion": opinion})


def approve(reg: Registry, ref: str, by: str | None, opinion: str | None, day: dt.date) -> dict[str, Any]:
    """A convener's approval (审定): the topic may now go on a joint meeting's agenda. `by`: the
    registry's approver (conveners.approves, else the chief convener, else a convener) unless given."""
    assert reg.system is not None
    s = reg.system
    by = by or conveners.approver(s)
    if by not in conveners.roles(s):
        raise InputRefused(f"--by 的值“{by}”不可用", f"审定人只能是 {conveners.role_help(s)}。")
    p = find_proposal(reg, ref)
    return _commit(reg, p, act(reg, p, "approve", day, by, (opinion or "").strip() or None))


def resubmit(reg: Registry, ref: str, note: str, day: dt.date, title: str | None = None,
             summary: str | None = None) -> dict[str, Any]:
    """A returned proposal, revised by its unit and submitted again for review."""
    p = find_proposal(reg, ref)
    step = act(reg, p, "resubmit", day, p.unit)
    note = require_text(note, "--note", "说明作了哪些修改，例如 --note 已按初审意见补充资金测算。")
    fields = {}
    if title is not None:
        fields["title"] = require_text(title, "--title", "新的标题不能为空；不改标题就不要加 --title。")
    if summary is not None:
        fields["summary"] = summary.strip()
    return _commit(reg, p, {**step, "opinion": note}, **fields)


def _by(reg: Registry, p: Proposal, action: str) -> str:
    t = transition(reg, p, action)
    return t.by or "office"


# --- queries ---------------------------------------------------------------------------------------

def proposal_rows(reg: Registry, status: str | None = None) -> list[dict[str, Any]]:
    """Proposals in submission order, optionally only those in `status`."""
    if status is not None and status not in workflow(reg).states:
        near = nearest(status, list(workflow(reg).states))
        states = "、".join(workflow(reg).states)
        raise InputRefused(f"没有议题状态“{status}”",
                           (f"你是不是想写“{near}”？" if near else "") + f"可选状态：{states}。")
    rows = []
    for p in sorted(reg.proposals.values(), key=lambda p: (p.history[0].date if p.history else dt.date.min, p.id)):
        if status is None or p.status == status:
            unit = reg.units.get(p.unit)
            rows.append({"id": p.id, "unit": p.unit, "unit_name": unit.name if unit else p.unit, "title": p.title,
                         "status": p.status, "submitted": p.history[0].date.isoformat() if p.history else None})
    return rows


def proposal_detail(reg: Registry, ref: str) -> dict[str, Any]:
    p = find_proposal(reg, ref)
    unit = reg.units.get(p.unit)
    return {
        "id": p.id, "unit": p.unit, "unit_name": unit.name if unit else p.unit, "title": p.title,
        "summary": p.summary, "status": p.status, "file": p.file, "next": next_steps(reg, p.status),
        "history": [{"action": a.action, "action_name": ACTION_NAMES.get(a.action, a.action), "to": a.to,
                     "date": a.date.isoformat(), "by": a.by, "by_name": _who(reg, a.by), "opinion": a.opinion,
                     "meeting": a.meeting} for a in p.history],
    }


def _who(reg: Registry, by: str) -> str:
    if by in reg.units:
        return reg.units[by].name
    if by in conveners.ROLES and reg.system is not None:
        return conveners.title(reg.system, by)
    return {"office": "联席会议办公室", "meeting": "联席会议"}.get(by, by)


# --- validate -----------------------------------------------------------------------------------------

def check_proposals(reg: Registry, ctx: Context) -> Iterable[Problem]:
    """Each proposal's unit exists, its id matches its file, and its history follows the workflow."""

    if reg.system is None:
        return
    steps = _steps(workflow(reg))
    for p in reg.proposals.values():
        doc = reg.files[p.file]
        yield from id_matches_file(doc, p.id, "议题编号")
        if p.unit not in reg.units:
            yield unresolved(doc.at("unit"), "提出单位", p.unit, reg.units)
        yield from _check_history(reg, p, steps)


def _steps(wf: Workflow) -> dict[tuple[str, str], Transition]:
    """(state, action) -> the first transition allowed from the state by that action."""
    steps: dict[tuple[str, str], Transition] = {}
    for t in wf.transitions:
        for st in t.from_states:
            steps.setdefault((st, t.action), t)
    return steps


def _check_history(reg: Registry, p: Proposal,
                   steps: dict[tuple[str, str], Transition] | None = None) -> Iterator[Problem]:
    wf = workflow(reg)
    if steps is None:
        steps = _steps(wf)
    state: str | None = None
    last: dt.date | None = None
    for i, a in enumerate(p.history):
        pos = a.pos
        if i == 0:
            if a.action != "submit" or a.to != wf.initial:
                yield error(pos, "bad-transition", f"流转记录的第一步应为提交（submit），到达“{wf.initial}”",
                            f"写成 {{action: submit, to: {wf.initial}, date: …, by: <提出单位>}}。")
        else:
            t = steps.get((state or "", a.action))
            if t is None:
                yield error(pos, "bad-transition",
                            f"议题在“{state}”状态下不能{ACTION_NAMES.get(a.action, a.action)}（议事规则不允许这一步）",
                            next_steps(reg, state or ""))
            elif t.to != a.to:
                yield error(pos, "bad-transition",
                            f"{ACTION_NAMES.get(a.action, a.action)}应到达“{t.to}”，这里写的是“{a.to}”",
                            f"把 to 改为 {t.to}。")
        if last is not None and a.date < last:
            yield error(pos, "date-order", f"这一步的日期 {a.date} 早于上一步的 {last}", "流转记录应按时间先后排列。")
        if a.meeting and a.meeting not in reg.meetings and not reg.meetings.incomplete:
            yield unresolved(pos, "会议", a.meeting, reg.meetings)
        state, last = a.to, a.date


CHECKS = [check_proposals]
