"""What a change does, in the system's terms: a semantic diff of two loaded registries.

`diff()` compares the registry at one git revision with another revision or the working tree and
reports units added, removed, renamed, merged, split or dissolved; duties added, removed, moved between
units, reworded (a character-level diff of the Chinese sentence), re-tagged or given another role;
decisions reassigned; open tasks whose lead no longer fits. `as_json()` is the porcelain;
`jiuzhu.diffmd` renders the Markdown for a pull-request comment.

`check_against()` is the record keeper: once minutes are issued, their decisions do not change.
"""

from __future__ import annotations

import datetime as dt
import difflib
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jiuzhu import gitops
from jiuzhu.loader import load
from jiuzhu.model import Duty, Registry, Unit, UnitEvent
from jiuzhu.problems import Pos, Problem, error
from jiuzhu.render import doc_number
from jiuzhu.reorg_checks import open_decisions
from jiuzhu.tasks import assignment

Rows = list[dict[str, Any]]
UNIT_KINDS = ("added", "removed", "renamed", "merged", "split", "dissolved")
DUTY_KINDS = ("added", "removed", "moved", "reworded", "retagged", "role_changed")


@dataclass(frozen=True)
class Side:
    """One end of the comparison: the label the user gave and its commit (None: working tree)."""

    label: str
    commit: str | None
    merge_base: bool = False


@dataclass(frozen=True)
class SemDiff:
    old: Side
    new: Side
    units: dict[str, Rows]
    areas: dict[str, Rows]
    duties: dict[str, Rows]
    decisions: Rows
    tasks: Rows
    names: Names

    @property
    def empty(self) -> bool:
        return not (any(self.units.values()) or any(self.areas.values()) or any(self.duties.values())
                    or self.decisions or self.tasks)

    def as_json(self) -> dict[str, Any]:
        return {
            "from": {"rev": self.old.label, "commit": self.old.commit, "merge_base": self.old.merge_base},
            "to": {"rev": self.new.label, "commit": self.new.commit},
            "units": self.units, "areas": self.areas, "duties": self.duties,
            "decisions": {"reassigned": self.decisions}, "tasks": {"orphaned": self.tasks},
        }


# --- loading both ends ----------------------------------------------------------------------------

def load_at(repo: gitops.Repo, commit: str) -> Registry:
    """The registry as it was at `commit` (its files are read from git, loaded from a temp folder)."""

    files = gitops.registry_files_at(repo, commit)
    with tempfile.TemporaryDirectory(prefix="jiuzhu-rev-") as tmp:
        root = Path(tmp)
        for rel, data in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        return load(root).registry


def diff(registry: Path, rev1: str | None = None, rev2: str | None = None) -> SemDiff:
    """Compare `rev1` (default: where this branch left the default branch) with `rev2` (default:
    the working tree)."""

    repo = gitops.repo_for(registry)
    if rev1 is None:
        commit, ref = gitops.default_base(repo)
        old_side = Side(ref, commit, merge_base=ref != "HEAD")
    else:
        old_side = Side(rev1, gitops.resolve(repo, rev1))
    new_side = Side(rev2, gitops.resolve(repo, rev2)) if rev2 else Side(gitops.WORKTREE, None)
    assert old_side.commit is not None
    old = load_at(repo, old_side.commit)
    new = load_at(repo, new_side.commit) if new_side.commit else load(registry).registry
    return compare(old, new, old_side, new_side)


def compare(old: Registry, new: Registry, old_side: Side, new_side: Side) -> SemDiff:
    units, duties = _units(old, new), _duties(old, new)
    for row in units["split"]:  # where each duty of a split unit went
        row["duties"] = [{"duty": m["duty"], "to_duty": m["to_duty"], "to": m["to"]}
                         for m in duties["moved"] if m["from"] == row["unit"]]
    return SemDiff(old_side, new_side, units, _areas(old, new), duties, _reassigned(old, new),
                   _new_orphans(old, new), Names.of(new, old))


