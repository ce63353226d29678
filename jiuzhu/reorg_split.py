"""Splitting a unit: each of its duties goes to a named successor (an existing unit or a new one)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from jiuzhu.errors import InputRefused
from jiuzhu.model import Registry, Unit
from jiuzhu.problems import nearest
from jiuzhu.queries import find_unit
from jiuzhu.reorg import (
    Moved,
    Outcome,
    active,
    check_day,
    commit,
    duty_appender,
    duty_dicts,
    fresh,
    hand_over_duties,
    name_free,
    new_unit,
    retire,
    unit_or_none,
)
from jiuzhu.roundtrip import to_commented
from jiuzhu.schema import ID_RE
from jiuzhu.writer import Transaction


def split(root: Path, reg: Registry, ref: str, into: list[str], duties: list[str], names: list[str],
          day: dt.date) -> Outcome:
    """Split a unit: each of its duties goes to the unit named for it (`DUTY=UNIT`), among the
    `into` units (existing ones, or new ones given a name with `UNIT=名称`). The unit becomes
    inactive; its `split` history event records where each duty went."""
    unit = active(reg, ref, "拆分")
    if reg.system and reg.system.office.unit == unit.id:
        raise InputRefused(f"{unit.name}是联席会议办公室所在单位，不能在办公室移走之前拆分",
                           "先在 system.yaml 把 office.unit 改为承接办公室的单位（同一个 pull request 中即可）。")
    new_names = _pairs(names, "--name", "新单位标识=名称，如 --name yibao=县医疗保障局")
    targets = _targets(reg, unit, into, new_names)
    going = _destinations(reg, unit, targets, _pairs(duties, "--duty", "职责编号=承接单位，如 --duty weiji-1=yibao"))
    check_day(reg, unit, day)
    for target in targets.values():
        if target is not None:
            check_day(reg, target, day)
    for name in new_names.values():
        name_free(reg, name, exempt=())
        if list(new_names.values()).count(name) > 1:
            raise InputRefused(f"两个新单位都叫“{name}”", "成员单位的名称不能相同，换一个名称。")
    tx = Transaction(root)
    went = _hand_over(tx, reg, unit, targets, going, new_names, day)
    parts = "；".join(f"{x['id']} → {x['to']}" for x in went)
    names_ = "、".join(f"{new_names[t]}（{t}，新设）" if u is None else f"{u.name}（{t}）" for t, u in targets.items())
    return commit(tx, root, f"已将 {unit.name}（{unit.id}）拆分，职责分别转入 {names_}，{day} 起：{parts}。",
                   reg, [unit.id])


def _targets(reg: Registry, unit: Unit, into: list[str], new_names: dict[str, str]) -> dict[str, Unit | None]:
    """The receiving units, in the order given: existing units by id or name (a Unit), new ones by
    id (None)."""
    targets: dict[str, Unit | None] = {}
    for t in into:
        if t in new_names:
            _check_new_id(reg, t)
            tid, target = t, None
        else:
            target = _existing_target(reg, t)
            tid = target.id
        if tid == unit.id:
            raise InputRefused(f"不能把{unit.name}（{unit.id}）拆分到它自己",
                               "--into 写承接职责的其他单位；被拆分的单位将不再是成员单位。")
        if tid in targets:
            raise InputRefused(f"--into 中“{t}”写了两次", "每个单位只写一次。")
        targets[tid] = target
    for t in new_names:
        if t not in targets:
            raise InputRefused(f"--name 给出的“{t}”不在 --into 中", f"加上 --into {t}，或去掉 --name {t}=…。")
    if len(targets) < 2:
        raise InputRefused("拆分至少要有两个承接单位（--into 写两次以上）",
                           "职责全部转给一个单位时用 jiuzhu units dissolve … --duties-to，或 jiuzhu units merge。")
    return targets


def _check_new_id(reg: Registry, t: str) -> None:
    if t in reg.units or any(t == u.name for u in reg.units.values()):
        u = find_unit(reg, t)
        raise InputRefused(f"{u.name}（{u.id}）已存在，--name 只用于拆分出的新单位", f"去掉 --name {t}=…。")
    if not ID_RE.match(t):
        raise InputRefused(f"新单位的标识“{t}”不可用", "标识只能用小写英文字母、数字和连字符，如 yibao。")


def _existing_target(reg: Registry, t: str) -> Unit:
    try:
        return active(reg, t, "承接职责")
    except InputRefused:
        if t in reg.units or not ID_RE.match(t):
            raise
        raise InputRefused(f"没有成员单位“{t}”；拆分出新单位时要用 --name 给出它的名称",
                           f"例如 --name {t}=<新单位名称>。") from None


def _destinations(reg: Registry, unit: Unit, targets: dict[str, Unit | None], asked: dict[str, str]) -> dict[str, str]:
    """Every duty of the unit goes to exactly one of the targets, and every target gets one."""
    own = [d.id for d in unit.duties]
    going = {did: _destination(reg, unit, own, asked, targets, did, t) for did, t in asked.items()}
    missing = [did for did in own if did not in going]
    if missing:
        raise InputRefused(f"{unit.name}还有 {len(missing)} 条职责没有指定去向：{'、'.join(missing)}",
                           "每条职责都要用 --duty 职责编号=承接单位 指定去向，如 "
                           f"--duty {missing[0]}={next(iter(targets))}。")
    idle = [t for t in targets if t not in going.values()]
    if idle:
        raise InputRefused(f"承接单位 {'、'.join(idle)} 没有分到任何职责",
                           "去掉这个 --into，或用 --duty 给它指定职责。")
    return going


def _destination(reg: Registry, unit: Unit, own: list[str], asked: dict[str, str], targets: dict[str, Unit | None],
                 did: str, t: str) -> str:
    if did not in own:
        near = nearest(did, [x for x in own if x not in asked] or own)  # likely one not named yet
        raise InputRefused(f"{unit.name}没有职责“{did}”",
                           f"你是不是想写“{near}”？" if near else f"用 jiuzhu duties show {unit.id} 查看它的职责编号。")
    if t in targets:
        return t
    named = unit_or_none(reg, t)
    if named is None or named.id not in targets:
        raise InputRefused(f"职责 {did} 要转给的“{t}”不在 --into 中",
                           "承接单位只能是 --into 写的单位：" + "、".join(targets) + "。")
    return named.id


def _hand_over(tx: Transaction, reg: Registry, unit: Unit, targets: dict[str, Unit | None], going: dict[str, str],
               new_names: dict[str, str], day: dt.date) -> list[dict[str, str]]:
    """Write the split: duties to their units (new units created), the unit retired, references
    redirected. Returns where each duty went, in the unit's order."""
    own = [d.id for d in unit.duties]
    went: list[dict[str, str]] = []
    placed: dict[str, str] = {}
    order = max((u.order for u in reg.units.values()), default=0)
    for tid, target in targets.items():
        items = [x for x in duty_dicts(unit) if going[x["id"]] == tid]
        existing = duty_dicts(target) if target is not None else []
        moved = hand_over_duties(reg, [(unit, items)], tid, existing, day, retired={unit.id})
        placed |= {x["id"]: tid for x in moved.went.get(unit.id, [])}
        went += moved.went.get(unit.id, [])
        if target is None:
            name = new_names[tid]
            header = f"{name}：由 {unit.name} 拆分设立（{day}）"
            order += 1
            tx.create(f"units/{tid}.yaml", new_unit(reg, tid, name, unit.kind, day, list(unit.reviewers), header,
                                                     [{"date": fresh(day), "act": "established",
                                                       "units": [unit.id]}], order=order))
        tx.edit(target.file if target is not None else f"units/{tid}.yaml", duty_appender(moved.added))
    went.sort(key=lambda x: own.index(x["id"]))
    retire(tx, unit, day, {"act": "split", "units": list(targets)}, Moved([], {unit.id: went}))
    _redirect_split(tx, reg, unit, placed, targets)
    return went


