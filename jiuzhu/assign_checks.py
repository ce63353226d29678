"""validate's checks of assignment: a decision's lead without duties in its areas, duty roles per area."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from jiuzhu.problems import Problem, warning

if TYPE_CHECKING:
    from jiuzhu.checking import Context
    from jiuzhu.model import Registry
from jiuzhu.assign import name


def check_decision_leads(reg: Registry, ctx: Context) -> Iterable[Problem]:
    """Warn when a decision's lead has no duty in any of the decision's areas; name who has one."""
    covered = {k: frozenset(a for x in u.duties for a in x.areas if a in reg.areas) for k, u in reg.units.items()}
    for d in reg.decisions.values():
        unit = reg.units.get(d.lead)
        if unit is None or not covered[d.lead].isdisjoint(d.areas):
            continue
        areas = [a for a in d.areas if a in reg.areas]
        if not areas:
            continue
        holders = _holders(reg, areas)
        names = "、".join(f"{name(reg, u)}（{duty}）" for u, duty in holders[:3])
        area_names = "、".join(reg.areas[a].name for a in areas)
        hint = (f"职责涉及该领域的有：{names}；可改由其牵头，或核对议定事项的 areas。" if holders
                else "没有成员单位的职责涉及该领域，请核对 areas。")
        yield warning(d.pos, "lead-off-duty",
                      f"议定事项 {d.id} 的牵头单位{unit.name}没有涉及领域“{area_names}”的职责", hint)


def _holders(reg: Registry, areas: list[str]) -> list[tuple[str, str]]:
    """Units with a duty in the areas: designated leads first, then lead duties, then others."""
    rank = {"lead": 0, "support": 1, "info": 2}
    found: dict[str, tuple[int, str]] = {}
    for unit in reg.active_units():
        for duty in unit.duties:
            if set(duty.areas).intersection(areas):
                r = -1 if any(reg.areas[a].lead == unit.id for a in areas) else min(
                    rank.get(duty.role_in(a), 3) for a in duty.areas if a in areas)
                if unit.id not in found or r < found[unit.id][0]:
                    found[unit.id] = (r, duty.id)
    return [(u, duty) for u, (_r, duty) in sorted(found.items(), key=lambda kv: kv[1][0])]


CHECKS = [check_decision_leads]  # a duty's `roles` are checked as its file is read (jiuzhu.pieces)