@dataclass(frozen=True)
class Names:
    """Unit and area names for the Markdown, the newer registry winning (ids when neither knows)."""

    units: dict[str, str]
    areas: dict[str, str]
    until: dict[str, dt.date]

    @classmethod
    def of(cls, *regs: Registry) -> Names:
        units: dict[str, str] = {}
        areas: dict[str, str] = {}
        until: dict[str, dt.date] = {}
        for reg in regs:
            for u in reg.units.values():
                units.setdefault(u.id, u.name)
                if u.until:
                    until.setdefault(u.id, u.until)
            for a in reg.areas.values():
                areas.setdefault(a.id, a.name)
        return cls(units, areas, until)

    def unit(self, uid: str | None) -> str:
        return self.units.get(uid or "", uid or "")

    def unit_list(self, ids: list[str]) -> str:
        return "、".join(self.unit(u) for u in ids) or "无"

    def area_list(self, ids: list[str]) -> str:
        return "、".join(self.areas.get(a, a) for a in ids)


# --- units ----------------------------------------------------------------------------------------

def _event_key(e: UnitEvent) -> tuple[Any, ...]:
    return (e.date, e.act, e.name, e.old_name, e.units, e.into, e.duties_to)


def _units(old: Registry, new: Registry) -> dict[str, Rows]:
    out: dict[str, Rows] = {k: [] for k in UNIT_KINDS}
    merged: dict[tuple[str, dt.date], list[str]] = {}
    for uid, u in new.units.items():
        o = old.units.get(uid)
        if o is None:
            out["added"].append({"unit": uid, "name": u.name, "since": _iso(u.since)})
        else:
            _unit_changes(o, u, out, merged)
    for (into, day), units in merged.items():
        out["merged"].append({"units": units, "into": into, "date": _iso(day)})
    out["removed"] = [{"unit": uid, "name": u.name} for uid, u in old.units.items() if uid not in new.units]
    return out


def _unit_event(u: Unit, e: UnitEvent, out: dict[str, Rows], merged: dict[tuple[str, dt.date], list[str]]) -> None:
    if e.act == "merged_into" and e.into:
        merged.setdefault((e.into, e.date), []).append(u.id)
    elif e.act == "split":
        out["split"].append({"unit": u.id, "name": u.name, "into": list(e.units), "date": _iso(e.date), "duties": []})
    elif e.act == "dissolved":
        out["dissolved"].append({"unit": u.id, "name": u.name, "date": _iso(e.date), "duties_to": e.duties_to})


def _unit_changes(o: Unit, u: Unit, out: dict[str, Rows], merged: dict[tuple[str, dt.date], list[str]]) -> None:
    """What happened to a unit present on both sides: its new history events, a new name, an end."""
    seen = {_event_key(e) for e in o.history}
    events = [e for e in u.history if _event_key(e) not in seen]
    if o.name != u.name:
        when = next((e.date for e in events if e.act == "renamed"), None)
        out["renamed"].append({"unit": u.id, "old_name": o.name, "name": u.name, "date": _iso(when)})
    for e in events:
        _unit_event(u, e, out, merged)
    if o.active and not u.active and not any(e.act in ("merged_into", "split", "dissolved") for e in events):
        out["dissolved"].append({"unit": u.id, "name": u.name, "date": _iso(u.until), "duties_to": None})


# --- areas ----------------------------------------------------------------------------------------

def _areas(old: Registry, new: Registry) -> dict[str, Rows]:
    """Areas added or removed, and designated leads (areas.yaml `lead`) changed."""
    return {
        "added": [{"area": a.id, "name": a.name} for a in new.areas.values() if a.id not in old.areas],
        "removed": [{"area": a.id, "name": a.name} for a in old.areas.values() if a.id not in new.areas],
        "lead_changed": [{"area": a.id, "name": a.name, "old_lead": old.areas[a.id].lead, "lead": a.lead}
                         for a in new.areas.values() if a.id in old.areas and old.areas[a.id].lead != a.lead],
    }


# --- duties ---------------------------------------------------------------------------------------

