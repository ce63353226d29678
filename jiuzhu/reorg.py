"""Reorganisations of member units as data with an effective date: rename, merge, split, dissolve.

A reorganisation never deletes a unit's file: the unit records the act in `history`, becomes
inactive with `until`, and its duties move to the unit that takes them over, each recording
`moved_from` and `since`. Historic documents keep the names in force on their date
(`Unit.name_on`). Open tasks led by a unit that is gone are validate errors until reassigned.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jiuzhu.errors import InputRefused
from jiuzhu.model import Registry, Unit
from jiuzhu.problems import nearest
from jiuzhu.queries import find_unit
from jiuzhu.reorg_checks import open_decisions
from jiuzhu.roundtrip import commented_seq, is_block_list, new_document, to_commented
from jiuzhu.schema import ID_RE, UNIT
from jiuzhu.writer import Transaction

_DUTY_NO = re.compile(r"-(\d+)$")


@dataclass
class Outcome:
    """What a reorganisation did: a summary line, the files written, open tasks to reassign."""

    summary: str
    files: list[str] = field(default_factory=list)
    to_reassign: list[tuple[str, str]] = field(default_factory=list)  # (decision id, lead unit name)


# --- commands -------------------------------------------------------------------------------------

def rename(root: Path, reg: Registry, ref: str, name: str, day: dt.date) -> Outcome:
    """Give a unit a new name from `day` on; the old name stays in its history."""
    unit = active(reg, ref, "更名")
    name = name.strip()
    if not name:
        raise InputRefused("新名称不能为空", "用 --name 给出新名称，如 --name 县卫生健康局。")
    if name == unit.name:
        raise InputRefused(f"{unit.name}已经叫这个名字", "给出一个不同的新名称。")
    name_free(reg, name, exempt=())
    check_day(reg, unit, day)
    tx = Transaction(root)

    def change(data: Any) -> None:
        data["name"] = name
        _append(data, "history", {"date": fresh(day), "act": "renamed", "name": name, "old_name": unit.name})

    tx.edit(unit.file, change)
    return commit(tx, root, f"已将 {unit.name}（{unit.id}）更名为 {name}，{day} 起。")


def merge(root: Path, reg: Registry, refs: list[str], into: str, name: str | None, day: dt.date) -> Outcome:
    """Merge units into another (existing, or new when `name` is given): the sources become inactive
    and their duties move to the target."""
    sources = [active(reg, r, "合并") for r in refs]
    ids = [u.id for u in sources]
    if len(set(ids)) != len(ids):
        raise InputRefused("同一个单位在要合并的单位中出现了两次", "每个单位只写一次。")
    target = _target(reg, into, name, exclude=ids)
    if target is not None and target.id in ids:
        raise InputRefused(f"不能把{target.name}（{target.id}）合并到它自己",
                           "--into 写合并后的单位；它不能同时是被合并的单位。")
    for u in sources:
        check_day(reg, u, day)
    tx = Transaction(root)
    if target is None:
        assert name is not None
        tid, existing, label = into, [], f"新单位 {name}（{into}）"
        _create_merged(tx, reg, sources, into, name, day)
    else:
        check_day(reg, target, day)
        tid, existing, label = target.id, duty_dicts(target), f"{target.name}（{target.id}）"
    moved = hand_over_duties(reg, [(u, duty_dicts(u)) for u in sources], tid, existing, day, retired=set(ids))

    def take_over(data: Any) -> None:
        _append(data, "duties", *moved.added)
        _append(data, "history", {"date": fresh(day), "act": "merged", "units": ids})

    tx.edit(f"units/{tid}.yaml", take_over)
    for u in sources:
        retire(tx, u, day, {"act": "merged_into", "into": tid}, moved)
    office_moves = bool(reg.system and reg.system.office.unit in ids)
    _redirect(tx, reg, set(ids), tid, move_office=office_moves)
    names = "、".join(f"{u.name}（{u.id}）" for u in sources)
    note = "；联席会议办公室随之设在该单位" if office_moves else ""
    return commit(tx, root, f"已将 {names} 合并为{label}，{day} 起{note}。", reg, ids)


def _create_merged(tx: Transaction, reg: Registry, sources: list[Unit], tid: str, name: str, day: dt.date) -> None:
    """The file of a new unit the sources merge into (their kind if they share one, their reviewers)."""
    name_free(reg, name, exempt=[u.id for u in sources])
    header = f"{name}：由 {'、'.join(u.name for u in sources)} 合并而成（{day}）"
    kinds = {u.kind for u in sources}
    reviewers = list(dict.fromkeys(r for u in sources for r in u.reviewers))
    tx.create(f"units/{tid}.yaml", new_unit(reg, tid, name, sources[0].kind if len(kinds) == 1 else "government",
                                             day, reviewers, header))


def dissolve(root: Path, reg: Registry, ref: str, day: dt.date, duties_to: str) -> Outcome:
    """Dissolve a unit from `day` on; its duties move to `duties_to`."""
    unit = active(reg, ref, "撤销")
    heir = active(reg, duties_to, "承接职责")
    if heir.id == unit.id:
        raise InputRefused(f"不能把{unit.name}的职责转给它自己", "--duties-to 写承接职责的另一个成员单位。")
    if reg.system and reg.system.office.unit == unit.id:
        raise InputRefused(f"{unit.name}是联席会议办公室所在单位，不能在办公室移走之前撤销",
                           "先在 system.yaml 把 office.unit 改为承接办公室的单位（同一个 pull request 中即可），"
                           "或用 jiuzhu units merge 把它并入另一个单位（办公室随之移过去）。")
    check_day(reg, unit, day)
    tx = Transaction(root)
    moved = hand_over_duties(reg, [(unit, duty_dicts(unit))], heir.id, duty_dicts(heir), day, retired={unit.id})
    tx.edit(heir.file, lambda data: _append(data, "duties", *moved.added))
    retire(tx, unit, day, {"act": "dissolved", "duties_to": heir.id}, moved)
    _redirect(tx, reg, {unit.id}, heir.id, move_office=False)
    return commit(tx, root, f"已撤销 {unit.name}（{unit.id}），职责转入 {heir.name}（{heir.id}），{day} 起。",
                   reg, [unit.id])


def duty_appender(added: list[dict[str, Any]]) -> Callable[[Any], None]:
    return lambda data: _append(data, "duties", *added)


def unit_or_none(reg: Registry, ref: str) -> Unit | None:
    try:
        return find_unit(reg, ref)
    except InputRefused:
        return None


def add_unit(root: Path, reg: Registry, uid: str, name: str, kind: str, day: dt.date,
             reviewers: list[str]) -> Outcome:
    """A new member unit joining on `day` (its duties are then moved to it or written by hand)."""

    assert UNIT.fields is not None
    kinds = UNIT.fields["kind"].enum
    if not ID_RE.match(uid):
        raise InputRefused(f"新单位的标识“{uid}”不可用", "标识只能用小写英文字母、数字和连字符，如 yibao。")
    if uid in reg.units:
        raise InputRefused(f"成员单位标识“{uid}”已被{reg.units[uid].name}使用", "换一个标识。")
    if kind not in kinds:
        raise InputRefused(f"单位类别“{kind}”不在可选范围内", "可选：" + "、".join(str(k) for k in kinds))
    name = name.strip()
    if not name:
        raise InputRefused("单位名称不能为空", "用 --name 给出名称，如 --name 县医疗保障局。")
    name_free(reg, name, exempt=())
    founded = reg.system.founding.date if reg.system else None
    if founded and day < founded:
        raise InputRefused(f"加入日期 {day} 早于联席会议成立的日期 {founded}", f"日期不能早于 {founded}。")
    tx = Transaction(root)
    tx.create(f"units/{uid}.yaml", new_unit(reg, uid, name, kind, day, reviewers, f"{name}：{day} 加入联席会议",
                                             [{"date": fresh(day), "act": "established"}]))
    return commit(tx, root, f"已新增成员单位 {name}（{uid}），{day} 起；"
                             "请填写联络员，并用 jiuzhu duties move 移入职责。")


def move_duties(root: Path, reg: Registry, duty_ids: list[str], to: str, day: dt.date) -> Outcome:
    """Move single duties to another unit from `day` on (a policy changes hands, the units stay)."""
    target = active(reg, to, "承接职责")
    duties = {d.id: d for d in reg.duties()}
    picked: dict[str, list[str]] = {}
    for did in duty_ids:
        if did not in duties:
            near = nearest(did, list(duties))
            raise InputRefused(f"没有职责“{did}”",
                               f"你是不是想写“{near}”？" if near else "用 jiuzhu duties show 单位 查看职责编号。")
        if duties[did].unit == target.id:
            raise InputRefused(f"职责 {did} 已经属于{target.name}", "--to 写接收职责的另一个单位。")
        if did in picked.get(duties[did].unit, []):
            raise InputRefused(f"职责 {did} 写了两次", "每条职责只写一次。")
        picked.setdefault(duties[did].unit, []).append(did)
    units = [reg.units[uid] for uid in picked]
    for u in [*units, target]:
        check_day(reg, u, day)
    moving = [(u, [x for x in duty_dicts(u) if x["id"] in picked[u.id]]) for u in units]
    moved = hand_over_duties(reg, moving, target.id, duty_dicts(target), day, retired=set())
    tx = Transaction(root)
    for u in units:
        tx.edit(u.file, _duty_remover(set(picked[u.id])))
    tx.edit(target.file, lambda data: _append(data, "duties", *moved.added))
    went = "；".join(f"{x['id']} → {x['to']}" for u in units for x in moved.went[u.id])
    return commit(tx, root, f"已将职责移交 {target.name}（{target.id}），{day} 起：{went}。")


def _duty_remover(ids: set[str]) -> Callable[[Any], None]:
    def change(data: Any) -> None:
        seq = data["duties"]
        for i in reversed(range(len(seq))):
            if seq[i].get("id") in ids:
                del seq[i]
    return change


# --- refusals -------------------------------------------------------------------------------------

def active(reg: Registry, ref: str, doing: str) -> Unit:
    unit = find_unit(reg, ref)
    if not unit.active:
        when = f"自 {unit.until} 起" if unit.until else ""
        raise InputRefused(f"{unit.name}（{unit.id}）{when}已不是成员单位，不能{doing}",
                           "用 jiuzhu units show 查看它的机构变更记录。")
    return unit


def _target(reg: Registry, into: str, name: str | None, exclude: Iterable[str] = ()) -> Unit | None:
    """The unit to merge into; None when a new one is to be created (needs an id and --name)."""

    if name is None:
        try:
            return active(reg, into, "承接合并")
        except InputRefused:
            if into in reg.units or not ID_RE.match(into):
                raise
            # an id no unit has: most likely the new unit of the merge, given without its name
            others = [x for u in reg.units.values() if u.id not in exclude for x in (u.id, u.name)]
            near = nearest(into, others)
            raise InputRefused(f"没有成员单位“{into}”；合并为新单位时要用 --name 给出新单位的名称",
                               f"例如 --into {into} --name <新单位名称>" + (f"；并入已有单位时你是不是想写“{near}”？"
                                                                         if near else "。")) from None
    if into in reg.units or any(into == u.name for u in reg.units.values()):
        unit = find_unit(reg, into)
        raise InputRefused(f"{unit.name}（{unit.id}）已存在，--name 只用于新建合并后的单位",
                           f"并入已有单位时去掉 --name；要改名另用 jiuzhu units rename {unit.id} --name …。")
    if not ID_RE.match(into):
        raise InputRefused(f"新单位的标识“{into}”不可用", "标识只能用小写英文字母、数字和连字符，如 shuiwu。")
    return None


def name_free(reg: Registry, name: str, exempt: Iterable[str]) -> None:
    for u in reg.units.values():
        if u.active and u.name == name and u.id not in exempt:
            raise InputRefused(f"名称“{name}”已被成员单位 {u.id} 使用", "成员单位的名称不能相同，换一个名称。")


def check_day(reg: Registry, unit: Unit, day: dt.date) -> None:
    start = unit.since or (reg.system.founding.date if reg.system else None)
    if start and day < start:
        what = "加入联席会议" if unit.since else "联席会议成立"
        raise InputRefused(f"生效日期 {day} 早于{unit.name}{what}的日期 {start}", f"生效日期不能早于 {start}。")
    last = max((e.date for e in unit.history), default=None)
    if last and day < last:
        raise InputRefused(f"生效日期 {day} 早于{unit.name}最近一次机构变更（{last}）",
                           "机构变更按时间顺序记录，生效日期不能早于上一次变更。")


# --- staged edits ---------------------------------------------------------------------------------

def _append(data: Any, key: str, *items: dict[str, Any]) -> None:
    """Append to a list in a unit file: a block list keeps its comments; an empty inline `[]`
    becomes a block list; a missing one is added before `duties`."""

    current = data.get(key)
    new = [to_commented(i) for i in items]
    if is_block_list(current):
        current.extend(new)
        return
    seq = commented_seq([*(current or []), *new])
    if key in data:
        data[key] = seq
    else:
        data.insert(list(data).index("duties") if "duties" in data else len(data), key, seq)


def duty_dicts(unit: Unit) -> list[dict[str, Any]]:
    out = []
    for d in unit.duties:
        item: dict[str, Any] = {"id": d.id, "text": d.text, "areas": list(d.areas), "role": d.role}
        for key, value in (("roles", dict(d.roles)), ("info", list(d.info)), ("shared_with", list(d.shared_with)),
                           ("moved_from", d.moved_from), ("since", d.since)):
            if value:
                item[key] = value
        out.append(item)
    return out


@dataclass
class Moved:
    """The target's duty list after a takeover, and where each source duty went ({id, to})."""

    added: list[dict[str, Any]]
    went: dict[str, list[dict[str, str]]]


