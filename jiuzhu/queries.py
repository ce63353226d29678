"""Read-only questions about the registry: lookups by id or name, unit listings, duty matrices.

Functions return plain rows (dicts) so the CLI can print them as tables or JSON.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, TypeVar

from jiuzhu import unitnames
from jiuzhu.errors import InputRefused
from jiuzhu.model import Decision, Inspection, Meeting, Notice, Proposal, Registry, Unit
from jiuzhu.problems import nearest

T = TypeVar("T")

ROLE_NAMES = {"lead": "牵头", "support": "配合", "info": "提供信息"}
KIND_NAMES = {"government": "政府部门", "party": "党委部门", "mass": "群团组织", "vertical": "垂直管理",
              "enterprise": "企业"}


def lookup(index: Mapping[str, T], ref: str, label: str, listing: str) -> T:
    """An entity by id; refused with the nearest id, or the command that lists them all."""
    if ref in index:
        return index[ref]
    near = nearest(ref, list(index))
    hint = f"你是不是想写“{near}”？" if near else f"用 {listing} 查看所有{label}编号。"
    raise InputRefused(f"没有{label}“{ref}”", hint)


def find_unit(reg: Registry, ref: str) -> Unit:
    """A unit by id or by any name a clerk uses (jiuzhu.unitnames): its name, an `aliases:` entry
    or a former name, with or without the jurisdiction, short or full, old or new after a reform.
    A name that fits several units is refused naming them; a wrong one with the nearest by meaning."""
    if ref in reg.units:
        return reg.units[ref]
    jurisdiction = reg.system.jurisdiction if reg.system else ""
    named = [(u.id, n) for u in reg.units.values() for n in names_of(u)]
    found = unitnames.matching(ref.strip(), named, jurisdiction, {u.id for u in reg.units.values() if u.active})
    if len(found) == 1:
        return reg.units[found[0]]
    if found:
        listed = "、".join(f"{reg.units[i].name}（{i}）" for i in found)
        raise InputRefused(f"“{ref}”可能指 {listed}，不能确定是哪一个", "写单位标识或完整名称。")
    if ref.isascii():  # an id typed wrong: the nearest id
        near_id = nearest(ref, list(reg.units))
        hint = f"你是不是想写“{near_id}”？" if near_id else "用 jiuzhu units list 查看所有成员单位。"
        raise InputRefused(f"没有成员单位“{ref}”", hint)
    near = unitnames.nearest(ref.strip(), named, jurisdiction)
    hint = ("你是不是想写" + "或".join(f"“{reg.units[i].name}”" for i in near) + "？") if near \
        else "用 jiuzhu units list 查看所有成员单位。"
    raise InputRefused(f"没有成员单位“{ref}”", hint)


def names_of(unit: Unit) -> list[str]:
    """Every name a unit is known by: its name, its aliases and its former names."""
    former = [e.old_name for e in unit.history if e.act == "renamed" and e.old_name]
    return [unit.name, *unit.aliases, *former]


def unit_rows(reg: Registry) -> list[dict[str, Any]]:
    return [
        {"id": u.id, "name": u.name, "kind": u.kind, "kind_name": KIND_NAMES.get(u.kind, u.kind),
         "order": u.order, "active": u.active, "duties": len(u.duties),
         "liaison": u.liaison.name, "office": bool(reg.system and reg.system.office.unit == u.id)}
        for u in reg.units.values()
    ]


def unit_detail(reg: Registry, unit: Unit) -> dict[str, Any]:
    return {
        "id": unit.id, "name": unit.name, "kind": unit.kind, "kind_name": KIND_NAMES.get(unit.kind, unit.kind),
        "order": unit.order, "item": unit.item, "active": unit.active,
        "since": unit.since.isoformat() if unit.since else None,
        "liaison": {"name": unit.liaison.name, "phone": unit.liaison.phone, "post": unit.liaison.post},
        "member": unit.member._asdict() if unit.member else None,
        "reviewers": list(unit.reviewers),
        "office": bool(reg.system and reg.system.office.unit == unit.id),
        "history": [{"date": e.date.isoformat(), "act": e.act, "name": e.name, "old_name": e.old_name,
                     "into": e.into, "duties_to": e.duties_to} for e in unit.history],
        "duties": duty_rows(reg, unit),
    }


def duty_rows(reg: Registry, unit: Unit) -> list[dict[str, Any]]:
    return [
        {"id": d.id, "text": d.text, "role": d.role, "role_name": ROLE_NAMES[d.role],
         "areas": list(d.areas), "area_names": [reg.areas[a].name for a in d.areas if a in reg.areas],
         "info": list(d.info), "shared_with": list(d.shared_with), "roles": dict(d.roles)}
        for d in unit.duties
    ]


def duty_matrix(reg: Registry) -> list[dict[str, Any]]:
    """Areas x units: for each area, which units lead, support or provide information in it."""
    rows = []
    for area in reg.areas.values():
        roles: dict[str, dict[str, list[str]]] = {"lead": {}, "support": {}, "info": {}}
        for unit in reg.units.values():
            for d in unit.duties:
                if area.id in d.areas:
                    roles[d.role_in(area.id)].setdefault(unit.id, []).append(d.id)
        rows.append({
            "area": area.id, "area_name": area.name, "kind": area.kind, "designated_lead": area.lead,
            "lead": list(roles["lead"]), "support": [u for u in roles["support"] if u not in roles["lead"]],
            "info": [u for u in roles["info"] if u not in roles["lead"] and u not in roles["support"]],
            "duties": {u: ids for r in roles.values() for u, ids in r.items()},
        })
    return rows


def info_matrix(reg: Registry) -> list[dict[str, Any]]:
    """Which unit provides which information for household economic-status verification."""
    rows = []
    for unit in reg.units.values():
        for d in unit.duties:
            if d.info:
                rows.append({"unit": unit.id, "unit_name": unit.name, "info": list(d.info), "duty": d.id,
                             "text": d.text})
    return rows


def unit_names(reg: Registry, ids: list[str] | tuple[str, ...]) -> str:
    return "、".join(reg.units[i].name if i in reg.units else i for i in ids)


def find_proposal(reg: Registry, ref: str) -> Proposal:
    return lookup(reg.proposals, ref, "议题", "jiuzhu proposal list")


def active_unit(reg: Registry, ref: str) -> str:
    unit = find_unit(reg, ref)
    if not unit.active:
        raise InputRefused(f"{unit.name}（{unit.id}）已不是成员单位", "用 jiuzhu units list 查看现有成员单位。")
    return unit.id


def member_on(unit: Unit, day: dt.date) -> bool:
    """Whether `unit` was a member of the joint meeting on `day` (its since/until dates)."""
    if unit.since is not None and day < unit.since:
        return False
    if unit.until is not None and day > unit.until:
        return False
    return unit.active or unit.until is not None


def find_meeting(reg: Registry, ref: str) -> Meeting:
    return lookup(reg.meetings, ref, "会议", "jiuzhu meeting list")


def find_task(reg: Registry, ref: str) -> Decision:
    """A task by its decision id; refused with the nearest id."""
    return lookup(reg.decisions, ref, "任务", "jiuzhu tasks list")


def find_inspection(reg: Registry, ref: str) -> Inspection:
    return lookup(reg.inspections, ref, "检查", "jiuzhu inspection list")


def find_notice(reg: Registry, ref: str) -> Notice:
    return lookup(reg.notices, ref, "督办通知单", "jiuzhu supervise list")