def _duties(old: Registry, new: Registry) -> dict[str, Rows]:
    out: dict[str, Rows] = {k: [] for k in DUTY_KINDS}
    old_d = {d.id: d for d in old.duties()}
    new_d = {d.id: d for d in new.duties()}
    gone = [d for i, d in old_d.items() if i not in new_d]
    fresh = {i: d for i, d in new_d.items() if i not in old_d}
    targets: set[str] = set()
    for d in gone:
        to = _successor(d, new_d, fresh)
        if to is None:
            out["removed"].append(_duty_row(d))
            continue
        targets.add(to.id)
        if to.unit != d.unit:
            out["moved"].append(_moved_row(d, to))
    out["added"] = [{**_duty_row(d), "moved_from": d.moved_from} for i, d in fresh.items() if i not in targets]
    for i, d in new_d.items():
        if i in old_d:
            _duty_changes(old_d[i], d, out)
    return out


def _duty_changes(o: Duty, d: Duty, out: dict[str, Rows]) -> None:
    """What changed in a duty present on both sides: its unit, wording, areas, role."""
    if o.unit != d.unit:
        out["moved"].append(_moved_row(o, d))
    elif o.text != d.text:
        out["reworded"].append({**_duty_row(d), "old_text": o.text, "diff": char_diff(o.text, d.text, "plain")})
    if set(o.areas) != set(d.areas):
        out["retagged"].append({**_duty_row(d), "old_areas": list(o.areas)})
    if (o.role, dict(o.roles), o.info) != (d.role, dict(d.roles), d.info):
        out["role_changed"].append({**_duty_row(d), "old_role": o.role, "old_info": list(o.info)})


def _successor(d: Duty, new_d: dict[str, Duty], fresh: dict[str, Duty]) -> Duty | None:
    """Where a duty that disappeared went: the same sentence elsewhere (the one recording
    `moved_from` first), else a new duty that records it came from this unit and reads alike."""
    same = sorted((x for x in new_d.values() if x.text == d.text), key=lambda x: (x.moved_from != d.unit, x.id))
    if same:
        return same[0]
    near = [(difflib.SequenceMatcher(None, d.text, x.text, autojunk=False).ratio(), x.id, x)
            for x in fresh.values() if x.moved_from == d.unit]
    near = [t for t in near if t[0] >= 0.5]
    return max(near, key=lambda t: (t[0], t[1]))[2] if near else None


def _duty_row(d: Duty) -> dict[str, Any]:
    return {"duty": d.id, "unit": d.unit, "text": d.text, "areas": list(d.areas), "role": d.role}


def _moved_row(old: Duty, new: Duty) -> dict[str, Any]:
    row = {"duty": old.id, "to_duty": new.id, "from": old.unit, "to": new.unit, "text": new.text}
    if old.text != new.text:
        row |= {"old_text": old.text, "diff": char_diff(old.text, new.text, "plain")}
    return row


def char_diff(a: str, b: str, style: str = "md") -> str:
    """Character-level diff of two Chinese sentences: ~~删~~**增** (md) or [-删-]{+增+} (plain)."""
    dels, adds = (("~~", "~~"), ("**", "**")) if style == "md" else (("[-", "-]"), ("{+", "+}"))
    parts: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(a[i1:i2])
            continue
        if i2 > i1:
            parts.append(f"{dels[0]}{a[i1:i2]}{dels[1]}")
        if j2 > j1:
            parts.append(f"{adds[0]}{b[j1:j2]}{adds[1]}")
    return "".join(parts)


# --- decisions and tasks --------------------------------------------------------------------------

def _reassigned(old: Registry, new: Registry) -> Rows:
    rows = []
    for did, d in new.decisions.items():
        o = old.decisions.get(did)
        if o is None:
            continue
        ot, nt = old.tasks.get(did), new.tasks.get(did)
        before, after = assignment(o, ot), assignment(d, nt)
        if before == after:
            continue
        via = "task" if len(nt.reassignments if nt else ()) > len(ot.reassignments if ot else ()) else "meeting"
        rows.append({"decision": did, "meeting": d.meeting, "text": d.text, "old_lead": before[0], "lead": after[0],
                     "old_responsible": list(before[1]), "responsible": list(after[1]), "via": via})
    return rows