def hand_over_duties(reg: Registry, moving: list[tuple[Unit, list[dict[str, Any]]]], tid: str,
                 existing: list[dict[str, Any]], day: dt.date, retired: set[str]) -> Moved:
    """Take over duties from their units. A sentence the target already holds (the duty 国税局 and
    地税局 shared) is kept once; the others get the target's next duty numbers."""
    gone = retired | {tid}
    added: list[dict[str, Any]] = []
    by_text = {d["text"]: d["id"] for d in existing}
    numbers = [int(m.group(1)) for d in reg.duties() if (m := _DUTY_NO.search(d.id)) and d.id.startswith(f"{tid}-")]
    next_no = max(numbers, default=0) + 1
    went: dict[str, list[dict[str, str]]] = {}
    for u, items in moving:
        for item in items:
            old_id = item["id"]
            if item["text"] not in by_text:
                shared = [s for s in item.pop("shared_with", []) if s not in gone]
                item |= {"id": f"{tid}-{next_no}", **({"shared_with": shared} if shared else {}),
                         "moved_from": u.id, "since": fresh(day)}
                next_no += 1
                added.append(item)
                by_text[item["text"]] = item["id"]
            went.setdefault(u.id, []).append({"id": old_id, "to": by_text[item["text"]]})
    return Moved(added, went)