def _pairs(values: list[str], option: str, how: str) -> dict[str, str]:
    """`KEY=VALUE` options as a dict, in order; a malformed or repeated key is refused."""
    out: dict[str, str] = {}
    for raw in values:
        key, sep, value = raw.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not key or not value:
            raise InputRefused(f"{option} 的值“{raw}”应写成 {how.split('，')[0]}", f"写成 {how}。")
        if key in out:
            raise InputRefused(f"{option} 中“{key}”写了两次", "每项只写一次。")
        out[key] = value
    return out


def _redirect_split(tx: Transaction, reg: Registry, unit: Unit, placed: dict[str, str],
                    targets: dict[str, Unit | None]) -> None:
    """After a split, what named the unit points at the unit that took the matching duty: another
    unit's `shared_with` (by the shared sentence), a designated lead in areas.yaml (the unit that
    took the split unit's lead duties in that area, else any of its duties there, else the first)."""
    by_text = {d.text: placed[d.id] for d in unit.duties}
    for u in reg.units.values():
        if u.id == unit.id or not any(unit.id in d.shared_with for d in u.duties):
            continue

        def change(data: Any, me: str = u.id) -> None:
            for d in data.get("duties", []):
                if unit.id in d.get("shared_with", []):
                    heir = by_text.get(d.get("text"))
                    new = []
                    for s in d["shared_with"]:
                        s = heir if s == unit.id else s
                        if s and s != me and s not in new:
                            new.append(s)
                    d["shared_with"] = to_commented(new)
        tx.edit(u.file, change)
    leads = {a.id for a in reg.areas.values() if a.lead == unit.id}
    if not leads:
        return

    def heir_for(area: str) -> str:
        for want_lead in (True, False):
            for d in unit.duties:
                if area in d.areas and (d.role == "lead" or not want_lead):
                    return placed[d.id]
        return next(iter(targets))

    def areas(data: Any) -> None:
        for a in data.get("areas", []):
            if a.get("lead") == unit.id:
                a["lead"] = heir_for(a.get("id"))
    tx.edit("areas.yaml", areas)