def orphaned(reg: Registry) -> dict[str, dict[str, Any]]:
    """Open decisions whose lead in force is no active unit, or holds no duty in their areas."""

    found: dict[str, dict[str, Any]] = {}
    for d, _task, lead in open_decisions(reg):
        unit = reg.units.get(lead)
        if unit is None or not unit.active:
            reason = "inactive"
        elif d.areas and not any(set(x.areas) & set(d.areas) for x in unit.duties):
            reason = "no-duty"
        else:
            continue
        found[d.id] = {"decision": d.id, "meeting": d.meeting, "text": d.text, "lead": lead,
                       "areas": list(d.areas), "reason": reason}
    return found


def _new_orphans(old: Registry, new: Registry) -> Rows:
    before = orphaned(old)
    return [row for did, row in orphaned(new).items() if before.get(did, {}).get("reason") != row["reason"]]


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


# --- issued minutes are a record ------------------------------------------------------------------

_FROZEN = (("text", "内容"), ("lead", "牵头单位"), ("responsible", "责任单位"), ("due", "完成时限"),
           ("ongoing", "长期坚持"), ("areas", "领域"))
_FROZEN_HINT = ("纪要印发后，议定事项是正式记录，不能修改；调整牵头或责任单位用 jiuzhu tasks reassign 记入任务文件，"
                "其他改变请由以后的会议作出新的议定事项。")


def check_against(root: Path, rev: str, as_of: dt.date) -> list[Problem]:
    """Changes since `rev` to the decisions of meetings whose minutes were issued at `rev`."""

    repo = gitops.repo_for(root)
    old = load_at(repo, gitops.resolve(repo, rev))
    return list(frozen_changes(old, load(root).registry, rev))


def frozen_changes(old: Registry, new: Registry, rev: str) -> Iterator[Problem]:
    for m in old.meetings.values():
        if m.minutes is None:
            continue
        number = doc_number(m.minutes.year, m.minutes.number) if m.minutes.number is not None else ""
        issued = f"{number}纪要（{m.minutes.issued} 印发）"
        cur = new.meetings.get(m.id)
        if cur is None:
            yield error(Pos(m.file), "frozen-minutes",
                        f"会议 {m.id} 的纪要{number}已于 {m.minutes.issued} 印发，但会议文件在 {rev} 之后被删除",
                        "恢复该会议文件：已印发的纪要不能删除。")
            continue
        doc = new.files[cur.file]
        if cur.minutes != m.minutes:
            yield error(doc.at("minutes"), "frozen-minutes", f"会议 {m.id} 的纪要印发记录在 {rev} 之后被改动",
                        "恢复 minutes 一节：纪要期号和印发日期印发后不能改。")
        now = {d.id: d for d in cur.decisions}
        for d in m.decisions:
            c = now.get(d.id)
            if c is None:
                yield error(doc.at("decisions"), "frozen-minutes",
                            f"议定事项 {d.id} 已载入{issued}，却在 {rev} 之后被删除", _FROZEN_HINT)
                continue
            for attr, label in _FROZEN:
                was, now_ = getattr(d, attr), getattr(c, attr)
                if was != now_:
                    change = f"{rev} 时为“{_show(was)}”，现为“{_show(now_)}”"
                    yield error(doc.at("decisions", c.seq - 1, attr), "frozen-minutes",
                                f"议定事项 {d.id} 的{label}在纪要印发后被改动（{change}）", _FROZEN_HINT)
        known = {d.id for d in m.decisions}
        for c in cur.decisions:
            if c.id not in known:
                yield error(c.pos, "frozen-minutes", f"会议 {m.id} 的纪要已印发，不能再增加议定事项 {c.id}",
                            "新的议定事项请放到以后的会议中。")


def _show(value: Any) -> str:
    if isinstance(value, (tuple, list)):
        return "、".join(str(v) for v in value) or "无"
    if isinstance(value, bool):
        return "是" if value else "否"
    return "无" if value is None else str(value)