def retire(tx: Transaction, unit: Unit, day: dt.date, act: dict[str, Any], moved: Moved) -> None:
    went = moved.went.get(unit.id, [])

    def change(data: Any) -> None:
        data["active"] = False
        if "until" in data:
            data["until"] = fresh(day)
        else:
            data.insert(list(data).index("active") + 1 if "active" in data else len(data), "until", fresh(day))
        _append(data, "history", {"date": fresh(day), **act, **({"duties": went} if went else {})})
        data["duties"] = to_commented([])

    tx.edit(unit.file, change)


def _redirect(tx: Transaction, reg: Registry, gone: set[str], to: str, move_office: bool) -> None:
    """Point what named the retired units at their successor: other units' `shared_with`, the
    designated leads in areas.yaml, and (for a merge) the office."""
    for u in reg.units.values():
        if u.id in gone or u.id == to or not any(gone & set(d.shared_with) for d in u.duties):
            continue
        tx.edit(u.file, _shared_rewriter(gone, to, u.id))
    if any(a.lead in gone for a in reg.areas.values()):
        def areas(data: Any) -> None:
            for a in data.get("areas", []):
                if a.get("lead") in gone:
                    a["lead"] = to
        tx.edit("areas.yaml", areas)
    if move_office:
        tx.edit("system.yaml", lambda data: data["office"].__setitem__("unit", to))


def _shared_rewriter(gone: set[str], to: str, me: str) -> Callable[[Any], None]:
    def change(data: Any) -> None:
        for d in data.get("duties", []):
            if any(s in gone for s in d.get("shared_with", [])):
                new = []
                for s in d["shared_with"]:
                    s = to if s in gone else s
                    if s != me and s not in new:
                        new.append(s)
                d["shared_with"] = to_commented(new)
    return change


def new_unit(reg: Registry, uid: str, name: str, kind: str, day: dt.date, reviewers: list[str], header: str,
              history: list[dict[str, Any]] | None = None, order: int | None = None) -> str:

    data = {
        "id": uid, "name": name, "kind": kind,
        "order": order or max((u.order for u in reg.units.values()), default=0) + 1, "active": True,
        "since": fresh(day), "reviewers": reviewers, "history": history or [], "duties": [],
    }
    text = new_document(data, header)
    # the house style for a liaison not known yet (round-trip dumping would leave the values empty)
    return text.replace("\nreviewers:", "\nliaison: {name: null, phone: null, post: null}\nreviewers:", 1)


def fresh(day: dt.date) -> dt.date:
    """A date object of its own: the same object written twice would become a YAML anchor."""
    return dt.date.fromordinal(day.toordinal())


def commit(tx: Transaction, root: Path, summary: str, reg: Registry | None = None,
            retired: Iterable[str] = ()) -> Outcome:
    written = [p.relative_to(root).as_posix() for p in tx.commit()]
    gone = set(retired)
    todo = [] if reg is None else [(d.id, reg.units[lead].name) for d, _, lead in open_decisions(reg) if lead in gone]
    return Outcome(summary, sorted(written), todo)


# --- validate checks ------------------------------------------------------------------------------


